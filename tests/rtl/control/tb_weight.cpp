// engine_weight.sv (+ pim_array, act_memory, engine_sequencer, rom) on a small convolution
// against quant::AnalogLayer + bias/requantize/clamp, bit for bit (a lossy 5-bit clip ADC, so
// saturation is exercised), and against the ISA timing of weight-engine runs (docs/isa.md): two
// copies share the vectors, every output pixel must become valid exactly at s_k + DEPTH.
// Second RUN: the same convolution split by input channels into two row pieces (channels 0-1
// writing 32-bit partial sums, channel 2 adding them and requantizing).
#include <map>
#include <memory>
#include <random>

#include "Vtb_weight_top.h"
#include "quant/analog_mvm.h"
#include "quant/fixed_point.h"
#include "quant/int_ops.h"
#include "tb_program.h"
#include "tb_util.h"

namespace {

using namespace pimhls;
using compile::Opcode;
namespace r = compile::ereg;

constexpr int kCin = 3, kH = 5, kW = 5, kCout = 6, kK = 3;
constexpr int kRows = 16, kCols = 16, kBpc = 2, kSlices = 4, kWpa = 4, kP = 8, kAdcBits = 5;
constexpr int kFirstTile = 2, kArraysPerTile = 4;
constexpr std::int64_t kStart = 20;

struct Unit {
  int in_c_off = 0, in_c_cnt = kCin, tile = 2, copies = 2, copy_stride = 2, copy_table = 0;
  int out_buf = 1, psum_in = -1, psum_out = 0;
  std::int64_t ii = 0, depth = 0;
};

quant::ArrayParams array_params() {
  quant::ArrayParams p;
  p.rows = kRows;
  p.cols = kCols;
  p.bits_per_cell = kBpc;
  p.dac_bits = 1;
  p.parallel_rows = kP;
  p.adc_bits = kAdcBits;
  p.adc_mode = quant::AdcMode::Clip;
  p.encoding = quant::WeightEncoding::Offset;
  p.input_encoding = quant::InputEncoding::TwosComplement;
  p.whole_kernels = true;
  return p;
}

int row_blocks(const Unit& u) { return (u.in_c_cnt * 9 + 8) / 9; }  // 9 rows per array

void emit_unit(tb::Program& p, const Unit& u) {
  p.set(r::kInBuf, 0);
  p.set(r::kInC, kCin);
  p.set(r::kInH, kH);
  p.set(r::kInW, kW);
  p.set(r::kInCOff, u.in_c_off);
  p.set(r::kInCCnt, u.in_c_cnt);
  p.set(r::kInCStep, kCin);
  p.set(r::kKh, kK);
  p.set(r::kKw, kK);
  p.set(r::kStrideH, 1);
  p.set(r::kStrideW, 1);
  p.set(r::kPadT, 1);
  p.set(r::kPadL, 1);
  p.set(r::kDilH, 1);
  p.set(r::kDilW, 1);
  p.set(r::kOutBuf, u.out_buf);
  p.set(r::kOutC, kCout);
  p.set(r::kOutCOff, 0);
  p.set(r::kOutCCnt, kCout);
  p.set(r::kOutH, kH);
  p.set(r::kOutW, kW);
  p.set(r::kGroups, 1);
  p.set(r::kOutCPerGroup, kCout);
  p.set(r::kPsumInBuf, u.psum_in);
  p.set(r::kPsumOut, u.psum_out);
  p.set(r::kTable, 3);
  p.set(r::kClampMin, -128);
  p.set(r::kClampMax, 127);
  p.set(r::kTile, u.tile);
  p.set(r::kArraysPerTile, kArraysPerTile);
  p.set(r::kCopies, u.copies);
  p.set(r::kCopyTable, u.copy_table);
  p.set(r::kVecPeriod, 1);
  p.set(r::kVecSlotLo, 0);
  p.set(r::kVecSlotHi, 1);
  p.set(r::kRowBlocks, row_blocks(u));
  p.set(r::kColBlocks, 2);
  p.set(r::kRowsPerArray, 9);
  p.set(r::kWeightsPerArray, kWpa);
  p.set(r::kSlices, kSlices);
  compile::Arith arith;
  arith.weight_bits = 8;
  arith.input_bits = 8;
  arith.signed_input = true;
  arith.input_encoding = 0;
  arith.weight_encoding = 1;
  arith.adc = 0;
  arith.bits_per_cell = kBpc;
  arith.dac_bits = 1;
  arith.adc_bits = kAdcBits;
  p.set(r::kArith, arith.pack());
  p.set(r::kParallelRows, kP);
  p.set(r::kAdcShift, 0);
  p.set(r::kIi, u.ii);
  p.set(r::kDepth, u.depth);
  p.set(r::kVectors, kH * kW);
  p.op(Opcode::Run);
}

// Issue cycles of a weight-engine RUN with every input valid from the start (docs/isa.md):
// pixel valid times, returns the next instruction's issue cycle.
std::int64_t run_timing(std::int64_t r, const Unit& u, std::vector<std::int64_t>& valid,
                        const std::vector<std::int64_t>* psum_valid) {
  std::int64_t next = r + 1;
  for (int c = 0; c < u.copies; ++c) {
    std::int64_t s = -1;
    for (int v = c; v < kH * kW; v += u.copies) {
      const std::int64_t ready = psum_valid ? (*psum_valid)[static_cast<std::size_t>(v)] : 0;
      s = s < 0 ? std::max(r + 1, ready) : std::max(s + u.ii, ready);
      valid[static_cast<std::size_t>(v)] = s + u.depth;
      next = std::max(next, s + u.depth);
    }
  }
  return next;
}

}  // namespace

