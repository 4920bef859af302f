#include "cost/layer_shape.h"

#include <algorithm>

#include "ir/layer_stats.h"
#include "util/error.h"

namespace pimhls::cost {

LayerShape layer_shape(const ir::Graph& graph, const ir::Node& node) {
  if (!node.has_weights())
    fail("{}: {} has no weights to map onto PIM arrays", node.name, ir::op_name(node.op));
  const ir::WeightMatrix matrix = ir::weight_matrix(graph, node);
  LayerShape shape;
  const ir::Dims& weight = node.weight.shape;
  if (node.op == ir::Op::Conv) {
    shape.in_channels = weight.at(1);  // [Cout, Cin/group, kh, kw]
    shape.kernel_area = weight.at(2) * weight.at(3);
  } else {
    shape.in_channels = matrix.rows;
    shape.kernel_area = 1;
  }
  shape.out_channels = matrix.cols;
  shape.groups = matrix.groups;
  shape.vectors = matrix.vectors;
  shape.lead_vectors = matrix.vectors;
  if (shape.in_channels <= 0 || shape.out_channels <= 0 || shape.vectors <= 0 ||
      shape.groups <= 0 || shape.out_channels % shape.groups != 0)
    fail("{}: weight matrix {}x{} (groups {}, vectors {}) cannot be mapped", node.name,
         shape.rows(), shape.out_channels, shape.groups, shape.vectors);
  return shape;
}

namespace {

struct Fraction {
  std::int64_t numerator = 1;
  std::int64_t denominator = 1;
};

// Fraction of its input (in raster order) that `consumer` must have seen before its first output.
Fraction lead_fraction(const ir::Graph& graph, const ir::Node& consumer) {
  if (consumer.op != ir::Op::Conv || consumer.inputs.empty()) return {};
  const ir::Dims& input = graph.shape(consumer.inputs[0]);  // [N, C, H, W]
  if (input.size() != 4 || input[2] <= 0 || input[3] <= 0) return {};
  const std::int64_t height = input[2], width = input[3];
  const ir::Window& window = consumer.window;
  // Input rows and columns up to the bottom-right corner of the first window.
  const std::int64_t rows = std::clamp<std::int64_t>(
      (window.kernel_h - 1) * window.dilation_h - window.pad_top + 1, 1, height);
  const std::int64_t cols = std::clamp<std::int64_t>(
      (window.kernel_w - 1) * window.dilation_w - window.pad_left + 1, 1, width);
  return {(rows - 1) * width + cols, height * width};
}

}  // namespace

std::vector<LayerShape> layer_shapes(const ir::Graph& graph) {
  const std::vector<int> layers = graph.weight_layers();
  std::vector<LayerShape> shapes;
  shapes.reserve(layers.size());
  for (int index : layers) shapes.push_back(layer_shape(graph, graph.nodes.at(index)));
  for (std::size_t i = 0; i + 1 < layers.size(); ++i) {
    const Fraction fraction = lead_fraction(graph, graph.nodes.at(layers[i + 1]));
    LayerShape& shape = shapes[i];
    // Pooling and reshapes between the two layers keep the raster order, so the same fraction
    // of this layer's output is needed.
    const std::int64_t lead =
        (fraction.numerator * shape.vectors + fraction.denominator - 1) / fraction.denominator;
    shape.lead_vectors = std::clamp<std::int64_t>(lead, 1, shape.vectors);
  }
  return shapes;
}

}  // namespace pimhls::cost
