#include "opt/group_cost.h"

#include <algorithm>
#include <array>

#include "opt/unit_flow.h"
#include "util/error.h"

namespace pimhls::opt {
namespace {

constexpr std::size_t kMaxTechnologies = 8;

// Whether every unit of first..last brought to `bottleneck` fits its technology's tiles.
bool fits(const ScheduleInput& input, int first, int last, std::int64_t bottleneck) {
  std::array<std::int64_t, kMaxTechnologies> used{};
  for (int u = first; u <= last; ++u) {
    const UnitCost& cost = input.units[u];
    const std::int64_t copies = copies_for(cost, bottleneck);
    if (copies == 0) return false;
    const auto tech = static_cast<std::size_t>(input.unit_technology[u]);
    used[tech] += copies * cost.tiles;
    if (used[tech] > input.tiles_per_technology[tech]) return false;
  }
  return true;
}

}  // namespace

std::int64_t reload_cycles_for(std::int64_t reload_bits, std::int64_t slowest_write_cycles,
                               std::int64_t slowest_row_write_cycles,
                               double offchip_bits_per_cycle) {
  return std::max(transfer_cycles(reload_bits, offchip_bits_per_cycle), slowest_write_cycles) +
         slowest_row_write_cycles;
}

std::int64_t spill_cycles_for(std::int64_t live_bits, std::int64_t buffer_bits,
                              double offchip_bits_per_cycle) {
  const std::int64_t excess = live_bits - buffer_bits;
  return excess > 0 ? 2 * transfer_cycles(excess, offchip_bits_per_cycle) : 0;
}

std::int64_t reload_cycles(const ScheduleInput& input, int first, int last) {
  if (first == 0 && last == input.size() - 1) return 0;  // resident: loaded once, not per inference
  return load_cycles(input, first, last);
}

std::int64_t load_cycles(const ScheduleInput& input, int first, int last) {
  std::int64_t bits = 0, slowest_write = 0, slowest_row = 0;
  for (int u = first; u <= last; ++u) {
    bits += input.units[u].reload_bits;
    slowest_write = std::max(slowest_write, input.units[u].write_cycles);
    slowest_row = std::max(slowest_row, input.units[u].row_write_cycles);
  }
  return reload_cycles_for(bits, slowest_write, slowest_row, input.offchip_bits_per_cycle);
}

std::int64_t spill_cycles(const ScheduleInput& input, int last) {
  if (last >= input.size() - 1) return 0;
  return spill_cycles_for(input.live_bits_at_cut[last], input.buffer_bits,
                          input.offchip_bits_per_cycle);
}

std::int64_t min_bottleneck(const ScheduleInput& input, int first, int last,
                            std::int64_t at_least) {
  if (input.tiles_per_technology.size() > kMaxTechnologies)
    fail("at most {} technologies are supported", kMaxTechnologies);
  std::int64_t low = at_least, single_copy = 0;
  for (int u = first; u <= last; ++u) {
    low = std::max(low, input.units[u].depth_cycles);  // one vector per copy at best
    single_copy = std::max(single_copy, compute_cycles(input.units[u], 1));
  }
  if (!fits(input, first, last, single_copy)) return kInfeasible;
  if (low >= single_copy) return single_copy;
  if (fits(input, first, last, low)) return low;
  // Gallop up from the lower bound (the answer is usually close to it), then bisect.
  std::int64_t high = single_copy, step = std::max<std::int64_t>(1, low / 64);
  while (low + step < high) {
    if (fits(input, first, last, low + step)) {
      high = low + step;
      break;
    }
    low += step;
    step *= 2;
  }
  while (high - low > 1) {  // fits(high) && !fits(low)
    const std::int64_t mid = low + (high - low) / 2;
    (fits(input, first, last, mid) ? high : low) = mid;
  }
  return high;
}

std::vector<std::int64_t> copies_for_bottleneck(const ScheduleInput& input, int first, int last,
                                                std::int64_t bottleneck) {
  std::vector<std::int64_t> copies;
  for (int u = first; u <= last; ++u) copies.push_back(copies_for(input.units[u], bottleneck));
  return copies;
}

GroupPipeline group_pipeline(const ScheduleInput& input, int first, int last,
                             std::int64_t bottleneck) {
  const bool resident = first == 0 && last == input.size() - 1;
  const std::int64_t control = (resident ? 0 : input.reload_control_cycles) +
                               (first == 0 ? input.inference_control_cycles : 0);
  GroupPipeline pipeline;
  if (input.flow && !input.flow->items.empty()) {
    // Every engine configures as if it ran to the end of the group before (the placement is
    // not known yet: opt::ConfigOverlap::Scheduled).
    const std::int64_t lead = cost::config_lead_cycles(first == 0, load_cycles(input, first, last));
    std::vector<std::vector<cost::CopyClass>> classes;
    std::int64_t most_copies = 1;
    for (int u = first; u <= last; ++u) {
      const UnitCost& cost = input.units[u];
      const std::int64_t copies = bottleneck >= kInfeasible ? 1 : copies_for(cost, bottleneck);
      most_copies = std::max(most_copies, copies);
      classes.push_back({{copies,
                          cost.interval_cycles,
                          cost.depth_cycles,
                          {},
                          cost::engine_ready_cycle(copies, lead)}});
    }
    pipeline.compute_cycles =
        control + group_span(*input.flow, first, last, classes,
                             cost::run_ready_cycle(cost::kVectorConfigCycles, lead));
    pipeline.config_exposure_cycles = cost::engine_ready_cycle(most_copies, lead) - cost::kRunStart;
    return pipeline;
  }
  std::int64_t next_start = 0, finish = 0;
  for (int u = first; u <= last; ++u) {
    const UnitCost& cost = input.units[u];
    const std::int64_t copies = bottleneck >= kInfeasible ? 1 : copies_for(cost, bottleneck);
    const std::int64_t start = next_start;
    finish = std::max(start + compute_cycles(cost, copies),
                      u == first ? 0 : finish + cost.depth_cycles);  // cost::extend_pipeline
    next_start = start + fill_cycles(cost, copies);
  }
  pipeline.compute_cycles = control + finish;
  return pipeline;
}

std::int64_t pipeline_cycles(const ScheduleInput& input, int first, int last,
                             std::int64_t bottleneck) {
  return group_pipeline(input, first, last, bottleneck).compute_cycles;
}

GroupCost group_cost(const ScheduleInput& input, int first, int last, Duplication duplication) {
  GroupCost cost;
  std::int64_t single_copy = 0;
  for (int u = first; u <= last; ++u)
    single_copy = std::max(single_copy, compute_cycles(input.units[u], 1));
  const std::int64_t bottleneck =
      duplication == Duplication::Enabled
          ? min_bottleneck(input, first, last)
          : (fits(input, first, last, single_copy) ? single_copy : kInfeasible);
  if (bottleneck >= kInfeasible) return cost;
  cost.feasible = true;
  cost.bottleneck_cycles = bottleneck;
  if (duplication == Duplication::Enabled) {
    cost.copies = copies_for_bottleneck(input, first, last, bottleneck);
    cost.compute_cycles = pipeline_cycles(input, first, last, bottleneck);
  } else {
    cost.copies.assign(static_cast<std::size_t>(last - first + 1), 1);
    cost.compute_cycles = pipeline_cycles(input, first, last, kInfeasible);
  }
  cost.reload_cycles = reload_cycles(input, first, last);
  cost.spill_cycles = spill_cycles(input, last);
  return cost;
}

}  // namespace pimhls::opt
