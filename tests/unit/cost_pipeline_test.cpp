// Layer groups as a pipeline: latency = fill + bottleneck (PIM-HLS section IV-C).
#include <catch2/catch.hpp>
#include <vector>

#include "cost/pipeline.h"

using namespace pimhls;

namespace {

cost::LayerCost stage(std::int64_t compute, std::int64_t fill, std::int64_t depth) {
  cost::LayerCost layer;
  layer.timing.compute_cycles = compute;
  layer.timing.fill_cycles = fill;
  layer.timing.depth_cycles = depth;
  return layer;
}

}  // namespace

TEST_CASE("a single layer takes its own compute time") {
  const std::vector<cost::LayerCost> group{stage(1000, 100, 50)};
  CHECK(cost::group_latency_cycles(group) == 1000);
  CHECK(cost::group_latency_cycles({}) == 0);
}

TEST_CASE("a group finishes after the fill before the bottleneck, the bottleneck and the tail") {
  // Layer 1 starts at 0 and lets layer 2 start at 100; layer 2 (the bottleneck) runs 100..3100
  // and lets layer 3 start at 100 + 400 = 500; layer 3 needs all its input, so it finishes one
  // depth (500) after layer 2's last output: 3600 = fill 100 + bottleneck 3000 + tail 500.
  const std::vector<cost::LayerCost> group{stage(1000, 100, 50), stage(3000, 400, 60),
                                           stage(500, 500, 500)};
  CHECK(cost::group_latency_cycles(group) == 3600);
}

TEST_CASE("a slow producer holds back a fast consumer") {
  // Layer 2 could finish at 10 + 200 but its input trickles in until 5000: 5000 + depth 20.
  const std::vector<cost::LayerCost> group{stage(5000, 10, 10), stage(200, 50, 20)};
  CHECK(cost::group_latency_cycles(group) == 5020);
}

TEST_CASE("groups can be grown one layer at a time") {
  const std::vector<cost::LayerCost> group{stage(1000, 100, 50), stage(3000, 400, 60),
                                           stage(500, 500, 500)};
  cost::PipelineState state;
  state = cost::extend_pipeline(state, group[0]);
  CHECK(state.finish_cycles == 1000);
  CHECK(state.next_start_cycles == 100);
  state = cost::extend_pipeline(state, group[1]);
  CHECK(state.finish_cycles == 3100);
  CHECK(state.next_start_cycles == 500);
  state = cost::extend_pipeline(state, group[2]);
  CHECK(state.finish_cycles == cost::group_latency_cycles(group));
}
