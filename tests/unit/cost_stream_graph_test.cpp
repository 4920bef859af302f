// Which input pixels each output pixel waits for (cost/stream_graph.h), by hand on a small
// network, for one sample and for a batch whose samples stream one after another.
#include <catch2/catch.hpp>
#include <vector>

#include "cost/stream_graph.h"
#include "ir_chain.h"

using namespace pimhls;

namespace {

// x[N,1,3,3] -> conv 3x3 pad 1 -> flatten [N,9] -> fc [N,4]
ir::Graph conv_fc(std::int64_t batch) {
  test::IrChain chain({batch, 1, 3, 3});
  ir::Node& conv = chain.add(ir::Op::Conv, "conv", {batch, 1, 3, 3});
  test::IrChain::square_window(conv, 3, 1);
  conv.weight.shape = {1, 1, 3, 3};
  chain.add(ir::Op::Flatten, "flatten", {batch, 9});
  chain.add(ir::Op::Gemm, "fc", {batch, 4}).weight.shape = {9, 4};
  return chain.graph();
}

}  // namespace

TEST_CASE("stream graph: a window waits for its last input pixel, a Gemm for all of them") {
  const cost::StreamGraph streams = cost::stream_graph(conv_fc(1));
  REQUIRE(streams.nodes.size() == 2);  // flatten is not a node
  const cost::StreamNode& conv = streams.nodes[0];
  CHECK(conv.height == 3);
  CHECK(conv.width == 3);
  // raster order: (y, x) reads rows <= y + 1 and columns <= x + 1 of the 3x3 input
  CHECK(conv.inputs.at(0).last_pixel == std::vector<std::int32_t>{4, 5, 5, 7, 8, 8, 7, 8, 8});
  CHECK(conv.inputs.at(0).producer == -1);
  const cost::StreamNode& fc = streams.nodes[1];
  CHECK(fc.pixels() == 1);
  CHECK(fc.inputs.at(0).producer == 0);
  CHECK(fc.inputs.at(0).last_pixel == std::vector<std::int32_t>{8});
}

TEST_CASE("stream graph: the samples of a batch stream one after another") {
  const cost::StreamGraph streams = cost::stream_graph(conv_fc(2));
  REQUIRE(streams.nodes.size() == 2);
  const cost::StreamNode& conv = streams.nodes[0];
  CHECK(conv.height == 6);  // two samples of 3 rows
  CHECK(conv.width == 3);
  // sample 1's windows read sample 1's pixels: sample 0's plus 9
  CHECK(conv.inputs.at(0).last_pixel ==
        std::vector<std::int32_t>{4, 5, 5, 7, 8, 8, 7, 8, 8, 13, 14, 14, 16, 17, 17, 16, 17, 17});
  const cost::StreamNode& fc = streams.nodes[1];
  CHECK(fc.height == 2);  // one vector per sample
  CHECK(fc.inputs.at(0).last_pixel == std::vector<std::int32_t>{8, 17});
}

TEST_CASE("stream graph: an Upsample's pixel waits for the input pixel it repeats") {
  // x[1,1,2,2] -> Upsample 2 (rows) x 3 (columns) -> [1,1,4,6]
  test::IrChain chain({1, 1, 2, 2});
  ir::Node& upsample = chain.add(ir::Op::Upsample, "up", {1, 1, 4, 6});
  upsample.window.upsample_h = 2;
  upsample.window.upsample_w = 3;
  const ir::Graph& graph = chain.graph();
  const cost::StreamGraph streams = cost::stream_graph(graph);
  REQUIRE(streams.nodes.size() == 1);
  // output (y, x) copies input (y / 2, x / 3): input pixel (y / 2) * 2 + x / 3
  CHECK(streams.nodes[0].inputs.at(0).last_pixel ==
        std::vector<std::int32_t>{0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1,
                                  2, 2, 2, 3, 3, 3, 2, 2, 2, 3, 3, 3});
}

TEST_CASE("stream graph: a BorderPad's pixel waits for the input pixel it folds back to") {
  // x[1,1,3,3] -> reflect pads top 2, left 1, right 1 -> [1,1,5,5]: rows 2 1 | 0 1 2, columns
  // 1 | 0 1 2 | 1; the first output pixel reads input (2, 1), later than the ones after it.
  test::IrChain chain({1, 1, 3, 3});
  ir::Node& pad = chain.add(ir::Op::BorderPad, "pad", {1, 1, 5, 5});
  pad.window.border = ir::Border::Reflect;
  pad.window.pad_top = 2;
  pad.window.pad_left = pad.window.pad_right = 1;
  const cost::StreamGraph streams = cost::stream_graph(chain.graph());
  REQUIRE(streams.nodes.size() == 1);
  CHECK(streams.nodes[0].inputs.at(0).last_pixel ==
        std::vector<std::int32_t>{7, 6, 7, 8, 7, 4, 3, 4, 5, 4, 1, 0, 1,
                                  2, 1, 4, 3, 4, 5, 4, 7, 6, 7, 8, 7});
}

TEST_CASE("stream graph: a 1-D map [N, C, L] streams as one row of L pixels per sample") {
  // x[2,4,5] -> Relu -> Reshape [2,4,1,5] -> GlobalAveragePool [2,4,1,1]: the Relu streams
  // the 5 pixels of each sample as the compiler lays them out (was: one pixel for all of it)
  test::IrChain chain({2, 4, 5});
  chain.add(ir::Op::Relu, "relu", {2, 4, 5});
  chain.add(ir::Op::Reshape, "as_map", {2, 4, 1, 5});
  chain.add(ir::Op::GlobalAveragePool, "mean", {2, 4, 1, 1});
  const cost::StreamGraph streams = cost::stream_graph(chain.graph());
  REQUIRE(streams.nodes.size() == 2);  // the Reshape is not a node
  const cost::StreamNode& relu = streams.nodes[0];
  CHECK(relu.height == 2);  // one row per sample
  CHECK(relu.width == 5);
  CHECK(relu.inputs.at(0).last_pixel == std::vector<std::int32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  const cost::StreamNode& mean = streams.nodes[1];
  CHECK(mean.pixels() == 2);
  CHECK(mean.inputs.at(0).producer == 0);
  CHECK(mean.inputs.at(0).last_pixel == std::vector<std::int32_t>{4, 9});
}
