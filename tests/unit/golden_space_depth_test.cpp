// DepthToSpace (PyTorch's PixelShuffle: CRD; TensorFlow's depth_to_space: DCR) imports as an
// Upsample whose channels are listed per block phase, SpaceToDepth as strided slices and a
// Concat; values worked by hand from ONNX's definitions.
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

OnnxBuilder block_op(const char* op, const ir::Dims& in, int rank_out, const char* mode) {
  OnnxBuilder b(13);
  b.input("x", in).output("y", rank_out);
  NodeBuilder node = b.node(op, {"x"}, {"y"}, "blocks");
  node.attr("blocksize", std::int64_t{2});
  if (mode) node.attr("mode", mode);
  return b;
}

std::vector<float> iota(std::size_t count) {
  std::vector<float> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<float>(i);
  return values;
}

}  // namespace

TEST_CASE("DepthToSpace moves channels into each block's pixels, DCR or CRD") {
  // x [1, 8, 1, 1] = channels 0..7 -> y [1, 2, 2, 2]. DCR: output channel c at block phase k
  // reads channel k * 2 + c: 0 2 4 6 | 1 3 5 7. CRD: c * 4 + k: 0 1 2 3 | 4 5 6 7.
  const ir::Tensor x{{1, 8, 1, 1}, iota(8)};
  for (const auto& [mode, expected] : std::vector<std::pair<const char*, std::vector<float>>>{
           {nullptr, {0, 2, 4, 6, 1, 3, 5, 7}},  // DCR is the default
           {"DCR", {0, 2, 4, 6, 1, 3, 5, 7}},
           {"CRD", {0, 1, 2, 3, 4, 5, 6, 7}}}) {
    INFO((mode ? mode : "default"));
    const ir::Graph graph = block_op("DepthToSpace", {1, 8, 1, 1}, 4, mode).import();
    REQUIRE(graph.nodes.size() == 1);
    CHECK(graph.nodes[0].op == ir::Op::Upsample);
    CHECK(graph.nodes[0].window.upsample_h == 2);
    CHECK(graph.shape(graph.nodes[0].output) == ir::Dims{1, 2, 2, 2});
    CHECK(golden::run_float(graph, {x}).at(0).data == expected);
  }
  // Wider input: each input pixel becomes a 2x2 block. x [1, 4, 1, 2], channel k pixel w = 10k
  // + w; CRD with one output channel: row 0 reads channels 0, 1, row 1 channels 2, 3.
  std::vector<float> wide;
  for (int k = 0; k < 4; ++k)
    for (int w = 0; w < 2; ++w) wide.push_back(static_cast<float>(10 * k + w));
  const ir::Graph graph = block_op("DepthToSpace", {1, 4, 1, 2}, 4, "CRD").import();
  CHECK(golden::run_float(graph, {ir::Tensor{{1, 4, 1, 2}, wide}}).at(0).data ==
        std::vector<float>{0, 10, 1, 11, 20, 30, 21, 31});
}

TEST_CASE("SpaceToDepth stacks each block's pixels as channels") {
  // x [1, 1, 2, 4] = 0..7 by rows -> y [1, 4, 1, 2]: channel i * 2 + j is x[i::2, j::2].
  const ir::Graph graph = block_op("SpaceToDepth", {1, 1, 2, 4}, 4, nullptr).import();
  REQUIRE(graph.nodes.size() == 5);  // four strided slices and their Concat
  CHECK(graph.nodes[4].op == ir::Op::Concat);
  CHECK(golden::run_float(graph, {ir::Tensor{{1, 1, 2, 4}, iota(8)}}).at(0).data ==
        std::vector<float>{0, 2, 1, 3, 4, 6, 5, 7});
}

TEST_CASE("PixelUnshuffle's Reshape, Transpose, Reshape is a space-to-depth, channels c-major") {
  // x [1, 2, 2, 2] = 0..7 (channel 0: 0 1 / 2 3, channel 1: 4 5 / 6 7), blocks of 2 x 2:
  // output channel c * 4 + i * 2 + j is x[c, i, j], so the values stay in order (SpaceToDepth's
  // DCR order would give 0 4 1 5 2 6 3 7).
  OnnxBuilder b(13);
  b.input("x", {1, 2, 2, 2}).output("y", 4);
  b.int_initializer("split", {6}, {1, 2, 1, 2, 1, 2});
  b.int_initializer("merged", {4}, {1, 8, 1, 1});
  b.node("Reshape", {"x", "split"}, {"s"}, "split");
  b.node("Transpose", {"s"}, {"t"}, "unshuffle")
      .attr("perm", std::vector<std::int64_t>{0, 1, 3, 5, 2, 4});
  b.node("Reshape", {"t", "merged"}, {"y"}, "merge");
  const ir::Graph graph = b.import();
  std::vector<ir::Op> ops;
  for (const ir::Node& node : graph.nodes) ops.push_back(node.op);
  CHECK(ops == std::vector<ir::Op>{ir::Op::MaxPool, ir::Op::MaxPool, ir::Op::MaxPool,
                                   ir::Op::MaxPool, ir::Op::Concat, ir::Op::ChannelGather});
  CHECK(golden::run_float(graph, {ir::Tensor{{1, 2, 2, 2}, iota(8)}}).at(0).data == iota(8));
}

TEST_CASE("A space-to-depth of blocks 2 x 3 after a layer keeps its shapes as the graph grows") {
  // (the import read the input's shape by reference while adding the block slices' values: a
  // crash on F.pixel_unshuffle after a Conv). x [1, 1, 4, 6] = 0..23 by rows, Relu (an
  // identity here), viewed as [1, 1, 2, 2, 2, 3]: output channel i * 3 + j, pixel (Y, X) is
  // x[2Y + i, 3X + j] = (2Y + i) * 6 + 3X + j.
  OnnxBuilder b(13);
  b.input("x", {1, 1, 4, 6}).output("y", 4);
  b.int_initializer("split", {6}, {1, 1, 2, 2, 2, 3});
  b.int_initializer("merged", {4}, {-1, 6, 2, 2});
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Reshape", {"r", "split"}, {"s"}, "split");
  b.node("Transpose", {"s"}, {"t"}, "unshuffle")
      .attr("perm", std::vector<std::int64_t>{0, 1, 3, 5, 2, 4});
  b.node("Reshape", {"t", "merged"}, {"y"}, "merge");
  const ir::Graph graph = b.import();
  const ir::Tensor y = golden::run_float(graph, {ir::Tensor{{1, 1, 4, 6}, iota(24)}}).at(0);
  CHECK(y.shape == ir::Dims{1, 6, 2, 2});
  CHECK(y.data == std::vector<float>{0, 3, 12, 15, 1, 4,  13, 16, 2, 5,  14, 17,
                                     6, 9, 18, 21, 7, 10, 19, 22, 8, 11, 20, 23});
}

TEST_CASE("DepthToSpace and SpaceToDepth errors name the node") {
  CHECK_THROWS_WITH(block_op("DepthToSpace", {1, 6, 2, 2}, 4, nullptr).import(),
                    Contains("node 'blocks' (DepthToSpace)") &&
                        Contains("6 channels, not a multiple of blocksize^2 = 4"));
  CHECK_THROWS_WITH(block_op("DepthToSpace", {1, 4, 2, 2}, 4, "XYZ").import(),
                    Contains("attribute 'mode' = 'XYZ'"));
  CHECK_THROWS_WITH(block_op("SpaceToDepth", {1, 1, 3, 4}, 4, nullptr).import(),
                    Contains("is not whole blocks of 2"));
}

}  // namespace pimhls::test
