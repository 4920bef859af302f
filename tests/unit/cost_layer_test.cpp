// Each term of the cost model against numbers worked out by hand from tests/unit/
// cost_test_library.h (clock 0.5 GHz, 2-bit cells, 8-bit weights and activations, 1-bit DAC,
// 8 parallel rows, 4 arrays per tile). The arithmetic is written out in the comments.
#include <catch2/catch.hpp>
#include <string>

#include "cost/layer_cost.h"
#include "cost_test_library.h"

using namespace pimhls;

namespace {

cost::LayerShape conv(std::int64_t cin, std::int64_t kernel_area, std::int64_t cout,
                      std::int64_t vectors, std::int64_t lead, std::int64_t groups = 1) {
  cost::LayerShape shape;
  shape.in_channels = cin / groups;
  shape.kernel_area = kernel_area;
  shape.out_channels = cout;
  shape.groups = groups;
  shape.vectors = vectors;
  shape.lead_vectors = lead;
  return shape;
}

const cost::TileConfig k32x32_4adcs{0, 32, 32, 4};

}  // namespace

// Conv 3x3, Cin 10, Cout 20, 6x6 outputs, on 32x32 arrays with 4 ADCs.
TEST_CASE("mapping of a 3x3 conv: whole kernels per row block, bit slices in adjacent columns") {
  const cost::LayerCost c =
      cost::evaluate_layer(conv(10, 9, 20, 36, 8), test::test_library(), k32x32_4adcs, 1);
  REQUIRE(c.feasible());
  const cost::Mapping& m = c.mapping;
  CHECK(m.slices == 4);              // ceil(8 / 2)
  CHECK(m.weights_per_array == 8);   // floor(32 / 4)
  CHECK(m.channels_per_block == 3);  // floor(32 / 9) whole kernels
  CHECK(m.rows_per_block == 27);     // 3 * 9
  CHECK(m.row_blocks == 4);          // ceil(10 / 3)
  CHECK(m.col_blocks == 3);          // ceil(20 / 8)
  CHECK(m.arrays_per_copy == 12);    // 4 * 3
  CHECK(m.tiles == 3);               // ceil(12 / 4)
  CHECK(m.active_rows == 27);
  CHECK(m.active_cols == 32);  // 8 weights * 4 slices
  CHECK(m.cells == 7200);      // 90 rows * 20 outputs * 4 slices
  CHECK(m.utilisation == Approx(7200.0 / (12 * 32 * 32)));
  CHECK(c.weight_bits == 14400);  // 90 * 20 * 8
  CHECK(c.stored_bits == 14400);  // 7200 cells * 2 bits
}

TEST_CASE("latency of a 3x3 conv in whole cycles") {
  const cost::LayerCost c =
      cost::evaluate_layer(conv(10, 9, 20, 36, 8), test::test_library(), k32x32_4adcs, 1);
  const cost::Timing& t = c.timing;
  CHECK(t.phases == 8);              // 8 activation bits / 1-bit DAC
  CHECK(t.row_groups == 4);          // ceil(27 / 8)
  CHECK(t.column_rounds == 8);       // ceil(32 / 4)
  CHECK(t.read_cycles == 2);         // (1 ns DAC + 3 ns read) * 0.5 GHz
  CHECK(t.conversion_cycles == 5);   // ceil(9 ns * 0.5)
  CHECK(t.mvm_cycles == 1344);       // 8 * 4 * (2 + 8 * 5)
  CHECK(t.load_cycles == 7);         // ceil(27 * 8 / 32)
  CHECK(t.reduce_cycles == 5);       // 3 * 20 additions over 3 tiles * 4 lanes: ceil(60 / 12)
  CHECK(t.psum_noc_cycles == 8);     // ceil(60 * 24 bits / (3 tiles * 64))
  CHECK(t.output_cycles == 3);       // ceil(20 * 8 / 64)
  CHECK(t.interval_cycles == 1344);  // the MVM is the slowest stage
  CHECK(t.hops == 2);                // ceil(sqrt(3 tiles))
  // load + mvm + shift-add + reduce + tree (log2 4 levels) + psum NoC + output + hops * 3
  CHECK(t.depth_cycles == 7 + 1344 + 1 + 5 + 2 + 8 + 3 + 2 * 3);
  CHECK(t.vectors_per_copy == 36);
  CHECK(t.compute_cycles == 35 * 1344 + 1376);
  CHECK(t.fill_cycles == 7 * 1344 + 1376);  // 8 lead outputs
}

