#include "emulate/emulate.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>

#include "ir/border_pad.h"
#include "quant/analog_mvm.h"
#include "quant/array_params.h"
#include "quant/fixed_point.h"
#include "quant/int_ops.h"
#include "util/error.h"

namespace pimhls::emulate {
namespace {

using compile::Arith;
using compile::Controller;
using compile::Instruction;
using compile::Opcode;
namespace ereg = compile::ereg;
namespace greg = compile::greg;

struct BufferState {
  const compile::Buffer* info = nullptr;
  std::vector<std::int64_t> data;        // pixel-major
  std::vector<std::int64_t> valid_time;  // per pixel: the latest writer's time
  std::vector<int> written;              // per pixel: writers so far
  bool complete() const {
    for (int w : written)
      if (w < info->writers) return false;
    return true;
  }
};

struct EngineState {
  const compile::Engine* engine = nullptr;
  std::size_t pc = 0;
  std::int64_t t = 0;
  std::array<std::int64_t, ereg::kCount> regs{};
  std::int64_t copy_table_set = 0;  // issue cycle of the last SET COPY_TABLE
  bool halted = false;

  void set(const Instruction& i) {
    regs[i.reg] = i.imm;
    if (engine->kind == Controller::Weight && i.reg == ereg::kCopyTable) copy_table_set = t;
  }
};

// Raw row words of the arrays, by (tile, array in tile).
using ArrayRows = std::map<std::int64_t, std::vector<std::uint64_t>>;

class Machine {
 public:
  Machine(const compile::Program& program, bool compute_values)
      : p_(program), compute_values_(compute_values) {
    for (const compile::Buffer& b : program.buffers) {
      BufferState s;
      s.info = &b;
      s.data.assign(static_cast<std::size_t>(b.elements()), 0);
      s.valid_time.assign(static_cast<std::size_t>(b.pixels()), 0);
      s.written.assign(static_cast<std::size_t>(b.pixels()), 0);
      buffers_.push_back(std::move(s));
    }
    for (const compile::Engine& e : program.engines) {
      EngineState s;
      s.engine = &e;
      engines_.push_back(s);
    }
  }

  Result run(const std::vector<quant::IntTensor>& inputs);

 private:
  BufferState& buffer(std::int64_t id, const std::string& where) {
    if (id < 0 || id >= static_cast<std::int64_t>(buffers_.size()))
      fail("{}: buffer {} does not exist", where, id);
    return buffers_[static_cast<std::size_t>(id)];
  }
  std::string where(const EngineState& e) const {
    return fmt::format("engine {} ({}) at {}", e.engine->id, e.engine->name, e.pc);
  }
  void reload(std::int64_t words);
  // Runs one engine until its SYNC (configuration); returns false if it halted.
  void run_until_sync(EngineState& e);
  // One step after SYNC; false when it cannot progress (a RUN whose inputs are incomplete).
  bool step(EngineState& e, bool& done);
  bool inputs_ready(const EngineState& e);
  void run_weight(EngineState& e);
  void run_vector(EngineState& e);
  void write_pixel_done(BufferState& b, std::int64_t pixel, std::int64_t time) {
    auto& vt = b.valid_time[static_cast<std::size_t>(pixel)];
    vt = std::max(vt, time);
    ++b.written[static_cast<std::size_t>(pixel)];
  }

