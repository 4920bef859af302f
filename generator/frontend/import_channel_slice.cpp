// Slice and Split of activations along the channel axis (YOLOv8's C2f chunks, ShuffleNet's
// branches, torch.split/chunk/narrow) -> one ChannelSlice node per output: a vector engine's
// COPY that reads from input channel IN_C_FIRST on. Other axes, steps other than 1 and empty
// outputs are one-line errors.
#include <algorithm>
#include <string>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

// Output `output` is channels first..first+count of input 0 (the whole input: an alias).
void define_channel_slice(NodeContext& ctx, std::size_t output, std::int64_t first,
                          std::int64_t count) {
  const ir::Dims& in = ctx.input_shape(0);
  if (count <= 0)
    fail("output {} would have {} channels; empty slices are not supported", output, count);
  if (first == 0 && count == in[1]) {
    ctx.define_alias(output, 0);
    return;
  }
  ir::Dims out = in;
  out[1] = count;
  ir::Node& slice =
      ctx.add_node(ir::Op::ChannelSlice, {ctx.activation(0)}, ctx.output_value(output, out),
                   output == 0 ? "" : std::to_string(output));
  slice.first_channel = first;
}

const ir::Dims& channel_input(NodeContext& ctx) {
  const ir::Dims& in = ctx.input_shape(0);
  if (in.size() < 2)
    fail("input '{}' has shape {}; no channel axis to slice", ctx.input_name(0),
         ir::format_dims(in));
  return in;
}

}  // namespace

void lower_slice(NodeContext& ctx) {
  const ir::Dims in = channel_input(ctx);
  const SliceParams p = slice_params(ctx);
  const auto rank = static_cast<std::int64_t>(in.size());
  std::int64_t first = 0, end = in[1];
  for (std::size_t i = 0; i < p.starts.size(); ++i) {
    const std::int64_t axis = normalize_axis(p.axes[i], rank);
    const std::int64_t size = in[static_cast<std::size_t>(axis)];
    std::int64_t start = p.starts[i] < 0 ? p.starts[i] + size : p.starts[i];
    std::int64_t stop = p.ends[i] < 0 ? p.ends[i] + size : p.ends[i];
    start = std::clamp<std::int64_t>(start, 0, size);
    stop = std::clamp<std::int64_t>(stop, 0, size);
    const bool whole = start == 0 && stop == size;
    if (p.steps[i] != 1 && !(whole && p.steps[i] > 0 && size <= 1))
      fail("step {} on axis {} of activation '{}' is not supported (only 1)", p.steps[i], axis,
           ctx.input_name(0));
    if (axis != 1 && !whole)
      fail(
          "slices axis {} of activation '{}' ({}); only the channel axis (1) of an activation "
          "can be sliced",
          axis, ctx.input_name(0), ir::format_dims(in));
    if (axis == 1) first = start, end = stop;
  }
  define_channel_slice(ctx, 0, first, end - first);
}

void lower_split(NodeContext& ctx) {
  const ir::Dims in = channel_input(ctx);
  const onnx::NodeProto& node = ctx.node();
  const std::int64_t axis =
      normalize_axis(int_attribute(node, "axis", 0), static_cast<std::int64_t>(in.size()));
  if (axis != 1)
    fail("splits axis {} of activation '{}' ({}); only the channel axis (1) can be split", axis,
         ctx.input_name(0), ir::format_dims(in));
  const auto outputs = static_cast<std::int64_t>(ctx.output_count());
  std::vector<std::int64_t> sizes =
      ctx.opset() >= 13
          ? (ctx.has_input(1) && !ctx.input_name(1).empty() ? ctx.constant(1).to_ints()
                                                            : std::vector<std::int64_t>{})
          : ints_attribute(node, "split");
  if (sizes.empty()) {  // equal parts (opset 18: the last one smaller)
    const std::int64_t part = (in[1] + outputs - 1) / outputs;
    if (ctx.opset() < 18 && in[1] % outputs != 0)
      fail("{} channels do not split into {} equal parts", in[1], outputs);
    for (std::int64_t i = 0; i < outputs; ++i) sizes.push_back(std::min(part, in[1] - i * part));
  }
  if (static_cast<std::int64_t>(sizes.size()) != outputs)
    fail("split has {} sizes for {} outputs", sizes.size(), outputs);
  std::int64_t first = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (first + sizes[i] > in[1])
      fail("split sizes add up to more than the {} channels of '{}'", in[1], ctx.input_name(0));
    if (ctx.output_used(i)) define_channel_slice(ctx, i, first, sizes[i]);
    first += sizes[i];
  }
  if (first != in[1])
    fail("split sizes add up to {}, not the {} channels of '{}'", first, in[1], ctx.input_name(0));
}

}  // namespace pimhls::frontend
