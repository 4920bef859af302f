// ONNX layers on activations -> IR nodes (weights and biases normalized to the IR's layouts).
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "frontend/transposed_softmax.h"
#include "frontend/window.h"
#include "ir/border_pad.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();
// Bound on window attributes: far above any real kernel, low enough that no sum overflows.
constexpr std::int64_t kMaxWindowValue = std::int64_t{1} << 31;

}  // namespace

// A 2-D window attribute (kernel_shape, strides, dilations): two values, each in [min, 2^31].
std::array<std::int64_t, 2> window_pair(const onnx::NodeProto& node, const char* name,
                                        std::int64_t fallback, std::int64_t min) {
  const std::vector<std::int64_t> values = ints_attribute(node, name);
  if (values.empty()) return {fallback, fallback};
  if (values.size() != 2)
    fail("attribute '{}' has {} values; only 2-D windows are supported", name, values.size());
  for (std::int64_t value : values)
    if (value < min || value > kMaxWindowValue)
      fail("attribute '{}' value {} is out of range", name, value);
  return {values[0], values[1]};
}

// Requires an NCHW activation (a 2-D window); `what` names the operator's kind in messages.
ir::Dims nchw_input(NodeContext& ctx, const char* what) {
  if (const auto kernel = ints_attribute(ctx.node(), "kernel_shape");
      kernel.size() > 2 || kernel.size() == 1)
    fail("attribute 'kernel_shape' has {} values; only 2-D {} is supported", kernel.size(), what);
  if (!ctx.padding(0)) ctx.activation(0);
  const ir::Dims in = ctx.input_shape(0);
  if (in.size() != 4)
    fail("input '{}' has shape {}; only 2-D {} over NCHW inputs is supported", ctx.input_name(0),
         ir::format_dims(in), what);
  return in;
}

namespace {

// Strides, dilations, pads and auto_pad of a 2-D window over `in`; returns the output H, W.
std::array<std::int64_t, 2> read_window(NodeContext& ctx, const ir::Dims& in,
                                        std::array<std::int64_t, 2> kernel, bool ceil_mode,
                                        ir::Window& window) {
  const onnx::NodeProto& node = ctx.node();
  const auto strides = window_pair(node, "strides", 1, 1);
  const auto dilations = window_pair(node, "dilations", 1, 1);
  std::vector<std::int64_t> pads = ints_attribute(node, "pads", {0, 0, 0, 0});
  if (pads.size() != 4) fail("attribute 'pads' has {} values; a 2-D window needs 4", pads.size());
  for (std::int64_t pad : pads)
    if (pad < 0 || pad > kMaxWindowValue) fail("attribute 'pads' value {} is out of range", pad);
  const AutoPad auto_pad = parse_auto_pad(string_attribute(node, "auto_pad", "NOTSET"));
  std::array<WindowAxis, 2> axes;
  std::array<std::int64_t, 2> out{};
  for (std::size_t a = 0; a < 2; ++a) {
    axes[a] = WindowAxis{in[2 + a], kernel[a], strides[a], dilations[a], pads[a], pads[2 + a]};
    bool dropped = false;
    out[a] = resolve_axis(axes[a], auto_pad, ceil_mode, &dropped);
    if (dropped) ctx.distrust_declared_shapes();
  }
  window.kernel_h = kernel[0];
  window.kernel_w = kernel[1];
  window.stride_h = strides[0];
  window.stride_w = strides[1];
  window.dilation_h = dilations[0];
  window.dilation_w = dilations[1];
  window.pad_top = axes[0].pad_begin;
  window.pad_left = axes[1].pad_begin;
  window.pad_bottom = axes[0].pad_end;
  window.pad_right = axes[1].pad_end;
  window.ceil_mode = ceil_mode && auto_pad == AutoPad::NotSet;
  return out;
}

// The activation a window reads: a Pad's source, with the Pad's pads added to the window's pads
// (after read_window, which sizes the output from the padded shape), or input 0 itself.
ir::ValueId unpadded_input(NodeContext& ctx, ir::Window& window) {
  const ConstantPadding* padding = ctx.padding(0);
  if (!padding) return ctx.activation(0);
  window.pad_top += padding->pads[0];
  window.pad_left += padding->pads[1];
  window.pad_bottom += padding->pads[2];
  window.pad_right += padding->pads[3];
  return padding->source;
}

bool has_pads(const ir::Window& window) {
  return window.pad_top + window.pad_left + window.pad_bottom + window.pad_right > 0;
}

// Whether a ceil_mode window over a Pad's output keeps its outputs when the Pad's pads join the
// window's: the last window is dropped where it would start in the trailing pads, which ONNX
// counts as input when a Pad made them.
bool keeps_ceil_windows(const ConstantPadding& padding, const ir::Window& window,
                        std::int64_t out_h, std::int64_t out_w) {
  if (!window.ceil_mode) return true;
  const ir::Dims& padded = padding.shape;
  const std::int64_t rows = padded[2] - padding.pads[0] - padding.pads[2];
  const std::int64_t cols = padded[3] - padding.pads[1] - padding.pads[3];
  return (out_h - 1) * window.stride_h < rows + window.pad_top + padding.pads[0] &&
         (out_w - 1) * window.stride_w < cols + window.pad_left + padding.pads[1];
}

// Output 1.. of `ctx` must not be read by anything (BN statistics, MaxPool indices, masks).
void require_unused_outputs(const NodeContext& ctx, std::size_t first, const char* what) {
  for (std::size_t i = first; i < ctx.output_count(); ++i)
    if (ctx.output_used(i))
      fail("output {} ('{}', {}) is used, which is not supported", i, ctx.node().output(i), what);
}

// [K, N] (ONNX MatMul/Gemm layout) -> [N, K] (the IR's weight layout), scaled by `alpha`.
ir::Tensor transposed(const Constant& matrix, float alpha) {
  const std::int64_t rows = matrix.shape[0], cols = matrix.shape[1];
  ir::Tensor out{{cols, rows}, std::vector<float>(static_cast<std::size_t>(rows * cols))};
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c)
      out.data[c * rows + r] = static_cast<float>(matrix.value(r * cols + c) * alpha);
  return out;
}

void pool(NodeContext& ctx, ir::Op op) {
  if (lower_channel_pool(ctx, op)) return;
  const char* what = op == ir::Op::MaxPool ? "MaxPool" : "AveragePool";
  const ir::Dims in = nchw_input(ctx, what);
  const onnx::NodeProto& node = ctx.node();
  if (!find_attribute(node, "kernel_shape")) fail("attribute 'kernel_shape' is missing");
  const auto kernel = window_pair(node, "kernel_shape", 1, 1);
  if (op == ir::Op::MaxPool) {
    require_unused_outputs(ctx, 1, "Indices");
  } else if (find_attribute(node, "dilations")) {
    fail("attribute 'dilations' of AveragePool is not supported");
  }
  const bool ceil_mode = int_attribute(node, "ceil_mode", 0) != 0;
  ir::Window window;
  window.count_include_pad = int_attribute(node, "count_include_pad", 0) != 0;
  const auto [out_h, out_w] = read_window(ctx, in, kernel, ceil_mode, window);
  // A Pad's zeros are elements of the window: they count like count_include_pad's pads, and
  // they take part in a max (Keras' ZeroPadding2D before MaxPooling2D). Where the pool's own
  // pads (skipped) would mix with them, the pool reads the zero-padded map (a BorderPad).
  // Pads of -inf are a MaxPool's own (skipped); pads of another value are materialized.
  bool absorb = false;
  const ConstantPadding* padding = ctx.padding(0);
  const float pad_value = padding ? padding->value : 0.0f;
  if (padding && pad_value == -kInfinity) {
    absorb = op == ir::Op::MaxPool && keeps_ceil_windows(*padding, window, out_h, out_w);
    if (op == ir::Op::MaxPool && !absorb)
      fail(
          "ceil_mode windows of only the -inf pads of Pad '{}' (their maximum is -inf) are not "
          "supported",
          padding->node);
  } else if (padding && pad_value == 0.0f) {
    absorb = op == ir::Op::MaxPool
                 ? !has_pads(window) && keeps_ceil_windows(*padding, window, out_h, out_w)
                 : !ceil_mode && (!has_pads(window) || window.count_include_pad);
  }
  const ir::ValueId y = ctx.output_value(0, {in[0], in[1], out_h, out_w});
  if (absorb && op == ir::Op::MaxPool && pad_value == 0.0f) window.border = ir::Border::Zero;
  if (absorb && op == ir::Op::AveragePool) window.count_include_pad = true;
  const ir::ValueId x = absorb ? unpadded_input(ctx, window) : ctx.activation(0);
  ctx.add_node(op, {x}, y).window = window;
}

