// Layer shapes from the IR, and the lead (pipeline fill) taken from the next layer's window.
#include <catch2/catch.hpp>

#include "cost/layer_shape.h"

using namespace pimhls;

namespace {

// x[1,3,8,8] -> conv1 3x3 pad 1 (4) -> maxpool 2 -> conv2 3x3 pad 1 (6) -> flatten -> fc (10)
ir::Graph small_cnn() {
  ir::Graph graph;
  graph.values = {{"x", {1, 3, 8, 8}, -1}, {"c1", {1, 4, 8, 8}, 0}, {"p1", {1, 4, 4, 4}, 1},
                  {"c2", {1, 6, 4, 4}, 2}, {"f", {1, 96}, 3},       {"y", {1, 10}, 4}};
  graph.inputs = {0};
  graph.outputs = {5};
  ir::Node conv1;
  conv1.name = "conv1";
  conv1.op = ir::Op::Conv;
  conv1.inputs = {0};
  conv1.output = 1;
  conv1.window.kernel_h = conv1.window.kernel_w = 3;
  conv1.window.pad_top = conv1.window.pad_left = conv1.window.pad_bottom = conv1.window.pad_right =
      1;
  conv1.weight.shape = {4, 3, 3, 3};
  ir::Node pool;
  pool.name = "pool";
  pool.op = ir::Op::MaxPool;
  pool.inputs = {1};
  pool.output = 2;
  ir::Node conv2 = conv1;
  conv2.name = "conv2";
  conv2.inputs = {2};
  conv2.output = 3;
  conv2.weight.shape = {6, 4, 3, 3};
  ir::Node flatten;
  flatten.name = "flatten";
  flatten.op = ir::Op::Flatten;
  flatten.inputs = {3};
  flatten.output = 4;
  ir::Node fc;
  fc.name = "fc";
  fc.op = ir::Op::Gemm;
  fc.inputs = {4};
  fc.output = 5;
  fc.weight.shape = {10, 96};
  graph.nodes = {conv1, pool, conv2, flatten, fc};
  return graph;
}

}  // namespace

TEST_CASE("layer shapes of convs and a fully connected layer") {
  const std::vector<cost::LayerShape> shapes = cost::layer_shapes(small_cnn());
  REQUIRE(shapes.size() == 3);
  CHECK(shapes[0].in_channels == 3);
  CHECK(shapes[0].kernel_area == 9);
  CHECK(shapes[0].out_channels == 4);
  CHECK(shapes[0].vectors == 64);
  CHECK(shapes[0].macs() == 64 * 27 * 4);
  CHECK(shapes[2].in_channels == 96);
  CHECK(shapes[2].kernel_area == 1);
  CHECK(shapes[2].out_channels == 10);
  CHECK(shapes[2].vectors == 1);
}

TEST_CASE("lead vectors: what the next layer needs before its first output") {
  const std::vector<cost::LayerShape> shapes = cost::layer_shapes(small_cnn());
  // conv2 (3x3, pad 1) on a 4x4 input needs rows 0..1 and columns 0..1: (2-1)*4 + 2 = 6 of 16
  // pixels, i.e. 6/16 of conv1's 64 outputs (the pool keeps the raster order): 24.
  CHECK(shapes[0].lead_vectors == 24);
  // The fully connected layer needs all of conv2's 16 outputs.
  CHECK(shapes[1].lead_vectors == 16);
  CHECK(shapes[2].lead_vectors == 1);
}

TEST_CASE("a node without weights has no layer shape") {
  const ir::Graph graph = small_cnn();
  CHECK_THROWS_WITH(cost::layer_shape(graph, graph.nodes[1]), Catch::Contains("pool"));
}
