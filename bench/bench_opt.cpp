// Optimizer speed (pimhls gen without writing files): ResNet-18 <= 1 s, ResNet-50 <= 5 s, a
// synthetic 200-layer chain <= 10 s, peak memory < 500 MB, and how the run time grows with the
// number of layers L (25, 50, 100, 200). The targets are judged with --jobs threads (default:
// every hardware thread, as pimhls gen); the table also shows one thread, and the growth table
// is single-threaded.
// Run from the repository root:  build/bench/bench_opt [--runs N] [--jobs N] [--output FILE]
// Writes the report to bench/results/opt.txt (or FILE).
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "frontend/onnx_import.h"
#include "hw/library.h"
#include "opt/allocation.h"
#include "opt/cost_tables.h"
#include "opt/network_shapes.h"
#include "opt/optimizer.h"
#include "util/files.h"

using namespace pimhls;
using Clock = std::chrono::steady_clock;

namespace {

struct Timing {
  double median_s = 0, best_s = 0;
  opt::OptimizationResult result;
};

Timing time_optimize(const opt::Problem& problem, double budget_um2, int runs, int jobs) {
  std::vector<double> times;
  Timing timing;
  for (int r = 0; r < runs; ++r) {
    opt::OptimizerSettings settings;
    settings.area_budget_um2 = budget_um2;
    settings.jobs = jobs;
    const opt::Problem fresh = problem;  // a copy starts with an empty timing memo
    const auto start = Clock::now();
    timing.result = opt::optimize(fresh, settings);
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  timing.median_s = times[times.size() / 2];
  timing.best_s = times.front();
  return timing;
}

// The DP alone (Alg. 1 on one allocation), for its O(L^2) growth.
double time_dp(const opt::Problem& problem, std::int64_t tiles, int runs) {
  const std::vector<int> assignment(problem.network.layers.size(), 1);
  std::vector<std::int64_t> allocation(problem.technologies.size(), tiles);
  const auto plan =
      opt::plan_units(problem, assignment, opt::baseline_options(problem), allocation);
  std::vector<double> times;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    const opt::Schedule schedule = opt::schedule_dp(plan->input);
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    if (!schedule.feasible()) return -1;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Benchmark of the optimizer (pimhls gen)"};
  int runs = 5;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string output = "bench/results/opt.txt";
  app.add_option("--runs", runs, "runs per measurement (median reported)")->capture_default_str();
  app.add_option("--jobs", jobs, "optimizer threads")->capture_default_str();
  app.add_option("--output", output, "report file")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const hw::Library& library = hw::builtin_library();
  const double budget = 16e6;
  std::string report = fmt::format(
      "bench_opt: full optimization (criteria candidates, budget split, layer split, DP, tuning,\n"
      "baselines) at 16 mm2 with the built-in library, {} thread(s) (pimhls gen's default:\n"
      "every hardware thread), median of {} runs; '1 thread': the median on one thread\n\n",
      jobs, runs);
  report += fmt::format("{:<28} {:>6} {:>6} {:>11} {:>10} {:>10} {:>8}  {}\n", "network", "layers",
                        "cands", "median s", "best s", "1 thread", "target", "");
  const auto row = [&](const std::string& name, const opt::Problem& problem, double target_s) {
    const Timing t = time_optimize(problem, budget, runs, jobs);
    const Timing single = time_optimize(problem, budget, runs, 1);
    report +=
        fmt::format("{:<28} {:>6} {:>6} {:>11.4f} {:>10.4f} {:>10.4f} {:>7.0f}s  {}\n", name,
                    problem.network.size(), t.result.candidates.candidates.size(), t.median_s,
                    t.best_s, single.median_s, target_s, t.median_s <= target_s ? "met" : "MISSED");
    return t;
  };
  const std::filesystem::path resnet18_onnx = "examples/resnet18.onnx";
  if (std::filesystem::exists(resnet18_onnx))
    row("ResNet-18 (examples/*.onnx)",
        opt::make_problem(frontend::import_onnx(resnet18_onnx), library, {}), 1);
  row("ResNet-18 (shapes)", opt::make_problem(opt::resnet_network(18), library, {}), 1);
  row("ResNet-50 (shapes)", opt::make_problem(opt::resnet_network(50), library, {}), 5);
  row("chain of 200 convolutions", opt::make_problem(opt::chain_network(200, 1), library, {}), 10);

  report +=
      "\ngrowth with L (seeded chains of 3x3 convolutions + one Gemm; exponent = slope of\n"
      "log(time) between consecutive sizes; one thread):\n";
  report += fmt::format("{:>6} {:>12} {:>9} {:>12} {:>9} {:>14} {:>9}\n", "L", "optimize s",
                        "exponent", "DP 24 ms", "exponent", "DP W=L ms", "exponent");
  double previous_full = 0, previous_dp = 0, previous_wide = 0;
  int previous_layers = 0;
  for (int layers : {25, 50, 100, 200}) {
    const opt::Problem problem = opt::make_problem(opt::chain_network(layers, 1), library, {});
    const Timing t = time_optimize(problem, budget, runs, 1);
    const double dp = time_dp(problem, 24, runs);
    const double dp_wide = time_dp(problem, 1 << 20, runs);  // every group fits: W = L
    const auto exponent = [&](double now, double before) {
      return previous_layers == 0
                 ? std::string("-")
                 : fmt::format("{:.2f}",
                               std::log(now / before) /
                                   std::log(static_cast<double>(layers) / previous_layers));
    };
    report +=
        fmt::format("{:>6} {:>12.4f} {:>9} {:>12.3f} {:>9} {:>14.3f} {:>9}\n", layers + 1,
                    t.median_s, exponent(t.median_s, previous_full), dp * 1e3,
                    exponent(dp, previous_dp), dp_wide * 1e3, exponent(dp_wide, previous_wide));
    previous_full = t.median_s;
    previous_dp = dp;
    previous_wide = dp_wide;
    previous_layers = layers;
  }
  report +=
      "optimize: the whole run at 16 mm2 (about linear in L: the tile budget bounds the group\n"
      "width W). DP 24: Alg. 1 alone on 24 tiles per technology. DP W=L: Alg. 1 alone when every\n"
      "group fits, the worst case: O(L^2) evaluations of F, each O(group size x log cycles).\n";
  const long rss_kb = peak_rss_kb();
  report +=
      fmt::format("\npeak resident memory   {:.1f} MB (target < 500 MB: {})\n",
                  static_cast<double>(rss_kb) / 1024.0, rss_kb < 500 * 1024 ? "met" : "MISSED");
  fmt::print("{}", report);
  write_file_atomic(output, report);
  fmt::print("wrote {}\n", output);
  return 0;
}
