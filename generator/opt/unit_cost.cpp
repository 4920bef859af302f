#include "opt/unit_cost.h"

#include <algorithm>
#include <cmath>

namespace pimhls::opt {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

std::int64_t cycles_for(const UnitCost& cost, std::int64_t vectors, std::int64_t copies) {
  const std::int64_t per_copy = ceil_div(vectors, std::max<std::int64_t>(copies, 1));
  return (std::max<std::int64_t>(per_copy, 1) - 1) * cost.interval_cycles + cost.depth_cycles;
}

}  // namespace

std::int64_t compute_cycles(const UnitCost& cost, std::int64_t copies) {
  return cycles_for(cost, cost.vectors, copies);
}

std::int64_t fill_cycles(const UnitCost& cost, std::int64_t copies) {
  return cycles_for(cost, std::clamp<std::int64_t>(cost.lead_vectors, 1, cost.vectors), copies);
}

std::int64_t vectors_within(const UnitCost& cost, std::int64_t cycles) {
  if (cycles < cost.depth_cycles) return 0;
  return (cycles - cost.depth_cycles) / cost.interval_cycles + 1;
}

std::int64_t copies_for(const UnitCost& cost, std::int64_t target_cycles) {
  const std::int64_t vectors_per_copy = vectors_within(cost, target_cycles);
  if (vectors_per_copy <= 0) return 0;
  return ceil_div(cost.vectors, std::min(vectors_per_copy, cost.vectors));
}

std::int64_t mixed_cycles(const MixedCopies& copies, std::int64_t vectors) {
  if (copies.empty()) return 0;
  // The fastest single option alone is an upper bound; search down from it.
  std::int64_t high = 0;
  for (const auto& [cost, count] : copies) {
    const std::int64_t alone = cycles_for(*cost, vectors, count);
    high = high == 0 ? alone : std::min(high, alone);
  }
  const auto served = [&](std::int64_t cycles) {
    std::int64_t total = 0;
    for (const auto& [cost, count] : copies) total += count * vectors_within(*cost, cycles);
    return total;
  };
  std::int64_t low = 0;  // served(low) < vectors
  while (high - low > 1) {
    const std::int64_t mid = low + (high - low) / 2;
    (served(mid) >= vectors ? high : low) = mid;
  }
  return high;
}

std::int64_t transfer_cycles(std::int64_t bits, double offchip_bits_per_cycle) {
  if (bits <= 0) return 0;
  // The same rounding as cost/ (a hair below an exact quotient stays on it).
  return static_cast<std::int64_t>(
      std::ceil(static_cast<double>(bits) / offchip_bits_per_cycle - 1e-9));
}

std::vector<StageTiming> pipeline_timing(const std::vector<PipelineStage>& stages) {
  std::vector<StageTiming> timing;
  timing.reserve(stages.size());
  std::int64_t next_start = 0;
  for (const PipelineStage& stage : stages) {
    StageTiming t;
    t.start_cycle = next_start;
    t.finish_cycle = t.start_cycle + stage.compute_cycles;
    if (!timing.empty())
      t.finish_cycle = std::max(t.finish_cycle, timing.back().finish_cycle + stage.depth_cycles);
    next_start = t.start_cycle + stage.fill_cycles;
    timing.push_back(t);
  }
  return timing;
}

}  // namespace pimhls::opt
