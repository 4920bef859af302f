// pim_array + pim_shift_add against quant::AnalogLayer::multiply, bit for bit: random layers
// (weight/input bits, signedness, weight and input encodings, rows spanning several arrays and
// row groups, channels spanning several column arrays) programmed into one verilated array as
// the weight engine would (docs/rtl.md, "Datapath"), run step by step, read out and summed over
// the row arrays. The physical parameters come from the TB_* definitions (one model per set).
// Vector v+1 is loaded and vector v-1 read out while vector v's steps run (the engine's overlap).
// Also checks the step timing: back-to-back steps take READ + rounds * CONV cycles each.
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

#include "Vtb_pim_mvm.h"
#include "control/tb_util.h"
#include "quant/analog_mvm.h"
#include "quant/array_params.h"
#include "verilated.h"

using namespace pimhls::quant;

namespace {

constexpr int kRows = TB_ROWS, kCols = TB_COLS, kBitsPerCell = TB_BPC, kDacBits = TB_DAC;
constexpr int kInputBits = TB_INPUT_BITS, kParallelRows = TB_P, kAdcs = TB_ADCS;
constexpr int kAdcBits = TB_ADC_BITS, kAdcMode = TB_ADC_MODE, kRead = TB_READ, kConv = TB_CONV;
constexpr int kWrite = TB_WRITE, kLanes = TB_LANES;

using tb::set_bits;

struct Bench {
  Vtb_pim_mvm* top;
  std::uint64_t edges = 0;
  std::uint64_t conversions = 0;
  std::uint64_t last_conversion_edge = 0;

  void tick() {
    top->clk = 0;
    top->eval();
    top->clk = 1;
    top->eval();
    ++edges;
    if (top->conv_valid) {
      ++conversions;
      last_conversion_edge = edges;
    }
  }
};

struct LoadBeat {
  bool clear;
  int bank, row;
  std::vector<std::uint64_t> patterns;
};

struct Step {
  int group, first_bit, bits, rounds;
  bool negative, init;
};

int failures = 0;
std::int64_t saturated_samples = 0;  // golden samples the ADC clipped (lossy cases seen)
std::int64_t lossy_results = 0;      // golden results that differ from the exact product

void check(bool ok, const char* what, long long got, long long want, int trial) {
  if (ok) return;
  if (++failures <= 10)
    std::fprintf(stderr, "trial %d: %s: rtl %lld, golden %lld\n", trial, what, got, want);
}

// One random layer through the RTL; returns the number of comparisons.
int run_trial(Bench& bench, std::mt19937_64& rng, int trial) {
  auto uniform = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(rng);
  };
  ArrayParams params;
  params.rows = kRows;
  params.cols = kCols;
  params.bits_per_cell = kBitsPerCell;
  params.dac_bits = kDacBits;
  params.parallel_rows = kParallelRows;
  params.adc_bits = kAdcBits;
  params.adc_mode = kAdcMode == 0   ? AdcMode::Clip
                    : kAdcMode == 1 ? AdcMode::Scale
                                    : AdcMode::Lossless;
  params.encoding = static_cast<WeightEncoding>(uniform(0, 2));
  params.input_encoding = static_cast<InputEncoding>(uniform(0, 1));
  LayerMatrix matrix;
  matrix.input_bits = uniform(2, kInputBits);
  matrix.signed_input = uniform(0, 1) == 1;
  // The widest weight whose slices (and reference column) fit the columns.
  for (;;) {
    matrix.weight_bits = uniform(2, 8);
    const auto slices = weight_slices(params, matrix.weight_bits);
    if (static_cast<int>(slices.size()) + (has_reference_column(params) ? 1 : 0) <= kCols) break;
  }
  const int wb = matrix.weight_bits, ab = matrix.input_bits;
  const std::int64_t per_array = weights_per_array(params, wb);
  matrix.rows = uniform(1, kRows * 5 / 2);
  matrix.columns = uniform(1, static_cast<int>(2 * per_array + 1));
  const int vectors = 3;

  const int limit = (1 << (wb - 1)) - 1;
  std::vector<std::int32_t> weights(static_cast<std::size_t>(matrix.rows * matrix.columns));
  for (auto& w : weights) w = uniform(-limit, limit);
  const bool sign_phase = matrix.signed_input;
  std::vector<std::int32_t> patches(static_cast<std::size_t>(matrix.rows * vectors));
  for (auto& x : patches)
    x = sign_phase ? uniform(-(1 << (ab - 1)), (1 << (ab - 1)) - 1) : uniform(0, (1 << ab) - 1);
  AnalogLayer layer(weights, matrix, params, "tb");
  std::vector<std::int64_t> golden(static_cast<std::size_t>(matrix.columns * vectors));
  layer.multiply(0, patches, vectors, golden);
  saturated_samples += layer.counters().saturated;
  const std::int64_t input_offset =
      matrix.signed_input && params.input_encoding == InputEncoding::Offset ? 1 << (ab - 1) : 0;

