// Reorderings of the channel axis of activations -> one ChannelGather node each (a vector
// engine's COPY whose lanes read the channels of a table, or from IN_C_FIRST on):
// - Slice and Split along the channel axis (YOLOv8's C2f chunks, ShuffleNet's branches,
//   torch.split/chunk/narrow; any step); a Slice of rows and columns (crops, YOLOv5's Focus
//   x[..., ::2, ::2]) is a 1x1 MaxPool with the step as its stride, after the ChannelGather,
//   and one backwards (torch.flip, x[..., ::-1]) a Resample that lists the rows and columns;
// - Gather of channels by constant indices (x[:, [2, 1, 0]]);
// - Transposes that keep the batch axis and the trailing axes in place and permute the axes
//   between, which the channels were reshaped into (ShuffleNet's channel shuffle: Reshape to
//   [N, g, C/g, H, W], Transpose 0,2,1,3,4, Reshape back).
// The batch axis, other axes and empty outputs are one-line errors.
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>
#include <string>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "ir/channel_gather.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

bool every_channel_in_order(const std::vector<std::int64_t>& sources, std::int64_t channels) {
  return !sources.empty() && sources.front() == 0 &&
         static_cast<std::int64_t>(sources.size()) == channels && ir::consecutive_channels(sources);
}

// Output `output` is input 0 with the channels `sources` (the whole input in order: an alias).
void define_channel_gather(NodeContext& ctx, std::size_t output,
                           std::vector<std::int64_t> sources) {
  const ir::Dims& in = ctx.input_shape(0);
  if (sources.empty())
    fail("output {} would have no channels; empty slices are not supported", output);
  if (every_channel_in_order(sources, in[1])) {
    ctx.define_alias(output, 0);
    return;
  }
  ir::Dims out = in;
  out[1] = static_cast<std::int64_t>(sources.size());
  ir::Node& gather =
      ctx.add_node(ir::Op::ChannelGather, {ctx.activation(0)}, ctx.output_value(output, out),
                   output == 0 ? "" : std::to_string(output));
  gather.source_channels = std::move(sources);
}

std::vector<std::int64_t> channel_range(std::int64_t first, std::int64_t count) {
  std::vector<std::int64_t> sources(static_cast<std::size_t>(std::max<std::int64_t>(count, 0)));
  std::iota(sources.begin(), sources.end(), first);
  return sources;
}

ir::Dims channel_input(NodeContext& ctx) {
  ir::Dims in = ctx.input_shape(0);
  if (in.size() < 2)
    fail("input '{}' has shape {}; no channel axis to slice", ctx.input_name(0),
         ir::format_dims(in));
  return in;
}

// PixelUnshuffle as PyTorch exports it: NCHW map x viewed as [N, C, H/b, b, W/b', b'], Transpose
// 0,1,3,5,2,4 (then a Reshape to [N, C*b*b', H/b, W/b']): the space-to-depth blocks with the
// channels in c-major order, c * b*b' + (i * b' + j), a gather of ONNX's order. Without it the
// Transpose would gather every element.
bool lower_pixel_unshuffle(NodeContext& ctx, const std::vector<std::int64_t>& perm,
                           const ir::Dims& out) {
  const ir::Dims& in = ctx.input_shape(0);
  if (perm != std::vector<std::int64_t>{0, 1, 3, 5, 2, 4}) return false;
  ir::ValueId root = -1;
  const ir::ValueId map =
      find_view(ctx.graph(), ctx.activation(0), {in[0], in[1], in[2] * in[3], in[4] * in[5]}, root);
  if (map < 0) return false;
  const std::int64_t channels = in[1], phases = in[3] * in[5];
  const ir::ValueId blocks = space_to_depth(ctx, map, in[3], in[5], -1);
  std::vector<std::int64_t> sources;
  for (std::int64_t c = 0; c < channels; ++c)
    for (std::int64_t phase = 0; phase < phases; ++phase) sources.push_back(phase * channels + c);
  const ir::ValueId gathered =
      ctx.intermediate_value("channels", {in[0], channels * phases, in[2], in[4]});
  ctx.add_node(ir::Op::ChannelGather, {blocks}, gathered, "channels").source_channels =
      std::move(sources);
  ctx.define_view(0, gathered, out);
  return true;
}

}  // namespace