void emit_reshape(NodeContext& ctx, ir::Dims shape) {
  ctx.define_view(0, ctx.activation(0), std::move(shape));
}

// Whether numpy broadcasting takes `from` to `to` without growing `to`.
bool broadcasts_to(const ir::Dims& from, const ir::Dims& to) {
  if (from.size() > to.size()) return false;
  for (std::size_t k = 1; k <= from.size(); ++k)
    if (from[from.size() - k] != 1 && from[from.size() - k] != to[to.size() - k]) return false;
  return true;
}

// Max (or Min) of activations of one shape and scalar constants. Two activations a, b: a +
// Relu(b - a) (Min: a - Relu(a - b)), equal up to float rounding (not for infinite values),
// folded pairwise (FReLU's max(x, T(x)), torch.maximum); then a Clip at the constants' maximum
// (or minimum); an activation alone is itself.
void lower_extremum(NodeContext& ctx, bool is_max) {
  const char* what = is_max ? "Max" : "Min";
  std::vector<std::size_t> activations;
  float bound = is_max ? -kInfinity : kInfinity;
  for (std::size_t i = 0; i < static_cast<std::size_t>(ctx.node().input_size()); ++i) {
    if (!ctx.is_constant(i)) {
      activations.push_back(i);
      continue;
    }
    // (a constant of one value throughout, as torch.full_like writes it, is that scalar)
    const Constant& value = ctx.constant(i);
    bool uniform = value.count() >= 1;
    for (std::int64_t e = 1; uniform && e < value.count(); ++e)
      uniform = value.value(static_cast<std::size_t>(e)) == value.value(0);
    if (!uniform)
      fail("input '{}' has shape {}; {} of an activation needs scalar constants", ctx.input_name(i),
           ir::format_dims(value.shape), what);
    const auto v = static_cast<float>(value.value(0));
    bound = is_max ? std::max(bound, v) : std::min(bound, v);
  }
  const std::size_t a = activations.front();
  const ir::Dims& shape = ctx.input_shape(a);
  for (std::size_t i = 0; i < static_cast<std::size_t>(ctx.node().input_size()); ++i) {
    if (!ctx.is_constant(i) && ctx.input_shape(i) != shape)
      fail("{} of activations of different shapes ('{}' {}, '{}' {}) is not supported", what,
           ctx.input_name(a), ir::format_dims(shape), ctx.input_name(i),
           ir::format_dims(ctx.input_shape(i)));
    if (!broadcasts_to(ctx.input_shape(i), shape))
      fail("input '{}' of shape {} broadcasts the activation '{}' of shape {}", ctx.input_name(i),
           ir::format_dims(ctx.input_shape(i)), ctx.input_name(a), ir::format_dims(shape));
  }
  const bool clip = bound != (is_max ? -kInfinity : kInfinity);
  if (activations.size() == 1 && !clip) return ctx.define_alias(0, a);
  ir::ValueId x = ctx.activation(a);
  for (std::size_t k = 1; k < activations.size(); ++k) {
    const ir::ValueId y = ctx.activation(activations[k]);
    const std::string step = fmt::format("{}_{}", is_max ? "max" : "min", k);
    const ir::ValueId difference = ctx.intermediate_value(step + "_difference", shape);
    const ir::ValueId excess = ctx.intermediate_value(step + "_excess", shape);
    ctx.add_node(ir::Op::Add, {is_max ? y : x, is_max ? x : y}, difference, step + "_difference")
        .subtract = true;
    ctx.add_node(ir::Op::Relu, {difference}, excess, step + "_excess").activation = {
        ir::Activation::Kind::Relu, 0.0f, kInfinity};
    const bool last = k + 1 == activations.size() && !clip;
    const ir::ValueId out = last ? ctx.output_value(0, shape) : ctx.intermediate_value(step, shape);
    ctx.add_node(ir::Op::Add, {x, excess}, out, last ? "" : step).subtract = !is_max;
    x = out;
  }
  if (!clip) return;
  const bool relu = is_max && bound == 0.0f;
  ir::Node& node =
      ctx.add_node(relu ? ir::Op::Relu : ir::Op::Clip, {x}, ctx.output_value(0, shape));
  node.activation = {relu ? ir::Activation::Kind::Relu : ir::Activation::Kind::Clip,
                     is_max ? bound : -kInfinity, is_max ? kInfinity : bound};
}

}  // namespace

namespace {

// Pad's pads per axis of a rank-`rank` input: begin[axis], end[axis] (axes without pads: 0).
struct AxisPads {
  std::vector<std::int64_t> begin, end;
};

AxisPads pad_amounts(NodeContext& ctx, std::int64_t rank) {
  const onnx::NodeProto& node = ctx.node();
  // pads: an attribute before opset 11, then input 1; axes (input 3) since opset 18.
  const std::vector<std::int64_t> pads =
      ctx.opset() < 11 ? ints_attribute(node, "pads") : ctx.constant(1).to_ints();
  std::vector<std::int64_t> axes;
  if (ctx.opset() >= 18 && ctx.has_input(3)) {
    for (std::int64_t axis : ctx.constant(3).to_ints()) axes.push_back(normalize_axis(axis, rank));
  } else {
    for (std::int64_t axis = 0; axis < rank; ++axis) axes.push_back(axis);
  }
  if (pads.size() != 2 * axes.size())
    fail("has {} pads for {} axes; it needs 2 per axis", pads.size(), axes.size());
  AxisPads amounts{std::vector<std::int64_t>(static_cast<std::size_t>(rank)),
                   std::vector<std::int64_t>(static_cast<std::size_t>(rank))};
  for (std::size_t a = 0; a < axes.size(); ++a) {
    const std::int64_t begin = pads[a], end = pads[axes.size() + a];
    const auto axis = static_cast<std::size_t>(axes[a]);
    if (begin < 0 || end < 0 || begin > kMaxWindowValue || end > kMaxWindowValue)
      fail("pads {} and {} of axis {} are not supported (only pixels added, no cropping)", begin,
           end, axis);
    if (axis < 2 && begin + end > 0)
      fail("pads axis {} of shape {}; only H and W (axes 2 and 3) can be padded", axis,
           ir::format_dims(ctx.input_shape(0)));
    amounts.begin[axis] += begin;
    amounts.end[axis] += end;
  }
  return amounts;
}

// Pad in reflect or edge mode: a BorderPad node (a 1x1 max pool whose taps past the
// border fold back into the input).
void lower_border_pad(NodeContext& ctx, ir::Border border, const AxisPads& pads) {
  const ir::Dims& in = ctx.input_shape(0);
  ir::Window w;
  w.border = border;
  w.pad_top = pads.begin[2];
  w.pad_left = pads.begin[3];
  w.pad_bottom = pads.end[2];
  w.pad_right = pads.end[3];
  for (std::size_t axis = 2; axis < 4; ++axis)
    if (!ir::border_pad_fits(std::max(pads.begin[axis], pads.end[axis]), in[axis], border))
      fail(
          "pads {} and {} of axis {} (size {}) do not fit mode '{}' (reflect pads must be "
          "below the size)",
          pads.begin[axis], pads.end[axis], axis, in[axis], ir::border_name(border));
  if (w.pad_top + w.pad_left + w.pad_bottom + w.pad_right == 0) return ctx.define_alias(0, 0);
  const ir::ValueId x = ctx.activation(0);
  ctx.add_node(ir::Op::BorderPad, {x}, ctx.output_value(0, ir::border_padded_dims(w, in))).window =
      w;
}

}  // namespace

