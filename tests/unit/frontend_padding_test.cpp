// Pad with a constant folds into the window of the Conv or pool that reads it; Max/Min of an
// activation and scalar constants import as clamps, and chains of clamps fuse into one.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "frontend/graph_builder.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;
constexpr float kInf = std::numeric_limits<float>::infinity();

// x [1, 2, 5, 6] -> Pad(pads) -> Conv 3x3 (own pads `conv_pads`) -> y.
OnnxBuilder padded_conv(const std::vector<std::int64_t>& pads,
                        const std::vector<std::int64_t>& conv_pads = {0, 0, 0, 0}) {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 5, 6}).output("y", 4);
  b.int_initializer("pads", {8}, pads);
  b.initializer("w", {4, 2, 3, 3}, std::vector<float>(72, 0.5f));
  b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  b.node("Conv", {"p", "w"}, {"y"}, "conv").attr("pads", conv_pads);
  return b;
}

}  // namespace

TEST_CASE("a zero Pad before a Conv becomes the Conv's pads") {
  // H: 1 before, 2 after (Pad) + 1, 0 (Conv); W: 0, 3 (Pad) + 2, 1 (Conv).
  const ir::Graph graph = padded_conv({0, 0, 1, 0, 0, 0, 2, 3}, {1, 2, 0, 1}).import();
  REQUIRE(graph.nodes.size() == 1);
  const ir::Node& conv = graph.nodes[0];
  CHECK(conv.op == ir::Op::Conv);
  CHECK(conv.inputs[0] == graph.inputs[0]);  // reads x itself
  CHECK(conv.window.pad_top == 2);
  CHECK(conv.window.pad_bottom == 2);
  CHECK(conv.window.pad_left == 2);
  CHECK(conv.window.pad_right == 4);
  // (5 + 4 - 3) + 1 = 7 rows, (6 + 6 - 3) + 1 = 10 columns
  CHECK(graph.shape(conv.output) == ir::Dims{1, 4, 7, 10});
}

TEST_CASE("Pad in every opset spelling: the pads attribute, inputs, axes, Pad after Pad") {
  SECTION("opset 2: attributes pads, mode and value") {
    OnnxBuilder b(9);
    b.input("x", {1, 2, 5, 6}).output("y", 4);
    b.initializer("w", {4, 2, 3, 3}, std::vector<float>(72, 0.5f));
    b.node("Pad", {"x"}, {"p"}, "pad")
        .attr("pads", std::vector<std::int64_t>{0, 0, 1, 1, 0, 0, 1, 1})
        .attr("mode", "constant")
        .attr("value", 0.0f);
    b.node("Conv", {"p", "w"}, {"y"}, "conv");
    const ir::Graph graph = b.import();
    REQUIRE(graph.nodes.size() == 1);
    CHECK(graph.nodes[0].window.pad_top == 1);
    CHECK(graph.nodes[0].window.pad_right == 1);
  }
  SECTION("opset 18: axes select H and W; a zero constant_value") {
    OnnxBuilder b(18);
    b.input("x", {1, 2, 5, 6}).output("y", 4);
    b.initializer("w", {4, 2, 3, 3}, std::vector<float>(72, 0.5f));
    b.int_initializer("pads", {4}, {1, 2, 3, 4});
    b.initializer("zero", {}, {0.0f});
    b.int_initializer("axes", {2}, {-1, 2});  // W then H
    b.node("Pad", {"x", "pads", "zero", "axes"}, {"p"}, "pad");
    b.node("Conv", {"p", "w"}, {"y"}, "conv");
    const ir::Graph graph = build_unchecked(b, 18);
    REQUIRE(graph.nodes.size() == 1);
    const ir::Window& w = graph.nodes[0].window;
    CHECK(w.pad_left == 1);
    CHECK(w.pad_top == 2);
    CHECK(w.pad_right == 3);
    CHECK(w.pad_bottom == 4);
  }
  SECTION("two Pads add up") {
    OnnxBuilder b(13);
    b.input("x", {1, 2, 5, 6}).output("y", 4);
    b.initializer("w", {4, 2, 3, 3}, std::vector<float>(72, 0.5f));
    b.int_initializer("pads1", {8}, {0, 0, 1, 0, 0, 0, 0, 1});
    b.int_initializer("pads2", {8}, {0, 0, 2, 1, 0, 0, 0, 0});
    b.node("Pad", {"x", "pads1"}, {"p1"}, "pad1");
    b.node("Identity", {"p1"}, {"i"}, "id");
    b.node("Pad", {"i", "pads2"}, {"p2"}, "pad2");
    b.node("Conv", {"p2", "w"}, {"y"}, "conv");
    const ir::Graph graph = b.import();
    REQUIRE(graph.nodes.size() == 1);
    const ir::Window& w = graph.nodes[0].window;
    CHECK(w.pad_top == 3);
    CHECK(w.pad_left == 1);
    CHECK(w.pad_bottom == 0);
    CHECK(w.pad_right == 1);
  }
}

