// ConvTranspose -> ZeroInsert + Conv (U-Net decoders, GAN generators). A transposed convolution
// with strides s is the convolution, with stride 1, of the input spread by s (zeros between its
// pixels), padded by dilation * (kernel - 1) - pad, with the kernel flipped and its input and
// output channels exchanged (per group). The PIM arrays then hold an ordinary Conv; the zeros
// cost MACs as they would on any zero-insertion accelerator. Pads beyond the dilated kernel's
// reach crop the output further: the Conv's pad there is negative, and a stride-1 Conv with
// a negative pad is the Conv of its input without those rows, so the spread input is cropped
// first (a 1x1 MaxPool with negative pads, as Slice crops) and the Conv keeps its fused
// BatchNorm/ReLU.
#include <algorithm>
#include <string>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "frontend/window.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

std::int64_t floor_half(std::int64_t a) { return a >= 0 ? a / 2 : -((-a + 1) / 2); }

// One spatial axis: its pads as ONNX resolves them (explicit pads, or from output_shape or
// SAME_*), then the pads of the equivalent Conv; returns the output size.
struct TransposedAxis {
  std::int64_t input = 1, kernel = 1, stride = 1, dilation = 1, output_padding = 0;
  std::int64_t pad_begin = 0, pad_end = 0;

  std::int64_t reach() const { return (kernel - 1) * dilation; }
  std::int64_t spread() const { return (input - 1) * stride + 1; }
  // The equivalent Conv's pads on the spread input (negative: rows cropped from it).
  std::int64_t conv_pad_begin() const { return reach() - pad_begin; }
  std::int64_t conv_pad_end() const { return reach() - pad_end + output_padding; }
  // The spread input's rows left after the crops.
  std::int64_t cropped() const {
    return spread() + std::min<std::int64_t>(conv_pad_begin(), 0) +
           std::min<std::int64_t>(conv_pad_end(), 0);
  }
};

std::int64_t resolve(TransposedAxis& axis, AutoPad auto_pad, std::int64_t output_shape,
                     const char* name) {
  const std::int64_t full =
      axis.stride * (axis.input - 1) + axis.output_padding + (axis.kernel - 1) * axis.dilation + 1;
  if (auto_pad == AutoPad::Valid) axis.pad_begin = axis.pad_end = 0;
  if (output_shape > 0 || auto_pad == AutoPad::SameUpper || auto_pad == AutoPad::SameLower) {
    const std::int64_t target = output_shape > 0 ? output_shape : axis.input * axis.stride;
    const std::int64_t total = full - target;  // the ONNX reference's floor divisions
    const bool upper = auto_pad == AutoPad::SameUpper;
    axis.pad_begin = upper ? floor_half(total) : total - floor_half(total);
    axis.pad_end = upper ? total - floor_half(total) : floor_half(total);
  }
  const std::int64_t out = full - axis.pad_begin - axis.pad_end;
  if (out < 1) fail("the output {} is {}; it must be at least 1", name, out);
  if (axis.cropped() < 1)
    fail(
        "pads {}, {} of the {} crop the whole input away (an output of padding only); not "
        "supported",
        axis.pad_begin, axis.pad_end, name);
  return out;
}

}  // namespace

