#include "opt/tune.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <tuple>

#include "opt/allocation.h"
#include "opt/placement.h"
#include "opt/unit_flow.h"

namespace pimhls::opt {
namespace {

// The runs of one technology with tiles [first, end) (relative to the technology) replaced by
// `tiles` tiles of `option`; neighbours with the same option merge.
std::vector<Run> replace_range(const std::vector<Run>& runs, std::int64_t first, std::int64_t end,
                               int option, std::int64_t tiles) {
  std::vector<Run> out;
  const auto push = [&](int run_option, std::int64_t count) {
    if (count <= 0) return;
    if (!out.empty() && out.back().option == run_option)
      out.back().tiles += count;
    else
      out.push_back({run_option, count});
  };
  std::int64_t position = 0;
  bool inserted = false;
  for (const Run& run : runs) {
    const std::int64_t run_end = position + run.tiles;
    push(run.option, std::min(run_end, first) - position);  // part before the range
    if (!inserted && run_end > first) {
      push(option, tiles);
      inserted = true;
    }
    push(run.option, run_end - std::max(position, end));  // part after the range
    position = run_end;
  }
  if (!inserted) push(option, tiles);
  return out;
}

double range_area_um2(const Problem& problem, const std::vector<Run>& runs, std::int64_t first,
                      std::int64_t end) {
  double area = 0;
  std::int64_t position = 0;
  for (const Run& run : runs) {
    const std::int64_t overlap = std::min(end, position + run.tiles) - std::max(first, position);
    if (overlap > 0)
      area += static_cast<double>(overlap) *
              problem.options[static_cast<std::size_t>(run.option)].tile_area_um2;
    position += run.tiles;
  }
  return area;
}

std::int64_t tiles_within(double area_um2, const TileOption& option) {
  // A hair below the exact quotient so that rounding never pushes the area over the budget.
  return static_cast<std::int64_t>(std::floor(area_um2 * (1 - 1e-12) / option.tile_area_um2));
}

// A design reached by phase 1 and the trials that led to it.
struct BeamEntry {
  Design design;
  std::int64_t latency_cycles = 0;
  std::vector<std::size_t> path;  // indices into the trials
};

constexpr std::size_t kBeamWidth = 3;

// Phase 1: one option for all tiles of a technology, re-scheduled. The best kBeamWidth designs
// (the unchanged one included) go on to phase 2: the option that is best at once is not always
// the one that tunes best. Needs a uniform layout (one option per technology).
std::vector<BeamEntry> tune_technologies(const Problem& problem, const Design& scheduled,
                                         std::int64_t latency, std::vector<TuningTrial>& trials) {
  std::vector<BeamEntry> beam = {{scheduled, latency, {}}};
  for (int tech = 0; tech < problem.technology_count(); ++tech) {
    std::vector<BeamEntry> next = beam;
    for (const BeamEntry& entry : beam) {
      const Design& current = entry.design;
      const Layout layout = layout_of(problem, current);
      std::vector<int> options = baseline_options(problem);
      std::vector<std::int64_t> tiles(problem.technologies.size(), 0);
      bool uniform = true;
      for (std::size_t t = 0; t < layout.size(); ++t) {
        if (layout[t].size() > 1) uniform = false;
        if (layout[t].size() != 1) continue;
        options[t] = layout[t][0].option;
        tiles[t] = layout[t][0].tiles;
      }
      if (!uniform || tiles[static_cast<std::size_t>(tech)] == 0) continue;
      const Evaluation evaluation = evaluate(problem, current);
      const double slack = std::max(0.0, current.area_budget_um2 - evaluation.area.total_um2);
      const double area =
          evaluation.area.area_per_technology_um2[static_cast<std::size_t>(tech)] + slack;
      for (int option : problem.technologies[static_cast<std::size_t>(tech)].options) {
        if (option == options[static_cast<std::size_t>(tech)]) continue;
        TuningTrial trial;
        trial.technology_wide = true;
        trial.technology = tech;
        trial.group = trial.unit = -1;
        trial.tiles = trial.converted_tiles = tiles[static_cast<std::size_t>(tech)];
        trial.option = option;
        trial.new_tiles = tiles_within(area, problem.options[static_cast<std::size_t>(option)]);
        trial.latency_cycles = kInfeasible;
        std::vector<int> trial_options = options;
        trial_options[static_cast<std::size_t>(tech)] = option;
        std::vector<std::int64_t> trial_tiles = tiles;
        trial_tiles[static_cast<std::size_t>(tech)] = trial.new_tiles;
        const ScheduledCandidate rescheduled = schedule_allocation(
            problem, current.layer_technology, trial_tiles, Scheduler::Dp, trial_options);
        if (rescheduled.feasible()) {
          Design design = design_of(problem, rescheduled, current.name, current.area_budget_um2,
                                    Duplication::Enabled);
          const Evaluation measured = evaluate(problem, design);
          if (measured.within_budget) {
            trial.latency_cycles = measured.latency_cycles;
            std::vector<std::size_t> path = entry.path;
            path.push_back(trials.size());
            next.push_back({std::move(design), measured.latency_cycles, std::move(path)});
          }
        }
        trials.push_back(trial);
      }
    }
    std::stable_sort(next.begin(), next.end(), [](const BeamEntry& a, const BeamEntry& b) {
      return a.latency_cycles < b.latency_cycles;
    });
    if (next.size() > kBeamWidth) next.resize(kBeamWidth);
    beam = std::move(next);
  }
  return beam;
}

// Phase 2: bottleneck tile sets, groups fixed.
void tune_tile_sets(const Problem& problem, TuneResult& result) {
  const Design& scheduled = result.design;
  std::vector<GroupRange> ranges;
  for (const LayerGroup& group : scheduled.groups)
    ranges.push_back({group.first_unit, group.last_unit});
  UnitCosts costs(problem, scheduled.units);  // every trial keeps the units
  const UnitFlow flow = unit_flow(problem.network, scheduled.units);
  std::set<std::tuple<int, std::int64_t, std::int64_t>> tried;  // (technology, first, end)
  // Groups come by decreasing compute time, so the gains come first: stop after a few rounds
  // in a row without one.
  const std::size_t max_rounds = scheduled.units.size() + scheduled.groups.size();
  constexpr int kPatience = 8;
  int rounds_without_gain = 0;
  for (std::size_t round = 0; round < max_rounds && rounds_without_gain < kPatience; ++round) {
    const Design& current = result.design;
    const Evaluation evaluation = evaluate(problem, current, costs, flow);
    const Layout layout = layout_of(problem, current);
    // The most important untried bottleneck: groups by decreasing compute time.
    std::vector<std::size_t> order(current.groups.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return evaluation.groups[a].compute_cycles > evaluation.groups[b].compute_cycles;
    });
    int group = -1, unit = -1, tech = -1;
    std::int64_t first = 0, end = 0;
    for (std::size_t g : order) {
      const int u = evaluation.groups[g].bottleneck_unit;
      const std::vector<CopyPlacement>& copies =
          current.groups[g].copies[static_cast<std::size_t>(u - current.groups[g].first_unit)];
      const int t = current.unit_technology[static_cast<std::size_t>(u)];
      std::int64_t offset = 0;
      for (int before = 0; before < t; ++before)
        for (const Run& run : layout[static_cast<std::size_t>(before)]) offset += run.tiles;
      const std::int64_t f = copies.front().first_tile - offset;
      const std::int64_t e = copies.back().first_tile + copies.back().tiles - offset;
      if (tried.insert({t, f, e}).second) {
        group = static_cast<int>(g), unit = u, tech = t, first = f, end = e;
        break;
      }
    }
    if (group < 0) break;
    const std::vector<Run>& runs = layout[static_cast<std::size_t>(tech)];
    const double slack = std::max(0.0, current.area_budget_um2 - evaluation.area.total_um2);
    std::optional<Design> best;
    std::int64_t best_latency = result.latency_cycles;
    std::size_t best_trial = 0;
    // One trial: the first `converted` tiles of the range re-built with `option`.
    const auto attempt = [&](int option, std::int64_t converted) -> std::optional<Design> {
      TuningTrial trial;
      trial.technology = tech;
      trial.group = group;
      trial.unit = unit;
      trial.first_tile = first;
      trial.tiles = end - first;
      trial.converted_tiles = converted;
      trial.option = option;
      trial.latency_cycles = kInfeasible;
      const double area = range_area_um2(problem, runs, first, first + converted) + slack;
      trial.new_tiles = tiles_within(area, problem.options[static_cast<std::size_t>(option)]);
      std::optional<Design> candidate;
      if (trial.new_tiles > 0) {
        Layout trial_layout = layout;
        trial_layout[static_cast<std::size_t>(tech)] =
            replace_range(runs, first, first + converted, option, trial.new_tiles);
        candidate =
            place_design(problem, costs, current, ranges, trial_layout, Duplication::Enabled);
      }
      if (candidate) {
        const Evaluation measured = evaluate(problem, *candidate, costs, flow);
        if (!measured.within_budget)
          candidate.reset();
        else
          trial.latency_cycles = measured.latency_cycles;
      }
      if (candidate && trial.latency_cycles < best_latency) {
        best_latency = trial.latency_cycles;
        best = candidate;
        best_trial = result.trials.size();
      }
      result.trials.push_back(trial);
      return candidate;
    };
    const std::int64_t range = end - first;
    for (int option : problem.technologies[static_cast<std::size_t>(tech)].options) {
      std::vector<std::int64_t> parts;
      for (std::int64_t part = range; part >= 1 && parts.size() < 4; part /= 2)
        parts.push_back(part);
      bool whole_fits = true;
      for (std::int64_t part : parts) {
        const bool fits = attempt(option, part).has_value();
        if (part == range) whole_fits = fits;
      }
      if (whole_fits) continue;
      // The largest part that still leaves every group room (bisection on the converted tiles).
      std::int64_t low = 0, high = range;  // low fits (nothing converted), high does not
      while (high - low > 1) {
        const std::int64_t mid = low + (high - low) / 2;
        Layout probe = layout;
        const double area = range_area_um2(problem, runs, first, first + mid) + slack;
        const std::int64_t tiles =
            tiles_within(area, problem.options[static_cast<std::size_t>(option)]);
        probe[static_cast<std::size_t>(tech)] =
            replace_range(runs, first, first + mid, option, tiles);
        const bool fits =
            tiles > 0 &&
            place_design(problem, costs, current, ranges, probe, Duplication::Disabled).has_value();
        (fits ? low : high) = mid;
      }
      if (low > 0 && std::find(parts.begin(), parts.end(), low) == parts.end())
        attempt(option, low);
    }
    if (best) {
      result.trials[best_trial].accepted = true;
      result.design = std::move(*best);
      result.latency_cycles = best_latency;
      tried.clear();  // the layout changed: every range may be worth a new look
      rounds_without_gain = 0;
    } else {
      ++rounds_without_gain;
    }
  }
}

}  // namespace

TuneResult tune(const Problem& problem, const Design& scheduled) {
  const std::int64_t latency = evaluate(problem, scheduled).latency_cycles;
  std::vector<TuningTrial> trials;
  const std::vector<BeamEntry> beam = tune_technologies(problem, scheduled, latency, trials);
  // Phase 2 on every design of the beam; the fastest result wins (ties: the earlier entry).
  std::optional<TuneResult> best;
  std::vector<std::size_t> best_path;
  for (const BeamEntry& entry : beam) {
    TuneResult result{entry.design, entry.latency_cycles, {}};
    tune_tile_sets(problem, result);
    const std::size_t offset = trials.size();
    trials.insert(trials.end(), result.trials.begin(), result.trials.end());
    if (!best || result.latency_cycles < best->latency_cycles) {
      best = std::move(result);
      best_path = entry.path;
      for (std::size_t i = offset; i < trials.size(); ++i)
        if (trials[i].accepted) best_path.push_back(i);
    }
  }
  for (TuningTrial& trial : trials) trial.accepted = false;
  for (std::size_t index : best_path) trials[index].accepted = true;
  best->trials = std::move(trials);
  return std::move(*best);
}

}  // namespace pimhls::opt
