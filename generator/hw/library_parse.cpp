// The schema of the hardware library: TOML table -> validated hw::Library.
// docs/hw-library.md lists the same keys; keep the two in step.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "hw/library.h"
#include "hw/library_toml.h"
#include "hw/toml_reader.h"
#include "util/error.h"

namespace pimhls::hw {
namespace {

bool is_power_of_two(int value) {
  return value > 0 && std::has_single_bit(static_cast<unsigned>(value));
}

void require_powers_of_two(TomlReader& reader, std::string_view key,
                           const std::vector<int>& values) {
  for (int value : values)
    if (!is_power_of_two(value))
      reader.fail_at(key, fmt::format("every entry must be a power of two, got {}", value));
}

// Lower-case identifiers: tile type names become CLI arguments and RTL names.
void require_identifier(TomlReader& reader, const std::string& name) {
  const bool valid = !name.empty() && name[0] >= 'a' && name[0] <= 'z' &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                     });
  if (!valid)
    reader.fail_at(name,
                   "a name must be lower-case letters, digits and '_', starting with a letter");
}

Arithmetic read_arithmetic(TomlReader reader) {
  Arithmetic arithmetic;
  arithmetic.weight_bits = reader.positive_int("weight_bits");
  if (arithmetic.weight_bits > 16) reader.fail_at("weight_bits", "at most 16 bits are supported");
  arithmetic.activation_bits = reader.positive_int("activation_bits");
  if (arithmetic.activation_bits > 16)
    reader.fail_at("activation_bits", "at most 16 bits are supported");
  arithmetic.activation_encoding = reader.choice<ActivationEncoding>(
      "activation_encoding", {{"unsigned", ActivationEncoding::Unsigned},
                              {"twos_complement", ActivationEncoding::TwosComplement}});
  arithmetic.accumulator_bits = reader.positive_int("accumulator_bits");
  if (arithmetic.accumulator_bits > 64)
    reader.fail_at("accumulator_bits", "at most 64 bits are supported");
  if (arithmetic.accumulator_bits < arithmetic.weight_bits + arithmetic.activation_bits)
    reader.fail_at(
        "accumulator_bits",
        fmt::format("must hold at least one product (weight_bits + activation_bits = {})",
                    arithmetic.weight_bits + arithmetic.activation_bits));
  reader.finish();
  return arithmetic;
}

Chip read_chip(TomlReader reader) {
  Chip chip;
  chip.clock_ghz = reader.positive_number("clock_ghz");
  chip.offchip_bandwidth_gbyte_per_s = reader.positive_number("offchip_bandwidth_gbyte_per_s");
  chip.offchip_energy_pj_per_bit = reader.non_negative_number("offchip_energy_pj_per_bit");
  chip.global_buffer_kib = reader.positive_number("global_buffer_kib");
  chip.controller_area_um2 = reader.non_negative_number("controller_area_um2");
  chip.leakage_mw_per_mm2 = reader.non_negative_number("leakage_mw_per_mm2");

  TomlReader buffer = reader.table("buffer");
  chip.buffer.area_um2_per_kib = buffer.positive_number("area_um2_per_kib");
  chip.buffer.energy_pj_per_bit = buffer.non_negative_number("energy_pj_per_bit");
  buffer.finish();

  TomlReader noc = reader.table("noc");
  chip.noc.topology = noc.choice<NocTopology>("topology", {{"mesh", NocTopology::Mesh}});
  chip.noc.flit_bits = noc.positive_int("flit_bits");
  chip.noc.hop_latency_cycles = noc.non_negative_int("hop_latency_cycles");
  chip.noc.router_area_um2 = noc.non_negative_number("router_area_um2");
  chip.noc.tiles_per_router = noc.positive_int("tiles_per_router");
  chip.noc.router_energy_pj_per_flit = noc.non_negative_number("router_energy_pj_per_flit");
  noc.finish();

  reader.finish();
  return chip;
}

Readout read_readout(TomlReader reader, const std::string& name) {
  Readout readout;
  readout.name = name;
  readout.kind = reader.choice<ReadoutKind>(
      "kind", {{"adc", ReadoutKind::Adc}, {"digital", ReadoutKind::Digital}});
  readout.bits = reader.positive_int("bits");
  if (readout.bits > 32) reader.fail_at("bits", "at most 32 bits are supported");
  readout.area_um2 = reader.positive_number("area_um2");
  readout.energy_pj = reader.non_negative_number("energy_pj");
  readout.latency_ns = reader.non_negative_number("latency_ns");
  reader.finish();
  return readout;
}

