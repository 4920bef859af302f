// Block-diagonal packing of conv groups (quant/group_packing.h), by hand, and the analog
// reference computing packed layers: with lossless readout a pack's zeros change nothing.
#include <catch2/catch.hpp>

#include "quant/analog_reference.h"
#include "quant/calibrate.h"
#include "quant/group_packing.h"
#include "quant/quantize.h"
#include "quant_graphs.h"
#include "util/error.h"

namespace pimhls::quant {
namespace {

TEST_CASE("packing puts each group's rows in its own block of its pack's row") {
  // 4 groups, 1 output and 2 rows each, 2 per array.
  const std::vector<std::int32_t> weights{1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(pack_group_weights(weights, 4, 1, 2, 2) ==
        std::vector<std::int32_t>{1, 2, 0, 0, /**/ 0, 0, 3, 4, /**/ 5, 6, 0, 0, /**/ 0, 0, 7, 8});
  // 2 groups, 2 outputs and 1 row each, packed together: columns 0-1 read row 0, 2-3 row 1.
  CHECK(pack_group_weights(std::vector<std::int32_t>{1, 2, 3, 4}, 2, 2, 1, 2) ==
        std::vector<std::int32_t>{1, 0, 2, 0, 0, 3, 0, 4});
  CHECK(pack_group_weights(weights, 4, 1, 2, 1) == weights);
  CHECK_THROWS_AS(pack_group_weights(weights, 4, 1, 2, 3), Error);

  LayerMatrix matrix;
  matrix.groups = 8;
  matrix.rows = 9;
  matrix.columns = 1;
  matrix.kernel_taps = 9;
  const LayerMatrix packed = pack_group_matrix(matrix, 4);
  CHECK(packed.groups == 2);
  CHECK(packed.rows == 36);
  CHECK(packed.columns == 4);
  CHECK(packed.kernel_taps == 9);
  CHECK_THROWS_AS(pack_group_matrix(matrix, 3), Error);
}

TEST_CASE("the analog reference computes packed groups as the exact product when lossless") {
  test::GraphBuilder b(5);
  const ir::ValueId x = b.input({1, 6, 5, 5});
  const ir::Graph graph = b.finish(b.conv(b.conv(x, 6, 3, 1, 1, 6), 12, 3, 1, 1, 3));
  const QuantizedGraph quantized = quantize(graph, random_input_sets(graph, 2, 3), {});
  const std::vector<ir::Tensor> inputs = random_input_sets(graph, 1, 9).front();
  ArrayMap arrays;
  arrays.fallback.adc_mode = AdcMode::Lossless;
  for (const ir::Node& node : graph.nodes) arrays.layers[node.name] = arrays.fallback;
  arrays.layers[graph.nodes[0].name].groups_per_array = 3;  // 6 depthwise groups
  arrays.layers[graph.nodes[1].name].groups_per_array = 3;  // all 3 groups of 2 channels
  ExactEngine exact(quantized);
  const IntResult expected = run_quantized(quantized, inputs, exact);
  const IntResult packed = run_analog(quantized, AnalogConfig{arrays, {}}, inputs);
  REQUIRE(packed.outputs.size() == 1);
  CHECK(packed.outputs[0].data == expected.outputs[0].data);

  arrays.layers[graph.nodes[1].name].groups_per_array = 2;  // does not divide 3
  CHECK_THROWS_WITH(run_analog(quantized, AnalogConfig{arrays, {}}, inputs),
                    Catch::Contains("groups_per_array = 2 does not divide the layer's 3 groups"));
}

}  // namespace
}  // namespace pimhls::quant
