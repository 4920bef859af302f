// Element-wise activations -> one ir::Op::Unary node each (a table on codes on the
// accelerator); PRelu (one shared slope: a table; one per channel: four nodes); Mul(x, f(x)) as
// one Unary with times_input.
#include <algorithm>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <string_view>

#include "frontend/fusion.h"
#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

using Kind = ir::UnaryStep::Kind;

struct UnaryOperator {
  std::string_view op_type;
  Kind kind;
  float alpha = 0;  // the step's parameter where the operator fixes it
};

constexpr UnaryOperator kUnaryOperators[] = {
    {"Abs", Kind::Abs},
    {"Celu", Kind::Celu},
    {"Elu", Kind::Elu},
    {"Erf", Kind::Erf},
    {"Exp", Kind::Exp},
    {"Gelu", Kind::Gelu},
    {"HardSigmoid", Kind::HardSigmoid},
    {"HardSwish", Kind::HardSwish},
    {"LeakyRelu", Kind::LeakyRelu},
    {"Log", Kind::Log},
    {"Mish", Kind::Mish},
    {"Neg", Kind::Affine, -1.0f},
    {"Reciprocal", Kind::Power, -1.0f},
    {"Selu", Kind::Selu},
    {"Sigmoid", Kind::Sigmoid},
    {"Softplus", Kind::Softplus},
    {"Softsign", Kind::Softsign},
    {"Sqrt", Kind::Power, 0.5f},
    {"Tanh", Kind::Tanh},
    {"ThresholdedRelu", Kind::ThresholdedRelu},
};

// The step of an activation node, with ONNX's attribute defaults.
ir::UnaryStep unary_step(const onnx::NodeProto& node) {
  const auto* end = std::end(kUnaryOperators);
  const auto* found = std::find_if(std::begin(kUnaryOperators), end, [&](const UnaryOperator& op) {
    return op.op_type == node.op_type();
  });
  if (found == end) fail("{} is not an element-wise activation", node.op_type());
  ir::UnaryStep step;
  step.kind = found->kind;
  step.alpha = found->alpha;
  switch (step.kind) {
    case Kind::LeakyRelu: step.alpha = float_attribute(node, "alpha", 0.01f); break;
    case Kind::HardSigmoid:
      step.alpha = float_attribute(node, "alpha", 0.2f);
      step.gamma = float_attribute(node, "beta", 0.5f);
      break;
    case Kind::Elu: step.alpha = float_attribute(node, "alpha", 1.0f); break;
    case Kind::Selu:
      step.alpha = float_attribute(node, "alpha", 1.67326319217681884765625f);
      step.gamma = float_attribute(node, "gamma", 1.05070102214813232421875f);
      break;
    case Kind::Celu:
      step.alpha = float_attribute(node, "alpha", 1.0f);
      if (step.alpha == 0) fail("attribute 'alpha' = 0 is not supported (Celu divides by alpha)");
      break;
    case Kind::ThresholdedRelu: step.alpha = float_attribute(node, "alpha", 1.0f); break;
    case Kind::Gelu: {
      const std::string approximate = string_attribute(node, "approximate", "none");
      if (approximate != "none" && approximate != "tanh")
        fail("attribute 'approximate' = '{}' is not supported (expected 'none' or 'tanh')",
             approximate);
      step.alpha = approximate == "tanh" ? 1.0f : 0.0f;
      break;
    }
    case Kind::Sigmoid:
    case Kind::Tanh:
    case Kind::HardSwish:
    case Kind::Softplus:
    case Kind::Softsign:
    case Kind::Mish:
    case Kind::Erf:
    case Kind::Affine:
    case Kind::Power:
    case Kind::Abs:
    case Kind::Exp:
    case Kind::Log: break;
  }
  return step;
}

void emit_unary(NodeContext& ctx, ir::UnaryStep step) {
  const ir::ValueId x = ctx.activation(0);
  ir::Node& node = ctx.add_node(ir::Op::Unary, {x}, ctx.output_value(0, ctx.input_shape(0)));
  node.unary.steps = {step};
}

}  // namespace