Dac read_dac(TomlReader reader, const std::string& name) {
  Dac dac;
  dac.name = name;
  dac.bits = reader.positive_int("bits");
  if (dac.bits > 16) reader.fail_at("bits", "at most 16 bits are supported");
  dac.area_um2 = reader.non_negative_number("area_um2");
  dac.energy_pj = reader.non_negative_number("energy_pj");
  dac.latency_ns = reader.non_negative_number("latency_ns");
  reader.finish();
  return dac;
}

template <typename Component>
const Component& find_component(TomlReader& reader, std::string_view key,
                                const std::vector<Component>& components, std::string_view table) {
  const std::string name = reader.string(key);
  for (const Component& component : components)
    if (component.name == name) return component;
  std::vector<std::string> names;
  for (const Component& component : components) names.push_back(component.name);
  if (names.empty()) reader.fail_at(key, fmt::format("the [{}] table is empty", table));
  reader.fail_unknown_name(key, name, names);
}

// Bits needed to hold the largest column sum of `rows` rows exactly.
int exact_sum_bits(int rows, int dac_bits, int bits_per_cell) {
  const double largest =
      static_cast<double>(rows) * (std::exp2(dac_bits) - 1) * (std::exp2(bits_per_cell) - 1);
  return static_cast<int>(std::ceil(std::log2(largest + 1)));
}

TileType read_tile(TomlReader reader, const std::string& name, const Library& library) {
  TileType tile;
  tile.name = name;
  tile.description = reader.string("description");

  tile.bits_per_cell = reader.positive_int("bits_per_cell");
  if (tile.bits_per_cell > 8) reader.fail_at("bits_per_cell", "at most 8 bits per cell");
  const bool has_area = reader.has_optional("cell_area_um2");
  const bool has_density = reader.has_optional("cell_density_mb_per_mm2");
  if (has_area && has_density)
    reader.fail_at("cell_density_mb_per_mm2",
                   "give either cell_area_um2 or cell_density_mb_per_mm2, not both");
  if (!has_area && !has_density)
    reader.fail_table("missing key 'cell_area_um2' (or 'cell_density_mb_per_mm2')");
  // Mb/mm2 = 10^6 bits per 10^6 um2, so one bit takes 1/density um2.
  tile.cell_area_um2 = has_area
                           ? reader.positive_number("cell_area_um2")
                           : tile.bits_per_cell / reader.positive_number("cell_density_mb_per_mm2");

  tile.weight_encoding = reader.choice<WeightEncoding>(
      "weight_encoding",
      {{"twos_complement", WeightEncoding::TwosComplement}, {"offset", WeightEncoding::Offset}});
  if (tile.weight_encoding == WeightEncoding::TwosComplement && tile.bits_per_cell != 1)
    reader.fail_at("weight_encoding",
                   "twos_complement needs bits_per_cell = 1 (a multi-bit cell cannot hold a "
                   "negative slice); use \"offset\"");
  tile.readout = find_component(reader, "readout", library.readouts, "readout");
  tile.dac = find_component(reader, "dac", library.dacs, "dac");

  tile.array_sizes = reader.positive_int_list("array_sizes");
  require_powers_of_two(reader, "array_sizes", tile.array_sizes);
  tile.adcs_per_array = reader.positive_int_list("adcs_per_array");
  require_powers_of_two(reader, "adcs_per_array", tile.adcs_per_array);
  if (tile.adcs_per_array.front() > tile.array_sizes.back())
    reader.fail_at("adcs_per_array", fmt::format("no entry fits the largest array ({} columns)",
                                                 tile.array_sizes.back()));
  tile.baseline_array_size = reader.positive_int("baseline_array_size");
  if (std::find(tile.array_sizes.begin(), tile.array_sizes.end(), tile.baseline_array_size) ==
      tile.array_sizes.end())
    reader.fail_at("baseline_array_size",
                   fmt::format("{} is not one of array_sizes", tile.baseline_array_size));
  tile.baseline_adcs_per_array = reader.positive_int("baseline_adcs_per_array");
  if (std::find(tile.adcs_per_array.begin(), tile.adcs_per_array.end(),
                tile.baseline_adcs_per_array) == tile.adcs_per_array.end())
    reader.fail_at("baseline_adcs_per_array",
                   fmt::format("{} is not one of adcs_per_array", tile.baseline_adcs_per_array));
  if (tile.baseline_adcs_per_array > tile.baseline_array_size)
    reader.fail_at("baseline_adcs_per_array",
                   fmt::format("{} readout units do not fit {} columns",
                               tile.baseline_adcs_per_array, tile.baseline_array_size));

  tile.parallel_rows = reader.positive_int("parallel_rows");
  if (tile.readout.kind == ReadoutKind::Digital) {
    // A digital readout is exact by definition, so its width must hold the largest column sum.
    const int rows = std::min(tile.parallel_rows, tile.array_sizes.back());
    const int needed = exact_sum_bits(rows, tile.dac.bits, tile.bits_per_cell);
    if (tile.readout.bits < needed)
      reader.fail_at("readout", fmt::format("digital readout '{}' has {} bits but a column sum of "
                                            "{} rows needs {}",
                                            tile.readout.name, tile.readout.bits, rows, needed));
  }
  tile.arrays_per_tile = reader.positive_int("arrays_per_tile");
  tile.read_latency_ns = reader.positive_number("read_latency_ns");
  tile.read_energy_pj_per_cell = reader.non_negative_number("read_energy_pj_per_cell");
  tile.write_latency_ns_per_row = reader.positive_number("write_latency_ns_per_row");
  tile.write_energy_pj_per_cell = reader.non_negative_number("write_energy_pj_per_cell");
  tile.driver_area_um2_per_row = reader.non_negative_number("driver_area_um2_per_row");
  tile.leakage_mw_per_mm2 = reader.non_negative_number("leakage_mw_per_mm2");

  tile.shift_add_area_um2 = reader.non_negative_number("shift_add_area_um2");
  tile.shift_add_energy_pj = reader.non_negative_number("shift_add_energy_pj");
  tile.shift_add_cycles = reader.non_negative_int("shift_add_cycles");
  tile.accumulator_lanes = reader.positive_int("accumulator_lanes");
  tile.accumulator_area_um2_per_lane = reader.non_negative_number("accumulator_area_um2_per_lane");
  tile.accumulator_energy_pj_per_add = reader.non_negative_number("accumulator_energy_pj_per_add");
  tile.accumulator_cycles = reader.non_negative_int("accumulator_cycles");
  tile.input_buffer_kib = reader.positive_number("input_buffer_kib");
  tile.output_buffer_kib = reader.positive_number("output_buffer_kib");
  tile.input_bus_bits = reader.positive_int("input_bus_bits");
  reader.finish();
  return tile;
}

}  // namespace

