#pragma once
// Latency against area: the whole optimization at each budget of a range (the paper's Fig. 6a),
// the budgets spread over threads; results by index, so they do not depend on the threads.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "opt/optimizer.h"

namespace pimhls::opt {

struct SweepDesign {
  std::string key;  // "heterogeneous-SP", "rram-S", ...
  std::int64_t latency_cycles = 0;
  double latency_us = 0;
  double area_um2 = 0;
  std::vector<int> layer_technology;
};

struct SweepPoint {
  double area_budget_um2 = 0;
  bool feasible = false;             // false: below the smallest feasible budget
  std::vector<SweepDesign> designs;  // the optimizer's designs except the baselines

  const SweepDesign* find(const std::string& key) const;
};

struct Sweep {
  double smallest_budget_um2 = 0;
  std::vector<SweepPoint> points;
};

// Throws Error when no budget of the range is feasible.
Sweep sweep_areas(const Problem& problem, const std::vector<double>& budgets_um2, int jobs);

}  // namespace pimhls::opt
