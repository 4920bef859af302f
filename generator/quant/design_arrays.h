#pragma once
// Per-layer array parameters from a design (design.json written by `pimhls gen`), so that the
// analog model runs every layer on the arrays of the tile it is mapped to. The keys read are
// listed in docs/analog-model.md ("Parameters from a design").
#include <filesystem>
#include <string>

#include "quant/array_params.h"

namespace pimhls::quant {

// Reads the "layers" of a design: each {"name": ..., "array": {...}} or {"name": ...,
// "tile": NAME} with the tile's "array" in the top-level "tiles" list. Array objects use the
// keys of parse_array_spec; missing keys keep `fallback`'s values. Throws Error naming the file,
// the layer and the key.
ArrayMap read_design_arrays(const std::filesystem::path& path, const ArrayParams& fallback = {});
ArrayMap parse_design_arrays(const std::string& json_text, const std::string& source,
                             const ArrayParams& fallback = {});

}  // namespace pimhls::quant
