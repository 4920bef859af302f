// A pool over the channels of a map, written as a pool over axis 2 of the view [N, 1, C, ...]:
// PyTorch's nn.LocalResponseNorm sums the squares of neighbouring channels so, viewing the map
// [N, C, H, W] as [N, 1, C, H, W] (as [N, 1, C, L] for [N, C, L]), padding axis 2 with zeros and
// taking an AveragePool of kernel (size, 1, 1). The mean over a window of channels is a 1x1 Conv
// whose weights are the window's band of 1 / divisor: it runs on the arrays.
#include <numeric>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "frontend/window.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

// The map (NCHW, or [N, C, L]) whose channels are axis 2 of `view`, a Reshape of it to
// [N, 1, C, ...] (the later axes its pixels), or -1.
ir::ValueId viewed_map(const ir::Graph& graph, ir::ValueId view) {
  const ir::Dims& shape = graph.shape(view);
  const int producer = graph.value(view).producer;
  if (shape.size() < 4 || shape[1] != 1 || producer < 0 ||
      graph.nodes[static_cast<std::size_t>(producer)].op != ir::Op::Reshape)
    return -1;
  const ir::ValueId map = graph.nodes[static_cast<std::size_t>(producer)].inputs[0];
  const ir::Dims& dims = graph.shape(map);
  const auto pixels = [](const ir::Dims& d, std::size_t from) {
    return std::accumulate(d.begin() + static_cast<std::ptrdiff_t>(from), d.end(), std::int64_t{1},
                           std::multiplies<>());
  };
  const bool is_map = dims.size() == 4 || dims.size() == 3;
  return is_map && dims[0] == shape[0] && dims[1] == shape[2] && pixels(dims, 2) == pixels(shape, 3)
             ? map
             : -1;
}

// The view a pool or Pad reads: input 0, or the source of the Pad that made it.
ir::ValueId read_view(NodeContext& ctx) {
  const ConstantPadding* padding = ctx.padding(0);
  return padding ? padding->source : ctx.activation(0);
}

// Attribute `name` of a window over `axes` axes: `fallback` per axis when absent.
std::vector<std::int64_t> per_axis(const onnx::NodeProto& node, const char* name,
                                   std::size_t values, std::int64_t fallback) {
  std::vector<std::int64_t> got =
      ints_attribute(node, name, std::vector<std::int64_t>(values, fallback));
  if (got.size() != values)
    fail("attribute '{}' has {} values; a window over the input's {} spatial axes needs {}", name,
         got.size(), values / (std::string_view(name) == "pads" ? 2 : 1), values);
  return got;
}

}  // namespace

bool reads_channel_view(NodeContext& ctx) { return viewed_map(ctx.graph(), read_view(ctx)) >= 0; }

bool lower_channel_pool(NodeContext& ctx, ir::Op op) {
  const ir::Dims padded = ctx.input_shape(0);
  if (padded.size() < 4) return false;
  const ConstantPadding* padding = ctx.padding(0);
  if (padding && padding->value != 0.0f) return false;
  const ir::ValueId view = read_view(ctx);
  const ir::ValueId map = viewed_map(ctx.graph(), view);
  // A 4-D view of a graph input [N, H, W] is an image [N, 1, H, W] (its buffer takes that shape:
  // compile/), and max pools over rows stay spatial.
  const bool graph_input = map >= 0 && ctx.graph().value(map).producer < 0;
  if (map < 0 || (padded.size() == 4 && (op != ir::Op::AveragePool || graph_input))) return false;
  const onnx::NodeProto& node = ctx.node();
  const std::size_t axes = padded.size() - 2;
  const auto kernel = per_axis(node, "kernel_shape", axes, 0);
  const auto strides = per_axis(node, "strides", axes, 1);
  const auto dilations = per_axis(node, "dilations", axes, 1);
  const auto pads = per_axis(node, "pads", 2 * axes, 0);
  const bool spatial = string_attribute(node, "auto_pad", "NOTSET") != "NOTSET" ||
                       (padding && padding->pads[1] + padding->pads[3] > 0);
  if (padded.size() == 4 && spatial) return false;  // (a 2-D pool of the view as a map)
  for (std::size_t a = 1; a < axes; ++a)
    if (kernel[a] != 1 || strides[a] != 1 || dilations[a] != 1 || pads[a] + pads[axes + a] > 0) {
      if (padded.size() == 4) return false;  // (a 2-D pool of the view as a map)
      fail(
          "pools axes other than 2 of the view {} of a map; only a pool over its channels (axis "
          "2, kernel 1 on the others) is supported",
          ir::format_dims(padded));
    }
  if (op != ir::Op::AveragePool)
    fail(
        "MaxPool over the channels of a map (axis 2 of its view {}) is not supported; only "
        "AveragePool is",
        ir::format_dims(padded));
  if (string_attribute(node, "auto_pad", "NOTSET") != "NOTSET")
    fail("attribute 'auto_pad' over the channels of a map is not supported; only explicit pads");
  const ir::Dims& in = ctx.graph().shape(map);
  const std::int64_t channels = in[1];
  // Channel c of the map is position c + before on the Pad's axis, whose length is `length`.
  const std::int64_t before = padding ? padding->pads[0] : 0;
  const std::int64_t length = padded[2];
  WindowAxis axis{length, kernel[0], strides[0], dilations[0], pads[0], pads[axes]};
  const bool ceil_mode = int_attribute(node, "ceil_mode", 0) != 0;
  bool dropped = false;
  const std::int64_t outputs = resolve_axis(axis, AutoPad::NotSet, ceil_mode, &dropped);
  if (dropped) ctx.distrust_declared_shapes();
  const bool count_pads = int_attribute(node, "count_include_pad", 0) != 0;

  ir::Dims y_shape = in;
  y_shape[1] = outputs;
  if (y_shape.size() == 3) y_shape.insert(y_shape.begin() + 2, 1);
  const ir::ValueId x = in.size() == 4 ? map : ctx.view_of(map, {in[0], in[1], 1, in[2]}, "map");
  const ir::ValueId y = ctx.intermediate_value("channels", y_shape);
  ir::Node& conv = ctx.add_node(ir::Op::Conv, {x}, y, "channels");
  conv.weight = {{outputs, channels, 1, 1},
                 std::vector<float>(static_cast<std::size_t>(outputs * channels), 0.0f)};
  conv.bias = {{outputs}, std::vector<float>(static_cast<std::size_t>(outputs), 0.0f)};
  for (std::int64_t o = 0; o < outputs; ++o) {
    // The taps of output o on the Pad's axis; the pool's own pads count with count_include_pad
    // (not past them: a ceil_mode window's end), the Pad's zeros always.
    std::vector<std::int64_t> taps;
    std::int64_t divisor = 0;
    for (std::int64_t t = 0; t < axis.kernel; ++t) {
      const std::int64_t p = o * axis.stride - axis.pad_begin + t * axis.dilation;
      if (p >= 0 && p < length) taps.push_back(p);
      if ((p >= 0 && p < length) ||
          (count_pads && p >= -axis.pad_begin && p < length + axis.pad_end))
        ++divisor;
    }
    for (const std::int64_t p : taps)
      if (p - before >= 0 && p - before < channels)
        conv.weight.data[static_cast<std::size_t>(o * channels + p - before)] +=
            1.0f / static_cast<float>(divisor);
  }
  ir::Dims out = padded;
  out[2] = outputs;
  ctx.define_view(0, y, out);
  return true;
}

}  // namespace pimhls::frontend
