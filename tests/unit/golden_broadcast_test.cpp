// Element-wise Add and Mul of two activations that both broadcast (neither has the output's
// shape: a gate per row plus one per column): the operand with the output's channels is
// upsampled to the output's H and W first, so the vector engines read one map and one gate.
// Expand (expand_as) of an activation: read as it is where every reader broadcasts it anyway,
// else materialized. A map times or over a constant per pixel or element: the constant made a
// map (channel 0 copied, times 0, plus the constant), then a Mul. Values by hand.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "golden/float_reference.h"
#include "onnx_builder.h"

namespace pimhls::test {

TEST_CASE("Add and Mul of a row and a column: the one with the output's channels upsampled") {
  // r [1, 2, 2, 1] (rows 1, 2 of channel 0; 3, 4 of channel 1), c [1, 1, 1, 3] = (10, 20, 30).
  OnnxBuilder b;
  b.input("r", {1, 2, 2, 1}).input("c", {1, 1, 1, 3}).output("sum", 4).output("product", 4);
  b.node("Add", {"c", "r"}, {"sum"}, "add");
  b.node("Mul", {"r", "c"}, {"product"}, "mul");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 4);
  for (const std::size_t n : {0, 2}) {
    const ir::Node& expand = graph.nodes[n];
    CHECK(expand.op == ir::Op::Upsample);
    CHECK(expand.inputs == std::vector<ir::ValueId>{graph.inputs[0]});
    CHECK(expand.window.upsample_h == 1);
    CHECK(expand.window.upsample_w == 3);
    CHECK(graph.shape(expand.output) == ir::Dims{1, 2, 2, 3});
    const std::vector<ir::ValueId>& operands = graph.nodes[n + 1].inputs;  // the column stays
    CHECK(std::count(operands.begin(), operands.end(), graph.inputs[1]) == 1);
    CHECK(std::count(operands.begin(), operands.end(), expand.output) == 1);
  }
  const std::vector<ir::Tensor> y = golden::run_float(
      graph, {ir::Tensor{{1, 2, 2, 1}, {1, 2, 3, 4}}, ir::Tensor{{1, 1, 1, 3}, {10, 20, 30}}});
  CHECK(y.at(0).data == std::vector<float>{11, 21, 31, 12, 22, 32, 13, 23, 33, 14, 24, 34});
  CHECK(y.at(1).data == std::vector<float>{10, 20, 30, 20, 40, 60, 30, 60, 90, 40, 80, 120});
}

TEST_CASE("Sum of a value per channel, one per row and one per column") {
  // a = (100, 200) per channel, b = (10, 20) per row, c = (1, 2, 3) per column: every step of
  // the Add chain upsamples its partial sum, each Upsample named after its step.
  OnnxBuilder b;
  b.input("a", {1, 2, 1, 1}).input("b", {1, 1, 2, 1}).input("c", {1, 1, 1, 3}).output("y", 4);
  b.node("Sum", {"a", "b", "c"}, {"y"}, "sum");
  const ir::Graph graph = b.import();
  std::vector<std::string> names;
  for (const ir::Node& node : graph.nodes) names.push_back(node.name);
  CHECK(names == std::vector<std::string>{"sum/expand1", "sum/sum1", "sum/expand2", "sum"});
  const std::vector<ir::Tensor> y = golden::run_float(
      graph, {ir::Tensor{{1, 2, 1, 1}, {100, 200}}, ir::Tensor{{1, 1, 2, 1}, {10, 20}},
              ir::Tensor{{1, 1, 1, 3}, {1, 2, 3}}});
  CHECK(y.at(0).data ==
        std::vector<float>{111, 112, 113, 121, 122, 123, 211, 212, 213, 221, 222, 223});
}

// x [1, 2, 2, 2] = 1..8, g [1, 2, 1, 1] = (10, 100), g expanded to x's shape (Shape of x).
OnnxBuilder expand_gate(const char* reader) {
  OnnxBuilder b;
  b.input("x", {1, 2, 2, 2}).input("g", {1, 2, 1, 1}).output("y", 4);
  b.node("Shape", {"x"}, {"s"});
  b.node("Expand", {"g", "s"}, {"e"}, "expand");
  if (std::string(reader) == "Conv") {  // a 1x1 Conv: channel 0 + channel 1
    b.initializer("w", {1, 2, 1, 1}, {1, 1});
    b.node("Conv", {"e", "w"}, {"y"}, "conv");
  } else {
    b.node(reader, {"x", "e"}, {"y"}, "reader");
  }
  return b;
}

const std::vector<ir::Tensor> kGateInputs = {ir::Tensor{{1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}},
                                             ir::Tensor{{1, 2, 1, 1}, {10, 100}}};

TEST_CASE("Expand of a gate read by Mul or Sub is the gate itself: no copy of the map") {
  const ir::Graph product = expand_gate("Mul").import();
  REQUIRE(product.nodes.size() == 1);
  CHECK(product.nodes[0].op == ir::Op::Mul);
  CHECK(product.nodes[0].inputs == std::vector<ir::ValueId>{product.inputs[0], product.inputs[1]});
  CHECK(golden::run_float(product, kGateInputs).at(0).data ==
        std::vector<float>{10, 20, 30, 40, 500, 600, 700, 800});
  const ir::Graph difference = expand_gate("Sub").import();
  REQUIRE(difference.nodes.size() == 1);
  CHECK(golden::run_float(difference, kGateInputs).at(0).data ==
        std::vector<float>{-9, -8, -7, -6, -95, -94, -93, -92});
}

