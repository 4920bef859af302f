#include "quant/analog_mvm.h"

#include <algorithm>
#include <bit>

#include "util/error.h"

// The popcount loop is the whole cost of the ideal model: on x86-64 it is compiled twice, with
// and without the POPCNT instruction, and the loader picks the one the CPU runs.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define PIMHLS_POPCOUNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define PIMHLS_POPCOUNT_CLONES
#endif

namespace pimhls::quant {
namespace {

constexpr int kMaxBits = 16;

struct IdealKernel {
  std::int64_t vectors = 0, columns = 0, blocks = 0;
  int words = 0, input_bits = 0, weight_bits = 0;
  const std::uint64_t* inputs = nullptr;      // [vector][block][word][input bit]
  const std::uint64_t* weights = nullptr;     // [column][block][word][weight bit]
  const std::int64_t* vector_base = nullptr;  // per vector: terms common to all columns
  const std::int64_t* column_base = nullptr;  // per column: minus the input-offset constant
  const std::vector<WeightSlice>* slices = nullptr;
  const std::vector<InputChunk>* chunks = nullptr;
  const Adc* adc = nullptr;
  std::int64_t* accumulators = nullptr;  // [column][vector]
};

// For every (vector, column): per row block, the popcounts of every input bit plane against
// every weight bit plane; each (phase, slice) column sum is a weighted sum of those counts; it
// goes through the ADC and is shift-added.
PIMHLS_POPCOUNT_CLONES
AdcCounters run_ideal_kernel(const IdealKernel& k) {
  AdcCounters counters;
  const std::int64_t input_stride = k.blocks * k.words * k.input_bits;
  const std::int64_t weight_stride = k.blocks * k.words * k.weight_bits;
  std::int64_t counts[kMaxBits][kMaxBits];
  for (std::int64_t v = 0; v < k.vectors; ++v) {
    const std::uint64_t* x_vector = k.inputs + v * input_stride;
    for (std::int64_t n = 0; n < k.columns; ++n) {
      const std::uint64_t* w_column = k.weights + n * weight_stride;
      std::int64_t sum = k.vector_base[v] + k.column_base[n];
      for (std::int64_t b = 0; b < k.blocks; ++b) {
        for (int t = 0; t < k.input_bits; ++t)
          for (int u = 0; u < k.weight_bits; ++u) counts[t][u] = 0;
        for (int w = 0; w < k.words; ++w) {
          const std::uint64_t* x = x_vector + (b * k.words + w) * k.input_bits;
          const std::uint64_t* wt = w_column + (b * k.words + w) * k.weight_bits;
          for (int t = 0; t < k.input_bits; ++t) {
            const std::uint64_t plane = x[t];
            if (plane == 0) continue;
            for (int u = 0; u < k.weight_bits; ++u) counts[t][u] += std::popcount(plane & wt[u]);
          }
        }
        for (const InputChunk& chunk : *k.chunks) {
          for (const WeightSlice& slice : *k.slices) {
            std::int64_t column_sum = 0;
            for (int a = 0; a < chunk.bits; ++a)
              for (int c = 0; c < slice.bits; ++c)
                column_sum += counts[chunk.first_bit + a][slice.first_bit + c] << (a + c);
            const std::int64_t value = k.adc->convert(column_sum)
                                       << (chunk.first_bit + slice.first_bit);
            sum += chunk.negative != slice.negative ? -value : value;
            ++counters.samples;
            counters.saturated += k.adc->saturated(column_sum) ? 1 : 0;
          }
        }
      }
      k.accumulators[n * k.vectors + v] = sum;
    }
  }
  return counters;
}

}  // namespace

AnalogLayer::AnalogLayer(std::span<const std::int32_t> weights, const LayerMatrix& matrix,
                         const ArrayParams& params, const std::string& name)
    : matrix_(matrix), params_(params) {
  validate(params, matrix.weight_bits, name);
  if (matrix.weight_bits < 2 || matrix.weight_bits > kMaxBits || matrix.input_bits < 2 ||
      matrix.input_bits > kMaxBits)
    fail("{}: the analog model takes 2..{}-bit weights and inputs, not {} and {}", name, kMaxBits,
         matrix.weight_bits, matrix.input_bits);
  if (matrix.groups < 1 || matrix.rows < 1 || matrix.columns < 1 ||
      static_cast<std::int64_t>(weights.size()) != matrix.groups * matrix.columns * matrix.rows)
    fail("{}: {} weights for {} group(s) of {}x{}", name, weights.size(), matrix.groups,
         matrix.columns, matrix.rows);
  blocks_ = row_blocks(params, matrix.rows, matrix.kernel_taps);
  slices_ = weight_slices(params, matrix.weight_bits);
  chunks_ = input_chunks(params, matrix.input_bits, matrix.signed_input);
  std::int64_t largest_block = 0;
  for (const RowBlock& block : blocks_) largest_block = std::max(largest_block, block.rows);
  words_per_block_ = static_cast<int>((largest_block + 63) / 64);
  adc_ = make_adc(params, largest_block);
  if (matrix.signed_input && params.input_encoding == InputEncoding::Offset)
    input_offset_ = std::int64_t{1} << (matrix.input_bits - 1);
  input_mask_ = (std::int64_t{1} << matrix.input_bits) - 1;

  block_of_row_.resize(static_cast<std::size_t>(matrix.rows));
  for (std::size_t b = 0; b < blocks_.size(); ++b)
    for (std::int64_t r = 0; r < blocks_[b].rows; ++r)
      block_of_row_[static_cast<std::size_t>(blocks_[b].first_row + r)] =
          static_cast<std::int32_t>(b);

  const std::int64_t limit = (std::int64_t{1} << (matrix.weight_bits - 1)) - 1;
  const std::int64_t mask = (std::int64_t{1} << matrix.weight_bits) - 1;
  const bool offset = params.encoding != WeightEncoding::TwosComplement;
  planes_.assign(static_cast<std::size_t>(plane_index(matrix.groups, 0, 0, 0)), 0);
  offset_correction_.assign(static_cast<std::size_t>(matrix.groups * matrix.columns), 0);
  for (std::int64_t g = 0; g < matrix.groups; ++g) {
    for (std::int64_t n = 0; n < matrix.columns; ++n) {
      std::int64_t weight_sum = 0;
      for (std::int64_t k = 0; k < matrix.rows; ++k) {
        const std::int64_t w =
            weights[static_cast<std::size_t>((g * matrix.columns + n) * matrix.rows + k)];
        if (w < -limit || w > limit)
          fail("{}: weight code {} outside the {}-bit range", name, w, matrix.weight_bits);
        weight_sum += w;
        const std::uint64_t pattern = static_cast<std::uint64_t>(offset ? w + limit + 1 : w & mask);
        const std::int64_t block = block_of_row_[static_cast<std::size_t>(k)];
        const std::int64_t r = k - blocks_[static_cast<std::size_t>(block)].first_row;
        std::uint64_t* word = &planes_[static_cast<std::size_t>(plane_index(g, n, block, r / 64))];
        for (int u = 0; u < matrix.weight_bits; ++u)
          if ((pattern >> u) & 1) word[u] |= std::uint64_t{1} << (r % 64);
      }
      offset_correction_[static_cast<std::size_t>(g * matrix.columns + n)] =
          input_offset_ * weight_sum;
    }
  }
}

std::int64_t AnalogLayer::plane_index(std::int64_t group, std::int64_t column, std::int64_t block,
                                      std::int64_t word) const {
  const std::int64_t blocks = static_cast<std::int64_t>(blocks_.size());
  return (((group * matrix_.columns + column) * blocks + block) * words_per_block_ + word) *
         matrix_.weight_bits;
}

int AnalogLayer::cell_level(std::int64_t group, std::int64_t column, std::int64_t row,
                            const WeightSlice& slice) const {
  const std::int64_t block = block_of_row_[static_cast<std::size_t>(row)];
  const std::int64_t r = row - blocks_[static_cast<std::size_t>(block)].first_row;
  const std::uint64_t* word =
      &planes_[static_cast<std::size_t>(plane_index(group, column, block, r / 64))];
  int level = 0;
  for (int c = 0; c < slice.bits; ++c)
    level |= static_cast<int>((word[slice.first_bit + c] >> (r % 64)) & 1) << c;
  return level;
}

bool AnalogLayer::lossless() const {
  if (adc_.mode == AdcMode::Lossless) return true;
  std::int64_t largest_block = 0;
  for (const RowBlock& block : blocks_) largest_block = std::max(largest_block, block.rows);
  const std::int64_t full_scale = largest_block * ((std::int64_t{1} << params_.dac_bits) - 1) *
                                  ((std::int64_t{1} << params_.bits_per_cell) - 1);
  return adc_.shift == 0 && full_scale <= adc_.max_code;
}

std::vector<std::int64_t> AnalogLayer::offset_terms(std::span<const std::int32_t> patches,
                                                    std::int64_t vectors) const {
  std::vector<std::int64_t> terms(static_cast<std::size_t>(vectors), 0);
  if (params_.encoding != WeightEncoding::Offset) return terms;
  for (std::int64_t k = 0; k < matrix_.rows; ++k)
    for (std::int64_t v = 0; v < vectors; ++v)
      terms[static_cast<std::size_t>(v)] -=
          patches[static_cast<std::size_t>(k * vectors + v)] + input_offset_;
  for (std::int64_t& term : terms) term <<= matrix_.weight_bits - 1;
  return terms;
}

void AnalogLayer::multiply(std::int64_t group, std::span<const std::int32_t> patches,
                           std::int64_t vectors, std::span<std::int64_t> accumulators,
                           Nonideality* nonideal, int node_index) {
  if (group < 0 || group >= matrix_.groups ||
      static_cast<std::int64_t>(patches.size()) != matrix_.rows * vectors ||
      static_cast<std::int64_t>(accumulators.size()) != matrix_.columns * vectors)
    fail("analog layer: group {} of {}, {} input codes for {}x{}, {} accumulators for {}x{}", group,
         matrix_.groups, patches.size(), matrix_.rows, vectors, accumulators.size(),
         matrix_.columns, vectors);
  // The applied values the phases can represent.
  const bool sign_phase = !chunks_.empty() && chunks_.back().negative;
  const std::int64_t low = sign_phase ? -(input_mask_ + 1) / 2 : 0;
  const std::int64_t high = sign_phase ? input_mask_ / 2 : input_mask_;
  for (std::int32_t code : patches)
    if (code + input_offset_ < low || code + input_offset_ > high)
      fail("analog layer: input code {} outside the {}-bit {} range", code, matrix_.input_bits,
           matrix_.signed_input ? "signed" : "unsigned");
  if (nonideal)
    multiply_sampled(group, patches, vectors, accumulators, *nonideal, node_index);
  else
    multiply_ideal(group, patches, vectors, accumulators);
}

void AnalogLayer::multiply_ideal(std::int64_t group, std::span<const std::int32_t> patches,
                                 std::int64_t vectors, std::span<std::int64_t> accumulators) {
  const std::int64_t blocks = static_cast<std::int64_t>(blocks_.size());
  const int words = words_per_block_, input_bits = matrix_.input_bits;
  // Bit planes of the applied input patterns of every vector: [vector][block][word][bit].
  std::vector<std::uint64_t> inputs(static_cast<std::size_t>(vectors * blocks * words * input_bits),
                                    0);
  for (std::int64_t k = 0; k < matrix_.rows; ++k) {
    const std::int64_t block = block_of_row_[static_cast<std::size_t>(k)];
    const std::int64_t r = k - blocks_[static_cast<std::size_t>(block)].first_row;
    const std::uint64_t bit = std::uint64_t{1} << (r % 64);
    for (std::int64_t v = 0; v < vectors; ++v) {
      auto pattern = static_cast<std::uint32_t>(
          (patches[static_cast<std::size_t>(k * vectors + v)] + input_offset_) & input_mask_);
      std::uint64_t* planes =
          &inputs[static_cast<std::size_t>(((v * blocks + block) * words + r / 64) * input_bits)];
      for (; pattern != 0; pattern &= pattern - 1) planes[std::countr_zero(pattern)] |= bit;
    }
  }
  std::vector<std::int64_t> vector_base = offset_terms(patches, vectors);
  // The reference column sees level * (the phase's input levels); its ADC value is subtracted
  // from every column of its array (one per array; all agree in the ideal model).
  if (params_.encoding == WeightEncoding::OffsetReference) {
    const std::int64_t level = reference_level(params_, matrix_.weight_bits);
    const int shift = reference_shift(params_, matrix_.weight_bits);
    const std::int64_t per_array = weights_per_array(params_, matrix_.weight_bits);
    const std::int64_t column_arrays = (matrix_.columns + per_array - 1) / per_array;
    for (std::int64_t v = 0; v < vectors; ++v) {
      for (std::int64_t b = 0; b < blocks; ++b) {
        for (const InputChunk& chunk : chunks_) {
          std::int64_t input_sum = 0;
          for (int w = 0; w < words; ++w) {
            const std::uint64_t* x =
                &inputs[static_cast<std::size_t>(((v * blocks + b) * words + w) * input_bits)];
            for (int a = 0; a < chunk.bits; ++a)
              input_sum += static_cast<std::int64_t>(std::popcount(x[chunk.first_bit + a])) << a;
          }
          const std::int64_t column_sum = level * input_sum;
          const std::int64_t value = adc_.convert(column_sum) << (chunk.first_bit + shift);
          vector_base[static_cast<std::size_t>(v)] += chunk.negative ? value : -value;
          counters_.samples += column_arrays;
          counters_.saturated += adc_.saturated(column_sum) ? column_arrays : 0;
        }
      }
    }
  }
  std::vector<std::int64_t> column_base(static_cast<std::size_t>(matrix_.columns));
  for (std::int64_t n = 0; n < matrix_.columns; ++n)
    column_base[static_cast<std::size_t>(n)] =
        -offset_correction_[static_cast<std::size_t>(group * matrix_.columns + n)];

  IdealKernel kernel;
  kernel.vectors = vectors;
  kernel.columns = matrix_.columns;
  kernel.blocks = blocks;
  kernel.words = words;
  kernel.input_bits = input_bits;
  kernel.weight_bits = matrix_.weight_bits;
  kernel.inputs = inputs.data();
  kernel.weights = &planes_[static_cast<std::size_t>(plane_index(group, 0, 0, 0))];
  kernel.vector_base = vector_base.data();
  kernel.column_base = column_base.data();
  kernel.slices = &slices_;
  kernel.chunks = &chunks_;
  kernel.adc = &adc_;
  kernel.accumulators = accumulators.data();
  const AdcCounters counted = run_ideal_kernel(kernel);
  counters_.samples += counted.samples;
  counters_.saturated += counted.saturated;
}

// Row by row, so that the model sees every level; the same arithmetic as the ideal kernel.
void AnalogLayer::multiply_sampled(std::int64_t group, std::span<const std::int32_t> patches,
                                   std::int64_t vectors, std::span<std::int64_t> accumulators,
                                   Nonideality& nonideal, int node_index) {
  const std::int64_t per_array = weights_per_array(params_, matrix_.weight_bits);
  const std::int64_t column_arrays = (matrix_.columns + per_array - 1) / per_array;
  const int reference = reference_level(params_, matrix_.weight_bits);
  const int reference_bits = reference_shift(params_, matrix_.weight_bits);
  const std::vector<std::int64_t> vector_base = offset_terms(patches, vectors);
  std::vector<std::uint8_t> input_levels, cell_levels;
  ColumnSample sample;
  sample.node_index = node_index;
  sample.group = group;

  // The DAC levels of phase `chunk` on the rows of `block` for vector v.
  auto apply = [&](const RowBlock& block, const InputChunk& chunk, std::int64_t v) {
    input_levels.resize(static_cast<std::size_t>(block.rows));
    for (std::int64_t i = 0; i < block.rows; ++i) {
      const std::int64_t pattern =
          (patches[static_cast<std::size_t>((block.first_row + i) * vectors + v)] + input_offset_) &
          input_mask_;
      input_levels[static_cast<std::size_t>(i)] =
          static_cast<std::uint8_t>((pattern >> chunk.first_bit) & ((1 << chunk.bits) - 1));
    }
  };
  // One read of the column whose cells are in cell_levels; its digital value.
  auto read = [&](const RowBlock& block) {
    sample.input_levels = input_levels;
    sample.cell_levels = cell_levels;
    sample.ideal_sum = 0;
    for (std::int64_t i = 0; i < block.rows; ++i)
      sample.ideal_sum += std::int64_t{input_levels[static_cast<std::size_t>(i)]} *
                          cell_levels[static_cast<std::size_t>(i)];
    const double value = nonideal.sample(sample);
    ++counters_.samples;
    counters_.saturated += adc_.saturated(value) ? 1 : 0;
    return adc_.convert(value);
  };

  for (std::int64_t v = 0; v < vectors; ++v) {
    sample.vector = v;
    // Reference columns first (one per column array), then the weight columns.
    std::vector<std::int64_t> reference_sum(static_cast<std::size_t>(column_arrays), 0);
    for (std::int64_t ca = 0; has_reference_column(params_) && ca < column_arrays; ++ca) {
      for (std::size_t b = 0; b < blocks_.size(); ++b) {
        const RowBlock& block = blocks_[b];
        cell_levels.assign(static_cast<std::size_t>(block.rows),
                           static_cast<std::uint8_t>(reference));
        for (std::size_t j = 0; j < chunks_.size(); ++j) {
          apply(block, chunks_[j], v);
          sample.column = ca * per_array;
          sample.slice = -1;
          sample.row_block = static_cast<std::int64_t>(b);
          sample.array = block.array;
          sample.input_chunk = static_cast<int>(j);
          const std::int64_t value = read(block) << (chunks_[j].first_bit + reference_bits);
          reference_sum[static_cast<std::size_t>(ca)] += chunks_[j].negative ? -value : value;
        }
      }
    }
    for (std::int64_t n = 0; n < matrix_.columns; ++n) {
      std::int64_t sum = vector_base[static_cast<std::size_t>(v)] -
                         offset_correction_[static_cast<std::size_t>(group * matrix_.columns + n)] -
                         reference_sum[static_cast<std::size_t>(n / per_array)];
      for (std::size_t b = 0; b < blocks_.size(); ++b) {
        const RowBlock& block = blocks_[b];
        for (std::size_t j = 0; j < chunks_.size(); ++j) {
          const InputChunk& chunk = chunks_[j];
          apply(block, chunk, v);
          for (std::size_t s = 0; s < slices_.size(); ++s) {
            const WeightSlice& slice = slices_[s];
            cell_levels.resize(static_cast<std::size_t>(block.rows));
            for (std::int64_t i = 0; i < block.rows; ++i)
              cell_levels[static_cast<std::size_t>(i)] =
                  static_cast<std::uint8_t>(cell_level(group, n, block.first_row + i, slice));
            sample.column = n;
            sample.slice = static_cast<int>(s);
            sample.row_block = static_cast<std::int64_t>(b);
            sample.array = block.array;
            sample.input_chunk = static_cast<int>(j);
            const std::int64_t value = read(block) << (chunk.first_bit + slice.first_bit);
            sum += chunk.negative != slice.negative ? -value : value;
          }
        }
      }
      accumulators[static_cast<std::size_t>(n * vectors + v)] = sum;
    }
  }
}

}  // namespace pimhls::quant
