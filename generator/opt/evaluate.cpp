#include "opt/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

#include "cost/copy_run.h"
#include "opt/group_cost.h"
#include "opt/placement.h"
#include "opt/unit_flow.h"

namespace pimhls::opt {
namespace {

template <typename... Args>
[[noreturn]] void invalid(const Design& design, fmt::format_string<Args...> format,
                          Args&&... args) {
  throw std::logic_error(fmt::format("design '{}' is inconsistent: {}", design.name,
                                     fmt::format(format, std::forward<Args>(args)...)));
}

// Index of the tile set holding `tile`.
std::size_t tile_set_of(const Design& design, std::int64_t tile) {
  const auto it =
      std::upper_bound(design.tile_sets.begin(), design.tile_sets.end(), tile,
                       [](std::int64_t t, const TileSet& set) { return t < set.first_tile; });
  return static_cast<std::size_t>(it - design.tile_sets.begin()) - 1;
}

void check_tile_sets(const Problem& problem, const Design& design) {
  std::int64_t next = 0;
  int technology = 0;
  for (const TileSet& set : design.tile_sets) {
    if (set.option < 0 || set.option >= static_cast<int>(problem.options.size()))
      invalid(design, "tile set at tile {} has no option {}", set.first_tile, set.option);
    if (set.first_tile != next || set.tiles <= 0)
      invalid(design, "tile sets are not consecutive at tile {}", set.first_tile);
    const int tech = problem.options[static_cast<std::size_t>(set.option)].technology;
    if (tech < technology) invalid(design, "technologies are not in order at tile {}", next);
    technology = tech;
    next += set.tiles;
  }
}

// Checks one group's copies and returns, per unit, its copies counted per option.
std::vector<std::map<int, std::int64_t>> check_group(const Problem& problem, const Design& design,
                                                     UnitCosts& costs, const LayerGroup& group) {
  std::vector<std::map<int, std::int64_t>> per_option;
  std::vector<std::pair<std::int64_t, std::int64_t>> used;  // [first, end) of every copy
  std::map<std::size_t, int> tile_set_unit;
  for (int u = group.first_unit; u <= group.last_unit; ++u) {
    const std::vector<CopyPlacement>& copies =
        group.copies[static_cast<std::size_t>(u - group.first_unit)];
    if (copies.empty()) invalid(design, "unit {} has no copy", u);
    std::map<int, std::int64_t>& counts = per_option.emplace_back();
    for (const CopyPlacement& copy : copies) {
      if (problem.options[static_cast<std::size_t>(copy.option)].technology !=
          design.unit_technology[static_cast<std::size_t>(u)])
        invalid(design, "unit {} has a copy on another technology", u);
      if (copy.tiles != costs.get(u, copy.option).tiles || !costs.get(u, copy.option).feasible)
        invalid(design, "unit {} has a copy of {} tiles, needs {}", u, copy.tiles,
                costs.get(u, copy.option).tiles);
      if (copy.first_tile < 0 || copy.first_tile + copy.tiles > design.tile_count())
        invalid(design, "unit {} has a copy outside the chip", u);
      for (std::size_t s = tile_set_of(design, copy.first_tile);
           s < design.tile_sets.size() &&
           design.tile_sets[s].first_tile < copy.first_tile + copy.tiles;
           ++s) {
        if (design.tile_sets[s].option != copy.option)
          invalid(design, "unit {} has a copy on tiles of another option", u);
        const auto [it, inserted] = tile_set_unit.emplace(s, u);
        if (!inserted && it->second != u)
          invalid(design, "tile set {} serves units {} and {} in one group", s, it->second, u);
      }
      used.push_back({copy.first_tile, copy.first_tile + copy.tiles});
      ++counts[copy.option];
    }
  }
  std::sort(used.begin(), used.end());
  for (std::size_t i = 1; i < used.size(); ++i)
    if (used[i].first < used[i - 1].second)
      invalid(design, "tile {} is used twice in the group of units {}..{}", used[i].first,
              group.first_unit, group.last_unit);
  return per_option;
}

// The options of a unit's copies in order of first appearance: its copy classes, in the order
// compile/ gives their weight engines.
std::vector<int> placed_options(const std::vector<CopyPlacement>& copies) {
  std::vector<int> options;
  for (const CopyPlacement& copy : copies)
    if (std::find(options.begin(), options.end(), copy.option) == options.end())
      options.push_back(copy.option);
  return options;
}

// The engines of one unit (cost::CopyClass): its copies per option, in the order the options
// first appear among the copies (the compiler's configuration classes), sharing the vectors by
// cost::vector_slots.
std::vector<cost::CopyClass> copy_classes(UnitCosts& costs, int unit,
                                          const std::vector<CopyPlacement>& copies,
                                          const std::map<int, std::int64_t>& per_option) {
  const std::vector<int> options = placed_options(copies);
  std::vector<std::pair<std::int64_t, std::int64_t>> throughput;
  std::vector<cost::CopyClass> classes;
  for (int option : options) {
    const UnitCost& cost = costs.get(unit, option);
    const std::int64_t count = per_option.at(option);
    throughput.push_back({count, cost.interval_cycles});
    classes.push_back({count, cost.interval_cycles, cost.depth_cycles, {}});
  }
  const std::vector<cost::VectorSlots> slots =
      cost::vector_slots(costs.get(unit, options.front()).vectors, throughput);
  for (std::size_t k = 0; k < classes.size(); ++k) classes[k].slots = slots[k];
  return classes;
}

// The weight engine of each of copy_classes(): the lowest tile set of its copies (compile/).
std::vector<std::size_t> class_engines(const Design& design,
                                       const std::vector<CopyPlacement>& copies) {
  const std::vector<int> options = placed_options(copies);
  std::vector<std::size_t> engines(options.size(), design.tile_sets.size());
  for (const CopyPlacement& copy : copies) {
    const auto k = std::find(options.begin(), options.end(), copy.option) - options.begin();
    std::size_t& engine = engines[static_cast<std::size_t>(k)];
    engine = std::min(engine, tile_set_of(design, copy.first_tile));
  }
  return engines;
}

// The reload bits of a unit: its image once per stream, and a stream per run of its copies of
// one array geometry (technology, array size; copies that differ only in their readout hold the
// same cells) at an even tile distance, cut in tile order as compile/ cuts them.
std::int64_t unit_reload_bits(const Problem& problem, UnitCosts& costs, int unit,
                              const std::vector<CopyPlacement>& copies) {
  struct Copy {
    int technology, array_size;
    std::int64_t first_tile;
    int option;
  };
  std::vector<Copy> sorted;
  sorted.reserve(copies.size());
  for (const CopyPlacement& copy : copies) {
    const TileOption& tile = problem.options[static_cast<std::size_t>(copy.option)];
    sorted.push_back({tile.technology, tile.array_size, copy.first_tile, copy.option});
  }
  std::sort(sorted.begin(), sorted.end(), [](const Copy& a, const Copy& b) {
    return std::tie(a.technology, a.array_size, a.first_tile) <
           std::tie(b.technology, b.array_size, b.first_tile);
  });
  std::int64_t bits = 0;
  cost::CopyRun run;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const bool same_geometry = i > 0 && sorted[i].technology == sorted[i - 1].technology &&
                               sorted[i].array_size == sorted[i - 1].array_size;
    if (same_geometry && run.extend(sorted[i].first_tile)) continue;
    run = {sorted[i].first_tile};
    bits += costs.get(unit, sorted[i].option).reload_bits;
  }
  return bits;
}

}  // namespace

