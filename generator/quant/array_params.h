#pragma once
// The parameters of the PIM arrays a layer is mapped to, and the arithmetic they imply: which
// bit slices of a weight sit in which columns, how inputs are cut into DAC chunks, which rows
// are summed together, and what the ADC does to a column sum. Plain numbers, independent of the
// hardware library (an adapter fills them from a design or a library). docs/analog-model.md
// states all of it as the contract the RTL implements.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pimhls::quant {

// What the column readout does to a partial sum p >= 0 (p counts one input level times one
// cell level as 1); `bits` is adc_bits:
enum class AdcMode {
  Clip,      // LSB = 1: code = min(p, 2^bits - 1); exact until the sum saturates
  Scale,     // LSB = 2^s, the range covers the largest possible sum: code = min(round(p/2^s),
             // 2^bits - 1) with halves to even, value = code * 2^s (s: make_adc in adc.h)
  Lossless,  // digital readout (an ADC-less SRAM macro): value = p
};

// How a signed weight is stored in cells that hold levels 0..2^bits_per_cell-1.
enum class WeightEncoding {
  TwosComplement,   // two's complement bits; the sign bit alone in the top slice, weighted
                    // -2^(weight_bits-1) by the shift-add
  Offset,           // w + 2^(weight_bits-1) stored unsigned; the periphery subtracts
                    // 2^(weight_bits-1) * sum(inputs) digitally (exactly)
  OffsetReference,  // w + 2^(weight_bits-1) stored unsigned; one reference column per array
                    // (cells at level 2^(min(bits_per_cell, weight_bits)-1)) is read through
                    // the ADC like any column and subtracted
};

// How a signed input (a layer whose input tensor has negative codes) is applied. Unsigned
// inputs are always applied as they are.
enum class InputEncoding {
  TwosComplement,  // the sign bit is the last phase, subtracted by the shift-add
  Offset,          // x + 2^(bits-1) applied (unsigned); 2^(bits-1) * sum(weights) subtracted
};

struct ArrayParams {
  int rows = 128;          // word lines per array
  int cols = 128;          // bit lines per array
  int bits_per_cell = 2;   // levels per cell: 2^bits_per_cell
  int dac_bits = 1;        // input bits applied per phase
  int parallel_rows = 64;  // word lines active at once (rows summed in one ADC sample)
  int adc_bits = 8;        // 8 bits hold every sum of 64 rows x 1-bit inputs x 2-bit cells
  AdcMode adc_mode = AdcMode::Clip;
  WeightEncoding encoding = WeightEncoding::Offset;
  InputEncoding input_encoding = InputEncoding::TwosComplement;
  // Row mapping: false fills each array's rows with consecutive weight-matrix rows; true keeps
  // every kernel (kh*kw rows of one input channel) inside one array, as MNSIM maps.
  bool whole_kernels = false;
  // Conv groups packed block-diagonally into one array (cost::LayerShape::groups_per_array):
  // the analog model maps each pack of consecutive groups as one group with zero weights
  // between them. Mapping only; AnalogLayer itself does not read it.
  int groups_per_array = 1;

  bool operator==(const ArrayParams&) const = default;
};

// Per-layer parameters: layers (by node name) mapped to a tile of their own; the rest use
// `fallback`.
struct ArrayMap {
  ArrayParams fallback;
  std::map<std::string, ArrayParams> layers;

  const ArrayParams& at(const std::string& layer) const;
};

const char* adc_mode_name(AdcMode mode);                  // "clip", "scale", "lossless"
const char* encoding_name(WeightEncoding encoding);       // "twos", "offset", "offset_ref"
const char* input_encoding_name(InputEncoding encoding);  // "twos", "offset"
// "128x128 array, 2 b/cell, 1-b DAC, 64 rows at once, 8-b ADC (clip), offset weights"
std::string describe(const ArrayParams& params);

// Applies "key=value,key=value" (keys as the struct's fields; adc=clip|scale|lossless|digital,
// encoding=twos|offset|offset_ref, input_encoding=twos|offset) to `base`. Throws Error naming
// `source` and the key on a bad entry.
ArrayParams parse_array_spec(std::string_view spec, const std::string& source,
                             ArrayParams base = {});
// Sets one field from text; the same keys and errors as parse_array_spec.
void set_array_field(ArrayParams& params, std::string_view key, std::string_view value,
                     const std::string& source);
// Throws Error naming `source` when a value is out of range or one weight's slices (plus the
// reference column) do not fit in the columns.
void validate(const ArrayParams& params, int weight_bits, const std::string& source);

// The columns of one weight, least significant first: bits [first_bit, first_bit + bits) of the
// stored pattern, with shift-add weight 2^first_bit, negated for the sign slice.
struct WeightSlice {
  int first_bit = 0;
  int bits = 0;
  bool negative = false;
};
std::vector<WeightSlice> weight_slices(const ArrayParams& params, int weight_bits);
// True for OffsetReference: one column per array holds no weight.
bool has_reference_column(const ArrayParams& params);
// OffsetReference encoding: the reference column's cell level, and log2 of its shift-add weight.
int reference_level(const ArrayParams& params, int weight_bits);
int reference_shift(const ArrayParams& params, int weight_bits);
// Output channels per array: (cols - reference column, if any) / columns per weight.
std::int64_t weights_per_array(const ArrayParams& params, int weight_bits);

// The input bits applied in one DAC phase, least significant first: bits [first_bit,
// first_bit + bits) of the applied pattern, shift-add weight 2^first_bit, negated for the sign
// phase of a two's complement input.
struct InputChunk {
  int first_bit = 0;
  int bits = 0;
  bool negative = false;
};
// `signed_input`: the layer's input codes can be negative.
std::vector<InputChunk> input_chunks(const ArrayParams& params, int input_bits, bool signed_input);

// Rows of the weight matrix summed in one ADC sample: `rows` consecutive matrix rows from
// `first_row`, all in array `array` (row blocks never span arrays).
struct RowBlock {
  std::int64_t first_row = 0;
  std::int64_t rows = 0;
  std::int64_t array = 0;
};
// kernel_taps = kh*kw of a Conv (1 for Gemm); used only with whole_kernels.
std::vector<RowBlock> row_blocks(const ArrayParams& params, std::int64_t matrix_rows,
                                 std::int64_t kernel_taps);

}  // namespace pimhls::quant
