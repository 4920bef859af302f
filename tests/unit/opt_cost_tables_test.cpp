// The optimizer's tables against cost/ itself: the search must predict what the cost model
// says for the same layer, tile configuration and duplication.
#include <catch2/catch.hpp>
#include <filesystem>

#include "cost/cycles.h"
#include "cost/estimate.h"
#include "cost/layer_cost.h"
#include "cost/tile_config.h"
#include "frontend/onnx_import.h"
#include "hw/library.h"
#include "opt/allocation.h"
#include "opt/cost_tables.h"
#include "opt/evaluate.h"
#include "opt/group_cost.h"

namespace pimhls::opt {
namespace {

const std::filesystem::path kVgg8 = std::filesystem::path(PIMHLS_SOURCE_DIR) / "examples/vgg8.onnx";

cost::TileConfig config_of(const Problem& problem, const hw::Library& library, int option) {
  const TileOption& o = problem.options[static_cast<std::size_t>(option)];
  const int type = problem.technologies[static_cast<std::size_t>(o.technology)].tile_type;
  (void)library;
  return {type, o.array_size, o.array_size, o.adcs_per_array};
}

TEST_CASE("unit costs follow cost::evaluate_layer at any duplication") {
  REQUIRE(std::filesystem::exists(kVgg8));  // scripts/make_examples.py writes it
  const ir::Graph graph = frontend::import_onnx(kVgg8);
  const hw::Library& library = hw::builtin_library();
  const Problem problem = make_problem(graph, library, {});
  const std::vector<cost::LayerShape> shapes = cost::layer_shapes(graph);
  REQUIRE(problem.network.layers.size() == shapes.size());
  const int hop = library.chip.noc.hop_latency_cycles;
  int compared = 0;
  for (std::size_t l = 0; l < shapes.size(); ++l) {
    for (std::size_t option = 0; option < problem.options.size(); option += 3) {
      const UnitCost& unit = problem.layer_cost(static_cast<int>(l), static_cast<int>(option));
      const cost::TileConfig config = config_of(problem, library, static_cast<int>(option));
      const cost::LayerCost one = cost::evaluate_layer(shapes[l], library, config, 1);
      CHECK(unit.feasible == one.feasible());
      if (!unit.feasible) continue;
      CHECK(unit.tiles == one.mapping.tiles_per_copy);
      CHECK(unit.reload_bits == one.reload_bits);
      CHECK(unit.compute_energy_pj == Approx(one.energy.total_pj()));
      // A group of this layer alone reloads exactly as cost::Reload says.
      ScheduleInput input;
      input.units = {unit};
      input.unit_technology = {0};
      input.tiles_per_technology = {unit.tiles};
      input.live_bits_at_cut = {};
      input.offchip_bits_per_cycle = problem.chip.offchip_bits_per_cycle;
      CHECK(reload_cycles_for(unit.reload_bits, unit.write_cycles, unit.row_write_cycles,
                              input.offchip_bits_per_cycle) == one.reload.cycles);
      for (int copies : {1, 2, 3, 8}) {
        const cost::LayerCost dup = cost::evaluate_layer(shapes[l], library, config, copies);
        // The only difference: cost/ routes the NoC over all copies' tiles (ceil(sqrt(tiles))
        // hops), the optimizer keeps one copy's distance (opt/unit_cost.h).
        const std::int64_t extra_hops =
            cost::ceil_sqrt(dup.mapping.tiles) - cost::ceil_sqrt(one.mapping.tiles);
        CHECK(dup.timing.compute_cycles == compute_cycles(unit, copies) + extra_hops * hop);
        CHECK(dup.timing.fill_cycles == fill_cycles(unit, copies) + extra_hops * hop);
        ++compared;
      }
    }
  }
  CHECK(compared > 100);
}

TEST_CASE("an all-on-chip design measures what cost::estimate_homogeneous says") {
  REQUIRE(std::filesystem::exists(kVgg8));
  const ir::Graph graph = frontend::import_onnx(kVgg8);
  const hw::Library& library = hw::builtin_library();
  const Problem problem = make_problem(graph, library, {});
  std::vector<std::string> names;
  for (const Layer& layer : problem.network.layers) names.push_back(layer.name);
  for (int tech = 0; tech < problem.technology_count(); ++tech) {
    const int option = problem.technologies[static_cast<std::size_t>(tech)].baseline_option;
    const cost::DesignEstimate estimate =
        cost::estimate_homogeneous(cost::layer_shapes(graph), names, library,
                                   config_of(problem, library, option), &problem.network.streams);
    // The same design built by the optimizer: every layer on its own tiles, one group, one copy.
    const std::vector<int> assignment(names.size(), tech);
    std::vector<std::int64_t> tiles(problem.technologies.size(), 0);
    tiles[static_cast<std::size_t>(tech)] = estimate.tiles;
    ScheduledCandidate scheduled =
        schedule_allocation(problem, assignment, tiles, Scheduler::Greedy);
    REQUIRE(scheduled.feasible());
    REQUIRE(scheduled.schedule.groups.size() == 1);
    const Evaluation e =
        evaluate(problem, design_of(problem, scheduled, "baseline", 0, Duplication::Disabled));
    INFO(problem.technologies[static_cast<std::size_t>(tech)].name);
    CHECK(e.latency_cycles == estimate.latency_cycles);
    CHECK(e.area.total_um2 == Approx(estimate.area_um2));
    CHECK(e.energy.compute_pj == Approx(estimate.dynamic_energy.total_pj()));
    CHECK(e.energy.reload_pj == 0);  // resident weights are not reloaded per inference
  }
}

}  // namespace
}  // namespace pimhls::opt