void lower_conv_transpose(NodeContext& ctx) {
  const ir::Dims in = nchw_input(ctx, "transposed convolution");
  const onnx::NodeProto& node = ctx.node();
  const ir::Dims weight_shape = conv_weight_shape(ctx, "Cin x Cout/group x kH x kW");
  const std::int64_t group = int_attribute(node, "group", 1);
  if (group < 1 || in[1] % group != 0 || weight_shape[0] != in[1])
    fail("input '{}' has {} channels, but weight '{}' has shape {} with group {}",
         ctx.input_name(0), in[1], ctx.input_name(1), ir::format_dims(weight_shape), group);
  const std::int64_t out_per_group = weight_shape[1], in_per_group = in[1] / group;
  const std::int64_t out_channels = out_per_group * group;

  const auto strides = window_pair(node, "strides", 1, 1);
  const auto dilations = window_pair(node, "dilations", 1, 1);
  const auto output_padding = window_pair(node, "output_padding", 0, 0);
  const std::vector<std::int64_t> pads = ints_attribute(node, "pads", {0, 0, 0, 0});
  if (pads.size() != 4) fail("attribute 'pads' has {} values; a 2-D window needs 4", pads.size());
  const std::vector<std::int64_t> output_shape = ints_attribute(node, "output_shape");
  if (!output_shape.empty() && output_shape.size() != 2 && output_shape.size() != 4)
    fail("attribute 'output_shape' has {} values; expected H, W", output_shape.size());
  // Far above any real layer, low enough that no size arithmetic overflows.
  constexpr std::int64_t kLimit = std::int64_t{1} << 31;
  for (const auto& [name, values] : {std::pair{"pads", &pads}, {"output_shape", &output_shape}})
    for (std::int64_t value : *values)
      if (value < -kLimit || value > kLimit)
        fail("attribute '{}' value {} is out of range", name, value);
  const std::size_t spatial = output_shape.size() == 4 ? 2 : 0;
  const AutoPad auto_pad = parse_auto_pad(string_attribute(node, "auto_pad", "NOTSET"));
  TransposedAxis rows{in[2],   weight_shape[2], strides[0], dilations[0], output_padding[0],
                      pads[0], pads[2]};
  TransposedAxis cols{in[3],   weight_shape[3], strides[1], dilations[1], output_padding[1],
                      pads[1], pads[3]};
  for (const TransposedAxis* axis : {&rows, &cols})
    if (axis->output_padding >= std::max(axis->stride, axis->dilation))
      fail("attribute 'output_padding' {} is not below the stride or dilation",
           axis->output_padding);
  const std::int64_t out_h =
      resolve(rows, auto_pad, output_shape.empty() ? 0 : output_shape[spatial], "height");
  const std::int64_t out_w =
      resolve(cols, auto_pad, output_shape.empty() ? 0 : output_shape[spatial + 1], "width");

  // The spread input (no node when the strides are 1), cropped where the Conv's pads are
  // negative.
  ir::ValueId x = ctx.activation(0);
  ir::Dims spread_dims{in[0], in[1], rows.spread(), cols.spread()};
  if (rows.stride > 1 || cols.stride > 1) {
    const ir::ValueId spread = ctx.intermediate_value("zero_insert", spread_dims);
    ir::Node& insert = ctx.add_node(ir::Op::ZeroInsert, {x}, spread, "zero_insert");
    insert.window.upsample_h = rows.stride;
    insert.window.upsample_w = cols.stride;
    x = spread;
  }
  const auto crop_of = [](std::int64_t pad) { return std::min<std::int64_t>(pad, 0); };
  const std::int64_t crop_top = crop_of(rows.conv_pad_begin()),
                     crop_bottom = crop_of(rows.conv_pad_end()),
                     crop_left = crop_of(cols.conv_pad_begin()),
                     crop_right = crop_of(cols.conv_pad_end());
  if (crop_top < 0 || crop_bottom < 0 || crop_left < 0 || crop_right < 0) {
    spread_dims[2] = rows.cropped();
    spread_dims[3] = cols.cropped();
    const ir::ValueId cropped = ctx.intermediate_value("crop", spread_dims);
    ir::Window& crop = ctx.add_node(ir::Op::MaxPool, {x}, cropped, "crop").window;
    crop.pad_top = crop_top;
    crop.pad_bottom = crop_bottom;
    crop.pad_left = crop_left;
    crop.pad_right = crop_right;
    x = cropped;
  }
  // The flipped kernel, [Cin, Cout/g, kh, kw] -> [Cout, Cin/g, kh, kw] per group.
  const ir::Tensor source = ctx.take_constant(1).to_tensor();
  const std::int64_t kh = weight_shape[2], kw = weight_shape[3];
  ir::Tensor weight{{out_channels, in_per_group, kh, kw}, std::vector<float>(source.data.size())};
  for (std::int64_t g = 0; g < group; ++g)
    for (std::int64_t i = 0; i < in_per_group; ++i)
      for (std::int64_t o = 0; o < out_per_group; ++o)
        for (std::int64_t y = 0; y < kh; ++y)
          for (std::int64_t z = 0; z < kw; ++z)
            weight.data[static_cast<std::size_t>(
                (((g * out_per_group + o) * in_per_group + i) * kh + y) * kw + z)] =
                source.data[static_cast<std::size_t>(
                    (((g * in_per_group + i) * out_per_group + o) * kh + (kh - 1 - y)) * kw +
                    (kw - 1 - z))];
  ir::Tensor bias = conv_bias(ctx, out_channels);
  ir::Node& conv =
      ctx.add_node(ir::Op::Conv, {x}, ctx.output_value(0, {in[0], out_channels, out_h, out_w}));
  conv.window.kernel_h = kh;
  conv.window.kernel_w = kw;
  conv.window.dilation_h = rows.dilation;
  conv.window.dilation_w = cols.dilation;
  conv.window.group = group;
  conv.window.pad_top = rows.conv_pad_begin() - crop_top;
  conv.window.pad_bottom = rows.conv_pad_end() - crop_bottom;
  conv.window.pad_left = cols.conv_pad_begin() - crop_left;
  conv.window.pad_right = cols.conv_pad_end() - crop_right;
  conv.weight = std::move(weight);
  conv.bias = std::move(bias);
}

}  // namespace pimhls::frontend
