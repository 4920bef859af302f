// Layer shapes from the IR, and the lead (pipeline fill) taken from the next layer's window.
#include <catch2/catch.hpp>

#include "cost/layer_shape.h"
#include "ir_chain.h"

using namespace pimhls;

namespace {

// x[1,3,8,8] -> conv1 3x3 pad 1 (4) -> maxpool 2 -> conv2 3x3 pad 1 (6) -> flatten -> fc (10)
ir::Graph small_cnn() {
  test::IrChain chain({1, 3, 8, 8});
  ir::Node& conv1 = chain.add(ir::Op::Conv, "conv1", {1, 4, 8, 8});
  test::IrChain::square_window(conv1, 3, 1);
  conv1.weight.shape = {4, 3, 3, 3};
  chain.add(ir::Op::MaxPool, "pool", {1, 4, 4, 4});
  ir::Node& conv2 = chain.add(ir::Op::Conv, "conv2", {1, 6, 4, 4});
  test::IrChain::square_window(conv2, 3, 1);
  conv2.weight.shape = {6, 4, 3, 3};
  chain.add(ir::Op::Flatten, "flatten", {1, 96});
  chain.add(ir::Op::Gemm, "fc", {1, 10}).weight.shape = {10, 96};
  return chain.graph();
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