TEST_CASE("dynamic energy of a 3x3 conv by component") {
  const cost::LayerCost c =
      cost::evaluate_layer(conv(10, 9, 20, 36, 8), test::test_library(), k32x32_4adcs, 1);
  const cost::Energy& e = c.energy;
  // Per vector: 90 rows x 3 column blocks driven in each of 8 phases at 0.5 pJ.
  CHECK(e.dac_pj == Approx(36 * 8 * 270 * 0.5));
  // 8 phases x 7200 cells x 0.01 pJ.
  CHECK(e.array_pj == Approx(36 * 8 * 7200 * 0.01));
  // Row groups over the 4 row blocks: 3 full blocks of ceil(27/8) = 4 and the last 9 rows in 2,
  // 14 in all, each converting 20 outputs x 4 slices: 1120 per phase, 8960 per vector.
  CHECK(e.readout_pj == Approx(36 * 8960 * 2.0));
  CHECK(e.shift_add_pj == Approx(36 * 8960 * 0.1));
  CHECK(e.accumulator_pj == Approx(36 * 60 * 0.2));        // (4 - 1) row blocks x 20 outputs
  CHECK(e.buffer_pj == Approx(36 * (90 + 20) * 8 * 0.5));  // inputs read, outputs written
  // Outputs 20 x 8 bits over 2 hops, partial sums 60 x 24 bits between tiles, 6.4 pJ per 64 bits.
  CHECK(e.noc_pj == Approx(36 * (20 * 8 * 2 + 60 * 24) / 64.0 * 6.4));
  CHECK(e.offchip_pj == 0);
  CHECK(e.total_pj() == Approx(36 * 21100.0));
}

TEST_CASE("area and leakage of a layer are whole tiles") {
  const cost::LayerCost c =
      cost::evaluate_layer(conv(10, 9, 20, 36, 8), test::test_library(), k32x32_4adcs, 1);
  // One tile: 4 arrays of 32x32 cells at 0.5 um2, 4 ADCs of 100 um2, 32 DACs of 1 um2 and 32
  // drivers of 2 um2 per array, 4 shift-adders of 10 um2 per array, 4 accumulator lanes of 5,
  // 3 KiB of buffer at 100 um2/KiB, a quarter of a 4000 um2 router.
  const cost::AreaBreakdown tile = cost::tile_area(test::test_library(), k32x32_4adcs);
  CHECK(tile.cells_um2 == Approx(2048));
  CHECK(tile.readout_um2 == Approx(1600));
  CHECK(tile.dac_um2 == Approx(128));
  CHECK(tile.drivers_um2 == Approx(256));
  CHECK(tile.shift_add_um2 == Approx(160));
  CHECK(tile.accumulator_um2 == Approx(20));
  CHECK(tile.buffers_um2 == Approx(300));
  CHECK(tile.router_um2 == Approx(1000));
  CHECK(tile.total_um2() == Approx(5512));
  CHECK(c.area.total_um2() == Approx(3 * 5512));
  CHECK(c.leakage_mw == Approx(3 * 5512e-6 * 2.0));
  CHECK(cost::chip_fixed_area(test::test_library()).total_um2() == Approx(64 * 100 + 1000));
}

TEST_CASE("weight reload overlaps the off-chip stream with the array writes") {
  const cost::LayerCost c =
      cost::evaluate_layer(conv(10, 9, 20, 36, 8), test::test_library(), k32x32_4adcs, 1);
  // The image of the 12 arrays (docs/isa.md): per array 2 header words + its rows x used
  // columns x 2 bits, padded to 64-bit words. Row blocks 27, 27, 27, 9 rows; column blocks 8,
  // 8, 4 channels (x 4 slices):
  //   27 x 32 cols: 1728 bits (27 words) + 128 = 1856    27 x 16: 864 -> 896 + 128 = 1024
  //    9 x 32 cols:  576 bits  (9 words) + 128 =  704     9 x 16: 288 -> 320 + 128 =  448
  // 3 * (2 * 1856 + 1024) + 2 * 704 + 448 = 16064 bits.
  CHECK(c.reload_bits == 16064);
  CHECK(c.reload.transfer_cycles == 126);  // 16064 bits / (8 GB/s * 8 / 0.5 GHz = 128 b/cycle)
  CHECK(c.reload.write_cycles == 270);     // 27 rows x ceil(20 ns * 0.5)
  CHECK(c.reload.cycles == 280);           // max(126, 270) + one row write
  CHECK(c.reload.energy_pj == Approx(16064 * 10.0 + 7200 * 1.0));

  // A slow link makes the transfer the bound instead: 1 GB/s = 16 bits/cycle.
  std::string text = test::kTestLibrary;
  const std::string fast = "offchip_bandwidth_gbyte_per_s = 8.0";
  text.replace(text.find(fast), fast.size(), "offchip_bandwidth_gbyte_per_s = 1.0");
  const hw::Library slow = hw::parse_library(text, "slow.toml");
  const cost::LayerCost s = cost::evaluate_layer(conv(10, 9, 20, 36, 8), slow, k32x32_4adcs, 1);
  CHECK(s.reload.transfer_cycles == 1004);  // 16064 / 16
  CHECK(s.reload.cycles == 1014);
}

