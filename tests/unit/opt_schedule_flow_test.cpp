// Alg. 1 on real data flows: random small networks (chains, parallel branches meeting in an Add
// or a Concat, pooling) go through network_from_graph and the unit planner, so that F times each
// group with the stream timing of its pixels (not the synthetic chain of opt_schedule_test).
// The DP must equal the exhaustive search over all partitions, and the lower bound its search
// prunes with must hold: putting units in front of a group never makes its compute shorter.
#include <catch2/catch.hpp>
#include <random>

#include "opt/schedule.h"
#include "opt/unit_flow.h"
#include "opt/units.h"
#include "opt_test_problems.h"
#include "quant_graphs.h"

namespace pimhls::opt {
namespace {

int pick(std::mt19937& random, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(random);
}

ir::Graph random_graph(std::mt19937& random) {
  test::GraphBuilder b(static_cast<unsigned>(random()));
  const std::int64_t side = pick(random, 4, 10);
  ir::ValueId x =
      b.conv(b.input({1, pick(random, 1, 8), side, side}), 4 * pick(random, 1, 4), 3, 1, 1);
  const int blocks = pick(random, 1, 5);
  for (int i = 0; i < blocks; ++i) {
    const std::int64_t channels = 4 * pick(random, 1, 6);
    const std::int64_t kernel = pick(random, 0, 1) == 0 ? 1 : 3;
    switch (pick(random, 0, 3)) {
      case 0:
      case 1: x = b.conv(x, channels, kernel, 1, kernel / 2); break;
      case 2: {  // two branches meeting in an Add or a Concat
        const ir::ValueId left = b.conv(x, channels, kernel, 1, kernel / 2);
        const ir::ValueId right = b.conv(x, channels, 1, 1, 0);
        x = pick(random, 0, 1) == 0 ? b.add(left, right) : b.concat(left, right);
        break;
      }
      default:
        if (b.finish(x).shape(x)[2] >= 2) x = b.pool(ir::Op::MaxPool, x, 2, 2);
        break;
    }
  }
  if (pick(random, 0, 1) == 0) x = b.gemm(b.flatten(b.global_average_pool(x)), pick(random, 2, 10));
  return b.finish(x);
}

// nullopt when the random tiles cannot hold some layer even split, or the plan has too many
// units for the exhaustive search.
std::optional<UnitPlan> random_plan(const Problem& problem, std::mt19937& random) {
  std::vector<int> technology;
  for (int l = 0; l < problem.network.size(); ++l) technology.push_back(pick(random, 0, 1));
  // Options 0..2 are dense, 3..4 fast (opt_test_problems.h).
  const std::vector<int> option = {pick(random, 0, 2), pick(random, 3, 4)};
  const std::vector<std::int64_t> tiles = {pick(random, 1, 6), pick(random, 2, 16)};
  std::optional<UnitPlan> plan = plan_units(problem, technology, option, tiles);
  if (!plan || plan->input.size() > 12) return std::nullopt;
  return plan;
}

TEST_CASE("property: the DP equals exhaustive grouping on random networks' data flows") {
  std::mt19937 random(2026);
  int compared = 0, multi_group = 0, with_vector_nodes = 0;
  for (int trial = 0; trial < 400 && compared < 150; ++trial) {
    const ir::Graph graph = random_graph(random);
    const Problem problem = testing::synthetic_problem(network_from_graph(graph, 8, 8));
    const std::optional<UnitPlan> plan = random_plan(problem, random);
    if (!plan) continue;
    const ScheduleInput& input = plan->input;
    REQUIRE(input.flow);
    REQUIRE_FALSE(input.flow->items.empty());
    INFO("trial " << trial << " with " << input.size() << " units");
    const Schedule dp = schedule_dp(input);
    REQUIRE(dp.latency_cycles == schedule_exhaustive(input).latency_cycles);
    ++compared;
    if (dp.groups.size() > 1) ++multi_group;
    if (input.flow->items.size() > static_cast<std::size_t>(input.size())) ++with_vector_nodes;
  }
  CHECK(compared >= 100);
  CHECK(multi_group > 40);
  CHECK(with_vector_nodes > 50);
}

// Less the reload's issue cycles a resident group skips and the weight engines' configuration
// the smaller group exposed: a bigger group loads longer, and its engines start sooner.
TEST_CASE("property: a unit put in front of a group never shortens its compute") {
  std::mt19937 random(11);
  int checked = 0, exposed = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const ir::Graph graph = random_graph(random);
    const Problem problem = testing::synthetic_problem(network_from_graph(graph, 8, 8));
    const std::optional<UnitPlan> plan = random_plan(problem, random);
    if (!plan) continue;
    const ScheduleInput& input = plan->input;
    const int last = pick(random, 0, input.size() - 1);
    std::int64_t bottleneck = 0, later = -1, later_exposure = 0;
    for (int first = last; first >= 0; --first) {
      bottleneck = min_bottleneck(input, first, last, bottleneck);
      if (bottleneck >= kInfeasible) break;
      const GroupPipeline pipeline = group_pipeline(input, first, last, bottleneck);
      const std::int64_t compute = pipeline.compute_cycles;
      INFO("trial " << trial << " group " << first << ".." << last);
      if (later >= 0) REQUIRE(compute >= later - input.reload_control_cycles - later_exposure);
      later = compute;
      later_exposure = pipeline.config_exposure_cycles;
      if (later_exposure > 0) ++exposed;
      ++checked;
    }
  }
  CHECK(checked > 300);
  CHECK(exposed > 0);
}

}  // namespace
}  // namespace pimhls::opt
