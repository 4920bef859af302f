// engine_vector.sv (+ engine_sequencer, act_memory, rom) against the integer kernels of
// quant/int_ops.h, bit for bit, and against the ISA's cycle timing (docs/isa.md "Vector
// engine"): two engines, the second one's first run stalls on pixels the first one writes.
// Buffer layout: tb_vector_top.sv.
#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <tuple>

#include "Vtb_vector_top.h"
#include "ir/border_pad.h"
#include "ir/channel_gather.h"
#include "ir/channel_max.h"
#include "ir/resample.h"
#include "ir/upsample.h"
#include "quant/int_ops.h"
#include "tb_program.h"
#include "tb_util.h"

namespace {

using namespace pimhls;
using compile::Opcode;
namespace r = compile::ereg;

struct Buf {
  int base, c, h, w;
  int pixels() const { return h * w; }
};
// tb_vector_top.sv
const std::vector<Buf> kBufs = {
    {0, 3, 5, 6},      {90, 3, 5, 6},   {180, 3, 3, 3},    {207, 3, 3, 3},  {234, 3, 3, 3},
    {261, 3, 1, 1},    {264, 3, 5, 6},  {354, 6, 5, 6},    {534, 3, 5, 6},  {624, 3, 5, 6},
    {714, 3, 3, 3},    {741, 3, 5, 6},  {831, 3, 5, 6},    {921, 3, 5, 6},  {1011, 3, 5, 6},
    {1101, 3, 5, 6},   {1191, 3, 5, 5}, {1266, 3, 5, 6},   {1356, 6, 5, 6}, {1536, 3, 2, 3},
    {1554, 3, 5, 6},   {1644, 1, 5, 6}, {1674, 3, 5, 6},   {1764, 3, 5, 6}, {1854, 1, 5, 6},
    {1884, 3, 8, 9},   {2100, 3, 8, 9}, {2316, 3, 10, 11}, {2646, 3, 3, 3}, {2673, 3, 8, 9},
    {2889, 3, 10, 12}, {3249, 1, 1, 1}, {3250, 3, 5, 6},   {3340, 3, 5, 6}, {3430, 3, 5, 1},
    {3445, 3, 1, 6},   {3463, 3, 5, 6}, {3553, 3, 5, 6},   {3643, 3, 4, 9}, {3751, 3, 4, 9}};
constexpr std::int64_t kStart = 40;  // cycle of the global START 0

// One vector-engine RUN as the test configures it.
struct Run {
  int op = 5, in = 0, in2 = -1, out = 0, out_c_off = 0;
  int kh = 1, kw = 1, stride = 1, pad = 0, pad_br = 0, up = 1, in_c_first = 0;
  bool include_pad = false, add_constant = false, gate = false, zero_insert = false;
  bool pixel_gate = false;                     // MUL/ADD: IN2_BUF has one channel (FLAGS[5])
  bool row_gate = false, column_gate = false;  // MUL/ADD: a pixel per row/column (FLAGS[8], [9])
  bool gather = false;                         // COPY: lane j reads the channel in table word j
  std::int64_t mul_a = 1, mul_b = 0, shift = 0, table = 0, clamp_min = -128, clamp_max = 127;
  int pixel_cycles = 1;
  int in_count = 0;
  int border = 0;  // MAXPOOL/AVGPOOL: FLAGS[7:6] (ir::Border: 1 reflect, 2 edge, 3 zeros)
  const ir::Node* resample = nullptr;  // RESAMPLE: its rows' and columns' tables
};

void emit_run(tb::Program& p, const Run& run) {
  const Buf& in = kBufs[static_cast<std::size_t>(run.in)];
  const Buf& out = kBufs[static_cast<std::size_t>(run.out)];
  p.set(r::kOp, run.op);
  p.set(r::kInBuf, run.in);
  p.set(r::kIn2Buf, run.in2);
  p.set(r::kInC, in.c);
  p.set(r::kInH, in.h);
  p.set(r::kInW, in.w);
  p.set(r::kKh, run.kh);
  p.set(r::kKw, run.kw);
  p.set(r::kStrideH, run.stride);
  p.set(r::kStrideW, run.stride);
  p.set(r::kPadT, run.pad);
  p.set(r::kPadL, run.pad);
  p.set(r::kPadB, run.pad_br);
  p.set(r::kPadR, run.pad_br);
  p.set(r::kDilH, 1);
  p.set(r::kDilW, 1);
  p.set(r::kUpH, run.up);
  p.set(r::kUpW, run.up);
  p.set(r::kOutBuf, run.out);
  p.set(r::kOutC, out.c);
  p.set(r::kOutCOff, run.out_c_off);
  p.set(r::kOutCCnt,
        run.op == 7 || run.op == 10 || run.in_c_first > 0 || run.gather ? out.c : in.c);
  p.set(r::kInCFirst, run.in_c_first);
  p.set(r::kOutH, out.h);
  p.set(r::kOutW, out.w);
  p.set(r::kVectors, out.pixels());
  p.set(r::kMulA, run.mul_a);
  p.set(r::kMulB, run.mul_b);
  p.set(r::kShift, run.shift);
  p.set(r::kFlags, (run.include_pad ? 1 : 0) | (run.add_constant ? 2 : 0) | (run.gate ? 4 : 0) |
                       (run.zero_insert ? 8 : 0) | (run.gather ? 16 : 0) |
                       (run.pixel_gate ? 32 : 0) | (run.border << 6) | (run.row_gate ? 256 : 0) |
                       (run.column_gate ? 512 : 0));
  p.set(r::kTable, run.table);
  p.set(r::kClampMin, run.clamp_min);
  p.set(r::kClampMax, run.clamp_max);
  p.set(r::kPixelCycles, run.pixel_cycles);
  p.set(r::kInCount, run.in_count);
  p.op(Opcode::Run);
}

// The ISA timing of a program of SETs, SYNC, RUNs, DONE, HALT: returns the HALT issue cycle,
// fills the DONE cycle and the valid times of written pixels.
std::int64_t isa_timing(const tb::Program& program, const std::vector<Run>& runs,
                        std::map<int, std::vector<std::int64_t>>& valid, std::int64_t& done) {
  std::int64_t t = 0;
  std::size_t next_run = 0;
  for (const compile::Instruction& i : program.code) {
    if (i.op == Opcode::Sync) {
      t = std::max(t + 1, kStart + 1);
    } else if (i.op == Opcode::Run) {
      const Run& run = runs[next_run++];
      const Buf& in = kBufs[static_cast<std::size_t>(run.in)];
      const Buf& out = kBufs[static_cast<std::size_t>(run.out)];
      auto& out_valid = valid[run.out];
      const std::int64_t rr = t;
      std::int64_t e = -1;
      for (int p = 0; p < out.pixels(); ++p) {
        const int oy = p / out.w, ox = p % out.w;
        std::int64_t ready = 0;
        auto need = [&](int buf, int pixel) { ready = std::max(ready, valid[buf][pixel]); };
        if (run.op == 1 || run.op == 2) {
          for (int ky = 0; ky < run.kh; ++ky)
            for (int kx = 0; kx < run.kw; ++kx) {
              int iy = oy / run.up * run.stride - run.pad + ky,
                  ix = ox / run.up * run.stride - run.pad + kx;
              if (run.border > 0) {
                const auto border = static_cast<ir::Border>(run.border - 1);
                iy = static_cast<int>(ir::border_index(iy, in.h, border));
                ix = static_cast<int>(ir::border_index(ix, in.w, border));
              }
              if (iy >= 0 && iy < in.h && ix >= 0 && ix < in.w) need(run.in, iy * in.w + ix);
            }
        } else if (run.op == 11) {  // the taps at the rows and columns of the tables, clamped
          const ir::Node& node = *run.resample;
          for (int ky = 0; ky < run.kh; ++ky)
            for (int kx = 0; kx < run.kw; ++kx) {
              const auto iy = std::min<std::int64_t>(
                  node.resample_rows.first[static_cast<std::size_t>(oy)] + ky, in.h - 1);
              const auto ix = std::min<std::int64_t>(
                  node.resample_columns.first[static_cast<std::size_t>(ox)] + kx, in.w - 1);
              need(run.in, static_cast<int>(iy * in.w + ix));
            }
        } else if (run.op == 3) {
          for (int q = 0; q < in.pixels(); ++q) need(run.in, q);
        } else if (run.op == 7) {
          need(0, p);
          need(1, p);
        } else {
          need(run.in, p);
          if (run.in2 >= 0)
            need(run.in2, run.gate ? 0 : run.row_gate ? oy : run.column_gate ? ox : p);
        }
        e = p == 0 ? std::max(rr + 1, ready) : std::max(e + 1, ready);  // first(p)
        e += run.pixel_cycles - 1;                                      // last(p)
        std::int64_t& v = out_valid[static_cast<std::size_t>(p)];
        v = v == tb::kNever ? e + 1 : std::max(v, e + 1);  // the latest writer's
      }
      t = std::max(rr + 1, e + 1);
    } else if (i.op == Opcode::Done) {
      done = t;
      t += 1;
    } else if (i.op == Opcode::Halt) {
      return t;
    } else {
      t += 1;
    }
  }
  return t;
}

}  // namespace

