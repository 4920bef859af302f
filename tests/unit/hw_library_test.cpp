// The built-in library and overlays (--hw files).
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

#include "hw/library.h"
#include "util/files.h"

using namespace pimhls;

namespace {

const hw::TileType& tile(const hw::Library& library, const char* name) {
  return library.tile_types[static_cast<std::size_t>(library.tile_type_index(name))];
}

}  // namespace

TEST_CASE("the built-in library is the TOML file compiled in, byte for byte") {
  const std::string file = read_file(PIMHLS_SOURCE_DIR "/generator/hw/builtin_library.toml");
  CHECK(std::string(hw::builtin_library_text()) == file);
}

TEST_CASE("every value of the built-in library names its source") {
  const std::regex assignment(R"(^\s*[A-Za-z_]+\s*=)");
  const std::regex sourced(
      R"(#.*\[(PIM-HLS|Yan22|Xue19|MNSIM|ISAAC|NeuroSim|Horowitz|assumed|calibrated)\])");
  std::istringstream lines{std::string(hw::builtin_library_text())};
  std::string line;
  int values = 0;
  while (std::getline(lines, line)) {
    if (!std::regex_search(line, assignment)) continue;
    ++values;
    INFO(line);
    CHECK(std::regex_search(line, sourced));
  }
  CHECK(values >= 90);
}

TEST_CASE("the built-in library: SRAM and RRAM presets") {
  const hw::Library& library = hw::builtin_library();
  REQUIRE(library.tile_types.size() == 2);
  CHECK(library.arithmetic.weight_bits == 8);
  CHECK(library.chip.clock_ghz == 1.0);
  CHECK(library.chip.offchip_bandwidth_gbyte_per_s == 25.6);
  const hw::TileType& sram = tile(library, "sram");
  CHECK(sram.readout.kind == hw::ReadoutKind::Digital);
  CHECK(sram.bits_per_cell == 1);
  CHECK(sram.weight_encoding == hw::WeightEncoding::TwosComplement);
  CHECK(sram.cell_area_um2 == 0.25);
  const hw::TileType& rram = tile(library, "rram");
  CHECK(rram.readout.kind == hw::ReadoutKind::Adc);
  CHECK(rram.readout.name == "adc_8b");
  CHECK(rram.readout.bits == 8);
  CHECK(rram.readout.area_um2 == 1200);
  CHECK(rram.bits_per_cell == 2);
  CHECK(rram.weight_encoding == hw::WeightEncoding::Offset);
  CHECK(rram.array_sizes == std::vector<int>{64, 128, 256, 512});
  CHECK(library.readouts.size() == 6);
  CHECK(library.dacs.size() == 4);
}

TEST_CASE("an overlay adds a tile type with TOML alone") {
  const hw::Library library = hw::overlay_library(R"(
[readout.adc_5b]
kind = "adc"
bits = 5
area_um2 = 540.0
energy_pj = 0.9
latency_ns = 7.0

[tile.fefet]
description = "FeFET-PIM"
cell_density_mb_per_mm2 = 4.0
bits_per_cell = 2
weight_encoding = "offset"
readout = "adc_5b"
dac = "dac_1b"
array_sizes = [64, 128]
adcs_per_array = [4, 8]
baseline_array_size = 128
baseline_adcs_per_array = 8
parallel_rows = 8
arrays_per_tile = 8
read_latency_ns = 5.0
read_energy_pj_per_cell = 0.001
write_latency_ns_per_row = 100.0
write_energy_pj_per_cell = 0.1
driver_area_um2_per_row = 1.0
leakage_mw_per_mm2 = 0.01
shift_add_area_um2 = 60.0
shift_add_energy_pj = 0.021
shift_add_cycles = 1
accumulator_lanes = 16
accumulator_area_um2_per_lane = 120.0
accumulator_energy_pj_per_add = 0.042
accumulator_cycles = 1
input_buffer_kib = 8.0
output_buffer_kib = 4.0
input_bus_bits = 256
)",
                                                  "fefet.toml");
  REQUIRE(library.tile_types.size() == 3);
  const hw::TileType& fefet = tile(library, "fefet");
  CHECK(fefet.cell_area_um2 == Approx(0.5));  // 2 bits per cell at 4 Mb/mm2 = 0.25 um2 per bit
  CHECK(fefet.readout.bits == 5);
  CHECK(library.readouts.size() == 7);
  // The built-in tile types are untouched.
  CHECK(tile(library, "rram").readout.name == "adc_8b");
  CHECK(library.source == "fefet.toml");
}

