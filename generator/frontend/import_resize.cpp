// Resize and Upsample. Per output row and column, the input pixels ONNX reads (its
// coordinate_transformation_mode and nearest_mode; linear: the two around the coordinate,
// clamped to the line as ONNX pads with the edge values) decide the IR:
//  - each input pixel repeated f times (nearest by whole factors: FPN, U-Net and YOLO necks,
//    nn.Upsample(scale_factor=2); linear from one pixel: DeepLabV3's pooled ASPP branch): an
//    Upsample, a 1x1 window moving every f rows or columns;
//  - downsampling by whole factors k (F.interpolate(scale_factor=0.5), Keras' resize in
//    pyramids): output o reads input k * o + d (nearest, linear at odd k: a strided slice, a 1x1
//    MaxPool), or the mean of that pixel and the next (linear half_pixel at even k: a 2-tap
//    AveragePool with stride k);
//  - anything else (bilinear upsampling in segmentation heads and U-Nets, align_corners,
//    fractional sizes, one axis down and the other up): a Resample (ir/resample.h), a 2x2 window
//    per output pixel at the tabled rows and columns, weighted, in one vector pass;
//  - cubic (F.interpolate(mode='bicubic'): super-resolution skips) by whole factors f_h, f_w
//    with a coordinate mode whose taps repeat every f pixels: a polyphase filter on the arrays,
//    the input's edges repeated (a BorderPad: ONNX reads past the edge as the edge), a grouped
//    Conv with f_h * f_w phases per channel, each phase's taps the product of its row and
//    column weights, then those phases interleaved (an Upsample by f reading them, as
//    DepthToSpace).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "ir/border_pad.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

struct Modes {
  std::string coordinates = "half_pixel";  // coordinate_transformation_mode
  std::string nearest = "round_prefer_floor";
};