int main() {
  tb::random_initial_state();
  std::mt19937 rng(1234);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const ir::Dims in_shape = {1, 3, 5, 6};
  quant::IntTensor a{in_shape, std::vector<std::int32_t>(90)}, b = a;
  for (auto& v : a.data) v = uniform(-128, 127);
  for (auto& v : b.data) v = uniform(-128, 127);

  // Constants of the runs.
  std::vector<quant::Requantizer> avg_divide(10), affine(3);
  for (auto& q : avg_divide) q = {uniform(1 << 14, (1 << 16) - 1), uniform(14, 18)};
  const quant::Requantizer gap_divide{uniform(1 << 14, (1 << 16) - 1), 20};
  for (auto& q : affine) q = {uniform(-(1 << 15), 1 << 15), uniform(12, 16)};
  std::vector<std::int64_t> affine_offset(3), add_constant(90);
  for (auto& v : affine_offset) v = uniform(-(1 << 20), 1 << 20);
  for (auto& v : add_constant) v = uniform(-(1 << 22), 1 << 22);
  const std::int64_t add_ma = uniform(1 << 14, 1 << 15), add_mb = uniform(1 << 13, 1 << 15);
  const quant::Requantizer concat0{uniform(1 << 14, 1 << 15), 15},
      concat1{uniform(1 << 14, 1 << 15), 16};

  // Data ROM of engine 1: AVGPOOL divide[count] at 0, GAP at 10, AFFINE at 11, ADD constants at 20.
  std::vector<std::uint64_t> data1(110, 0);
  for (int i = 0; i < 10; ++i)
    data1[i] = compile::requant_word(avg_divide[i].multiplier, avg_divide[i].shift);
  data1[10] = compile::requant_word(gap_divide.multiplier, gap_divide.shift);
  for (int c = 0; c < 3; ++c) {
    data1[11 + 2 * c] = compile::requant_word(affine[c].multiplier, affine[c].shift);
    data1[12 + 2 * c] = static_cast<std::uint64_t>(affine_offset[c]);
  }
  for (int i = 0; i < 90; ++i) data1[20 + i] = static_cast<std::uint64_t>(add_constant[i]);
  // CONCAT at 110: per input its buffer id and channels, then its requantizer
  data1.push_back(compile::concat_word(0, 3));
  data1.push_back(compile::requant_word(concat0.multiplier, concat0.shift));
  data1.push_back(compile::concat_word(1, 3));
  data1.push_back(compile::requant_word(concat1.multiplier, concat1.shift));
  // MUL at 114 and 115: the product's requantizer
  const quant::Requantizer gate_r{uniform(1 << 12, 1 << 14), 14},
      product_r{uniform(1 << 12, 1 << 14), 15};
  data1.push_back(compile::requant_word(gate_r.multiplier, gate_r.shift));
  data1.push_back(compile::requant_word(product_r.multiplier, product_r.shift));
  // COPY with FLAGS[4] at 116: the input channel of each output channel (a channel shuffle of
  // the concat, 2 groups of 3)
  const std::vector<std::int64_t> shuffle = {0, 3, 1, 4, 2, 5};
  for (std::int64_t c : shuffle) data1.push_back(static_cast<std::uint64_t>(c));
  // MAXPOOL with FLAGS[4] at 122: per phase of a 2x2 block the concat's channel of each lane
  // (DepthToSpace)
  const std::vector<std::int64_t> phase_sources = {5, 0, 3, 1, 1, 4, 2, 2, 0, 3, 5, 1};
  for (std::int64_t c : phase_sources) data1.push_back(static_cast<std::uint64_t>(c));
  // RESAMPLE at 134 and 147: in_a (5x6) to 4x9, per output row its first input row and the
  // next row's weight, then per column the same (the last row and column clamp at the edge;
  // weight 1 reads the second tap alone); the second reads one row (nearest) per output row.
  ir::Node resample2x2, resample1x2;
  resample2x2.op = resample1x2.op = ir::Op::Resample;
  resample2x2.window.kernel_h = resample2x2.window.kernel_w = 2;
  resample2x2.resample_rows = {{0, 1, 2, 4}, {0.25, 0.5, 0.75, 0.6}};
  resample2x2.resample_columns = {{0, 0, 1, 2, 2, 3, 4, 4, 5},
                                  {0.0, 0.33, 0.67, 0.0, 0.5, 1.0, 0.2, 0.9, 0.4}};
  resample1x2.window.kernel_h = 1;
  resample1x2.window.kernel_w = 2;
  resample1x2.resample_rows = {{0, 2, 3, 4}, {0.0, 0.0, 0.0, 0.0}};
  resample1x2.resample_columns = {{5, 4, 3, 2, 1, 0, 0, 1, 2},
                                  {0.125, 0.875, 0.5, 0.25, 0.75, 0.0, 1.0, 0.1, 0.9}};
  for (const ir::Node* node : {&resample2x2, &resample1x2})
    for (const ir::ResampleAxis* axis : {&node->resample_rows, &node->resample_columns})
      for (std::size_t o = 0; o < axis->first.size(); ++o)
        data1.push_back(
            compile::resample_word(axis->first[o], ir::resample_fixed_weight(axis->weight[o])));

  // Data ROM of engine 0: a table of output codes for input codes -128..127 (code 0 at 128).
  std::vector<std::uint64_t> data0;
  quant::QuantNode lut;
  for (int code = -128; code < 128; ++code) {
    lut.table.push_back(uniform(-128, 127));
    data0.push_back(static_cast<std::uint64_t>(std::int64_t{lut.table.back()}));
  }

  std::vector<Run> runs0, runs1;
  runs0.push_back({.op = 5, .in = 0, .out = 9, .clamp_min = 0, .clamp_max = 127});  // Relu
  runs0.push_back({.op = 8, .in = 0, .out = 12, .table = 128});                     // LUT
  runs1.push_back(
      {.op = 1, .in = 9, .out = 10, .kh = 3, .kw = 3, .stride = 2, .pad = 1, .pad_br = 1});
  runs1.push_back({.op = 1,
                   .in = 0,
                   .out = 2,
                   .kh = 3,
                   .kw = 3,
                   .stride = 2,
                   .pad = 1,
                   .pad_br = 1,
                   .clamp_min = -20,
                   .clamp_max = 100});
  runs1.push_back({.op = 2,
                   .in = 0,
                   .out = 3,
                   .kh = 3,
                   .kw = 3,
                   .stride = 2,
                   .pad = 1,
                   .pad_br = 1,
                   .table = 0});
  runs1.push_back({.op = 2,
                   .in = 0,
                   .out = 4,
                   .kh = 3,
                   .kw = 3,
                   .stride = 2,
                   .pad = 1,
                   .pad_br = 1,
                   .include_pad = true,
                   .table = 0});
  runs1.push_back({.op = 3, .in = 0, .out = 5, .table = 10});
  runs1.push_back(
      {.op = 4, .in = 0, .in2 = 1, .out = 6, .mul_a = add_ma, .mul_b = add_mb, .shift = 15});
  runs1.push_back({.op = 7, .in = 0, .out = 7, .table = 110, .in_count = 2});  // CONCAT
  runs1.push_back({.op = 6,
                   .in = 0,
                   .out = 8,
                   .table = 11,
                   .clamp_min = -100,
                   .clamp_max = 90,
                   .pixel_cycles = 3});
  runs1.push_back({.op = 4,
                   .in = 0,
                   .out = 11,
                   .add_constant = true,
                   .mul_a = add_ma,
                   .shift = 15,
                   .table = 20});

  runs1.push_back({.op = 9, .in = 0, .in2 = 5, .out = 13, .gate = true, .table = 114});
  runs1.push_back({.op = 9, .in = 0, .in2 = 1, .out = 14, .table = 115});
  runs1.push_back({.op = 4,  // ADD with FLAGS[2]: the gap, a vector per channel, to every pixel
                   .in = 0,
                   .in2 = 5,
                   .out = 20,
                   .gate = true,
                   .mul_a = add_ma,
                   .mul_b = add_mb,
                   .shift = 15});
  runs1.push_back({.op = 1, .in = 2, .out = 15, .up = 2});  // Upsample: a 1x1 max pool
  runs1.push_back({.op = 1, .in = 2, .out = 16, .up = 2, .zero_insert = true});  // ZeroInsert
  runs1.push_back({.op = 5, .in = 7, .out = 17, .in_c_first = 2});               // a slice: a COPY
  runs1.push_back({.op = 5, .in = 7, .out = 18, .gather = true, .table = 116});  // a shuffle
  // a Slice of rows 1, 3 and columns 1, 3, 5: a 1x1 max pool, stride 2, pads -1
  runs1.push_back({.op = 1, .in = 0, .out = 19, .stride = 2, .pad = -1, .pad_br = -1});
  // channel 1 of a as a one-channel map; a times it and a plus it (FLAGS[5]: a gate per pixel)
  runs1.push_back({.op = 5, .in = 0, .out = 21, .in_c_first = 1});
  runs1.push_back({.op = 9, .in = 0, .in2 = 21, .out = 22, .pixel_gate = true, .table = 115});
  runs1.push_back({.op = 4,
                   .in = 0,
                   .in2 = 21,
                   .out = 23,
                   .pixel_gate = true,
                   .mul_a = add_ma,
                   .mul_b = add_mb,
                   .shift = 15});
  runs1.push_back({.op = 10, .in = 7, .out = 24});  // CMAX: the max over the concat's channels
  // BorderPads of in_a: 1x1 max pools whose taps outside fold back (reflect, edge)
  runs1.push_back({.op = 1, .in = 0, .out = 25, .pad = 2, .pad_br = 1, .border = 1});
  runs1.push_back({.op = 1, .in = 0, .out = 26, .pad = 3, .pad_br = 0, .border = 2});
  runs1.push_back({.op = 1, .in = 0, .out = 27, .pad = 1, .pad_br = 4, .border = 2});
  // a zero Pad before a 3x3 max pool (the zeros take part), and a zero BorderPad
  runs1.push_back({.op = 1,
                   .in = 0,
                   .out = 28,
                   .kh = 3,
                   .kw = 3,
                   .stride = 2,
                   .pad = 1,
                   .pad_br = 1,
                   .border = 3});
  runs1.push_back({.op = 1, .in = 0, .out = 29, .pad = 2, .pad_br = 1, .border = 3});
  runs1.push_back({.op = 1, .in = 7, .out = 30, .up = 2, .gather = true, .table = 122});
  // the max of each row and the mean of each column of a; a times the first, plus the second
  // (FLAGS[8]: IN2_BUF's pixel is the output row, FLAGS[9] the column)
  runs1.push_back({.op = 1, .in = 0, .out = 34, .kw = 6});
  runs1.push_back({.op = 2, .in = 0, .out = 35, .kh = 5, .table = 0});
  runs1.push_back({.op = 9, .in = 0, .in2 = 34, .out = 36, .row_gate = true, .table = 115});
  runs1.push_back({.op = 4,
                   .in = 0,
                   .in2 = 35,
                   .out = 37,
                   .column_gate = true,
                   .mul_a = add_ma,
                   .mul_b = add_mb,
                   .shift = 15});
  // one value (the max of the gap's channels): a times it and a plus it (FLAGS[2] and FLAGS[5])
  runs1.push_back({.op = 10, .in = 5, .out = 31});
  runs1.push_back(
      {.op = 9, .in = 0, .in2 = 31, .out = 32, .gate = true, .pixel_gate = true, .table = 114});
  runs1.push_back({.op = 4,
                   .in = 0,
                   .in2 = 31,
                   .out = 33,
                   .gate = true,
                   .pixel_gate = true,
                   .mul_a = add_ma,
                   .mul_b = add_mb,
                   .shift = 15});

  for (const auto& [node, out, table] :
       {std::tuple{&resample2x2, 38, 134}, std::tuple{&resample1x2, 39, 147}})
    runs1.push_back({.op = 11,
                     .in = 0,
                     .out = out,
                     .kh = static_cast<int>(node->window.kernel_h),
                     .kw = static_cast<int>(node->window.kernel_w),
                     .mul_a = ir::kResampleOne,
                     .shift = 2 * ir::kResampleWeightBits,
                     .table = table,
                     .resample = node});

  tb::Program p0, p1;
  p0.op(Opcode::Sync);
  for (const Run& run : runs0) emit_run(p0, run);
  p0.op(Opcode::Done);
  p0.op(Opcode::Halt);
  for (int i = 0; i < 3; ++i) p1.op(Opcode::Nop);
  p1.op(Opcode::Sync);
  for (const Run& run : runs1) emit_run(p1, run);
  p1.op(Opcode::Done);
  p1.op(Opcode::Halt);
  const std::string dir = PIMHLS_CONTROL_WORK_DIR;
  tb::write_program(dir + "/vector_p0.hex", p0);
  tb::write_program(dir + "/vector_p1.hex", p1);
  tb::write_hex(dir + "/vector_d0.hex", data0);
  tb::write_hex(dir + "/vector_d1.hex", data1);

  // Expected timing.
  std::map<int, std::vector<std::int64_t>> valid;
  for (std::size_t i = 0; i < kBufs.size(); ++i)
    valid[static_cast<int>(i)] = std::vector<std::int64_t>(
        static_cast<std::size_t>(kBufs[i].pixels()), i < 2 ? 0 : tb::kNever);
  std::int64_t done0 = 0, done1 = 0;
  const std::int64_t halt0 = isa_timing(p0, runs0, valid, done0);
  const std::int64_t halt1 = isa_timing(p1, runs1, valid, done1);

  // Run the RTL.
  auto top = std::make_unique<Vtb_vector_top>();
  top->rst_n = 0;
  top->groups_started = 0;
  tb::tick(*top);
  tb::tick(*top);
  for (int i = 0; i < 90; ++i) {
    top->host_wr_en = 1;
    top->host_addr = static_cast<std::uint16_t>(i);
    top->host_wr_data = static_cast<std::uint32_t>(a.data[(i % 3) * 30 + i / 3]);
    tb::tick(*top);
    top->host_addr = static_cast<std::uint16_t>(90 + i);
    top->host_wr_data = static_cast<std::uint32_t>(b.data[(i % 3) * 30 + i / 3]);
    tb::tick(*top);
  }
  top->host_wr_en = 0;
  top->rst_n = 1;
  std::int64_t seen_done[2] = {-1, -1}, seen_halt[2] = {-1, -1};
  std::map<int, std::vector<std::int64_t>> seen_valid;
  for (std::int64_t cycle = 0; cycle < 5000; ++cycle) {
    top->groups_started = cycle >= kStart ? 1 : 0;
    top->clk = 0;
    top->eval();
    for (int e = 0; e < 2; ++e) {
      if ((top->done_pulse >> e) & 1) seen_done[e] = cycle;
      if (((top->halted >> e) & 1) && seen_halt[e] < 0) seen_halt[e] = cycle - 1;
    }
    if (top->wr_done & 2) {
      auto& v = seen_valid[top->wr_buf_1];
      v.resize(kBufs[top->wr_buf_1].pixels(), tb::kNever);
      v[top->wr_pixel_1] = cycle + 1;
    }
    top->clk = 1;
    top->eval();
    if (seen_halt[0] >= 0 && seen_halt[1] >= 0) break;
  }
  tb::check(top->error == 0, "no decode error");
  tb::check_eq(seen_done[0], done0, "engine 0 DONE cycle");
  tb::check_eq(seen_done[1], done1, "engine 1 DONE cycle");
  tb::check_eq(seen_halt[0], halt0, "engine 0 HALT cycle");
  tb::check_eq(seen_halt[1], halt1, "engine 1 HALT cycle");
  for (int p = 0; p < 9; ++p)
    tb::check_eq(seen_valid[10][p], valid[10][p],
                 "stalled maxpool: pixel valid time " + std::to_string(p));

  // Values.
  auto read_buffer = [&](int id) {
    const Buf& buf = kBufs[static_cast<std::size_t>(id)];
    std::vector<std::int32_t> nchw(static_cast<std::size_t>(buf.c * buf.pixels()));
    for (int pixel = 0; pixel < buf.pixels(); ++pixel)
      for (int c = 0; c < buf.c; ++c) {
        top->host_addr = static_cast<std::uint16_t>(buf.base + pixel * buf.c + c);
        top->eval();
        nchw[c * buf.pixels() + pixel] = static_cast<std::int32_t>(top->host_rd_data);
      }
    return nchw;
  };
  auto compare = [&](int id, const quant::IntTensor& want, const char* what) {
    const std::vector<std::int32_t> got = read_buffer(id);
    int bad = 0;
    for (std::size_t i = 0; i < want.data.size(); ++i)
      if (got[i] != want.data[i] && bad++ < 3)
        tb::check(false, std::string(what) + " element " + std::to_string(i) + ": got " +
                             std::to_string(got[i]) + ", want " + std::to_string(want.data[i]));
  };
  ir::Node pool;
  pool.window.kernel_h = pool.window.kernel_w = 3;
  pool.window.stride_h = pool.window.stride_w = 2;
  pool.window.pad_top = pool.window.pad_left = pool.window.pad_bottom = pool.window.pad_right = 1;
  const ir::Dims pooled = {1, 3, 3, 3};
  quant::QuantNode q;
  q.clamp_min = 0;
  q.clamp_max = 127;
  const quant::IntTensor relu = quant::clamp_codes(q, a);
  compare(9, relu, "relu copy");
  q.clamp_min = -128;
  compare(10, quant::max_pool(pool, q, relu, pooled), "maxpool of the relu copy");
  q.clamp_min = -20;
  q.clamp_max = 100;
  compare(2, quant::max_pool(pool, q, a, pooled), "maxpool");
  q.clamp_min = -128;
  q.clamp_max = 127;
  q.divide = avg_divide;
  compare(3, quant::average_pool(pool, q, a, pooled), "avgpool");
  pool.window.count_include_pad = true;
  compare(4, quant::average_pool(pool, q, a, pooled), "avgpool count_include_pad");
  q.divide = {gap_divide};
  compare(5, quant::global_average_pool(q, a, {1, 3, 1, 1}), "gap");
  ir::Node add_node;
  add_node.name = "add";
  q.add.multipliers = {add_ma, add_mb};
  q.add.shift = 15;
  compare(6, quant::add(add_node, q, a, &b, in_shape), "add");
  ir::Node concat_node;
  concat_node.axis = 1;
  q.input_requant = {concat0, concat1};
  const quant::IntTensor* inputs[] = {&a, &b};
  const quant::IntTensor concatenated = quant::concat(concat_node, q, inputs, {1, 6, 5, 6});
  compare(7, concatenated, "concat");
  ir::Node slice;
  slice.source_channels = {2, 3, 4};
  compare(17, {in_shape, ir::channel_gather(slice, concatenated.data, {1, 6, 5, 6}, in_shape)},
          "channels 2..4 of the concat (a COPY from IN_C_FIRST 2)");
  slice.source_channels = shuffle;
  compare(18,
          {{1, 6, 5, 6}, ir::channel_gather(slice, concatenated.data, {1, 6, 5, 6}, {1, 6, 5, 6})},
          "the concat's channels shuffled (a COPY with FLAGS[4])");
  ir::Node crop;
  crop.op = ir::Op::MaxPool;
  crop.window.stride_h = crop.window.stride_w = 2;
  crop.window.pad_top = crop.window.pad_left = crop.window.pad_bottom = -1;
  compare(19, quant::max_pool(crop, q, a, {1, 3, 2, 3}),
          "rows 1, 3 and columns 1, 3, 5 (a 1x1 MAXPOOL with negative pads)");
  q.clamp_min = -100;
  q.clamp_max = 90;
  q.requant = affine;
  q.channel_offset = affine_offset;
  compare(8, quant::channel_affine(q, a, in_shape), "affine");
  q.clamp_min = -128;
  q.clamp_max = 127;
  add_node.weight.shape = in_shape;
  q.add.multipliers = {add_ma};
  q.add_constant.assign(90, 0);
  // the table is pixel-major (p * C + c); the constant tensor is NCHW
  for (int pixel = 0; pixel < 30; ++pixel)
    for (int c = 0; c < 3; ++c) q.add_constant[c * 30 + pixel] = add_constant[pixel * 3 + c];
  compare(11, quant::add(add_node, q, a, nullptr, in_shape), "add with a constant");
  compare(12, quant::lookup_codes(lut, quant::QuantParams{1.0, 8, true}, a), "table lookup");
  q.divide = {gap_divide};
  const quant::IntTensor gap = quant::global_average_pool(q, a, {1, 3, 1, 1});
  ir::Node mul_node;
  mul_node.name = "mul";
  q.requant = {gate_r};
  compare(13, quant::multiply(mul_node, q, a, gap, in_shape), "mul by a gate per channel");
  q.requant = {product_r};
  compare(14, quant::multiply(mul_node, q, a, b, in_shape), "mul of two maps");
  q.add.multipliers = {add_ma, add_mb};
  compare(20, quant::add(add_node, q, a, &gap, in_shape), "add of a vector per channel");
  // Upsample of the maxpool (clamped to [-20, 100]) by 2x2: the first five of its six rows.
  ir::Node upsample;
  upsample.op = ir::Op::Upsample;
  upsample.window.upsample_h = upsample.window.upsample_w = 2;
  q.clamp_min = -20;
  q.clamp_max = 100;
  const quant::IntTensor maxpool = quant::max_pool(pool, q, a, pooled);
  const std::vector<std::int32_t> full = ir::upsample(upsample, maxpool.data, pooled, {1, 3, 6, 6});
  quant::IntTensor upsampled{in_shape, {}};
  for (int c = 0; c < 3; ++c)
    upsampled.data.insert(upsampled.data.end(), full.begin() + c * 36, full.begin() + c * 36 + 30);
  compare(15, upsampled, "upsample 2x2 (a 1x1 maxpool moving every 2 rows and columns)");
  const quant::IntTensor plane{{1, 1, 5, 6}, {a.data.begin() + 30, a.data.begin() + 60}};
  compare(21, plane, "channel 1 as a one-channel map");
  q.clamp_min = -128;
  q.clamp_max = 127;
  q.requant = {product_r};
  compare(22, quant::multiply(mul_node, q, a, plane, in_shape), "mul by a gate per pixel");
  compare(23, quant::add(add_node, q, a, &plane, in_shape), "add of a map of one channel");
  compare(24, {{1, 1, 5, 6}, ir::channel_max(slice, concatenated.data, {1, 6, 5, 6}, {1, 1, 5, 6})},
          "the max over the concat's 6 channels (CMAX)");
  ir::Node zero_insert = upsample;
  zero_insert.op = ir::Op::ZeroInsert;
  compare(16, {{1, 3, 5, 5}, ir::upsample(zero_insert, maxpool.data, pooled, {1, 3, 5, 5})},
          "zero insert 2x2 (the same with zeros between)");
  const struct {
    int buffer;
    ir::Border border;
    std::int64_t pad, pad_br;
  } pads[] = {{25, ir::Border::Reflect, 2, 1},
              {26, ir::Border::Edge, 3, 0},
              {27, ir::Border::Edge, 1, 4},
              {29, ir::Border::Zero, 2, 1}};
  for (const auto& [buffer, border, pad, pad_br] : pads) {
    ir::Node pad_node;
    pad_node.op = ir::Op::BorderPad;
    pad_node.window.border = border;
    pad_node.window.pad_top = pad_node.window.pad_left = pad;
    pad_node.window.pad_bottom = pad_node.window.pad_right = pad_br;
    const ir::Dims shape = ir::border_padded_dims(pad_node.window, in_shape);
    compare(buffer, {shape, ir::border_pad(pad_node, a.data, in_shape, shape)},
            (std::string("in_a padded, ") + ir::border_name(border)).c_str());
  }
  ir::Node depth_to_space = upsample;
  depth_to_space.source_channels = phase_sources;
  compare(30,
          {{1, 3, 10, 12},
           ir::upsample(depth_to_space, concatenated.data, {1, 6, 5, 6}, {1, 3, 10, 12})},
          "the concat upsampled 2x2, channels per block phase (DepthToSpace)");
  pool.window.border = ir::Border::Zero;
  compare(28, quant::max_pool(pool, q, a, pooled), "maxpool of in_a zero-padded");
  const quant::IntTensor scalar{{1, 1, 1, 1},
                                ir::channel_max(slice, gap.data, {1, 3, 1, 1}, {1, 1, 1, 1})};
  compare(31, scalar, "the max of the gap's channels (one value)");
  q.clamp_min = -128;
  q.clamp_max = 127;
  q.requant = {gate_r};
  compare(32, quant::multiply(mul_node, q, a, scalar, in_shape), "mul by one value");
  compare(33, quant::add(add_node, q, a, &scalar, in_shape), "add of one value");
  ir::Node rows_node, columns_node;
  rows_node.window.kernel_w = 6;
  columns_node.window.kernel_h = 5;
  const quant::IntTensor row_max = quant::max_pool(rows_node, q, a, {1, 3, 5, 1});
  q.divide = avg_divide;
  const quant::IntTensor column_mean = quant::average_pool(columns_node, q, a, {1, 3, 1, 6});
  compare(34, row_max, "the max of each row");
  compare(35, column_mean, "the mean of each column");
  q.requant = {product_r};
  compare(36, quant::multiply(mul_node, q, a, row_max, in_shape), "mul by a value per row");
  compare(37, quant::add(add_node, q, a, &column_mean, in_shape), "add of a value per column");
  compare(38, quant::resample(resample2x2, q, a, {1, 3, 4, 9}), "in_a resampled, 2x2 taps");
  compare(39, quant::resample(resample1x2, q, a, {1, 3, 4, 9}), "in_a resampled, 1x2 taps");
  return tb::finish("rtl.control.vector");
}
