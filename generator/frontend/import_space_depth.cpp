// DepthToSpace and SpaceToDepth: blocks of b x b pixels to b*b channels and back (sub-pixel
// convolution in super-resolution networks: PyTorch's nn.PixelShuffle exports DepthToSpace in
// CRD mode; TensorFlow's depth_to_space and space_to_depth, DCR).
// - DepthToSpace is an Upsample by b whose output channel c at block phase k = i * b + j (row
//   i, column j of the block) reads input channel c * b*b + k (CRD) or k * C_out + c (DCR):
//   one vector engine RUN, its lanes reading the channels listed per phase;
// - SpaceToDepth is, per phase k (DCR order), the slice x[:, :, i::b, j::b] (a 1x1 MaxPool with
//   stride b, as YOLOv5's Focus), concatenated along the channels.
#include <string>

#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

// The block size of a DepthToSpace/SpaceToDepth on an NCHW input.
std::int64_t block_size(const NodeContext& ctx) {
  const ir::Dims& in = ctx.input_shape(0);
  if (in.size() != 4)
    fail("input '{}' has shape {}; only NCHW activations are supported", ctx.input_name(0),
         ir::format_dims(in));
  const std::int64_t block = int_attribute(ctx.node(), "blocksize", 0);
  if (block < 1 || block > 1 << 16) fail("attribute 'blocksize' = {} is not valid", block);
  return block;
}

}  // namespace

void lower_depth_to_space(NodeContext& ctx) {
  const std::int64_t block = block_size(ctx);
  const ir::Dims& in = ctx.input_shape(0);
  const std::string mode = string_attribute(ctx.node(), "mode", "DCR");
  if (mode != "DCR" && mode != "CRD")
    fail("attribute 'mode' = '{}' is not supported (DCR or CRD)", mode);
  const std::int64_t phases = block * block;
  if (in[1] % phases != 0)
    fail("input '{}' has {} channels, not a multiple of blocksize^2 = {}", ctx.input_name(0), in[1],
         phases);
  const std::int64_t channels = in[1] / phases;
  std::vector<std::int64_t> sources;
  for (std::int64_t phase = 0; phase < phases; ++phase)
    for (std::int64_t c = 0; c < channels; ++c)
      sources.push_back(mode == "CRD" ? c * phases + phase : phase * channels + c);
  const ir::ValueId x = ctx.activation(0);
  ir::Node& node = ctx.add_node(
      ir::Op::Upsample, {x}, ctx.output_value(0, {in[0], channels, in[2] * block, in[3] * block}));
  node.window.upsample_h = node.window.upsample_w = block;
  node.source_channels = std::move(sources);
}

ir::ValueId space_to_depth(NodeContext& ctx, ir::ValueId x, std::int64_t block_h,
                           std::int64_t block_w, ir::ValueId output) {
  const ir::Dims in = ctx.graph().shape(x);
  const ir::Dims slice_shape{in[0], in[1], in[2] / block_h, in[3] / block_w};
  std::vector<ir::ValueId> slices;
  for (std::int64_t i = 0; i < block_h; ++i)
    for (std::int64_t j = 0; j < block_w; ++j) {
      const std::string name = fmt::format("block_{}_{}", i, j);
      slices.push_back(ctx.intermediate_value(name, slice_shape));
      ctx.add_node(ir::Op::MaxPool, {x}, slices.back(), name).window = strided_slice_window(
          in[2], in[3], {i, block_h, slice_shape[2]}, {j, block_w, slice_shape[3]});
    }
  if (output < 0)
    output = ctx.intermediate_value(
        "blocks", {in[0], in[1] * block_h * block_w, slice_shape[2], slice_shape[3]});
  ctx.add_node(ir::Op::Concat, slices, output, "blocks").axis = 1;
  return output;
}

void lower_space_to_depth(NodeContext& ctx) {
  const std::int64_t block = block_size(ctx);
  const ir::Dims& in = ctx.input_shape(0);
  if (in[2] % block != 0 || in[3] % block != 0)
    fail("input '{}' of shape {} is not whole blocks of {}", ctx.input_name(0), ir::format_dims(in),
         block);
  space_to_depth(ctx, ctx.activation(0), block, block,
                 ctx.output_value(0, {in[0], in[1] * block * block, in[2] / block, in[3] / block}));
}

}  // namespace pimhls::frontend