void lower_pad(NodeContext& ctx) {
  const onnx::NodeProto& node = ctx.node();
  const std::string mode = string_attribute(node, "mode", "constant");
  const ir::Dims& in = ctx.input_shape(0);
  const auto rank = static_cast<std::int64_t>(in.size());
  // [N, 1, C, H, W], a map's view for a pool over its channels (lower_channel_pool): zeros on
  // its channels (axis 2), which only such a pool reads.
  const bool channel_view = rank == 5 && reads_channel_view(ctx);
  if (rank != 4 && !channel_view)
    fail("input '{}' has shape {}; only padding of NCHW activations is supported",
         ctx.input_name(0), ir::format_dims(in));
  const AxisPads pads = pad_amounts(ctx, rank);
  if (channel_view &&
      (mode != "constant" || pads.begin[3] + pads.end[3] + pads.begin[4] + pads.end[4] > 0))
    fail(
        "pads the view {} of a map other than with a constant on axis 2 (its channels), "
        "which is not supported",
        ir::format_dims(in));
  static const std::pair<std::string_view, ir::Border> kBorders[] = {
      {"reflect", ir::Border::Reflect}, {"edge", ir::Border::Edge}};
  for (const auto& [name, border] : kBorders)
    if (mode == name) return lower_border_pad(ctx, border, pads);
  if (mode != "constant")
    fail("attribute 'mode' = '{}' is not supported (constant, reflect or edge)", mode);
  float value = float_attribute(node, "value", 0.0f);
  if (ctx.opset() >= 11 && ctx.has_input(2)) {
    if (ctx.constant(2).count() != 1)
      fail("input '{}' (constant_value) must be a scalar", ctx.input_name(2));
    value = static_cast<float>(ctx.constant(2).value(0));
  }
  if (std::isnan(value) || value == kInfinity)
    fail("pads with {}; only finite values and -inf (before a MaxPool) are supported", value);
  if (channel_view && value != 0.0f)
    fail("pads the channels of the view {} of a map with {}; only zeros are supported",
         ir::format_dims(in), value);
  ConstantPadding padding;
  const ConstantPadding* before = ctx.padding(0);
  if (before && before->value == value) {
    padding = *before;  // Pad after Pad: the pads add up
  } else {
    padding.source = ctx.activation(0);
    padding.value = value;
    if (std::isfinite(value) && value != 0.0f) {
      const ir::ValueId shifted = ctx.intermediate_value("shifted", in);
      ctx.add_node(ir::Op::Add, {padding.source}, shifted, "shift").weight = {{}, {-value}};
      padding.source = shifted;
    }
  }
  padding.node = node.name();
  padding.shape = in;
  for (std::size_t axis = 2; axis < 4; ++axis) {
    padding.pads[axis - 2] += pads.begin[axis];
    padding.pads[axis] += pads.end[axis];
    padding.shape[axis] += pads.begin[axis] + pads.end[axis];
  }
  ctx.define_padding(0, std::move(padding));
}

void lower_max(NodeContext& ctx) { lower_extremum(ctx, true); }
void lower_min(NodeContext& ctx) { lower_extremum(ctx, false); }

ir::Dims conv_weight_shape(NodeContext& ctx, const char* layout) {
  const ir::Dims weight_shape = ctx.constant(1).shape;
  if (weight_shape.size() != 4 ||
      std::find(weight_shape.begin(), weight_shape.end(), 0) != weight_shape.end())
    fail("weight '{}' has shape {}; a 2-D {} needs {}", ctx.input_name(1),
         ir::format_dims(weight_shape), ctx.node().op_type(), layout);
  const auto kernel = window_pair(ctx.node(), "kernel_shape", 0, 1);
  if (kernel[0] != 0 && (kernel[0] != weight_shape[2] || kernel[1] != weight_shape[3]))
    fail("attribute 'kernel_shape' {}x{} does not match weight '{}' of shape {}", kernel[0],
         kernel[1], ctx.input_name(1), ir::format_dims(weight_shape));
  return weight_shape;
}

ir::Tensor conv_bias(NodeContext& ctx, std::int64_t out_channels) {
  if (!ctx.has_input(2)) return zeros(out_channels);
  if (ctx.constant(2).count() != out_channels)
    fail("bias '{}' has shape {}, expected {}", ctx.input_name(2),
         ir::format_dims(ctx.constant(2).shape), out_channels);
  ir::Tensor bias = ctx.take_constant(2).to_tensor();
  bias.shape = {out_channels};
  return bias;
}

void lower_conv(NodeContext& ctx) {
  const ir::Dims in = nchw_input(ctx, "convolution");
  const onnx::NodeProto& node = ctx.node();
  const ir::Dims weight_shape = conv_weight_shape(ctx, "Cout x Cin/group x kH x kW");
  const std::int64_t group = int_attribute(node, "group", 1);
  const std::int64_t out_channels = weight_shape[0];
  if (group < 1 || group > in[1]) fail("attribute 'group' = {} is out of range", group);
  if (weight_shape[1] * group != in[1] || out_channels % group != 0)
    fail("input '{}' has {} channels, but weight '{}' of shape {} with group {} needs {}",
         ctx.input_name(0), in[1], ctx.input_name(1), ir::format_dims(weight_shape), group,
         weight_shape[1] * group);
  ir::Window window;
  window.group = group;
  const auto [out_h, out_w] =
      read_window(ctx, in, {weight_shape[2], weight_shape[3]}, false, window);
  // Over pads of a finite c the Conv reads its input less c padded with zeros, and c times each
  // filter's weight sum is bias; not where the Conv's own pads (zeros) would be among the c's.
  const ConstantPadding* padding = ctx.padding(0);
  const float pad_value = padding ? padding->value : 0.0f;
  const bool absorb =
      padding && (pad_value == 0.0f || (std::isfinite(pad_value) && !has_pads(window)));
  const ir::ValueId x = absorb ? unpadded_input(ctx, window) : ctx.activation(0);
  ir::Tensor bias = conv_bias(ctx, out_channels);
  const ir::ValueId y = ctx.output_value(0, {in[0], out_channels, out_h, out_w});
  ir::Node& conv = ctx.add_node(ir::Op::Conv, {x}, y);
  conv.window = window;
  conv.weight = ctx.take_constant(1).to_tensor();
  if (absorb && pad_value != 0.0f) {
    const auto filter = static_cast<std::size_t>(conv.weight.size() / out_channels);
    for (std::size_t o = 0; o < bias.data.size(); ++o) {
      const auto first = conv.weight.data.begin() + static_cast<std::ptrdiff_t>(o * filter);
      const double sum = std::accumulate(first, first + static_cast<std::ptrdiff_t>(filter), 0.0);
      bias.data[o] = static_cast<float>(bias.data[o] + pad_value * sum);
    }
  }
  conv.bias = std::move(bias);
}