void lower_slice(NodeContext& ctx) {
  const ir::Dims in = channel_input(ctx);
  const SliceParams p = slice_params(ctx);
  std::vector<SliceAxis> ranges = slice_axes(in, p.starts, p.ends, p.axes, p.steps);
  const auto whole = [&in](const SliceAxis& r, std::size_t axis) {  // all of it, in order
    return r.start == 0 && r.step == 1 && r.count == in[axis];
  };
  for (std::size_t axis = 0; axis < in.size(); ++axis) {
    SliceAxis& r = ranges[axis];
    if (r.count == 0) fail("the slice of axis {} is empty; empty slices are not supported", axis);
    if (r.count == 1) r.step = 1;  // (one element: any step takes it)
    if (whole(r, axis) || axis == 1) continue;
    if (axis == 0 || in.size() != 4)
      fail(
          "slices axis {} of activation '{}' ({}); only the channels (axis 1) and the rows and "
          "columns of an NCHW map can be sliced",
          axis, ctx.input_name(0), ir::format_dims(in));
  }
  std::vector<std::int64_t> sources;
  for (std::int64_t k = 0; k < ranges[1].count; ++k)
    sources.push_back(ranges[1].start + k * ranges[1].step);
  const bool crop = in.size() == 4 && (!whole(ranges[2], 2) || !whole(ranges[3], 3));
  if (!crop) return define_channel_gather(ctx, 0, std::move(sources));
  // Rows and columns: a 1x1 max pool whose stride is the step and whose negative pads move
  // its origin to the start (each output pixel reads one input pixel).
  ir::ValueId x = ctx.activation(0);
  ir::Dims out = in;
  out[1] = ranges[1].count;
  if (!every_channel_in_order(sources, in[1])) {
    const ir::ValueId channels = ctx.intermediate_value("channels", out);
    ctx.add_node(ir::Op::ChannelGather, {x}, channels, "channels").source_channels = sources;
    x = channels;
  }
  out[2] = ranges[2].count;
  out[3] = ranges[3].count;
  if (ranges[2].step > 0 && ranges[3].step > 0) {
    ctx.add_node(ir::Op::MaxPool, {x}, ctx.output_value(0, out)).window =
        strided_slice_window(in[2], in[3], ranges[2], ranges[3]);
    return;
  }
  // Backwards: output row o reads input row start + o * step (a window cannot move up), the
  // nearest of a Resample's tables; columns alike.
  const auto listed = [](const SliceAxis& r) {
    ir::ResampleAxis axis;
    for (std::int64_t o = 0; o < r.count; ++o) {
      axis.first.push_back(r.start + o * r.step);
      axis.weight.push_back(0.0);
    }
    return axis;
  };
  ir::Node& resample = ctx.add_node(ir::Op::Resample, {x}, ctx.output_value(0, out));
  resample.window.kernel_h = resample.window.kernel_w = 1;
  resample.resample_rows = listed(ranges[2]);
  resample.resample_columns = listed(ranges[3]);
}

ir::Window strided_slice_window(std::int64_t in_h, std::int64_t in_w, const SliceAxis& rows,
                                const SliceAxis& columns) {
  ir::Window w;
  w.stride_h = rows.step;
  w.stride_w = columns.step;
  w.pad_top = -rows.start;
  w.pad_left = -columns.start;
  w.pad_bottom = -(in_h - 1 - (rows.start + (rows.count - 1) * rows.step));
  w.pad_right = -(in_w - 1 - (columns.start + (columns.count - 1) * columns.step));
  return w;
}

void lower_split(NodeContext& ctx) {
  const ir::Dims in = channel_input(ctx);
  const onnx::NodeProto& node = ctx.node();
  const std::int64_t axis =
      normalize_axis(int_attribute(node, "axis", 0), static_cast<std::int64_t>(in.size()));
  const bool spatial = in.size() == 4 && (axis == 2 || axis == 3);
  if (axis != 1 && !spatial)
    fail(
        "splits axis {} of activation '{}' ({}); only the channels (axis 1) and the rows or "
        "columns of an NCHW map can be split",
        axis, ctx.input_name(0), ir::format_dims(in));
  const std::int64_t length = in[static_cast<std::size_t>(axis)];
  const char* what = axis == 1 ? "channels" : axis == 2 ? "rows" : "columns";
  const auto outputs = static_cast<std::int64_t>(ctx.output_count());
  std::vector<std::int64_t> sizes =
      ctx.opset() >= 13
          ? (ctx.has_input(1) && !ctx.input_name(1).empty() ? ctx.constant(1).to_ints()
                                                            : std::vector<std::int64_t>{})
          : ints_attribute(node, "split");
  if (sizes.empty()) {  // equal parts (opset 18: the last one smaller)
    const std::int64_t part = (length + outputs - 1) / outputs;
    if (ctx.opset() < 18 && length % outputs != 0)
      fail("{} {} do not split into {} equal parts", length, what, outputs);
    for (std::int64_t i = 0; i < outputs; ++i) sizes.push_back(std::min(part, length - i * part));
  }
  if (static_cast<std::int64_t>(sizes.size()) != outputs)
    fail("split has {} sizes for {} outputs", sizes.size(), outputs);
  std::int64_t first = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] <= 0 || first + sizes[i] > length)
      fail("split sizes {} do not fit the {} {} of '{}'", fmt::join(sizes, ","), length, what,
           ctx.input_name(0));
    if (ctx.output_used(i) && !spatial) {
      define_channel_gather(ctx, i, channel_range(first, sizes[i]));
    } else if (ctx.output_used(i)) {  // rows or columns: a crop, as Slice makes it
      SliceAxis rows{0, 1, in[2]}, columns{0, 1, in[3]};
      (axis == 2 ? rows : columns) = {first, 1, sizes[i]};
      ctx.add_node(ir::Op::MaxPool, {ctx.activation(0)},
                   ctx.output_value(i, {in[0], in[1], rows.count, columns.count}),
                   fmt::format("part{}", i))
          .window = strided_slice_window(in[2], in[3], rows, columns);
    }
    first += sizes[i];
  }
  if (first != length)
    fail("split sizes add up to {}, not the {} {} of '{}'", first, length, what, ctx.input_name(0));
}

