#pragma once
// A hand-built IR graph of a chain of nodes (each reads the one before), without the importer:
// for tests of what reads the IR (cost shapes, stream graphs) on networks written by hand.
#include <string>
#include <utility>

#include "ir/graph.h"

namespace pimhls::test {

class IrChain {
 public:
  explicit IrChain(ir::Dims input_shape) {
    graph_.values.push_back({"x", std::move(input_shape), -1});
    graph_.inputs = {0};
    graph_.outputs = {0};
  }

  // Appends `op` reading the chain's output; returns the node to set up (valid until the next
  // add).
  ir::Node& add(ir::Op op, const std::string& name, ir::Dims output_shape) {
    ir::Node node;
    node.name = name;
    node.op = op;
    node.inputs = {graph_.outputs[0]};
    node.output = static_cast<ir::ValueId>(graph_.values.size());
    graph_.values.push_back(
        {name + "_out", std::move(output_shape), static_cast<int>(graph_.nodes.size())});
    graph_.outputs = {node.output};
    graph_.nodes.push_back(std::move(node));
    return graph_.nodes.back();
  }

  // A k x k window with stride 1 and `pad` on every side.
  static void square_window(ir::Node& node, std::int64_t k, std::int64_t pad) {
    node.window.kernel_h = node.window.kernel_w = k;
    node.window.pad_top = node.window.pad_left = node.window.pad_bottom = node.window.pad_right =
        pad;
  }

  const ir::Graph& graph() const { return graph_; }

 private:
  ir::Graph graph_;
};

}  // namespace pimhls::test