void lower_gemm(NodeContext& ctx) {
  const onnx::NodeProto& node = ctx.node();
  if (const std::int64_t trans_a = int_attribute(node, "transA", 0); trans_a != 0)
    fail("attribute 'transA' = {} is not supported (only 0: the activation is not transposed)",
         trans_a);
  const ir::ValueId x = ctx.activation(0);
  const ir::Dims in = ctx.input_shape(0);
  if (in.size() != 2)
    fail("input '{}' has shape {}; Gemm needs a matrix", ctx.input_name(0), ir::format_dims(in));
  const Constant& b = ctx.constant(1);
  if (b.shape.size() != 2)
    fail("weight '{}' has shape {}; Gemm needs a matrix", ctx.input_name(1),
         ir::format_dims(b.shape));
  const bool trans_b = int_attribute(node, "transB", 0) != 0;
  const float alpha = float_attribute(node, "alpha", 1.0f);
  const float beta = float_attribute(node, "beta", 1.0f);
  const std::int64_t k = trans_b ? b.shape[1] : b.shape[0];
  const std::int64_t n = trans_b ? b.shape[0] : b.shape[1];
  if (in[1] != k)
    fail("input '{}' of shape {} does not match weight '{}' of shape {}{}", ctx.input_name(0),
         ir::format_dims(in), ctx.input_name(1), ir::format_dims(b.shape),
         trans_b ? " (transB=1)" : "");
  // C broadcasts to [M, N]; the IR bias is per output column, so C must not vary along M.
  ir::Tensor bias = zeros(n);
  if (ctx.has_input(2)) {
    const Constant& c = ctx.constant(2);
    const std::size_t rank = c.shape.size();
    const std::int64_t c_rows = rank == 2 ? c.shape[0] : 1;
    const std::int64_t c_cols = rank >= 1 ? c.shape[rank - 1] : 1;
    if (rank > 2 || (c_cols != 1 && c_cols != n) || (c_rows != 1 && c_rows != in[0]))
      fail("bias '{}' of shape {} does not broadcast to {}x{}", ctx.input_name(2),
           ir::format_dims(c.shape), in[0], n);
    for (std::int64_t row = 1; row < c_rows; ++row)
      for (std::int64_t col = 0; col < c_cols; ++col)
        if (c.value(row * c_cols + col) != c.value(col))
          fail("bias '{}' of shape {} differs between rows; only a per-column bias is supported",
               ctx.input_name(2), ir::format_dims(c.shape));
    for (std::int64_t col = 0; col < n; ++col)
      bias.data[col] = static_cast<float>(beta * c.value(c_cols == 1 ? 0 : col));
  }
  ir::Tensor weight;
  if (trans_b) {
    weight = ctx.take_constant(1).to_tensor();
    if (alpha != 1.0f)
      for (float& w : weight.data) w *= alpha;
  } else {
    weight = transposed(b, alpha);
  }
  const ir::ValueId y = ctx.output_value(0, {in[0], n});
  ir::Node& gemm = ctx.add_node(ir::Op::Gemm, {x}, y);
  gemm.weight = std::move(weight);
  gemm.bias = std::move(bias);
}

void lower_matmul(NodeContext& ctx) {
  if (!ctx.is_constant(1))
    fail("input '{}' is not a constant: only x * W with a constant 2-D W is supported",
         ctx.input_name(1));
  const ir::ValueId x = ctx.activation(0);
  const ir::Dims in = ctx.input_shape(0);
  const Constant& b = ctx.constant(1);
  if (b.shape.size() != 2)
    fail("right operand '{}' has shape {}; only a constant 2-D matrix is supported",
         ctx.input_name(1), ir::format_dims(b.shape));
  if (in.empty() || in.back() != b.shape[0])
    fail("input '{}' of shape {} does not match '{}' of shape {}", ctx.input_name(0),
         ir::format_dims(in), ctx.input_name(1), ir::format_dims(b.shape));
  const std::int64_t n = b.shape[1];
  ir::Dims out(in.begin(), in.end() - 1);
  out.push_back(n);
  ir::Tensor weight = transposed(b, 1.0f);
  const ir::ValueId y = ctx.output_value(0, std::move(out));
  ir::Node& gemm = ctx.add_node(ir::Op::Gemm, {x}, y);
  gemm.weight = std::move(weight);
  gemm.bias = zeros(n);
}

void lower_max_pool(NodeContext& ctx) { pool(ctx, ir::Op::MaxPool); }
void lower_average_pool(NodeContext& ctx) { pool(ctx, ir::Op::AveragePool); }

void lower_global_average_pool(NodeContext& ctx) {
  const ir::Dims in = nchw_input(ctx, "pooling");
  const ir::ValueId x = ctx.activation(0);
  ctx.add_node(ir::Op::GlobalAveragePool, {x}, ctx.output_value(0, {in[0], in[1], 1, 1}));
}

namespace {

// A MaxPool whose window is the whole input plane: one output pixel per channel.
void whole_plane_max(ir::Node& node, const ir::Dims& in) {
  node.window.kernel_h = in[2];
  node.window.kernel_w = in[3];
}

// The axes a Reduce* node reduces over, normalized and sorted (attribute, or input 1 since
// `input_since_opset`).
std::vector<std::int64_t> reduce_axes(NodeContext& ctx, int input_since_opset) {
  std::vector<std::int64_t> axes = axes_of(ctx, input_since_opset);
  const auto rank = static_cast<std::int64_t>(ctx.input_shape(0).size());
  for (std::int64_t& axis : axes) axis = normalize_axis(axis, rank);
  std::sort(axes.begin(), axes.end());
  return axes;
}

// A reduction of x (by default the node's input 0): `op` into the shape with the reduced axes
// kept as 1; keepdims = 0 squeezes them with a Reshape. `configure` sets the node up (before
// the Reshape is added).
void add_reduction(NodeContext& ctx, ir::Op op, const ir::Dims& kept, const ir::Dims& squeezed,
                   const std::function<void(ir::Node&)>& configure, ir::ValueId x) {
  if (int_attribute(ctx.node(), "keepdims", 1) != 0) {
    configure(ctx.add_node(op, {x}, ctx.output_value(0, kept)));
    return;
  }
  const ir::ValueId reduced = ctx.intermediate_value("keepdims", kept);
  configure(ctx.add_node(op, {x}, reduced));
  ctx.add_node(ir::Op::Reshape, {reduced}, ctx.output_value(0, squeezed), "squeeze");
}
void add_reduction(NodeContext& ctx, ir::Op op, const ir::Dims& kept, const ir::Dims& squeezed,
                   const std::function<void(ir::Node&)>& configure) {
  add_reduction(ctx, op, kept, squeezed, configure, ctx.activation(0));
}

// The sum over the channels times `factor`, a reduction the arrays compute (CBAM's channel mean;
// LayerNorm's statistics as opsets before 17 write them).
void add_channel_sum(NodeContext& ctx, const ir::Dims& in, float factor) {
  const bool vector = in.size() == 2;
  add_reduction(ctx, channel_sum_op(in),
                vector ? ir::Dims{in[0], 1} : ir::Dims{in[0], 1, in[2], in[3]},
                vector ? ir::Dims{in[0]} : ir::Dims{in[0], in[2], in[3]},
                [&](ir::Node& node) { set_channel_sum_weights(node, in, factor); });
}

// A sum as the mean `op` makes (set up by `configure`) times `count`, the elements each mean
// averages (the sum's quantization step is `count` times the mean's).
void add_sum_from_mean(NodeContext& ctx, ir::Op op, const std::function<void(ir::Node&)>& configure,
                       const ir::Dims& kept, const ir::Dims& squeezed, std::int64_t count) {
  const ir::ValueId mean = ctx.intermediate_value("mean", kept);
  configure(ctx.add_node(op, {ctx.activation(0)}, mean, "mean"));
  const std::int64_t channels = kept[1];
  add_reduction(
      ctx, ir::Op::ChannelAffine, kept, squeezed,
      [&](ir::Node& scale) {
        scale.weight = {
            {channels},
            std::vector<float>(static_cast<std::size_t>(channels), static_cast<float>(count))};
        scale.bias = zeros(channels);
      },
      mean);
}

// A reduction over H alone or W alone of an NCHW map (coordinate attention's pools, a text
// recognizer's height): `op`, a pool whose window spans that axis (for a sum, the mean times the
// length). False for other axes.
bool reduce_one_spatial_axis(NodeContext& ctx, ir::Op op, const ir::Dims& in,
                             const std::vector<std::int64_t>& axes, bool sum) {
  if (in.size() != 4 || axes.size() != 1 || axes[0] < 2) return false;
  const auto axis = static_cast<std::size_t>(axes[0]);
  ir::Dims kept = in, squeezed = in;
  kept[axis] = 1;
  squeezed.erase(squeezed.begin() + static_cast<std::ptrdiff_t>(axis));
  const auto span_axis = [&](ir::Node& pool) {
    (axis == 2 ? pool.window.kernel_h : pool.window.kernel_w) = in[axis];
  };
  if (sum) {
    add_sum_from_mean(ctx, op, span_axis, kept, squeezed, in[axis]);
  } else {
    add_reduction(ctx, op, kept, squeezed, span_axis);
  }
  return true;
}

// Reductions over the channels: axis 1 of an NCHW map or of an [N, D] vector.
bool over_channels(const ir::Dims& in, const std::vector<std::int64_t>& axes) {
  return (in.size() == 4 || in.size() == 2) && axes == std::vector<std::int64_t>{1};
}

[[noreturn]] void unsupported_reduction(const NodeContext& ctx, const char* what,
                                        const std::vector<std::int64_t>& axes, const char* also) {
  fail(
      "the {} of input '{}' ({}) over axes {} is not supported; only over H, W or both (axes 2, "
      "3) or the channels (axis 1) of an NCHW map{}",
      what, ctx.input_name(0), ir::format_dims(ctx.input_shape(0)), fmt::join(axes, ", "), also);
}

}  // namespace

