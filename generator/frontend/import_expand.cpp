// Expand (torch's expand_as: squeeze-and-excitation's `x * y.expand_as(x)`, CBAM's gates; the
// shape arithmetic of x.expand(-1, -1, h, w)). A constant is folded. An activation whose
// readers are all element-wise Add, Sub, Mul or Div, each broadcasting it to the same shape
// as the expanded one, is read as it is: the vector engines broadcast a gate per channel, pixel,
// row or column themselves (no copy of the map). Otherwise the expansion is materialized: an
// Upsample repeats the rows and columns, a ChannelGather the one channel.
#include <algorithm>

#include "frontend/import_ops.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

constexpr std::string_view kBroadcastingReaders[] = {"Add", "Div", "Mul", "Sub"};

ir::Dims expanded_shape(NodeContext& ctx, const ir::Dims& in) {
  const Constant& shape = ctx.constant(1);
  if (shape.shape.size() != 1)
    fail("shape '{}' has shape {}; a 1-D list of dimensions is expected", ctx.input_name(1),
         ir::format_dims(shape.shape));
  return broadcast_shapes(in, shape.to_ints());
}

// Every reader of output 0 broadcasts `in` to what it would make of `out`.
bool readers_broadcast(NodeContext& ctx, const ir::Dims& in, const ir::Dims& out) {
  const std::vector<const onnx::NodeProto*> readers = ctx.readers(0);
  if (readers.empty() || ctx.is_graph_output(0)) return false;
  const std::string& expanded = ctx.node().output(0);
  for (const onnx::NodeProto* reader : readers) {
    if (std::find(std::begin(kBroadcastingReaders), std::end(kBroadcastingReaders),
                  reader->op_type()) == std::end(kBroadcastingReaders) ||
        reader->input_size() != 2 || !reader->domain().empty())
      return false;
    const std::string& other = reader->input(reader->input(0) == expanded ? 1 : 0);
    const std::optional<ir::Dims> other_shape = ctx.known_shape(other);
    if (other == expanded || !other_shape ||
        broadcast_shapes(*other_shape, in) != broadcast_shapes(*other_shape, out))
      return false;
  }
  return true;
}

}  // namespace

void fold_expand(NodeContext& ctx) {
  ctx.define_constant(0, fold_expand(ctx.constant(0), expanded_shape(ctx, ctx.constant(0).shape)));
}

void lower_expand(NodeContext& ctx) {
  const ir::Dims in = ctx.input_shape(0);
  const ir::Dims out = expanded_shape(ctx, in);
  if (out == in) return ctx.define_alias(0, 0);
  if (readers_broadcast(ctx, in, out)) return ctx.define_broadcast_alias(0, 0);
  if (in.size() != 4 || out.size() != 4 || in[0] != out[0])
    fail(
        "expands '{}' from {} to {}; only the channels, rows and columns of an NCHW map are "
        "expanded (or any axes when only element-wise Add, Sub, Mul and Div read the result)",
        ctx.input_name(0), ir::format_dims(in), ir::format_dims(out));
  ir::ValueId x = ctx.activation(0);
  if (in[2] != out[2] || in[3] != out[3]) {
    const ir::Dims spread{in[0], in[1], out[2], out[3]};
    const ir::ValueId repeated =
        spread == out ? ctx.output_value(0, out) : ctx.intermediate_value("rows", spread);
    ir::Window& w = ctx.add_node(ir::Op::Upsample, {x}, repeated, "rows").window;
    w.upsample_h = out[2] / in[2];
    w.upsample_w = out[3] / in[3];
    x = repeated;
  }
  if (in[1] != out[1])
    ctx.add_node(ir::Op::ChannelGather, {x}, ctx.output_value(0, out), "channels")
        .source_channels.assign(static_cast<std::size_t>(out[1]), 0);
}

}  // namespace pimhls::frontend
