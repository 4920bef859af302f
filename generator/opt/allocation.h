#pragma once
// The chip's tiles are physical: one set of tiles per technology is reused by every layer group,
// so the area budget is split between the technologies of a candidate before scheduling. The
// split is searched: a grid over the shares, then a local refinement that moves ever smaller
// slices of area between two technologies while the latency improves. Every point is a full
// schedule (split layers, then the DP or the greedy grouping) with each technology's tiles at
// its baseline option.
#include <cstdint>
#include <string>
#include <vector>

#include "opt/design.h"
#include "opt/schedule.h"
#include "opt/units.h"

namespace pimhls::opt {

enum class Scheduler {
  Dp,               // Alg. 1 (-S)
  Greedy,           // as many units as fit, one copy each: the naive schedule
  GreedyDuplicate,  // greedy groups, then duplication as in the DP's F
};
const char* scheduler_name(Scheduler scheduler);

struct ScheduledCandidate {
  std::vector<int> layer_technology;
  std::vector<std::int64_t> tiles;  // per technology
  std::vector<int> options;         // per technology: the option of all its tiles
  std::optional<UnitPlan> plan;
  Schedule schedule;
  int allocations_tried = 0;

  bool feasible() const { return plan && schedule.feasible(); }
};

// Options every technology uses before tuning.
std::vector<int> baseline_options(const Problem& problem);

// Schedules one technology assignment at one tile allocation (every technology's tiles at its
// baseline option, or at `options` when given).
ScheduledCandidate schedule_allocation(const Problem& problem,
                                       const std::vector<int>& layer_technology,
                                       const std::vector<std::int64_t>& tiles, Scheduler scheduler,
                                       const std::vector<int>& options = {});

// The design of a scheduled candidate: its groups placed on uniform tiles. Throws
// std::logic_error if the measured latency is not the scheduler's (they share F).
Design design_of(const Problem& problem, const ScheduledCandidate& scheduled, std::string name,
                 double area_budget_um2, Duplication duplication);

// Schedules one technology assignment under the budget, searching the split between its
// technologies.
ScheduledCandidate schedule_candidate(const Problem& problem,
                                      const std::vector<int>& layer_technology,
                                      double area_budget_um2, Scheduler scheduler);

}  // namespace pimhls::opt