ir::Tensor zeros(std::int64_t count) {
  return ir::Tensor{{count}, std::vector<float>(static_cast<std::size_t>(count), 0.0f)};
}

ir::Op channel_sum_op(const ir::Dims& in) { return in.size() == 2 ? ir::Op::Gemm : ir::Op::Conv; }

void set_channel_sum_weights(ir::Node& node, const ir::Dims& in, float factor) {
  node.weight = {in.size() == 2 ? ir::Dims{1, in[1]} : ir::Dims{1, in[1], 1, 1},
                 std::vector<float>(static_cast<std::size_t>(in[1]), factor)};
  node.bias = zeros(1);
}

void lower_global_max_pool(NodeContext& ctx) {
  const ir::Dims in = nchw_input(ctx, "pooling");
  ir::Node& node =
      ctx.add_node(ir::Op::MaxPool, {ctx.activation(0)}, ctx.output_value(0, {in[0], in[1], 1, 1}));
  whole_plane_max(node, in);
}

void lower_reduce_mean(NodeContext& ctx) {
  const ir::Dims in = ctx.input_shape(0);
  const std::vector<std::int64_t> axes = reduce_axes(ctx, 18);
  if (over_channels(in, axes)) {
    add_channel_sum(ctx, in, 1.0f / static_cast<float>(in[1]));
    return;
  }
  if (reduce_one_spatial_axis(ctx, ir::Op::AveragePool, in, axes, false)) return;
  if (in.size() != 4 || axes != std::vector<std::int64_t>{2, 3})
    unsupported_reduction(ctx, "mean", axes, " or the features of an [N, D] vector");
  add_reduction(ctx, ir::Op::GlobalAveragePool, {in[0], in[1], 1, 1}, {in[0], in[1]},
                [](ir::Node&) {});
}

void lower_reduce_max(NodeContext& ctx) {
  const ir::Dims in = ctx.input_shape(0);
  const std::vector<std::int64_t> axes = reduce_axes(ctx, 18);
  if (in.size() == 4 && axes == std::vector<std::int64_t>{1}) {
    add_reduction(ctx, ir::Op::ChannelMax, {in[0], 1, in[2], in[3]}, {in[0], in[2], in[3]},
                  [](ir::Node&) {});
    return;
  }
  if (reduce_one_spatial_axis(ctx, ir::Op::MaxPool, in, axes, false)) return;
  if (in.size() != 4 || axes != std::vector<std::int64_t>{2, 3})
    unsupported_reduction(ctx, "max", axes, "");
  add_reduction(ctx, ir::Op::MaxPool, {in[0], in[1], 1, 1}, {in[0], in[1]},
                [&](ir::Node& node) { whole_plane_max(node, in); });
}

void lower_reduce_sum(NodeContext& ctx) {
  const ir::Dims in = ctx.input_shape(0);
  const std::vector<std::int64_t> axes = reduce_axes(ctx, 13);
  if (over_channels(in, axes)) {
    add_channel_sum(ctx, in, 1.0f);
    return;
  }
  if (reduce_one_spatial_axis(ctx, ir::Op::AveragePool, in, axes, true)) return;
  if (in.size() != 4 || axes != std::vector<std::int64_t>{2, 3})
    unsupported_reduction(ctx, "sum", axes, " or the features of an [N, D] vector");
  add_sum_from_mean(
      ctx, ir::Op::GlobalAveragePool, [](ir::Node&) {}, {in[0], in[1], 1, 1}, {in[0], in[1]},
      in[2] * in[3]);
}

void lower_batch_normalization(NodeContext& ctx) {
  const onnx::NodeProto& node = ctx.node();
  const ir::ValueId x = ctx.activation(0);
  const ir::Dims in = ctx.input_shape(0);
  if (in.size() < 2)
    fail("input '{}' has shape {}; no channel axis", ctx.input_name(0), ir::format_dims(in));
  if (const std::int64_t training = int_attribute(node, "training_mode", 0); training != 0)
    fail("attribute 'training_mode' = {} is not supported (inference only)", training);
  if (const std::int64_t spatial = int_attribute(node, "spatial", 1); spatial != 1)
    fail("attribute 'spatial' = {} is not supported (only per-channel statistics)", spatial);
  require_unused_outputs(ctx, 1, "training statistics");
  const std::int64_t channels = in[1];
  for (std::size_t i = 1; i <= 4; ++i)
    if (ctx.constant(i).count() != channels)
      fail("input '{}' has shape {}, expected {} (one value per channel)", ctx.input_name(i),
           ir::format_dims(ctx.constant(i).shape), channels);
  const double epsilon = float_attribute(node, "epsilon", 1e-5f);
  const Constant &scale = ctx.constant(1), &shift = ctx.constant(2);
  const Constant &mean = ctx.constant(3), &variance = ctx.constant(4);
  // y = scale * (x - mean) / sqrt(var + eps) + B  =  x * a + (B - mean * a)
  ir::Tensor a = zeros(channels), b = zeros(channels);
  for (std::int64_t c = 0; c < channels; ++c) {
    const double denominator = variance.value(c) + epsilon;
    if (!(denominator > 0))
      fail("variance + epsilon of channel {} is {}, not positive", c, denominator);
    const double factor = scale.value(c) / std::sqrt(denominator);
    a.data[c] = static_cast<float>(factor);
    b.data[c] = static_cast<float>(shift.value(c) - mean.value(c) * factor);
  }
  ir::Node& affine = ctx.add_node(ir::Op::ChannelAffine, {x}, ctx.output_value(0, in));
  affine.weight = std::move(a);
  affine.bias = std::move(b);
}