toml::table parse_toml(std::string_view text, std::string_view source_name) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& error) {
    fail("{}:{}: TOML syntax error: {}", source_name, error.source().begin.line,
         error.description());
  }
}

Base read_base(const toml::table& root, std::string_view source_name) {
  TomlReader reader(root, "", std::string(source_name));
  if (!reader.has("base")) return Base::Builtin;
  return reader.choice<Base>("base", {{"builtin", Base::Builtin}, {"none", Base::None}});
}

Library library_from_table(const toml::table& root, std::string_view source_name) {
  TomlReader reader(root, "", std::string(source_name));
  Library library;
  library.source = source_name;
  if (reader.has_optional("base")) read_base(root, source_name);

  library.arithmetic = read_arithmetic(reader.table("arithmetic"));
  library.chip = read_chip(reader.table("chip"));

  TomlReader readouts = reader.table("readout");
  for (const std::string& name : readouts.keys())
    library.readouts.push_back(read_readout(readouts.table(name), name));
  readouts.finish();
  TomlReader dacs = reader.table("dac");
  for (const std::string& name : dacs.keys())
    library.dacs.push_back(read_dac(dacs.table(name), name));
  dacs.finish();

  TomlReader tiles = reader.table("tile");
  for (const std::string& name : tiles.keys()) {
    require_identifier(tiles, name);
    library.tile_types.push_back(read_tile(tiles.table(name), name, library));
  }
  if (library.tile_types.empty()) tiles.fail_table("needs at least one tile type ([tile.<name>])");
  tiles.finish();

  reader.finish();
  return library;
}

}  // namespace pimhls::hw