TEST_CASE("an overlay changes single keys and keeps the rest") {
  const hw::Library library = hw::overlay_library(R"(
[chip]
clock_ghz = 0.5

[tile.rram]
readout = "adc_6b"
parallel_rows = 16
cell_density_mb_per_mm2 = 5.0   # replaces the built-in cell_area_um2
)",
                                                  "override.toml");
  CHECK(library.chip.clock_ghz == 0.5);
  CHECK(library.chip.offchip_bandwidth_gbyte_per_s == 25.6);
  const hw::TileType& rram = tile(library, "rram");
  CHECK(rram.readout.name == "adc_6b");
  CHECK(rram.readout.area_um2 == 580);
  CHECK(rram.parallel_rows == 16);
  CHECK(rram.cell_area_um2 == Approx(2 / 5.0));
  CHECK(rram.bits_per_cell == 2);
  CHECK(tile(library, "sram").cell_area_um2 == 0.25);
}

TEST_CASE("base = \"none\" stands alone and must be complete") {
  std::string text(hw::builtin_library_text());
  const hw::Library alone = hw::overlay_library("base = \"none\"\n" + text, "full.toml");
  CHECK(alone.tile_types.size() == 2);
  CHECK_THROWS_WITH(
      hw::overlay_library("base = \"none\"\n[arithmetic]\nweight_bits = 8\n", "part.toml"),
      Catch::Contains("part.toml") && Catch::Contains("missing"));
  CHECK_THROWS_WITH(hw::overlay_library("base = \"nothing\"\n", "b.toml"),
                    Catch::Contains("b.toml:1: base: unknown name 'nothing'"));
}

TEST_CASE("tile type lookup suggests near misses") {
  const hw::Library& library = hw::builtin_library();
  CHECK(library.tile_type_index("sram") >= 0);
  CHECK_THROWS_WITH(library.tile_type_index("rran"), Catch::Contains("did you mean 'rram'"));
  CHECK_THROWS_WITH(library.tile_type_index("fefet"), Catch::Contains("rram, sram"));
}

TEST_CASE("the merged library dumped as TOML reloads to the same values") {
  const std::filesystem::path overlay =
      std::filesystem::path(PIMHLS_BINARY_DIR) / "hw_library_test_overlay.toml";
  write_file_atomic(overlay, "[tile.rram]\nreadout = \"adc_6b\"\nread_latency_ns = 6.79\n");
  const std::string dumped = hw::effective_library_toml(overlay);
  const hw::Library merged = hw::load_library(overlay);
  const hw::Library reloaded = hw::parse_library(dumped, "dump.toml");
  std::filesystem::remove(overlay);
  REQUIRE(reloaded.tile_types.size() == merged.tile_types.size());
  for (std::size_t i = 0; i < merged.tile_types.size(); ++i) {
    const hw::TileType& a = merged.tile_types[i];
    const hw::TileType& b = reloaded.tile_types[i];
    CHECK(a.name == b.name);
    CHECK(a.readout.name == b.readout.name);
    CHECK(a.readout.energy_pj == b.readout.energy_pj);  // exact, not approximately
    CHECK(a.read_latency_ns == b.read_latency_ns);
    CHECK(a.read_energy_pj_per_cell == b.read_energy_pj_per_cell);
    CHECK(a.cell_area_um2 == b.cell_area_um2);
  }
  CHECK(reloaded.chip.offchip_bandwidth_gbyte_per_s == merged.chip.offchip_bandwidth_gbyte_per_s);
}