void lower_relu(NodeContext& ctx) {
  const ir::ValueId x = ctx.activation(0);
  ir::Node& relu = ctx.add_node(ir::Op::Relu, {x}, ctx.output_value(0, ctx.input_shape(0)));
  relu.activation = {ir::Activation::Kind::Relu, 0.0f, kInfinity};
}

void lower_clip(NodeContext& ctx) {
  const auto [min, max] = clip_bounds(ctx);
  const ir::ValueId x = ctx.activation(0);
  ir::Node& clip = ctx.add_node(ir::Op::Clip, {x}, ctx.output_value(0, ctx.input_shape(0)));
  clip.activation = {ir::Activation::Kind::Clip, min, max};
}

std::pair<ir::ValueId, ir::ValueId> expand_one_operand(NodeContext& ctx, ir::ValueId a,
                                                       const ir::Dims& sa, ir::ValueId b,
                                                       const ir::Dims& sb, const ir::Dims& out,
                                                       const std::string& suffix) {
  if (sa == out || sb == out || out.size() != 4 || sa.size() != 4 || sb.size() != 4 ||
      sa[0] != out[0] || sb[0] != out[0])
    return {a, b};
  const bool first = sa[1] == out[1];
  const ir::Dims& from = first ? sa : sb;
  const ir::ValueId expanded = ctx.intermediate_value(suffix, out);
  ir::Node& upsample = ctx.add_node(ir::Op::Upsample, {first ? a : b}, expanded, suffix);
  upsample.window.upsample_h = out[2] / from[2];
  upsample.window.upsample_w = out[3] / from[3];
  return first ? std::pair{expanded, b} : std::pair{a, expanded};
}

void lower_add(NodeContext& ctx) {
  const ir::Dims out = broadcast_shapes(ctx.input_shape(0), ctx.input_shape(1));
  if (!ctx.is_constant(0) && !ctx.is_constant(1)) {
    const auto [a, b] = expand_one_operand(ctx, ctx.activation(0), ctx.input_shape(0),
                                           ctx.activation(1), ctx.input_shape(1), out);
    ctx.add_node(ir::Op::Add, {a, b}, ctx.output_value(0, out));
    return;
  }
  const std::size_t act = ctx.is_constant(0) ? 1 : 0;
  const ir::ValueId x = ctx.activation(act);
  ir::Tensor operand = ctx.take_constant(1 - act).to_tensor();
  ctx.add_node(ir::Op::Add, {x}, ctx.output_value(0, out)).weight = std::move(operand);
}

namespace {

// Adds `terms` left to right (each partial sum broadcast as Add does): a chain of Adds named
// sum1, sum2, ..., the last into `output` (Sum, Mean, Concat along H or W).
void add_chain(NodeContext& ctx, const std::vector<ir::ValueId>& terms,
               const std::vector<ir::Dims>& shapes, ir::ValueId output) {
  ir::ValueId sum = terms.front();
  ir::Dims shape = shapes.front(), partial = shape;
  for (std::size_t i = 1; i < terms.size(); ++i) {
    shape = broadcast_shapes(shape, shapes[i]);
    const bool last = i + 1 == terms.size();
    const std::string name = last ? "" : fmt::format("sum{}", i);
    const auto [a, b] = expand_one_operand(ctx, sum, partial, terms[i], shapes[i], shape,
                                           fmt::format("expand{}", i));
    const ir::ValueId into = last ? output : ctx.intermediate_value(name, shape);
    ctx.add_node(ir::Op::Add, {a, b}, into, name);
    sum = into;
    partial = shape;
  }
}

// Sum of the node's activations (one shape, or broadcasting as Add does) into `output` (ONNX
// Sum and Mean; constants among them are not supported).
void add_activations(NodeContext& ctx, ir::ValueId output) {
  std::vector<ir::ValueId> terms;
  std::vector<ir::Dims> shapes;
  for (int i = 0; i < ctx.node().input_size(); ++i) {
    if (ctx.is_constant(i))
      fail("input '{}' is a constant; only a {} of activations is supported", ctx.input_name(i),
           ctx.node().op_type());
    terms.push_back(ctx.activation(i));
    shapes.push_back(ctx.input_shape(i));
  }
  add_chain(ctx, terms, shapes, output);
}

ir::Dims broadcast_inputs(const NodeContext& ctx) {
  ir::Dims shape = ctx.input_shape(0);
  for (int i = 1; i < ctx.node().input_size(); ++i)
    shape = broadcast_shapes(shape, ctx.input_shape(i));
  return shape;
}

}  // namespace

void lower_sum(NodeContext& ctx) {
  if (ctx.node().input_size() == 1) return ctx.define_alias(0, 0);
  if (ctx.node().input_size() == 2) return lower_add(ctx);
  add_activations(ctx, ctx.output_value(0, broadcast_inputs(ctx)));
}

void lower_mean(NodeContext& ctx) {
  const int count = ctx.node().input_size();
  if (count == 1) return ctx.define_alias(0, 0);
  const ir::Dims shape = broadcast_inputs(ctx);
  const ir::ValueId sum = ctx.intermediate_value("sum", shape);
  add_activations(ctx, sum);
  ctx.add_node(ir::Op::Unary, {sum}, ctx.output_value(0, shape), "mean").unary.steps = {
      {ir::UnaryStep::Kind::Affine, 1.0f / static_cast<float>(count), 0.0f}};
}

void lower_sub(NodeContext& ctx) {
  const ir::Dims out = broadcast_shapes(ctx.input_shape(0), ctx.input_shape(1));
  if (!ctx.is_constant(1)) {  // a - b or c - b: an Add whose multiplier of b is negative
    const ir::ValueId b = ctx.activation(1);
    ir::Node& add = ctx.is_constant(0) ? ctx.add_node(ir::Op::Add, {b}, ctx.output_value(0, out))
                                       : ctx.add_node(ir::Op::Add, {ctx.activation(0), b},
                                                      ctx.output_value(0, out));
    if (ctx.is_constant(0)) add.weight = ctx.take_constant(0).to_tensor();
    add.subtract = true;
    return;
  }
  const ir::ValueId x = ctx.activation(0);
  ir::Tensor operand = ctx.take_constant(1).to_tensor();
  for (float& value : operand.data) value = -value;
  ctx.add_node(ir::Op::Add, {x}, ctx.output_value(0, out)).weight = std::move(operand);
}

std::optional<std::vector<double>> per_channel_values(const ir::Dims& in, const Constant& c) {
  const ir::Dims& shape = c.shape;
  const std::int64_t channels = in.size() >= 2 ? in[1] : 1;
  bool per_channel = shape.size() <= in.size() && broadcast_shapes(in, shape) == in;
  for (std::size_t i = 0; per_channel && i < shape.size(); ++i) {
    const std::size_t axis = in.size() - shape.size() + i;
    per_channel = shape[i] == 1 || (axis == 1 && shape[i] == channels);
  }
  if (!per_channel) return std::nullopt;
  std::vector<double> values;
  for (std::int64_t ch = 0; ch < channels; ++ch)
    values.push_back(c.value(c.count() == 1 ? 0 : static_cast<std::size_t>(ch)));
  return values;
}

