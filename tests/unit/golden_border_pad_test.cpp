// Pad in reflect and edge mode (style transfer, pix2pix and CycleGAN generators, super-resolution:
// ReflectionPad2d, ReplicationPad2d) imports as a BorderPad node whose float output mirrors or
// repeats the border (values worked by hand from ONNX's definition, numpy.pad's modes).
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "ir/border_pad.h"
#include "onnx_builder.h"

namespace pimhls::test {
namespace {

// x [1, 1, 3, 4] -> Pad(mode, pads top 1, left 2, bottom 2, right 1) -> y [1, 1, 6, 7].
OnnxBuilder border_pad(int opset, const char* mode) {
  OnnxBuilder b(opset);
  b.input("x", {1, 1, 3, 4}).output("y", 4);
  const std::vector<std::int64_t> pads = {0, 0, 1, 2, 0, 0, 2, 1};
  if (opset < 11) {
    b.node("Pad", {"x"}, {"y"}, "pad").attr("mode", mode).attr("pads", pads);
  } else {
    b.int_initializer("pads", {8}, pads);
    b.node("Pad", {"x", "pads"}, {"y"}, "pad").attr("mode", mode);
  }
  return b;
}

// x is 1 .. 12 row by row:  1  2  3  4 /  5  6  7  8 /  9 10 11 12
std::vector<float> run(const ir::Graph& graph) {
  std::vector<float> x(12);
  for (int i = 0; i < 12; ++i) x[static_cast<std::size_t>(i)] = static_cast<float>(i + 1);
  return golden::run_float(graph, {ir::Tensor{{1, 1, 3, 4}, x}}).at(0).data;
}

}  // namespace

TEST_CASE("Pad reflect mirrors the input without repeating its edge") {
  // rows 1 | 0 1 2 | 1 0, columns 2 1 | 0 1 2 3 | 2
  const std::vector<float> expected = {7, 6, 5, 6, 7, 8, 7, 3,  2,  1, 2,  3,  4,  3,
                                       7, 6, 5, 6, 7, 8, 7, 11, 10, 9, 10, 11, 12, 11,
                                       7, 6, 5, 6, 7, 8, 7, 3,  2,  1, 2,  3,  4,  3};
  for (int opset : {2, 11, 13}) {
    INFO("opset " << opset);
    const ir::Graph graph = border_pad(opset, "reflect").import();
    REQUIRE(graph.nodes.size() == 1);
    const ir::Node& node = graph.nodes[0];
    CHECK(node.op == ir::Op::BorderPad);
    CHECK(node.window.border == ir::Border::Reflect);
    CHECK(node.window.pad_top == 1);
    CHECK(node.window.pad_left == 2);
    CHECK(node.window.pad_bottom == 2);
    CHECK(node.window.pad_right == 1);
    CHECK(graph.shape(node.output) == ir::Dims{1, 1, 6, 7});
    CHECK(run(graph) == expected);
  }
}

TEST_CASE("Pad edge repeats the border pixels") {
  // rows 0 | 0 1 2 | 2 2, columns 0 0 | 0 1 2 3 | 3
  const std::vector<float> expected = {1, 1, 1, 2,  3,  4,  4,  1, 1, 1, 2,  3,  4,  4,
                                       5, 5, 5, 6,  7,  8,  8,  9, 9, 9, 10, 11, 12, 12,
                                       9, 9, 9, 10, 11, 12, 12, 9, 9, 9, 10, 11, 12, 12};
  const ir::Graph graph = border_pad(13, "edge").import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].window.border == ir::Border::Edge);
  CHECK(run(graph) == expected);
}

TEST_CASE("a reflect Pad of a 1-D map pads the length, no pads is the identity") {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 5}).output("y", 3);
  b.int_initializer("pads", {6}, {0, 0, 2, 0, 0, 1});
  b.node("Pad", {"x", "pads"}, {"y"}, "pad").attr("mode", "reflect");
  const ir::Graph graph = b.import();
  // views to [1, 2, 1, 5] and back to [1, 2, 8] around the BorderPad
  REQUIRE(graph.nodes.size() == 3);
  const ir::Node& pad = graph.nodes[1];
  REQUIRE(pad.op == ir::Op::BorderPad);
  CHECK(pad.window.pad_top == 0);
  CHECK(pad.window.pad_left == 2);
  CHECK(pad.window.pad_right == 1);
  const ir::Tensor x{{1, 2, 5}, {1, 2, 3, 4, 5, 10, 20, 30, 40, 50}};
  CHECK(golden::run_float(graph, {x}).at(0).data ==
        std::vector<float>{3, 2, 1, 2, 3, 4, 5, 4, 30, 20, 10, 20, 30, 40, 50, 40});

  OnnxBuilder none(13);
  none.input("x", {1, 2, 4, 4}).output("y", 4);
  none.int_initializer("pads", {8}, std::vector<std::int64_t>(8, 0));
  none.node("Pad", {"x", "pads"}, {"y"}, "pad").attr("mode", "edge");
  CHECK(none.import().nodes.empty());
}

}  // namespace pimhls::test
