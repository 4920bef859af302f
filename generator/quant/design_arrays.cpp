#include "quant/design_arrays.h"

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/files.h"

namespace pimhls::quant {
namespace {

using nlohmann::json;

ArrayParams read_array(const json& object, const ArrayParams& fallback, const std::string& where) {
  if (!object.is_object()) fail("{}: \"array\" must be an object of array parameters", where);
  ArrayParams params = fallback;
  for (const auto& [key, value] : object.items()) {
    std::string text;
    if (value.is_number_integer())
      text = std::to_string(value.get<std::int64_t>());
    else if (value.is_string())
      text = value.get<std::string>();
    else if (value.is_boolean())
      text = value.get<bool>() ? "true" : "false";
    else
      fail("{}: {}: expected a number or a name, got {}", where, key, value.dump());
    set_array_field(params, key, text, where);
  }
  return params;
}

std::string text_or_index(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

ArrayMap parse_design_arrays(const std::string& json_text, const std::string& source,
                             const ArrayParams& fallback) {
  json design;
  try {
    design = json::parse(json_text);
  } catch (const json::parse_error& error) {
    fail("{}: not valid JSON: {}", source, error.what());
  }
  if (!design.is_object() || !design.contains("layers") || !design["layers"].is_array())
    fail("{}: no \"layers\" list (expected a design.json written by pimhls gen)", source);
  std::map<std::string, ArrayParams> tiles;
  if (design.contains("tiles")) {
    if (!design["tiles"].is_array()) fail("{}: \"tiles\" must be a list", source);
    for (std::size_t i = 0; i < design["tiles"].size(); ++i) {
      const json& tile = design["tiles"][i];
      const std::string where = fmt::format("{}: tiles[{}]", source, i);
      if (!tile.is_object() || !tile.contains("array")) fail("{}: no \"array\" object", where);
      const std::string name =
          tile.contains("name") ? text_or_index(tile["name"]) : std::to_string(i);
      tiles[name] = read_array(tile["array"], fallback, where);
      tiles[std::to_string(i)] = tiles[name];
    }
  }
  ArrayMap map;
  map.fallback = fallback;
  for (std::size_t i = 0; i < design["layers"].size(); ++i) {
    const json& layer = design["layers"][i];
    if (!layer.is_object() || !layer.contains("name") || !layer["name"].is_string())
      fail("{}: layers[{}]: needs a \"name\"", source, i);
    const std::string name = layer["name"].get<std::string>();
    const std::string where = fmt::format("{}: layer '{}'", source, name);
    if (layer.contains("array")) {
      map.layers[name] = read_array(layer["array"], fallback, where);
    } else if (layer.contains("tile")) {
      const std::string tile = text_or_index(layer["tile"]);
      const auto found = tiles.find(tile);
      if (found == tiles.end()) fail("{}: tile {} is not in \"tiles\"", where, tile);
      map.layers[name] = found->second;
    } else {
      fail("{}: neither \"array\" nor \"tile\"", where);
    }
  }
  return map;
}

ArrayMap read_design_arrays(const std::filesystem::path& path, const ArrayParams& fallback) {
  return parse_design_arrays(read_file(path), path.string(), fallback);
}

}  // namespace pimhls::quant
