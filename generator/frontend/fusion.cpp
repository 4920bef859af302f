#include "frontend/fusion.h"

#include <algorithm>

namespace pimhls::frontend {
namespace {

bool is_graph_output(const ir::Graph& graph, ir::ValueId id) {
  return std::find(graph.outputs.begin(), graph.outputs.end(), id) != graph.outputs.end();
}

// The Conv/Gemm whose output feeds only `graph.nodes[index]` (as its single input), or nullptr.
ir::Node* sole_producer(ir::Graph& graph, int index) {
  const ir::Node& node = graph.nodes[index];
  if (node.inputs.size() != 1) return nullptr;
  const ir::ValueId input = node.inputs[0];
  const int producer = graph.values[input].producer;
  if (producer < 0) return nullptr;
  ir::Node& candidate = graph.nodes[producer];
  if (!candidate.has_weights() || candidate.output != input ||
      candidate.activation.kind != ir::Activation::Kind::None || is_graph_output(graph, input) ||
      graph.consumers(input) != std::vector<int>{index})
    return nullptr;
  return &candidate;
}

// For every node that `merge(producer, node)` absorbs into its sole Conv/Gemm producer, the
// producer takes over the node's output and the node goes away.
template <typename Merge>
void merge_into_producers(ir::Graph& graph, Merge merge) {
  std::vector<bool> merged(graph.nodes.size(), false);
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    ir::Node* producer = sole_producer(graph, static_cast<int>(n));
    if (!producer || !merge(*producer, graph.nodes[n])) continue;
    const int producer_index = graph.values[producer->output].producer;
    graph.values[producer->output].producer = -1;
    producer->output = graph.nodes[n].output;
    graph.values[producer->output].producer = producer_index;
    merged[n] = true;
  }
  std::vector<ir::Node> kept;
  kept.reserve(graph.nodes.size());
  for (std::size_t n = 0; n < graph.nodes.size(); ++n)
    if (!merged[n]) kept.push_back(std::move(graph.nodes[n]));
  graph.nodes = std::move(kept);
  for (ir::Value& value : graph.values) value.producer = -1;
  for (std::size_t n = 0; n < graph.nodes.size(); ++n)
    graph.values[graph.nodes[n].output].producer = static_cast<int>(n);
}

// Scales output channel o of `layer` (rows of its weight) by scale[o] and adds shift[o].
void apply_channel_affine(ir::Node& layer, const ir::Tensor& scale, const ir::Tensor& shift) {
  const std::int64_t channels = layer.weight.shape[0];
  const std::int64_t per_channel = layer.weight.size() / channels;
  for (std::int64_t o = 0; o < channels; ++o) {
    const double factor = scale.data[o];
    for (std::int64_t i = 0; i < per_channel; ++i) {
      float& w = layer.weight.data[o * per_channel + i];
      w = static_cast<float>(w * factor);
    }
    layer.bias.data[o] = static_cast<float>(layer.bias.data[o] * factor + shift.data[o]);
  }
}

}  // namespace

void fold_bias_adds(ir::Graph& graph) {
  merge_into_producers(graph, [&](ir::Node& layer, const ir::Node& add) {
    if (add.op != ir::Op::Add || layer.op != ir::Op::Gemm || add.weight.data.empty()) return false;
    // The constant must broadcast as [N] (or a scalar) without growing the output.
    const ir::Dims& shape = add.weight.shape;
    const auto first = std::find_if(shape.begin(), shape.end(), [](auto d) { return d != 1; });
    const std::int64_t columns = layer.weight.shape[0];
    const bool per_column = first == shape.end() || (first + 1 == shape.end() && *first == columns);
    if (!per_column || graph.shape(add.output) != graph.shape(layer.output)) return false;
    for (std::int64_t n = 0; n < columns; ++n)
      layer.bias.data[n] += add.weight.data[add.weight.size() == 1 ? 0 : n];
    return true;
  });
}

void fold_channel_affines(ir::Graph& graph) {
  merge_into_producers(graph, [&](ir::Node& layer, const ir::Node& affine) {
    if (affine.op != ir::Op::ChannelAffine) return false;
    if (layer.op == ir::Op::Gemm && graph.shape(layer.output).size() != 2) return false;
    apply_channel_affine(layer, affine.weight, affine.bias);
    return true;
  });
}

void fuse_activations(ir::Graph& graph) {
  merge_into_producers(graph, [](ir::Node& layer, const ir::Node& activation) {
    if (activation.op != ir::Op::Relu && activation.op != ir::Op::Clip) return false;
    layer.activation = activation.activation;
    return true;
  });
}

void remove_unused_values(ir::Graph& graph) {
  std::vector<bool> used(graph.values.size(), false);
  for (ir::ValueId id : graph.inputs) used[id] = true;
  for (ir::ValueId id : graph.outputs) used[id] = true;
  for (const ir::Node& node : graph.nodes) {
    used[node.output] = true;
    for (ir::ValueId id : node.inputs) used[id] = true;
  }
  std::vector<ir::ValueId> renumbered(graph.values.size(), -1);
  std::vector<ir::Value> kept;
  for (std::size_t id = 0; id < graph.values.size(); ++id) {
    if (!used[id]) continue;
    renumbered[id] = static_cast<ir::ValueId>(kept.size());
    kept.push_back(std::move(graph.values[id]));
  }
  graph.values = std::move(kept);
  for (ir::ValueId& id : graph.inputs) id = renumbered[id];
  for (ir::ValueId& id : graph.outputs) id = renumbered[id];
  for (ir::Node& node : graph.nodes) {
    node.output = renumbered[node.output];
    for (ir::ValueId& id : node.inputs) id = renumbered[id];
  }
}

}  // namespace pimhls::frontend
