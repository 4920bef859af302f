#include "quant/int_reference.h"

#include <Eigen/Core>
#include <cmath>
#include <optional>

#include "ir/border_pad.h"
#include "ir/channel_gather.h"
#include "ir/channel_max.h"
#include "ir/upsample.h"
#include "quant/int_ops.h"
#include "util/error.h"

namespace pimhls::quant {
namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::string describe(const ir::Node& node) {
  return fmt::format("node '{}' ({})", node.name, ir::op_name(node.op));
}

std::int32_t requantize(const QuantNode& quant, std::size_t channel, std::int64_t accumulator) {
  const std::int64_t value = quant.requant[channel].apply(accumulator + quant.bias[channel]);
  return static_cast<std::int32_t>(
      std::clamp<std::int64_t>(value, quant.clamp_min, quant.clamp_max));
}

IntTensor conv(int index, const QuantizedGraph& graph, const IntTensor& input,
               const ir::Dims& output_shape, MatrixEngine& engine) {
  const ir::Node& node = graph.graph.nodes[static_cast<std::size_t>(index)];
  const QuantNode& quant = graph.nodes[static_cast<std::size_t>(index)];
  const ir::Window& window = node.window;
  const ir::Dims& weight = node.weight.shape;  // [Cout, Cin/group, kh, kw]
  if (input.shape.size() != 4 || output_shape.size() != 4 || weight.size() != 4 ||
      window.group < 1 || input.shape[1] != weight[1] * window.group ||
      output_shape[1] != weight[0] || weight[0] % window.group != 0 ||
      weight[2] != window.kernel_h || weight[3] != window.kernel_w)
    fail("{}: input {}, weight {}, group {} and output {} do not agree", describe(node),
         ir::format_dims(input.shape), ir::format_dims(weight), window.group,
         ir::format_dims(output_shape));
  const std::int64_t batch = input.shape[0], in_channels = input.shape[1];
  const std::int64_t in_h = input.shape[2], in_w = input.shape[3];
  const std::int64_t out_channels = output_shape[1], out_h = output_shape[2],
                     out_w = output_shape[3];
  // A block of consecutive groups reads consecutive input channels: one im2col for all.
  const std::int64_t block = engine.groups_per_multiply(index);
  if (block < 1 || window.group % block != 0)
    fail("{}: {} groups cannot be computed {} at a time", describe(node), window.group, block);
  const std::int64_t block_in = block * weight[1], block_out = block * out_channels / window.group;
  const std::int64_t rows = block_in * window.kernel_h * window.kernel_w;
  const std::int64_t vectors = out_h * out_w;
  std::vector<std::int32_t> patches(static_cast<std::size_t>(rows * vectors));
  std::vector<std::int64_t> sums(static_cast<std::size_t>(block_out * vectors));
  IntTensor output{output_shape, std::vector<std::int32_t>(
                                     static_cast<std::size_t>(ir::element_count(output_shape)))};
  for (std::int64_t n = 0; n < batch; ++n) {
    for (std::int64_t b = 0; b < window.group / block; ++b) {
      im2col(input.data.data() + (n * in_channels + b * block_in) * in_h * in_w, block_in, in_h,
             in_w, window, out_h, out_w, patches.data());
      engine.multiply(index, b, patches, vectors, sums);
      for (std::int64_t c = 0; c < block_out; ++c) {
        const std::int64_t channel = b * block_out + c;
        std::int32_t* target = output.data.data() + (n * out_channels + channel) * vectors;
        for (std::int64_t v = 0; v < vectors; ++v)
          target[v] = requantize(quant, static_cast<std::size_t>(channel),
                                 sums[static_cast<std::size_t>(c * vectors + v)]);
      }
    }
  }
  return output;
}

IntTensor gemm(int index, const QuantizedGraph& graph, const IntTensor& input,
               const ir::Dims& output_shape, MatrixEngine& engine) {
  const ir::Node& node = graph.graph.nodes[static_cast<std::size_t>(index)];
  const QuantNode& quant = graph.nodes[static_cast<std::size_t>(index)];
  const ir::Dims& weight = node.weight.shape;  // [N, K]
  if (input.shape.empty() || weight.size() != 2 || input.shape.back() != weight[1] ||
      output_shape.empty() || output_shape.back() != weight[0])
    fail("{}: input {}, weight {} and output {} do not agree", describe(node),
         ir::format_dims(input.shape), ir::format_dims(weight), ir::format_dims(output_shape));
  const std::int64_t depth = weight[1], outputs = weight[0];
  const std::int64_t vectors = input.size() / depth;
  std::vector<std::int32_t> patches(static_cast<std::size_t>(depth * vectors));
  for (std::int64_t v = 0; v < vectors; ++v)
    for (std::int64_t k = 0; k < depth; ++k)
      patches[static_cast<std::size_t>(k * vectors + v)] =
          input.data[static_cast<std::size_t>(v * depth + k)];
  std::vector<std::int64_t> sums(static_cast<std::size_t>(outputs * vectors));
  engine.multiply(index, 0, patches, vectors, sums);
  IntTensor output{output_shape,
                   std::vector<std::int32_t>(static_cast<std::size_t>(outputs * vectors))};
  for (std::int64_t v = 0; v < vectors; ++v)
    for (std::int64_t n = 0; n < outputs; ++n)
      output.data[static_cast<std::size_t>(v * outputs + n)] = requantize(
          quant, static_cast<std::size_t>(n), sums[static_cast<std::size_t>(n * vectors + v)]);
  return output;
}

IntTensor run_node(int index, const QuantizedGraph& graph, std::span<const IntTensor* const> inputs,
                   MatrixEngine& engine) {
  const ir::Node& node = graph.graph.nodes[static_cast<std::size_t>(index)];
  const QuantNode& quant = graph.nodes[static_cast<std::size_t>(index)];
  const ir::Dims& shape = graph.graph.shape(node.output);
  if (inputs.empty()) fail("{}: has no input", describe(node));
  switch (node.op) {
    case ir::Op::Conv: return conv(index, graph, *inputs[0], shape, engine);
    case ir::Op::Gemm: return gemm(index, graph, *inputs[0], shape, engine);
    case ir::Op::Relu:
    case ir::Op::Clip: return clamp_codes(quant, *inputs[0]);
    case ir::Op::MaxPool: return max_pool(node, quant, *inputs[0], shape);
    case ir::Op::ChannelGather:
      return IntTensor{shape, ir::channel_gather(node, inputs[0]->data, inputs[0]->shape, shape)};
    case ir::Op::ChannelMax:
      return IntTensor{shape, ir::channel_max(node, inputs[0]->data, inputs[0]->shape, shape)};
    case ir::Op::Upsample:
    case ir::Op::ZeroInsert:
      return IntTensor{shape, ir::upsample(node, inputs[0]->data, inputs[0]->shape, shape)};
    case ir::Op::BorderPad:
      return IntTensor{shape, ir::border_pad(node, inputs[0]->data, inputs[0]->shape, shape)};
    case ir::Op::Resample: return resample(node, quant, *inputs[0], shape);
    case ir::Op::AveragePool: return average_pool(node, quant, *inputs[0], shape);
    case ir::Op::GlobalAveragePool: return global_average_pool(quant, *inputs[0], shape);
    case ir::Op::Add:
      return add(node, quant, *inputs[0], inputs.size() > 1 ? inputs[1] : nullptr, shape);
    case ir::Op::Mul:
      if (inputs.size() != 2) fail("{}: needs two inputs", describe(node));
      return multiply(node, quant, *inputs[0], *inputs[1], shape);
    case ir::Op::Concat: return concat(node, quant, inputs, shape);
    case ir::Op::Flatten:
    case ir::Op::Reshape: return IntTensor{shape, inputs[0]->data};
    case ir::Op::ChannelAffine: return channel_affine(quant, *inputs[0], shape);
    case ir::Op::Unary:
      return lookup_codes(quant, graph.values[static_cast<std::size_t>(node.inputs[0])],
                          *inputs[0]);
    case ir::Op::Softmax:
    case ir::Op::LogSoftmax:
    case ir::Op::ArgMax:
      return host_op(node, graph.values[static_cast<std::size_t>(node.inputs[0])],
                     graph.values[static_cast<std::size_t>(node.output)], *inputs[0], shape);
  }
  fail("{}: no integer kernel", describe(node));
}

}  // namespace

