#include "opt/placement.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace pimhls::opt {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

std::vector<std::int64_t> technology_offsets(const Layout& layout) {
  std::vector<std::int64_t> offsets;
  std::int64_t offset = 0;
  for (const std::vector<Run>& runs : layout) {
    offsets.push_back(offset);
    for (const Run& run : runs) offset += run.tiles;
  }
  return offsets;
}

// Places the group's units at bottleneck `target` (each unit gets copies, on consecutive tiles,
// until they finish its vectors within `target`). With duplication disabled every unit gets
// exactly one copy. Returns false if the tiles run out.
bool place_at(UnitCosts& costs, const Design& design, const Layout& layout,
              const std::vector<std::vector<int>>& order, std::int64_t target,
              Duplication duplication, std::vector<std::vector<CopyPlacement>>* out, int first) {
  const std::vector<std::int64_t> offsets = technology_offsets(layout);
  for (std::size_t tech = 0; tech < order.size(); ++tech) {
    const std::vector<Run>& runs = layout[tech];
    std::size_t run = 0;
    std::int64_t used = 0, run_start = offsets[tech];
    for (int unit : order[tech]) {
      std::int64_t remaining = design.units[static_cast<std::size_t>(unit)].shape.vectors;
      while (remaining > 0) {
        if (run >= runs.size()) return false;
        const UnitCost& cost = costs.get(unit, runs[run].option);
        const std::int64_t served = duplication == Duplication::Enabled
                                        ? std::min(vectors_within(cost, target), cost.vectors)
                                        : cost.vectors;
        if (!cost.feasible || served == 0 || cost.tiles > runs[run].tiles - used) {
          run_start += runs[run].tiles;  // too slow or too small here: try the next run
          ++run;
          used = 0;
          continue;
        }
        const std::int64_t room = (runs[run].tiles - used) / cost.tiles;
        const std::int64_t copies = std::min(ceil_div(remaining, served), room);
        for (std::int64_t c = 0; c < copies && out; ++c)
          (*out)[static_cast<std::size_t>(unit - first)].push_back(
              {runs[run].option, run_start + used + c * cost.tiles, cost.tiles});
        used += copies * cost.tiles;
        remaining -= copies * served;
      }
    }
  }
  return true;
}

}  // namespace

Layout uniform_layout(const std::vector<int>& option, const std::vector<std::int64_t>& tiles) {
  Layout layout(option.size());
  for (std::size_t t = 0; t < option.size(); ++t)
    if (tiles[t] > 0) layout[t].push_back({option[t], tiles[t]});
  return layout;
}

Layout layout_of(const Problem& problem, const Design& design) {
  Layout layout(problem.technologies.size());
  for (const TileSet& set : design.tile_sets) {
    std::vector<Run>& runs = layout[static_cast<std::size_t>(
        problem.options[static_cast<std::size_t>(set.option)].technology)];
    if (!runs.empty() && runs.back().option == set.option)
      runs.back().tiles += set.tiles;
    else
      runs.push_back({set.option, set.tiles});
  }
  return layout;
}

double layout_area_um2(const Problem& problem, const Layout& layout) {
  double area = 0;
  for (const std::vector<Run>& runs : layout)
    for (const Run& run : runs)
      area += static_cast<double>(run.tiles) *
              problem.options[static_cast<std::size_t>(run.option)].tile_area_um2;
  return area;
}

UnitCosts::UnitCosts(const Problem& problem, const std::vector<Unit>& units)
    : problem_(problem),
      units_(units),
      cache_(units.size(), std::vector<std::optional<UnitCost>>(problem.options.size())) {}

const UnitCost& UnitCosts::get(int unit, int option) {
  std::optional<UnitCost>& entry =
      cache_[static_cast<std::size_t>(unit)][static_cast<std::size_t>(option)];
  if (!entry) {
    const Unit& u = units_[static_cast<std::size_t>(unit)];
    entry =
        u.is_split() ? problem_.unit_cost(u.shape, option) : problem_.layer_cost(u.layer, option);
  }
  return *entry;
}

