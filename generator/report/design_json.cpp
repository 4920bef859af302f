#include "report/design_json.h"

#include <algorithm>

#include "opt/units.h"

namespace pimhls::report {
namespace {

// Ids of the tile sets that the tiles [first, first + tiles) cover.
Json covered_tile_sets(const opt::Design& design, std::int64_t first, std::int64_t tiles) {
  Json ids = Json::array();
  for (std::size_t s = 0; s < design.tile_sets.size(); ++s) {
    const opt::TileSet& set = design.tile_sets[s];
    if (set.first_tile < first + tiles && first < set.first_tile + set.tiles) ids.push_back(s);
  }
  return ids;
}

// The array parameters of an option, with the keys of the analog model's array spec
// (quant::parse_array_spec, docs/analog-model.md).
Json array_parameters(const opt::Problem& problem, int option_index) {
  const opt::TileOption& option = problem.options[static_cast<std::size_t>(option_index)];
  const opt::ArrayArithmetic& a =
      problem.technologies[static_cast<std::size_t>(option.technology)].arithmetic;
  Json array = {{"rows", option.array_size},
                {"cols", option.array_size},
                {"bits_per_cell", a.bits_per_cell},
                {"dac_bits", a.dac_bits},
                {"parallel_rows", std::min(a.parallel_rows, option.array_size)},
                {"adc_bits", a.readout_bits},
                {"adc", a.digital_readout ? "lossless" : "clip"},
                {"encoding", a.twos_complement_weights ? "twos" : "offset"}};
  // Signed inputs: a subtracted sign phase, or offset to unsigned (activation_encoding).
  array["input_encoding"] = problem.twos_complement_activations ? "twos" : "offset";
  array["whole_kernels"] = true;  // MNSIM's mapping, as cost/ maps
  return array;
}

}  // namespace

Json design_json(const opt::Problem& problem, const opt::DesignResult& result,
                 const RunInfo& info) {
  const opt::Design& design = result.design;
  const opt::Evaluation& evaluation = result.evaluation;
  Json out;
  out["schema"] = "pimhls-design";
  out["version"] = kDesignSchemaVersion;
  out["design"] = result.key;
  out["network"] = problem.network.name;
  out["model"] = info.model;
  out["hardware_library"] = info.hardware_library;
  out["arithmetic"] = {{"weight_bits", info.weight_bits},
                       {"activation_bits", info.activation_bits},
                       {"accumulator_bits", info.accumulator_bits}};
  out["clock_ghz"] = rounded(problem.chip.clock_ghz);
  out["area_budget_um2"] = rounded(design.area_budget_um2, 3);
  out["latency_cycles"] = evaluation.latency_cycles;

  Json& technologies = out["technologies"] = Json::array();
  std::int64_t first_tile = 0;
  for (std::size_t t = 0; t < problem.technologies.size(); ++t) {
    technologies.push_back({{"name", problem.technologies[t].name},
                            {"first_tile", first_tile},
                            {"tiles", evaluation.area.tiles_per_technology[t]},
                            {"area_um2", rounded(evaluation.area.area_per_technology_um2[t], 3)}});
    first_tile += evaluation.area.tiles_per_technology[t];
  }

  Json& tile_sets = out["tile_sets"] = Json::array();
  for (std::size_t s = 0; s < design.tile_sets.size(); ++s) {
    const opt::TileSet& set = design.tile_sets[s];
    const opt::TileOption& option = problem.options[static_cast<std::size_t>(set.option)];
    tile_sets.push_back(
        {{"id", s},
         {"technology", problem.technologies[static_cast<std::size_t>(option.technology)].name},
         {"first_tile", set.first_tile},
         {"tiles", set.tiles},
         {"array_rows", option.array_size},
         {"array_cols", option.array_size},
         {"adcs_per_array", option.adcs_per_array},
         {"config", option.label},
         {"tile_area_um2", rounded(option.tile_area_um2, 3)}});
  }

  // The option of each unit's first copy (a unit's copies normally share one option).
  std::vector<int> unit_option(design.units.size(), 0);
  for (const opt::LayerGroup& group : design.groups)
    for (int u = group.first_unit; u <= group.last_unit; ++u)
      unit_option[static_cast<std::size_t>(u)] =
          group.copies[static_cast<std::size_t>(u - group.first_unit)].front().option;
  Json& layers = out["layers"] = Json::array();
  for (std::size_t l = 0; l < problem.network.layers.size(); ++l) {
    Json units = Json::array();
    int option = -1;
    std::int64_t groups_per_array = 1;  // its first copy's (pieces are pinned alike)
    for (std::size_t u = 0; u < design.units.size(); ++u) {
      if (design.units[u].layer != static_cast<int>(l)) continue;
      units.push_back(u);
      if (option >= 0) continue;
      option = unit_option[u];
      groups_per_array = opt::groups_per_array(problem, design.units[u], option);
    }
    Json array = array_parameters(problem, option);
    if (groups_per_array > 1) array["groups_per_array"] = groups_per_array;
    layers.push_back(
        {{"index", l},
         {"name", problem.network.layers[l].name},
         {"technology",
          problem.technologies[static_cast<std::size_t>(design.layer_technology[l])].name},
         {"units", units},
         {"config", problem.options[static_cast<std::size_t>(option)].label},
         {"array", array}});
  }

  Json& units = out["units"] = Json::array();
  for (std::size_t u = 0; u < design.units.size(); ++u) {
    const opt::Unit& unit = design.units[u];
    units.push_back(
        {{"id", u},
         {"layer", unit.layer},
         {"name", problem.network.layers[static_cast<std::size_t>(unit.layer)].name},
         {"technology",
          problem.technologies[static_cast<std::size_t>(design.unit_technology[u])].name},
         {"column_piece", unit.column_piece},
         {"column_pieces", unit.column_pieces},
         {"row_piece", unit.row_piece},
         {"row_pieces", unit.row_pieces},
         {"out_channel_offset", unit.out_channel_offset},
         {"out_channels", unit.shape.out_channels},
         {"in_channel_offset", unit.in_channel_offset},
         {"in_channels", unit.shape.in_channels},
         {"kernel_area", unit.shape.kernel_area},
         {"groups", unit.shape.groups},
         {"vectors", unit.shape.vectors},
         {"lead_vectors", unit.shape.lead_vectors}});
    // Pieces pin their packing; a whole layer packs as many as fit each copy's arrays.
    if (unit.shape.groups_per_array > 0)
      units.back()["groups_per_array"] = unit.shape.groups_per_array;
  }

  Json& groups = out["groups"] = Json::array();
  for (std::size_t g = 0; g < design.groups.size(); ++g) {
    const opt::LayerGroup& group = design.groups[g];
    const opt::GroupTiming& timing = evaluation.groups[g];
    Json mapping = Json::array();
    for (int u = group.first_unit; u <= group.last_unit; ++u) {
      const opt::UnitTiming& unit = evaluation.units[static_cast<std::size_t>(u)];
      Json copies = Json::array();
      for (const opt::CopyPlacement& copy :
           group.copies[static_cast<std::size_t>(u - group.first_unit)])
        copies.push_back({{"first_tile", copy.first_tile},
                          {"tiles", copy.tiles},
                          {"tile_sets", covered_tile_sets(design, copy.first_tile, copy.tiles)}});
      mapping.push_back({{"unit", u},
                         {"duplication", unit.copies},
                         {"tiles", unit.tiles},
                         {"start_cycle", unit.start_cycle},
                         {"end_cycle", unit.end_cycle},
                         {"copies", copies}});
    }
    groups.push_back({{"id", g},
                      {"first_unit", group.first_unit},
                      {"last_unit", group.last_unit},
                      {"start_cycle", timing.start_cycle},
                      {"reload_cycles", timing.reload_cycles},
                      {"compute_start_cycle", timing.start_cycle + timing.reload_cycles},
                      {"compute_cycles", timing.compute_cycles},
                      {"spill_cycles", timing.spill_cycles},
                      {"end_cycle", timing.end_cycle},
                      {"bottleneck_unit", timing.bottleneck_unit},
                      {"live_bits_after",
                       group.last_unit + 1 < static_cast<int>(design.units.size())
                           ? design.live_bits_at_cut[static_cast<std::size_t>(group.last_unit)]
                           : 0},
                      {"mapping", mapping}});
  }
  return out;
}

}  // namespace pimhls::report
