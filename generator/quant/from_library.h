#pragma once
// The adapter from the hardware library (generator/hw/) to the analog model's plain
// parameters: a tile type's arrays, readout and encodings, and the library's bit widths. The
// model itself never reads the library.
#include <string_view>

#include "hw/library.h"
#include "quant/array_params.h"
#include "quant/quantized_graph.h"

namespace pimhls::quant {

// The arrays of tile type `tech` (its name in the library, e.g. "sram", "rram"), square of
// `array_size` rows and columns (0: the tile type's baseline_array_size). Mapping as the cost
// model's (whole kernels per array, docs/cost-model.md); an `adc` readout clips, a `digital`
// one is exact; two's complement activations have a subtracted sign phase, `unsigned` ones
// get signed tensors offset. Throws Error naming the library on an unknown tech.
ArrayParams array_params(const hw::Library& library, std::string_view tech, int array_size = 0);

// `config` with the library's weight, activation and accumulator widths.
QuantConfig with_library_bits(const hw::Library& library, QuantConfig config);

}  // namespace pimhls::quant