Evaluation evaluate(const Problem& problem, const Design& design, ConfigOverlap overlap) {
  UnitCosts costs(problem, design.units);
  return evaluate(problem, design, costs, unit_flow(problem.network, design.units), overlap);
}

Evaluation evaluate(const Problem& problem, const Design& design, UnitCosts& costs,
                    const UnitFlow& flow, ConfigOverlap overlap) {
  check_tile_sets(problem, design);
  const int units = static_cast<int>(design.units.size());
  int expected_first = 0;
  for (const LayerGroup& group : design.groups) {
    if (group.first_unit != expected_first || group.last_unit < group.first_unit ||
        group.copies.size() != static_cast<std::size_t>(group.last_unit - group.first_unit + 1))
      invalid(design, "groups do not cover the units in order at unit {}", expected_first);
    expected_first = group.last_unit + 1;
  }
  if (expected_first != units)
    invalid(design, "groups end at unit {} of {}", expected_first, units);

  const ChipModel& chip = problem.chip;
  const std::size_t technologies = problem.technologies.size();
  if (!flow.items.empty() && flow.unit_item.size() != design.units.size())
    invalid(design, "evaluated with the data flow of {} units", flow.unit_item.size());
  Evaluation out;
  out.units.resize(static_cast<std::size_t>(units));
  const bool resident = design.groups.size() == 1;
  std::int64_t clock = 0;
  // Per tile set: the cycles between its engine's next section and the barrier of the group
  // before (the engine's head start on top of the reload; 0 before the first group).
  std::vector<std::int64_t> engine_slack(design.tile_sets.size(), 0);
  // The same for the vector engines: each runs its node in one group and idles before it.
  std::int64_t vector_slack = 0;
  for (std::size_t g = 0; g < design.groups.size(); ++g) {
    const LayerGroup& group = design.groups[g];
    const std::vector<std::map<int, std::int64_t>> per_option =
        check_group(problem, design, costs, group);
    GroupTiming timing;
    timing.start_cycle = clock;
    timing.tiles_used.assign(technologies, 0);
    std::int64_t reload_bits = 0, slowest_write = 0, slowest_row = 0;
    std::vector<PipelineStage> stages;
    std::vector<std::vector<cost::CopyClass>> classes;  // per unit: its engines
    std::vector<std::vector<std::size_t>> engines;      // per unit: each class's tile set
    for (int u = group.first_unit; u <= group.last_unit; ++u) {
      UnitTiming& unit = out.units[static_cast<std::size_t>(u)];
      unit.group = static_cast<int>(g);
      MixedCopies copies;
      std::int64_t depth = 0;
      for (const auto& [option, count] :
           per_option[static_cast<std::size_t>(u - group.first_unit)]) {
        const UnitCost& cost = costs.get(u, option);
        copies.push_back({&cost, count});
        unit.copies += count;
        unit.tiles += count * cost.tiles;
        depth = std::max(depth, cost.depth_cycles);
        slowest_write = std::max(slowest_write, cost.write_cycles);
        slowest_row = std::max(slowest_row, cost.row_write_cycles);
        if (!resident) out.energy.reload_pj += static_cast<double>(count) * cost.write_energy_pj;
      }
      reload_bits += unit_reload_bits(problem, costs, u,
                                      group.copies[static_cast<std::size_t>(u - group.first_unit)]);
      const UnitCost& first_cost = *copies.front().first;
      unit.compute_cycles = mixed_cycles(copies, first_cost.vectors);
      unit.fill_cycles = mixed_cycles(
          copies, std::clamp<std::int64_t>(first_cost.lead_vectors, 1, first_cost.vectors));
      stages.push_back({unit.compute_cycles, unit.fill_cycles, depth});
      const std::vector<CopyPlacement>& placed =
          group.copies[static_cast<std::size_t>(u - group.first_unit)];
      classes.push_back(copy_classes(costs, u, placed,
                                     per_option[static_cast<std::size_t>(u - group.first_unit)]));
      engines.push_back(class_engines(design, placed));
      // Energy: each option's share of the vectors, in proportion to what its copies serve.
      double served_total = 0;
      std::vector<double> served;
      for (const auto& [cost, count] : copies) {
        served.push_back(static_cast<double>(
            count * std::min(vectors_within(*cost, unit.compute_cycles), cost->vectors)));
        served_total += served.back();
      }
      for (std::size_t i = 0; i < copies.size(); ++i)
        unit.compute_energy_pj += copies[i].first->compute_energy_pj * served[i] / served_total;
      out.energy.compute_pj += unit.compute_energy_pj;
      timing.tiles_used[static_cast<std::size_t>(
          design.unit_technology[static_cast<std::size_t>(u)])] += unit.tiles;
      if (unit.compute_cycles > timing.bottleneck_cycles || u == group.first_unit) {
        timing.bottleneck_cycles = unit.compute_cycles;
        timing.bottleneck_unit = u;
      }
    }
    timing.reload_bits = reload_bits;
    const std::int64_t load_cycles =
        reload_cycles_for(reload_bits, slowest_write, slowest_row, chip.offchip_bits_per_cycle);
    timing.reload_cycles = resident ? 0 : load_cycles;
    const std::int64_t lead = cost::config_lead_cycles(g == 0, load_cycles);
    for (std::size_t k = 0; k < classes.size(); ++k)
      for (std::size_t c = 0; c < classes[k].size(); ++c) {
        const std::int64_t slack =
            overlap == ConfigOverlap::Placed ? engine_slack[engines[k][c]] : 0;
        classes[k][c].ready = cost::engine_ready_cycle(classes[k][c].copies, lead + slack);
      }
    if (!resident)
      out.energy.reload_pj += static_cast<double>(reload_bits) * chip.offchip_energy_pj_per_bit;
    // The controller's issue cycles count with the compute (opt/group_cost.h).
    const std::int64_t control =
        (resident ? 0 : chip.reload_control_cycles) + (g == 0 ? chip.inference_control_cycles : 0);
    std::vector<StageTiming> pipeline;
    if (flow.items.empty()) {
      pipeline = pipeline_timing(stages);
      timing.compute_cycles = control + pipeline.back().finish_cycle;
    } else {
      std::vector<cost::StageTimes> unit_times;
      const std::int64_t vector_ready = cost::run_ready_cycle(
          cost::kVectorConfigCycles, lead + (overlap == ConfigOverlap::Placed ? vector_slack : 0));
      const cost::GroupTimeline timeline = group_timeline(flow, group.first_unit, group.last_unit,
                                                          classes, vector_ready, &unit_times);
      for (const cost::StageTimes& t : unit_times)
        pipeline.push_back({control + t.first_start, control + t.done});
      timing.compute_cycles = control + timeline.span;
      // An idle engine's section is SYNC DONE (DONE 1 cycle after START); a busy one's next
      // section starts the cycle after its DONE, which follows its own copies' last output.
      std::fill(engine_slack.begin(), engine_slack.end(), timeline.span - 2);
      vector_slack = timeline.span - 2;
      for (std::size_t k = 0; k < engines.size(); ++k)
        for (std::size_t c = 0; c < engines[k].size(); ++c)
          engine_slack[engines[k][c]] =
              timeline.span - (timeline.class_done[unit_times[k].first_class + c] + 1);
    }
    if (group.last_unit + 1 < units) {
      const std::int64_t live = design.live_bits_at_cut[static_cast<std::size_t>(group.last_unit)];
      timing.spill_cycles = spill_cycles_for(live, chip.buffer_bits, chip.offchip_bits_per_cycle);
      if (live > chip.buffer_bits)
        out.energy.spill_pj +=
            2.0 * static_cast<double>(live - chip.buffer_bits) * chip.offchip_energy_pj_per_bit;
    }
    const std::int64_t compute_start = clock + timing.reload_cycles;
    for (int u = group.first_unit; u <= group.last_unit; ++u) {
      UnitTiming& unit = out.units[static_cast<std::size_t>(u)];
      const StageTiming& stage = pipeline[static_cast<std::size_t>(u - group.first_unit)];
      unit.start_cycle = compute_start + stage.start_cycle;
      unit.end_cycle = compute_start + stage.finish_cycle;
    }
    timing.end_cycle = clock + timing.reload_cycles + timing.compute_cycles + timing.spill_cycles;
    clock = timing.end_cycle;
    out.groups.push_back(timing);
  }
  out.latency_cycles = clock;
  out.latency_us = static_cast<double>(clock) / chip.clock_ghz / 1000.0;

  // Area: every physical tile, plus the fixed part of the chip.
  AreaReport& area = out.area;
  area.tiles_per_technology.assign(technologies, 0);
  area.area_per_technology_um2.assign(technologies, 0);
  double leakage_mw = chip.fixed_leakage_mw;
  for (const TileSet& set : design.tile_sets) {
    const TileOption& option = problem.options[static_cast<std::size_t>(set.option)];
    const double tiles = static_cast<double>(set.tiles);
    area.tiles_um2 += tiles * option.tile_area_um2;
    area.tiles_per_technology[static_cast<std::size_t>(option.technology)] += set.tiles;
    area.area_per_technology_um2[static_cast<std::size_t>(option.technology)] +=
        tiles * option.tile_area_um2;
    if (static_cast<std::size_t>(set.option) < problem.tile_area_parts_um2.size()) {
      for (const auto& [part, um2] :
           problem.tile_area_parts_um2[static_cast<std::size_t>(set.option)]) {
        auto it = std::find_if(area.tile_parts_um2.begin(), area.tile_parts_um2.end(),
                               [&](const auto& entry) { return entry.first == part; });
        if (it == area.tile_parts_um2.end())
          area.tile_parts_um2.push_back({part, tiles * um2});
        else
          it->second += tiles * um2;
      }
    }
    if (static_cast<std::size_t>(set.option) < problem.tile_leakage_mw.size())
      leakage_mw += tiles * problem.tile_leakage_mw[static_cast<std::size_t>(set.option)];
  }
  area.global_buffer_um2 = chip.global_buffer_um2;
  area.controller_um2 = chip.controller_um2;
  area.total_um2 = area.tiles_um2 + chip.fixed_area_um2();
  out.within_budget =
      design.area_budget_um2 <= 0 || area.total_um2 <= design.area_budget_um2 * (1 + 1e-12);
  out.energy.leakage_pj = leakage_mw * static_cast<double>(clock) / chip.clock_ghz;  // mW x ns
  return out;
}

}  // namespace pimhls::opt
