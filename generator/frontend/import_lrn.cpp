// LRN (AlexNet, GoogLeNet, CaffeNet as the ONNX model zoo has them) as four IR nodes that the
// accelerator already runs:
//   y = x / (bias + alpha / size * sum of x^2 over `size` neighbouring channels)^beta
// square = x * x (a table on codes, ir::Unary times_input), d = a 1x1 Conv of the squares with
// alpha / size on the band of neighbours and `bias` as its bias (on the arrays), d^-beta (a
// table), and x * d^-beta (the vector engine's MUL of two activations).
#include <algorithm>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {

void lower_lrn(NodeContext& ctx) {
  const onnx::NodeProto& node = ctx.node();
  const std::int64_t size = int_attribute(node, "size", 0);
  if (size < 1) fail("attribute 'size' = {} must be a positive number of channels", size);
  const float alpha = float_attribute(node, "alpha", 1e-4f);
  const float beta = float_attribute(node, "beta", 0.75f);
  const float bias = float_attribute(node, "bias", 1.0f);
  if (!(bias > 0))
    fail("attribute 'bias' = {} is not supported; only a positive bias (its power is finite)",
         bias);
  const ir::Dims in = nchw_input(ctx, "LRN");
  const ir::ValueId x = ctx.activation(0);
  const std::int64_t channels = in[1];
  const ir::ValueId square = ctx.intermediate_value("square", in);
  const ir::ValueId denominator = ctx.intermediate_value("denominator", in);
  const ir::ValueId power = ctx.intermediate_value("power", in);

  ir::Node& squaring = ctx.add_node(ir::Op::Unary, {x}, square);
  squaring.unary.steps = {{ir::UnaryStep::Kind::Affine, 1.0f, 0.0f}};
  squaring.unary.times_input = true;

  // Channel c sums channels c - floor((size - 1) / 2) .. c + ceil((size - 1) / 2) (ONNX).
  ir::Node& sum = ctx.add_node(ir::Op::Conv, {square}, denominator, "sum");
  sum.weight = {{channels, channels, 1, 1},
                std::vector<float>(static_cast<std::size_t>(channels * channels), 0.0f)};
  const std::int64_t below = (size - 1) / 2, above = size - 1 - below;
  for (std::int64_t c = 0; c < channels; ++c)
    for (std::int64_t i = std::max<std::int64_t>(0, c - below);
         i <= std::min(channels - 1, c + above); ++i)
      sum.weight.data[static_cast<std::size_t>(c * channels + i)] =
          alpha / static_cast<float>(size);
  sum.bias = {{channels}, std::vector<float>(static_cast<std::size_t>(channels), bias)};

  ctx.add_node(ir::Op::Unary, {denominator}, power, "power").unary.steps = {
      {ir::UnaryStep::Kind::Power, -beta, 0.0f}};
  ctx.add_node(ir::Op::Mul, {x, power}, ctx.output_value(0, in), "scale");
}

}  // namespace pimhls::frontend
