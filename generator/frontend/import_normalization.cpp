// Normalizations by statistics of the input itself, as IR nodes the accelerator already runs:
//   y = scale[c] * (x - m(x)) / sqrt(m((x - m(x))^2) + epsilon) + bias[c]
// with m the mean over each channel's pixels (InstanceNormalization: style-transfer networks of
// the ONNX model zoo, pix2pix and CycleGAN generators; a GlobalAveragePool), over each group of
// channels' pixels (GroupNorm: the pool, then a grouped 1x1 Conv) or over each pixel's channels
// (LayerNormalization over the channels: ConvNeXt; a 1x1 Conv of 1 / C; over the features of an
// [N, D] vector: a Gemm of 1 / D).
// x - m(x) is a negating table and an Add of the broadcast mean, the squares and
// (v + epsilon)^-1/2 are tables, the product a MUL by the broadcast value, then a ChannelAffine.
#include <functional>

#include "frontend/graph_builder.h"
#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

using Kind = ir::UnaryStep::Kind;

// Adds the mean node of `from` into `into` (suffix names it).
using MeanNode = std::function<void(ir::ValueId from, ir::ValueId into, const char* suffix)>;

// The normalization of map x (shape `in`) by means of shape `reduced` into `output`.
void add_normalization(NodeContext& ctx, ir::ValueId x, const ir::Dims& in, ir::ValueId output,
                       const ir::Dims& reduced, const MeanNode& mean_of, float epsilon,
                       ir::Tensor scale, ir::Tensor bias) {
  const ir::ValueId mean = ctx.intermediate_value("mean", reduced);
  const ir::ValueId centered = ctx.intermediate_value("centered", in);
  const ir::ValueId square = ctx.intermediate_value("square", in);
  const ir::ValueId variance = ctx.intermediate_value("variance", reduced);
  const ir::ValueId inverse = ctx.intermediate_value("inverse_deviation", reduced);
  const ir::ValueId normalized = ctx.intermediate_value("normalized", in);
  mean_of(x, mean, "mean");
  ctx.add_node(ir::Op::Add, {x, mean}, centered, "center").subtract = true;
  ctx.add_node(ir::Op::Unary, {centered}, square, "square").unary.steps = {{Kind::Power, 2, 0}};
  mean_of(square, variance, "variance");
  ctx.add_node(ir::Op::Unary, {variance}, inverse, "inverse_deviation").unary.steps = {
      {Kind::Affine, 1, epsilon}, {Kind::Power, -0.5f, 0}};
  ctx.add_node(ir::Op::Mul, {centered, inverse}, normalized, "normalize");
  ir::Node& affine = ctx.add_node(ir::Op::ChannelAffine, {normalized}, output);
  affine.weight = std::move(scale);
  affine.bias = std::move(bias);
  affine.weight.shape = affine.bias.shape = {in[1]};
}

// Constant input i as one value per channel, or `fallback` (all of it) when absent.
ir::Tensor per_channel(NodeContext& ctx, std::size_t i, std::int64_t channels, float fallback) {
  if (!ctx.has_input(i))
    return {{channels}, std::vector<float>(static_cast<std::size_t>(channels), fallback)};
  if (ctx.constant(i).count() != channels)
    fail("input '{}' has shape {}, expected {} (one value per channel)", ctx.input_name(i),
         ir::format_dims(ctx.constant(i).shape), channels);
  return ctx.take_constant(i).to_tensor();
}

float epsilon_of(const NodeContext& ctx) {
  const float epsilon = float_attribute(ctx.node(), "epsilon", 1e-5f);
  if (!(epsilon >= 0)) fail("attribute 'epsilon' = {} is negative", epsilon);
  return epsilon;
}

ir::Dims nchw_map(const NodeContext& ctx) {
  const ir::Dims in = ctx.input_shape(0);
  if (in.size() != 4)
    fail("input '{}' has shape {}; only NCHW (4-D) maps are normalized", ctx.input_name(0),
         ir::format_dims(in));
  return in;
}

