#pragma once
// The parts of design.json (docs/design-json.md) that the compiler needs, read back from the
// file or from the in-memory JSON of report::design_json (pass its dump()).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "quant/array_params.h"

namespace pimhls::compile {

struct TileSetInfo {
  int id = 0;
  std::string technology;
  std::int64_t first_tile = 0;
  std::int64_t tiles = 0;
  int array_rows = 0;
  int array_cols = 0;
  int adcs_per_array = 0;
};

struct LayerInfo {
  int index = 0;
  std::string name;
  std::vector<int> units;
  quant::ArrayParams array;  // the arrays of the layer's first unit
};

struct UnitInfo {
  int id = 0;
  int layer = 0;
  std::string name;
  std::string technology;
  int column_piece = 0, column_pieces = 1, row_piece = 0, row_pieces = 1;
  std::int64_t out_channel_offset = 0, out_channels = 0;
  std::int64_t in_channel_offset = 0, in_channels = 0;
  std::int64_t kernel_area = 1, groups = 1, vectors = 0, lead_vectors = 0;
  std::int64_t groups_per_array = 0;  // pinned packing of a piece; 0: as many as fit
};

struct CopyInfo {
  std::int64_t first_tile = 0;
  std::int64_t tiles = 0;
  std::vector<int> tile_sets;
};

struct MappingInfo {
  int unit = 0;
  int duplication = 1;
  std::vector<CopyInfo> copies;
};

struct GroupInfo {
  int id = 0;
  int first_unit = 0, last_unit = 0;
  std::int64_t start_cycle = 0, reload_cycles = 0, compute_cycles = 0, end_cycle = 0;
  std::int64_t spill_cycles = 0;  // live activations beyond the global buffer, out and back in
  std::vector<MappingInfo> mapping;
};

struct DesignInfo {
  std::string source;  // file name (for messages)
  std::string network;
  int weight_bits = 8, activation_bits = 8, accumulator_bits = 32;
  double clock_ghz = 1.0;
  std::int64_t latency_cycles = 0;
  std::vector<TileSetInfo> tile_sets;
  std::vector<LayerInfo> layers;
  std::vector<UnitInfo> units;
  std::vector<GroupInfo> groups;
};

// Tile sets whose arrays hold the same cells: technology and array size (the readout may differ,
// so one off-chip weight stream writes both).
bool same_cells(const TileSetInfo& a, const TileSetInfo& b);
// Tile sets of one configuration (the readout too): one weight engine drives both.
bool same_configuration(const TileSetInfo& a, const TileSetInfo& b);

// Throws Error naming the source and the key on a missing or mistyped key.
DesignInfo parse_design_info(const std::string& json_text, const std::string& source);
DesignInfo read_design_info(const std::filesystem::path& path);

}  // namespace pimhls::compile
