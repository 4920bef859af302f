#include "compile/design_info.h"

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/files.h"

namespace pimhls::compile {
namespace {

using nlohmann::json;

const json& at(const json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) fail("{}: missing key '{}'", where, key);
  return object.at(key);
}

std::int64_t integer(const json& object, const char* key, const std::string& where) {
  const json& value = at(object, key, where);
  if (!value.is_number_integer()) fail("{}: key '{}' must be an integer", where, key);
  return value.get<std::int64_t>();
}

std::string text(const json& object, const char* key, const std::string& where) {
  const json& value = at(object, key, where);
  if (!value.is_string()) fail("{}: key '{}' must be a string", where, key);
  return value.get<std::string>();
}

const json& array(const json& object, const char* key, const std::string& where) {
  const json& value = at(object, key, where);
  if (!value.is_array()) fail("{}: key '{}' must be an array", where, key);
  return value;
}

quant::ArrayParams array_params(const json& spec, const std::string& where) {
  quant::ArrayParams params;
  if (!spec.is_object()) fail("{}: 'array' must be an object", where);
  for (const auto& [key, value] : spec.items()) {
    std::string v;
    if (value.is_boolean())
      v = value.get<bool>() ? "true" : "false";
    else if (value.is_number_integer())
      v = std::to_string(value.get<std::int64_t>());
    else if (value.is_string())
      v = value.get<std::string>();
    else
      fail("{}: array key '{}' has an unsupported type", where, key);
    quant::set_array_field(params, key, v, where);
  }
  return params;
}

}  // namespace

bool same_cells(const TileSetInfo& a, const TileSetInfo& b) {
  return a.technology == b.technology && a.array_rows == b.array_rows &&
         a.array_cols == b.array_cols;
}

bool same_configuration(const TileSetInfo& a, const TileSetInfo& b) {
  return same_cells(a, b) && a.adcs_per_array == b.adcs_per_array;
}

DesignInfo parse_design_info(const std::string& json_text, const std::string& source) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::exception& error) {
    fail("{}: not valid JSON: {}", source, error.what());
  }
  DesignInfo info;
  info.source = source;
  if (text(root, "schema", source) != "pimhls-design")
    fail("{}: 'schema' is not pimhls-design", source);
  info.network = text(root, "network", source);
  const json& arithmetic = at(root, "arithmetic", source);
  info.weight_bits = static_cast<int>(integer(arithmetic, "weight_bits", source + ": arithmetic"));
  info.activation_bits =
      static_cast<int>(integer(arithmetic, "activation_bits", source + ": arithmetic"));
  info.accumulator_bits =
      static_cast<int>(integer(arithmetic, "accumulator_bits", source + ": arithmetic"));
  const json& clock = at(root, "clock_ghz", source);
  if (!clock.is_number()) fail("{}: key 'clock_ghz' must be a number", source);
  info.clock_ghz = clock.get<double>();
  info.latency_cycles = integer(root, "latency_cycles", source);

  for (const json& set : array(root, "tile_sets", source)) {
    const std::string where = fmt::format("{}: tile_sets[{}]", source, info.tile_sets.size());
    TileSetInfo t;
    t.id = static_cast<int>(integer(set, "id", where));
    t.technology = text(set, "technology", where);
    t.first_tile = integer(set, "first_tile", where);
    t.tiles = integer(set, "tiles", where);
    t.array_rows = static_cast<int>(integer(set, "array_rows", where));
    t.array_cols = static_cast<int>(integer(set, "array_cols", where));
    t.adcs_per_array = static_cast<int>(integer(set, "adcs_per_array", where));
    if (t.id != static_cast<int>(info.tile_sets.size())) fail("{}: ids must be 0, 1, ...", where);
    info.tile_sets.push_back(t);
  }
  for (const json& layer : array(root, "layers", source)) {
    const std::string where = fmt::format("{}: layers[{}]", source, info.layers.size());
    LayerInfo l;
    l.index = static_cast<int>(integer(layer, "index", where));
    l.name = text(layer, "name", where);
    for (const json& u : array(layer, "units", where)) l.units.push_back(u.get<int>());
    l.array = array_params(at(layer, "array", where), where + ": array");
    info.layers.push_back(l);
  }
  for (const json& unit : array(root, "units", source)) {
    const std::string where = fmt::format("{}: units[{}]", source, info.units.size());
    UnitInfo u;
    u.id = static_cast<int>(integer(unit, "id", where));
    u.layer = static_cast<int>(integer(unit, "layer", where));
    u.name = text(unit, "name", where);
    u.technology = text(unit, "technology", where);
    u.column_piece = static_cast<int>(integer(unit, "column_piece", where));
    u.column_pieces = static_cast<int>(integer(unit, "column_pieces", where));
    u.row_piece = static_cast<int>(integer(unit, "row_piece", where));
    u.row_pieces = static_cast<int>(integer(unit, "row_pieces", where));
    u.out_channel_offset = integer(unit, "out_channel_offset", where);
    u.out_channels = integer(unit, "out_channels", where);
    u.in_channel_offset = integer(unit, "in_channel_offset", where);
    u.in_channels = integer(unit, "in_channels", where);
    u.kernel_area = integer(unit, "kernel_area", where);
    u.groups = integer(unit, "groups", where);
    u.vectors = integer(unit, "vectors", where);
    u.lead_vectors = integer(unit, "lead_vectors", where);
    if (unit.contains("groups_per_array"))
      u.groups_per_array = integer(unit, "groups_per_array", where);
    if (u.id != static_cast<int>(info.units.size())) fail("{}: ids must be 0, 1, ...", where);
    if (u.layer < 0 || u.layer >= static_cast<int>(info.layers.size()))
      fail("{}: layer {} does not exist", where, u.layer);
    info.units.push_back(u);
  }
  for (const json& group : array(root, "groups", source)) {
    const std::string where = fmt::format("{}: groups[{}]", source, info.groups.size());
    GroupInfo g;
    g.id = static_cast<int>(integer(group, "id", where));
    g.first_unit = static_cast<int>(integer(group, "first_unit", where));
    g.last_unit = static_cast<int>(integer(group, "last_unit", where));
    g.start_cycle = integer(group, "start_cycle", where);
    g.reload_cycles = integer(group, "reload_cycles", where);
    g.compute_cycles = integer(group, "compute_cycles", where);
    g.spill_cycles = integer(group, "spill_cycles", where);
    g.end_cycle = integer(group, "end_cycle", where);
    for (const json& m : array(group, "mapping", where)) {
      const std::string mwhere = fmt::format("{}: mapping[{}]", where, g.mapping.size());
      MappingInfo mapping;
      mapping.unit = static_cast<int>(integer(m, "unit", mwhere));
      mapping.duplication = static_cast<int>(integer(m, "duplication", mwhere));
      for (const json& c : array(m, "copies", mwhere)) {
        CopyInfo copy;
        copy.first_tile = integer(c, "first_tile", mwhere);
        copy.tiles = integer(c, "tiles", mwhere);
        for (const json& s : array(c, "tile_sets", mwhere)) copy.tile_sets.push_back(s.get<int>());
        mapping.copies.push_back(copy);
      }
      g.mapping.push_back(mapping);
    }
    info.groups.push_back(g);
  }
  return info;
}

DesignInfo read_design_info(const std::filesystem::path& path) {
  return parse_design_info(read_file(path), path.string());
}

}  // namespace pimhls::compile
