#pragma once
// Tiny hand-built graphs for the float reference tests: one node fed by graph inputs.
#include <fmt/format.h>

#include <vector>

#include "golden/float_reference.h"
#include "ir/graph.h"

namespace pimhls::test {

inline ir::Tensor tensor(ir::Dims shape, std::vector<float> data) {
  return ir::Tensor{std::move(shape), std::move(data)};
}

inline ir::Node make_node(ir::Op op, const char* name = "n0") {
  ir::Node node;
  node.name = name;
  node.op = op;
  return node;
}

// A graph of `node` alone, reading one graph input per tensor of `inputs`.
inline ir::Graph single_node_graph(ir::Node node, const std::vector<ir::Tensor>& inputs,
                                   const ir::Dims& output_shape) {
  ir::Graph graph;
  graph.name = "test";
  node.inputs.clear();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    graph.values.push_back(ir::Value{fmt::format("x{}", i), inputs[i].shape, -1});
    graph.inputs.push_back(static_cast<ir::ValueId>(i));
    node.inputs.push_back(static_cast<ir::ValueId>(i));
  }
  graph.values.push_back(ir::Value{"y", output_shape, 0});
  node.output = static_cast<ir::ValueId>(inputs.size());
  graph.outputs.push_back(node.output);
  graph.nodes.push_back(std::move(node));
  return graph;
}

// Runs `node` on `inputs` through the executor and returns its output.
inline ir::Tensor run_single(const ir::Node& node, const std::vector<ir::Tensor>& inputs,
                             const ir::Dims& output_shape) {
  return golden::run_float(single_node_graph(node, inputs, output_shape), inputs).at(0);
}

}  // namespace pimhls::test
