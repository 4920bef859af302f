#include "cost/tile_config.h"

#include <fmt/format.h>

namespace pimhls::cost {

std::vector<TileConfig> tile_configs(const hw::Library& library) {
  std::vector<TileConfig> configs;
  for (std::size_t type = 0; type < library.tile_types.size(); ++type) {
    const hw::TileType& tile = library.tile_types[type];
    for (int size : tile.array_sizes)
      for (int adcs : tile.adcs_per_array)
        if (adcs <= size) configs.push_back({static_cast<int>(type), size, size, adcs});
  }
  return configs;
}

TileConfig baseline_config(const hw::Library& library, int tile_type) {
  const hw::TileType& tile = library.tile_types.at(static_cast<std::size_t>(tile_type));
  return {tile_type, tile.baseline_array_size, tile.baseline_array_size,
          tile.baseline_adcs_per_array};
}

std::string describe(const hw::Library& library, const TileConfig& config) {
  const hw::TileType& tile = library.tile_types.at(static_cast<std::size_t>(config.tile_type));
  return fmt::format("{} {}x{}, {} {}/array", tile.name, config.array_rows, config.array_cols,
                     config.adcs_per_array,
                     tile.readout.kind == hw::ReadoutKind::Adc ? "ADCs" : "adder trees");
}

AreaBreakdown& AreaBreakdown::operator+=(const AreaBreakdown& other) {
  cells_um2 += other.cells_um2;
  readout_um2 += other.readout_um2;
  dac_um2 += other.dac_um2;
  drivers_um2 += other.drivers_um2;
  shift_add_um2 += other.shift_add_um2;
  accumulator_um2 += other.accumulator_um2;
  buffers_um2 += other.buffers_um2;
  router_um2 += other.router_um2;
  return *this;
}

AreaBreakdown AreaBreakdown::scaled(double factor) const {
  AreaBreakdown out = *this;
  out.cells_um2 *= factor;
  out.readout_um2 *= factor;
  out.dac_um2 *= factor;
  out.drivers_um2 *= factor;
  out.shift_add_um2 *= factor;
  out.accumulator_um2 *= factor;
  out.buffers_um2 *= factor;
  out.router_um2 *= factor;
  return out;
}

AreaBreakdown tile_area(const hw::Library& library, const TileConfig& config) {
  const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(config.tile_type)];
  const double arrays = tile.arrays_per_tile;
  const double rows = config.array_rows, cols = config.array_cols;
  const double readouts = config.adcs_per_array;
  AreaBreakdown area;
  area.cells_um2 = arrays * rows * cols * tile.cell_area_um2;
  area.readout_um2 = arrays * readouts * tile.readout.area_um2;
  area.dac_um2 = arrays * rows * tile.dac.area_um2;
  area.drivers_um2 = arrays * rows * tile.driver_area_um2_per_row;
  area.shift_add_um2 = arrays * readouts * tile.shift_add_area_um2;
  area.accumulator_um2 = tile.accumulator_lanes * tile.accumulator_area_um2_per_lane;
  area.buffers_um2 =
      (tile.input_buffer_kib + tile.output_buffer_kib) * library.chip.buffer.area_um2_per_kib;
  area.router_um2 = library.chip.noc.router_area_um2 / library.chip.noc.tiles_per_router;
  return area;
}

double tile_leakage_mw(const hw::Library& library, const TileConfig& config) {
  const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(config.tile_type)];
  return tile_area(library, config).total_um2() * 1e-6 * tile.leakage_mw_per_mm2;
}

ChipArea chip_fixed_area(const hw::Library& library) {
  return {library.chip.global_buffer_kib * library.chip.buffer.area_um2_per_kib,
          library.chip.controller_area_um2};
}

double chip_area_um2(const hw::Library& library, double tiles_area_um2) {
  return tiles_area_um2 + chip_fixed_area(library).total_um2();
}

}  // namespace pimhls::cost
