// Pad in reflect and edge mode (style transfer, pix2pix and CycleGAN generators, super-resolution:
// ReflectionPad2d, ReplicationPad2d) imports as a BorderPad node whose float output mirrors or
// repeats the border (values worked by hand from ONNX's definition, numpy.pad's modes). A zero
// Pad takes part in a MaxPool's max, and is a BorderPad of zeros for readers that cannot fold it.
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

// x [1, 1, 3, 4] = -5 .. 6 row by row, zero-padded by `pads` (top, left, bottom, right), then
// read by `reader` (its output y); the model's output is y.
OnnxBuilder zero_pad_then(const std::vector<std::int64_t>& pads, const std::string& reader) {
  OnnxBuilder b(13);
  b.input("x", {1, 1, 3, 4}).output("y", 4);
  b.int_initializer("pads", {8}, {0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]});
  b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  if (reader == "MaxPool")
    b.node(reader, {"p"}, {"y"}, "next")
        .attr("kernel_shape", std::vector<std::int64_t>{2, 2})
        .attr("strides", std::vector<std::int64_t>{2, 2});
  else if (reader == "AveragePool")  // pads of its own, which the Pad's zeros must not join
    b.node(reader, {"p"}, {"y"}, "next")
        .attr("kernel_shape", std::vector<std::int64_t>{2, 2})
        .attr("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  else if (!reader.empty())
    b.node(reader, {"p"}, {"y"}, "next");
  return b;
}

std::vector<float> run_minus_five_to_six(const ir::Graph& graph) {
  std::vector<float> x(12);
  for (int i = 0; i < 12; ++i) x[static_cast<std::size_t>(i)] = static_cast<float>(i - 5);
  return golden::run_float(graph, {ir::Tensor{{1, 1, 3, 4}, x}}).at(0).data;
}

TEST_CASE("a zero Pad before a MaxPool: the zeros take part in the max") {
  // Keras' ZeroPadding2D then MaxPooling2D. Padded (top 1, left 1):
  //   0  0  0  0  0 /  0 -5 -4 -3 -2 /  0 -1  0  1  2 /  0  3  4  5  6
  // 2x2 windows, stride 2: max(0, 0, 0, -5) = 0, max(0, 0, -4, -3) = 0, 3, 5 (pads that never
  // win would give -5, -3, 3, 5).
  const ir::Graph graph = zero_pad_then({1, 1, 0, 0}, "MaxPool").import();
  REQUIRE(graph.nodes.size() == 1);
  const ir::Window& w = graph.nodes[0].window;
  CHECK(graph.nodes[0].op == ir::Op::MaxPool);
  CHECK(w.border == ir::Border::Zero);
  CHECK(std::vector<std::int64_t>{w.pad_top, w.pad_left, w.pad_bottom, w.pad_right} ==
        std::vector<std::int64_t>{1, 1, 0, 0});
  CHECK(run_minus_five_to_six(graph) == std::vector<float>{0, 0, 3, 5});
}

TEST_CASE("a zero Pad read by other nodes is a BorderPad of zeros") {
  SECTION("Relu") {  // padded on top: a row of zeros, then relu(x)
    const ir::Graph graph = zero_pad_then({1, 0, 0, 0}, "Relu").import();
    REQUIRE(graph.nodes.size() == 2);
    CHECK(graph.nodes[0].op == ir::Op::BorderPad);
    CHECK(graph.nodes[0].name == "pad");
    CHECK(graph.nodes[0].window.border == ir::Border::Zero);
    CHECK(run_minus_five_to_six(graph) ==
          std::vector<float>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6});
  }
  SECTION("a graph output") {  // padded on the right: x with a column of zeros
    const ir::Graph graph = zero_pad_then({0, 0, 0, 1}, "Identity").import();
    REQUIRE(graph.nodes.size() == 1);
    CHECK(graph.nodes[0].op == ir::Op::BorderPad);
    CHECK(run_minus_five_to_six(graph) ==
          std::vector<float>{-5, -4, -3, -2, 0, -1, 0, 1, 2, 0, 3, 4, 5, 6, 0});
  }
  SECTION("an AveragePool with pads of its own, and a Conv beside it, which still folds") {
    OnnxBuilder b = zero_pad_then({1, 1, 1, 1}, "AveragePool");
    b.output("z", 4);
    b.initializer("w", {1, 1, 1, 1}, {2});
    b.node("Conv", {"p", "w"}, {"z"}, "conv");
    const ir::Graph graph = b.import();
    REQUIRE(graph.nodes.size() == 3);
    CHECK(graph.nodes[0].op == ir::Op::BorderPad);
    CHECK(graph.nodes[1].op == ir::Op::AveragePool);
    CHECK(graph.nodes[1].inputs == std::vector<ir::ValueId>{graph.nodes[0].output});
    CHECK_FALSE(graph.nodes[1].window.count_include_pad);
    CHECK(graph.nodes[2].op == ir::Op::Conv);
    CHECK(graph.nodes[2].inputs == graph.nodes[0].inputs);  // x, with the pads in its window
    CHECK(graph.nodes[2].window.pad_top == 1);
  }
}

}  // namespace pimhls::test
