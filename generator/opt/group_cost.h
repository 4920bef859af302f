#pragma once
// F(group) of Eq. (2): the latency of one layer group on the physical tiles of the chip.
//
//   F = reload + compute + spill
//   reload  = the group's weights through the off-chip port, overlapped with the array writes
//             (arrays write their rows in parallel), plus the last row write: cost::Reload for
//             a whole group. 0 when the group is the whole network: its weights stay on chip
//             from one inference to the next.
//   compute = pipelined execution (the paper's assumption), vector by vector
//             (cost::stream_timing through the plan's UnitFlow): a unit starts a vector when
//             the input pixels its window reads are out; the group ends when the last unit
//             and vector node have finished. The bottleneck unit sets the pace. Plus the
//             controller's issue cycles (reload_control_cycles before a reload,
//             inference_control_cycles once per inference), and the weight engines'
//             configuration where it outlasts the load (cost::config_lead_cycles). Without a flow
//             (synthetic problems), the analytic chain cost::extend_pipeline.
//   spill   = activations that must survive the cut after the group (the group's outputs and
//             residual branches that skip over it) beyond the global buffer make an off-chip
//             round trip (write + read back).
//
// Duplication (Alg. 1 line 12): the slowest unit gets one more copy while its technology has
// tiles left. Because the units' cycles are separable and monotone in their copies, this greedy
// reaches the smallest feasible bottleneck, which is what min_bottleneck() computes directly
// (binary search over the bottleneck); tests check both against each other.
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "cost/stream_timing.h"
#include "opt/unit_cost.h"

namespace pimhls::opt {

struct UnitFlow;  // opt/unit_flow.h

inline constexpr std::int64_t kInfeasible = std::numeric_limits<std::int64_t>::max() / 4;

// The scheduling problem of Alg. 1 once technologies are chosen and layers split: units in
// topological order, each on its technology's tile option, and how many (identical) tiles
// each technology has on the chip.
struct ScheduleInput {
  std::vector<UnitCost> units;
  std::vector<int> unit_technology;                // per unit
  std::vector<std::int64_t> tiles_per_technology;  // the physical tiles, shared by every group
  std::vector<std::int64_t> live_bits_at_cut;      // cut i lies between unit i and i + 1
  std::int64_t buffer_bits = 0;                    // global buffer for activations between groups
  double offchip_bits_per_cycle = 1;
  std::shared_ptr<const UnitFlow> flow;  // null: synthetic units in a chain
  std::int64_t reload_control_cycles = 0;
  std::int64_t inference_control_cycles = 0;

  int size() const { return static_cast<int>(units.size()); }
};

enum class Duplication { Enabled, Disabled };

struct GroupCost {
  bool feasible = false;
  std::int64_t reload_cycles = 0;
  std::int64_t compute_cycles = 0;
  std::int64_t spill_cycles = 0;
  std::int64_t bottleneck_cycles = 0;  // the slowest unit after duplication (max compute)
  std::vector<std::int64_t> copies;    // per unit of the group, in order

  std::int64_t total() const {
    return feasible ? reload_cycles + compute_cycles + spill_cycles : kInfeasible;
  }
};

// F of the group of units first..last (inclusive).
GroupCost group_cost(const ScheduleInput& input, int first, int last,
                     Duplication duplication = Duplication::Enabled);

// Reload of a group: max(transfer of its weight image, its slowest copy's writes) + one row
// write (the last data to arrive still has to be written).
std::int64_t reload_cycles_for(std::int64_t reload_bits, std::int64_t slowest_write_cycles,
                               std::int64_t slowest_row_write_cycles,
                               double offchip_bits_per_cycle);
// Round trip of the activations that do not fit the global buffer at a cut.
std::int64_t spill_cycles_for(std::int64_t live_bits, std::int64_t buffer_bits,
                              double offchip_bits_per_cycle);

// The components of F that do not depend on duplication.
std::int64_t reload_cycles(const ScheduleInput& input, int first, int last);
// The load of first..last's weights, counted or not (a resident group's is not).
std::int64_t load_cycles(const ScheduleInput& input, int first, int last);
std::int64_t spill_cycles(const ScheduleInput& input, int last);

// Smallest bottleneck (max over units of compute_cycles) reachable by duplicating units
// first..last within each technology's tiles; kInfeasible if one copy of each does not fit.
// `at_least` is a known lower bound (e.g. the bottleneck of a sub-group) that speeds it up.
std::int64_t min_bottleneck(const ScheduleInput& input, int first, int last,
                            std::int64_t at_least = 0);

// Copies per unit (first..last) that reach `bottleneck` with the fewest copies.
std::vector<std::int64_t> copies_for_bottleneck(const ScheduleInput& input, int first, int last,
                                                std::int64_t bottleneck);

// Pipelined compute time of units first..last with copies_for(bottleneck) copies each (with
// one copy each when `bottleneck` is kInfeasible), with the controller's issue cycles.
struct GroupPipeline {
  std::int64_t compute_cycles = 0;
  // The cycles the engines' configuration delays their first vector at most (a bigger group in
  // front loads longer and exposes less: schedule_dp's bounds subtract it). 0 without a flow:
  // the analytic chain does not count it.
  std::int64_t config_exposure_cycles = 0;
};
GroupPipeline group_pipeline(const ScheduleInput& input, int first, int last,
                             std::int64_t bottleneck);
std::int64_t pipeline_cycles(const ScheduleInput& input, int first, int last,
                             std::int64_t bottleneck);  // group_pipeline(...).compute_cycles

}  // namespace pimhls::opt
