#pragma once
// The hardware library: what the generator may build, in three levels after CIM-MLC (chip /
// tile / array) and MNSIM (crossbar, PE, tile). Parsed from TOML and validated once; immutable
// afterwards (Timeloop's "spec"). docs/hw-library.md describes every key and its unit.
//
// Times of analog steps are in ns (converted to chip cycles by cost/), digital units are clocked
// and given in cycles; areas in um2, energies in pJ, power in mW. Units are in the field names.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pimhls::hw {

// How a column's analog (or digital) sum becomes a number.
enum class ReadoutKind {
  Adc,      // linear quantization of the column sum to `bits` (clips above 2^bits - 1)
  Digital,  // exact adder tree (ADC-less digital macro): the column sum is exact
};

// How a signed weight is stored in unsigned cells (the golden model and the RTL follow this).
enum class WeightEncoding {
  TwosComplement,  // bit slices of the two's-complement word; the MSB slice is subtracted
                   // in the shift-add (needs bits_per_cell == 1)
  Offset,          // w + 2^(weight_bits-1) stored unsigned; the tile subtracts
                   // 2^(weight_bits-1) * sum(inputs) digitally (no reference column)
};

// How activations are fed bit-serially (dac_bits per phase, LSB phase first).
enum class ActivationEncoding {
  Unsigned,        // 0 .. 2^bits - 1
  TwosComplement,  // the MSB phase carries weight -2^(bits-1)
};

enum class NocTopology { Mesh };

const char* readout_kind_name(ReadoutKind kind);
const char* weight_encoding_name(WeightEncoding encoding);
const char* activation_encoding_name(ActivationEncoding encoding);
const char* noc_topology_name(NocTopology topology);

struct Arithmetic {
  int weight_bits = 0;
  int activation_bits = 0;
  ActivationEncoding activation_encoding = ActivationEncoding::TwosComplement;
  int accumulator_bits = 0;  // partial sums (between row blocks, on the NoC)
};

// The SRAM macro used for the global buffer and every tile buffer.
struct BufferMacro {
  double area_um2_per_kib = 0;
  double energy_pj_per_bit = 0;  // per bit read or written
};

struct Noc {
  NocTopology topology = NocTopology::Mesh;
  int flit_bits = 0;
  int hop_latency_cycles = 0;
  double router_area_um2 = 0;
  int tiles_per_router = 0;              // a router is shared by this many tiles (ISAAC: 4)
  double router_energy_pj_per_flit = 0;  // per flit per hop
};

struct Chip {
  double clock_ghz = 0;
  double offchip_bandwidth_gbyte_per_s = 0;  // weight reloads at run time
  double offchip_energy_pj_per_bit = 0;
  double global_buffer_kib = 0;
  double controller_area_um2 = 0;
  double leakage_mw_per_mm2 = 0;  // of the fixed chip area (global buffer, controller)
  BufferMacro buffer;
  Noc noc;

  // Whole bits the off-chip port moves per cycle (at least 1): the cost model's reload transfer
  // and the RTL port's rate (a fraction of a bit per cycle is not counted by either).
  std::int64_t offchip_bits_per_cycle() const {
    return std::max<std::int64_t>(
        1, static_cast<std::int64_t>(offchip_bandwidth_gbyte_per_s * 8.0 / clock_ghz + 1e-9));
  }
};

// An entry of the [readout.<name>] table: an ADC or a digital adder tree.
struct Readout {
  std::string name;
  ReadoutKind kind = ReadoutKind::Adc;
  int bits = 0;
  double area_um2 = 0;
  double energy_pj = 0;   // per conversion
  double latency_ns = 0;  // per conversion
};

// An entry of the [dac.<name>] table: the input driver of one row.
struct Dac {
  std::string name;
  int bits = 0;  // input bits applied per phase
  double area_um2 = 0;
  double energy_pj = 0;  // per row drive (one phase)
  double latency_ns = 0;
};

// One PIM technology: a tile holds `arrays_per_tile` arrays of one configuration.
struct TileType {
  std::string name;  // the key under [tile], e.g. "rram"
  std::string description;

  // Array
  double cell_area_um2 = 0;  // from cell_area_um2 or cell_density_mb_per_mm2
  int bits_per_cell = 0;
  WeightEncoding weight_encoding = WeightEncoding::Offset;
  std::vector<int> array_sizes;     // candidates (rows = cols), powers of two
  std::vector<int> adcs_per_array;  // candidates: readout units per array, powers of two
  int baseline_array_size = 0;      // the homogeneous baseline of `pimhls estimate`
  int baseline_adcs_per_array = 0;
  int parallel_rows = 0;  // rows driven at once (one row group)
  int arrays_per_tile = 0;
  double read_latency_ns = 0;          // array settle time of one row group, before conversion
  double read_energy_pj_per_cell = 0;  // per cell whose row is driven, per phase
  double write_latency_ns_per_row = 0;
  double write_energy_pj_per_cell = 0;
  double driver_area_um2_per_row = 0;  // row decoder / write driver
  double leakage_mw_per_mm2 = 0;       // of the whole tile area

  Readout readout;  // resolved from the `readout` name
  Dac dac;          // resolved from the `dac` name

  // Digital periphery of the tile (clocked, so latencies are in cycles)
  double shift_add_area_um2 = 0;   // one per readout unit
  double shift_add_energy_pj = 0;  // per conversion
  int shift_add_cycles = 0;
  int accumulator_lanes = 0;  // partial-sum additions per cycle per tile
  double accumulator_area_um2_per_lane = 0;
  double accumulator_energy_pj_per_add = 0;
  int accumulator_cycles = 0;  // per adder-tree level
  double input_buffer_kib = 0;
  double output_buffer_kib = 0;
  int input_bus_bits = 0;  // input buffer -> one array's input register, bits per cycle
};

struct Library {
  std::string source;  // the file (or "<built-in>") the library came from, for messages
  Chip chip;
  Arithmetic arithmetic;
  std::vector<Readout> readouts;     // the whole [readout] table, by name
  std::vector<Dac> dacs;             // the whole [dac] table, by name
  std::vector<TileType> tile_types;  // sorted by name (TOML tables are ordered by key)

  // Index of the tile type called `name`; throws Error with "did you mean" when there is none.
  int tile_type_index(std::string_view name) const;
};

// The built-in library: a commented TOML text compiled into the binary.
std::string_view builtin_library_text();
// The built-in library, parsed once.
const Library& builtin_library();

// A complete library from TOML text; `source_name` names it in messages.
Library parse_library(std::string_view text, std::string_view source_name);

// `text` laid over the built-in library (see docs/hw-library.md): tables merge key by key, any
// other value replaces the built-in one. With `base = "none"` at the top, the text stands alone.
Library overlay_library(std::string_view text, std::string_view source_name);

// overlay_library() on the contents of a file.
Library load_library(const std::filesystem::path& path);

// The effective (merged) library as TOML, without the built-in's comments.
std::string effective_library_toml(const std::filesystem::path& path);

}  // namespace pimhls::hw
