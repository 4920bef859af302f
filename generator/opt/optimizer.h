#pragma once
// The whole optimization of Sec. IV under an area budget, with the baselines measured in the
// same run:
//   1. criteria candidates (Eq. 1)                      opt/criteria.h
//   2. per candidate: split the budget between technologies, split layers, DP   opt/allocation.h
//   3. tuning of the best scheduled designs (and of the homogeneous ones)       opt/tune.h
// Designs reported (all measured by evaluate()):
//   heterogeneous-SP  the chosen design (best tuned candidate; never worse than a homogeneous one)
//   heterogeneous-S   the best candidate after scheduling only
//   heterogeneous-greedy  that candidate's assignment with greedy grouping and no duplication
//   <tech>-SP, <tech>-S, <tech>-greedy   homogeneous designs under the same budget
//   <tech>-baseline   homogeneous, all weights on chip, one copy each, at the area it needs
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "opt/criteria.h"
#include "opt/design.h"
#include "opt/evaluate.h"
#include "opt/tune.h"

namespace pimhls::opt {

struct OptimizerSettings {
  double area_budget_um2 = 0;
  int jobs = 1;
  int tuned_candidates = 3;  // best scheduled candidates that are tuned (plus the homogeneous)
  bool exhaustive_technology = false;  // also try all K^L assignments (small networks only)
  std::int64_t exhaustive_limit = 1 << 14;
};

struct CandidateResult {
  Candidate candidate;
  std::vector<std::int64_t> tiles;         // best split found, per technology
  std::int64_t latency_cycles = 0;         // after scheduling (-S); kInfeasible if none
  std::int64_t tuned_latency_cycles = -1;  // after tuning (-SP), -1 if not tuned
  int allocations_tried = 0;
  int groups = 0;
};

struct DesignResult {
  std::string key;  // "heterogeneous-SP", "rram-S", ...
  Design design;
  Evaluation evaluation;
};

struct ExhaustiveCheck {
  std::int64_t assignments = 0;
  std::int64_t feasible = 0;
  std::vector<int> best_assignment;
  std::int64_t best_latency_cycles = 0;  // true optimum over K^L assignments (-S)
  std::int64_t criteria_best_latency_cycles = 0;
  // Assignments at least as fast as the criteria's best (1 = the criteria found the optimum).
  std::int64_t rank_of_criteria_best = 0;
};

struct OptimizationResult {
  double area_budget_um2 = 0;
  double smallest_budget_um2 = 0;
  CandidateSet candidates;
  std::vector<CandidateResult> candidate_results;  // in candidates order
  int chosen_candidate = -1;
  std::vector<DesignResult> designs;       // designs[0] is the chosen one
  std::vector<TuningTrial> tuning_trials;  // how the chosen design was tuned
  std::optional<ExhaustiveCheck> exhaustive;

  const DesignResult* find(const std::string& key) const;
};

// The smallest budget for which some technology can run the network (one tile of it, every
// layer split to fit). Throws Error when even that is impossible.
double smallest_budget_um2(const Problem& problem);

// Throws Error when the budget is below smallest_budget_um2 (naming it).
OptimizationResult optimize(const Problem& problem, const OptimizerSettings& settings);

}  // namespace pimhls::opt
