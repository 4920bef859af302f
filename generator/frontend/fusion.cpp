#include "frontend/fusion.h"

#include <algorithm>
#include <limits>

namespace pimhls::frontend {
namespace {

// A Conv/Gemm with no fused activation yet: what BN, bias and activation merges absorb into.
bool is_plain_layer(const ir::Node& node) {
  return node.has_weights() && node.activation.kind == ir::Activation::Kind::None;
}

// A Unary without times_input: its steps can be followed by further steps.
bool is_plain_unary(const ir::Node& node) {
  return node.op == ir::Op::Unary && !node.unary.times_input && node.inputs.size() == 1;
}

// The node whose output feeds only `graph.nodes[index]` (as its single input) and is not a
// graph output, or nullptr.
ir::Node* sole_producer(ir::Graph& graph, int index) {
  const ir::Node& node = graph.nodes[index];
  if (node.inputs.size() != 1) return nullptr;
  const ir::ValueId input = node.inputs[0];
  const int producer = graph.values[input].producer;
  if (producer < 0) return nullptr;
  ir::Node& candidate = graph.nodes[producer];
  if (candidate.output != input || graph.is_output(input) ||
      graph.consumers(input) != std::vector<int>{index})
    return nullptr;
  return &candidate;
}

// Drops the nodes marked in `removed` and sets Value::producer for the rest.
void erase_nodes(ir::Graph& graph, const std::vector<bool>& removed) {
  std::vector<ir::Node> kept;
  kept.reserve(graph.nodes.size());
  for (std::size_t n = 0; n < graph.nodes.size(); ++n)
    if (!removed[n]) kept.push_back(std::move(graph.nodes[n]));
  graph.nodes = std::move(kept);
  for (ir::Value& value : graph.values) value.producer = -1;
  for (std::size_t n = 0; n < graph.nodes.size(); ++n)
    graph.values[graph.nodes[n].output].producer = static_cast<int>(n);
}

// For every node that `merge(producer, node)` absorbs into its sole producer, the producer
// takes over the node's output and the node goes away. `merge` decides which producers qualify.
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
  erase_nodes(graph, merged);
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

// clamp(clamp(x, first), second) as one clamp (ReLU when it is [0, inf); `first` may be none);
// nullopt when the ranges do not overlap (the result is then a constant).
std::optional<ir::Activation> compose_clamps(const ir::Activation& first,
                                             const ir::Activation& second) {
  using Kind = ir::Activation::Kind;
  if (first.kind == Kind::None) return second;
  const float min = std::max(first.min, second.min), max = std::min(first.max, second.max);
  if (min > max) return std::nullopt;
  const bool relu = min == 0.0f && max == std::numeric_limits<float>::infinity();
  return ir::Activation{relu ? Kind::Relu : Kind::Clip, min, max};
}

}  // namespace

void fold_bias_adds(ir::Graph& graph) {
  merge_into_producers(graph, [&](ir::Node& layer, const ir::Node& add) {
    const bool affine =
        layer.op == ir::Op::ChannelAffine && layer.activation.kind == ir::Activation::Kind::None;
    if (add.op != ir::Op::Add || add.subtract || add.weight.data.empty() ||
        !(affine || is_plain_layer(layer)))
      return false;
    // The constant must broadcast as one value per output channel (or a scalar) without growing
    // the output: [N] after a Gemm, [K, 1, 1] after a Conv (a Linear on a channels-last view) or
    // a ChannelAffine (LayerNorm's scale and shift as opsets before 17 write them).
    const ir::Dims& out = graph.shape(layer.output);
    ir::Dims shape = add.weight.shape;
    if (shape.size() > out.size() || graph.shape(add.output) != out) return false;
    shape.insert(shape.begin(), out.size() - shape.size(), 1);
    const std::size_t channel_axis = layer.op == ir::Op::Gemm ? out.size() - 1 : 1;
    const auto columns = static_cast<std::int64_t>(layer.bias.data.size());
    if (columns == 0 || out.at(channel_axis) != columns) return false;
    for (std::size_t axis = 0; axis < shape.size(); ++axis)
      if (shape[axis] != 1 && (axis != channel_axis || shape[axis] != columns)) return false;
    for (std::int64_t n = 0; n < columns; ++n)
      layer.bias.data[n] += add.weight.data[add.weight.size() == 1 ? 0 : n];
    return true;
  });
}

void fold_gathers_into_gemms(ir::Graph& graph) {
  std::vector<bool> folded(graph.nodes.size(), false);
  for (ir::Node& layer : graph.nodes) {
    if (layer.op != ir::Op::Gemm || layer.inputs.size() != 1) continue;
    const int g = graph.value(layer.inputs[0]).producer;
    if (g < 0) continue;
    const int layer_index = graph.values[layer.output].producer;
    const ir::Node& gather = graph.nodes[static_cast<std::size_t>(g)];
    if (gather.op != ir::Op::ChannelGather || graph.is_output(gather.output) ||
        graph.consumers(gather.output) != std::vector<int>{layer_index})
      continue;
    const ir::Dims& in = graph.shape(gather.inputs[0]);
    const ir::Dims& out = graph.shape(gather.output);
    if (in.size() != 2 || out.size() != 2) continue;  // features of a matrix [M, K]
    // y = W g with g[k] = x[source[k]]: y = W' x with W'[:, source[k]] += W[:, k].
    const std::int64_t rows = layer.weight.shape[0], k_out = out[1], k_in = in[1];
    std::vector<float> weight(static_cast<std::size_t>(rows * k_in), 0.0f);
    for (std::int64_t n = 0; n < rows; ++n)
      for (std::int64_t k = 0; k < k_out; ++k)
        weight[static_cast<std::size_t>(n * k_in + gather.source_channels[k])] +=
            layer.weight.data[static_cast<std::size_t>(n * k_out + k)];
    layer.weight = ir::Tensor{{rows, k_in}, std::move(weight)};
    layer.inputs[0] = gather.inputs[0];
    folded[static_cast<std::size_t>(g)] = true;
  }
  erase_nodes(graph, folded);
}

void fold_channel_affines(ir::Graph& graph) {
  merge_into_producers(graph, [&](ir::Node& layer, const ir::Node& affine) {
    if (affine.op != ir::Op::ChannelAffine || !is_plain_layer(layer)) return false;
    if (layer.op == ir::Op::Gemm && graph.shape(layer.output).size() != 2) return false;
    apply_channel_affine(layer, affine.weight, affine.bias);
    return true;
  });
}

void fuse_activations(ir::Graph& graph) {
  merge_into_producers(graph, [](ir::Node& layer, const ir::Node& activation) {
    const auto is_clamp = [](const ir::Node& node) {
      return node.op == ir::Op::Relu || node.op == ir::Op::Clip;
    };
    const bool arithmetic = layer.op == ir::Op::Add || layer.op == ir::Op::Mul;
    if (!is_clamp(activation) || (!layer.has_weights() && !is_clamp(layer) && !arithmetic))
      return false;
    const std::optional<ir::Activation> both =
        compose_clamps(layer.activation, activation.activation);
    if (!both) return false;
    layer.activation = *both;
    if (is_clamp(layer))
      layer.op = both->kind == ir::Activation::Kind::Relu ? ir::Op::Relu : ir::Op::Clip;
    return true;
  });
}

namespace {

bool all_equal(const std::vector<float>& values) {
  return !values.empty() &&
         std::all_of(values.begin(), values.end(), [&](float v) { return v == values[0]; });
}

// The steps of a node inside an element-wise chain: a plain Unary's, or one Affine step for a
// ChannelAffine or an Add of a constant that is the same for every element (Div by sqrt(2),
// Add of 1 in GELU). nullopt for anything else.
std::optional<std::vector<ir::UnaryStep>> chain_steps(const ir::Graph& graph,
                                                      const ir::Node& node) {
  if (is_plain_unary(node)) return node.unary.steps;
  if (node.inputs.size() != 1 || graph.shape(node.output) != graph.shape(node.inputs[0]) ||
      node.activation.kind != ir::Activation::Kind::None)
    return std::nullopt;
  if (node.op == ir::Op::ChannelAffine && all_equal(node.weight.data) && all_equal(node.bias.data))
    return std::vector{
        ir::UnaryStep{ir::UnaryStep::Kind::Affine, node.weight.data[0], node.bias.data[0]}};
  if (node.op == ir::Op::Add && all_equal(node.weight.data))
    return std::vector{ir::UnaryStep{ir::UnaryStep::Kind::Affine, node.subtract ? -1.0f : 1.0f,
                                     node.weight.data[0]}};
  return std::nullopt;
}

}  // namespace

std::optional<ir::Unary> times_input_unary(const ir::Graph& graph, ir::ValueId x,
                                           ir::ValueId gate) {
  std::vector<std::vector<ir::UnaryStep>> chain;  // from `gate` back to the node reading x
  bool any_function = false;
  for (ir::ValueId value = gate; value != x;) {
    const int producer = graph.value(value).producer;
    if (producer < 0) return std::nullopt;
    const ir::Node& node = graph.nodes.at(static_cast<std::size_t>(producer));
    std::optional<std::vector<ir::UnaryStep>> steps = chain_steps(graph, node);
    if (!steps || node.output != value) return std::nullopt;
    any_function = any_function || node.op == ir::Op::Unary;
    chain.push_back(std::move(*steps));
    value = node.inputs[0];
  }
  if (!any_function) return std::nullopt;  // x * x, or x times an affine map of x
  ir::Unary unary;
  for (auto steps = chain.rbegin(); steps != chain.rend(); ++steps)
    unary.steps.insert(unary.steps.end(), steps->begin(), steps->end());
  unary.times_input = true;
  return unary;
}

void remove_unread_nodes(ir::Graph& graph) {
  std::vector<int> readers(graph.values.size(), 0);
  for (ir::ValueId id : graph.outputs) ++readers[id];
  for (const ir::Node& node : graph.nodes)
    for (ir::ValueId id : node.inputs) ++readers[id];
  std::vector<bool> removed(graph.nodes.size(), false);
  bool any = false;
  // Backwards (the nodes are in topological order): a chain of them goes in one sweep.
  for (std::size_t n = graph.nodes.size(); n-- > 0;) {
    const ir::Node& node = graph.nodes[n];
    const bool element_wise = node.op == ir::Op::Unary || node.op == ir::Op::ChannelAffine ||
                              (node.op == ir::Op::Add && node.inputs.size() == 1);
    const bool view = node.op == ir::Op::Reshape || node.op == ir::Op::Flatten;
    if (!(element_wise || view) || readers[node.output] > 0) continue;
    removed[n] = any = true;
    for (ir::ValueId id : node.inputs) --readers[id];
  }
  if (any) erase_nodes(graph, removed);
}

void compose_unaries(ir::Graph& graph) {
  merge_into_producers(graph, [](ir::Node& first, const ir::Node& second) {
    if (!is_plain_unary(first) || !is_plain_unary(second)) return false;
    first.unary.steps.insert(first.unary.steps.end(), second.unary.steps.begin(),
                             second.unary.steps.end());
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