  const compile::Program& p_;
  bool compute_values_ = true;
  std::vector<BufferState> buffers_;
  std::vector<EngineState> engines_;
  ArrayRows arrays_;  // key: ((tile * 256 + array) << 16) + row
  std::size_t offchip_pointer_ = 0;
  std::int64_t start_time_ = 0;  // issue cycle of the current group's START
  std::int64_t runs_ = 0;
};

std::int64_t array_key(std::int64_t tile, std::int64_t array, std::int64_t row) {
  return ((tile * 256 + array) << 20) + row;
}

void Machine::reload(std::int64_t words) {
  const std::size_t end = offchip_pointer_ + static_cast<std::size_t>(words);
  if (words < 0 || end > p_.offchip.size())
    fail("RELOAD {}: the off-chip image has only {} words after word {}", words,
         p_.offchip.size() - offchip_pointer_, offchip_pointer_);
  std::size_t a = offchip_pointer_;
  while (a < end) {
    if (a + 1 >= end) fail("RELOAD: segment header at word {} crosses the group's end", a);
    const compile::SegmentHeader h =
        compile::decode_segment_header(p_.offchip[a], p_.offchip[a + 1]);
    a += 2;
    const std::size_t payload = static_cast<std::size_t>(compile::segment_payload_words(h));
    if (a + payload > end) fail("RELOAD: segment at word {} crosses the group's end", a - 2);
    const std::uint64_t* base = p_.offchip.data() + a;
    for (std::int64_t r = 0; r < h.rows; ++r) {
      // The row's bits, re-based at bit 0.
      std::vector<std::uint64_t> row(static_cast<std::size_t>((h.row_bits + 63) / 64));
      for (std::int64_t bit = 0; bit < h.row_bits; bit += 64) {
        const int count = static_cast<int>(std::min<std::int64_t>(64, h.row_bits - bit));
        row[static_cast<std::size_t>(bit / 64)] =
            compile::stream_bits(base, r * h.row_bits + bit, count);
      }
      for (std::int64_t c = 0; c < h.copies; ++c)
        arrays_[array_key(h.tile + c * h.copy_tile_stride, h.array, r)] = row;
    }
    a += payload;
  }
  offchip_pointer_ = end;
}

void Machine::run_until_sync(EngineState& e) {
  const auto& program = e.engine->program;
  while (!e.halted) {
    if (e.pc >= program.size()) fail("{}: ran past the end of the program", where(e));
    const Instruction& i = program[e.pc];
    switch (i.op) {
      case Opcode::Nop: break;
      case Opcode::Set: e.set(i); break;
      case Opcode::Sync:
        e.t = std::max(e.t + 1, start_time_ + 1);
        ++e.pc;
        return;
      case Opcode::Halt: e.halted = true; return;
      default: fail("{}: {} before SYNC", where(e), compile::opcode_name(i.op));
    }
    ++e.t;
    ++e.pc;
  }
}

bool Machine::inputs_ready(const EngineState& e) {
  auto ready = [&](std::int64_t id) {
    return id < 0 || buffers_.at(static_cast<std::size_t>(id)).complete();
  };
  if (e.engine->kind == Controller::Weight)
    return ready(e.regs[ereg::kInBuf]) && ready(e.regs[ereg::kPsumInBuf]);
  const auto op = e.regs[ereg::kOp];
  if (op == static_cast<std::int64_t>(compile::VectorOp::Add) ||
      op == static_cast<std::int64_t>(compile::VectorOp::Mul))
    return ready(e.regs[ereg::kInBuf]) && ready(e.regs[ereg::kIn2Buf]);
  if (op == static_cast<std::int64_t>(compile::VectorOp::Concat)) {
    for (std::int64_t i = 0; i < e.regs[ereg::kInCount]; ++i) {
      const std::size_t entry = static_cast<std::size_t>(e.regs[ereg::kTable] + 2 * i);
      if (entry >= e.engine->data.size()) fail("{}: Concat table past the data ROM", where(e));
      if (!ready(static_cast<std::int64_t>(e.engine->data[entry] & 0xFFFF))) return false;
    }
    return true;
  }
  return ready(e.regs[ereg::kInBuf]);
}

bool Machine::step(EngineState& e, bool& done) {
  const Instruction& i = e.engine->program.at(e.pc);
  switch (i.op) {
    case Opcode::Nop: ++e.t; break;
    case Opcode::Set:
      e.set(i);
      ++e.t;
      break;
    case Opcode::Run:
      if (!inputs_ready(e)) return false;
      ++runs_;
      if (e.engine->kind == Controller::Weight)
        run_weight(e);
      else
        run_vector(e);
      break;
    case Opcode::Done: done = true; break;  // t is the DONE issue cycle; the caller advances it
    default: fail("{}: {} after SYNC", where(e), compile::opcode_name(i.op));
  }
  ++e.pc;
  return true;
}

// ---- weight engine ----------------------------------------------------------------------------

std::int64_t decode_pattern(std::int64_t e, const quant::ArrayParams& params, int wb) {
  if (params.encoding == quant::WeightEncoding::TwosComplement) {
    const std::int64_t sign = std::int64_t{1} << (wb - 1);
    return (e & sign) ? e - (sign << 1) : e;
  }
  return e - (std::int64_t{1} << (wb - 1));
}

void Machine::run_weight(EngineState& e) {
  const auto& R = e.regs;
  const std::string at = where(e);
  // The engine reads the copy table one word per cycle after SET COPY_TABLE (docs/isa.md).
  if (e.t < e.copy_table_set + R[ereg::kCopies] + 1)
    fail(
        "{}: RUN in cycle {}, before the copy table of {} copies is read (SET COPY_TABLE in "
        "cycle {})",
        at, e.t, R[ereg::kCopies], e.copy_table_set);
  const Arith arith = Arith::unpack(R[ereg::kArith]);
  quant::ArrayParams params;
  params.rows = static_cast<int>(R[ereg::kArrayRows]);
  params.cols = static_cast<int>(R[ereg::kArrayCols]);
  params.bits_per_cell = arith.bits_per_cell;
  params.dac_bits = arith.dac_bits;
  params.parallel_rows = static_cast<int>(R[ereg::kParallelRows]);
  params.adc_bits = arith.adc_bits;
  params.adc_mode = arith.adc == 0   ? quant::AdcMode::Clip
                    : arith.adc == 1 ? quant::AdcMode::Scale
                                     : quant::AdcMode::Lossless;
  params.encoding = arith.weight_encoding == 0   ? quant::WeightEncoding::TwosComplement
                    : arith.weight_encoding == 1 ? quant::WeightEncoding::Offset
                                                 : quant::WeightEncoding::OffsetReference;
  params.input_encoding = arith.input_encoding == 1 ? quant::InputEncoding::Offset
                                                    : quant::InputEncoding::TwosComplement;
  const std::int64_t rpa = R[ereg::kRowsPerArray];
  params.whole_kernels = rpa != params.rows;
  const int wb = arith.weight_bits;
  const std::vector<quant::WeightSlice> slices = quant::weight_slices(params, wb);
  const std::int64_t S = R[ereg::kSlices];
  if (S != static_cast<std::int64_t>(slices.size()))
    fail("{}: SLICES {} but the arithmetic gives {}", at, S, slices.size());
  const std::int64_t wpa = R[ereg::kWeightsPerArray];
  const std::int64_t groups = R[ereg::kGroups], cpg = R[ereg::kOutCPerGroup];
  const std::int64_t kh = R[ereg::kKh], kw = R[ereg::kKw], k2 = kh * kw;
  const std::int64_t K = R[ereg::kInCCnt] * k2;
  const std::int64_t rb_count = R[ereg::kRowBlocks], cb_count = R[ereg::kColBlocks];
  const std::int64_t apt = R[ereg::kArraysPerTile];
  const std::int64_t copies = R[ereg::kCopies];
  const int bpc = arith.bits_per_cell;
  if (groups * cpg != R[ereg::kOutCCnt]) fail("{}: GROUPS * OUT_C_PER_GROUP != OUT_C_CNT", at);
  if (cb_count * wpa < cpg || rb_count * rpa < K) fail("{}: the arrays do not hold the matrix", at);

  // The weights as the arrays hold them (every copy must agree).
  std::vector<std::int32_t> weights(static_cast<std::size_t>(groups * cpg * K));
  auto cell = [&](std::int64_t copy, std::int64_t a, std::int64_t row, std::int64_t col) {
    const std::size_t entry = static_cast<std::size_t>(R[ereg::kCopyTable] + copy);
    if (entry >= e.engine->data.size())
      fail("{}: COPY_TABLE entry {} is past the data ROM", at, entry);
    const std::int64_t tile = static_cast<std::int64_t>(e.engine->data[entry]) + a / apt;
    const auto it = arrays_.find(array_key(tile, a % apt, row));
    if (it == arrays_.end())
      fail("{}: reads row {} of array {} of tile {}, which no RELOAD wrote", at, row, a % apt,
           tile);
    const std::int64_t bit = col * bpc;
    if (bit + bpc > static_cast<std::int64_t>(it->second.size()) * 64) return std::int64_t{0};
    return static_cast<std::int64_t>(compile::stream_bits(it->second.data(), bit, bpc));
  };
  const bool reference = quant::has_reference_column(params);
  const int ref_level = reference ? quant::reference_level(params, wb) : 0;
  if (compute_values_)
    for (std::int64_t copy = 0; copy < copies; ++copy)
      for (std::int64_t gi = 0; gi < groups; ++gi)
        for (std::int64_t k = 0; k < K; ++k) {
          const std::int64_t rb = k / rpa, row = k % rpa;
          for (std::int64_t n = 0; n < cpg; ++n) {
            const std::int64_t cb = n / wpa, j = n % wpa;
            const std::int64_t a = (gi * rb_count + rb) * cb_count + cb;
            std::int64_t pattern = 0;
            for (std::int64_t s = 0; s < S; ++s)
              pattern |= cell(copy, a, row, j * S + s)
                         << slices[static_cast<std::size_t>(s)].first_bit;
            const std::int64_t w = decode_pattern(pattern, params, wb);
            std::int32_t& slot = weights[static_cast<std::size_t>((gi * cpg + n) * K + k)];
            if (copy == 0)
              slot = static_cast<std::int32_t>(w);
            else if (slot != w)
              fail("{}: copy {} holds weight {} where copy 0 holds {}", at, copy, w, slot);
            if (reference && j == 0 && cell(copy, a, row, wpa * S) != ref_level)
              fail("{}: reference column of array {} row {} is not at level {}", at, a, row,
                   ref_level);
          }
        }

  quant::LayerMatrix matrix;
  matrix.groups = groups;
  matrix.rows = K;
  matrix.columns = cpg;
  matrix.kernel_taps = k2;
  matrix.weight_bits = wb;
  matrix.input_bits = arith.input_bits;
  matrix.signed_input = arith.signed_input;
  std::optional<quant::AnalogLayer> layer;
  if (compute_values_) {
    layer.emplace(weights, matrix, params, at);
    if (layer->adc().shift != R[ereg::kAdcShift])
      fail("{}: ADC_SHIFT {} but the arrays' largest row block gives {}", at, R[ereg::kAdcShift],
           layer->adc().shift);
  }

  BufferState& in = buffer(R[ereg::kInBuf], at);
  const std::int64_t in_c = R[ereg::kInC], in_h = R[ereg::kInH], in_w = R[ereg::kInW];
  if (in_c != in.info->channels || in_h * in_w != in.info->pixels())  // a view: any H x W
    fail("{}: IN_C/H/W do not match buffer {}", at, in.info->id);
  const std::int64_t out_h = R[ereg::kOutH], out_w = R[ereg::kOutW], V = R[ereg::kVectors];
  if (V != out_h * out_w) fail("{}: VECTORS != OUT_H * OUT_W", at);
  const std::int64_t sh = R[ereg::kStrideH], sw = R[ereg::kStrideW], pt = R[ereg::kPadT],
                     pl = R[ereg::kPadL], dh = R[ereg::kDilH], dw = R[ereg::kDilW];
  const std::int64_t input_offset = (arith.signed_input && arith.input_encoding == 1)
                                        ? (std::int64_t{1} << (arith.input_bits - 1))
                                        : 0;
  BufferState* psum_in = R[ereg::kPsumInBuf] >= 0 ? &buffer(R[ereg::kPsumInBuf], at) : nullptr;
  BufferState& out = buffer(R[ereg::kOutBuf], at);
  const std::int64_t out_c = R[ereg::kOutC], out_off = R[ereg::kOutCOff];
  if (out_c != out.info->channels || out.info->pixels() != V || out_off + R[ereg::kOutCCnt] > out_c)
    fail("{}: OUT registers do not match buffer {}", at, out.info->id);
  if (psum_in && (psum_in->info->pixels() != V || psum_in->info->channels != R[ereg::kOutCCnt]))
    fail("{}: PSUM_IN_BUF {} has the wrong shape", at, psum_in->info->id);
  const bool psum_out = R[ereg::kPsumOut] != 0;
  const auto& data = e.engine->data;
  const std::int64_t table = R[ereg::kTable];

  std::vector<std::int32_t> patches(static_cast<std::size_t>(K * V));
  std::vector<std::int64_t> values(static_cast<std::size_t>(groups * cpg * V));
  std::vector<std::int64_t> acc(static_cast<std::size_t>(cpg * V));
  for (std::int64_t gi = 0; compute_values_ && gi < groups; ++gi) {
    const std::int64_t c0 = R[ereg::kInCOff] + gi * R[ereg::kInCStep];
    if (c0 < 0 || c0 + R[ereg::kInCCnt] > in_c) fail("{}: input channels out of range", at);
    for (std::int64_t k = 0; k < K; ++k) {
      const std::int64_t c = c0 + k / k2, ky = (k % k2) / kw, kx = k % kw;
      for (std::int64_t v = 0; v < V; ++v) {
        const std::int64_t y = (v / out_w) * sh - pt + ky * dh;
        const std::int64_t x = (v % out_w) * sw - pl + kx * dw;
        patches[static_cast<std::size_t>(k * V + v)] =
            (y < 0 || y >= in_h || x < 0 || x >= in_w)
                ? 0
                : static_cast<std::int32_t>(
                      in.data[static_cast<std::size_t>((y * in_w + x) * in_c + c)]);
      }
    }
    layer->multiply(gi, patches, V, acc);
    for (std::int64_t n = 0; n < cpg; ++n) {
      std::int64_t row_sum = 0;
      for (std::int64_t k = 0; k < K; ++k)
        row_sum += weights[static_cast<std::size_t>((gi * cpg + n) * K + k)];
      const std::int64_t ch = gi * cpg + n;  // channel of the unit
      std::int64_t bias = 0, multiplier = 1;
      int shift = 0;
      if (!psum_out) {
        const std::size_t entry = static_cast<std::size_t>(table + 2 * ch);
        if (entry + 1 >= data.size())
          fail("{}: channel table entry {} is past the data ROM", at, entry);
        bias = static_cast<std::int64_t>(data[entry]);
        compile::unpack_requant_word(data[entry + 1], multiplier, shift);
      }
      for (std::int64_t v = 0; v < V; ++v) {
        std::int64_t total = acc[static_cast<std::size_t>(n * V + v)] + input_offset * row_sum;
        if (psum_in)
          total += psum_in->data[static_cast<std::size_t>(v * psum_in->info->channels + ch)];
        std::int64_t value = total;
        if (!psum_out)
          value = std::clamp(quant::shift_round((total + bias) * multiplier, shift),
                             R[ereg::kClampMin], R[ereg::kClampMax]);
        values[static_cast<std::size_t>(ch * V + v)] = value;
      }
    }
  }

  // Timing: the engine's vectors (its slots of every period) go to its copies in turn; each
  // copy starts a vector at max(its previous start + II, ready).
  const std::int64_t r = e.t, ii = R[ereg::kIi], depth = R[ereg::kDepth];
  const std::int64_t period = R[ereg::kVecPeriod], slot_lo = R[ereg::kVecSlotLo],
                     slot_hi = R[ereg::kVecSlotHi];
  if (period < 1 || slot_lo < 0 || slot_hi > period || slot_lo > slot_hi || copies < 1)
    fail("{}: bad VEC_PERIOD/VEC_SLOT_LO/VEC_SLOT_HI/COPIES", at);
  std::int64_t end = r + 1;
  std::vector<std::int64_t> previous(static_cast<std::size_t>(copies), -1);
  std::int64_t k = 0;
  for (std::int64_t v = 0; v < V; ++v) {
    const std::int64_t slot = v % period;
    if (slot < slot_lo || slot >= slot_hi) continue;
    const std::size_t copy = static_cast<std::size_t>(k++ % copies);
    const std::int64_t oy = v / out_w, ox = v % out_w;
    std::int64_t ready = 0;
    for (std::int64_t ky = 0; ky < kh; ++ky) {
      const std::int64_t y = oy * sh - pt + ky * dh;
      if (y < 0 || y >= in_h) continue;
      for (std::int64_t kx = 0; kx < kw; ++kx) {
        const std::int64_t x = ox * sw - pl + kx * dw;
        if (x < 0 || x >= in_w) continue;
        ready = std::max(ready, in.valid_time[static_cast<std::size_t>(y * in_w + x)]);
      }
    }
    if (psum_in) ready = std::max(ready, psum_in->valid_time[static_cast<std::size_t>(v)]);
    const std::int64_t s =
        previous[copy] < 0 ? std::max(r + 1, ready) : std::max(previous[copy] + ii, ready);
    previous[copy] = s;
    end = std::max(end, s + depth);
    for (std::int64_t n = 0; n < R[ereg::kOutCCnt]; ++n)
      out.data[static_cast<std::size_t>(v * out_c + out_off + n)] =
          values[static_cast<std::size_t>(n * V + v)];
    write_pixel_done(out, v, s + depth);
  }
  e.t = end;
}

// ---- vector engine ----------------------------------------------------------------------------

void Machine::run_vector(EngineState& e) {
  const auto& R = e.regs;
  const std::string at = where(e);
  const auto op = static_cast<compile::VectorOp>(R[ereg::kOp]);
  BufferState& in = buffer(R[ereg::kInBuf], at);
  BufferState& out = buffer(R[ereg::kOutBuf], at);
  const std::int64_t in_c = R[ereg::kInC], in_h = R[ereg::kInH], in_w = R[ereg::kInW];
  if (in_c != in.info->channels || in_h * in_w != in.info->pixels())  // a view: any H x W
    fail("{}: IN_C/H/W do not match buffer {}", at, in.info->id);
  const std::int64_t out_c = R[ereg::kOutC], out_w = R[ereg::kOutW], V = R[ereg::kVectors];
  const std::int64_t count = R[ereg::kOutCCnt], off = R[ereg::kOutCOff];
  if (out_c != out.info->channels || V != out.info->pixels() || V != R[ereg::kOutH] * out_w ||
      off + count > out_c)
    fail("{}: OUT registers do not match buffer {}", at, out.info->id);
  const std::int64_t kh = R[ereg::kKh], kw = R[ereg::kKw], sh = R[ereg::kStrideH],
                     sw = R[ereg::kStrideW], pt = R[ereg::kPadT], pl = R[ereg::kPadL],
                     dh = R[ereg::kDilH], dw = R[ereg::kDilW];
  const std::int64_t lo = R[ereg::kClampMin], hi = R[ereg::kClampMax];
  const auto& data = e.engine->data;
  const std::int64_t table = R[ereg::kTable];
  auto table_word = [&](std::int64_t index) {
    const std::int64_t a = table + index;
    if (a < 0 || a >= static_cast<std::int64_t>(data.size()))
      fail("{}: table word {} is past the data ROM", at, a);
    return data[static_cast<std::size_t>(a)];
  };
  auto requant = [&](std::int64_t index, std::int64_t value) {
    std::int64_t m = 0;
    int s = 0;
    compile::unpack_requant_word(table_word(index), m, s);
    return quant::shift_round(value * m, s);
  };
  // IN_BUF's channel lanes start at IN_C_FIRST (a slice of channels; 0 otherwise); a COPY with
  // FLAGS[4] reads the channel in table word c instead (a gather).
  const std::int64_t in_first = R[ereg::kInCFirst];
  // A MAXPOOL with FLAGS[4] (DepthToSpace) has OUT_C_CNT such words per phase of its window's
  // block, phase (oy % UP_H) * UP_W + ox % UP_W.
  const bool gather = (op == compile::VectorOp::Copy || op == compile::VectorOp::MaxPool) &&
                      (R[ereg::kFlags] & 16) != 0;
  const std::int64_t phases = compile::gather_phases(op, R[ereg::kUpH], R[ereg::kUpW]);
  std::vector<std::int64_t> in_channel;  // per phase and output channel c
  for (std::int64_t c = 0; gather && c < phases * count; ++c) {
    in_channel.push_back(static_cast<std::int64_t>(table_word(c)));
    if (in_channel.back() < 0 || in_channel.back() >= in_c)
      fail("{}: lane {} reads channel {} of a {}-channel input", at, c % count, in_channel.back(),
           in_c);
  }
  std::int64_t phase = 0;  // of the pixel being computed (MAXPOOL gathers)
  auto in_at = [&](BufferState& b, std::int64_t pixel, std::int64_t c) {
    if (&b == &in)
      c = gather ? in_channel[static_cast<std::size_t>(phase * count + c)] : c + in_first;
    return b.data[static_cast<std::size_t>(pixel * b.info->channels + c)];
  };
  BufferState* in2 = nullptr;
  // MUL or ADD with FLAGS[2]: IN2_BUF holds one pixel, a value per channel (pixel 0 for every p);
  // with FLAGS[5] one channel, a value per pixel (channel 0 for every c); with both one value;
  // with FLAGS[8] a pixel per output row (pixel p / OUT_W), with FLAGS[9] per column (p % OUT_W).
  const bool binary = op == compile::VectorOp::Mul || op == compile::VectorOp::Add;
  const bool gate = binary && (R[ereg::kFlags] & 4) != 0;
  const bool pixel_gate = binary && (R[ereg::kFlags] & 32) != 0;
  const bool row_gate = binary && !gate && (R[ereg::kFlags] & 256) != 0;
  const bool column_gate = binary && !gate && !row_gate && (R[ereg::kFlags] & 512) != 0;
  auto in2_pixel = [&](std::int64_t p) {
    return gate ? 0 : row_gate ? p / out_w : column_gate ? p % out_w : p;
  };
  if (binary && R[ereg::kIn2Buf] >= 0) {
    in2 = &buffer(R[ereg::kIn2Buf], at);
    const std::int64_t pixels = gate          ? 1
                                : row_gate    ? R[ereg::kOutH]
                                : column_gate ? out_w
                                              : in.info->pixels();
    if (in2->info->elements() != pixels * (pixel_gate ? 1 : in_c))
      fail("{}: {} operands differ", at, op == compile::VectorOp::Add ? "Add" : "Mul");
  }
  if (op == compile::VectorOp::Mul && !in2) fail("{}: MUL without IN2_BUF", at);
  auto in2_at = [&](std::int64_t p, std::int64_t c) {
    const std::int64_t pixel = in2_pixel(p);
    return in2->data[static_cast<std::size_t>(pixel * in2->info->channels + (pixel_gate ? 0 : c))];
  };
  struct ConcatInput {
    BufferState* buffer;
    std::int64_t channels, multiplier;
    int shift;
  };
  std::vector<ConcatInput> concat;
  if (op == compile::VectorOp::Concat) {
    std::int64_t total = 0;
    for (std::int64_t i = 0; i < R[ereg::kInCount]; ++i) {
      const compile::ConcatWord word = compile::unpack_concat_word(table_word(2 * i));
      ConcatInput input{&buffer(word.buffer, at), word.channels, 0, 0};
      compile::unpack_requant_word(table_word(2 * i + 1), input.multiplier, input.shift);
      if (input.buffer->info->channels != input.channels || input.buffer->info->pixels() != V)
        fail("{}: Concat input {} does not match its buffer", at, i);
      total += input.channels;
      concat.push_back(input);
    }
    if (total != count) fail("{}: Concat channels do not add up to OUT_C_CNT", at);
  }
  if (op == compile::VectorOp::ChannelMax &&
      (in.info->pixels() != V || count != 1 || in_c < 1 || in_first != 0))
    fail("{}: CMAX of {} channels into {}", at, in_c, count);
  if ((op == compile::VectorOp::Add || op == compile::VectorOp::Copy ||
       op == compile::VectorOp::Affine || op == compile::VectorOp::Lut ||
       op == compile::VectorOp::Mul) &&
      (in.info->pixels() != V || in_first < 0 ||
       (op == compile::VectorOp::Copy ? !gather && in_c < in_first + count
                                      : in_c != count || in_first != 0)))
    fail("{}: element-wise op with mismatched shapes", at);

  // Window taps of output pixel p (in bounds), shared by the pools and the timing.
  struct Range {
    std::int64_t y0, x0;
  };
  const std::int64_t up_h = std::max<std::int64_t>(R[ereg::kUpH], 1);
  const std::int64_t up_w = std::max<std::int64_t>(R[ereg::kUpW], 1);
  auto window_start = [&](std::int64_t p) {
    return Range{(p / out_w) / up_h * sh - pt, (p % out_w) / up_w * sw - pl};
  };
  // Pools with FLAGS[7:6]: a tap outside the input reads the pixel it folds back to (reflect,
  // edge) or, inside the pads PAD_T/PAD_B, PAD_L/PAD_R, a zero (MAXPOOL).
  const bool pool = op == compile::VectorOp::MaxPool || op == compile::VectorOp::AvgPool;
  const ir::Border border = pool ? compile::flags_border(R[ereg::kFlags]) : ir::Border::Skip;
  const bool folds = border == ir::Border::Reflect || border == ir::Border::Edge;
  const std::int64_t pb = R[ereg::kPadB], pr = R[ereg::kPadR];
  auto in_pads = [&](std::int64_t y, std::int64_t x) {
    return y >= -pt && y < in_h + pb && x >= -pl && x < in_w + pr;
  };
  auto tap = [&](std::int64_t y, std::int64_t x) {
    return folds ? Range{ir::border_index(y, in_h, border), ir::border_index(x, in_w, border)}
                 : Range{y, x};
  };

  // RESAMPLE: the window's first row in table word oy, its first column in word OUT_H + ox
  // ([31:0]), the next one's weight in [47:32] (the first's: MUL_A minus it); taps past the
  // last row or column read it.
  const bool resample = op == compile::VectorOp::Resample;
  if (resample && (kh < 1 || kh > 2 || kw < 1 || kw > 2 || in.info->channels != count))
    fail("{}: RESAMPLE of a {}x{} window, {} of {} channels", at, kh, kw, count, in_c);
  struct ResampleTap {
    std::int64_t pixel, weight;
  };
  auto resample_tap = [&](std::int64_t p, std::int64_t ky, std::int64_t kx) {
    const auto axis = [&](std::uint64_t word, std::int64_t k, std::int64_t size) {
      const auto [first, weight] = compile::unpack_resample_word(word);
      if (first >= size) fail("{}: RESAMPLE reads index {} of {}", at, first, size);
      return std::pair{std::min(first + k, size - 1), k == 1 ? weight : R[ereg::kMulA] - weight};
    };
    const auto [y, wy] = axis(table_word(p / out_w), ky, in_h);
    const auto [x, wx] = axis(table_word(R[ereg::kOutH] + p % out_w), kx, in_w);
    return ResampleTap{y * in_w + x, wy * wx};
  };

  const std::int64_t pixel_cycles = R[ereg::kPixelCycles];
  if (pixel_cycles < 1) fail("{}: PIXEL_CYCLES must be at least 1", at);
  std::int64_t previous = 0;
  std::int64_t end = e.t + 1;
  for (std::int64_t p = 0; p < V; ++p) {
    // RESAMPLE: the pixel's taps (ky * 2 + kx), decoded once for its readiness and channels
    std::array<ResampleTap, 4> resample_taps{};
    for (std::int64_t ky = 0; resample && ky < kh; ++ky)
      for (std::int64_t kx = 0; kx < kw; ++kx)
        resample_taps[static_cast<std::size_t>(ky * 2 + kx)] = resample_tap(p, ky, kx);
    // ready(p)
    std::int64_t ready = 0;
    switch (op) {
      case compile::VectorOp::MaxPool:
      case compile::VectorOp::AvgPool: {
        const Range w = window_start(p);
        for (std::int64_t ky = 0; ky < kh; ++ky)
          for (std::int64_t kx = 0; kx < kw; ++kx) {
            const auto [y, x] = tap(w.y0 + ky * dh, w.x0 + kx * dw);
            if (y >= 0 && y < in_h && x >= 0 && x < in_w)
              ready = std::max(ready, in.valid_time[static_cast<std::size_t>(y * in_w + x)]);
          }
        break;
      }
      case compile::VectorOp::Gap:
        for (std::int64_t t : in.valid_time) ready = std::max(ready, t);
        break;
      case compile::VectorOp::Resample:
        for (std::int64_t ky = 0; ky < kh; ++ky)
          for (std::int64_t kx = 0; kx < kw; ++kx) {
            const ResampleTap& t = resample_taps[static_cast<std::size_t>(ky * 2 + kx)];
            ready = std::max(ready, in.valid_time[static_cast<std::size_t>(t.pixel)]);
          }
        break;
      case compile::VectorOp::Concat:
        for (const ConcatInput& input : concat)
          ready = std::max(ready, input.buffer->valid_time[static_cast<std::size_t>(p)]);
        break;
      default:
        ready = in.valid_time[static_cast<std::size_t>(p)];
        if (in2) ready = std::max(ready, in2->valid_time[static_cast<std::size_t>(in2_pixel(p))]);
    }
    const std::int64_t first = p == 0 ? std::max(e.t + 1, ready) : std::max(previous + 1, ready);
    const std::int64_t last = first + pixel_cycles - 1;
    previous = last;
    end = std::max(end, last + 1);

    phase = ((p / out_w) % up_h) * up_w + (p % out_w) % up_w;
    for (std::int64_t c = 0; compute_values_ && c < count; ++c) {
      std::int64_t value = 0;
      switch (op) {
        case compile::VectorOp::MaxPool: {
          const Range w = window_start(p);
          if ((R[ereg::kFlags] & 8) != 0 && ((p / out_w) % up_h != 0 || (p % out_w) % up_w != 0))
            break;  // ZeroInsert: 0 between the input pixels
          std::int64_t best = lo;
          bool any = false;
          for (std::int64_t ky = 0; ky < kh; ++ky)
            for (std::int64_t kx = 0; kx < kw; ++kx) {
              const auto [y, x] = tap(w.y0 + ky * dh, w.x0 + kx * dw);
              const bool inside = y >= 0 && y < in_h && x >= 0 && x < in_w;
              if (!inside && !(border == ir::Border::Zero && in_pads(y, x))) continue;
              const std::int64_t v = inside ? in_at(in, y * in_w + x, c) : 0;
              best = any ? std::max(best, v) : v;
              any = true;
            }
          value = best;
          break;
        }
        case compile::VectorOp::AvgPool: {
          const Range w = window_start(p);
          const bool include_pad = (R[ereg::kFlags] & 1) != 0;
          std::int64_t sum = 0, taps = 0, padded = 0;
          for (std::int64_t ky = 0; ky < kh; ++ky)
            for (std::int64_t kx = 0; kx < kw; ++kx) {
              const auto [y, x] = tap(w.y0 + ky * dh, w.x0 + kx * dw);
              if (in_pads(y, x)) ++padded;
              if (y < 0 || y >= in_h || x < 0 || x >= in_w) continue;
              sum += in_at(in, y * in_w + x, c);
              ++taps;
            }
          value = requant(include_pad ? padded : taps, sum);
          break;
        }
        case compile::VectorOp::Gap: {
          std::int64_t sum = 0;
          for (std::int64_t q = 0; q < in.info->pixels(); ++q) sum += in_at(in, q, c);
          value = requant(0, sum);
          break;
        }
        case compile::VectorOp::Resample: {
          std::int64_t sum = 0;
          for (std::int64_t ky = 0; ky < kh; ++ky)
            for (std::int64_t kx = 0; kx < kw; ++kx) {
              const ResampleTap& t = resample_taps[static_cast<std::size_t>(ky * 2 + kx)];
              sum += in_at(in, t.pixel, c) * t.weight;
            }
          value = quant::shift_round(sum, static_cast<int>(R[ereg::kShift]));
          break;
        }
        case compile::VectorOp::Add: {
          std::int64_t sum = in_at(in, p, c) * R[ereg::kMulA];
          if (R[ereg::kFlags] & 2)
            sum += static_cast<std::int64_t>(table_word(p * count + c));
          else if (in2)
            sum += in2_at(p, c) * R[ereg::kMulB];
          else
            fail("{}: Add without a second operand", at);
          value = quant::shift_round(sum, static_cast<int>(R[ereg::kShift]));
          break;
        }
        case compile::VectorOp::Copy:
          value = quant::shift_round(in_at(in, p, c) * R[ereg::kMulA],
                                     static_cast<int>(R[ereg::kShift]));
          break;
        case compile::VectorOp::Affine: {
          std::int64_t m = 0;
          int s = 0;
          compile::unpack_requant_word(table_word(2 * c), m, s);
          value = quant::shift_round(
              in_at(in, p, c) * m + static_cast<std::int64_t>(table_word(2 * c + 1)), s);
          break;
        }
        case compile::VectorOp::Mul: value = requant(0, in_at(in, p, c) * in2_at(p, c)); break;
        case compile::VectorOp::ChannelMax:
          value = in_at(in, p, 0);
          for (std::int64_t k = 1; k < in_c; ++k) value = std::max(value, in_at(in, p, k));
          break;
        case compile::VectorOp::Lut:  // TABLE addresses the word of code 0
          value = static_cast<std::int64_t>(table_word(in_at(in, p, c)));
          break;
        case compile::VectorOp::Concat: {
          std::int64_t channel = c;
          std::size_t i = 0;
          while (channel >= concat[i].channels) channel -= concat[i++].channels;
          value = quant::shift_round(in_at(*concat[i].buffer, p, channel) * concat[i].multiplier,
                                     concat[i].shift);
          break;
        }
        default: fail("{}: unknown vector op {}", at, R[ereg::kOp]);
      }
      out.data[static_cast<std::size_t>(p * out_c + off + c)] = std::clamp(value, lo, hi);
    }
    write_pixel_done(out, p, last + 1);
  }
  e.t = end;
}

// ---- global controller ------------------------------------------------------------------------

Result Machine::run(const std::vector<quant::IntTensor>& inputs) {
  if (inputs.size() != p_.input_buffers.size())
    fail("emulator: {} inputs given, the program has {}", inputs.size(), p_.input_buffers.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    BufferState& b = buffers_.at(static_cast<std::size_t>(p_.input_buffers[i]));
    if (inputs[i].size() != b.info->elements())
      fail("emulator: input {} has {} codes, its buffer {}", i, inputs[i].size(),
           b.info->elements());
    const std::int64_t C = b.info->channels, P = b.info->pixels();
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t q = 0; q < P; ++q)
        b.data[static_cast<std::size_t>(q * C + c)] =
            inputs[i].data[static_cast<std::size_t>(c * P + q)];
    std::fill(b.written.begin(), b.written.end(), b.info->writers);
  }