// The sums are formed in double precision: every product and partial sum is an integer below
// 2^53 (quantize() bounds them by 2^(accumulator_bits-1)), so each one is exact whatever the
// order of summation, and the result equals integer arithmetic bit for bit while using the
// fast floating-point GEMM.
void ExactEngine::multiply(int node_index, std::int64_t group,
                           std::span<const std::int32_t> patches, std::int64_t vectors,
                           std::span<std::int64_t> accumulators) {
  const ir::Node& node = graph_.graph.nodes[static_cast<std::size_t>(node_index)];
  const QuantNode& quant = graph_.nodes[static_cast<std::size_t>(node_index)];
  const std::int64_t groups = node.op == ir::Op::Conv ? node.window.group : 1;
  const std::int64_t outputs = node.weight.shape[0] / groups;
  const std::int64_t rows = static_cast<std::int64_t>(quant.weight.size()) / node.weight.shape[0];
  if (weights_node_ != node_index) {
    weights_.assign(quant.weight.begin(), quant.weight.end());
    weights_node_ = node_index;
  }
  const std::vector<double> inputs(patches.begin(), patches.end());
  const RowMajor product =
      Eigen::Map<const RowMajor>(weights_.data() + group * outputs * rows, outputs, rows) *
      Eigen::Map<const RowMajor>(inputs.data(), rows, vectors);
  for (std::int64_t i = 0; i < outputs * vectors; ++i)
    accumulators[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(product.data()[i]);
}

IntResult run_quantized(const QuantizedGraph& graph, const std::vector<ir::Tensor>& inputs,
                        MatrixEngine& engine, const IntObserver& observer) {
  const ir::Graph& g = graph.graph;
  if (inputs.size() != g.inputs.size())
    fail("graph '{}' has {} input(s), {} tensor(s) given", g.name, g.inputs.size(), inputs.size());
  std::vector<int> last_reader(g.values.size(), -1);
  for (std::size_t n = 0; n < g.nodes.size(); ++n)
    for (ir::ValueId id : g.nodes[n].inputs)
      last_reader[static_cast<std::size_t>(id)] = static_cast<int>(n);
  for (ir::ValueId id : g.outputs)
    last_reader[static_cast<std::size_t>(id)] = static_cast<int>(g.nodes.size());

  std::vector<std::optional<IntTensor>> values(g.values.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const ir::Value& value = g.value(g.inputs[i]);
    if (inputs[i].shape != value.shape || inputs[i].size() != ir::element_count(value.shape))
      fail("input '{}': the graph expects shape {}, the tensor given has shape {}", value.name,
           ir::format_dims(value.shape), ir::format_dims(inputs[i].shape));
    values[static_cast<std::size_t>(g.inputs[i])] =
        quantize_tensor(inputs[i], graph.values[static_cast<std::size_t>(g.inputs[i])]);
  }
  std::vector<const IntTensor*> operands;
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    const ir::Node& node = g.nodes[n];
    operands.clear();
    for (ir::ValueId id : node.inputs) {
      const std::optional<IntTensor>& value = values.at(static_cast<std::size_t>(id));
      if (!value)
        fail("{} reads '{}' before any node computed it", describe(node), g.value(id).name);
      operands.push_back(&*value);
    }
    IntTensor output = run_node(static_cast<int>(n), graph, operands, engine);
    if (observer) observer(static_cast<int>(n), output);
    values.at(static_cast<std::size_t>(node.output)) = std::move(output);
    for (ir::ValueId id : node.inputs)
      if (last_reader[static_cast<std::size_t>(id)] == static_cast<int>(n))
        values[static_cast<std::size_t>(id)].reset();
  }
  IntResult result;
  for (ir::ValueId id : g.outputs) {
    const std::optional<IntTensor>& value = values.at(static_cast<std::size_t>(id));
    if (!value) fail("graph output '{}' is computed by no node", g.value(id).name);
    result.outputs.push_back(*value);
    result.dequantized.push_back(
        dequantize_tensor(*value, graph.values[static_cast<std::size_t>(id)]));
  }
  return result;
}

IntResult run_int(const QuantizedGraph& graph, const std::vector<ir::Tensor>& inputs,
                  const IntObserver& observer) {
  ExactEngine engine(graph);
  return run_quantized(graph, inputs, engine, observer);
}

}  // namespace pimhls::quant
