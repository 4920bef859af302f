#include "report/summary.h"

#include <fmt/format.h>

#include <cmath>

#include "opt/area.h"
#include "report/json_format.h"

namespace pimhls::report {
namespace {

std::string tiles_text(const opt::Problem& problem, const opt::Evaluation& evaluation) {
  std::string text;
  for (std::size_t t = 0; t < problem.technologies.size(); ++t) {
    if (evaluation.area.tiles_per_technology[t] == 0) continue;
    if (!text.empty()) text += " + ";
    text +=
        fmt::format("{} {}", evaluation.area.tiles_per_technology[t], problem.technologies[t].name);
  }
  return text;
}

// The sweep's columns: heterogeneous, then each technology, -SP then -S.
std::vector<std::string> sweep_keys(const opt::Problem& problem) {
  std::vector<std::string> keys = {"heterogeneous-SP", "heterogeneous-S"};
  for (const opt::Technology& tech : problem.technologies) {
    keys.push_back(tech.name + "-SP");
    keys.push_back(tech.name + "-S");
  }
  return keys;
}

}  // namespace

std::string gen_summary(const opt::Problem& problem, const opt::OptimizationResult& result) {
  const opt::DesignResult& chosen = result.designs.front();
  std::string out = fmt::format(
      "{}: {} weight layers under {:.3f} mm2; {} criteria candidates instead of {}^{} "
      "assignments; chosen: {} ({})\n",
      problem.network.name, problem.network.size(), result.area_budget_um2 * 1e-6,
      result.candidates.candidates.size(), problem.technology_count(), problem.network.size(),
      chosen.key, assignment_code(problem, chosen.design.layer_technology));
  out += fmt::format("{:<22} {:>12} {:>9} {:>10} {:>7} {:>10}  {}\n", "design", "latency us",
                     "area mm2", "energy uJ", "groups", "vs chosen", "tiles");
  for (const opt::DesignResult& design : result.designs) {
    const opt::Evaluation& e = design.evaluation;
    out += fmt::format("{:<22} {:>12.2f} {:>9.3f} {:>10.2f} {:>7} {:>9.2f}x  {}\n", design.key,
                       e.latency_us, e.area.total_um2 * 1e-6, e.energy.total_pj() * 1e-6,
                       design.design.groups.size(),
                       static_cast<double>(e.latency_cycles) /
                           static_cast<double>(chosen.evaluation.latency_cycles),
                       tiles_text(problem, e));
  }
  return out;
}

std::string sweep_table(const opt::Problem& problem, const opt::Sweep& sweep) {
  const std::vector<std::string> keys = sweep_keys(problem);
  std::string out =
      fmt::format("{}: latency (us) against area; smallest feasible budget {:.3f} mm2\n",
                  problem.network.name, opt::mm2_rounded_up(sweep.smallest_budget_um2));
  out += fmt::format("{:>9}", "area mm2");
  for (const std::string& key : keys) out += fmt::format(" {:>18}", key);
  out += "  heterogeneous layers\n";
  for (const opt::SweepPoint& point : sweep.points) {
    out += fmt::format("{:>9.3f}", point.area_budget_um2 * 1e-6);
    for (const std::string& key : keys) {
      const opt::SweepDesign* design = point.find(key);
      out += design ? fmt::format(" {:>18.2f}", design->latency_us) : fmt::format(" {:>18}", "-");
    }
    const opt::SweepDesign* chosen = point.find("heterogeneous-SP");
    out += fmt::format("  {}\n", chosen ? assignment_code(problem, chosen->layer_technology)
                                        : std::string("(too small)"));
  }
  return out;
}

std::string sweep_csv(const opt::Problem& problem, const opt::Sweep& sweep) {
  const std::vector<std::string> keys = sweep_keys(problem);
  std::string out = "area_mm2";
  for (const std::string& key : keys) out += fmt::format(",{}_us", key);
  out += ",heterogeneous_layers\n";
  for (const opt::SweepPoint& point : sweep.points) {
    out += fmt::format("{:.3f}", point.area_budget_um2 * 1e-6);
    for (const std::string& key : keys) {
      const opt::SweepDesign* design = point.find(key);
      out += design ? fmt::format(",{:.3f}", design->latency_us) : ",";
    }
    const opt::SweepDesign* chosen = point.find("heterogeneous-SP");
    out += fmt::format(",{}\n",
                       chosen ? assignment_code(problem, chosen->layer_technology) : std::string());
  }
  return out;
}

}  // namespace pimhls::report