std::optional<std::vector<std::vector<CopyPlacement>>> place_group(
    const Problem& problem, UnitCosts& costs, const Design& design, const Layout& layout, int first,
    int last, Duplication duplication) {
  // Each technology's units, heaviest first (Sec. IV-C: sort the layers by computation).
  std::vector<std::vector<int>> order(problem.technologies.size());
  for (int u = first; u <= last; ++u)
    order[static_cast<std::size_t>(design.unit_technology[static_cast<std::size_t>(u)])].push_back(
        u);
  for (std::vector<int>& units : order)
    std::stable_sort(units.begin(), units.end(), [&](int a, int b) {
      return design.units[static_cast<std::size_t>(a)].shape.macs() >
             design.units[static_cast<std::size_t>(b)].shape.macs();
    });
  const auto record =
      [&](std::int64_t target,
          Duplication mode) -> std::optional<std::vector<std::vector<CopyPlacement>>> {
    std::vector<std::vector<CopyPlacement>> copies(static_cast<std::size_t>(last - first + 1));
    if (!place_at(costs, design, layout, order, target, mode, &copies, first)) return std::nullopt;
    return copies;
  };
  // One copy each: the starting point, and an upper bound on the bottleneck.
  std::optional<std::vector<std::vector<CopyPlacement>>> single =
      record(kInfeasible, Duplication::Disabled);
  if (!single || duplication == Duplication::Disabled) return single;
  std::int64_t high = 0;
  for (int u = first; u <= last; ++u) {
    const CopyPlacement& copy = (*single)[static_cast<std::size_t>(u - first)].front();
    high = std::max(high, compute_cycles(costs.get(u, copy.option), 1));
  }
  if (!place_at(costs, design, layout, order, high, duplication, nullptr, first)) return single;
  std::int64_t low = 0;  // infeasible: no unit finishes a vector in 0 cycles
  while (high - low > 1) {
    const std::int64_t mid = low + (high - low) / 2;
    (place_at(costs, design, layout, order, mid, duplication, nullptr, first) ? high : low) = mid;
  }
  return record(high, duplication);
}

std::optional<Design> place_design(const Problem& problem, UnitCosts& costs, Design design,
                                   const std::vector<GroupRange>& groups, const Layout& layout,
                                   Duplication duplication) {
  design.groups.clear();
  for (const GroupRange& range : groups) {
    auto copies = place_group(problem, costs, design, layout, range.first, range.last, duplication);
    if (!copies) return std::nullopt;
    design.groups.push_back({range.first, range.last, std::move(*copies)});
  }
  // Tile sets: cut every run wherever a unit's tiles begin or end in some group, so that each
  // tile set serves at most one unit per group (Fig. 4c).
  design.tile_sets.clear();
  const std::vector<std::int64_t> offsets = technology_offsets(layout);
  for (std::size_t tech = 0; tech < layout.size(); ++tech) {
    std::set<std::int64_t> cuts;
    std::int64_t position = offsets[tech];
    for (const Run& run : layout[tech]) {
      cuts.insert(position);
      position += run.tiles;
    }
    const std::int64_t end = position;
    for (const LayerGroup& group : design.groups)
      for (const std::vector<CopyPlacement>& unit_copies : group.copies) {
        if (unit_copies.empty() ||
            problem.options[static_cast<std::size_t>(unit_copies.front().option)].technology !=
                static_cast<int>(tech))
          continue;
        cuts.insert(unit_copies.front().first_tile);
        cuts.insert(unit_copies.back().first_tile + unit_copies.back().tiles);
      }
    cuts.insert(end);
    position = offsets[tech];
    std::size_t run = 0;
    std::int64_t run_end = layout[tech].empty() ? position : position + layout[tech][0].tiles;
    for (auto it = cuts.begin(); it != cuts.end() && std::next(it) != cuts.end(); ++it) {
      while (*it >= run_end) run_end += layout[tech][++run].tiles;
      design.tile_sets.push_back({layout[tech][run].option, *it, *std::next(it) - *it});
    }
  }
  return design;
}

Design design_skeleton(const UnitPlan& plan, const std::vector<int>& layer_technology,
                       std::string name, double area_budget_um2) {
  Design design;
  design.name = std::move(name);
  design.area_budget_um2 = area_budget_um2;
  design.layer_technology = layer_technology;
  design.units = plan.units;
  design.unit_technology = plan.input.unit_technology;
  design.live_bits_at_cut = plan.input.live_bits_at_cut;
  return design;
}

}  // namespace pimhls::opt
