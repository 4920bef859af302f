#include "opt/schedule.h"

#include <algorithm>

#include "util/error.h"

namespace pimhls::opt {
namespace {

// Whether one copy of every unit of first..last fits the tiles.
bool fits_single_copy(const ScheduleInput& input, int first, int last) {
  std::vector<std::int64_t> used(input.tiles_per_technology.size(), 0);
  for (int u = first; u <= last; ++u) {
    const auto tech = static_cast<std::size_t>(input.unit_technology[u]);
    used[tech] += input.units[u].tiles;
    if (used[tech] > input.tiles_per_technology[tech]) return false;
  }
  return true;
}

}  // namespace

std::int64_t schedule_latency(const ScheduleInput& input, const std::vector<GroupRange>& groups,
                              Duplication duplication) {
  std::int64_t total = 0;
  for (const GroupRange& group : groups) {
    const GroupCost cost = group_cost(input, group.first, group.last, duplication);
    if (!cost.feasible) return kInfeasible;
    total += cost.total();
  }
  return total;
}

Schedule schedule_dp(const ScheduleInput& input) {
  const int units = input.size();
  std::vector<std::int64_t> latency(static_cast<std::size_t>(units) + 1, kInfeasible);
  std::vector<int> group_start(static_cast<std::size_t>(units) + 1, -1);
  latency[0] = 0;
  std::vector<std::int64_t> used(input.tiles_per_technology.size());
  for (int i = 1; i <= units; ++i) {  // Lat_i: the best schedule of units 0..i-1
    std::fill(used.begin(), used.end(), 0);
    const std::int64_t spill = spill_cycles(input, i - 1);
    std::int64_t bottleneck = 0, bits = 0, slowest_write = 0, slowest_row = 0;
    // The compute of the last group p'..i-1 timed (p' > p) bounds that of p..i-1 from below:
    // units put in front only delay a group (its units wait for more producers, and their
    // copies can only drop), less the reload's issue cycles that a resident group skips and
    // the engines' configuration that p'..i-1 exposed (a bigger group loads longer).
    std::int64_t compute_at_least = 0;
    // The last group is p..i-1; growing it (p going down) only adds tiles, so stop at the
    // first p where one copy of each unit no longer fits.
    for (int p = i - 1; p >= 0; --p) {
      const UnitCost& unit = input.units[p];
      const auto tech = static_cast<std::size_t>(input.unit_technology[p]);
      used[tech] += unit.tiles;
      if (used[tech] > input.tiles_per_technology[tech]) break;
      bits += unit.reload_bits;
      slowest_write = std::max(slowest_write, unit.write_cycles);
      slowest_row = std::max(slowest_row, unit.row_write_cycles);
      if (latency[p] >= kInfeasible) continue;
      const std::int64_t reload =
          p == 0 && i == units
              ? 0
              : reload_cycles_for(bits, slowest_write, slowest_row, input.offchip_bits_per_cycle);
      // Lower bounds of the compute before computing it: the smaller group's bottleneck and
      // compute, then the bottleneck after duplication (Duplicate(Temp_group)); each skips the
      // rest when it cannot beat the best schedule so far. (A skipped p leaves `bottleneck`
      // a valid lower bound for the next.)
      const std::int64_t known = latency[p] + reload + spill;
      if (known + std::max({bottleneck, compute_at_least, unit.depth_cycles}) >= latency[i])
        continue;
      bottleneck = min_bottleneck(input, p, i - 1, bottleneck);
      if (known + std::max(bottleneck, compute_at_least) >= latency[i]) continue;
      const GroupPipeline pipeline = group_pipeline(input, p, i - 1, bottleneck);
      const std::int64_t compute = pipeline.compute_cycles;
      compute_at_least = compute - input.reload_control_cycles - pipeline.config_exposure_cycles;
      const std::int64_t candidate = known + compute;
      if (candidate < latency[i]) {  // Eq. (2)
        latency[i] = candidate;
        group_start[i] = p;
      }
    }
  }
  Schedule schedule;
  if (latency[units] >= kInfeasible) return schedule;
  schedule.latency_cycles = latency[units];
  for (int i = units; i > 0; i = group_start[i]) schedule.groups.push_back({group_start[i], i - 1});
  std::reverse(schedule.groups.begin(), schedule.groups.end());
  return schedule;
}

Schedule schedule_exhaustive(const ScheduleInput& input) {
  const int units = input.size();
  if (units > 24)
    fail("exhaustive grouping of {} units would take 2^{} partitions", units, units - 1);
  Schedule best;
  const std::uint32_t partitions = units == 0 ? 0 : 1u << (units - 1);
  for (std::uint32_t cuts = 0; cuts < partitions; ++cuts) {  // bit i: a cut after unit i
    std::vector<GroupRange> groups;
    int first = 0;
    for (int u = 0; u < units; ++u) {
      if (u == units - 1 || (cuts >> u & 1u)) {
        groups.push_back({first, u});
        first = u + 1;
      }
    }
    const std::int64_t latency = schedule_latency(input, groups);
    if (latency < best.latency_cycles) {
      best.latency_cycles = latency;
      best.groups = std::move(groups);
    }
  }
  return best;
}

Schedule schedule_greedy(const ScheduleInput& input, Duplication duplication) {
  Schedule schedule;
  const int units = input.size();
  for (int first = 0; first < units;) {
    if (!fits_single_copy(input, first, first)) return schedule;
    int last = first;
    while (last + 1 < units && fits_single_copy(input, first, last + 1)) ++last;
    schedule.groups.push_back({first, last});
    first = last + 1;
  }
  schedule.latency_cycles = schedule_latency(input, schedule.groups, duplication);
  return schedule;
}

}  // namespace pimhls::opt