  Result result;
  std::array<std::int64_t, 4> gregs{};
  std::int64_t t = 0, mark = -1;
  GroupCycles current;
  std::int64_t last_reload_start = 0, last_reload_cycles = 0;
  bool halted = false;
  for (std::size_t pc = 0; pc < p_.global.size() && !halted; ++pc) {
    const Instruction& i = p_.global[pc];
    switch (i.op) {
      case Opcode::Nop:
      case Opcode::Mark:
        if (i.op == Opcode::Mark) mark = t;
        ++t;
        break;
      case Opcode::Set:
        gregs.at(i.reg) = i.imm;
        ++t;
        break;
      case Opcode::Reload:
        reload(i.imm);
        last_reload_start = t;
        last_reload_cycles =
            std::max(gregs[greg::kXferCycles], gregs[greg::kWriteCycles]) + gregs[greg::kRowWrite];
        t += last_reload_cycles;
        break;
      case Opcode::Start: {
        start_time_ = t;
        current = GroupCycles{};
        current.group = static_cast<int>(i.imm);
        current.start = t;
        current.reload_start = last_reload_start;
        current.reload_cycles = last_reload_cycles;
        ++t;
        // Every engine: configuration, SYNC, then its runs in dataflow order.
        std::vector<bool> done(engines_.size(), false);
        for (EngineState& e : engines_) {
          run_until_sync(e);
          if (e.halted) fail("{}: halted before group {}", where(e), i.imm);
        }
        std::size_t remaining = engines_.size();
        while (remaining > 0) {
          bool progress = false;
          for (std::size_t k = 0; k < engines_.size(); ++k) {
            if (done[k]) continue;
            bool finished = false;
            while (!finished && step(engines_[k], finished)) progress = true;
            if (finished) {
              done[k] = true;
              --remaining;
            }
          }
          if (!progress && remaining > 0) {
            for (std::size_t k = 0; k < engines_.size(); ++k)
              if (!done[k])
                fail("{}: deadlock in group {}: its RUN waits for a buffer no engine completes",
                     where(engines_[k]), i.imm);
          }
        }
        break;
      }
      case Opcode::Wait: {
        std::int64_t next = t + 1;
        for (EngineState& e : engines_) {
          next = std::max(next, e.t + 1);  // e.t: DONE's issue cycle
          ++e.t;                           // DONE takes one cycle
        }
        t = next;
        current.end = t;
        result.groups.push_back(current);
        break;
      }
      case Opcode::Halt: halted = true; break;
      default:
        fail("global controller at {}: {} is not a global instruction", pc,
             compile::opcode_name(i.op));
    }
  }
  if (!halted) fail("global controller: no HALT");
  if (mark < 0) fail("global controller: no MARK");
  result.cycles = t - mark;
  for (GroupCycles& g : result.groups) {
    g.reload_start -= mark;
    g.start -= mark;
    g.end -= mark;
  }
  result.runs = runs_;
  for (const compile::OutputInfo& o : p_.outputs) {
    const BufferState& b = buffers_.at(static_cast<std::size_t>(o.buffer));
    if (!b.complete()) fail("emulator: output buffer {} was not completely written", o.buffer);
    quant::IntTensor tensor;
    const std::int64_t C = b.info->channels, P = b.info->pixels();
    tensor.shape = {1, C, b.info->height, b.info->width};
    tensor.data.resize(static_cast<std::size_t>(C * P));
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t q = 0; q < P; ++q)
        tensor.data[static_cast<std::size_t>(c * P + q)] =
            static_cast<std::int32_t>(b.data[static_cast<std::size_t>(q * C + c)]);
    result.buffers_out.push_back(std::move(tensor));
  }
  return result;
}

}  // namespace

