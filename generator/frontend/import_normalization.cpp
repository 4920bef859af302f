// Normalizations by statistics of the input itself, as IR nodes the accelerator already runs:
//   y = scale[c] * (x - m(x)) / sqrt(m((x - m(x))^2) + epsilon) + bias[c]
// with m the mean over each channel's pixels (InstanceNormalization: style-transfer networks of
// the ONNX model zoo, pix2pix and CycleGAN generators; a GlobalAveragePool) or over each
// pixel's channels (LayerNormalization over the channels: ConvNeXt; a 1x1 Conv of 1 / C).
// x - m(x) is a negating table and an Add of the broadcast mean, the squares and
// (v + epsilon)^-1/2 are tables, the product a MUL by the broadcast value, then a ChannelAffine.
#include <functional>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

using Kind = ir::UnaryStep::Kind;

// Adds the mean node of `from` into `into` (suffix names it).
using MeanNode = std::function<void(ir::ValueId from, ir::ValueId into, const char* suffix)>;

// The normalization of input 0 (shape `in`) by means of shape `reduced` into output 0.
void add_normalization(NodeContext& ctx, const ir::Dims& in, const ir::Dims& reduced,
                       const MeanNode& mean_of, float epsilon, ir::Tensor scale, ir::Tensor bias) {
  const ir::ValueId x = ctx.activation(0);
  const ir::ValueId mean = ctx.intermediate_value("mean", reduced);
  const ir::ValueId negated = ctx.intermediate_value("negated_mean", reduced);
  const ir::ValueId centered = ctx.intermediate_value("centered", in);
  const ir::ValueId square = ctx.intermediate_value("square", in);
  const ir::ValueId variance = ctx.intermediate_value("variance", reduced);
  const ir::ValueId inverse = ctx.intermediate_value("inverse_deviation", reduced);
  const ir::ValueId normalized = ctx.intermediate_value("normalized", in);
  mean_of(x, mean, "mean");
  ctx.add_node(ir::Op::Unary, {mean}, negated, "negate").unary.steps = {{Kind::Affine, -1, 0}};
  ctx.add_node(ir::Op::Add, {x, negated}, centered, "center");
  ctx.add_node(ir::Op::Unary, {centered}, square, "square").unary.steps = {{Kind::Power, 2, 0}};
  mean_of(square, variance, "variance");
  ctx.add_node(ir::Op::Unary, {variance}, inverse, "inverse_deviation").unary.steps = {
      {Kind::Affine, 1, epsilon}, {Kind::Power, -0.5f, 0}};
  ctx.add_node(ir::Op::Mul, {centered, inverse}, normalized, "normalize");
  ir::Node& affine = ctx.add_node(ir::Op::ChannelAffine, {normalized}, ctx.output_value(0, in));
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

}  // namespace

void lower_instance_normalization(NodeContext& ctx) {
  const ir::Dims in = nchw_map(ctx);
  ir::Tensor scale = per_channel(ctx, 1, in[1], 1.0f);
  ir::Tensor bias = per_channel(ctx, 2, in[1], 0.0f);
  add_normalization(
      ctx, in, {in[0], in[1], 1, 1},
      [&](ir::ValueId from, ir::ValueId into, const char* suffix) {
        ctx.add_node(ir::Op::GlobalAveragePool, {from}, into, suffix);
      },
      epsilon_of(ctx), std::move(scale), std::move(bias));
}

void lower_channel_layer_normalization(NodeContext& ctx) {
  const ir::Dims in = nchw_map(ctx);
  for (std::size_t i = 1; i < ctx.output_count(); ++i)
    if (ctx.output_used(i))
      fail(
          "output {} ('{}', the mean or inverse deviation) is used; only the normalized output "
          "is supported",
          i, ctx.node().output(static_cast<int>(i)));
  const std::int64_t channels = in[1];
  ir::Tensor scale = per_channel(ctx, 1, channels, 1.0f);
  ir::Tensor bias = per_channel(ctx, 2, channels, 0.0f);
  add_normalization(
      ctx, in, {in[0], 1, in[2], in[3]},
      [&](ir::ValueId from, ir::ValueId into, const char* suffix) {
        ir::Node& conv = ctx.add_node(ir::Op::Conv, {from}, into, suffix);
        conv.weight = {{1, channels, 1, 1},
                       std::vector<float>(static_cast<std::size_t>(channels),
                                          1.0f / static_cast<float>(channels))};
        conv.bias = {{1}, {0.0f}};
      },
      epsilon_of(ctx), std::move(scale), std::move(bias));
}

void lower_layer_normalization(NodeContext& ctx) {
  fail(
      "LayerNormalization of '{}' ({}) over axis {} is not supported; only over the channels of a "
      "map transposed to NHWC, up to its Transpose back (ConvNeXt)",
      ctx.input_name(0), ir::format_dims(ctx.input_shape(0)),
      int_attribute(ctx.node(), "axis", -1));
}

}  // namespace pimhls::frontend
