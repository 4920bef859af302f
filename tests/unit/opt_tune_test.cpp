// Parameter tuning (Sec. IV-C): never slower, never over the budget, and it finds the better
// option when there is one.
#include <catch2/catch.hpp>

#include "opt/allocation.h"
#include "opt/evaluate.h"
#include "opt/network_shapes.h"
#include "opt/tune.h"
#include "opt_test_problems.h"

namespace pimhls::opt {
namespace {

using testing::layer;
using testing::synthetic_problem;

TEST_CASE("a faster option per area is found for a compute-bound design") {
  // Two dense layers with many vectors and few weights: compute-bound, resident on chip.
  Network network;
  network.name = "compute_bound";
  network.layers = {layer("a", 64, 9, 64, 4096), layer("b", 64, 9, 64, 4096)};
  network.tensors = {{"a_out", 0, 1, 64 * 4096 * 8}};
  const Problem problem = synthetic_problem(network, {0});
  // Each layer: 576 rows (9 blocks of 64), 36,864 weights. Option 0: 9 tiles, interval 144;
  // option 1: 9 tiles, interval 72, 1.4x the area; option 2: 18 tiles, interval 72, 0.8x.
  // Baseline, 40 tiles: both layers resident with 2 copies each (36 tiles): a finishes at
  // 2047 * 144 + 147 = 294915 and b one depth later: 295062 cycles.
  const ScheduledCandidate scheduled = schedule_allocation(problem, {0, 0}, {40}, Scheduler::Dp);
  REQUIRE(scheduled.feasible());
  CHECK(scheduled.schedule.latency_cycles == 295062);
  const Design design =
      design_of(problem, scheduled, "dense-S", 40 * 1000 + 500, Duplication::Enabled);
  const TuneResult tuned = tune(problem, design);
  // Option 1 from the same 40,000 um2: 28 tiles. Resident, one layer keeps a single copy
  // (295062 again), but two groups of 3 copies each take 1365 * 72 + 75 = 98355 cycles per
  // group, plus reloads (max(1152, 512) + 2 = 1154 each) and the round trip of a's 2 Mb output
  // (2 * ceil((2097152 - 65536) / 256) = 15876): 214894.
  CHECK(tuned.latency_cycles <= 214894);
  const Evaluation e = evaluate(problem, tuned.design);
  CHECK(e.latency_cycles == tuned.latency_cycles);
  CHECK(e.within_budget);
  bool accepted_option_1 = false;
  for (const TuningTrial& trial : tuned.trials)
    if (trial.accepted && trial.technology_wide && trial.option == 1 && trial.new_tiles == 28)
      accepted_option_1 = true;
  CHECK(accepted_option_1);
}

TEST_CASE("property: tuning is never slower and never over the budget") {
  int improved = 0, tile_set_trials = 0, designs = 0;
  for (std::uint32_t seed = 1; seed <= 25; ++seed) {
    const Problem problem = synthetic_problem(chain_network(3 + static_cast<int>(seed % 7), seed));
    std::vector<int> assignment(problem.network.layers.size());
    for (std::size_t l = 0; l < assignment.size(); ++l) assignment[l] = (l + seed) % 2;
    for (std::int64_t tiles : {30, 300}) {
      const ScheduledCandidate scheduled =
          schedule_allocation(problem, assignment, {tiles, tiles}, Scheduler::Dp);
      if (!scheduled.feasible()) continue;
      const double budget = static_cast<double>(tiles) * (1000 + 1000) + 500 + 300;
      const Design design = design_of(problem, scheduled, "S", budget, Duplication::Enabled);
      const TuneResult tuned = tune(problem, design);
      const Evaluation e = evaluate(problem, tuned.design);
      CHECK(e.latency_cycles == tuned.latency_cycles);
      CHECK(tuned.latency_cycles <= scheduled.schedule.latency_cycles);
      CHECK(e.within_budget);
      if (tuned.latency_cycles < scheduled.schedule.latency_cycles) ++improved;
      for (const TuningTrial& trial : tuned.trials) tile_set_trials += !trial.technology_wide;
      ++designs;
    }
  }
  CHECK(designs > 30);
  CHECK(improved > 0);
  CHECK(tile_set_trials > 0);
}

}  // namespace
}  // namespace pimhls::opt
