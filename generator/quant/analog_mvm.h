#pragma once
// The analog PIM matrix-vector product of one Conv/Gemm layer, bit for bit as the arrays and
// their periphery compute it (docs/analog-model.md):
//   weights: encoded (two's complement, or offset), cut into bit slices in adjacent columns;
//   inputs:  applied in phases of dac_bits, least significant first (a signed input either
//            has a subtracted sign phase, or is offset to unsigned and corrected);
//   each (phase, row block, column) sum goes through the ADC; the digital periphery shift-adds
//   the ADC values over slices and phases, accumulates the row blocks, and subtracts the
//   encoding's constant terms.
// The ideal kernel computes each column sum from bit planes with popcounts; with a
// Nonideality it walks the rows and lets the model perturb every sample.
#include <cstdint>
#include <span>
#include <vector>

#include "quant/adc.h"
#include "quant/array_params.h"
#include "quant/nonideal.h"

namespace pimhls::quant {

// Shape and precision of one layer's weight matrix as mapped onto arrays.
struct LayerMatrix {
  std::int64_t groups = 1;
  std::int64_t rows = 0;     // per group: Cin/group*kh*kw (Conv) or K (Gemm)
  std::int64_t columns = 0;  // per group: Cout/group (Conv) or N (Gemm)
  std::int64_t kernel_taps = 1;
  int weight_bits = 8;
  int input_bits = 8;
  bool signed_input = false;
};

struct AdcCounters {
  std::int64_t samples = 0;    // ADC conversions (weight and reference columns)
  std::int64_t saturated = 0;  // of which hit the top code with a larger sum
};

class AnalogLayer {
 public:
  // `weights`: codes [groups * columns, rows], row-major (the node's weight layout), each in
  // [-(2^(weight_bits-1)-1), 2^(weight_bits-1)-1]. Throws Error naming `name` on parameters
  // that do not fit (validate(ArrayParams)).
  AnalogLayer(std::span<const std::int32_t> weights, const LayerMatrix& matrix,
              const ArrayParams& params, const std::string& name);

  // accumulators[n * vectors + v] = the arrays' result for sum_k W[g][n][k] * x[k][v], with
  // x = patches ([rows, vectors] input codes). Equal to the exact product when the ADC is
  // lossless for this layer and there is no non-ideality. `nonideal` may be nullptr (ideal);
  // `node_index` only labels the samples it sees.
  void multiply(std::int64_t group, std::span<const std::int32_t> patches, std::int64_t vectors,
                std::span<std::int64_t> accumulators, Nonideality* nonideal = nullptr,
                int node_index = 0);

  const LayerMatrix& matrix() const { return matrix_; }
  const ArrayParams& params() const { return params_; }
  const Adc& adc() const { return adc_; }
  const std::vector<RowBlock>& blocks() const { return blocks_; }
  const std::vector<WeightSlice>& slices() const { return slices_; }
  const std::vector<InputChunk>& chunks() const { return chunks_; }
  const AdcCounters& counters() const { return counters_; }
  // True when no column sum can exceed the ADC's exact range (the result equals the integer
  // product without non-idealities).
  bool lossless() const;

 private:
  void multiply_ideal(std::int64_t group, std::span<const std::int32_t> patches,
                      std::int64_t vectors, std::span<std::int64_t> accumulators);
  void multiply_sampled(std::int64_t group, std::span<const std::int32_t> patches,
                        std::int64_t vectors, std::span<std::int64_t> accumulators,
                        Nonideality& nonideal, int node_index);
  // The stored level of slice `slice` of column `column` at matrix row `row`.
  int cell_level(std::int64_t group, std::int64_t column, std::int64_t row,
                 const WeightSlice& slice) const;
  // Offset weights: -2^(weight_bits-1) * sum_k a_k per vector, a_k = code + input_offset_ (the
  // value the input phases add up to), subtracted digitally and exactly.
  std::vector<std::int64_t> offset_terms(std::span<const std::int32_t> patches,
                                         std::int64_t vectors) const;
  // Index in planes_ of the bit-0 word of (group, column, row block, 64-row word).
  std::int64_t plane_index(std::int64_t group, std::int64_t column, std::int64_t block,
                           std::int64_t word) const;

  LayerMatrix matrix_;
  ArrayParams params_;
  Adc adc_;
  std::vector<RowBlock> blocks_;
  std::vector<WeightSlice> slices_;
  std::vector<InputChunk> chunks_;
  int words_per_block_ = 1;
  std::int64_t input_offset_ = 0;  // added to input codes: 2^(bits-1) for offset-encoded signed
  std::int64_t input_mask_ = 0;    // the applied pattern: (code + input_offset_) & input_mask_
  std::vector<std::int32_t> block_of_row_;
  // Bit planes of the stored weight patterns (two's complement bits, or w + 2^(bits-1)),
  // [group][column][block][word][bit], 64 rows per word (row i of a block: bit i % 64 of word
  // i / 64); unused bits are 0.
  std::vector<std::uint64_t> planes_;
  // input_offset_ * sum_k W[g][n][k], subtracted from every result of column n of group g.
  std::vector<std::int64_t> offset_correction_;
  AdcCounters counters_;
};

}  // namespace pimhls::quant
