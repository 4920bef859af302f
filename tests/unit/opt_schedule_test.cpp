// Group latency F, duplication and the three schedulers, on hand-worked examples and on many
// random small problems where the DP must equal the exhaustive search over all partitions.
#include <catch2/catch.hpp>
#include <random>

#include "opt/schedule.h"

namespace pimhls::opt {
namespace {

UnitCost unit(std::int64_t tiles, std::int64_t vectors, std::int64_t cycles_per_vector,
              std::int64_t reload_bits) {
  UnitCost cost;
  cost.tiles = tiles;
  cost.vectors = vectors;
  cost.interval_cycles = cycles_per_vector;
  cost.depth_cycles = cycles_per_vector;
  cost.reload_bits = reload_bits;
  return cost;
}

// Three units on one technology; 100 bits per cycle off chip, a large buffer.
ScheduleInput three_units(std::int64_t tiles) {
  ScheduleInput input;
  input.units = {unit(2, 100, 10, 1000), unit(2, 100, 1, 1000), unit(3, 10, 5, 3000)};
  input.unit_technology = {0, 0, 0};
  input.tiles_per_technology = {tiles};
  input.live_bits_at_cut = {0, 0};
  input.buffer_bits = 1000;
  input.offchip_bits_per_cycle = 100;
  return input;
}

// The paper's duplication greedy, literally: give the slowest unit one more copy while its
// technology has tiles left (ties: the first unit). Returns the resulting bottleneck.
std::int64_t literal_greedy_bottleneck(const ScheduleInput& input, int first, int last) {
  std::vector<std::int64_t> copies(static_cast<std::size_t>(last - first + 1), 1);
  std::vector<std::int64_t> used(input.tiles_per_technology.size(), 0);
  for (int u = first; u <= last; ++u) used[input.unit_technology[u]] += input.units[u].tiles;
  for (std::size_t t = 0; t < used.size(); ++t)
    if (used[t] > input.tiles_per_technology[t]) return kInfeasible;
  for (;;) {
    int slowest = first;
    for (int u = first; u <= last; ++u)
      if (compute_cycles(input.units[u], copies[u - first]) >
          compute_cycles(input.units[slowest], copies[slowest - first]))
        slowest = u;
    const UnitCost& cost = input.units[slowest];
    const int tech = input.unit_technology[slowest];
    if (copies[slowest - first] >= cost.vectors ||
        used[tech] + cost.tiles > input.tiles_per_technology[tech])
      return compute_cycles(cost, copies[slowest - first]);
    ++copies[slowest - first];
    used[tech] += cost.tiles;
  }
}

ScheduleInput random_input(std::mt19937& random) {
  const auto pick = [&](std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(random);
  };
  ScheduleInput input;
  const int technologies = static_cast<int>(pick(1, 3));
  for (int t = 0; t < technologies; ++t) input.tiles_per_technology.push_back(pick(4, 40));
  const int units = static_cast<int>(pick(1, 14));
  for (int u = 0; u < units; ++u) {
    const int tech = static_cast<int>(pick(0, technologies - 1));
    UnitCost cost =
        unit(pick(1, input.tiles_per_technology[tech]), pick(1, 400), pick(1, 60), pick(0, 200000));
    cost.depth_cycles = cost.interval_cycles + pick(0, 1) * pick(0, 200);
    cost.lead_vectors = pick(1, cost.vectors);
    cost.write_cycles = pick(0, 3000);
    cost.row_write_cycles = pick(0, 10);
    input.units.push_back(cost);
    input.unit_technology.push_back(tech);
  }
  for (int c = 0; c + 1 < units; ++c) input.live_bits_at_cut.push_back(pick(0, 300000));
  input.buffer_bits = pick(0, 200000);
  input.offchip_bits_per_cycle = static_cast<double>(pick(8, 256));
  return input;
}

TEST_CASE("compute cycles with duplicated and mixed copies") {
  const UnitCost cost = unit(1, 100, 10, 0);
  CHECK(compute_cycles(cost, 1) == 1000);
  CHECK(compute_cycles(cost, 3) == 340);  // ceil(100 / 3) = 34 vectors per copy
  CHECK(copies_for(cost, 340) == 3);
  CHECK(copies_for(cost, 339) == 4);  // 33 vectors per copy -> 4 copies
  CHECK(copies_for(cost, 9) == 0);    // below one vector
  CHECK(copies_for(cost, 100000) == 1);
  // Two copies at 10 cycles/vector and one at 5: in T cycles they serve 2*floor(T/10) +
  // floor(T/5) vectors; 100 vectors need T = 250 (50 + 50), T = 249 serves only 48 + 49.
  const UnitCost fast = unit(1, 100, 5, 0);
  CHECK(mixed_cycles({{&cost, 2}, {&fast, 1}}, 100) == 250);
  CHECK(mixed_cycles({{&cost, 3}}, 100) == compute_cycles(cost, 3));
  // A pipeline 25 cycles deep starting a vector every 10: 34 vectors per copy finish at
  // 33 * 10 + 25 = 355; by 354 a copy finishes only 33, so 4 copies are needed.
  UnitCost deep = unit(1, 100, 10, 0);
  deep.depth_cycles = 25;
  CHECK(compute_cycles(deep, 3) == 355);
  CHECK(vectors_within(deep, 355) == 34);
  CHECK(vectors_within(deep, 24) == 0);
  CHECK(copies_for(deep, 355) == 3);
  CHECK(copies_for(deep, 354) == 4);
  CHECK(mixed_cycles({{&deep, 2}, {&fast, 1}}, 100) == mixed_cycles({{&fast, 1}, {&deep, 2}}, 100));
  // The first 10 outputs (lead) of 3 copies: ceil(10 / 3) = 4 per copy -> 3 * 10 + 25 = 55.
  deep.lead_vectors = 10;
  CHECK(fill_cycles(deep, 3) == 55);
  CHECK(fill_cycles(deep, 1) == 115);
  CHECK(mixed_cycles({{&deep, 3}}, 10) == 55);
}

TEST_CASE("pipeline timing follows cost::extend_pipeline") {
  // Stage 0: 500 cycles, fill 10. Stage 1 starts at 10, streams 100 cycles but cannot finish
  // before stage 0's last output (500) has gone through its depth (1): 501. Stage 2 starts at
  // 10 + 1 and finishes at max(11 + 50, 501 + 5) = 506.
  const std::vector<StageTiming> timing = pipeline_timing({{500, 10, 10}, {100, 1, 1}, {50, 5, 5}});
  REQUIRE(timing.size() == 3);
  CHECK(timing[0].start_cycle == 0);
  CHECK(timing[0].finish_cycle == 500);
  CHECK(timing[1].start_cycle == 10);
  CHECK(timing[1].finish_cycle == 501);
  CHECK(timing[2].start_cycle == 11);
  CHECK(timing[2].finish_cycle == 506);
}

TEST_CASE("group cost: duplication, reload, resident weights and spills") {
  ScheduleInput input = three_units(4);
  // Unit 0 alone: two copies on 4 tiles -> 50 vectors * 10 = 500; reload 1000 bits / 100 = 10.
  GroupCost alone = group_cost(input, 0, 0);
  CHECK(alone.feasible);
  CHECK(alone.copies == std::vector<std::int64_t>{2});
  CHECK(alone.compute_cycles == 500);
  CHECK(alone.reload_cycles == 10);
  CHECK(alone.total() == 510);
  // Units 0 and 1 use all 4 tiles: no duplication. Unit 1 starts after unit 0's first output
  // (10 cycles) and finishes 1 cycle after unit 0's last: 1001; reload 2000 bits = 20.
  CHECK(group_cost(input, 0, 1).total() == 1021);
  CHECK(group_cost(input, 0, 1, Duplication::Disabled).total() == 1021);
  CHECK(group_cost(input, 0, 0, Duplication::Disabled).total() == 1010);
  // Units 1 and 2 need 5 tiles: infeasible.
  CHECK_FALSE(group_cost(input, 1, 2).feasible);
  // On 10 tiles the whole network is one resident group: no reload. Unit 0 gets one extra copy
  // (3 tiles free, 2 per copy): bottleneck 500; the pipeline ends at 506 (see above).
  input.tiles_per_technology = {10};
  const GroupCost whole = group_cost(input, 0, 2);
  CHECK(whole.reload_cycles == 0);
  CHECK(whole.bottleneck_cycles == 500);
  CHECK(whole.copies == std::vector<std::int64_t>{2, 1, 1});
  CHECK(whole.total() == 506);
  // A cut after unit 0 with 50,000 live bits and a 1,000-bit buffer: 49,000 bits go off chip and
  // come back: 2 * 490 cycles.
  input.live_bits_at_cut = {50000, 0};
  CHECK(group_cost(input, 0, 0).spill_cycles == 980);
  CHECK(group_cost(input, 1, 1).spill_cycles == 0);
}

TEST_CASE("the DP picks the best partition of a hand-worked example") {
  ScheduleInput input = three_units(4);
  // {0},{1},{2}: 510 + (2 copies: 50 + 10) + (3 tiles, no second copy: 50 + 30) = 650;
  // {0,1},{2}: 1021 + 80 = 1101. Nothing else fits.
  Schedule dp = schedule_dp(input);
  CHECK(dp.latency_cycles == 650);
  CHECK(dp.groups == std::vector<GroupRange>{{0, 0}, {1, 1}, {2, 2}});
  // A residual tensor of 50,000 bits across the cut after unit 0 costs 980 cycles: now
  // {0,1},{2} (1101) beats 650 + 980.
  input.live_bits_at_cut = {50000, 0};
  dp = schedule_dp(input);
  CHECK(dp.latency_cycles == 1101);
  CHECK(dp.groups == std::vector<GroupRange>{{0, 1}, {2, 2}});
  // On 10 tiles: {0},{1},{2} = (5 copies: 200 + 10) + (5 copies: 20 + 10) + (3 copies: 20 + 30)
  // = 290 beats the resident whole network (506), {0},{1,2} (210 + (2 and 1 copies: pipeline
  // 55) + 40 = 305) and {0,1},{2} ((4 and 1 copies: 251) + 20 + 50 = 321).
  input = three_units(10);
  dp = schedule_dp(input);
  CHECK(dp.latency_cycles == 290);
  CHECK(dp.groups.size() == 3);
  CHECK(schedule_latency(input, {{0, 2}}) == 506);
  CHECK(schedule_latency(input, {{0, 0}, {1, 2}}) == 305);
  CHECK(schedule_latency(input, {{0, 1}, {2, 2}}) == 321);
}

TEST_CASE("greedy grouping maps as many units as fit") {
  const ScheduleInput input = three_units(4);
  const Schedule greedy = schedule_greedy(input, Duplication::Disabled);
  CHECK(greedy.groups == std::vector<GroupRange>{{0, 1}, {2, 2}});
  CHECK(greedy.latency_cycles == 1101);
  // With duplication the same groups cost the same here (no tile left in either group).
  CHECK(schedule_greedy(input, Duplication::Enabled).latency_cycles == 1101);
}

TEST_CASE("a unit larger than its technology's tiles makes every schedule infeasible") {
  ScheduleInput input = three_units(2);
  CHECK_FALSE(schedule_dp(input).feasible());
  CHECK_FALSE(schedule_exhaustive(input).feasible());
  CHECK_FALSE(schedule_greedy(input, Duplication::Enabled).feasible());
}

TEST_CASE("property: min_bottleneck equals the literal duplication greedy") {
  std::mt19937 random(7);
  for (int trial = 0; trial < 3000; ++trial) {
    const ScheduleInput input = random_input(random);
    const int first = std::uniform_int_distribution<int>(0, input.size() - 1)(random);
    const int last = std::uniform_int_distribution<int>(first, input.size() - 1)(random);
    INFO("trial " << trial << " units " << first << ".." << last);
    REQUIRE(min_bottleneck(input, first, last) == literal_greedy_bottleneck(input, first, last));
  }
}

TEST_CASE("property: the DP equals exhaustive grouping on random small networks") {
  std::mt19937 random(2023);
  int feasible = 0, multi_group = 0, fourteen = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    const ScheduleInput input = random_input(random);
    const Schedule dp = schedule_dp(input);
    const Schedule exhaustive = schedule_exhaustive(input);
    INFO("trial " << trial << " with " << input.size() << " units");
    REQUIRE(dp.latency_cycles == exhaustive.latency_cycles);
    if (input.size() == 14) ++fourteen;  // 2^13 partitions
    if (!dp.feasible()) continue;
    ++feasible;
    if (dp.groups.size() > 1) ++multi_group;
    // The DP's groups really cost what it says, and greedy grouping is never better.
    REQUIRE(schedule_latency(input, dp.groups) == dp.latency_cycles);
    REQUIRE(schedule_greedy(input, Duplication::Enabled).latency_cycles >= dp.latency_cycles);
  }
  // The generator must exercise the interesting cases, not only trivial ones.
  CHECK(feasible > 500);
  CHECK(multi_group > 300);
  CHECK(fourteen > 50);
}

}  // namespace
}  // namespace pimhls::opt