namespace {

// Constant `values` of shape [N or 1, k, H, W] as a map the vector engines make from activation
// `like` (the same H and W): k copies of its channel 0 times 0 (a ChannelGather, a
// ChannelAffine), plus the constant (an Add of an operand per element). Nodes named `name`.
ir::ValueId constant_map(NodeContext& ctx, ir::Tensor values, ir::ValueId like,
                         const ir::Dims& like_shape, const std::string& name) {
  const std::int64_t channels = values.shape[1];
  const ir::Dims block{like_shape[0], channels, like_shape[2], like_shape[3]};
  const ir::ValueId copies = ctx.intermediate_value(name + "_copies", block);
  ctx.add_node(ir::Op::ChannelGather, {like}, copies, name + "_copies")
      .source_channels.assign(static_cast<std::size_t>(channels), 0);
  const ir::ValueId zeroed = ctx.intermediate_value(name + "_zeros", block);
  ir::Node& times_zero = ctx.add_node(ir::Op::ChannelAffine, {copies}, zeroed, name + "_zeros");
  times_zero.weight = zeros(channels);
  times_zero.bias = zeros(channels);
  const ir::ValueId map = ctx.intermediate_value(name, block);
  ctx.add_node(ir::Op::Add, {zeroed}, map, name).weight = std::move(values);
  return map;
}

// x times (or over) a constant that varies along H or W (a mask per pixel, a learned scale per
// element): the constant as a map (constant_map), one channel or the input's, then a Mul.
void scale_per_element(NodeContext& ctx, std::size_t activation_input, bool divide) {
  const std::size_t constant_input = 1 - activation_input;
  const ir::Dims in = ctx.input_shape(activation_input);
  const ir::Dims& shape = ctx.constant(constant_input).shape;
  if (in.size() != 4 || shape.size() > 4 || broadcast_shapes(in, shape) != in)
    fail(
        "constant '{}' of shape {} scales input '{}' of shape {}; per element only an NCHW map "
        "by a constant of its shape or less is scaled",
        ctx.input_name(constant_input), ir::format_dims(shape), ctx.input_name(activation_input),
        ir::format_dims(in));
  ir::Dims full = shape;  // the constant as [1 or N, 1 or C, H, W]
  full.insert(full.begin(), 4 - shape.size(), 1);
  ir::Tensor values = ctx.take_constant(constant_input).to_tensor();
  if (divide)
    for (float& value : values.data) {
      if (value == 0) fail("constant '{}' divides by 0", ctx.input_name(constant_input));
      value = 1.0f / value;
    }
  // Rows or columns the constant broadcasts along are repeated: the map has the input's H, W.
  ir::Dims map_shape{full[0], full[1], in[2], in[3]};
  values = {map_shape,
            fold_expand(Constant::from_tensor({full, std::move(values.data)}), map_shape).floats};
  const ir::ValueId x = ctx.activation(activation_input);
  const ir::ValueId gate = constant_map(ctx, std::move(values), x, in, "factor");
  ctx.add_node(ir::Op::Mul, {x, gate}, ctx.output_value(0, in));
}

}  // namespace

void lower_scale(NodeContext& ctx, std::size_t activation_input, bool divide) {
  const std::size_t constant_input = 1 - activation_input;
  const ir::Dims in = ctx.input_shape(activation_input);
  const std::optional<std::vector<double>> factors =
      per_channel_values(in, ctx.constant(constant_input));
  if (!factors) return scale_per_element(ctx, activation_input, divide);
  const auto channels = static_cast<std::int64_t>(factors->size());
  ir::Tensor weight = zeros(channels);
  for (std::int64_t c = 0; c < channels; ++c) {
    const double value = (*factors)[static_cast<std::size_t>(c)];
    if (divide && value == 0) fail("constant '{}' divides by 0", ctx.input_name(constant_input));
    weight.data[static_cast<std::size_t>(c)] = static_cast<float>(divide ? 1.0 / value : value);
  }
  const ir::ValueId x = ctx.activation(activation_input);
  ir::Node& affine = ctx.add_node(ir::Op::ChannelAffine, {x}, ctx.output_value(0, in));
  affine.weight = std::move(weight);
  affine.bias = zeros(channels);
}

// ImageScaler (experimental before opset 10; Caffe2 and CoreML conversions such as the ONNX
// model zoo's Tiny YOLOv2): y = scale * x + bias[c] on NCHW, a ChannelAffine.
void lower_image_scaler(NodeContext& ctx) {
  const ir::Dims in = nchw_input(ctx, "ImageScaler");
  const float scale = float_attribute(ctx.node(), "scale", 1.0f);
  const std::vector<float> bias = floats_attribute(ctx.node(), "bias");
  if (!bias.empty() && static_cast<std::int64_t>(bias.size()) != in[1])
    fail("attribute 'bias' has {} values for {} channels", bias.size(), in[1]);
  const ir::ValueId x = ctx.activation(0);
  ir::Node& affine = ctx.add_node(ir::Op::ChannelAffine, {x}, ctx.output_value(0, in));
  affine.weight = {{in[1]}, std::vector<float>(static_cast<std::size_t>(in[1]), scale)};
  affine.bias = bias.empty() ? zeros(in[1]) : ir::Tensor{{in[1]}, bias};
}

namespace {

// Concat along H or W (PyTorch's circular padding and torch.roll: slices and their Concat): each
// input zero-padded to its place in the output (a BorderPad), then Adds of the padded maps, as
// every output pixel has one nonzero term. The accelerator's Concat joins channels only.
void concat_by_padding(NodeContext& ctx, const std::vector<ir::ValueId>& inputs,
                       const std::vector<ir::Dims>& shapes, std::int64_t axis) {
  const ir::Dims out = concat_dims(shapes, axis);
  std::vector<ir::ValueId> placed;
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string name = fmt::format("place{}", i);
    placed.push_back(ctx.intermediate_value(name, out));
    ir::Window& w = ctx.add_node(ir::Op::BorderPad, {inputs[i]}, placed.back(), name).window;
    w.border = ir::Border::Zero;
    (axis == 2 ? w.pad_top : w.pad_left) = offset;
    offset += shapes[i][static_cast<std::size_t>(axis)];
    (axis == 2 ? w.pad_bottom : w.pad_right) = out[static_cast<std::size_t>(axis)] - offset;
  }
  add_chain(ctx, placed, std::vector<ir::Dims>(placed.size(), out), ctx.output_value(0, out));
}

}  // namespace

void lower_concat(NodeContext& ctx) {
  const auto* axis_attribute = find_attribute(ctx.node(), "axis");
  if (!axis_attribute) fail("attribute 'axis' is missing");
  const int first = ctx.first_activation_input();
  const ir::ValueId like = ctx.activation(static_cast<std::size_t>(first));
  const ir::Dims like_shape = ctx.input_shape(static_cast<std::size_t>(first));
  const std::int64_t axis =
      normalize_axis(axis_attribute->i(), static_cast<std::int64_t>(like_shape.size()));
  std::vector<ir::ValueId> inputs;
  std::vector<ir::Dims> shapes;
  // Adjacent constant inputs are one block of constant channels (CoordConv's coordinate maps),
  // made once.
  std::vector<Constant> block;
  std::string block_name;
  const auto flush_block = [&] {
    if (block.empty()) return;
    std::vector<const Constant*> parts;
    for (const Constant& part : block) parts.push_back(&part);
    inputs.push_back(
        constant_map(ctx, fold_concat(parts, 1).to_tensor(), like, like_shape, block_name));
    block.clear();
  };
  for (int i = 0; i < ctx.node().input_size(); ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (ctx.is_constant(u) && axis != 1)
      fail(
          "input '{}' is a constant; Concat of activations and constants is supported along "
          "the channels only",
          ctx.input_name(u));
    shapes.push_back(ctx.input_shape(u));
    if (!ctx.is_constant(u)) {
      flush_block();
      inputs.push_back(ctx.activation(u));
      continue;
    }
    const ir::Dims& shape = shapes.back();
    if (shape.size() != 4 || shape[0] != like_shape[0] || shape[2] != like_shape[2] ||
        shape[3] != like_shape[3])
      fail(
          "input '{}' is a constant of shape {}; Concat of activations and constants is "
          "supported along the channels of NCHW maps only",
          ctx.input_name(u), ir::format_dims(shape));
    if (block.empty()) block_name = fmt::format("constant{}", i);
    block.push_back(ctx.take_constant(u));
  }
  flush_block();
  if (shapes.front().size() == 4 && axis >= 2 && inputs.size() > 1)
    return concat_by_padding(ctx, inputs, shapes, axis);
  ir::Node& concat = ctx.add_node(ir::Op::Concat, std::move(inputs),
                                  ctx.output_value(0, concat_dims(shapes, axis)));
  concat.axis = axis;
}

