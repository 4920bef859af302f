// Resize and Upsample -> ir::Op::Upsample: nearest-neighbour upsampling of H and W by whole
// factors (FPN, U-Net and YOLO necks; PyTorch's nn.Upsample(scale_factor=2)). The node's
// coordinate_transformation_mode and nearest_mode decide which input pixel an output pixel
// copies; pimhls checks, for every output row and column, that it is input o / factor (each
// input pixel repeated factor times) and rejects the modes that map otherwise.
//
// Linear (bilinear) upsampling by whole factors f (segmentation heads: torchvision's FCN and
// DeepLabV3, U-Nets) is the nearest upsampling followed by box averages over the taps inside
// the plane: f taps centred for odd f (half_pixel), f taps then 2 for even f, f taps from the
// pixel on (asymmetric; align_corners from n to (n - 1) * f + 1 pixels, without the last f - 1
// outputs). On the nearest-upsampled plane every tap a box loses past the border equals the
// border pixel, so averaging the taps inside is ONNX's edge clamp; pimhls checks the weights of
// every output row and column against ONNX's linear interpolation. Boxes of more than 9 taps
// average the rows, then the columns (two AveragePools of the same result).
//
// Downsampling by whole factors k (F.interpolate(scale_factor=0.5), Keras' resize in pyramids):
// output o reads input k * o + d (nearest, linear at odd k: a strided slice, a 1x1 MaxPool), or
// the mean of that pixel and the next (linear half_pixel at even k: a 2-tap AveragePool with
// stride k); pimhls checks every output row and column against ONNX's mapping.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
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
  if (mode == "align_corners")
    return out == 1 ? 0.0 : x * static_cast<double>(in - 1) / static_cast<double>(out - 1);
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

// The whole factor from `in` to `out` along one axis; fails for anything but upsampling.
std::int64_t whole_factor(const char* axis, std::int64_t in, std::int64_t out) {
  if (in <= 0 || out < in || out % in != 0)
    fail("resizes {} from {} to {}; only resizing by whole factors is supported", axis, in, out);
  return out / in;
}

// Fails unless every output index copies input o / factor under `modes`.
void check_nearest(const char* axis, std::int64_t in, std::int64_t factor, double scale,
                   const Modes& modes) {
  const std::int64_t out = in * factor;
  for (std::int64_t o = 0; o < out; ++o) {
    const std::int64_t i = std::clamp<std::int64_t>(
        nearest_index(modes.nearest, input_coordinate(modes.coordinates, o, scale, in, out)), 0,
        in - 1);
    if (i != o / factor)
      fail(
          "coordinate_transformation_mode '{}' with nearest_mode '{}' maps output {} {} to input "
          "{} {}, not {}; only modes that repeat every input pixel {} times are supported",
          modes.coordinates, modes.nearest, axis, o, axis, i, o / factor, factor);
  }
}

// A box average along one axis: `kernel` taps from `pad_before` before the output index on.
struct Box {
  std::int64_t kernel = 1;
  std::int64_t pad_before = 0;
};

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

