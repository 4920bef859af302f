// One vector node (docs/isa.md, "Vector engine"): its registers and data table.
#include "compile/builder.h"
#include "cost/stream_timing.h"
#include "ir/channel_gather.h"
#include "ir/resample.h"
#include "util/error.h"

namespace pimhls::compile::detail {
namespace {

// Cycles a vector engine spends on one output pixel (all its channels). 1: the channels are
// processed in parallel, as the weight engine's OUTPUT stage writes a pixel, so pooling and
// residual adds keep up with their producers and cost no cycles (docs/cost-model.md). With
// one element per cycle (PIXEL_CYCLES = channels) the tiny CNN runs up to 4x slower than the
// cost model says.
constexpr std::int64_t kPixelCycles = 1;

struct Emitter {
  Section& section;
  const std::string& where;
  bool synced = false;
  void add(Instruction i) { (synced ? section.runs : section.config).push_back(i); }
  void run() {
    // NOPs pad the SETs to the length the cost model counts (hidden where the engine waits
    // for START).
    const auto config_cycles = static_cast<std::size_t>(cost::kVectorConfigCycles);
    if (!synced && section.config.size() > config_cycles)
      fail("{}: a vector section of {} SETs, the cost model counts {}", where,
           section.config.size(), config_cycles);
    if (!synced) section.config.resize(config_cycles, op(Opcode::Nop));
    synced = true;
    section.runs.push_back(op(Opcode::Run));
  }
};

// FLAGS of MUL/ADD for the second operand `in2` against the output: its pixels, 0 the same, 4
// (FLAGS[2]) one, 256 (FLAGS[8]) one per row, 512 (FLAGS[9]) one per column; with 32 (FLAGS[5])
// one channel, read by every channel. -1 for another broadcast.
std::int64_t broadcast_flags(const Buffer& in2, const Buffer& out) {
  if (in2.channels != out.channels && in2.channels != 1) return -1;
  const std::int64_t channel = in2.channels == out.channels ? 0 : 32;
  if (in2.height == out.height && in2.width == out.width) return channel;
  if (in2.pixels() == 1) return channel | 4;
  if (in2.height == out.height && in2.width == 1) return channel | 256;
  if (in2.height == 1 && in2.width == out.width) return channel | 512;
  return -1;
}

}  // namespace

void compile_vector_node(Builder& b, int node_index, int engine_id, int group) {
  const ir::Node& node = b.graph.graph.nodes[static_cast<std::size_t>(node_index)];
  const quant::QuantNode& qn = b.graph.nodes[static_cast<std::size_t>(node_index)];
  const std::string where =
      fmt::format("{}: node '{}' ({})", b.design.source, node.name, ir::op_name(node.op));
  Engine& engine = b.program.engines.at(static_cast<std::size_t>(engine_id));
  Section& section =
      b.sections.at(static_cast<std::size_t>(engine_id)).at(static_cast<std::size_t>(group));
  section.used = true;
  Emitter e{section, where};
  const Buffer out = buffer_view(b, node.output, where);
  const Buffer in = buffer_view(b, node.inputs.at(0), where);
  const std::int64_t table = static_cast<std::int64_t>(engine.data.size());

  auto common = [&](const Buffer& input, VectorOp vop, std::int64_t table_address) {
    e.add(set(ereg::kOp, static_cast<std::int64_t>(vop)));
    e.add(set(ereg::kInBuf, input.id));
    e.add(set(ereg::kInC, input.channels));
    e.add(set(ereg::kInH, input.height));
    e.add(set(ereg::kInW, input.width));
    e.add(set(ereg::kOutBuf, out.id));
    e.add(set(ereg::kOutC, out.channels));
    e.add(set(ereg::kOutH, out.height));
    e.add(set(ereg::kOutW, out.width));
    e.add(set(ereg::kVectors, out.pixels()));
    e.add(set(ereg::kTable, table_address));
    e.add(set(ereg::kClampMin, qn.clamp_min));
    e.add(set(ereg::kClampMax, qn.clamp_max));
    e.add(set(ereg::kPixelCycles, kPixelCycles));
  };
  auto window = [&]() {
    const ir::Window& w = node.window;
    e.add(set(ereg::kKh, w.kernel_h));
    e.add(set(ereg::kKw, w.kernel_w));
    e.add(set(ereg::kStrideH, w.stride_h));
    e.add(set(ereg::kStrideW, w.stride_w));
    e.add(set(ereg::kPadT, w.pad_top));
    e.add(set(ereg::kPadL, w.pad_left));
    e.add(set(ereg::kDilH, w.dilation_h));
    e.add(set(ereg::kDilW, w.dilation_w));
    e.add(set(ereg::kUpH, w.upsample_h));
    e.add(set(ereg::kUpW, w.upsample_w));
  };

  switch (node.op) {
    case ir::Op::MaxPool:
    case ir::Op::AveragePool:
    case ir::Op::Upsample:     // a 1x1 max pool whose window moves every UP_H rows, UP_W columns
    case ir::Op::ZeroInsert:   // the same, 0 between (FLAGS[3])
    case ir::Op::BorderPad: {  // a 1x1 max pool whose taps in the pads read FLAGS[7:6]'s border
      const bool avg = node.op == ir::Op::AveragePool;
      common(in, avg ? VectorOp::AvgPool : VectorOp::MaxPool, table);
      window();
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, out.channels));
      // Every pool sets FLAGS (a MAXPOOL after a ZeroInsert on the engine must not inherit
      // FLAGS[3]); PAD_B/PAD_R bound the pads that count (count_include_pad) or read zeros.
      // An Upsample with channels per phase (DepthToSpace) gathers them (FLAGS[4]): OUT_C_CNT
      // table words per phase, phase k = (oy % UP_H) * UP_W + ox % UP_W.
      const bool zero_insert = node.op == ir::Op::ZeroInsert;
      const bool include_pad = avg && node.window.count_include_pad;
      const bool gather = !node.source_channels.empty();
      e.add(set(ereg::kFlags, (include_pad ? 1 : 0) | (zero_insert ? 8 : 0) | (gather ? 16 : 0) |
                                  border_flags(node.window.border)));
      for (std::int64_t c : node.source_channels)
        engine.data.push_back(static_cast<std::uint64_t>(c));
      if (avg || node.window.border == ir::Border::Zero) {
        e.add(set(ereg::kPadB, node.window.pad_bottom));
        e.add(set(ereg::kPadR, node.window.pad_right));
      }
      if (avg) {
        const std::int64_t taps = node.window.kernel_h * node.window.kernel_w;
        for (std::int64_t count = 0; count <= taps; ++count) {
          const std::size_t i = static_cast<std::size_t>(count);
          engine.data.push_back(i < qn.divide.size()
                                    ? requant_word(qn.divide[i].multiplier, qn.divide[i].shift)
                                    : requant_word(0, 0));
        }
      }
      e.run();
      break;
    }
    case ir::Op::Resample: {
      // Table words TABLE + oy (rows), then TABLE + OUT_H + ox (columns): [31:0] the window's
      // first input index, [47:32] the next one's fixed-point weight; MUL_A is the weights' one.
      common(in, VectorOp::Resample, table);
      e.add(set(ereg::kKh, node.window.kernel_h));
      e.add(set(ereg::kKw, node.window.kernel_w));
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, out.channels));
      e.add(set(ereg::kMulA, ir::kResampleOne));
      e.add(set(ereg::kShift, 2 * ir::kResampleWeightBits));
      for (const ir::ResampleAxis* axis : {&node.resample_rows, &node.resample_columns})
        for (std::size_t o = 0; o < axis->first.size(); ++o)
          engine.data.push_back(
              resample_word(axis->first[o], ir::resample_fixed_weight(axis->weight[o])));
      e.run();
      break;
    }
    case ir::Op::GlobalAveragePool:
      common(in, VectorOp::Gap, table);
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, out.channels));
      engine.data.push_back(requant_word(qn.divide.at(0).multiplier, qn.divide.at(0).shift));
      e.run();
      break;
    case ir::Op::ChannelMax:  // every channel of the pixel into one
      common(in, VectorOp::ChannelMax, table);
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, 1));
      e.run();
      break;
    case ir::Op::ChannelGather:  // a COPY from input channel IN_C_FIRST on, or (FLAGS[4]) of
    case ir::Op::Relu:           // table word c's channel
    case ir::Op::Clip:
      common(in, VectorOp::Copy, table);
      if (node.op == ir::Op::ChannelGather) {
        const std::vector<std::int64_t>& sources = node.source_channels;
        const bool slice = ir::consecutive_channels(sources);
        e.add(set(ereg::kInCFirst, slice ? sources.at(0) : 0));
        e.add(set(ereg::kFlags, slice ? 0 : 16));
        if (!slice)
          for (std::int64_t c : sources) engine.data.push_back(static_cast<std::uint64_t>(c));
      }
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, out.channels));
      e.add(set(ereg::kMulA, 1));
      e.add(set(ereg::kShift, 0));
      e.run();
      break;
    case ir::Op::Unary: {
      // The output code of every input code; TABLE addresses the word of input code 0.
      const quant::QuantParams& in_q = b.graph.values.at(static_cast<std::size_t>(node.inputs[0]));
      if (static_cast<std::int64_t>(qn.table.size()) !=
          std::int64_t{in_q.max_code()} - in_q.min_code() + 1)
        fail("{}: a table of {} codes for {}-bit input codes", where, qn.table.size(), in_q.bits);
      common(in, VectorOp::Lut, table - in_q.min_code());
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, out.channels));
      for (const std::int32_t code : qn.table)
        engine.data.push_back(static_cast<std::uint64_t>(std::int64_t{code}));
      e.run();
      break;
    }
    case ir::Op::ChannelAffine:
      common(in, VectorOp::Affine, table);
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, out.channels));
      if (static_cast<std::int64_t>(qn.requant.size()) != out.channels)
        fail("{}: {} requantizers for {} channels", where, qn.requant.size(), out.channels);
      for (std::size_t ch = 0; ch < qn.requant.size(); ++ch) {
        engine.data.push_back(requant_word(qn.requant[ch].multiplier, qn.requant[ch].shift));
        engine.data.push_back(static_cast<std::uint64_t>(qn.channel_offset.at(ch)));
      }
      e.run();
      break;
    case ir::Op::Add: {
      const ir::Dims& out_shape = b.graph.graph.shape(node.output);
      // Two activations: the same shape, or one of them a vector per channel ([N, C, 1, 1],
      // FLAGS[2]: a global context added to every pixel), which IN2_BUF reads.
      const std::size_t full =
          node.inputs.size() == 2 && b.graph.graph.shape(node.inputs[0]) != out_shape ? 1 : 0;
      const Buffer in1 = buffer_view(b, node.inputs[full], where);
      if (b.graph.graph.shape(node.inputs[full]) != out_shape)
        fail("{}: broadcasting Add is not supported by the RTL yet", where);
      common(in1, VectorOp::Add, table);
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, out.channels));
      e.add(set(ereg::kMulA, qn.add.multipliers.at(full)));
      e.add(set(ereg::kShift, qn.add.shift));
      if (node.inputs.size() == 2) {
        const ir::ValueId other = node.inputs[1 - full];
        const Buffer in2 = buffer_view(b, other, where);
        const ir::Dims& shape = b.graph.graph.shape(other);
        const std::int64_t flags = broadcast_flags(in2, out);
        if (flags < 0)
          fail(
              "{}: operand '{}' of shape {} does not broadcast to the output (a value per channel "
              "or one, per pixel, row, column or one); not supported by the RTL yet",
              where, b.graph.graph.value(other).name, ir::format_dims(shape));
        e.add(set(ereg::kIn2Buf, in2.id));
        e.add(set(ereg::kMulB, qn.add.multipliers.at(1 - full)));
        e.add(set(ereg::kFlags, flags));
      } else {
        e.add(set(ereg::kIn2Buf, -1));
        e.add(set(ereg::kMulB, 0));
        e.add(set(ereg::kFlags, 2));
        // The constant term per output element, pixel-major, broadcast like the float op.
        const ir::Dims& cshape = node.weight.shape;
        const std::size_t rank = out_shape.size();
        std::vector<std::int64_t> strides(rank, 0);
        std::int64_t stride = 1;
        for (std::size_t i = 0; i < cshape.size() && i < rank; ++i) {
          const std::size_t axis = rank - 1 - i;
          const std::int64_t dim = cshape[cshape.size() - 1 - i];
          strides[axis] = dim == 1 ? 0 : stride;
          stride *= dim;
        }
        for (std::int64_t p = 0; p < out.pixels(); ++p)
          for (std::int64_t ch = 0; ch < out.channels; ++ch) {
            // NCHW coordinates of (p, ch): [0, ch, y, x] or [0, ch].
            std::vector<std::int64_t> coord(rank, 0);
            if (rank == 4) {
              coord[1] = ch;
              coord[2] = p / out.width;
              coord[3] = p % out.width;
            } else if (rank == 2) {
              coord[1] = ch;
            }
            std::int64_t flat = 0;
            for (std::size_t a = 0; a < rank; ++a) flat += coord[a] * strides[a];
            engine.data.push_back(
                static_cast<std::uint64_t>(qn.add_constant.at(static_cast<std::size_t>(flat))));
          }
      }
      e.run();
      break;
    }
    case ir::Op::Mul: {
      // a * b requantized by the table's word; b may be a gate per channel or per pixel.
      const Buffer in2 = buffer_view(b, node.inputs.at(1), where);
      const std::int64_t flags = broadcast_flags(in2, out);
      if (flags < 0)
        fail(
            "{}: operand '{}' does not broadcast to the output (a value per channel or one, per "
            "pixel, row, column or one)",
            where, b.graph.graph.value(node.inputs[1]).name);
      common(in, VectorOp::Mul, table);
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, out.channels));
      e.add(set(ereg::kIn2Buf, in2.id));
      e.add(set(ereg::kFlags, flags));
      engine.data.push_back(requant_word(qn.requant.at(0).multiplier, qn.requant.at(0).shift));
      e.run();
      break;
    }
    case ir::Op::Concat: {
      // One RUN: every output pixel takes the channels of each input in turn, requantized.
      const std::int64_t rank = static_cast<std::int64_t>(b.graph.graph.shape(node.output).size());
      const std::int64_t axis = node.axis < 0 ? node.axis + rank : node.axis;
      if (axis != 1)
        fail("{}: Concat along axis {}; only channels (1) are supported by the RTL", where,
             node.axis);
      common(in, VectorOp::Concat, table);
      e.add(set(ereg::kOutCOff, 0));
      e.add(set(ereg::kOutCCnt, out.channels));
      e.add(set(ereg::kInCount, static_cast<std::int64_t>(node.inputs.size())));
      std::int64_t channels = 0;
      for (std::size_t i = 0; i < node.inputs.size(); ++i) {
        const Buffer input = buffer_view(b, node.inputs[i], where);
        if (input.pixels() != out.pixels()) fail("{}: inputs differ in pixels", where);
        engine.data.push_back(concat_word(input.id, input.channels));
        engine.data.push_back(
            requant_word(qn.input_requant.at(i).multiplier, qn.input_requant.at(i).shift));
        channels += input.channels;
      }
      if (channels != out.channels) fail("{}: input channels do not add up", where);
      e.run();
      break;
    }
    default: fail("{}: not supported on chip", where);
  }
}

}  // namespace pimhls::compile::detail
