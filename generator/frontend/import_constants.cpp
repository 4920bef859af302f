// Constants and the shape arithmetic exporters emit (torch's x.view(x.size(0), -1) becomes
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape): folded at import time.
#include <algorithm>
#include <limits>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "frontend/onnx_constant.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

void fold_binary(NodeContext& ctx, Arithmetic op) {
  ctx.define_constant(0, fold_arithmetic(op, ctx.constant(0), ctx.constant(1)));
}

std::vector<std::int64_t> optional_ints_input(NodeContext& ctx, std::size_t i) {
  return ctx.has_input(i) ? ctx.constant(i).to_ints() : std::vector<std::int64_t>{};
}

// ReduceX of a constant (x.std()'s element count: ReduceProd of a Shape's slice); the axes are
// an input from `axes_input_since` on, an empty list reduces all (or none: noop_with_empty_axes).
void fold_reduction(NodeContext& ctx, Arithmetic op, int axes_input_since, bool mean = false) {
  const Constant& data = ctx.constant(0);
  std::vector<std::int64_t> axes = axes_of(ctx, axes_input_since);
  if (axes.empty() && int_attribute(ctx.node(), "noop_with_empty_axes", 0) != 0)
    return ctx.define_constant(0, data);
  for (std::int64_t& axis : axes)
    axis = normalize_axis(axis, static_cast<std::int64_t>(data.shape.size()));
  Constant out = fold_reduce(op, data, axes, int_attribute(ctx.node(), "keepdims", 1) != 0);
  if (mean) {
    const std::int64_t count = data.count() / std::max<std::int64_t>(out.count(), 1);
    out = fold_arithmetic(Arithmetic::Div, out,
                          data.integer ? Constant::from_ints({}, {count})
                                       : Constant::from_tensor({{}, {static_cast<float>(count)}}));
  }
  ctx.define_constant(0, std::move(out));
}

}  // namespace

std::vector<std::int64_t> axes_of(NodeContext& ctx, int input_since_opset) {
  if (ctx.opset() >= input_since_opset) return optional_ints_input(ctx, 1);
  return ints_attribute(ctx.node(), "axes");
}

std::pair<float, float> clip_bounds(NodeContext& ctx) {
  constexpr float kInfinity = std::numeric_limits<float>::infinity();
  if (ctx.opset() < 11)
    return {float_attribute(ctx.node(), "min", -kInfinity),
            float_attribute(ctx.node(), "max", kInfinity)};
  const auto bound = [&](std::size_t i, float fallback) {
    if (!ctx.has_input(i)) return fallback;
    const Constant& value = ctx.constant(i);
    if (value.count() != 1)
      fail("input '{}' has shape {}; a bound must be a scalar", ctx.input_name(i),
           ir::format_dims(value.shape));
    return static_cast<float>(value.value(0));
  };
  return {bound(1, -kInfinity), bound(2, kInfinity)};
}

ir::Dims reshape_target(NodeContext& ctx, const ir::Dims& input) {
  const std::vector<std::int64_t> requested =
      ctx.opset() < 5 ? ints_attribute(ctx.node(), "shape") : ctx.constant(1).to_ints();
  return reshape_dims(input, requested, int_attribute(ctx.node(), "allowzero", 0) != 0);
}

void fold_constant(NodeContext& ctx) {
  const onnx::NodeProto& node = ctx.node();
  if (node.attribute_size() != 1) fail("expects exactly one value attribute");
  const onnx::AttributeProto& attribute = node.attribute(0);
  const std::string& name = attribute.name();
  if (name == "value") {
    ctx.define_constant(0, to_constant(attribute.t(), "attribute 'value'"));
  } else if (name == "value_float") {
    ctx.define_constant(0, Constant::from_tensor(ir::Tensor{{}, {attribute.f()}}));
  } else if (name == "value_floats") {
    const auto& floats = attribute.floats();
    ctx.define_constant(0, Constant::from_tensor(ir::Tensor{
                               {floats.size()}, std::vector<float>(floats.begin(), floats.end())}));
  } else if (name == "value_int") {
    ctx.define_constant(0, Constant::from_ints({}, {attribute.i()}));
  } else if (name == "value_ints") {
    const auto& ints = attribute.ints();
    ctx.define_constant(0, Constant::from_ints({ints.size()}, {ints.begin(), ints.end()}));
  } else {
    fail("attribute '{}' is not supported", name);
  }
}

