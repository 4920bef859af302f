// Invariants of the cost model over every configuration of the built-in library.
#include <catch2/catch.hpp>
#include <vector>

#include "cost/layer_cost.h"
#include "cost/tile_config.h"

using namespace pimhls;

namespace {

cost::LayerShape conv(std::int64_t cin, std::int64_t cout, std::int64_t pixels) {
  cost::LayerShape shape;
  shape.in_channels = cin;
  shape.kernel_area = 9;
  shape.out_channels = cout;
  shape.vectors = pixels;
  shape.lead_vectors = pixels;
  return shape;
}

const std::vector<cost::LayerShape> kLayers{conv(3, 64, 1024), conv(128, 128, 1024),
                                            conv(256, 512, 64), conv(512, 512, 16)};

}  // namespace

TEST_CASE("the built-in library offers every size x readout count that fits") {
  const hw::Library& library = hw::builtin_library();
  // sram: 64 -> {8,16,32,64}, 128/256/512 -> {8..128}: 4 + 3 * 5; rram: 4 sizes x 5 ADC counts.
  CHECK(cost::tile_configs(library).size() == 19 + 20);
  for (const cost::TileConfig& config : cost::tile_configs(library))
    CHECK(config.adcs_per_array <= config.array_cols);
}

TEST_CASE("more ADCs per array: fewer (or equal) cycles and more area") {
  const hw::Library& library = hw::builtin_library();
  for (const cost::TileConfig& config : cost::tile_configs(library)) {
    const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(config.tile_type)];
    for (int more : tile.adcs_per_array) {
      if (more <= config.adcs_per_array || more > config.array_cols) continue;
      cost::TileConfig richer = config;
      richer.adcs_per_array = more;
      CHECK(cost::tile_area(library, richer).total_um2() >
            cost::tile_area(library, config).total_um2());
      for (const cost::LayerShape& shape : kLayers) {
        const cost::LayerCost fewer_cost = cost::evaluate_layer(shape, library, config);
        const cost::LayerCost more_cost = cost::evaluate_layer(shape, library, richer);
        CHECK(more_cost.timing.mvm_cycles <= fewer_cost.timing.mvm_cycles);
        // Strictly fewer whenever the ADCs had to go round more than once.
        if (fewer_cost.timing.column_rounds > 1)
          CHECK(more_cost.timing.mvm_cycles < fewer_cost.timing.mvm_cycles);
        CHECK(more_cost.area.total_um2() > fewer_cost.area.total_um2());
      }
    }
  }
}

TEST_CASE("larger arrays: fewer (or equal) arrays") {
  const hw::Library& library = hw::builtin_library();
  for (std::size_t type = 0; type < library.tile_types.size(); ++type) {
    const hw::TileType& tile = library.tile_types[type];
    for (const cost::LayerShape& shape : kLayers) {
      std::int64_t previous = -1;
      for (int size : tile.array_sizes) {
        const cost::TileConfig config{static_cast<int>(type), size, size,
                                      tile.adcs_per_array.front()};
        const std::int64_t arrays = cost::evaluate_layer(shape, library, config).mapping.arrays;
        if (previous >= 0) CHECK(arrays <= previous);
        previous = arrays;
      }
    }
    // A big layer needs strictly fewer 256x256 arrays than 64x64 ones.
    const cost::LayerShape big = conv(512, 512, 16);
    const int adcs = tile.adcs_per_array.front();
    CHECK(
        cost::evaluate_layer(big, library, {static_cast<int>(type), 256, 256, adcs})
            .mapping.arrays <
        cost::evaluate_layer(big, library, {static_cast<int>(type), 64, 64, adcs}).mapping.arrays);
  }
}

TEST_CASE("duplication d: about 1/d of the compute latency, d times the area") {
  const hw::Library& library = hw::builtin_library();
  const cost::LayerShape shape = conv(128, 128, 1024);
  for (std::size_t type = 0; type < library.tile_types.size(); ++type) {
    const cost::TileConfig config = cost::baseline_config(library, static_cast<int>(type));
    const cost::LayerCost one = cost::evaluate_layer(shape, library, config, 1);
    for (int d : {2, 4, 8}) {
      const cost::LayerCost many = cost::evaluate_layer(shape, library, config, d);
      const double ratio = static_cast<double>(many.timing.compute_cycles) * d /
                           static_cast<double>(one.timing.compute_cycles);
      CHECK(ratio == Approx(1.0).epsilon(0.02));
      CHECK(many.mapping.arrays == d * one.mapping.arrays);
      // Whole tiles: never more than d times the tiles, never less than the arrays need.
      CHECK(many.mapping.tiles <= d * one.mapping.tiles);
      CHECK(many.mapping.tiles * library.tile_types[type].arrays_per_tile >= many.mapping.arrays);
      // The same computation; only the NoC paths grow with the tiles.
      CHECK(many.energy.total_pj() >= one.energy.total_pj());
      CHECK(many.energy.total_pj() == Approx(one.energy.total_pj()).epsilon(0.05));
    }
  }
  // When a copy fills whole tiles, the area is exactly d times: 256 inputs x 128 outputs on
  // 128x128 SRAM arrays (16 weights of 8 one-bit slices per array) is 2 x 8 = 16 arrays, one tile.
  const cost::TileConfig sram{library.tile_type_index("sram"), 128, 128, 16};
  cost::LayerShape fc;
  fc.in_channels = 256;
  fc.out_channels = 128;
  fc.vectors = 64;
  fc.lead_vectors = 64;
  const cost::LayerCost one = cost::evaluate_layer(fc, library, sram, 1);
  REQUIRE(one.mapping.arrays == 16);  // 2 row blocks x 8 column blocks of 16 weights
  const cost::LayerCost three = cost::evaluate_layer(fc, library, sram, 3);
  CHECK(three.area.total_um2() == Approx(3 * one.area.total_um2()));
}
