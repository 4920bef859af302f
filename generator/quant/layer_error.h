#pragma once
// Per-layer error of a quantized run against the float reference: where the accuracy goes.
#include <string>
#include <vector>

#include "ir/graph.h"
#include "quant/int_reference.h"

namespace pimhls::quant {

struct LayerError {
  int node_index = 0;
  std::string name;
  ir::Op op = ir::Op::Conv;
  double sqnr_db = 0.0;  // this node's dequantized output against the float one
};

// Runs the float reference on `float_graph` and the quantized graph on `engine` with the same
// inputs, and compares every node's output. `float_graph` is the graph `graph` was quantized
// from.
std::vector<LayerError> layer_errors(const ir::Graph& float_graph, const QuantizedGraph& graph,
                                     const std::vector<ir::Tensor>& inputs, MatrixEngine& engine);

}  // namespace pimhls::quant