TEST_CASE("a zero Pad before an AveragePool counts its zeros in the average") {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 4, 4}).output("y", 4);
  b.int_initializer("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
  b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  b.node("AveragePool", {"p"}, {"y"}, "pool")
      .attr("kernel_shape", std::vector<std::int64_t>{2, 2})
      .attr("strides", std::vector<std::int64_t>{2, 2});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 1);
  const ir::Node& pool = graph.nodes[0];
  CHECK(pool.op == ir::Op::AveragePool);
  CHECK(pool.window.count_include_pad);
  CHECK(pool.window.pad_top == 1);
  CHECK(pool.window.pad_right == 1);
  CHECK(graph.shape(pool.output) == ir::Dims{1, 2, 3, 3});
}

TEST_CASE("a Pad that cannot import names the node and the reason") {
  const auto fails_with = [](const OnnxBuilder& b, const std::string& text) {
    CHECK_THROWS_WITH(b.import(), Contains("test.onnx") && Contains(text));
  };
  const auto pad_with = [](std::vector<std::int64_t> pads, const char* mode, float value) {
    OnnxBuilder b(13);
    b.input("x", {1, 2, 5, 6}).output("y", 4);
    b.int_initializer("pads", {8}, pads);
    b.initializer("value", {}, {value});
    b.initializer("w", {4, 2, 3, 3}, std::vector<float>(72, 0.5f));
    b.node("Pad", {"x", "pads", "value"}, {"p"}, "pad").attr("mode", mode);
    b.node("Conv", {"p", "w"}, {"y"}, "conv");
    return b;
  };
  fails_with(pad_with({0, 0, 1, 1, 0, 0, 1, 1}, "mirror", 0),
             "node 'pad' (Pad): attribute 'mode' = 'mirror' is not supported");
  fails_with(pad_with({0, 0, 0, 6, 0, 0, 0, 0}, "reflect", 0),
             "node 'pad' (Pad): pads 6 and 0 of axis 3 (size 6) do not fit mode 'reflect'");
  fails_with(pad_with({0, 0, 0, 0, 0, 0, 5, 0}, "reflect", 0), "of axis 2 (size 5) do not fit");
  const float inf = std::numeric_limits<float>::infinity();
  fails_with(pad_with({0, 0, 1, 1, 0, 0, 1, 1}, "constant", inf),
             "node 'pad' (Pad): pads with inf; only finite values and -inf (before a MaxPool)");
  fails_with(pad_with({0, 0, 1, 1, 0, 0, 1, 1}, "constant", std::nanf("")), "pads with nan");
  fails_with(pad_with({0, 0, 1, 1, 0, 0, 1, 1}, "constant", -inf),
             "node 'conv' (Conv): input 'p' is padded with -inf (Pad 'pad'), which only a MaxPool "
             "can read");
  OnnxBuilder at_output(13);
  at_output.input("x", {1, 2, 5, 6}).output("p", 4);
  at_output.int_initializer("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
  at_output.initializer("value", {}, {-inf});
  at_output.node("Pad", {"x", "pads", "value"}, {"p"}, "pad");
  fails_with(at_output, "test.onnx: graph output: input 'p' is padded with -inf (Pad 'pad')");
  fails_with(pad_with({0, 1, 1, 1, 0, 0, 1, 1}, "constant", 0), "only H and W");
  fails_with(pad_with({0, 0, -1, 1, 0, 0, 1, 1}, "constant", 0), "no cropping");
}

TEST_CASE("Max and Min of an activation and constants are clamps; clamp chains fuse") {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 4, 4}).output("y", 4);
  b.initializer("w", {3, 2, 1, 1}, {1, 2, 3, 4, 5, 6});
  b.initializer("zero", {}, {0.0f});
  b.initializer("six", {1}, {6.0f});
  b.initializer("seven", {}, {7.0f});
  b.node("Conv", {"x", "w"}, {"c"}, "conv");
  b.node("Max", {"zero", "c"}, {"m"}, "max");
  b.node("Min", {"m", "seven", "six"}, {"y"}, "min");

  SECTION("ReLU6 written as Max then Min fuses into the Conv") {
    const ir::Graph graph = b.import();
    REQUIRE(graph.nodes.size() == 1);
    CHECK(graph.nodes[0].activation.kind == ir::Activation::Kind::Clip);
    CHECK(graph.nodes[0].activation.min == 0.0f);
    CHECK(graph.nodes[0].activation.max == 6.0f);
  }
  SECTION("unfused: Max(x, 0) is a Relu node, Min a Clip node") {
    frontend::ImportOptions options;
    options.fuse = false;
    const ir::Graph graph = b.import(options);
    REQUIRE(graph.nodes.size() == 3);
    CHECK(graph.nodes[1].op == ir::Op::Relu);
    CHECK(graph.nodes[1].activation.kind == ir::Activation::Kind::Relu);
    CHECK(graph.nodes[2].op == ir::Op::Clip);
    CHECK(graph.nodes[2].activation.min == -kInf);
    CHECK(graph.nodes[2].activation.max == 6.0f);
  }
}

