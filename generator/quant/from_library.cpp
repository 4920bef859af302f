#include "quant/from_library.h"

#include <algorithm>

namespace pimhls::quant {

ArrayParams array_params(const hw::Library& library, std::string_view tech, int array_size) {
  const hw::TileType& tile =
      library.tile_types.at(static_cast<std::size_t>(library.tile_type_index(tech)));
  const int size = array_size > 0 ? array_size : tile.baseline_array_size;
  ArrayParams params;
  params.rows = size;
  params.cols = size;
  params.bits_per_cell = tile.bits_per_cell;
  params.dac_bits = tile.dac.bits;
  params.parallel_rows = std::min(tile.parallel_rows, size);
  params.adc_bits = tile.readout.bits;
  params.adc_mode =
      tile.readout.kind == hw::ReadoutKind::Digital ? AdcMode::Lossless : AdcMode::Clip;
  params.encoding = tile.weight_encoding == hw::WeightEncoding::TwosComplement
                        ? WeightEncoding::TwosComplement
                        : WeightEncoding::Offset;
  params.input_encoding = library.arithmetic.activation_encoding == hw::ActivationEncoding::Unsigned
                              ? InputEncoding::Offset
                              : InputEncoding::TwosComplement;
  params.whole_kernels = true;
  return params;
}

QuantConfig with_library_bits(const hw::Library& library, QuantConfig config) {
  config.weight_bits = library.arithmetic.weight_bits;
  config.activation_bits = library.arithmetic.activation_bits;
  config.accumulator_bits = library.arithmetic.accumulator_bits;
  return config;
}

}  // namespace pimhls::quant
