// Which input pixels each output pixel waits for (cost/stream_graph.h), by hand on a small
// network, for one sample and for a batch whose samples stream one after another.
#include <catch2/catch.hpp>
#include <vector>

#include "cost/stream_graph.h"

using namespace pimhls;

namespace {

// x[N,1,3,3] -> conv 3x3 pad 1 -> flatten [N,9] -> fc [N,4]
ir::Graph conv_fc(std::int64_t batch) {
  ir::Graph graph;
  graph.values = {{"x", {batch, 1, 3, 3}, -1},
                  {"c", {batch, 1, 3, 3}, 0},
                  {"f", {batch, 9}, 1},
                  {"y", {batch, 4}, 2}};
  graph.inputs = {0};
  graph.outputs = {3};
  ir::Node conv;
  conv.name = "conv";
  conv.op = ir::Op::Conv;
  conv.inputs = {0};
  conv.output = 1;
  conv.window.kernel_h = conv.window.kernel_w = 3;
  conv.window.pad_top = conv.window.pad_left = conv.window.pad_bottom = conv.window.pad_right = 1;
  conv.weight.shape = {1, 1, 3, 3};
  ir::Node flatten;
  flatten.name = "flatten";
  flatten.op = ir::Op::Flatten;
  flatten.inputs = {1};
  flatten.output = 2;
  ir::Node fc;
  fc.name = "fc";
  fc.op = ir::Op::Gemm;
  fc.inputs = {2};
  fc.output = 3;
  fc.weight.shape = {9, 4};
  graph.nodes = {conv, flatten, fc};
  return graph;
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
  ir::Graph graph;
  graph.values = {{"x", {1, 1, 2, 2}, -1}, {"y", {1, 1, 4, 6}, 0}};
  graph.inputs = {0};
  graph.outputs = {1};
  ir::Node upsample;
  upsample.name = "up";
  upsample.op = ir::Op::Upsample;
  upsample.inputs = {0};
  upsample.output = 1;
  upsample.window.upsample_h = 2;
  upsample.window.upsample_w = 3;
  graph.nodes = {upsample};
  const cost::StreamGraph streams = cost::stream_graph(graph);
  REQUIRE(streams.nodes.size() == 1);
  // output (y, x) copies input (y / 2, x / 3): input pixel (y / 2) * 2 + x / 3
  CHECK(streams.nodes[0].inputs.at(0).last_pixel ==
        std::vector<std::int32_t>{0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1,
                                  2, 2, 2, 3, 3, 3, 2, 2, 2, 3, 3, 3});
}