// The weights of every output index of nearest upsampling by `factor`, then `boxes`.
std::vector<LineWeights> box_weights(std::int64_t in, std::int64_t factor,
                                     const std::vector<Box>& boxes) {
  const std::int64_t out = in * factor;
  std::vector<LineWeights> line(static_cast<std::size_t>(out));
  for (std::int64_t o = 0; o < out; ++o) line[static_cast<std::size_t>(o)][o / factor] = 1.0;
  for (const Box& box : boxes) {
    std::vector<LineWeights> averaged(line.size());
    for (std::int64_t o = 0; o < out; ++o) {
      const std::int64_t first = std::max<std::int64_t>(0, o - box.pad_before);
      const std::int64_t last = std::min(out, o - box.pad_before + box.kernel);
      for (std::int64_t j = first; j < last; ++j)
        for (const auto& [i, weight] : line[static_cast<std::size_t>(j)])
          averaged[static_cast<std::size_t>(o)][i] += weight / static_cast<double>(last - first);
    }
    line = std::move(averaged);
  }
  return line;
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

// One axis of a resize as pimhls runs it: nearest upsampling by `factor`, then `boxes`, the
// last of which leaves out the `crop` trailing outputs.
struct AxisPlan {
  std::int64_t factor = 1;
  std::vector<Box> boxes;
  std::int64_t crop = 0;
};

// The plan of a linear resize from `in` to `out` along one axis whose weights are ONNX's linear
// interpolation under `modes`; fails when no plan gives them.
AxisPlan linear_plan(const char* axis, std::int64_t in, std::int64_t out, double scale,
                     const Modes& modes) {
  if (in == 1) return {out, {}, 0};  // every output reads the one pixel (ASPP's pooled branch)
  std::vector<AxisPlan> candidates;
  if (out % in == 0) {
    const std::int64_t f = out / in;
    candidates.push_back({f, {{f, (f - 1) / 2}}, 0});    // odd f, half_pixel: centred
    candidates.push_back({f, {{f, f / 2}, {2, 0}}, 0});  // even f, half_pixel: f + 1 taps
    candidates.push_back({f, {{f, 0}}, 0});              // asymmetric: from the pixel on
  }
  if (out > in && (out - 1) % (in - 1) == 0) {  // align_corners: n to (n - 1) * f + 1
    const std::int64_t f = (out - 1) / (in - 1);
    candidates.push_back({f, {{f, 0}}, f - 1});
  }
  for (const AxisPlan& plan : candidates) {
    const std::vector<LineWeights> weights = box_weights(in, plan.factor, plan.boxes);
    bool same = true;
    for (std::int64_t o = 0; same && o < out; ++o)
      same = same_weights(weights[static_cast<std::size_t>(o)],
                          linear_weights(modes, o, scale, in, out));
    if (same) return plan;
  }
  fail(
      "linear resize of {}s from {} to {} with coordinate_transformation_mode '{}' is not "
      "supported (upsampling by whole factors: half_pixel, pytorch_half_pixel or asymmetric; "
      "align_corners from n to (n - 1) * f + 1)",
      axis, in, out, modes.coordinates);
}

// One axis of a box average pass: the box and the trailing outputs it leaves out.
struct BoxPass {
  Box box;
  std::int64_t crop = 0;
};

BoxPass pass_of(const AxisPlan& plan, std::size_t stage) {
  if (stage >= plan.boxes.size()) return {};  // kernel 1 where an axis has fewer stages
  return {plan.boxes[stage], stage + 1 == plan.boxes.size() ? plan.crop : 0};
}

// A box of more taps than a 3x3 pool's averages its rows, then its columns (the taps inside the
// plane are a rectangle, so the two averages are the one): the vector engine reads all taps of
// a window at once, and FCN's bilinear by 8 would need 64 taps per channel lane.
constexpr std::int64_t kMaxBoxTaps = 9;

// Adds the AveragePool of `rows` x `columns` from `x` into `output`.
void add_box_average(NodeContext& ctx, ir::ValueId x, ir::ValueId output, const BoxPass& rows,
                     const BoxPass& columns, const std::string& name) {
  ir::Window& w = ctx.add_node(ir::Op::AveragePool, {x}, output, name).window;
  w.kernel_h = rows.box.kernel;
  w.kernel_w = columns.box.kernel;
  w.pad_top = rows.box.pad_before;
  w.pad_bottom = rows.box.kernel - 1 - rows.box.pad_before - rows.crop;
  w.pad_left = columns.box.pad_before;
  w.pad_right = columns.box.kernel - 1 - columns.box.pad_before - columns.crop;
}

// One axis of a downsampling: output o reads input step * o + offset, or with kernel 2 the mean
// of that pixel and the next.
struct DownAxis {
  std::int64_t step = 1, offset = 0, kernel = 1;
};

// The DownAxis whose reads are ONNX's nearest or linear mapping from `in` to `out` pixels at
// `scale` (1 / step); fails when none is.
DownAxis down_axis(const char* axis, const std::string& mode, const Modes& modes, std::int64_t in,
                   std::int64_t out, double scale) {
  if (out > in)
    fail("resizes {}s from {} to {} while it shrinks the other axis; resize them one at a time",
         axis, in, out);
  const double inverse = 1.0 / scale;
  const auto step = static_cast<std::int64_t>(std::llround(inverse));
  if (step < 1 || std::abs(inverse - static_cast<double>(step)) > 1e-6 * inverse)
    fail("resizes {}s from {} to {} (scale {:g}); only whole factors are supported", axis, in, out,
         scale);
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
      if (same) return {step, offset, kernel};
    }
  fail(
      "{} resize of {}s from {} to {} with coordinate_transformation_mode '{}' is not supported "
      "(downsampling by whole factors k: output o reads input k * o + d, or linear the mean of "
      "two neighbours)",
      mode, axis, in, out, modes.coordinates);
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

}  // namespace