void fold_constant_of_shape(NodeContext& ctx) {
  const std::vector<std::int64_t> shape = ctx.constant(0).to_ints();
  const onnx::AttributeProto* value = find_attribute(ctx.node(), "value");
  const Constant fill = value ? to_constant(value->t(), "attribute 'value'")
                              : Constant::from_tensor(ir::Tensor{{1}, {0.0f}});
  ctx.define_constant(0, fold_constant_of_shape(shape, fill));
}

void fold_shape(NodeContext& ctx) {
  const ir::Dims dims = ctx.input_shape(0);
  const auto rank = static_cast<std::int64_t>(dims.size());
  // Opset 15 added start/end: a slice of the shape, clamped like Slice.
  const auto clamp_end = [&](std::int64_t index) {
    if (index < 0) index += rank;
    return std::clamp<std::int64_t>(index, 0, rank);
  };
  const std::int64_t start = clamp_end(int_attribute(ctx.node(), "start", 0));
  const std::int64_t end = clamp_end(int_attribute(ctx.node(), "end", rank));
  std::vector<std::int64_t> values;
  for (std::int64_t d = start; d < end; ++d) values.push_back(dims[d]);
  const auto count = static_cast<std::int64_t>(values.size());
  ctx.define_constant(0, Constant::from_ints({count}, std::move(values)));
}

void fold_identity(NodeContext& ctx) { ctx.define_alias(0, 0); }

void fold_cast(NodeContext& ctx) {
  const auto to = static_cast<int>(int_attribute(ctx.node(), "to", 0));
  if (!is_integer_type(to) && !is_float_type(to))
    fail("casting to {} is not supported", onnx::TensorProto_DataType_Name(to));
  Constant out = fold_cast(ctx.constant(0), is_integer_type(to));
  if (to == onnx::TensorProto_DataType_BOOL)
    for (std::int64_t& value : out.ints) value = value != 0;
  ctx.define_constant(0, std::move(out));
}

void fold_gather(NodeContext& ctx) {
  ctx.define_constant(
      0, fold_gather(ctx.constant(0), ctx.constant(1), int_attribute(ctx.node(), "axis", 0)));
}

void fold_unsqueeze(NodeContext& ctx) {
  const ir::Dims shape = unsqueeze_dims(ctx.constant(0).shape, axes_of(ctx, 13));
  ctx.define_constant(0, with_shape(ctx.take_constant(0), shape));
}

void fold_squeeze(NodeContext& ctx) {
  const ir::Dims shape = squeeze_dims(ctx.constant(0).shape, axes_of(ctx, 13));
  ctx.define_constant(0, with_shape(ctx.take_constant(0), shape));
}

void fold_concat(NodeContext& ctx) {
  const onnx::AttributeProto* axis = find_attribute(ctx.node(), "axis");
  if (!axis) fail("attribute 'axis' is missing");
  std::vector<const Constant*> inputs;
  for (int i = 0; i < ctx.node().input_size(); ++i) inputs.push_back(&ctx.constant(i));
  ctx.define_constant(0, fold_concat(inputs, axis->i()));
}

