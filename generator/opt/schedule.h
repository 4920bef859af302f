#pragma once
// Run-time weight scheduling (Sec. IV-B): partition the units, in topological order, into
// contiguous layer groups that run one after another on the same tiles.
//   schedule_dp          Alg. 1 / Eq. (2): Lat_i = min_p Lat_p + F(p+1..i), O(L^2) groups
//   schedule_exhaustive  every one of the 2^(L-1) partitions (the proof of the DP, small L)
//   schedule_greedy      the straightforward method: as many units as fit, then a new group
// All three use the same F (group_cost), so their latencies are directly comparable.
#include <cstdint>
#include <vector>

#include "opt/group_cost.h"

namespace pimhls::opt {

struct GroupRange {
  int first = 0;  // units first..last, inclusive
  int last = 0;

  friend bool operator==(const GroupRange&, const GroupRange&) = default;
};

struct Schedule {
  std::vector<GroupRange> groups;
  std::int64_t latency_cycles = kInfeasible;

  bool feasible() const { return latency_cycles < kInfeasible; }
};

Schedule schedule_dp(const ScheduleInput& input);
Schedule schedule_exhaustive(const ScheduleInput& input);
Schedule schedule_greedy(const ScheduleInput& input, Duplication duplication);

// Sum of F over the given groups (kInfeasible if one does not fit).
std::int64_t schedule_latency(const ScheduleInput& input, const std::vector<GroupRange>& groups,
                              Duplication duplication = Duplication::Enabled);

}  // namespace pimhls::opt