void lower_flatten(NodeContext& ctx) {
  const ir::ValueId x = ctx.activation(0);
  const ir::Dims in = ctx.input_shape(0);
  const std::int64_t axis = normalize_axis(int_attribute(ctx.node(), "axis", 1),
                                           static_cast<std::int64_t>(in.size()), true);
  ctx.add_node(ir::Op::Flatten, {x}, ctx.output_value(0, flatten_dims(in, axis))).axis = axis;
}

void lower_reshape(NodeContext& ctx) { emit_reshape(ctx, reshape_target(ctx, ctx.input_shape(0))); }

void lower_squeeze(NodeContext& ctx) {
  emit_reshape(ctx, squeeze_dims(ctx.input_shape(0), axes_of(ctx, 13)));
}

void lower_unsqueeze(NodeContext& ctx) {
  emit_reshape(ctx, unsqueeze_dims(ctx.input_shape(0), axes_of(ctx, 13)));
}

namespace {

void lower_softmax_along(NodeContext& ctx, ir::Op op) {
  const ir::ValueId x = ctx.activation(0);
  const ir::Dims in = ctx.input_shape(0);
  const auto rank = static_cast<std::int64_t>(in.size());
  const std::int64_t axis =
      normalize_axis(int_attribute(ctx.node(), "axis", ctx.opset() < 13 ? 1 : -1), rank);
  // Before opset 13, Softmax normalizes over all axes from `axis` on (the input coerced to
  // 2-D); that equals a softmax along `axis` only when the later axes have size 1. (A Softmax
  // folded from Transposes around it is along its axis: frontend/transposed_softmax.h.)
  if (ctx.opset() < 13 && int_attribute(ctx.node(), kSingleAxisAttribute, 0) == 0)
    for (std::int64_t d = axis + 1; d < rank; ++d)
      if (in[d] != 1)
        fail(
            "attribute 'axis' = {} on input {}: before opset 13 {} normalizes over all "
            "trailing axes, which is not supported; flatten first or export with opset >= 13",
            axis, ir::format_dims(in), ir::op_name(op));
  ctx.add_node(op, {x}, ctx.output_value(0, in)).axis = axis;
}

}  // namespace

void lower_softmax(NodeContext& ctx) { lower_softmax_along(ctx, ir::Op::Softmax); }

void lower_argmax(NodeContext& ctx) {
  const ir::Dims in = ctx.input_shape(0);
  const std::int64_t axis =
      normalize_axis(int_attribute(ctx.node(), "axis", 0), static_cast<std::int64_t>(in.size()));
  ir::Dims out = in;
  if (int_attribute(ctx.node(), "keepdims", 1) != 0)
    out[static_cast<std::size_t>(axis)] = 1;
  else
    out.erase(out.begin() + axis);
  ir::Node& node = ctx.add_node(ir::Op::ArgMax, {ctx.activation(0)}, ctx.output_value(0, out));
  node.axis = axis;
  node.last_index = int_attribute(ctx.node(), "select_last_index", 0) != 0;
}

void lower_log_softmax(NodeContext& ctx) { lower_softmax_along(ctx, ir::Op::LogSoftmax); }
void lower_channel_softmax(NodeContext& ctx) {
  const ir::Op op = ctx.node().op_type() == "LogSoftmax" ? ir::Op::LogSoftmax : ir::Op::Softmax;
  ctx.add_node(op, {ctx.activation(0)}, ctx.output_value(0, ctx.input_shape(0))).axis = 1;
}

void lower_identity(NodeContext& ctx) { ctx.define_alias(0, 0); }

// A Transpose of an activation: the identity, a map to NHWC or an [N, C, L] value to [N, L, C]
// and back (a channels-last view, channels_last.cpp), NHWC to NCHW or [N, L, C] to [N, C, L] on a
// graph input read by nothing else (tf2onnx's input layout, which the IR then takes as its
// input's layout), or a channel permutation.
void lower_transpose(NodeContext& ctx) {
  const std::int64_t rank = static_cast<std::int64_t>(ctx.input_shape(0).size());
  std::vector<std::int64_t> identity(static_cast<std::size_t>(rank));
  for (std::int64_t axis = 0; axis < rank; ++axis) identity[static_cast<std::size_t>(axis)] = axis;
  std::vector<std::int64_t> reversed(identity.rbegin(), identity.rend());
  const std::vector<std::int64_t> perm = ints_attribute(ctx.node(), "perm", reversed);
  if (perm == identity) return ctx.define_alias(0, 0);
  // Swapping H and W where one of them is 1 moves no element: a view of the map (coordinate
  // attention's [N, C, 1, W] as [N, C, W, 1]), which the accelerator reads as it is.
  const ir::Dims& in = ctx.input_shape(0);
  if (perm == std::vector<std::int64_t>{0, 1, 3, 2} && (in[2] == 1 || in[3] == 1) &&
      ctx.channels_last_source(0) < 0)
    return emit_reshape(ctx, {in[0], in[1], in[3], in[2]});
  const std::vector<std::int64_t> to_nchw = {0, 3, 1, 2}, to_nhwc = {0, 2, 3, 1};
  const std::vector<std::int64_t> swap_last = {0, 2, 1};
  if (ctx.define_transposed_back(perm)) return;
  if ((perm == to_nhwc || perm == swap_last) && ctx.define_channels_last(0, ctx.activation(0)))
    return;
  const bool computed = ctx.graph().value(ctx.activation(0)).producer >= 0;
  if ((perm == to_nchw || perm == swap_last) && !computed)
    return ctx.define_transposed_input(0, 0, perm);
  lower_channel_transpose(ctx, perm);
}

void lower_dropout(NodeContext& ctx) {
  require_unused_outputs(ctx, 1, "mask");
  if (ctx.has_input(2) && ctx.is_constant(2) && ctx.constant(2).count() == 1 &&
      ctx.constant(2).value(0) != 0)
    fail("input '{}' (training_mode) is true; only inference is supported", ctx.input_name(2));
  ctx.define_alias(0, 0);
}

void lower_cast(NodeContext& ctx) {
  const std::int64_t to = int_attribute(ctx.node(), "to", 0);
  if (to != onnx::TensorProto_DataType_FLOAT && to != onnx::TensorProto_DataType_DOUBLE)
    fail("casting an activation to {} is not supported (only to float)",
         onnx::TensorProto_DataType_Name(static_cast<int>(to)));
  ctx.define_alias(0, 0);
}

void lower_shape(NodeContext& ctx) { fold_shape(ctx); }

}  // namespace pimhls::frontend