// The input coordinate of output index `o` (ONNX Resize's coordinate transformation).
double input_coordinate(const std::string& mode, std::int64_t o, double scale, std::int64_t in,
                        std::int64_t out) {
  const double x = static_cast<double>(o);
  if (mode == "half_pixel" || mode == "half_pixel_symmetric") return (x + 0.5) / scale - 0.5;
  if (mode == "pytorch_half_pixel") return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
  if (mode == "asymmetric") return x / scale;
  if (mode == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
  if (mode == "align_corners") {  // over the unrounded output length in * scale (ONNX's)
    const double resized = static_cast<double>(in) * scale;
    return out == 1 || resized == 1.0 ? 0.0 : x * static_cast<double>(in - 1) / (resized - 1.0);
  }
  fail("attribute 'coordinate_transformation_mode' = '{}' is not supported", mode);
}

std::int64_t nearest_index(const std::string& mode, double x) {
  const double below = std::floor(x);
  if (mode == "floor") return static_cast<std::int64_t>(below);
  if (mode == "ceil") return static_cast<std::int64_t>(std::ceil(x));
  const bool half = x - below == 0.5;
  if (mode == "round_prefer_floor") return static_cast<std::int64_t>(half ? below : std::round(x));
  if (mode == "round_prefer_ceil")
    return static_cast<std::int64_t>(half ? below + 1 : std::round(x));
  fail("attribute 'nearest_mode' = '{}' is not supported", mode);
}

using LineWeights = std::map<std::int64_t, double>;  // input index -> weight

// ONNX's linear interpolation of output index o: the two input pixels around its input
// coordinate, clamped to the line (ONNX's reference pads the line with its edge values).
LineWeights linear_weights(const Modes& modes, std::int64_t o, double scale, std::int64_t in,
                           std::int64_t out) {
  const double x = input_coordinate(modes.coordinates, o, scale, in, out);
  const double below = std::floor(x);
  const auto i = static_cast<std::int64_t>(below);
  LineWeights weights;
  weights[std::clamp<std::int64_t>(i, 0, in - 1)] += 1.0 - (x - below);
  weights[std::clamp<std::int64_t>(i + 1, 0, in - 1)] += x - below;
  return weights;
}

bool same_weights(const LineWeights& a, const LineWeights& b) {
  auto covered = [](const LineWeights& x, const LineWeights& y) {
    for (const auto& [i, weight] : x) {
      const auto other = y.find(i);
      if (std::abs(weight - (other == y.end() ? 0.0 : other->second)) > 1e-9) return false;
    }
    return true;
  };
  return covered(a, b) && covered(b, a);
}

// One axis of a downsampling: output o reads input step * o + offset, or with kernel 2 the mean
// of that pixel and the next.
struct DownAxis {
  std::int64_t step = 1, offset = 0, kernel = 1;
};

// The DownAxis whose reads are ONNX's nearest or linear mapping from `in` to `out` pixels at
// `scale` (1 / step), if one is.
std::optional<DownAxis> down_axis(const std::string& mode, const Modes& modes, std::int64_t in,
                                  std::int64_t out, double scale) {
  if (out > in) return std::nullopt;
  const double inverse = 1.0 / scale;
  const auto step = static_cast<std::int64_t>(std::llround(inverse));
  if (step < 1 || std::abs(inverse - static_cast<double>(step)) > 1e-6 * inverse)
    return std::nullopt;
  const double exact = 1.0 / static_cast<double>(step);  // a float scale of 1/3 is not quite
  for (std::int64_t kernel = 1; kernel <= (mode == "linear" ? 2 : 1); ++kernel)
    for (std::int64_t offset = 0; offset < step; ++offset) {
      if (offset + (out - 1) * step + kernel > in) break;
      bool same = true;
      for (std::int64_t o = 0; same && o < out; ++o) {
        const std::int64_t first = step * o + offset;
        if (mode == "nearest") {
          const double x = input_coordinate(modes.coordinates, o, exact, in, out);
          same = std::clamp<std::int64_t>(nearest_index(modes.nearest, x), 0, in - 1) == first;
        } else {
          const LineWeights taps =
              kernel == 1 ? LineWeights{{first, 1.0}} : LineWeights{{first, 0.5}, {first + 1, 0.5}};
          same = same_weights(taps, linear_weights(modes, o, exact, in, out));
        }
      }
      if (same) return DownAxis{step, offset, kernel};
    }
  return std::nullopt;
}

// Downsampling: a strided slice (a 1x1 MaxPool) or a 2-tap AveragePool with stride k.
void add_downsampling(NodeContext& ctx, const ir::Dims& in, const ir::Dims& out,
                      const DownAxis& rows, const DownAxis& columns) {
  const ir::ValueId output = ctx.output_value(0, out);
  if (rows.kernel == 1 && columns.kernel == 1) {
    ctx.add_node(ir::Op::MaxPool, {ctx.activation(0)}, output).window = strided_slice_window(
        in[2], in[3], {rows.offset, rows.step, out[2]}, {columns.offset, columns.step, out[3]});
    return;
  }
  ir::Window& w = ctx.add_node(ir::Op::AveragePool, {ctx.activation(0)}, output).window;
  w.kernel_h = rows.kernel;
  w.kernel_w = columns.kernel;
  w.stride_h = rows.step;
  w.stride_w = columns.step;
  w.pad_top = -rows.offset;
  w.pad_left = -columns.offset;
  w.pad_bottom = -(in[2] - (rows.offset + (out[2] - 1) * rows.step + rows.kernel));
  w.pad_right = -(in[3] - (columns.offset + (out[3] - 1) * columns.step + columns.kernel));
}

// Scales per axis (N, C, H, W) from an input or the Upsample-7 attribute; empty if absent.
std::vector<double> scales_of(NodeContext& ctx, std::size_t input) {
  std::vector<double> scales;
  if (ctx.has_input(input) && !ctx.input_name(input).empty()) {
    const Constant& constant = ctx.constant(input);
    for (std::size_t i = 0; i < static_cast<std::size_t>(constant.count()); ++i)
      scales.push_back(constant.value(i));
  } else if (const onnx::AttributeProto* attribute = find_attribute(ctx.node(), "scales")) {
    scales.assign(attribute->floats().begin(), attribute->floats().end());
  }
  return scales;
}

// The whole factor f when axis `axis` of a resize from `in` to `out` repeats each input pixel f
// times (every weight 0, output o reads input o / f).
std::optional<std::int64_t> repeat_factor(const ir::ResampleAxis& axis, std::int64_t in,
                                          std::int64_t out) {
  if (in <= 0 || out < in || out % in != 0) return std::nullopt;
  const std::int64_t factor = out / in;
  for (std::int64_t o = 0; o < out; ++o)
    if (axis.first[static_cast<std::size_t>(o)] != o / factor ||
        axis.weight[static_cast<std::size_t>(o)] != 0.0)
      return std::nullopt;
  return factor;
}

// One axis of a Resample: per output index, the first input index it reads and the next one's
// weight (ONNX's nearest index, or its linear interpolation with the coordinate clamped to the
// line: the edge values ONNX pads with give the same).
ir::ResampleAxis resample_axis(bool linear, const Modes& modes, std::int64_t in, std::int64_t out,
                               double scale) {
  ir::ResampleAxis axis;
  for (std::int64_t o = 0; o < out; ++o) {
    const double x = input_coordinate(modes.coordinates, o, scale, in, out);
    if (!linear) {
      axis.first.push_back(std::clamp<std::int64_t>(nearest_index(modes.nearest, x), 0, in - 1));
      axis.weight.push_back(0.0);
      continue;
    }
    // a coordinate within 1e-9 of a pixel reads it alone (round-off keeps no second tap)
    const double pixel = std::round(x);
    const double clamped =
        std::clamp(std::abs(pixel - x) <= 1e-9 ? pixel : x, 0.0, static_cast<double>(in - 1));
    const auto first = std::min(static_cast<std::int64_t>(std::floor(clamped)), in - 1);
    axis.first.push_back(first);
    axis.weight.push_back(clamped - static_cast<double>(first));
  }
  return axis;
}

// An Upsample when both axes repeat whole pixels (nothing when by 1), else a Resample: a 2x2
// window (1 along an axis whose weights are all 0) per output pixel.
void add_resample(NodeContext& ctx, const ir::Dims& in, const ir::Dims& out, ir::ResampleAxis rows,
                  ir::ResampleAxis columns) {
  const std::optional<std::int64_t> row_factor = repeat_factor(rows, in[2], out[2]);
  const std::optional<std::int64_t> column_factor = repeat_factor(columns, in[3], out[3]);
  if (row_factor && column_factor) {
    if (*row_factor == 1 && *column_factor == 1) return ctx.define_alias(0, 0);
    ir::Node& upsample =
        ctx.add_node(ir::Op::Upsample, {ctx.activation(0)}, ctx.output_value(0, out));
    upsample.window.upsample_h = *row_factor;
    upsample.window.upsample_w = *column_factor;
    return;
  }
  ir::Node& node = ctx.add_node(ir::Op::Resample, {ctx.activation(0)}, ctx.output_value(0, out));
  const auto kernel = [](const ir::ResampleAxis& axis) {
    return std::any_of(axis.weight.begin(), axis.weight.end(), [](double w) { return w != 0.0; })
               ? 2
               : 1;
  };
  node.window.kernel_h = kernel(rows);
  node.window.kernel_w = kernel(columns);
  node.resample_rows = std::move(rows);
  node.resample_columns = std::move(columns);
}

// ONNX's cubic convolution kernel with coefficient `a` at distance t from the coordinate.
double cubic_kernel(double a, double t) {
  t = std::abs(t);
  if (t <= 1.0) return ((a + 2.0) * t - (a + 3.0)) * t * t + 1.0;
  if (t < 2.0) return ((a * t - 5.0 * a) * t + 8.0 * a) * t - 4.0 * a;
  return 0.0;
}

// One axis of a cubic resize by a whole factor: output f * q + p reads input q + k, k in
// [first, first + taps) (past the edge: the edge), with weights[p][k - first].
struct CubicAxis {
  std::int64_t factor = 1, first = 0, taps = 1;
  std::vector<std::vector<double>> weights;
};

// The CubicAxis of ONNX's cubic interpolation from `in` to `out` pixels, if out is a whole
// multiple of in and every output phase reads the same offsets with the same weights.
std::optional<CubicAxis> cubic_axis(const Modes& modes, double a, std::int64_t in, std::int64_t out,
                                    double scale) {
  if (in <= 0 || out < in || out % in != 0) return std::nullopt;
  CubicAxis axis;
  axis.factor = out / in;
  constexpr std::int64_t kReach = 2;  // (the 4 taps around a coordinate within a pixel of q)
  std::vector<std::array<double, 2 * kReach + 1>> phases(static_cast<std::size_t>(axis.factor));
  for (std::int64_t o = 0; o < out; ++o) {
    const double x = input_coordinate(modes.coordinates, o, scale, in, out);
    const double below = std::floor(x);
    std::array<double, 2 * kReach + 1> taps{};
    for (int j = -1; j <= 2; ++j) {
      const double weight = cubic_kernel(a, x - (below + j));
      const double offset = below + j - static_cast<double>(o / axis.factor);
      if (weight == 0.0) continue;
      if (std::abs(offset) > kReach) return std::nullopt;
      taps[static_cast<std::size_t>(offset + kReach)] += weight;
    }
    auto& phase = phases[static_cast<std::size_t>(o % axis.factor)];
    if (o < axis.factor) phase = taps;
    for (std::size_t k = 0; k < taps.size(); ++k)
      if (std::abs(taps[k] - phase[k]) > 1e-9) return std::nullopt;
  }
  // The offsets any phase reads.
  std::int64_t lowest = kReach, highest = -kReach;
  for (const auto& phase : phases)
    for (std::int64_t k = -kReach; k <= kReach; ++k)
      if (phase[static_cast<std::size_t>(k + kReach)] != 0.0) {
        lowest = std::min(lowest, k);
        highest = std::max(highest, k);
      }
  axis.first = lowest;
  axis.taps = highest - lowest + 1;
  for (const auto& phase : phases)
    axis.weights.emplace_back(phase.begin() + (lowest + kReach),
                              phase.begin() + (highest + kReach + 1));
  return axis;
}

// The polyphase filter of a cubic resize: BorderPad (edge), grouped Conv, interleaving Upsample.
void add_cubic_resize(NodeContext& ctx, const ir::Dims& in, const ir::Dims& out,
                      const CubicAxis& rows, const CubicAxis& columns) {
  const auto identity = [](const CubicAxis& axis) {
    return axis.factor == 1 && axis.taps == 1 && axis.first == 0 && axis.weights[0][0] == 1.0;
  };
  if (identity(rows) && identity(columns)) return ctx.define_alias(0, 0);
  ir::ValueId x = ctx.activation(0);
  ir::Window pad;
  pad.border = ir::Border::Edge;
  pad.pad_top = -rows.first;
  pad.pad_bottom = rows.first + rows.taps - 1;
  pad.pad_left = -columns.first;
  pad.pad_right = columns.first + columns.taps - 1;
  if (pad.pad_top > 0 || pad.pad_bottom > 0 || pad.pad_left > 0 || pad.pad_right > 0) {
    const ir::ValueId padded = ctx.intermediate_value("edges", ir::border_padded_dims(pad, in));
    ctx.add_node(ir::Op::BorderPad, {x}, padded, "edges").window = pad;
    x = padded;
  }
  const std::int64_t channels = in[1], phases = rows.factor * columns.factor;
  const ir::ValueId filtered =
      ctx.intermediate_value("phases", {in[0], channels * phases, in[2], in[3]});
  ir::Node& conv = ctx.add_node(ir::Op::Conv, {x}, filtered, "phases");
  conv.window.kernel_h = rows.taps;
  conv.window.kernel_w = columns.taps;
  conv.window.group = channels;
  const std::int64_t taps = rows.taps * columns.taps;
  conv.weight = {{channels * phases, 1, rows.taps, columns.taps},
                 std::vector<float>(static_cast<std::size_t>(channels * phases * taps))};
  conv.bias = {{channels * phases},
               std::vector<float>(static_cast<std::size_t>(channels * phases))};
  std::vector<std::int64_t> sources;  // (output channel c at phase k reads c * phases + k)
  for (std::int64_t p = 0; p < phases; ++p)
    for (std::int64_t c = 0; c < channels; ++c) sources.push_back(c * phases + p);
  for (std::int64_t c = 0; c < channels; ++c)
    for (std::int64_t p = 0; p < phases; ++p)
      for (std::int64_t i = 0; i < rows.taps; ++i)
        for (std::int64_t j = 0; j < columns.taps; ++j)
          conv.weight.data[static_cast<std::size_t>(
              ((c * phases + p) * rows.taps + i) * columns.taps + j)] =
              static_cast<float>(rows.weights[static_cast<std::size_t>(p / columns.factor)]
                                             [static_cast<std::size_t>(i)] *
                                 columns.weights[static_cast<std::size_t>(p % columns.factor)]
                                                [static_cast<std::size_t>(j)]);
  ir::Node& interleave = ctx.add_node(ir::Op::Upsample, {filtered}, ctx.output_value(0, out));
  interleave.window.upsample_h = rows.factor;
  interleave.window.upsample_w = columns.factor;
  interleave.source_channels = std::move(sources);
}

}  // namespace