void lower_resize(NodeContext& ctx) {
  const onnx::NodeProto& node = ctx.node();
  const ir::Dims& in = ctx.input_shape(0);
  if (in.size() != 4)
    fail("input '{}' has shape {}; only NCHW (4-D) inputs are resized", ctx.input_name(0),
         ir::format_dims(in));
  std::string mode = string_attribute(node, "mode", "nearest");
  if (mode == "bilinear" && node.op_type() == "Upsample") mode = "linear";  // Upsample-1's name
  if (mode != "nearest" && mode != "linear")
    fail("attribute 'mode' = '{}' is not supported (nearest or linear)", mode);
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
  if (out[2] < in[2] || out[3] < in[3])
    return add_downsampling(ctx, in, out, down_axis("row", mode, modes, in[2], out[2], scales[2]),
                            down_axis("column", mode, modes, in[3], out[3], scales[3]));
  AxisPlan rows, columns;
  if (mode == "nearest") {
    rows.factor = whole_factor("row", in[2], out[2]);
    columns.factor = whole_factor("column", in[3], out[3]);
    check_nearest("row", in[2], rows.factor, scales[2], modes);
    check_nearest("column", in[3], columns.factor, scales[3], modes);
  } else {
    rows = linear_plan("row", in[2], out[2], scales[2], modes);
    columns = linear_plan("column", in[3], out[3], scales[3], modes);
  }
  if (rows.factor == 1 && columns.factor == 1) return ctx.define_alias(0, 0);

  const std::size_t stages = std::max(rows.boxes.size(), columns.boxes.size());
  // The plane after the nearest upsampling (stage 0) and after each box average.
  auto plane = [&](std::size_t stage) {
    auto length = [stage](const AxisPlan& plan, std::int64_t n) {
      return n * plan.factor - (stage > 0 && stage >= plan.boxes.size() ? plan.crop : 0);
    };
    return ir::Dims{in[0], in[1], length(rows, in[2]), length(columns, in[3])};
  };
  ir::ValueId value =
      stages == 0 ? ctx.output_value(0, out) : ctx.intermediate_value("nearest", plane(0));
  ir::Node& upsample = ctx.add_node(ir::Op::Upsample, {ctx.activation(0)}, value);
  upsample.window.upsample_h = rows.factor;
  upsample.window.upsample_w = columns.factor;
  for (std::size_t stage = 0; stage < stages; ++stage) {
    const std::string name = fmt::format("average{}", stage);
    const ir::Dims next = plane(stage + 1);
    const ir::ValueId averaged =
        stage + 1 == stages ? ctx.output_value(0, out) : ctx.intermediate_value(name, next);
    const BoxPass row = pass_of(rows, stage), column = pass_of(columns, stage);
    if (row.box.kernel * column.box.kernel <= kMaxBoxTaps) {
      add_box_average(ctx, value, averaged, row, column, name);
    } else {
      const ir::Dims row_plane{next[0], next[1], next[2], plane(stage)[3]};
      const ir::ValueId row_average = ctx.intermediate_value(name + "_rows", row_plane);
      add_box_average(ctx, value, row_average, row, {}, name + "_rows");
      add_box_average(ctx, row_average, averaged, {}, column, name + "_columns");
    }
    value = averaged;
  }
}

}  // namespace pimhls::frontend
