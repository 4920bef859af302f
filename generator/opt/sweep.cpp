#include "opt/sweep.h"

#include "opt/area.h"
#include "opt/parallel.h"
#include "util/error.h"

namespace pimhls::opt {

const SweepDesign* SweepPoint::find(const std::string& key) const {
  for (const SweepDesign& design : designs)
    if (design.key == key) return &design;
  return nullptr;
}

Sweep sweep_areas(const Problem& problem, const std::vector<double>& budgets_um2, int jobs) {
  Sweep sweep;
  sweep.smallest_budget_um2 = smallest_budget_um2(problem);
  sweep.points.resize(budgets_um2.size());
  parallel_for(static_cast<int>(budgets_um2.size()), jobs, [&](int i) {
    SweepPoint& point = sweep.points[static_cast<std::size_t>(i)];
    point.area_budget_um2 = budgets_um2[static_cast<std::size_t>(i)];
    if (point.area_budget_um2 < sweep.smallest_budget_um2) return;
    OptimizerSettings settings;
    settings.area_budget_um2 = point.area_budget_um2;
    const OptimizationResult result = optimize(problem, settings);
    point.feasible = true;
    for (const DesignResult& design : result.designs) {
      if (design.design.area_budget_um2 <= 0) continue;  // the all-on-chip baselines
      point.designs.push_back({design.key, design.evaluation.latency_cycles,
                               design.evaluation.latency_us, design.evaluation.area.total_um2,
                               design.design.layer_technology});
    }
  });
  bool any = false;
  for (const SweepPoint& point : sweep.points) any = any || point.feasible;
  if (!any)
    fail("no area of the sweep fits a design of '{}': the smallest feasible budget is {:.3f} mm2",
         problem.network.name, mm2_rounded_up(sweep.smallest_budget_um2));
  return sweep;
}

}  // namespace pimhls::opt