int main() {
  tb::random_initial_state();
  std::mt19937 rng(99);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const ir::Dims in_shape = {1, kCin, kH, kW};
  std::vector<std::int32_t> input(kCin * kH * kW), weights(kCout * kCin * 9);
  for (auto& v : input) v = uniform(-128, 127);
  for (auto& w : weights) w = uniform(-127, 127);
  std::vector<std::int64_t> bias(kCout);
  std::vector<quant::Requantizer> requant(kCout);
  for (auto& b : bias) b = uniform(-5000, 5000);
  for (auto& q : requant) q = {uniform(1 << 14, (1 << 16) - 1), uniform(18, 22)};

  // Reference: the analog layer (whole layer, and the two row pieces), then the output stage.
  const quant::ArrayParams params = array_params();
  std::vector<std::int32_t> patches(kCin * 9 * kH * kW);
  ir::Window window;
  window.kernel_h = window.kernel_w = kK;
  window.pad_top = window.pad_left = window.pad_bottom = window.pad_right = 1;
  quant::im2col(input.data(), kCin, kH, kW, window, kH, kW, patches.data());
  auto analog = [&](int c0, int cn) {
    std::vector<std::int32_t> w(static_cast<std::size_t>(kCout * cn * 9));
    for (int n = 0; n < kCout; ++n)
      for (int k = 0; k < cn * 9; ++k) w[n * cn * 9 + k] = weights[n * kCin * 9 + c0 * 9 + k];
    quant::LayerMatrix m;
    m.rows = cn * 9;
    m.columns = kCout;
    m.kernel_taps = 9;
    m.weight_bits = 8;
    m.input_bits = 8;
    m.signed_input = true;
    quant::AnalogLayer layer(w, m, params, "conv");
    std::vector<std::int64_t> acc(kCout * kH * kW);
    layer.multiply(0, std::span(patches).subspan(c0 * 9 * kH * kW, cn * 9 * kH * kW), kH * kW, acc);
    return acc;
  };
  auto output_stage = [&](const std::vector<std::int64_t>& acc) {
    std::vector<std::int32_t> y(acc.size());
    for (int n = 0; n < kCout; ++n)
      for (int v = 0; v < kH * kW; ++v)
        y[n * kH * kW + v] = static_cast<std::int32_t>(
            std::clamp<std::int64_t>(requant[n].apply(acc[n * kH * kW + v] + bias[n]), -128, 127));
    return y;
  };
  const std::vector<std::int32_t> want_full = output_stage(analog(0, kCin));
  const std::vector<std::int64_t> piece0 = analog(0, 2), piece1 = analog(2, 1);
  std::vector<std::int64_t> split_sum(piece0.size());
  for (std::size_t i = 0; i < split_sum.size(); ++i)
    split_sum[i] = static_cast<std::int32_t>(piece0[i]) + piece1[i];
  const std::vector<std::int32_t> want_split = output_stage(split_sum);

  // Programs: the whole conv on tiles 2-5 (two copies), then the two row pieces on one copy
  // each (tiles 2-3, the rows of channels 0-1 of `whole`'s copy 0, and tile 6).
  const std::int64_t load = 3, mvm = 8 * 2 * (1 + 4);
  Unit whole{.ii = mvm, .depth = load + mvm + 7};
  Unit p0{.in_c_cnt = 2,
          .tile = 2,
          .copies = 1,
          .out_buf = 2,
          .psum_out = 1,
          .ii = mvm,
          .depth = load + mvm + 5};
  Unit p1{.in_c_off = 2,
          .in_c_cnt = 1,
          .tile = 6,
          .copies = 1,
          .copy_table = 2,
          .out_buf = 3,
          .psum_in = 2,
          .ii = mvm,
          .depth = load + mvm + 4};
  tb::Program prog;
  emit_unit(prog, whole);
  // move RUN after SYNC: the configuration is written before the barrier
  prog.code.pop_back();
  prog.op(Opcode::Sync);
  prog.op(Opcode::Run);
  emit_unit(prog, p0);
  emit_unit(prog, p1);
  prog.op(Opcode::Done);
  prog.op(Opcode::Halt);
  std::vector<std::uint64_t> table = {2, 4, 6};  // copy tables: whole {2, 4}, p0 {2}, p1 {6}
  for (int n = 0; n < kCout; ++n) {
    table.push_back(static_cast<std::uint64_t>(bias[n]));
    table.push_back(compile::requant_word(requant[n].multiplier, requant[n].shift));
  }
  const std::string dir = PIMHLS_CONTROL_WORK_DIR;
  tb::write_program(dir + "/weight_p.hex", prog);
  tb::write_hex(dir + "/weight_d.hex", table);

  // Expected timing: walk the program (SET, SYNC, RUN, DONE: docs/isa.md).
  std::vector<std::int64_t> valid_full(kH * kW), valid_psum(kH * kW), valid_split(kH * kW);
  std::int64_t t = 0, want_done = -1, want_halt = -1;
  int runs = 0;
  for (const auto& i : prog.code) {
    if (i.op == Opcode::Sync)
      t = std::max(t + 1, kStart + 1);
    else if (i.op == Opcode::Run) {
      if (runs == 0) t = run_timing(t, whole, valid_full, nullptr);
      if (runs == 1) t = run_timing(t, p0, valid_psum, nullptr);
      if (runs == 2) t = run_timing(t, p1, valid_split, &valid_psum);
      ++runs;
    } else if (i.op == Opcode::Done) {
      want_done = t++;
    } else if (i.op == Opcode::Halt) {
      want_halt = t;
    } else {
      ++t;
    }
  }

  // Weight rows: logical array a = b * COL_BLOCKS + q of a unit at tile T; level of column
  // j*S + s = slice s of w + 128 (offset encoding), 2 bits per cell, 32 cells per word.
  struct Row {
    int tile, array, row;
    std::uint64_t word;
  };
  std::vector<Row> rows;
  auto program_unit = [&](const Unit& u) {
    const int rb = row_blocks(u);
    for (int copy = 0; copy < u.copies; ++copy)
      for (int b = 0; b < rb; ++b)
        for (int q = 0; q < 2; ++q) {
          const int a = b * 2 + q;
          const int tile = u.tile + copy * u.copy_stride + a / kArraysPerTile;
          for (int rr = 0; rr < 9; ++rr) {
            const int k = b * 9 + rr;
            if (k >= u.in_c_cnt * 9) break;
            std::uint64_t word = 0;
            for (int j = 0; j < kWpa; ++j) {
              const int n = q * kWpa + j;
              if (n >= kCout) break;
              const int e = weights[n * kCin * 9 + u.in_c_off * 9 + k] + 128;
              for (int s = 0; s < kSlices; ++s)
                word |= static_cast<std::uint64_t>((e >> (2 * s)) & 3) << (2 * (j * kSlices + s));
            }
            rows.push_back({tile, a % kArraysPerTile, rr, word});
          }
        }
  };
  program_unit(whole);  // p0 uses the same arrays as copy 0 of `whole` (rows of channels 0-1)
  Unit p1_arrays = p1;
  program_unit(p1_arrays);  // tile 6: channel 2's rows

  auto top = std::make_unique<Vtb_weight_top>();
  top->rst_n = 0;
  top->groups_started = 0;
  tb::tick(*top);
  for (int i = 0; i < kCin * kH * kW; ++i) {
    // pixel-major: (pixel, c) at pixel * C + c
    const int c = i % kCin, pixel = i / kCin;
    top->host_wr_en = 1;
    top->host_addr = static_cast<std::uint16_t>(i);
    top->host_wr_data = static_cast<std::uint32_t>(input[c * kH * kW + pixel]);
    tb::tick(*top);
  }
  top->host_wr_en = 0;
  tb::tick(*top);
  // The weights, before reset is released (as the single-group initial load, not measured).
  top->rst_n = 1;
  tb::tick(*top);
  for (const Row& row : rows) {
    top->rl_valid = 1;
    top->rl_tile = static_cast<std::uint16_t>(row.tile);
    top->rl_array = static_cast<std::uint8_t>(row.array);
    top->rl_row = static_cast<std::uint16_t>(row.row);
    top->rl_data = static_cast<std::uint32_t>(row.word);
    top->clk = 0;
    top->eval();
    while (!top->rl_ready) tb::tick(*top);
    tb::tick(*top);
  }
  top->rl_valid = 0;
  for (int i = 0; i < 4; ++i) tb::tick(*top);
  top->rst_n = 0;  // restart the controllers at cycle 0 (array contents are kept)
  tb::tick(*top);
  top->rst_n = 1;

  std::map<int, std::vector<std::int64_t>> seen;  // buffer -> pixel valid times (by order)
  std::vector<std::int64_t> seen_write;
  std::int64_t seen_done = -1, seen_halt = -1;
  for (std::int64_t cycle = 0; cycle < 20000 && seen_halt < 0; ++cycle) {
    top->groups_started = cycle >= kStart ? 1 : 0;
    top->clk = 0;
    top->eval();
    if (top->done_pulse) seen_done = cycle;
    if (top->halted && seen_halt < 0) seen_halt = cycle - 1;
    for (int c = 0; c < 2; ++c)
      if ((top->wr_done >> c) & 1)
        seen_write.push_back((cycle + 1) * 100 + (c ? top->wr_pixel_1 : top->wr_pixel_0));
    top->clk = 1;
    top->eval();
  }
  tb::check(!top->error, "no decode error");
  tb::check(!top->late, "no late write");
  tb::check_eq(seen_done, want_done, "DONE cycle");
  tb::check_eq(seen_halt, want_halt, "HALT cycle");
  // pixel valid times in write order: first RUN (25 pixels), then the two pieces
  std::vector<std::int64_t> want_write;
  for (int v = 0; v < kH * kW; ++v) want_write.push_back(valid_full[v] * 100 + v);
  for (int v = 0; v < kH * kW; ++v) want_write.push_back(valid_psum[v] * 100 + v);
  for (int v = 0; v < kH * kW; ++v) want_write.push_back(valid_split[v] * 100 + v);
  std::sort(want_write.begin(), want_write.end());
  std::sort(seen_write.begin(), seen_write.end());
  tb::check_eq(static_cast<std::int64_t>(seen_write.size()), 75, "pixels written");
  for (std::size_t i = 0; i < std::min(seen_write.size(), want_write.size()); ++i)
    tb::check_eq(seen_write[i], want_write[i], "write time * 100 + pixel, #" + std::to_string(i));

  auto read_buffer = [&](int base, bool psum) {
    std::vector<std::int64_t> nchw(kCout * kH * kW);
    for (int pixel = 0; pixel < kH * kW; ++pixel)
      for (int c = 0; c < kCout; ++c) {
        top->host_addr = static_cast<std::uint16_t>(base + pixel * kCout + c);
        top->eval();
        nchw[c * kH * kW + pixel] = psum ? static_cast<std::int32_t>(top->host_rd_data)
                                         : static_cast<std::int32_t>(top->host_rd_data);
      }
    return nchw;
  };
  auto compare = [&](const std::vector<std::int64_t>& got, auto want, const char* what) {
    int bad = 0;
    for (std::size_t i = 0; i < got.size(); ++i)
      if (got[i] != static_cast<std::int64_t>(want[i]) && bad++ < 4)
        tb::check(false, std::string(what) + " element " + std::to_string(i) + ": got " +
                             std::to_string(got[i]) + ", want " + std::to_string(want[i]));
  };
  compare(read_buffer(75, false), want_full, "conv");
  std::vector<std::int64_t> want_psum(piece0.size());
  for (std::size_t i = 0; i < piece0.size(); ++i)
    want_psum[i] = static_cast<std::int32_t>(piece0[i]);
  compare(read_buffer(225, true), want_psum, "partial sums");
  compare(read_buffer(375, false), want_split, "row-split conv");
  return tb::finish("rtl.control.weight");
}