  const auto& slices = layer.slices();
  const int slice_count = static_cast<int>(slices.size());
  // The shift-add's slice rule (docs/rtl.md): slice s at bit s*bpc; twos: the last at wb-1, minus.
  for (int s = 0; s < slice_count; ++s) {
    const bool sign = params.encoding == WeightEncoding::TwosComplement && s == slice_count - 1;
    if (slices[static_cast<std::size_t>(s)].first_bit != (sign ? wb - 1 : s * kBitsPerCell) ||
        slices[static_cast<std::size_t>(s)].negative != sign) {
      std::fprintf(stderr, "weight_slices disagrees with the shift-add's slice rule\n");
      ++failures;
    }
  }
  const bool reference = has_reference_column(params);
  const int reference_column = static_cast<int>(per_array) * slice_count;
  const int column_arrays = static_cast<int>((matrix.columns + per_array - 1) / per_array);
  const auto& blocks = layer.blocks();
  const int row_arrays = static_cast<int>(blocks.back().array + 1);
  const std::uint64_t weight_mask = (std::uint64_t{1} << wb) - 1;

  Vtb_pim_mvm* top = bench.top;
  top->cfg_slices = static_cast<std::uint8_t>(slice_count);
  top->cfg_weight_bits = static_cast<std::uint8_t>(wb);
  top->cfg_twos = params.encoding == WeightEncoding::TwosComplement;
  top->cfg_offset = params.encoding == WeightEncoding::Offset;
  top->cfg_ref = reference;
  top->cfg_ref_col = static_cast<std::remove_reference_t<decltype(top->cfg_ref_col)>>(
      reference ? reference_column : 0);
  top->cfg_ref_shift = static_cast<std::uint8_t>(reference ? reference_shift(params, wb) : 0);