TEST_CASE("Expand read by a Conv is materialized: rows and columns by an Upsample") {
  const ir::Graph graph = expand_gate("Conv").import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::Upsample);
  CHECK(graph.shape(graph.nodes[0].output) == ir::Dims{1, 2, 2, 2});
  CHECK(golden::run_float(graph, kGateInputs).at(0).data == std::vector<float>(4, 110));
}

TEST_CASE("Expand of one channel to three and of the rows: an Upsample, then a ChannelGather") {
  // m [1, 1, 1, 2] = (1, 2) expanded to [1, 3, 2, 2], into a 1x1 Conv of weights (1, 10, 100):
  // every pixel of column j is 111 * m[j].
  OnnxBuilder b;
  b.input("m", {1, 1, 1, 2}).output("y", 4);
  b.int_initializer("shape", {4}, {1, 3, 2, 1});
  b.initializer("w", {1, 3, 1, 1}, {1, 10, 100});
  b.node("Expand", {"m", "shape"}, {"e"}, "expand");
  b.node("Conv", {"e", "w"}, {"y"}, "conv");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[0].op == ir::Op::Upsample);
  CHECK(graph.nodes[0].window.upsample_h == 2);
  CHECK(graph.nodes[0].window.upsample_w == 1);
  CHECK(graph.nodes[1].op == ir::Op::ChannelGather);
  CHECK(graph.nodes[1].source_channels == std::vector<std::int64_t>{0, 0, 0});
  CHECK(golden::run_float(graph, {ir::Tensor{{1, 1, 1, 2}, {1, 2}}}).at(0).data ==
        std::vector<float>{111, 222, 111, 222});
}

TEST_CASE("Expand of the batch of a map read by a Conv is an error naming the node") {
  OnnxBuilder b;
  b.input("m", {1, 1, 2, 2}).output("y", 4);
  b.int_initializer("shape", {4}, {2, 1, 2, 2}).initializer("w", {1, 1, 1, 1}, {1});
  b.node("Expand", {"m", "shape"}, {"e"}, "expand");
  b.node("Conv", {"e", "w"}, {"y"}, "conv");
  CHECK_THROWS_WITH(b.import(), Catch::Contains("node 'expand' (Expand): expands 'm' from "
                                                "1x1x2x2 to 2x1x2x2; only the channels"));
}

TEST_CASE("a map times a constant per pixel, over one per element, times one per row") {
  // x [1, 2, 2, 2] = 1..8 (kGateInputs[0]).
  const ir::Tensor x = kGateInputs[0];
  SECTION("times a mask per pixel [1, 1, 2, 2]: a map of one channel, a gate per pixel") {
    OnnxBuilder b;
    b.input("x", {1, 2, 2, 2}).initializer("m", {1, 1, 2, 2}, {1, 0, 2, -1}).output("y", 4);
    b.node("Mul", {"m", "x"}, {"y"}, "mask");
    const ir::Graph graph = b.import();
    std::vector<ir::Op> ops;
    for (const ir::Node& node : graph.nodes) ops.push_back(node.op);
    CHECK(ops == std::vector<ir::Op>{ir::Op::ChannelGather, ir::Op::ChannelAffine, ir::Op::Add,
                                     ir::Op::Mul});
    CHECK(graph.shape(graph.nodes[2].output) == ir::Dims{1, 1, 2, 2});
    CHECK(golden::run_float(graph, {x}).at(0).data ==
          std::vector<float>{1, 0, 6, -4, 5, 0, 14, -8});
  }
  SECTION("over a constant per element [2, 2, 2] (rank 3)") {
    OnnxBuilder b;
    b.input("x", {1, 2, 2, 2}).output("y", 4);
    b.initializer("d", {2, 2, 2}, {1, 2, 4, 8, 0.5f, 2, 0.25f, 4});
    b.node("Div", {"x", "d"}, {"y"}, "scale");
    CHECK(golden::run_float(b.import(), {x}).at(0).data ==
          std::vector<float>{1, 1, 0.75f, 0.5f, 10, 3, 28, 2});
  }
  SECTION("times a constant per row [2, 1]: repeated along the columns") {
    OnnxBuilder b;
    b.input("x", {1, 2, 2, 2}).initializer("r", {2, 1}, {10, -1}).output("y", 4);
    b.node("Mul", {"x", "r"}, {"y"}, "rows");
    CHECK(golden::run_float(b.import(), {x}).at(0).data ==
          std::vector<float>{10, 20, -3, -4, 50, 60, -7, -8});
  }
  SECTION("a constant that would grow the map is an error naming the node") {
    OnnxBuilder b;
    b.input("x", {1, 1, 2, 2}).initializer("m", {1, 3, 2, 2}, std::vector<float>(12, 1.0f));
    b.output("y", 4).node("Mul", {"x", "m"}, {"y"}, "grow");
    CHECK_THROWS_WITH(b.import(), Catch::Contains("node 'grow' (Mul): constant 'm' of shape "
                                                  "1x3x2x2 scales input 'x' of shape 1x1x2x2"));
  }
}

}  // namespace pimhls::test
