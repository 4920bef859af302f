// pimhls hw: the hardware library (built-in, or a --hw file laid over it).
#include <fmt/core.h>

#include "cli/commands.h"
#include "cost/estimate.h"
#include "cost/tile_config.h"
#include "hw/library.h"
#include "util/text.h"

namespace pimhls::cli {
namespace {

struct HwOptions {
  std::string hw_file;
  bool dump = false;
};

std::string int_list(const std::vector<int>& values) {
  std::vector<std::string> items;
  for (int value : values) items.push_back(std::to_string(value));
  return join(items, " ");
}

void print_tile_type(const hw::Library& library, int index) {
  const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(index)];
  const int slices = (library.arithmetic.weight_bits + tile.bits_per_cell - 1) / tile.bits_per_cell;
  fmt::print("\n[tile.{}] {}\n", tile.name, tile.description);
  fmt::print("  cells      {:.4g} um2, {} bit(s)/cell, {} bit slices per weight, {} weights\n",
             tile.cell_area_um2, tile.bits_per_cell, slices,
             hw::weight_encoding_name(tile.weight_encoding));
  fmt::print(
      "  readout    {} ({}, {} bits, {:g} um2, {:g} pJ, {:g} ns); dac {} ({} bit(s)/phase)\n",
      tile.readout.name, hw::readout_kind_name(tile.readout.kind), tile.readout.bits,
      tile.readout.area_um2, tile.readout.energy_pj, tile.readout.latency_ns, tile.dac.name,
      tile.dac.bits);
  fmt::print("  arrays     sizes {}; readout units per array {}; {} parallel rows; {} per tile\n",
             int_list(tile.array_sizes), int_list(tile.adcs_per_array), tile.parallel_rows,
             tile.arrays_per_tile);
  fmt::print("  timing     read {:g} ns, write {:g} ns/row; baseline {}x{} with {}\n",
             tile.read_latency_ns, tile.write_latency_ns_per_row, tile.baseline_array_size,
             tile.baseline_array_size, tile.baseline_adcs_per_array);
  fmt::print("  {:>9}  {:>6}  {:>9}  {:>10}  {:>9}  {:>10}  {:>13}\n", "array", "units", "tile mm2",
             "array Mb/", "tile Mb/", "MVM cycles", "peak GMAC/s");
  fmt::print("  {:>9}  {:>6}  {:>9}  {:>10}  {:>9}  {:>10}  {:>13}\n", "", "", "", "mm2", "mm2",
             "per vector", "per mm2");
  for (const cost::TileConfig& config : cost::tile_configs(library)) {
    if (config.tile_type != index) continue;
    const cost::ConfigSummary summary = cost::summarize_config(library, config);
    const bool baseline = config == cost::baseline_config(library, index);
    fmt::print("  {:>9}  {:>6}  {:>9.4f}  {:>10.3f}  {:>9.3f}  {:>10}  {:>13.1f}{}\n",
               fmt::format("{}x{}", config.array_rows, config.array_cols), config.adcs_per_array,
               summary.tile_area.total_um2() * 1e-6, summary.array_density_mb_per_mm2,
               summary.tile_density_mb_per_mm2, summary.mvm_cycles, summary.macs_per_ns_per_mm2,
               baseline ? "  <- baseline" : "");
  }
}

void print_summary(const hw::Library& library) {
  const hw::Chip& chip = library.chip;
  const hw::Arithmetic& arith = library.arithmetic;
  fmt::print("hardware library: {}\n", library.source);
  fmt::print(
      "chip         {:g} GHz; off-chip {:g} GB/s ({} bits/cycle), {:g} pJ/bit; global "
      "buffer {:g} KiB\n",
      chip.clock_ghz, chip.offchip_bandwidth_gbyte_per_s, chip.offchip_bits_per_cycle(),
      chip.offchip_energy_pj_per_bit, chip.global_buffer_kib);
  fmt::print("noc          {}, {}-bit flits, {} cycles/hop, router {:g} um2 per {} tiles\n",
             hw::noc_topology_name(chip.noc.topology), chip.noc.flit_bits,
             chip.noc.hop_latency_cycles, chip.noc.router_area_um2, chip.noc.tiles_per_router);
  fmt::print("arithmetic   {}-bit weights, {}-bit activations ({}), {}-bit accumulators\n",
             arith.weight_bits, arith.activation_bits,
             hw::activation_encoding_name(arith.activation_encoding), arith.accumulator_bits);
  for (std::size_t i = 0; i < library.tile_types.size(); ++i)
    print_tile_type(library, static_cast<int>(i));
  fmt::print("\n{} tile configurations\n", cost::tile_configs(library).size());
}

}  // namespace

void add_hw_command(CLI::App& app) {
  auto options = std::make_shared<HwOptions>();
  CLI::App* command = app.add_subcommand(
      "hw",
      "Show the hardware library: the chip, the arithmetic and, per tile type (PIM technology), "
      "every tile configuration with its area, density and speed.\n"
      "Without --hw it is the built-in library (SRAM-PIM after ISSCC'22 Yan, RRAM-PIM after "
      "ISSCC'19 Xue, ADC/DAC tables from MNSIM/ISAAC). --hw FILE is laid OVER the built-in "
      "library: its tables merge key by key and any other value replaces the built-in one, so a "
      "file may hold only what it changes (a new [tile.fefet], or [tile.rram] readout = "
      "\"adc_6b\"). A file that starts with base = \"none\" replaces the built-in library and "
      "must be complete. docs/hw-library.md lists every key.");
  command->add_option("--hw", options->hw_file, "hardware library TOML laid over the built-in one");
  command->add_flag("--dump", options->dump,
                    "print the library as TOML: the built-in text with its comments, or with "
                    "--hw the merged library (without comments)");
  command->callback([options] {
    if (options->dump) {
      if (options->hw_file.empty())
        fmt::print("{}", hw::builtin_library_text());
      else
        fmt::print("{}", hw::effective_library_toml(options->hw_file));
      return;
    }
    if (options->hw_file.empty())
      print_summary(hw::builtin_library());
    else
      print_summary(hw::load_library(options->hw_file));
  });
}

}  // namespace pimhls::cli