// A one-array layer: the stages after its MVM (shift-add, output, one hop of 1 cycle: 3) are fewer
// than the datapath needs to write a result (kMinWriteCycles): the depth is the datapath's.
TEST_CASE("depth is at least the datapath's write latency after the MVM") {
  std::string text = test::kTestLibrary;
  const std::string hop = "hop_latency_cycles = 3";
  text.replace(text.find(hop), hop.size(), "hop_latency_cycles = 1");
  const hw::Library fast_noc = hw::parse_library(text, "fast_noc.toml");
  const cost::LayerCost one = cost::evaluate_layer(conv(1, 9, 2, 16, 4), fast_noc, k32x32_4adcs, 1);
  const cost::Timing& t = one.timing;
  REQUIRE(t.hops * 1 + t.output_cycles + 1 + t.reduce_cycles + t.psum_noc_cycles < 4);
  CHECK(t.depth_cycles == t.load_cycles + t.mvm_cycles + cost::kMinWriteCycles);
}

TEST_CASE("duplication shares the vectors among copies and multiplies the tiles") {
  const cost::LayerShape shape = conv(10, 9, 20, 36, 8);
  const cost::LayerCost c = cost::evaluate_layer(shape, test::test_library(), k32x32_4adcs, 2);
  CHECK(c.mapping.arrays == 24);
  CHECK(c.mapping.tiles == 6);
  CHECK(c.mapping.tiles_per_copy == 3);
  CHECK(c.timing.vectors_per_copy == 18);
  CHECK(c.timing.hops == 3);  // ceil(sqrt(6))
  CHECK(c.timing.depth_cycles == 1376 + 3);
  CHECK(c.timing.compute_cycles == 17 * 1344 + 1379);
  CHECK(c.timing.fill_cycles == 3 * 1344 + 1379);  // ceil(8 / 2) lead outputs per copy
  CHECK(c.stored_bits == 2 * 14400);
  CHECK(c.reload_bits == 16064);  // still one off-chip stream (the port writes every copy)
  CHECK(c.reload.energy_pj == Approx(16064 * 10.0 + 2 * 7200 * 1.0));
}

TEST_CASE("depthwise groups pinned to one per array get an array each") {
  // 16 groups of one 3x3 channel: 9 rows x 1 output each, one array per group.
  cost::LayerShape shape = conv(16, 9, 16, 16, 16, 16);
  shape.groups_per_array = 1;
  const cost::LayerCost c = cost::evaluate_layer(shape, test::test_library(), k32x32_4adcs, 1);
  REQUIRE(c.feasible());
  CHECK(c.mapping.groups_per_array == 1);
  CHECK(c.mapping.row_blocks == 1);
  CHECK(c.mapping.col_blocks == 1);
  CHECK(c.mapping.arrays_per_copy == 16);
  CHECK(c.mapping.tiles_per_copy == 4);  // 4 arrays per tile
  CHECK(c.mapping.active_rows == 9);
  CHECK(c.mapping.active_cols == 4);  // 1 output x 4 slices
  CHECK(c.mapping.cells == 9 * 16 * 4);
  CHECK(c.mapping.utilisation == Approx(576.0 / (16 * 1024)));
  CHECK(c.timing.mvm_cycles == 8 * 2 * (2 + 1 * 5));  // ceil(9/8) row groups, one round
  CHECK(c.timing.reduce_cycles == 0);
  CHECK(c.timing.hops == 2);  // ceil(sqrt(4 tiles))
  // Conversions per phase: 16 arrays of 2 row groups x 4 columns = 128; 8 phases, 2 pJ.
  CHECK(c.energy.readout_pj == Approx(16 * 8 * 128 * 2.0));
  CHECK(c.energy.accumulator_pj == 0);
}

