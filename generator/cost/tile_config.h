#pragma once
// A tile configuration (technology, array size, readout units per array) and what it costs in
// area, independently of the layers mapped onto it. docs/cost-model.md, "Area".
#include <string>
#include <vector>

#include "hw/library.h"

namespace pimhls::cost {

struct TileConfig {
  int tile_type = 0;  // index into hw::Library::tile_types
  int array_rows = 0;
  int array_cols = 0;
  int adcs_per_array = 0;  // readout units per array (ADCs or digital adder trees)

  friend bool operator==(const TileConfig&, const TileConfig&) = default;
};

// Every configuration the library allows: tile type x array size (square) x readout units that
// fit the columns, in library order.
std::vector<TileConfig> tile_configs(const hw::Library& library);

// The homogeneous baseline of a tile type (baseline_array_size, baseline_adcs_per_array).
TileConfig baseline_config(const hw::Library& library, int tile_type);

// "rram 256x256, 16 ADCs/array" for tables and messages.
std::string describe(const hw::Library& library, const TileConfig& config);

// Area by component, in um2.
struct AreaBreakdown {
  double cells_um2 = 0;        // the arrays' cells
  double readout_um2 = 0;      // ADCs or digital adder trees
  double dac_um2 = 0;          // input DACs / wordline drivers, one per row
  double drivers_um2 = 0;      // row decoders and write drivers, one per row
  double shift_add_um2 = 0;    // one per readout unit
  double accumulator_um2 = 0;  // partial-sum adders of the tile
  double buffers_um2 = 0;      // tile input and output buffers (global buffer: ChipArea)
  double router_um2 = 0;       // the tile's share of a NoC router

  double total_um2() const {
    return cells_um2 + readout_um2 + dac_um2 + drivers_um2 + shift_add_um2 + accumulator_um2 +
           buffers_um2 + router_um2;
  }
  AreaBreakdown& operator+=(const AreaBreakdown& other);
  AreaBreakdown scaled(double factor) const;
};

// One tile of `config`: arrays_per_tile arrays with their periphery, buffers, router share.
AreaBreakdown tile_area(const hw::Library& library, const TileConfig& config);

// Leakage power of one tile of `config`, in mW.
double tile_leakage_mw(const hw::Library& library, const TileConfig& config);

// The part of the chip that does not depend on the tiles: global buffer and controller.
struct ChipArea {
  double global_buffer_um2 = 0;
  double controller_um2 = 0;
  double total_um2() const { return global_buffer_um2 + controller_um2; }
};

ChipArea chip_fixed_area(const hw::Library& library);

// Total chip area for an area budget: tiles plus the fixed part.
double chip_area_um2(const hw::Library& library, double tiles_area_um2);

}  // namespace pimhls::cost
