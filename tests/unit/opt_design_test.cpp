// Concrete designs: placement of layer groups on physical tiles, the tile sets of Fig. 4c and
// their area, the checks of evaluate(), and copies on mixed options.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "opt/allocation.h"
#include "opt/evaluate.h"
#include "opt/network_shapes.h"
#include "opt/placement.h"
#include "opt_test_problems.h"

namespace pimhls::opt {
namespace {

using testing::layer;
using testing::synthetic_problem;

// Two groups on 12 "fast" tiles (1024 weights each): {A: 10 tiles, heavy; B: 2 tiles, light}
// and {C: 2 tiles, heavy; D: 10 tiles, light}.
struct TwoGroups {
  Problem problem;
  Design design;
};

TwoGroups two_groups() {
  Network network;
  network.name = "two_groups";
  network.layers = {layer("A", 1024, 1, 10, 1000), layer("B", 1024, 1, 2, 10),
                    layer("C", 1024, 1, 2, 100000), layer("D", 1024, 1, 10, 10)};
  TwoGroups out{synthetic_problem(network), {}};
  const auto plan = plan_units(out.problem, {1, 1, 1, 1}, {0, 3}, {0, 12});
  REQUIRE(plan);
  Design skeleton = design_skeleton(*plan, {1, 1, 1, 1}, "two groups", 13000);
  UnitCosts costs(out.problem, skeleton.units);
  auto design = place_design(out.problem, costs, skeleton, {{0, 1}, {2, 3}},
                             uniform_layout({0, 3}, {0, 12}), Duplication::Disabled);
  REQUIRE(design);
  out.design = *design;
  return out;
}

TEST_CASE("tile sets: heavy units share the first tiles and the area counts physical tiles") {
  const auto [problem, design] = two_groups();
  // Heaviest first in each group: A [0,10) then B [10,12); C [0,2) then D [2,12).
  CHECK(design.groups[0].copies[0].front().first_tile == 0);
  CHECK(design.groups[0].copies[1].front().first_tile == 10);
  CHECK(design.groups[1].copies[0].front().first_tile == 0);  // C
  CHECK(design.groups[1].copies[1].front().first_tile == 2);  // D
  CHECK(design.groups[1].copies[1].front().tiles == 10);
  // Tile sets: cut at every unit boundary of every group: [0,2) [2,10) [10,12). Each serves
  // one unit per group (A/C, A/D, B/D).
  REQUIRE(design.tile_sets.size() == 3);
  CHECK(design.tile_sets[0].first_tile == 0);
  CHECK(design.tile_sets[0].tiles == 2);
  CHECK(design.tile_sets[1].tiles == 8);
  CHECK(design.tile_sets[2].tiles == 2);
  const Evaluation evaluation = evaluate(problem, design);
  // 12 physical tiles of 1000 um2 plus 500 um2 of buffer and controller. Sizing each sorted
  // position by its largest unit would need max(10, 2) + max(2, 10) = 20 tiles.
  CHECK(evaluation.area.tiles_per_technology == std::vector<std::int64_t>{0, 12});
  CHECK(evaluation.area.tiles_um2 == Approx(12000));
  CHECK(evaluation.area.total_um2 == Approx(12500));
  CHECK(evaluation.within_budget);
}

TEST_CASE("evaluate: the schedule of a two-group design, worked by hand") {
  const auto [problem, design] = two_groups();
  const Evaluation e = evaluate(problem, design);
  // Synthetic costs (opt_test_problems.h), fast option: 1024 rows -> 16 row blocks x 2 cycles
  // = 32-cycle interval, depth 35. A: 1000 vectors -> 999 * 32 + 35 = 32003; B: 10 -> 323;
  // C: 100000 -> 3200003; D: 323. Lead 1: fill = depth = 35.
  // Group 0: reload = max(transfer 12 * 1024 * 8 bits / 256 = 384, write 256 * 2) + 2 = 514;
  // pipeline A 0..32003, B starts at 35, ends max(35 + 323, 32003 + 35) = 32038.
  REQUIRE(e.groups.size() == 2);
  CHECK(e.groups[0].reload_cycles == 514);
  CHECK(e.groups[0].compute_cycles == 32038);
  CHECK(e.units[1].start_cycle == 514 + 35);
  CHECK(e.units[1].end_cycle == 514 + 32038);
  // Group 1: C then D: 3200003 + 35 = 3200038, same reload.
  CHECK(e.groups[1].start_cycle == 514 + 32038);
  CHECK(e.groups[1].compute_cycles == 3200038);
  CHECK(e.latency_cycles == 2 * 514 + 32038 + 3200038);
  CHECK(e.groups[1].bottleneck_unit == 2);
}

TEST_CASE("evaluate rejects inconsistent designs") {
  const auto [problem, valid] = two_groups();
  Design design = valid;
  design.groups[0].copies[1].front().first_tile = 8;  // B overlaps A
  CHECK_THROWS_AS(evaluate(problem, design), std::logic_error);
  design = valid;
  design.groups[0].copies[1].front().tiles = 3;  // B needs 2 tiles
  CHECK_THROWS_AS(evaluate(problem, design), std::logic_error);
  design = valid;
  design.groups[1].copies[1].front().option = 4;  // D on tiles of another option
  CHECK_THROWS_AS(evaluate(problem, design), std::logic_error);
  design = valid;
  design.tile_sets = {{3, 0, 12}};  // one tile set serving A and B in group 0
  CHECK_THROWS_AS(evaluate(problem, design), std::logic_error);
  design = valid;
  design.groups.pop_back();  // units 2 and 3 never run
  CHECK_THROWS_AS(evaluate(problem, design), std::logic_error);
  design = valid;
  design.area_budget_um2 = 12000;  // 12,500 um2 do not fit
  CHECK_FALSE(evaluate(problem, design).within_budget);
}

TEST_CASE("copies on two options share the vectors in proportion to their speed") {
  auto [problem, design] = two_groups();
  // Give C (100,000 vectors, 32-cycle interval on option 3) a third copy on option 4 (64-cycle
  // interval, 0.7x area): layout 12 tiles of option 3 then 2 tiles of option 4.
  design.tile_sets.push_back({4, 12, 2});
  design.groups[1].copies[0].push_back({4, 12, 2});
  const Evaluation e = evaluate(problem, design);
  // In T cycles the option-3 copy finishes (T - 35) / 32 + 1 vectors, the option-4 copy
  // (T - 67) / 64 + 1. At T = 35 + 32k: k + 1 + (k - 1) / 2 + 1 >= 100000 first at k = 66666:
  // T = 2133347 (66667 + 33333); T - 1 gives 66666 + 33333.
  CHECK(e.units[2].copies == 2);
  CHECK(e.units[2].compute_cycles == 2133347);
  CHECK(e.area.tiles_per_technology[1] == 14);
  CHECK(e.area.tiles_um2 == Approx(12000 + 1400));
}

TEST_CASE("copies on another array size are reloaded again, on another readout they are not") {
  auto [problem, design] = two_groups();
  problem.chip.offchip_bits_per_cycle = 64;  // transfer-bound reloads
  // C's third copy on option 4 (same technology and array size as option 3, other readout).
  design.tile_sets.push_back({4, 12, 2});
  design.groups[1].copies[0].push_back({4, 12, 2});
  // Group 1 reloads C (2048 weights) and D (10240), 8 bits each: 98304 bits / 64 = 1536 cycles
  // (more than the 512 of the writes), + 2 for the last row.
  const Evaluation same_cells = evaluate(problem, design);
  CHECK(same_cells.groups[1].reload_cycles == 1538);
  // Option 4 with larger arrays: the copy holds other cells, a second stream of C's weights.
  problem.options[4].array_size = 128;
  const Evaluation other_cells = evaluate(problem, design);
  CHECK(other_cells.groups[1].reload_cycles == (98304 + 2048 * 8) / 64 + 2);
  CHECK(other_cells.energy.reload_pj - same_cells.energy.reload_pj == Approx(2048 * 8 * 20.0));
  CHECK(other_cells.groups[0].reload_cycles == same_cells.groups[0].reload_cycles);
}

TEST_CASE("property: scheduled designs measure what the scheduler computed") {
  // design_of() throws if evaluate() and the DP disagree; evaluate() checks the tile sets.
  int checked = 0;
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    const Problem problem = synthetic_problem(chain_network(3 + static_cast<int>(seed % 9), seed));
    std::vector<int> assignment(problem.network.layers.size());
    for (std::size_t l = 0; l < assignment.size(); ++l) assignment[l] = (l * seed) % 3 == 0;
    for (std::int64_t tiles : {8, 40, 400}) {
      const ScheduledCandidate scheduled =
          schedule_allocation(problem, assignment, {tiles, tiles}, Scheduler::Dp);
      if (!scheduled.feasible()) continue;
      const Design design = design_of(problem, scheduled, "property", 0, Duplication::Enabled);
      const Evaluation evaluation = evaluate(problem, design);
      CHECK(evaluation.latency_cycles == scheduled.schedule.latency_cycles);
      for (std::size_t t = 0; t < 2; ++t) CHECK(evaluation.area.tiles_per_technology[t] <= tiles);
      ++checked;
    }
  }
  CHECK(checked > 60);
}

}  // namespace
}  // namespace pimhls::opt
