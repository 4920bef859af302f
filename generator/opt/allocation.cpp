#include "opt/allocation.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <stdexcept>

#include "opt/evaluate.h"
#include "opt/placement.h"

namespace pimhls::opt {
namespace {

constexpr std::int64_t kQuanta = 4096;  // the budget is split in 1/4096 steps at the finest

// All ways to write `total` as `parts` positive integers, in lexicographic order.
void compositions(int total, int parts, std::vector<int>& prefix,
                  std::vector<std::vector<int>>& out) {
  if (parts == 1) {
    prefix.push_back(total);
    out.push_back(prefix);
    prefix.pop_back();
    return;
  }
  for (int first = 1; first <= total - (parts - 1); ++first) {
    prefix.push_back(first);
    compositions(total - first, parts - 1, prefix, out);
    prefix.pop_back();
  }
}

}  // namespace

const char* scheduler_name(Scheduler scheduler) {
  switch (scheduler) {
    case Scheduler::Dp: return "dp";
    case Scheduler::Greedy: return "greedy";
    case Scheduler::GreedyDuplicate: return "greedy+duplication";
  }
  return "?";
}

std::vector<int> baseline_options(const Problem& problem) {
  std::vector<int> options;
  for (const Technology& tech : problem.technologies) options.push_back(tech.baseline_option);
  return options;
}

ScheduledCandidate schedule_allocation(const Problem& problem,
                                       const std::vector<int>& layer_technology,
                                       const std::vector<std::int64_t>& tiles, Scheduler scheduler,
                                       const std::vector<int>& options) {
  ScheduledCandidate result;
  result.layer_technology = layer_technology;
  result.tiles = tiles;
  result.options = options.empty() ? baseline_options(problem) : options;
  result.allocations_tried = 1;
  for (int tech : layer_technology)
    if (tiles[static_cast<std::size_t>(tech)] <= 0) return result;
  result.plan = plan_units(problem, layer_technology, result.options, tiles);
  if (!result.plan) return result;
  switch (scheduler) {
    case Scheduler::Dp: result.schedule = schedule_dp(result.plan->input); break;
    case Scheduler::Greedy:
      result.schedule = schedule_greedy(result.plan->input, Duplication::Disabled);
      break;
    case Scheduler::GreedyDuplicate:
      result.schedule = schedule_greedy(result.plan->input, Duplication::Enabled);
      break;
  }
  return result;
}

Design design_of(const Problem& problem, const ScheduledCandidate& scheduled, std::string name,
                 double area_budget_um2, Duplication duplication) {
  Design skeleton =
      design_skeleton(*scheduled.plan, scheduled.layer_technology, name, area_budget_um2);
  UnitCosts costs(problem, skeleton.units);
  std::optional<Design> design =
      place_design(problem, costs, std::move(skeleton), scheduled.schedule.groups,
                   uniform_layout(scheduled.options, scheduled.tiles), duplication);
  if (!design) throw std::logic_error(name + ": the scheduled groups do not fit their tiles");
  const std::int64_t measured = evaluate(problem, *design, ConfigOverlap::Scheduled).latency_cycles;
  if (measured != scheduled.schedule.latency_cycles)
    throw std::logic_error(fmt::format("{}: measured {} cycles, the scheduler computed {}", name,
                                       measured, scheduled.schedule.latency_cycles));
  return *design;
}

ScheduledCandidate schedule_candidate(const Problem& problem,
                                      const std::vector<int>& layer_technology,
                                      double area_budget_um2, Scheduler scheduler) {
  const std::size_t technologies = problem.technologies.size();
  std::vector<int> used;  // technologies the assignment uses, in problem order
  for (std::size_t t = 0; t < technologies; ++t)
    for (int tech : layer_technology)
      if (tech == static_cast<int>(t)) {
        used.push_back(static_cast<int>(t));
        break;
      }
  const double tiles_area = area_budget_um2 - problem.chip.fixed_area_um2();
  const auto tiles_for = [&](const std::vector<std::int64_t>& shares) {
    std::vector<std::int64_t> tiles(technologies, 0);
    for (std::size_t i = 0; i < used.size(); ++i) {
      const Technology& tech = problem.technologies[static_cast<std::size_t>(used[i])];
      const double area = tiles_area * static_cast<double>(shares[i]) / kQuanta;
      // The tolerance keeps a budget of exactly n tiles at n despite binary floating point.
      tiles[static_cast<std::size_t>(used[i])] = static_cast<std::int64_t>(std::floor(
          area / problem.options[static_cast<std::size_t>(tech.baseline_option)].tile_area_um2 *
          (1 + 1e-12)));
    }
    return tiles;
  };
  std::map<std::vector<std::int64_t>, std::int64_t> tried;  // tiles -> latency
  ScheduledCandidate best;
  best.layer_technology = layer_technology;
  const auto try_shares = [&](const std::vector<std::int64_t>& shares) {
    const std::vector<std::int64_t> tiles = tiles_for(shares);
    if (const auto it = tried.find(tiles); it != tried.end()) return it->second;
    ScheduledCandidate candidate = schedule_allocation(problem, layer_technology, tiles, scheduler);
    const std::int64_t latency =
        candidate.feasible() ? candidate.schedule.latency_cycles : kInfeasible;
    tried.emplace(tiles, latency);
    if (latency < best.schedule.latency_cycles) best = std::move(candidate);
    return latency;
  };
  if (tiles_area <= 0 || used.empty()) return best;
  if (used.size() == 1) {
    try_shares({kQuanta});
  } else {
    // Grid over the shares, then refine around the best point.
    const int grid = used.size() == 2 ? 16 : used.size() == 3 ? 6 : 4;
    std::vector<std::vector<int>> points;
    std::vector<int> prefix;
    compositions(grid, static_cast<int>(used.size()), prefix, points);
    std::vector<std::int64_t> best_shares;
    std::int64_t best_latency = kInfeasible;
    for (const std::vector<int>& point : points) {
      std::vector<std::int64_t> shares;
      for (int part : point) shares.push_back(part * kQuanta / grid);
      const std::int64_t latency = try_shares(shares);
      if (latency < best_latency || best_shares.empty()) {
        best_latency = latency;
        best_shares = shares;
      }
    }
    for (std::int64_t step = kQuanta / (2 * grid); step >= 1;) {
      bool improved = false;
      for (std::size_t from = 0; from < used.size() && !improved; ++from)
        for (std::size_t to = 0; to < used.size() && !improved; ++to) {
          if (from == to || best_shares[from] <= step) continue;
          std::vector<std::int64_t> shares = best_shares;
          shares[from] -= step;
          shares[to] += step;
          const std::int64_t latency = try_shares(shares);
          if (latency < best_latency) {
            best_latency = latency;
            best_shares = shares;
            improved = true;
          }
        }
      if (!improved) step /= 2;
    }
  }
  best.allocations_tried = static_cast<int>(tried.size());
  return best;
}

}  // namespace pimhls::opt