void lower_unary(NodeContext& ctx) { emit_unary(ctx, unary_step(ctx.node())); }

void fold_unary(NodeContext& ctx) {
  ir::Unary unary;
  unary.steps = {unary_step(ctx.node())};
  ir::Tensor values = ctx.take_constant(0).to_tensor();
  for (float& value : values.data) value = ir::apply(unary, value);
  ctx.define_constant(0, Constant::from_tensor(std::move(values)));
}

// Pow(x, c) with one constant exponent for every element: a Power step.
void lower_pow(NodeContext& ctx) {
  if (ctx.is_constant(0) || !ctx.is_constant(1))
    fail("only an activation to the power of a constant is supported ('{}' ^ '{}')",
         ctx.input_name(0), ctx.input_name(1));
  const Constant& exponent = ctx.constant(1);
  if (exponent.count() != 1)
    fail("exponent '{}' has shape {}; only one exponent for every element is supported",
         ctx.input_name(1), ir::format_dims(exponent.shape));
  if (broadcast_shapes(ctx.input_shape(0), exponent.shape) != ctx.input_shape(0))
    fail("exponent '{}' of shape {} has more dimensions than input '{}' of shape {}",
         ctx.input_name(1), ir::format_dims(exponent.shape), ctx.input_name(0),
         ir::format_dims(ctx.input_shape(0)));
  emit_unary(ctx, {Kind::Power, static_cast<float>(exponent.value(0)), 0.0f});
}

void fold_pow(NodeContext& ctx) {
  ctx.define_constant(0, fold_arithmetic(Arithmetic::Pow, ctx.constant(0), ctx.constant(1)));
}

void lower_prelu(NodeContext& ctx) {
  const ir::Dims in = ctx.input_shape(0);
  const Constant& slope = ctx.constant(1);
  if (broadcast_shapes(in, slope.shape) != in)
    fail("slope '{}' of shape {} has more dimensions than input '{}' of shape {}",
         ctx.input_name(1), ir::format_dims(slope.shape), ctx.input_name(0), ir::format_dims(in));
  const std::optional<std::vector<double>> slopes = per_channel_values(in, slope);
  if (!slopes)
    fail(
        "slope '{}' of shape {} varies along more than the channels of input '{}' ({}); one "
        "slope for all elements or one per channel (axis 1) is supported",
        ctx.input_name(1), ir::format_dims(slope.shape), ctx.input_name(0), ir::format_dims(in));
  if (std::adjacent_find(slopes->begin(), slopes->end(), std::not_equal_to<>()) == slopes->end())
    return emit_unary(ctx, {Kind::LeakyRelu, static_cast<float>(slopes->front()), 0.0f});
  const ir::ValueId x = ctx.activation(0);
  const ir::ValueId positive = ctx.intermediate_value("positive", in);
  const ir::ValueId negative = ctx.intermediate_value("negative", in);
  const ir::ValueId scaled = ctx.intermediate_value("scaled", in);
  ctx.add_node(ir::Op::Relu, {x}, positive, "positive").activation = {
      ir::Activation::Kind::Relu, 0.0f, std::numeric_limits<float>::infinity()};
  ctx.add_node(ir::Op::Clip, {x}, negative, "negative").activation = {
      ir::Activation::Kind::Clip, -std::numeric_limits<float>::infinity(), 0.0f};
  ir::Node& affine = ctx.add_node(ir::Op::ChannelAffine, {negative}, scaled, "scaled");
  affine.weight = {{in[1]}, {}};
  for (const double value : *slopes) affine.weight.data.push_back(static_cast<float>(value));
  affine.bias = zeros(in[1]);
  ctx.add_node(ir::Op::Add, {positive, scaled}, ctx.output_value(0, in));
}

