#include "opt/optimizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "opt/allocation.h"
#include "opt/area.h"
#include "opt/parallel.h"
#include "opt/placement.h"
#include "util/error.h"

namespace pimhls::opt {
namespace {

DesignResult scheduled_design(const Problem& problem, const ScheduledCandidate& scheduled,
                              std::string key, double budget_um2, Duplication duplication) {
  Design design = design_of(problem, scheduled, key, budget_um2, duplication);
  Evaluation evaluation = evaluate(problem, design);
  return {std::move(key), std::move(design), std::move(evaluation)};
}

// All weights on chip at the area they need: one group, one copy of every layer.
std::optional<DesignResult> baseline_design(const Problem& problem, int tech) {
  const std::vector<int> assignment(problem.network.layers.size(), tech);
  std::vector<std::int64_t> tiles(problem.technologies.size(), 0);
  const int option = problem.technologies[static_cast<std::size_t>(tech)].baseline_option;
  for (int layer = 0; layer < problem.network.size(); ++layer) {
    const UnitCost& cost = problem.layer_cost(layer, option);
    if (!cost.feasible) return std::nullopt;
    tiles[static_cast<std::size_t>(tech)] += cost.tiles;
  }
  ScheduledCandidate scheduled;
  scheduled.layer_technology = assignment;
  scheduled.tiles = tiles;
  scheduled.options = baseline_options(problem);
  scheduled.plan = plan_units(problem, assignment, baseline_options(problem), tiles);
  if (!scheduled.plan) return std::nullopt;
  scheduled.schedule.groups = {{0, scheduled.plan->input.size() - 1}};
  scheduled.schedule.latency_cycles =
      schedule_latency(scheduled.plan->input, scheduled.schedule.groups, Duplication::Disabled);
  return scheduled_design(problem, scheduled,
                          problem.technologies[static_cast<std::size_t>(tech)].name + "-baseline",
                          0, Duplication::Disabled);
}

int homogeneous_candidate(const CandidateSet& set, int tech) {
  for (std::size_t c = 0; c < set.candidates.size(); ++c) {
    const std::vector<int>& assignment = set.candidates[c].layer_technology;
    if (std::all_of(assignment.begin(), assignment.end(), [&](int t) { return t == tech; }))
      return static_cast<int>(c);
  }
  return -1;
}

ExhaustiveCheck exhaustive_check(const Problem& problem, const OptimizerSettings& settings,
                                 std::int64_t criteria_best) {
  const int layers = problem.network.size();
  const int technologies = problem.technology_count();
  const double count = std::pow(static_cast<double>(technologies), layers);
  if (count > static_cast<double>(settings.exhaustive_limit))
    fail(
        "exhaustive technology assignment of {} layers over {} technologies is {:.3g} "
        "assignments (at most {} are allowed)",
        layers, technologies, count, settings.exhaustive_limit);
  ExhaustiveCheck check;
  check.assignments = static_cast<std::int64_t>(count);
  std::vector<std::int64_t> latency(static_cast<std::size_t>(check.assignments), kInfeasible);
  const auto assignment_of = [&](std::int64_t index) {
    std::vector<int> assignment(static_cast<std::size_t>(layers));
    for (int l = 0; l < layers; ++l, index /= technologies)
      assignment[static_cast<std::size_t>(l)] = static_cast<int>(index % technologies);
    return assignment;
  };
  parallel_for(static_cast<int>(check.assignments), settings.jobs, [&](int index) {
    const ScheduledCandidate scheduled =
        schedule_candidate(problem, assignment_of(index), settings.area_budget_um2, Scheduler::Dp);
    if (scheduled.feasible())
      latency[static_cast<std::size_t>(index)] = scheduled.schedule.latency_cycles;
  });
  check.best_latency_cycles = kInfeasible;
  for (std::int64_t i = 0; i < check.assignments; ++i) {
    const std::int64_t value = latency[static_cast<std::size_t>(i)];
    if (value < kInfeasible) ++check.feasible;
    if (value < check.best_latency_cycles) {
      check.best_latency_cycles = value;
      check.best_assignment = assignment_of(i);
    }
    if (value <= criteria_best) ++check.rank_of_criteria_best;
  }
  check.criteria_best_latency_cycles = criteria_best;
  return check;
}

}  // namespace

const DesignResult* OptimizationResult::find(const std::string& key) const {
  for (const DesignResult& result : designs)
    if (result.key == key) return &result;
  return nullptr;
}

double smallest_budget_um2(const Problem& problem) {
  double smallest = 0;
  for (int tech = 0; tech < problem.technology_count(); ++tech) {
    const std::vector<int> assignment(problem.network.layers.size(), tech);
    std::vector<std::int64_t> tiles(problem.technologies.size(), 0);
    tiles[static_cast<std::size_t>(tech)] = 1;
    if (!plan_units(problem, assignment, baseline_options(problem), tiles)) continue;
    const int option = problem.technologies[static_cast<std::size_t>(tech)].baseline_option;
    const double budget = problem.chip.fixed_area_um2() +
                          problem.options[static_cast<std::size_t>(option)].tile_area_um2;
    if (smallest == 0 || budget < smallest) smallest = budget;
  }
  if (smallest == 0)
    fail("no technology can hold the layers of '{}', even split into single channels",
         problem.network.name);
  return smallest;
}

OptimizationResult optimize(const Problem& problem, const OptimizerSettings& settings) {
  OptimizationResult result;
  result.area_budget_um2 = settings.area_budget_um2;
  result.smallest_budget_um2 = smallest_budget_um2(problem);
  if (settings.area_budget_um2 < result.smallest_budget_um2)
    fail(
        "an area of {:.3f} mm2 is too small for any design of '{}': the smallest feasible "
        "budget is {:.3f} mm2 (one tile plus {:.3f} mm2 of global buffer and controller)",
        settings.area_budget_um2 * 1e-6, problem.network.name,
        mm2_rounded_up(result.smallest_budget_um2), problem.chip.fixed_area_um2() * 1e-6);
  const double budget = settings.area_budget_um2;
  const int jobs = std::max(settings.jobs, 1);

  // 1. Criteria candidates; 2. each one scheduled under the budget (-S).
  result.candidates = criteria_candidates(problem_criteria(problem), problem.technology_count());
  const int count = static_cast<int>(result.candidates.candidates.size());
  std::vector<ScheduledCandidate> scheduled(static_cast<std::size_t>(count));
  parallel_for(count, jobs, [&](int c) {
    scheduled[static_cast<std::size_t>(c)] = schedule_candidate(
        problem, result.candidates.candidates[static_cast<std::size_t>(c)].layer_technology, budget,
        Scheduler::Dp);
  });
  std::vector<int> ranked;  // feasible candidates, fastest first
  for (int c = 0; c < count; ++c) {
    const ScheduledCandidate& s = scheduled[static_cast<std::size_t>(c)];
    CandidateResult row;
    row.candidate = result.candidates.candidates[static_cast<std::size_t>(c)];
    row.tiles = s.tiles;
    row.latency_cycles = s.feasible() ? s.schedule.latency_cycles : kInfeasible;
    row.allocations_tried = s.allocations_tried;
    row.groups = static_cast<int>(s.schedule.groups.size());
    result.candidate_results.push_back(row);
    if (s.feasible()) ranked.push_back(c);
  }
  if (ranked.empty())
    fail("no design of '{}' fits {:.3f} mm2", problem.network.name, budget * 1e-6);
  std::stable_sort(ranked.begin(), ranked.end(), [&](int a, int b) {
    return result.candidate_results[static_cast<std::size_t>(a)].latency_cycles <
           result.candidate_results[static_cast<std::size_t>(b)].latency_cycles;
  });

  // 3. Tuning of the best candidates and of every homogeneous one.
  std::vector<int> tuned;
  for (int c : ranked)
    if (static_cast<int>(tuned.size()) < std::max(settings.tuned_candidates, 1)) tuned.push_back(c);
  for (int tech = 0; tech < problem.technology_count(); ++tech) {
    const int c = homogeneous_candidate(result.candidates, tech);
    if (c >= 0 && scheduled[static_cast<std::size_t>(c)].feasible() &&
        std::find(tuned.begin(), tuned.end(), c) == tuned.end())
      tuned.push_back(c);
  }
  std::vector<DesignResult> s_designs(tuned.size());
  std::vector<TuneResult> tunings(tuned.size());
  parallel_for(static_cast<int>(tuned.size()), jobs, [&](int i) {
    const int c = tuned[static_cast<std::size_t>(i)];
    s_designs[static_cast<std::size_t>(i)] =
        scheduled_design(problem, scheduled[static_cast<std::size_t>(c)],
                         fmt::format("candidate {} -S", c), budget, Duplication::Enabled);
    tunings[static_cast<std::size_t>(i)] =
        tune(problem, s_designs[static_cast<std::size_t>(i)].design);
  });
  std::size_t chosen = 0;
  for (std::size_t i = 0; i < tuned.size(); ++i) {
    result.candidate_results[static_cast<std::size_t>(tuned[i])].tuned_latency_cycles =
        tunings[i].latency_cycles;
    const auto key = [&](std::size_t k) { return std::pair(tunings[k].latency_cycles, tuned[k]); };
    if (key(i) < key(chosen)) chosen = i;
  }
  result.chosen_candidate = tuned[chosen];
  result.tuning_trials = tunings[chosen].trials;
  const auto named = [&](const std::string& key, Design design) {
    design.name = key;
    Evaluation evaluation = evaluate(problem, design);
    return DesignResult{key, std::move(design), std::move(evaluation)};
  };
  result.designs.push_back(named("heterogeneous-SP", tunings[chosen].design));
  const int best_scheduled = ranked.front();
  const std::size_t best_index = static_cast<std::size_t>(
      std::find(tuned.begin(), tuned.end(), best_scheduled) - tuned.begin());
  result.designs.push_back(named("heterogeneous-S", s_designs[best_index].design));
  const auto greedy_design = [&](const std::vector<int>& assignment,
                                 const std::string& key) -> std::optional<DesignResult> {
    const ScheduledCandidate greedy =
        schedule_candidate(problem, assignment, budget, Scheduler::Greedy);
    if (!greedy.feasible()) return std::nullopt;
    return scheduled_design(problem, greedy, key, budget, Duplication::Disabled);
  };
  if (auto greedy =
          greedy_design(scheduled[static_cast<std::size_t>(best_scheduled)].layer_technology,
                        "heterogeneous-greedy"))
    result.designs.push_back(std::move(*greedy));

  // Homogeneous designs under the same budget, and the all-on-chip baselines.
  for (int tech = 0; tech < problem.technology_count(); ++tech) {
    const std::string& name = problem.technologies[static_cast<std::size_t>(tech)].name;
    const int c = homogeneous_candidate(result.candidates, tech);
    const auto it = std::find(tuned.begin(), tuned.end(), c);
    if (c >= 0 && it != tuned.end()) {
      const std::size_t i = static_cast<std::size_t>(it - tuned.begin());
      result.designs.push_back(named(name + "-SP", tunings[i].design));
      result.designs.push_back(named(name + "-S", s_designs[i].design));
      if (auto greedy = greedy_design(scheduled[static_cast<std::size_t>(c)].layer_technology,
                                      name + "-greedy"))
        result.designs.push_back(std::move(*greedy));
    }
    if (auto baseline = baseline_design(problem, tech))
      result.designs.push_back(std::move(*baseline));
  }
  if (settings.exhaustive_technology)
    result.exhaustive = exhaustive_check(
        problem, settings,
        result.candidate_results[static_cast<std::size_t>(best_scheduled)].latency_cycles);
  return result;
}

}  // namespace pimhls::opt