TEST_CASE("depthwise groups pack block-diagonally, as many per array as fit and divide") {
  // Rows allow floor(32 / 9) = 3 groups per array, columns floor(8 / 1) = 8; the largest
  // divisor of 16 up to 3 is 2: 8 arrays of 18 rows x 2 outputs (8 columns).
  const cost::LayerCost c =
      cost::evaluate_layer(conv(16, 9, 16, 16, 16, 16), test::test_library(), k32x32_4adcs, 1);
  REQUIRE(c.feasible());
  CHECK(c.mapping.groups_per_array == 2);
  CHECK(c.mapping.arrays_per_copy == 8);
  CHECK(c.mapping.tiles_per_copy == 2);
  CHECK(c.mapping.active_rows == 18);
  CHECK(c.mapping.active_cols == 8);
  CHECK(c.mapping.cells == 18 * 16 * 4);  // the zeros between the groups are stored too
  CHECK(c.mapping.utilisation == Approx(576.0 / (8 * 1024)));
  // ceil(18/8) = 3 row groups, ceil(8/4) = 2 rounds of 5 cycles after each 2-cycle read.
  CHECK(c.timing.mvm_cycles == 8 * 3 * (2 + 2 * 5));
  CHECK(c.energy.readout_pj == Approx(16 * 8 * (3 * 16 * 4) * 2.0));
  CHECK(c.weight_bits == 144 * 8);  // the layer's weights, not the zeros

  cost::LayerShape three = conv(16, 9, 16, 16, 16, 16);
  three.groups_per_array = 3;  // fits the rows but does not divide 16
  CHECK(std::string(cost::infeasible_reason(three, test::test_library(), k32x32_4adcs, 1)) ==
        "groups_per_array must divide the layer's groups");
  cost::LayerShape four = three;
  four.groups_per_array = 4;  // 36 rows
  CHECK(std::string(cost::infeasible_reason(four, test::test_library(), k32x32_4adcs, 1)) ==
        "the packed groups do not fit one array");
  // A grouped conv whose groups need an array of their own does not pack.
  CHECK(cost::evaluate_layer(conv(80, 9, 32, 4, 4, 2), test::test_library(), k32x32_4adcs, 1)
            .mapping.groups_per_array == 1);
}

TEST_CASE("grouped conv with groups larger than an array keeps a block per group") {
  // 2 groups of 40 input channels 3x3 (360 rows) and 16 outputs each.
  const cost::LayerCost c =
      cost::evaluate_layer(conv(80, 9, 32, 4, 4, 2), test::test_library(), k32x32_4adcs, 1);
  CHECK(c.mapping.row_blocks == 14);  // ceil(40 / 3)
  CHECK(c.mapping.col_blocks == 2);   // ceil(16 / 8)
  CHECK(c.mapping.arrays_per_copy == 2 * 14 * 2);
}

TEST_CASE("a fully connected layer and a kernel larger than the array") {
  cost::LayerShape fc;
  fc.in_channels = 100;
  fc.out_channels = 10;
  fc.vectors = 1;
  fc.lead_vectors = 1;
  const cost::LayerCost c = cost::evaluate_layer(fc, test::test_library(), k32x32_4adcs, 1);
  CHECK(c.mapping.rows_per_block == 32);
  CHECK(c.mapping.row_blocks == 4);  // ceil(100 / 32)
  CHECK(c.mapping.col_blocks == 2);  // ceil(10 / 8)
  CHECK(c.mapping.arrays_per_copy == 8);
  CHECK(c.timing.compute_cycles == c.timing.depth_cycles);  // one vector

  // 7x7 kernel (49 rows) on 16-row arrays: the kernel is split by rows.
  const cost::TileConfig small{0, 16, 16, 4};
  const cost::LayerCost split =
      cost::evaluate_layer(conv(3, 49, 4, 4, 4), test::test_library(), small, 1);
  REQUIRE(split.feasible());
  CHECK(split.mapping.channels_per_block == 0);
  CHECK(split.mapping.rows_per_block == 16);
  CHECK(split.mapping.row_blocks == 10);  // ceil(147 / 16)
  CHECK(split.mapping.col_blocks == 1);   // 4 outputs, floor(16 / 4) = 4 per array
}

TEST_CASE("the pre-check rejects impossible configurations without evaluating") {
  const cost::LayerShape shape = conv(10, 9, 20, 36, 8);
  const hw::Library& library = test::test_library();
  CHECK(cost::infeasible_reason(shape, library, k32x32_4adcs, 1) == nullptr);
  CHECK(cost::infeasible_reason(shape, library, {0, 32, 32, 64}, 1) != nullptr);  // 64 > 32 columns
  CHECK(cost::infeasible_reason(shape, library, {1, 32, 32, 4}, 1) != nullptr);   // no tile type 1
  CHECK(cost::infeasible_reason(shape, library, {0, 2, 2, 1}, 1) != nullptr);     // 4 slices > 2
  CHECK(cost::infeasible_reason(shape, library, k32x32_4adcs, 0) != nullptr);
  cost::LayerShape bad = shape;
  bad.groups = 3;  // does not divide 20 outputs
  CHECK(cost::infeasible_reason(bad, library, k32x32_4adcs, 1) != nullptr);
  const cost::LayerCost c = cost::evaluate_layer(shape, library, {0, 32, 32, 64}, 1);
  CHECK_FALSE(c.feasible());
  CHECK(c.mapping.arrays == 0);
}