namespace {

// a * b of two activations: x * f(x) as one table, else a Mul of operands of one shape or of a
// map and a gate that broadcasts to it, the gate second: a value per channel (squeeze-and-
// excitation) or one for all, per pixel (a spatial attention map, [N, 1, H, W]), per row or
// column (coordinate attention, [N, C, H, 1] and [N, C, 1, W]) or one for the whole map.
void add_product(NodeContext& ctx, ir::ValueId a, const ir::Dims& sa, ir::ValueId b,
                 const ir::Dims& sb) {
  std::optional<ir::Unary> unary = times_input_unary(ctx.graph(), a, b);
  ir::ValueId x = a;
  const ir::Dims* shape = &sa;
  if (!unary) {
    unary = times_input_unary(ctx.graph(), b, a);
    x = b;
    shape = &sb;
  }
  if (unary) {
    ctx.add_node(ir::Op::Unary, {x}, ctx.output_value(0, *shape)).unary = std::move(*unary);
    return;
  }
  auto gates = [](const ir::Dims& map, const ir::Dims& gate) {
    if (gate.size() != map.size() || map.size() < 2 || map.size() > 4 || gate[0] != map[0])
      return false;
    for (std::size_t axis = 1; axis < map.size(); ++axis)
      if (gate[axis] != map[axis] && gate[axis] != 1) return false;
    return true;
  };
  if (sa != sb && !gates(sa, sb) && !gates(sb, sa)) {
    // Both broadcast (a row times a column): one of them upsampled to the output first.
    const ir::Dims out = broadcast_shapes(sa, sb);
    const auto [ea, eb] = expand_one_operand(ctx, a, sa, b, sb, out);
    if (ea != a || eb != b) {
      const bool a_full = ea != a;
      ctx.add_node(ir::Op::Mul, {a_full ? ea : eb, a_full ? b : a}, ctx.output_value(0, out));
      return;
    }
    fail(
        "the product of activations '{}' ({}) and '{}' ({}) is not supported; only operands of "
        "one shape, a map times a gate that broadcasts to it (a value per channel or one, per "
        "pixel, row, column or one), or x * f(x)",
        ctx.input_name(0), ir::format_dims(sa), ctx.input_name(1), ir::format_dims(sb));
  }
  const bool swap = sa != sb && gates(sb, sa);
  ctx.add_node(ir::Op::Mul, {swap ? b : a, swap ? a : b}, ctx.output_value(0, swap ? sb : sa));
}

}  // namespace

void lower_mul(NodeContext& ctx) {
  if (ctx.is_constant(0) || ctx.is_constant(1)) {
    lower_scale(ctx, ctx.is_constant(0) ? 1 : 0, false);
    return;
  }
  add_product(ctx, ctx.activation(0), ctx.input_shape(0), ctx.activation(1), ctx.input_shape(1));
}

// x / c scales by 1 / c; x / y and c / y take y's reciprocal as a table (a LayerNorm written
// out: (x - mean) / sqrt(var + eps)), then multiply.
void lower_div(NodeContext& ctx) {
  if (ctx.is_constant(1)) return lower_scale(ctx, 0, true);
  const ir::Dims& y_shape = ctx.input_shape(1);
  const ir::ValueId y = ctx.activation(1);
  if (ctx.is_constant(0)) {
    const Constant& numerator = ctx.constant(0);
    if (numerator.count() != 1 || broadcast_shapes(numerator.shape, y_shape) != y_shape)
      fail("constant '{}' of shape {} over activation '{}': only a scalar numerator is supported",
           ctx.input_name(0), ir::format_dims(numerator.shape), ctx.input_name(1));
    ctx.add_node(ir::Op::Unary, {y}, ctx.output_value(0, y_shape)).unary.steps = {
        {Kind::Power, -1.0f, 0.0f}, {Kind::Affine, static_cast<float>(numerator.value(0)), 0.0f}};
    return;
  }
  const ir::ValueId reciprocal = ctx.intermediate_value("reciprocal", y_shape);
  ctx.add_node(ir::Op::Unary, {y}, reciprocal, "reciprocal").unary.steps = {
      {Kind::Power, -1.0f, 0.0f}};
  add_product(ctx, ctx.activation(0), ctx.input_shape(0), reciprocal, y_shape);
}

}  // namespace pimhls::frontend
