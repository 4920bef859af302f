// Resize and Upsample -> ir::Op::Upsample: nearest-neighbour upsampling of H and W by whole
// factors (FPN, U-Net and YOLO necks; PyTorch's nn.Upsample(scale_factor=2)). The node's
// coordinate_transformation_mode and nearest_mode decide which input pixel an output pixel
// copies; pimhls checks, for every output row and column, that it is input o / factor (each
// input pixel repeated factor times) and rejects the modes that map otherwise.
#include <algorithm>
#include <cmath>
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

// The whole factor from `in` to `out` along one axis whose every output index copies input
// o / factor under `modes`; fails otherwise.
std::int64_t whole_factor(const char* axis, std::int64_t in, std::int64_t out, double scale,
                          const Modes& modes) {
  if (in <= 0 || out < in || out % in != 0)
    fail(
        "resizes {} from {} to {}; only upsampling by whole factors (nearest neighbour) is "
        "supported",
        axis, in, out);
  const std::int64_t factor = out / in;
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
  return factor;
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
  const std::string mode = string_attribute(node, "mode", "nearest");
  if (mode != "nearest") fail("attribute 'mode' = '{}' is not supported (only 'nearest')", mode);
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
  const std::int64_t factor_h = whole_factor("row", in[2], out[2], scales[2], modes);
  const std::int64_t factor_w = whole_factor("column", in[3], out[3], scales[3], modes);
  const ir::ValueId x = ctx.activation(0);
  if (factor_h == 1 && factor_w == 1) {
    ctx.define_alias(0, 0);
    return;
  }
  ir::Node& upsample = ctx.add_node(ir::Op::Upsample, {x}, ctx.output_value(0, out));
  upsample.window.upsample_h = factor_h;
  upsample.window.upsample_w = factor_w;
}

}  // namespace pimhls::frontend