TEST_CASE("clamps fuse only where their ranges overlap") {
  // x -> Clip[-1, 4] -> Relu -> Clip[5, 9]: the first two are one Clip[0, 4]; [5, 9] does not
  // overlap it (the result would be the constant 5) and stays a node.
  OnnxBuilder b(13);
  b.input("x", {1, 2, 4, 4}).output("y", 4);
  b.initializer("lo", {}, {-1.0f});
  b.initializer("hi", {}, {4.0f});
  b.initializer("lo2", {}, {5.0f});
  b.initializer("hi2", {}, {9.0f});
  b.node("Clip", {"x", "lo", "hi"}, {"a"}, "clip");
  b.node("Relu", {"a"}, {"r"}, "relu");
  b.node("Clip", {"r", "lo2", "hi2"}, {"y"}, "clip2");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::Clip);
  CHECK(graph.nodes[0].activation.min == 0.0f);
  CHECK(graph.nodes[0].activation.max == 4.0f);
  CHECK(graph.nodes[1].activation.min == 5.0f);
}

TEST_CASE("Max and Min: errors, and folding on constants") {
  SECTION("of two activations of different shapes") {
    OnnxBuilder b(13);
    b.input("x", {1, 4}).input("z", {1, 1}).output("y", 2);
    b.node("Max", {"x", "z"}, {"y"}, "max");
    CHECK_THROWS_WITH(b.import(), Contains("node 'max' (Max): Max of activations of different "
                                           "shapes ('x' 1x4, 'z' 1x1) is not supported"));
  }
  SECTION("with a constant of one value that does not broadcast") {
    OnnxBuilder b(13);
    b.input("x", {1, 4}).output("y", 2);
    b.initializer("c", {2, 4}, std::vector<float>(8, 1.0f));
    b.node("Max", {"x", "c"}, {"y"}, "max");
    CHECK_THROWS_WITH(b.import(), Contains("input 'c' of shape 2x4 broadcasts the activation 'x' "
                                           "of shape 1x4"));
  }
  SECTION("with a constant per element") {
    OnnxBuilder b(13);
    b.input("x", {1, 4}).output("y", 2);
    b.initializer("c", {4}, {0, 1, 2, 3});
    b.node("Min", {"x", "c"}, {"y"}, "min");
    CHECK_THROWS_WITH(b.import(), Contains("input 'c' has shape 4; Min of an activation needs "
                                           "scalar constants"));
  }
  SECTION("shape arithmetic folds: Max(shape, [1, 9]) as a Reshape target") {
    OnnxBuilder b(13);
    b.input("x", {1, 4, 2}).output("y", 2);
    b.int_initializer("lower", {2}, {1, 8});
    b.node("Shape", {"x"}, {"s"}, "shape");
    b.node("Slice", {"s", "zero", "two"}, {"s2"}, "slice");
    b.int_initializer("zero", {1}, {0});
    b.int_initializer("two", {1}, {2});
    b.node("Min", {"s2", "lower"}, {"t"}, "min");  // min([1, 4], [1, 8]) = [1, 4]
    b.int_initializer("eight", {1}, {8});
    b.node("Max", {"t", "eight"}, {"u"}, "max");  // [8, 8]
    b.node("Slice", {"u", "zero", "one"}, {"n"}, "slice2");
    b.int_initializer("one", {1}, {1});
    b.int_initializer("minus", {1}, {-1});
    b.node("Concat", {"minus", "n"}, {"target"}, "concat").attr("axis", 0);
    b.node("Reshape", {"x", "target"}, {"y"}, "reshape");  // [-1, 8]: 1x8
    const ir::Graph graph = b.import();
    CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 8});
  }
}

}  // namespace pimhls::test
