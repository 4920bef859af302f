#include "report/report_json.h"

#include <algorithm>
#include <cmath>

#include "opt/group_cost.h"
#include "opt/units.h"

namespace pimhls::report {
namespace {

Json latency(std::int64_t cycles, double clock_ghz) {
  if (cycles >= opt::kInfeasible) return nullptr;
  return {{"cycles", cycles}, {"us", rounded(static_cast<double>(cycles) / clock_ghz * 1e-3, 3)}};
}

Json area(const opt::Problem& problem, const opt::Evaluation& evaluation, double budget_um2) {
  const opt::AreaReport& a = evaluation.area;
  Json out;
  out["total_mm2"] = rounded(a.total_um2 * 1e-6);
  out["budget_mm2"] = budget_um2 > 0 ? Json(rounded(budget_um2 * 1e-6)) : Json(nullptr);
  out["within_budget"] = evaluation.within_budget;
  out["tiles_mm2"] = rounded(a.tiles_um2 * 1e-6);
  out["global_buffer_mm2"] = rounded(a.global_buffer_um2 * 1e-6);
  out["controller_mm2"] = rounded(a.controller_um2 * 1e-6);
  Json& per_tech = out["technologies"] = Json::array();
  for (std::size_t t = 0; t < problem.technologies.size(); ++t)
    per_tech.push_back({{"name", problem.technologies[t].name},
                        {"tiles", a.tiles_per_technology[t]},
                        {"mm2", rounded(a.area_per_technology_um2[t] * 1e-6)}});
  Json& parts = out["tile_parts_mm2"] = Json::object();
  for (const auto& [part, um2] : a.tile_parts_um2) parts[part] = rounded(um2 * 1e-6);
  return out;
}

Json energy(const opt::EnergyReport& e) {
  return {{"total_uj", rounded(e.total_pj() * 1e-6)},
          {"compute_uj", rounded(e.compute_pj * 1e-6)},
          {"reload_uj", rounded(e.reload_pj * 1e-6)},
          {"spill_uj", rounded(e.spill_pj * 1e-6)},
          {"leakage_uj", rounded(e.leakage_pj * 1e-6)}};
}

// The technologies' tile counts and options of a design, e.g. {"sram": "30 x sram 64x64, ..."}.
Json tiles_summary(const opt::Problem& problem, const opt::Design& design) {
  Json out = Json::array();
  for (const opt::TileSet& set : design.tile_sets) {
    const opt::TileOption& option = problem.options[static_cast<std::size_t>(set.option)];
    if (!out.empty() && out.back()["config"] == option.label) {
      out.back()["tiles"] = out.back()["tiles"].get<std::int64_t>() + set.tiles;
      continue;
    }
    out.push_back(
        {{"technology", problem.technologies[static_cast<std::size_t>(option.technology)].name},
         {"config", option.label},
         {"tiles", set.tiles}});
  }
  return out;
}

Json design_summary(const opt::Problem& problem, const opt::DesignResult& design,
                    const opt::DesignResult& chosen) {
  const double clock = problem.chip.clock_ghz;
  const opt::Evaluation& e = design.evaluation;
  return {{"key", design.key},
          {"latency", latency(e.latency_cycles, clock)},
          {"speedup_of_chosen", rounded(static_cast<double>(e.latency_cycles) /
                                            static_cast<double>(chosen.evaluation.latency_cycles),
                                        3)},
          {"area_mm2", rounded(e.area.total_um2 * 1e-6)},
          {"area_vs_chosen", rounded(e.area.total_um2 / chosen.evaluation.area.total_um2, 3)},
          {"within_budget", e.within_budget},
          {"energy_uj", rounded(e.energy.total_pj() * 1e-6)},
          {"groups", design.design.groups.size()},
          {"units", design.design.units.size()},
          {"layer_technologies", assignment_code(problem, design.design.layer_technology)},
          {"tiles", tiles_summary(problem, design.design)}};
}

Json unit_rows(const opt::Problem& problem, const opt::DesignResult& design) {
  Json rows = Json::array();
  const opt::Design& d = design.design;
  for (std::size_t u = 0; u < d.units.size(); ++u) {
    const opt::Unit& unit = d.units[u];
    const opt::UnitTiming& timing = design.evaluation.units[u];
    const opt::Layer& layer = problem.network.layers[static_cast<std::size_t>(unit.layer)];
    const std::int64_t bits_per_weight =
        layer.weight_bits / std::max<std::int64_t>(layer.shape.weights(), 1);
    const opt::LayerGroup& group = d.groups[static_cast<std::size_t>(timing.group)];
    const int option = group.copies[u - static_cast<std::size_t>(group.first_unit)].front().option;
    rows.push_back(
        {{"unit", u},
         {"layer", layer.name},
         {"piece",
          unit.is_split()
              ? Json(std::to_string(unit.column_piece * unit.row_pieces + unit.row_piece + 1) +
                     "/" + std::to_string(unit.column_pieces * unit.row_pieces))
              : Json(nullptr)},
         {"technology", problem.technologies[static_cast<std::size_t>(d.unit_technology[u])].name},
         {"config", problem.options[static_cast<std::size_t>(option)].label},
         {"group", timing.group},
         {"duplication", timing.copies},
         {"tiles", timing.tiles},
         {"weight_bits", unit.shape.weights() * bits_per_weight},
         {"macs", unit.shape.macs()},
         {"compute_cycles", timing.compute_cycles},
         {"start_cycle", timing.start_cycle},
         {"end_cycle", timing.end_cycle},
         {"energy_uj", rounded(timing.compute_energy_pj * 1e-6)}});
    const std::int64_t packing = opt::groups_per_array(problem, unit, option);
    if (packing > 1) rows.back()["groups_per_array"] = packing;
  }
  return rows;
}

Json group_rows(const opt::DesignResult& design) {
  Json rows = Json::array();
  for (std::size_t g = 0; g < design.design.groups.size(); ++g) {
    const opt::GroupTiming& t = design.evaluation.groups[g];
    rows.push_back({{"group", g},
                    {"first_unit", design.design.groups[g].first_unit},
                    {"last_unit", design.design.groups[g].last_unit},
                    {"start_cycle", t.start_cycle},
                    {"reload_cycles", t.reload_cycles},
                    {"compute_cycles", t.compute_cycles},
                    {"spill_cycles", t.spill_cycles},
                    {"end_cycle", t.end_cycle},
                    {"bottleneck_unit", t.bottleneck_unit},
                    {"bottleneck_cycles", t.bottleneck_cycles}});
  }
  return rows;
}

Json search(const opt::Problem& problem, const opt::OptimizationResult& result) {
  Json out;
  const opt::CandidateSet& set = result.candidates;
  out["naive_assignments_log10"] = rounded(set.naive_log10, 3);
  out["per_criterion"] = {{"memory", set.per_criterion[0]},
                          {"computation", set.per_criterion[1]},
                          {"ratio", set.per_criterion[2]}};
  out["unique_candidates"] = set.candidates.size();
  out["chosen_candidate"] = result.chosen_candidate;
  Json& candidates = out["candidates"] = Json::array();
  for (std::size_t c = 0; c < result.candidate_results.size(); ++c) {
    const opt::CandidateResult& row = result.candidate_results[c];
    Json criteria = Json::array();
    for (opt::Criterion criterion : row.candidate.criteria)
      criteria.push_back(opt::criterion_name(criterion));
    Json tiles = Json::object();
    for (std::size_t t = 0; t < problem.technologies.size() && t < row.tiles.size(); ++t)
      tiles[problem.technologies[t].name] = row.tiles[t];
    candidates.push_back(
        {{"id", c},
         {"layer_technologies", assignment_code(problem, row.candidate.layer_technology)},
         {"criteria", criteria},
         {"tiles", tiles},
         {"allocations_tried", row.allocations_tried},
         {"groups", row.groups},
         {"scheduled", latency(row.latency_cycles, problem.chip.clock_ghz)},
         {"tuned", row.tuned_latency_cycles < 0
                       ? Json(nullptr)
                       : latency(row.tuned_latency_cycles, problem.chip.clock_ghz)}});
  }
  Json& tuning = out["tuning"];
  tuning["trials"] = result.tuning_trials.size();
  Json& accepted = tuning["accepted"] = Json::array();
  for (const opt::TuningTrial& trial : result.tuning_trials) {
    if (!trial.accepted) continue;
    accepted.push_back(
        {{"kind", trial.technology_wide ? "technology" : "tile set"},
         {"technology", problem.technologies[static_cast<std::size_t>(trial.technology)].name},
         {"group", trial.technology_wide ? Json(nullptr) : Json(trial.group)},
         {"bottleneck_unit", trial.technology_wide ? Json(nullptr) : Json(trial.unit)},
         {"tiles_before", trial.converted_tiles},
         {"config", problem.options[static_cast<std::size_t>(trial.option)].label},
         {"tiles_after", trial.new_tiles},
         {"latency_cycles", trial.latency_cycles}});
  }
  if (result.exhaustive) {
    const opt::ExhaustiveCheck& check = *result.exhaustive;
    out["exhaustive"] = {
        {"assignments", check.assignments},
        {"feasible", check.feasible},
        {"best_layer_technologies", assignment_code(problem, check.best_assignment)},
        {"best", latency(check.best_latency_cycles, problem.chip.clock_ghz)},
        {"criteria_best", latency(check.criteria_best_latency_cycles, problem.chip.clock_ghz)},
        {"criteria_gap", rounded(static_cast<double>(check.criteria_best_latency_cycles) /
                                         static_cast<double>(check.best_latency_cycles) -
                                     1,
                                 6)},
        {"criteria_rank", check.rank_of_criteria_best}};
  }
  return out;
}

}  // namespace

Json report_json(const opt::Problem& problem, const opt::OptimizationResult& result,
                 const RunInfo& info) {
  const opt::DesignResult& chosen = result.designs.front();
  Json out;
  out["schema"] = "pimhls-report";
  out["version"] = kReportSchemaVersion;
  out["network"] = problem.network.name;
  out["model"] = info.model;
  out["hardware_library"] = info.hardware_library;
  Json techs = Json::array();
  for (const opt::Technology& tech : problem.technologies) techs.push_back(tech.name);
  out["technologies"] = techs;
  out["area_budget_mm2"] = rounded(result.area_budget_um2 * 1e-6);
  out["smallest_budget_mm2"] = rounded(result.smallest_budget_um2 * 1e-6);
  out["design"] = chosen.key;
  out["layer_technologies"] = technology_names(problem, chosen.design.layer_technology);
  out["latency"] = latency(chosen.evaluation.latency_cycles, problem.chip.clock_ghz);
  out["area"] = area(problem, chosen.evaluation, result.area_budget_um2);
  out["energy"] = energy(chosen.evaluation.energy);
  out["tiles"] = tiles_summary(problem, chosen.design);
  out["groups"] = group_rows(chosen);
  out["units"] = unit_rows(problem, chosen);
  out["search"] = search(problem, result);
  Json& designs = out["designs"] = Json::array();
  for (const opt::DesignResult& design : result.designs)
    designs.push_back(design_summary(problem, design, chosen));
  return out;
}

}  // namespace pimhls::report
