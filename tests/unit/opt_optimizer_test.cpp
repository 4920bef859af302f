// The whole optimization: the chosen heterogeneous design is never worse than a homogeneous
// one, every design respects the budget, results do not depend on the number of threads, the
// smallest feasible budget is named, and the criteria are compared with all K^L assignments.
#include <catch2/catch.hpp>
#include <filesystem>

#include "frontend/onnx_import.h"
#include "hw/library.h"
#include "opt/cost_tables.h"
#include "opt/network_shapes.h"
#include "opt/optimizer.h"
#include "opt_test_problems.h"
#include "util/error.h"

namespace pimhls::opt {
namespace {

using testing::synthetic_problem;

std::int64_t latency(const OptimizationResult& result, const std::string& key) {
  const DesignResult* design = result.find(key);
  REQUIRE(design != nullptr);
  return design->evaluation.latency_cycles;
}

// The promises every optimization result keeps.
void check_result(const Problem& problem, const OptimizationResult& result) {
  REQUIRE(!result.designs.empty());
  CHECK(result.designs.front().key == "heterogeneous-SP");
  const std::int64_t hetero_sp = latency(result, "heterogeneous-SP");
  const std::int64_t hetero_s = latency(result, "heterogeneous-S");
  CHECK(hetero_sp <= hetero_s);
  for (const Technology& tech : problem.technologies) {
    if (!result.find(tech.name + "-S")) continue;
    CHECK(hetero_s <= latency(result, tech.name + "-S"));
    CHECK(hetero_sp <= latency(result, tech.name + "-SP"));
    CHECK(latency(result, tech.name + "-SP") <= latency(result, tech.name + "-S"));
  }
  for (const DesignResult& design : result.designs) {
    INFO(design.key);
    CHECK(design.evaluation.within_budget);
    if (design.key.ends_with("-baseline")) {
      CHECK(design.design.area_budget_um2 == 0);
      CHECK(design.design.groups.size() == 1);
    } else {
      CHECK(design.evaluation.area.total_um2 <= result.area_budget_um2);
    }
  }
  // The chosen candidate is the one whose tuned latency is the chosen design's.
  CHECK(result.candidate_results[static_cast<std::size_t>(result.chosen_candidate)]
            .tuned_latency_cycles == hetero_sp);
}

TEST_CASE("synthetic networks: promises at several budgets, for 1 and 2 threads") {
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    const Problem problem = synthetic_problem(chain_network(4 + static_cast<int>(seed), seed));
    for (double budget : {20000.0, 80000.0, 400000.0}) {
      OptimizerSettings settings;
      settings.area_budget_um2 = budget;
      const OptimizationResult one = optimize(problem, settings);
      check_result(problem, one);
      settings.jobs = 2;
      const OptimizationResult two = optimize(problem, settings);
      REQUIRE(one.designs.size() == two.designs.size());
      for (std::size_t d = 0; d < one.designs.size(); ++d) {
        CHECK(one.designs[d].key == two.designs[d].key);
        CHECK(one.designs[d].evaluation.latency_cycles == two.designs[d].evaluation.latency_cycles);
        CHECK(one.designs[d].design.layer_technology == two.designs[d].design.layer_technology);
      }
      CHECK(one.chosen_candidate == two.chosen_candidate);
    }
  }
}

TEST_CASE("a budget below the smallest feasible design names the smallest") {
  const Problem problem = synthetic_problem(chain_network(5, 3));
  // 500 um2 of buffer and controller plus one tile at a baseline option (1000 um2 for both;
  // the 700 um2 option is only reached by tuning).
  CHECK(smallest_budget_um2(problem) == Approx(1500));
  OptimizerSettings settings;
  settings.area_budget_um2 = 1400;
  CHECK_THROWS_WITH(optimize(problem, settings),
                    "an area of 0.001 mm2 is too small for any design of 'chain5': the smallest "
                    "feasible budget is 0.002 mm2 (one tile plus 0.001 mm2 of global buffer and "
                    "controller)");
  settings.area_budget_um2 = 1500;
  const OptimizationResult result = optimize(problem, settings);
  const std::vector<std::int64_t>& tiles =
      result.designs.front().evaluation.area.tiles_per_technology;
  CHECK(tiles[0] + tiles[1] == 1);
}

TEST_CASE("criteria candidates against every technology assignment (Fig. 3)") {
  const Problem problem = synthetic_problem(chain_network(6, 11));
  OptimizerSettings settings;
  settings.area_budget_um2 = 60000;
  settings.exhaustive_technology = true;
  const OptimizationResult result = optimize(problem, settings);
  REQUIRE(result.exhaustive);
  const ExhaustiveCheck& check = *result.exhaustive;
  CHECK(check.assignments == 128);  // 2^7: six convolutions and the Gemm
  CHECK(check.best_latency_cycles <= check.criteria_best_latency_cycles);
  CHECK(check.rank_of_criteria_best >= 1);
  // The criteria's best is the heterogeneous -S design.
  CHECK(check.criteria_best_latency_cycles == latency(result, "heterogeneous-S"));
  settings.exhaustive_limit = 100;
  CHECK_THROWS_AS(optimize(problem, settings), Error);
}

TEST_CASE("VGG-8 and ResNet-18 with the built-in library keep the promises") {
  const std::filesystem::path examples = std::filesystem::path(PIMHLS_SOURCE_DIR) / "examples";
  for (const char* name : {"vgg8.onnx", "resnet18.onnx"}) {
    REQUIRE(std::filesystem::exists(examples / name));
    const Problem problem =
        make_problem(frontend::import_onnx(examples / name), hw::builtin_library(), {});
    for (double mm2 : {10.0, 16.0, 40.0}) {
      INFO(name << " at " << mm2 << " mm2");
      OptimizerSettings settings;
      settings.area_budget_um2 = mm2 * 1e6;
      const OptimizationResult result = optimize(problem, settings);
      check_result(problem, result);
      // Dynamic programming beats mapping as many layers as fit (without duplication).
      CHECK(latency(result, "heterogeneous-S") <= latency(result, "heterogeneous-greedy"));
    }
  }
}

}  // namespace
}  // namespace pimhls::opt
