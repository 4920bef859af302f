// Alg. 1 lines 2-6 (splitting) and the activations live across each cut (residual branches,
// partial outputs of split layers), on hand-built networks with the synthetic cost model.
#include <catch2/catch.hpp>

#include "opt/units.h"
#include "opt_test_problems.h"

namespace pimhls::opt {
namespace {

using testing::layer;
using testing::synthetic_problem;

// Three layers; the output of layer 0 is also read by layer 2 (a residual branch).
Network residual_network() {
  Network network;
  network.name = "residual";
  network.layers = {layer("a", 16, 9, 32, 100), layer("b", 32, 9, 32, 100),
                    layer("c", 32, 9, 32, 100)};
  network.tensors = {{"a_out", 0, 2, 3200 * 8}, {"b_out", 1, 2, 3200 * 8}};
  return network;
}

TEST_CASE("live bits: a residual branch is live across every cut it skips") {
  const Network network = residual_network();
  // Cut 0 (after a): a_out; cut 1 (after b): a_out and b_out.
  CHECK(live_bits_between_layers(network) == std::vector<std::int64_t>{25600, 51200});
  const Problem problem = synthetic_problem(network);
  const auto plan = plan_units(problem, {0, 0, 0}, {0, 3}, {100, 0});
  REQUIRE(plan);
  CHECK(plan->units.size() == 3);
  CHECK(plan->input.live_bits_at_cut == std::vector<std::int64_t>{25600, 51200});
}

TEST_CASE("a layer larger than its technology's tiles is split into pieces that fit") {
  Network network;
  network.name = "big";
  // 64 x 9 rows, 256 columns: 147,456 weights = 36 dense tiles of 4096 weights.
  network.layers = {layer("small", 3, 9, 64, 100), layer("big", 64, 9, 256, 100),
                    layer("next", 256, 9, 16, 100)};
  network.tensors = {{"small_out", 0, 1, 6400 * 8}, {"big_out", 1, 2, 25600 * 8}};
  const Problem problem = synthetic_problem(network);
  REQUIRE(problem.layer_cost(1, 0).tiles == 36);
  // 10 tiles available: Alg. 1 starts from ceil(36 / 10) = 4 pieces of 64 columns: 9 tiles each.
  const auto plan = plan_units(problem, {0, 0, 0}, {0, 3}, {10, 0});
  REQUIRE(plan);
  REQUIRE(plan->units.size() == 6);
  CHECK(plan->layer_first_unit == std::vector<int>{0, 1, 5});
  CHECK(plan->layer_last_unit == std::vector<int>{0, 4, 5});
  std::int64_t columns = 0;
  for (int u = 1; u <= 4; ++u) {
    const Unit& unit = plan->units[static_cast<std::size_t>(u)];
    CHECK(unit.layer == 1);
    CHECK(unit.column_pieces == 4);
    CHECK(unit.row_pieces == 1);
    CHECK(unit.out_channel_offset == columns);
    CHECK(unit.shape.in_channels == 64);
    CHECK(plan->input.units[static_cast<std::size_t>(u)].tiles == 9);
    columns += unit.shape.out_channels;
  }
  CHECK(columns == 256);
  // Cuts: after small: its output (51,200 bits, read by the first piece... and all pieces,
  // so it stays live until the last piece); inside big: that input plus the finished pieces'
  // outputs (a quarter of 204,800 bits each); after big: its output.
  CHECK(plan->input.live_bits_at_cut ==
        std::vector<std::int64_t>{51200, 51200 + 51200, 51200 + 102400, 51200 + 153600, 204800});
}

TEST_CASE("column pieces run out: row pieces with partial sums") {
  Network network;
  network.name = "wide";
  // A Gemm 8192 -> 2: 16,384 weights = 16 fast tiles of 1024 weights.
  network.layers = {layer("fc", 8192, 1, 2, 1)};
  Problem problem = synthetic_problem(network);
  problem.accumulator_bits = 32;
  const auto plan = plan_units(problem, {1}, {0, 3}, {0, 3});
  REQUIRE(plan);
  // ceil(16 / 3) = 6 pieces: 2 columns x 3 rows of 2731/2731/2730 inputs -> 3 tiles each.
  REQUIRE(plan->units.size() == 6);
  std::int64_t rows = 0;
  for (int r = 0; r < 3; ++r) {
    const Unit& unit = plan->units[static_cast<std::size_t>(r)];
    CHECK(unit.column_piece == 0);
    CHECK(unit.row_piece == r);
    CHECK(unit.in_channel_offset == rows);
    rows += unit.shape.in_channels;
    CHECK(plan->input.units[static_cast<std::size_t>(r)].tiles <= 3);
  }
  CHECK(rows == 8192);
  // Inside column 0 a 32-bit partial sum of its 1 output waits; after column 0 its 8-bit output.
  CHECK(plan->input.live_bits_at_cut == std::vector<std::int64_t>{32, 32, 8, 8 + 32, 8 + 32});
}

// One grouped conv: 8 groups of 2 inputs -> 2 outputs.
Network grouped_network() {
  Network network;
  network.name = "grouped";
  Layer grouped = layer("dw", 2, 9, 16, 100);
  grouped.shape.groups = 8;
  network.layers = {grouped};
  return network;
}

TEST_CASE("grouped convolutions are split by whole groups") {
  const Problem problem = synthetic_problem(grouped_network());
  const std::vector<Unit> pieces = split_layer(problem, 0, 3, 1);
  REQUIRE(pieces.size() == 3);
  // 8 groups in 3 parts: [0,2) [2,5) [5,8) -> 4, 6 and 6 output channels.
  CHECK(pieces[0].shape.groups == 2);
  CHECK(pieces[0].shape.out_channels == 4);
  CHECK(pieces[1].shape.groups == 3);
  CHECK(pieces[1].out_channel_offset == 4);
  CHECK(pieces[2].out_channel_offset == 10);
  CHECK(pieces[2].shape.out_channels == 6);
  for (const Unit& piece : pieces) CHECK(piece.shape.in_channels == 2);
}

TEST_CASE("packed groups are split by whole packs, every piece pinned to the packing") {
  const Problem problem = synthetic_problem(grouped_network());
  const std::vector<Unit> pieces = split_layer(problem, 0, 3, 1, 2);
  REQUIRE(pieces.size() == 3);
  // 4 packs of 2 groups in 3 parts: [0,1) [1,2) [2,4) -> 2, 2 and 4 groups.
  CHECK(pieces[0].shape.groups == 2);
  CHECK(pieces[1].shape.groups == 2);
  CHECK(pieces[1].out_channel_offset == 4);
  CHECK(pieces[2].shape.groups == 4);
  CHECK(pieces[2].out_channel_offset == 8);
  CHECK(pieces[2].shape.out_channels == 8);
  for (const Unit& piece : pieces) CHECK(piece.shape.groups_per_array == 2);
}

TEST_CASE("splitting gives up only when one input and one output channel do not fit") {
  Network network;
  network.name = "huge";
  network.layers = {layer("fc", 8192, 1, 2, 1)};
  const Problem problem = synthetic_problem(network);
  // A single column of 8192 rows is two fast tiles; one tile cannot hold it... but rows split:
  // 2 x 8 pieces of 1024 rows fit one tile each.
  const auto one_tile = plan_units(problem, {1}, {0, 3}, {0, 1});
  REQUIRE(one_tile);
  CHECK(one_tile->units.size() == 16);
  const auto none = plan_units(problem, {1}, {0, 3}, {0, 0});
  CHECK_FALSE(none.has_value());
}

}  // namespace
}  // namespace pimhls::opt
