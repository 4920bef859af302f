// ConvTranspose imports as a ZeroInsert (the strides) and a Conv with the flipped kernel: values
// worked by hand, also where pads crop past the kernel's reach (a crop of the spread input
// before the Conv); what the IR cannot express (1-D) is a one-line error. ONNX's own
// ConvTranspose tests and tests/data/torch_conv_transpose_crop_* run in the conformance suite.
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// x [1, 1, 2, 2] -> ConvTranspose(W [1, 1, 2, 2] = 1 2 / 3 4, attributes) -> y.
OnnxBuilder transposed(const std::vector<std::pair<const char*, std::vector<std::int64_t>>>& ints) {
  OnnxBuilder b(13);
  b.input("x", {1, 1, 2, 2}).output("y", 4);
  b.initializer("w", {1, 1, 2, 2}, {1, 2, 3, 4});
  NodeBuilder node = b.node("ConvTranspose", {"x", "w"}, {"y"}, "up");
  for (const auto& [name, values] : ints) node.attr(name, values);
  return b;
}

}  // namespace

TEST_CASE("ConvTranspose with stride 2 places a scaled kernel per input pixel") {
  const ir::Graph graph = transposed({{"strides", {2, 2}}}).import();
  REQUIRE(graph.nodes.size() == 2);
  const ir::Node& insert = graph.nodes[0];
  const ir::Node& conv = graph.nodes[1];
  CHECK(insert.op == ir::Op::ZeroInsert);
  CHECK(graph.shape(insert.output) == ir::Dims{1, 1, 3, 3});  // x00 0 x01 / 0 0 0 / x10 0 x11
  CHECK(conv.op == ir::Op::Conv);
  CHECK(conv.weight.data == std::vector<float>{4, 3, 2, 1});  // flipped
  CHECK(conv.window.pad_top == 1);
  CHECK(conv.window.pad_bottom == 1);
  // Input pixel (i, j) = 1, 2, 3, 4 adds value * W at rows 2i.., columns 2j..
  const std::vector<float> y = golden::run_float(graph, {{{1, 1, 2, 2}, {1, 2, 3, 4}}}).at(0).data;
  CHECK(y == std::vector<float>{1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16});
}

TEST_CASE("ConvTranspose with stride 1 and pads is one Conv") {
  // Full output 3x3 of the 2x2 kernel over 2x2, cropped by pads 1, 0, 0, 1: rows 1..2, cols 0..1.
  const ir::Graph graph = transposed({{"pads", {1, 0, 0, 1}}}).import();
  REQUIRE(graph.nodes.size() == 1);
  // full: 1 4 4 / 6 20 16 / 9 24 16
  const std::vector<float> y = golden::run_float(graph, {{{1, 1, 2, 2}, {1, 2, 3, 4}}}).at(0).data;
  CHECK(y == std::vector<float>{6, 20, 9, 24});
}

TEST_CASE("ConvTranspose pads past the kernel's reach crop the spread input first") {
  SECTION("stride 1: the top row pad 2 keeps the last row of the full output") {
    const ir::Graph graph = transposed({{"pads", {2, 0, 0, 0}}}).import();
    REQUIRE(graph.nodes.size() == 2);
    const ir::Node& crop = graph.nodes[0];
    CHECK(crop.op == ir::Op::MaxPool);  // 1x1: input row 1 only
    CHECK(crop.window.pad_top == -1);
    CHECK(graph.shape(crop.output) == ir::Dims{1, 1, 1, 2});
    CHECK(graph.nodes[1].window.pad_top == 0);
    CHECK(graph.nodes[1].window.pad_bottom == 1);
    // full: 1 4 4 / 6 20 16 / 9 24 16
    const auto y = golden::run_float(graph, {{{1, 1, 2, 2}, {1, 2, 3, 4}}}).at(0);
    CHECK(y.shape == ir::Dims{1, 1, 1, 3});
    CHECK(y.data == std::vector<float>{9, 24, 16});
  }
  SECTION("stride 2: columns cropped by 2 on the left and 1 on the right keep column 2") {
    const ir::Graph graph = transposed({{"strides", {2, 2}}, {"pads", {0, 2, 0, 1}}}).import();
    REQUIRE(graph.nodes.size() == 3);
    CHECK(graph.nodes[0].op == ir::Op::ZeroInsert);
    CHECK(graph.nodes[1].op == ir::Op::MaxPool);
    CHECK(graph.nodes[1].window.pad_left == -1);
    CHECK(graph.nodes[1].window.pad_right == 0);
    // full: 1 2 2 4 / 3 4 6 8 / 3 6 4 8 / 9 12 12 16
    const auto y = golden::run_float(graph, {{{1, 1, 2, 2}, {1, 2, 3, 4}}}).at(0);
    CHECK(y.shape == ir::Dims{1, 1, 4, 1});
    CHECK(y.data == std::vector<float>{2, 6, 4, 12});
  }
}

TEST_CASE("ConvTranspose the IR cannot express is a one-line error") {
  CHECK_THAT(import_error(transposed({{"pads", {5, 0, -5, 0}}})),
             Contains("node 'up' (ConvTranspose): pads 5, -5 of the height crop the whole input "
                      "away (an output of padding only); not supported"));
  CHECK_THAT(import_error(transposed({{"pads", {2, 0, 1, 0}}})),
             Contains("node 'up' (ConvTranspose): the output height is 0; it must be at least 1"));
  CHECK_THAT(import_error(transposed({{"strides", {2, 2}}, {"output_padding", {2, 0}}})),
             Contains("attribute 'output_padding' 2 is not below the stride or dilation"));
  CHECK_THAT(import_error(transposed({{"kernel_shape", {3, 3}}})),
             Contains("attribute 'kernel_shape' 3x3 does not match weight 'w'"));
  CHECK_THAT(import_error(transposed({{"pads", {0, 0, -(std::int64_t{1} << 40), 0}}})),
             Contains("attribute 'pads' value -1099511627776 is out of range"));
  CHECK_THAT(import_error(transposed({{"strides", {2}}})),
             Contains("attribute 'strides' has 1 values; only 2-D windows are supported"));
}

}  // namespace pimhls::test