// GroupNorm as PyTorch exports it: the map [N, C, H, W] reshaped to [N, G, C/G*H*W],
// InstanceNormalization of that (scale and B per group), reshaped back. The groups' means are
// the channels' means (GlobalAveragePool) averaged over each group by a grouped 1x1 Conv whose
// k = C/G outputs per group all read the group's k channels (the mean for every channel); the
// result is a view of the normalized map.
void lower_group_normalization(NodeContext& ctx, const ir::Dims& grouped) {
  const ir::ValueId x3 = ctx.activation(0);
  ir::ValueId root = x3;
  find_view(ctx.graph(), x3, {}, root);  // the value before the chain of Reshapes
  const ir::Dims in = ctx.graph().shape(root);
  const std::int64_t groups = grouped[1];
  if (in.size() != 4 || in[0] != grouped[0] || in[1] % groups != 0 ||
      in[1] / groups * in[2] * in[3] != grouped[2])
    fail(
        "input '{}' of shape {} is not an NCHW map [N, C, H, W] reshaped to [N, G, C/G*H*W] "
        "(GroupNorm as PyTorch exports it); only 4-D maps and such groups are normalized",
        ctx.input_name(0), ir::format_dims(grouped));
  const std::int64_t k = in[1] / groups;
  const ir::Tensor group_scale = per_channel(ctx, 1, groups, 1.0f);
  const ir::Tensor group_bias = per_channel(ctx, 2, groups, 0.0f);
  ir::Tensor scale{{in[1]}, {}}, bias{{in[1]}, {}};
  for (std::int64_t c = 0; c < in[1]; ++c) {
    scale.data.push_back(group_scale.data[static_cast<std::size_t>(c / k)]);
    bias.data.push_back(group_bias.data[static_cast<std::size_t>(c / k)]);
  }
  const ir::Dims per_channel_shape{in[0], in[1], 1, 1};
  const ir::ValueId normalized = ctx.intermediate_value("groups", in);
  add_normalization(
      ctx, root, in, normalized, per_channel_shape,
      [&](ir::ValueId from, ir::ValueId into, const char* suffix) {
        const ir::ValueId channels =
            ctx.intermediate_value(fmt::format("{}_per_channel", suffix), per_channel_shape);
        ctx.add_node(ir::Op::GlobalAveragePool, {from}, channels,
                     fmt::format("{}_per_channel", suffix));
        ir::Node& conv = ctx.add_node(ir::Op::Conv, {channels}, into, suffix);
        conv.window.group = groups;
        conv.weight = {
            {in[1], k, 1, 1},
            std::vector<float>(static_cast<std::size_t>(in[1] * k), 1.0f / static_cast<float>(k))};
        conv.bias = zeros(in[1]);
      },
      epsilon_of(ctx), std::move(scale), std::move(bias));
  ctx.define_view(0, normalized, grouped);
}

}  // namespace

void lower_instance_normalization(NodeContext& ctx) {
  if (ctx.input_shape(0).size() == 3) return lower_group_normalization(ctx, ctx.input_shape(0));
  const ir::Dims in = nchw_map(ctx);
  ir::Tensor scale = per_channel(ctx, 1, in[1], 1.0f);
  ir::Tensor bias = per_channel(ctx, 2, in[1], 0.0f);
  add_normalization(
      ctx, ctx.activation(0), in, ctx.output_value(0, in), {in[0], in[1], 1, 1},
      [&](ir::ValueId from, ir::ValueId into, const char* suffix) {
        ctx.add_node(ir::Op::GlobalAveragePool, {from}, into, suffix);
      },
      epsilon_of(ctx), std::move(scale), std::move(bias));
}

namespace {

// LayerNormalization over the channels of `in` with the means `mean_of` makes (of shape
// `reduced`); only the normalized output may be read.
void add_layer_normalization(NodeContext& ctx, const ir::Dims& in, const ir::Dims& reduced,
                             const MeanNode& mean_of) {
  for (std::size_t i = 1; i < ctx.output_count(); ++i)
    if (ctx.output_used(i))
      fail(
          "output {} ('{}', the mean or inverse deviation) is used; only the normalized output "
          "is supported",
          i, ctx.node().output(static_cast<int>(i)));
  ir::Tensor scale = per_channel(ctx, 1, in[1], 1.0f);
  ir::Tensor bias = per_channel(ctx, 2, in[1], 0.0f);
  add_normalization(ctx, ctx.activation(0), in, ctx.output_value(0, in), reduced, mean_of,
                    epsilon_of(ctx), std::move(scale), std::move(bias));
}

// The channel mean (the channel sum of weights 1 / C, import_ops.h).
MeanNode channel_mean(NodeContext& ctx, const ir::Dims& in) {
  return [&ctx, in](ir::ValueId from, ir::ValueId into, const char* suffix) {
    ir::Node& node = ctx.add_node(channel_sum_op(in), {from}, into, suffix);
    set_channel_sum_weights(node, in, 1.0f / static_cast<float>(in[1]));
  };
}

}  // namespace

void lower_channel_layer_normalization(NodeContext& ctx) {
  const ir::Dims in = nchw_map(ctx);
  add_layer_normalization(ctx, in, {in[0], 1, in[2], in[3]}, channel_mean(ctx, in));
}

void lower_layer_normalization(NodeContext& ctx) {
  const ir::Dims in = ctx.input_shape(0);
  const std::int64_t axis = int_attribute(ctx.node(), "axis", -1);
  // An [N, D] vector over D (an MLP's, or a classifier head's after pooling): D are channels.
  if (in.size() == 2 && normalize_axis(axis, 2) == 1)
    return add_layer_normalization(ctx, in, {in[0], 1}, channel_mean(ctx, in));
  fail(
      "LayerNormalization of '{}' ({}) over axis {} is not supported; only over the features of "
      "an [N, D] vector and over the channels of a map transposed to channels-last ([N, H, W, C] "
      "or [N, L, C], a graph input too), read only by nodes that can read such a view up to its "
      "Transpose back (ConvNeXt, wav2vec2)",
      ctx.input_name(0), ir::format_dims(in), axis);
}

}  // namespace pimhls::frontend