void lower_gather(NodeContext& ctx) {
  if (ctx.is_constant(0))
    fail("gathers constant '{}' by computed indices '{}' (an embedding lookup); not supported",
         ctx.input_name(0), ctx.input_name(1));
  const ir::Dims in = channel_input(ctx);
  const std::int64_t axis =
      normalize_axis(int_attribute(ctx.node(), "axis", 0), static_cast<std::int64_t>(in.size()));
  if (axis != 1)
    fail("gathers axis {} of activation '{}' ({}); only the channel axis (1) can be gathered", axis,
         ctx.input_name(0), ir::format_dims(in));
  const Constant& indices = ctx.constant(1);
  if (indices.shape.size() != 1)
    fail("indices '{}' have shape {}; only a list of channels (1-D) is supported",
         ctx.input_name(1), ir::format_dims(indices.shape));
  std::vector<std::int64_t> sources = indices.to_ints();
  for (std::int64_t& c : sources) {
    if (c < -in[1] || c >= in[1])
      fail("index {} is outside the {} channels of '{}'", c, in[1], ctx.input_name(0));
    if (c < 0) c += in[1];
  }
  define_channel_gather(ctx, 0, std::move(sources));
}

void lower_channel_transpose(NodeContext& ctx, const std::vector<std::int64_t>& perm) {
  const ir::Dims in = ctx.input_shape(0);
  const std::size_t rank = in.size();
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> identity(rank);
  std::iota(identity.begin(), identity.end(), 0);
  if (sorted != identity)
    fail("perm {} is not a permutation of the {} axes of '{}'", fmt::join(perm, ","), rank,
         ctx.input_name(0));
  // Axes 1 .. middle are permuted among themselves; the later ones stay.
  std::size_t middle = rank - 1;
  while (middle > 0 && perm[middle] == static_cast<std::int64_t>(middle)) --middle;
  if (perm[0] != 0)
    fail(
        "a Transpose of an activation is supported as the identity, from NHWC to NCHW (perm "
        "0,3,1,2) on a graph input, or as a permutation of the axes after the batch that the "
        "channels were reshaped into (a channel shuffle); this one has perm {} on shape {}",
        fmt::join(perm, ","), ir::format_dims(in));
  ir::Dims out;
  for (std::int64_t axis : perm) out.push_back(in[static_cast<std::size_t>(axis)]);
  if (lower_pixel_unshuffle(ctx, perm, out)) return;
  // Output channel c (the middle axes flattened) is input channel sources[c]: the middle axes'
  // Transpose of their flat indices.
  const ir::Dims middle_dims(in.begin() + 1, in.begin() + static_cast<std::ptrdiff_t>(middle) + 1);
  std::vector<std::int64_t> flat(static_cast<std::size_t>(ir::element_count(middle_dims)));
  std::iota(flat.begin(), flat.end(), 0);
  std::vector<std::int64_t> middle_perm;
  for (std::size_t k = 1; k <= middle; ++k) middle_perm.push_back(perm[k] - 1);
  std::vector<std::int64_t> sources =
      fold_transpose(Constant::from_ints(middle_dims, std::move(flat)), middle_perm).ints;
  // The gather runs on [N, channels, H, W] ([N, channels] when no axis stays): the trailing
  // axes as H (all but the last) and W.
  ir::Dims view{in[0], static_cast<std::int64_t>(sources.size())};
  if (middle + 1 < rank) {
    view.push_back(ir::element_count(
        ir::Dims(in.begin() + static_cast<std::ptrdiff_t>(middle) + 1, in.end() - 1)));
    view.push_back(in[rank - 1]);
  }
  const ir::ValueId x = ctx.view_of(ctx.activation(0), view, "channels");
  const ir::ValueId gathered =
      view == out ? ctx.output_value(0, out) : ctx.intermediate_value("gather", view);
  ctx.add_node(ir::Op::ChannelGather, {x}, gathered).source_channels = std::move(sources);
  if (view != out) ctx.add_node(ir::Op::Reshape, {gathered}, ctx.output_value(0, out), "view");
}

}  // namespace pimhls::frontend
