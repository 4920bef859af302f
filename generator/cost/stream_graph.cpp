#include "cost/stream_graph.h"

#include <algorithm>

#include "ir/border_pad.h"

namespace pimhls::cost {
namespace {

// One sample's pixels; the samples of a batch stream one after another.
struct Pixels {
  std::int64_t samples = 1, height = 1, width = 1;
};

// NCHW tensors stream pixel by pixel, [N, C, L] as one row of L pixels (as the compiler lays out
// a 1-D map); [N, K] is one pixel per sample, anything else one pixel.
Pixels pixels_of(const ir::Dims& shape) {
  if (shape.size() == 2) return {std::max<std::int64_t>(shape[0], 1), 1, 1};
  if (shape.size() == 3)
    return {std::max<std::int64_t>(shape[0], 1), 1, std::max<std::int64_t>(shape[2], 1)};
  if (shape.size() != 4) return {};
  return {std::max<std::int64_t>(shape[0], 1), std::max<std::int64_t>(shape[2], 1),
          std::max<std::int64_t>(shape[3], 1)};
}

// One axis of a window: its origin at output o is (o / upsample) * stride - pad.
struct WindowAxis {
  std::int64_t stride = 1, pad = 0, kernel = 1, dilation = 1, upsample = 1;
};

// The last in-bounds input index a window at `out` reads along one axis, -1 if none.
std::int64_t last_tap(std::int64_t out, const WindowAxis& axis, std::int64_t size) {
  const auto [stride, pad, kernel, dilation, upsample] = axis;
  const std::int64_t first = out / upsample * stride - pad;
  std::int64_t last = first + (kernel - 1) * dilation;
  if (last >= size) last -= (last - (size - 1) + dilation - 1) / dilation * dilation;
  return last < 0 || last < first ? -1 : last;
}

std::vector<std::int64_t> window_axis(std::int64_t outputs, const WindowAxis& axis,
                                      std::int64_t size) {
  std::vector<std::int64_t> last(static_cast<std::size_t>(outputs));
  for (std::int64_t o = 0; o < outputs; ++o)
    last[static_cast<std::size_t>(o)] = last_tap(o, axis, size);
  return last;
}

// Output pixel (y, x) of sample k reads up to producer pixel rows[y] * width + cols[x] of sample
// k (the producer's samples come one after another).
std::vector<std::int32_t> last_pixels(const std::vector<std::int64_t>& rows,
                                      const std::vector<std::int64_t>& cols, const Pixels& from) {
  std::vector<std::int32_t> last;
  last.reserve(static_cast<std::size_t>(from.samples) * rows.size() * cols.size());
  for (std::int64_t k = 0; k < from.samples; ++k)
    for (std::int64_t row : rows)
      for (std::int64_t col : cols)
        last.push_back(row < 0 || col < 0
                           ? -1
                           : static_cast<std::int32_t>((k * from.height + row) * from.width + col));
  return last;
}

StreamEdge edge_of(const ir::Node& node, const Pixels& from, const Pixels& to) {
  std::vector<std::int64_t> rows, cols;
  if (node.op == ir::Op::GlobalAveragePool ||
      (node.op == ir::Op::Gemm && from.height * from.width > 1) ||
      // Mul by a per-channel gate, Add of a vector per channel
      ((node.op == ir::Op::Mul || node.op == ir::Op::Add) && from.height * from.width == 1)) {
    rows.assign(static_cast<std::size_t>(to.height), from.height - 1);  // everything
    cols.assign(static_cast<std::size_t>(to.width), from.width - 1);
  } else if (node.op == ir::Op::Conv || node.op == ir::Op::MaxPool ||
             node.op == ir::Op::AveragePool || node.op == ir::Op::Upsample ||
             node.op == ir::Op::ZeroInsert) {
    const ir::Window& w = node.window;
    rows = window_axis(to.height, {w.stride_h, w.pad_top, w.kernel_h, w.dilation_h, w.upsample_h},
                       from.height);
    cols = window_axis(to.width, {w.stride_w, w.pad_left, w.kernel_w, w.dilation_w, w.upsample_w},
                       from.width);
  } else if (node.op == ir::Op::BorderPad) {  // the one pixel each output pixel copies
    const ir::Window& w = node.window;
    for (std::int64_t y = 0; y < to.height; ++y)
      rows.push_back(ir::border_index(y - w.pad_top, from.height, w.border));
    for (std::int64_t x = 0; x < to.width; ++x)
      cols.push_back(ir::border_index(x - w.pad_left, from.width, w.border));
  } else if (node.op == ir::Op::Resample) {  // the last row and column of its tabled window
    const auto last = [](const ir::ResampleAxis& axis, std::int64_t kernel, std::int64_t size) {
      std::vector<std::int64_t> taps;
      for (std::int64_t first : axis.first) taps.push_back(std::min(first + kernel - 1, size - 1));
      return taps;
    };
    rows = last(node.resample_rows, node.window.kernel_h, from.height);
    cols = last(node.resample_columns, node.window.kernel_w, from.width);
  } else {  // element-wise: the same pixel, or row 0 / column 0 of a broadcast operand
    rows = from.height == 1 ? std::vector<std::int64_t>(static_cast<std::size_t>(to.height), 0)
                            : window_axis(to.height, {}, from.height);
    cols = from.width == 1 ? std::vector<std::int64_t>(static_cast<std::size_t>(to.width), 0)
                           : window_axis(to.width, {}, from.width);
  }
  StreamEdge edge;
  if (from.samples == to.samples) {
    edge.last_pixel = last_pixels(rows, cols, from);
  } else {  // a reshape across samples: every pixel waits for all of the input
    const std::int64_t all = from.samples * from.height * from.width - 1;
    edge.last_pixel.assign(static_cast<std::size_t>(to.samples * to.height * to.width),
                           static_cast<std::int32_t>(all));
  }
  return edge;
}

}  // namespace

StreamGraph stream_graph(const ir::Graph& graph) {
  StreamGraph streams;
  // Per value: the stream node that writes its pixels (-1: a network input) and their layout.
  std::vector<int> writer(graph.values.size(), -1);
  std::vector<Pixels> layout(graph.values.size());
  for (std::size_t v = 0; v < graph.values.size(); ++v)
    layout[v] = pixels_of(graph.values[v].shape);
  int layer = 0;
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    const ir::Node& node = graph.nodes[n];
    const auto out = static_cast<std::size_t>(node.output);
    const bool alias = node.op == ir::Op::Flatten || node.op == ir::Op::Reshape;
    if (alias && !node.inputs.empty()) {  // the same pixels under another shape
      const auto in = static_cast<std::size_t>(node.inputs[0]);
      writer[out] = writer[in];
      // A view with as many pixels ([C, 1, W] as [C, W, 1]) is read in its own rows and
      // columns, which index the same pixel-major words; anything else as its producer's.
      const Pixels& from = layout[in];
      const Pixels& view = layout[out];
      if (view.samples != from.samples || view.height * view.width != from.height * from.width)
        layout[out] = from;
      continue;
    }
    if (ir::runs_on_host(node.op)) continue;
    StreamNode s;
    s.node = static_cast<int>(n);
    s.layer = node.has_weights() ? layer++ : -1;
    s.height = layout[out].samples * layout[out].height;
    s.width = layout[out].width;
    for (ir::ValueId input : node.inputs) {
      const auto in = static_cast<std::size_t>(input);
      StreamEdge edge = edge_of(node, layout[in], layout[out]);
      edge.producer = writer[in];
      s.inputs.push_back(std::move(edge));
    }
    writer[out] = static_cast<int>(streams.nodes.size());
    if (s.layer >= 0) streams.layer_node.push_back(static_cast<int>(streams.nodes.size()));
    streams.nodes.push_back(std::move(s));
  }
  return streams;
}

}  // namespace pimhls::cost