  std::vector<std::int64_t> result(golden.size(), 0);
  int compared = 0;
  for (int ra = 0; ra < row_arrays; ++ra) {
    std::int64_t first_row = -1, used_rows = 0;
    for (const RowBlock& block : blocks)
      if (block.array == ra) {
        if (first_row < 0) first_row = block.first_row;
        used_rows += block.rows;
      }
    const int groups = static_cast<int>((used_rows + kParallelRows - 1) / kParallelRows);
    for (int ca = 0; ca < column_arrays; ++ca) {
      const int channels =
          static_cast<int>(std::min<std::int64_t>(per_array, matrix.columns - ca * per_array));
      const int used_columns = reference ? reference_column + 1 : channels * slice_count;
      const int rounds = (used_columns + kAdcs - 1) / kAdcs;
      // Program every row: the layer's cells where it has weights, anything elsewhere.
      for (int r = 0; r < kRows; ++r) {
        for (int c = 0; c < kCols; ++c)
          set_bits(top->wr_data, c * kBitsPerCell, kBitsPerCell,
                   static_cast<std::uint64_t>(uniform(0, (1 << kBitsPerCell) - 1)));
        if (r < used_rows) {
          const std::int64_t k = first_row + r;
          for (int nl = 0; nl < channels; ++nl) {
            const std::int64_t n = ca * per_array + nl;
            const std::int64_t w = weights[static_cast<std::size_t>(n * matrix.rows + k)];
            const std::uint64_t pattern = params.encoding == WeightEncoding::TwosComplement
                                              ? static_cast<std::uint64_t>(w) & weight_mask
                                              : static_cast<std::uint64_t>(w + limit + 1);
            for (int s = 0; s < slice_count; ++s) {
              const WeightSlice& slice = slices[static_cast<std::size_t>(s)];
              set_bits(top->wr_data, (nl * slice_count + s) * kBitsPerCell, kBitsPerCell,
                       (pattern >> slice.first_bit) & ((1u << slice.bits) - 1));
            }
          }
          if (reference)
            set_bits(top->wr_data, reference_column * kBitsPerCell, kBitsPerCell,
                     static_cast<std::uint64_t>(reference_level(params, wb)));
        }
        top->wr_valid = 1;
        top->wr_row = static_cast<std::remove_reference_t<decltype(top->wr_row)>>(r);
        const std::uint64_t start = bench.edges;
        for (bool accepted = false; !accepted;) {
          top->eval();
          accepted = top->wr_ready;
          bench.tick();
        }
        top->wr_valid = 0;
        // One write per WRITE_CYCLES cycles.
        if (r > 0)
          check(bench.edges - start == kWrite, "write interval",
                static_cast<long long>(bench.edges - start), kWrite, trial);
      }
      while (!top->wr_ready) bench.tick();

      // The input-register beats of vector v: a clear, then LOAD_LANES patterns per beat.
      auto load_beats = [&](int v) {
        std::vector<LoadBeat> beats{{true, v % 2, 0, {}}};
        for (int r = 0; r < used_rows; r += kLanes) {
          LoadBeat beat{false, v % 2, r, std::vector<std::uint64_t>(kLanes, 0)};
          for (int i = 0; i < kLanes && r + i < used_rows; ++i) {
            const std::int64_t x =
                patches[static_cast<std::size_t>((first_row + r + i) * vectors + v)];
            beat.patterns[static_cast<std::size_t>(i)] =
                static_cast<std::uint64_t>(x + input_offset) & ((1u << ab) - 1);
          }
          for (int i = 0; i < kLanes; ++i)  // lanes past the array's last row: ignored
            if (r + i >= kRows) beat.patterns[static_cast<std::size_t>(i)] = (1u << ab) - 1;
          beats.push_back(beat);
        }
        return beats;
      };
      auto drive_load = [&](const LoadBeat* beat) {
        top->in_clear = beat && beat->clear;
        top->in_valid = beat && !beat->clear;
        if (!beat) return;
        top->in_bank = beat->bank;
        top->in_row = static_cast<std::remove_reference_t<decltype(top->in_row)>>(beat->row);
        for (int i = 0; i < kLanes && !beat->clear; ++i)
          set_bits(top->in_data, i * kInputBits, kInputBits,
                   beat->patterns[static_cast<std::size_t>(i)]);
      };
      // The readout of local channel nl of `vector`, issued in the cycle before.
      auto take_readout = [&](int vector, int nl) {
        check(top->rd_out_valid, "readout valid", top->rd_out_valid, 1, trial);
        const std::int64_t n = ca * per_array + nl;
        result[static_cast<std::size_t>(n * vectors + vector)] +=
            static_cast<std::int32_t>(top->rd_value);
      };

      // Vector 0's inputs first; then, while vector v's steps run, vector v+1 is loaded into
      // the other input bank and vector v-1 is read out of the other accumulator bank (the
      // weight engine's overlap of LOAD, MVM and OUTPUT).
      for (const LoadBeat& beat : load_beats(0)) {
        drive_load(&beat);
        bench.tick();
      }
      drive_load(nullptr);
      for (int v = 0; v < vectors; ++v) {
        const int bank = v % 2;
        // Phases outermost, then row groups (docs/cost-model.md), back to back.
        std::vector<Step> steps;
        for (const InputChunk& chunk : layer.chunks())
          for (int g = 0; g < groups; ++g)
            steps.push_back(
                {g, chunk.first_bit, chunk.bits, rounds, chunk.negative, steps.empty()});
        const std::vector<LoadBeat> loads =
            v + 1 < vectors ? load_beats(v + 1) : std::vector<LoadBeat>{};
        const int reads = v > 0 ? channels : 0;
        const std::uint64_t conversions_before = bench.conversions;
        std::uint64_t first_accept = 0;
        std::size_t i = 0, load = 0;
        int read = 0;
        while (i < steps.size() || load < loads.size() || read < reads) {
          top->step_valid = i < steps.size();
          if (i < steps.size()) {
            const Step& step = steps[i];
            top->step_bank = bank;
            top->step_group =
                static_cast<std::remove_reference_t<decltype(top->step_group)>>(step.group);
            top->step_first_bit = static_cast<std::uint8_t>(step.first_bit);
            top->step_bits = static_cast<std::uint8_t>(step.bits);
            top->step_rounds =
                static_cast<std::remove_reference_t<decltype(top->step_rounds)>>(step.rounds);
            top->step_adc_shift = static_cast<std::uint8_t>(layer.adc().shift);
            top->step_negative = step.negative;
            top->step_init = step.init;
            top->step_acc_bank = bank;
          }
          drive_load(load < loads.size() ? &loads[load] : nullptr);
          top->rd_valid = read < reads;
          top->rd_bank = (v + 1) % 2;
          top->rd_channel = static_cast<std::remove_reference_t<decltype(top->rd_channel)>>(read);
          top->eval();
          const bool accepted = top->step_valid && top->step_ready;
          bench.tick();
          if (accepted) {
            if (i == 0) first_accept = bench.edges;
            ++i;
          }
          if (load < loads.size()) ++load;
          if (read < reads) take_readout(v - 1, read++);
        }
        top->step_valid = 0;
        top->rd_valid = 0;
        drive_load(nullptr);
        const std::uint64_t expected_conversions = steps.size() * static_cast<std::size_t>(rounds);
        while (bench.conversions - conversions_before < expected_conversions) bench.tick();
        bench.tick();
        const std::uint64_t mvm_edges = bench.last_conversion_edge - first_accept;
        const std::uint64_t expected_edges = steps.size() * (kRead + rounds * kConv);
        check(mvm_edges == expected_edges, "mvm cycles", static_cast<long long>(mvm_edges),
              static_cast<long long>(expected_edges), trial);
      }
      // The last vector.
      for (int nl = 0; nl < channels; ++nl) {
        top->rd_valid = 1;
        top->rd_bank = (vectors - 1) % 2;
        top->rd_channel = static_cast<std::remove_reference_t<decltype(top->rd_channel)>>(nl);
        bench.tick();
        take_readout(vectors - 1, nl);
      }
      top->rd_valid = 0;
    }
  }
  for (std::int64_t n = 0; n < matrix.columns; ++n) {
    std::int64_t weight_sum = 0;
    for (std::int64_t k = 0; k < matrix.rows; ++k)
      weight_sum += weights[static_cast<std::size_t>(n * matrix.rows + k)];
    for (int v = 0; v < vectors; ++v) {
      const std::size_t index = static_cast<std::size_t>(n * vectors + v);
      // The RTL leaves the input-offset constant o * sum_k W[k][n] to the bias.
      const std::int64_t want = golden[index] + input_offset * weight_sum;
      char what[160];
      std::snprintf(what, sizeof what,
                    "channel %lld vector %d (K=%lld N=%lld wb=%d ab=%d signed=%d enc=%s in=%s)",
                    static_cast<long long>(n), v, static_cast<long long>(matrix.rows),
                    static_cast<long long>(matrix.columns), wb, ab, matrix.signed_input,
                    encoding_name(params.encoding), input_encoding_name(params.input_encoding));
      std::int64_t exact = 0;
      for (std::int64_t k = 0; k < matrix.rows; ++k)
        exact += std::int64_t{weights[static_cast<std::size_t>(n * matrix.rows + k)]} *
                 patches[static_cast<std::size_t>(k * vectors + v)];
      lossy_results += exact != golden[index] ? 1 : 0;
      check(result[index] == want, what, static_cast<long long>(result[index]),
            static_cast<long long>(want), trial);
      ++compared;
    }
  }
  return compared;
}

}  // namespace

