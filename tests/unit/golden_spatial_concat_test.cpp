// Concat along H or W (circular padding, torch.roll: slices and their Concat) imports as each
// input zero-padded to its place (a BorderPad) and Adds of the padded maps; a constant block
// of channels (CoordConv) as a map made from the activation: channel 0 copied, times 0, plus
// the constant. Values by hand.
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"

namespace pimhls::test {
namespace {

// a [1, 1, 2, 2] = 1 2 / 3 4, b [1, 1, 1, 2] = 5 6 (one row), c [1, 1, 2, 1] = 7 / 8 (one column).
const ir::Tensor kA{{1, 1, 2, 2}, {1, 2, 3, 4}};

std::vector<float> run(const ir::Graph& graph, const std::vector<ir::Tensor>& inputs) {
  return golden::run_float(graph, inputs).at(0).data;
}

}  // namespace

TEST_CASE("Concat along the rows: each input padded to its rows, then added") {
  OnnxBuilder b(13);
  b.input("a", {1, 1, 2, 2}).input("b", {1, 1, 1, 2}).output("y", 4);
  b.node("Concat", {"b", "a", "b"}, {"y"}, "rows").attr("axis", 2);
  const ir::Graph graph = b.import();
  // place0 (b at row 0), place1 (a at rows 1-2), sum1, place2 (b at row 3), the last Add.
  REQUIRE(graph.nodes.size() == 5);
  const ir::Node& middle = graph.nodes[1];
  CHECK(middle.op == ir::Op::BorderPad);
  CHECK(middle.window.border == ir::Border::Zero);
  CHECK(middle.window.pad_top == 1);
  CHECK(middle.window.pad_bottom == 1);
  CHECK(middle.window.pad_left + middle.window.pad_right == 0);
  CHECK(graph.nodes[4].op == ir::Op::Add);
  CHECK(graph.shape(graph.nodes[4].output) == ir::Dims{1, 1, 4, 2});
  const ir::Tensor row{{1, 1, 1, 2}, {5, 6}};
  CHECK(run(graph, {kA, row}) == std::vector<float>{5, 6, 1, 2, 3, 4, 5, 6});
}

TEST_CASE("Concat along the columns, axis -1 as torch.cat(dim=-1) writes it") {
  OnnxBuilder b(13);
  b.input("a", {1, 1, 2, 2}).input("c", {1, 1, 2, 1}).output("y", 4);
  b.node("Concat", {"a", "c"}, {"y"}, "columns").attr("axis", -1);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[0].window.pad_right == 1);
  CHECK(graph.nodes[1].window.pad_left == 2);
  const ir::Tensor column{{1, 1, 2, 1}, {7, 8}};
  CHECK(run(graph, {kA, column}) == std::vector<float>{1, 2, 7, 3, 4, 8});
}

TEST_CASE("Concat of a map and a constant along the channels: the constant made from the map") {
  // c [1, 1, 2, 2] = 10 20 / 30 40 (say, coordinates), a first, c second, a again.
  OnnxBuilder b(13);
  b.input("a", {1, 1, 2, 2}).initializer("c", {1, 1, 2, 2}, {10, 20, 30, 40}).output("y", 4);
  b.node("Concat", {"a", "c", "a"}, {"y"}, "cat").attr("axis", 1);
  const ir::Graph graph = b.import();
  std::vector<ir::Op> ops;
  for (const ir::Node& node : graph.nodes) ops.push_back(node.op);
  CHECK(ops == std::vector<ir::Op>{ir::Op::ChannelGather, ir::Op::ChannelAffine, ir::Op::Add,
                                   ir::Op::Concat});
  CHECK(graph.nodes[1].weight.data == std::vector<float>{0});
  CHECK(run(graph, {kA}) == std::vector<float>{1, 2, 3, 4, 10, 20, 30, 40, 1, 2, 3, 4});
}

TEST_CASE("adjacent constants of a Concat are one block of channels, made once") {
  // CoordConv's x and y maps: c [1, 1, 2, 2] = 10 20 / 30 40, d = -1 -2 / -3 -4 after a.
  OnnxBuilder b(13);
  b.input("a", {1, 1, 2, 2}).output("y", 4);
  b.initializer("c", {1, 1, 2, 2}, {10, 20, 30, 40})
      .initializer("d", {1, 1, 2, 2}, {-1, -2, -3, -4});
  b.node("Concat", {"a", "c", "d"}, {"y"}, "cat").attr("axis", 1);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 4);
  CHECK(graph.nodes[0].source_channels == std::vector<std::int64_t>{0, 0});
  CHECK(graph.nodes[2].weight.shape == ir::Dims{1, 2, 2, 2});
  CHECK(run(graph, {kA}) == std::vector<float>{1, 2, 3, 4, 10, 20, 30, 40, -1, -2, -3, -4});
}

TEST_CASE("Concat of a map and a constant along H is an error naming the node") {
  OnnxBuilder b(13);
  b.input("a", {1, 1, 2, 2}).initializer("c", {1, 1, 1, 2}, {1, 2}).output("y", 4);
  b.node("Concat", {"a", "c"}, {"y"}, "rows").attr("axis", 2);
  CHECK_THROWS_WITH(b.import(), Catch::Contains("node 'rows' (Concat): input 'c' is a constant; "
                                                "Concat of activations and constants is "
                                                "supported along the channels only"));
}

}  // namespace pimhls::test
