// InstanceNormalization (style-transfer networks of the ONNX model zoo, pix2pix and CycleGAN
// generators) as IR nodes the accelerator already runs: every channel of every sample is
// normalized over its pixels,
//   y = scale[c] * (x - mean) / sqrt(variance + epsilon) + B[c]
// mean = GlobalAveragePool(x); x - mean (a negating table, then an Add of a value per channel);
// variance = GlobalAveragePool of the squares (a table); (variance + epsilon)^-1/2 (a table);
// the product (a MUL by a value per channel) and a ChannelAffine of scale and B.
#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {

void lower_instance_normalization(NodeContext& ctx) {
  using Kind = ir::UnaryStep::Kind;
  const ir::Dims in = ctx.input_shape(0);
  if (in.size() != 4)
    fail("input '{}' has shape {}; only NCHW (4-D) inputs are normalized", ctx.input_name(0),
         ir::format_dims(in));
  const std::int64_t channels = in[1];
  for (std::size_t i = 1; i <= 2; ++i)
    if (ctx.constant(i).count() != channels)
      fail("input '{}' has shape {}, expected {} (one value per channel)", ctx.input_name(i),
           ir::format_dims(ctx.constant(i).shape), channels);
  const float epsilon = float_attribute(ctx.node(), "epsilon", 1e-5f);
  if (!(epsilon >= 0)) fail("attribute 'epsilon' = {} is negative", epsilon);

  const ir::Dims per_channel{in[0], channels, 1, 1};
  const ir::ValueId x = ctx.activation(0);
  const ir::ValueId mean = ctx.intermediate_value("mean", per_channel);
  const ir::ValueId negated = ctx.intermediate_value("negated_mean", per_channel);
  const ir::ValueId centered = ctx.intermediate_value("centered", in);
  const ir::ValueId square = ctx.intermediate_value("square", in);
  const ir::ValueId variance = ctx.intermediate_value("variance", per_channel);
  const ir::ValueId inverse = ctx.intermediate_value("inverse_deviation", per_channel);
  const ir::ValueId normalized = ctx.intermediate_value("normalized", in);
  ctx.add_node(ir::Op::GlobalAveragePool, {x}, mean, "mean");
  ctx.add_node(ir::Op::Unary, {mean}, negated, "negate").unary.steps = {{Kind::Affine, -1, 0}};
  ctx.add_node(ir::Op::Add, {x, negated}, centered, "center");
  ctx.add_node(ir::Op::Unary, {centered}, square, "square").unary.steps = {{Kind::Power, 2, 0}};
  ctx.add_node(ir::Op::GlobalAveragePool, {square}, variance, "variance");
  ctx.add_node(ir::Op::Unary, {variance}, inverse, "inverse_deviation").unary.steps = {
      {Kind::Affine, 1, epsilon}, {Kind::Power, -0.5f, 0}};
  ctx.add_node(ir::Op::Mul, {centered, inverse}, normalized, "normalize");
  ir::Node& affine = ctx.add_node(ir::Op::ChannelAffine, {normalized}, ctx.output_value(0, in));
  affine.weight = ctx.take_constant(1).to_tensor();
  affine.bias = ctx.take_constant(2).to_tensor();
  affine.weight.shape = affine.bias.shape = {channels};
}

}  // namespace pimhls::frontend