SliceParams slice_params(NodeContext& ctx) {
  SliceParams p;
  if (ctx.opset() < 10) {  // starts/ends/axes were attributes until opset 10
    p.starts = ints_attribute(ctx.node(), "starts");
    p.ends = ints_attribute(ctx.node(), "ends");
    p.axes = ints_attribute(ctx.node(), "axes");
  } else {
    p.starts = ctx.constant(1).to_ints();
    p.ends = ctx.constant(2).to_ints();
    p.axes = optional_ints_input(ctx, 3);
    p.steps = optional_ints_input(ctx, 4);
  }
  if (p.axes.empty())
    for (std::size_t i = 0; i < p.starts.size(); ++i)
      p.axes.push_back(static_cast<std::int64_t>(i));
  if (p.steps.empty()) p.steps.assign(p.starts.size(), 1);
  return p;
}

void fold_slice(NodeContext& ctx) {
  const SliceParams p = slice_params(ctx);
  ctx.define_constant(0, fold_slice(ctx.constant(0), p.starts, p.ends, p.axes, p.steps));
}

void fold_reshape(NodeContext& ctx) {
  const ir::Dims shape = reshape_target(ctx, ctx.constant(0).shape);
  ctx.define_constant(0, with_shape(ctx.take_constant(0), shape));
}

void fold_flatten(NodeContext& ctx) {
  const ir::Dims shape = flatten_dims(ctx.constant(0).shape, int_attribute(ctx.node(), "axis", 1));
  ctx.define_constant(0, with_shape(ctx.take_constant(0), shape));
}

void fold_transpose(NodeContext& ctx) {
  ctx.define_constant(0, fold_transpose(ctx.constant(0), ints_attribute(ctx.node(), "perm")));
}

void fold_add(NodeContext& ctx) { fold_binary(ctx, Arithmetic::Add); }
void fold_equal(NodeContext& ctx) { fold_binary(ctx, Arithmetic::Equal); }
void fold_range(NodeContext& ctx) {
  ctx.define_constant(0, fold_range(ctx.constant(0), ctx.constant(1), ctx.constant(2)));
}
void fold_where(NodeContext& ctx) {
  ctx.define_constant(0, fold_where(ctx.constant(0), ctx.constant(1), ctx.constant(2)));
}
void fold_reduce_sum(NodeContext& ctx) { fold_reduction(ctx, Arithmetic::Add, 13); }
void fold_reduce_prod(NodeContext& ctx) { fold_reduction(ctx, Arithmetic::Mul, 18); }
void fold_reduce_max(NodeContext& ctx) { fold_reduction(ctx, Arithmetic::Max, 18); }
void fold_reduce_min(NodeContext& ctx) { fold_reduction(ctx, Arithmetic::Min, 18); }
void fold_reduce_mean(NodeContext& ctx) { fold_reduction(ctx, Arithmetic::Add, 18, true); }
void fold_sub(NodeContext& ctx) { fold_binary(ctx, Arithmetic::Sub); }
void fold_mul(NodeContext& ctx) { fold_binary(ctx, Arithmetic::Mul); }
void fold_div(NodeContext& ctx) { fold_binary(ctx, Arithmetic::Div); }

// Max and Min take one or more inputs, broadcast together.
void fold_extremum(NodeContext& ctx, Arithmetic op) {
  Constant result = ctx.constant(0);
  for (std::size_t i = 1; i < static_cast<std::size_t>(ctx.node().input_size()); ++i)
    result = fold_arithmetic(op, result, ctx.constant(i));
  ctx.define_constant(0, std::move(result));
}

void fold_max(NodeContext& ctx) { fold_extremum(ctx, Arithmetic::Max); }
void fold_min(NodeContext& ctx) { fold_extremum(ctx, Arithmetic::Min); }

void fold_relu(NodeContext& ctx) {
  ctx.define_constant(0, fold_clamp(ctx.constant(0), 0.0f, std::numeric_limits<float>::infinity()));
}

void fold_clip(NodeContext& ctx) {
  const auto [min, max] = clip_bounds(ctx);
  ctx.define_constant(0, fold_clamp(ctx.constant(0), min, max));
}

}  // namespace pimhls::frontend
