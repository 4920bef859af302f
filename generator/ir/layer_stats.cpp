#include "ir/layer_stats.h"

namespace pimhls::ir {

WeightMatrix weight_matrix(const Graph& graph, const Node& node) {
  WeightMatrix matrix;
  if (node.op == Op::Conv) {
    const Dims& w = node.weight.shape;  // [Cout, Cin/group, kh, kw]
    const Dims& out = graph.shape(node.output);
    matrix.rows = w[1] * w[2] * w[3];
    matrix.cols = w[0];
    matrix.groups = node.window.group;
    matrix.vectors = element_count(out) / out[1];  // N * Hout * Wout
  } else if (node.op == Op::Gemm) {
    const Dims& w = node.weight.shape;  // [N, K]
    matrix.rows = w[1];
    matrix.cols = w[0];
    matrix.vectors = element_count(graph.shape(node.output)) / w[0];
  }
  return matrix;
}

LayerStats layer_stats(const Graph& graph, const Node& node) {
  LayerStats stats;
  if (!node.has_weights()) return stats;
  stats.weights = node.weight.size();
  stats.parameters = stats.weights + node.bias.size();
  const WeightMatrix matrix = weight_matrix(graph, node);
  // Each output element takes `rows` MACs (a group sees only its own Cin/group channels).
  stats.macs = matrix.vectors * matrix.cols * matrix.rows;
  return stats;
}

}  // namespace pimhls::ir