int main(int argc, char** argv) {
  auto context = std::make_unique<VerilatedContext>();
  context->commandArgs(argc, argv);
  context->randReset(2);  // --x-initial unique: state without a reset starts random
  context->randSeed(1);
  Bench bench{new Vtb_pim_mvm{context.get()}};
  Vtb_pim_mvm* top = bench.top;
  // Inputs start random too: drive the handshakes idle before the first edge.
  top->wr_valid = 0;
  top->in_clear = 0;
  top->in_valid = 0;
  top->step_valid = 0;
  top->rd_valid = 0;
  top->rst_n = 0;
  for (int i = 0; i < 3; ++i) bench.tick();
  top->rst_n = 1;
  bench.tick();
  std::mt19937_64 rng(TB_SEED);
  int compared = 0, trials = 0;
  for (; trials < TB_TRIALS; ++trials) compared += run_trial(bench, rng, trials);
  top->final();
  delete top;
  std::printf(
      "pim_mvm %dx%d bpc=%d dac=%d P=%d adcs=%d adc=%d/%d: %d trials, %d results, %llu "
      "cycles, %lld saturated ADC samples, %lld lossy results: %s\n",
      kRows, kCols, kBitsPerCell, kDacBits, kParallelRows, kAdcs, kAdcBits, kAdcMode, trials,
      compared, static_cast<unsigned long long>(bench.edges),
      static_cast<long long>(saturated_samples), static_cast<long long>(lossy_results),
      failures == 0 ? "PASS" : "FAIL");
  return failures == 0 ? 0 : 1;
}