void lower_resize(NodeContext& ctx) {
  const onnx::NodeProto& node = ctx.node();
  const ir::Dims& in = ctx.input_shape(0);
  if (in.size() != 4)
    fail("input '{}' has shape {}; only NCHW (4-D) inputs are resized", ctx.input_name(0),
         ir::format_dims(in));
  std::string mode = string_attribute(node, "mode", "nearest");
  if (mode == "bilinear" && node.op_type() == "Upsample") mode = "linear";  // Upsample-1's name
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    fail("attribute 'mode' = '{}' is not supported (nearest, linear or cubic)", mode);
  if (find_attribute(node, "axes"))
    fail("attribute 'axes' is not supported (scales or sizes for all four axes)");
  const std::string policy = string_attribute(node, "keep_aspect_ratio_policy", "stretch");
  if (policy != "stretch")
    fail("attribute 'keep_aspect_ratio_policy' = '{}' is not supported (only 'stretch')", policy);

  // Upsample and Resize-10 take (X, scales) and map asymmetric + floor; Resize-11 on takes
  // (X, roi, scales, sizes) and has the modes as attributes.
  const bool legacy = node.op_type() == "Upsample" || ctx.opset() < 11;
  Modes modes;
  if (legacy) {
    modes = {"asymmetric", "floor"};
  } else {
    modes.coordinates = string_attribute(node, "coordinate_transformation_mode", "half_pixel");
    modes.nearest = string_attribute(node, "nearest_mode", "round_prefer_floor");
    if (modes.coordinates == "tf_crop_and_resize")
      fail("coordinate_transformation_mode 'tf_crop_and_resize' is not supported");
  }
  std::vector<double> scales = scales_of(ctx, legacy ? 1 : 2);
  ir::Dims out = in;
  if (!legacy && ctx.has_input(3) && !ctx.input_name(3).empty()) {
    if (!scales.empty()) fail("has both scales and sizes; ONNX allows one of them");
    const std::vector<std::int64_t> sizes = ctx.constant(3).to_ints();
    if (sizes.size() != 4)
      fail("sizes '{}' has {} values for a 4-D input", ctx.input_name(3), sizes.size());
    out = sizes;
    for (std::size_t axis = 0; axis < 4; ++axis)
      scales.push_back(static_cast<double>(out[axis]) / static_cast<double>(in[axis]));
  } else {
    if (scales.size() != 4)
      fail("needs 4 scales (N, C, H, W) or sizes, got {} scale(s)", scales.size());
    for (std::size_t axis = 0; axis < 4; ++axis) {
      const double size = std::floor(static_cast<double>(in[axis]) * scales[axis]);
      if (!(scales[axis] > 0) || !(size < 0x1p40))
        fail("scale {:g} of axis {} is not a positive factor pimhls can hold", scales[axis], axis);
      out[axis] = static_cast<std::int64_t>(size);
    }
  }
  checked_element_count(out);  // before looking at every output row and column
  if (out[0] != in[0] || out[1] != in[1])
    fail("resizes the batch or channel axis ({} to {}); only H and W are resized",
         ir::format_dims(in), ir::format_dims(out));
  if (mode == "linear" && int_attribute(node, "antialias", 0) != 0 &&
      (out[2] < in[2] || out[3] < in[3]))
    fail("attribute 'antialias' = 1 while downsampling is not supported");
  if (mode == "cubic") {
    if (legacy)
      fail("mode 'cubic' needs Resize from opset 11 (Upsample and Resize-10 have no cubic mode)");
    if (int_attribute(node, "exclude_outside", 0) != 0)
      fail("attribute 'exclude_outside' = 1 in cubic mode is not supported");
    const double a = float_attribute(node, "cubic_coeff_a", -0.75f);
    const std::optional<CubicAxis> rows = cubic_axis(modes, a, in[2], out[2], scales[2]);
    const std::optional<CubicAxis> columns = cubic_axis(modes, a, in[3], out[3], scales[3]);
    if (!rows || !columns)
      fail(
          "cubic resize of {} to {} with coordinate_transformation_mode '{}' is not supported; "
          "only upsampling by whole factors whose taps repeat every factor pixels (as with "
          "half_pixel, pytorch_half_pixel or asymmetric; not align_corners)",
          ir::format_dims(in), ir::format_dims(out), modes.coordinates);
    return add_cubic_resize(ctx, in, out, *rows, *columns);
  }
  if ((out[2] < in[2] || out[3] < in[3]) && out[2] <= in[2] && out[3] <= in[3]) {
    const std::optional<DownAxis> rows = down_axis(mode, modes, in[2], out[2], scales[2]);
    const std::optional<DownAxis> columns = down_axis(mode, modes, in[3], out[3], scales[3]);
    if (rows && columns) return add_downsampling(ctx, in, out, *rows, *columns);
  }
  const bool linear = mode == "linear";
  add_resample(ctx, in, out, resample_axis(linear, modes, in[2], out[2], scales[2]),
               resample_axis(linear, modes, in[3], out[3], scales[3]));
}

}  // namespace pimhls::frontend