compile::ProgramTiming Result::timing() const {
  compile::ProgramTiming t;
  t.measured_cycles = cycles;
  for (const GroupCycles& g : groups) {
    t.group_start.push_back(g.start);
    t.group_end.push_back(g.end);
  }
  return t;
}

Result run(const compile::Program& program, const std::vector<quant::IntTensor>& inputs,
           const Options& options) {
  Machine machine(program, options.compute_values);
  return machine.run(inputs);
}

std::vector<quant::IntTensor> host_outputs(const quant::QuantizedGraph& graph,
                                           const compile::Program& program, const Result& result) {
  std::vector<quant::IntTensor> outputs;
  for (std::size_t i = 0; i < program.outputs.size(); ++i) {
    const compile::OutputInfo& o = program.outputs[i];
    quant::IntTensor tensor = result.buffers_out.at(i);
    tensor.shape = graph.graph.shape(o.on_chip);
    if (o.host_node >= 0) {
      const ir::Node& node = graph.graph.nodes[static_cast<std::size_t>(o.host_node)];
      tensor = quant::host_op(node, graph.values.at(static_cast<std::size_t>(o.on_chip)),
                              graph.values.at(static_cast<std::size_t>(o.value)), tensor,
                              graph.graph.shape(o.value));
    }
    outputs.push_back(std::move(tensor));
  }
  return outputs;
}

}  // namespace pimhls::emulate
