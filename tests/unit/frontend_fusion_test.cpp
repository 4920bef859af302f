// BatchNormalization folding and activation fusion, with folded numbers worked out by hand.
#include <catch2/catch.hpp>

#include "frontend/fusion.h"
#include "onnx_builder.h"

namespace pimhls::test {
namespace {

using Floats = std::vector<float>;

// Conv (1 -> 2 channels, 1x1, w = [2, 3], b = [1, -1]) -> BN -> Relu, epsilon 1 so that
// sqrt(var + eps) is whole: var = [3, 0] -> [2, 1]; scale = [1, 2] -> a = scale / sqrt = [0.5, 2];
// B = [0.5, 0], mean = [1, 2] -> shift = B - mean * a = [0, -4].
// Folded: w' = w * a = [1, 6]; b' = b * a + shift = [0.5, -6].
OnnxBuilder conv_bn_relu(bool conv_output_also_read) {
  OnnxBuilder b;
  b.input("x", {1, 1, 2, 2}).output("y", 4);
  b.initializer("W", {2, 1, 1, 1}, {2, 3}).initializer("B", {2}, {1, -1});
  b.initializer("scale", {2}, {1, 2}).initializer("shift", {2}, {0.5f, 0});
  b.initializer("mean", {2}, {1, 2}).initializer("var", {2}, {3, 0});
  b.node("Conv", {"x", "W", "B"}, {"c"}, "conv");
  b.node("BatchNormalization", {"c", "scale", "shift", "mean", "var"}, {"n"}, "bn")
      .attr("epsilon", 1.0f);
  b.node("Relu", {"n"}, {"y"}, "relu");
  if (conv_output_also_read) {
    b.output("side", 4);
    b.node("Relu", {"c"}, {"side"}, "side_relu");
  }
  return b;
}

TEST_CASE("Conv -> BatchNormalization -> Relu folds into one Conv") {
  const ir::Graph graph = conv_bn_relu(false).import();
  REQUIRE(graph.nodes.size() == 1);
  const ir::Node& conv = graph.nodes[0];
  CHECK(conv.name == "conv");
  CHECK(conv.op == ir::Op::Conv);
  CHECK(conv.activation.kind == ir::Activation::Kind::Relu);
  CHECK(conv.weight.data == Floats{1, 6});
  CHECK(conv.bias.data == Floats{0.5f, -6});
  CHECK(graph.value(conv.output).name == "y");
  CHECK(graph.values.size() == 2);
}

TEST_CASE("a BatchNormalization whose producer output is read elsewhere becomes ChannelAffine") {
  const ir::Graph graph = conv_bn_relu(true).import();
  const ir::Node* affine = find_node(graph, ir::Op::ChannelAffine);
  REQUIRE(affine != nullptr);
  CHECK(affine->name == "bn");
  CHECK(affine->weight.shape == ir::Dims{2});
  CHECK(affine->weight.data == Floats{0.5f, 2});
  CHECK(affine->bias.data == Floats{0, -4});
  const ir::Node* conv = find_node(graph, ir::Op::Conv);
  REQUIRE(conv != nullptr);
  CHECK(conv->weight.data == Floats{2, 3});  // untouched
  CHECK(conv->activation.kind == ir::Activation::Kind::None);
  // The BN's own Relu has a ChannelAffine producer: it stays a node.
  CHECK(graph.nodes.size() == 4);
}

TEST_CASE("with fuse off, BatchNormalization and Relu stay nodes") {
  frontend::ImportOptions options;
  options.fuse = false;
  const ir::Graph graph = conv_bn_relu(false).import(options);
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[0].op == ir::Op::Conv);
  CHECK(graph.nodes[1].op == ir::Op::ChannelAffine);
  CHECK(graph.nodes[1].weight.data == Floats{0.5f, 2});
  CHECK(graph.nodes[2].op == ir::Op::Relu);
}

TEST_CASE("Gemm -> BatchNormalization (1-D) folds into the Gemm") {
  // W (transB) = [[1, 2], [3, 4]], C = [1, 1]; var = [0, 3], eps 1 -> sqrt = [1, 2];
  // scale = [2, 4] -> a = [2, 2]; B = [0, 1], mean = [1, 0] -> shift = [-2, 1].
  // W' rows scaled by a: [[2, 4], [6, 8]]; b' = [1*2 - 2, 1*2 + 1] = [0, 3].
  OnnxBuilder b;
  b.input("x", {1, 2}).output("y", 2);
  b.initializer("W", {2, 2}, {1, 2, 3, 4}).initializer("C", {2}, {1, 1});
  b.initializer("scale", {2}, {2, 4}).initializer("shift", {2}, {0, 1});
  b.initializer("mean", {2}, {1, 0}).initializer("var", {2}, {0, 3});
  b.node("Gemm", {"x", "W", "C"}, {"g"}, "fc").attr("transB", 1);
  b.node("BatchNormalization", {"g", "scale", "shift", "mean", "var"}, {"y"}).attr("epsilon", 1.0f);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].name == "fc");
  CHECK(graph.nodes[0].weight.data == Floats{2, 4, 6, 8});
  CHECK(graph.nodes[0].bias.data == Floats{0, 3});
}

TEST_CASE("BatchNormalization on a graph input is a ChannelAffine node") {
  OnnxBuilder b;
  b.input("x", {1, 2, 3, 3}).output("y", 4);
  b.initializer("scale", {2}, {3, 1}).initializer("shift", {2}, {1, 1});
  b.initializer("mean", {2}, {0, 1}).initializer("var", {2}, {0, 0});
  b.node("BatchNormalization", {"x", "scale", "shift", "mean", "var"}, {"y"}).attr("epsilon", 1.0f);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].op == ir::Op::ChannelAffine);
  CHECK(graph.nodes[0].weight.data == Floats{3, 1});
  CHECK(graph.nodes[0].bias.data == Floats{1, 0});  // 1 - 0*3, 1 - 1*1
}

// Input normalization as models export it: (x - mean) / std per channel, then a scalar gain.
TEST_CASE("Sub, Div and Mul by constants: an Add and ChannelAffine nodes") {
  OnnxBuilder b;
  b.input("x", {1, 2, 3, 3}).output("y", 4);
  b.initializer("mean", {1, 2, 1, 1}, {0.5f, 1}).initializer("std", {2, 1, 1}, {2, 4});
  b.initializer("gain", {}, {3});
  b.node("Sub", {"x", "mean"}, {"c"}, "center");
  b.node("Div", {"c", "std"}, {"n"}, "normalize");
  b.node("Mul", {"gain", "n"}, {"y"}, "gain");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[0].op == ir::Op::Add);
  CHECK(graph.nodes[0].weight.data == Floats{-0.5f, -1});
  CHECK(graph.nodes[1].op == ir::Op::ChannelAffine);
  CHECK(graph.nodes[1].weight.data == Floats{0.5f, 0.25f});
  CHECK(graph.nodes[1].bias.data == Floats{0, 0});
  CHECK(graph.nodes[2].op == ir::Op::ChannelAffine);
  CHECK(graph.nodes[2].weight.data == Floats{3, 3});
}

TEST_CASE("a Mul by a per-channel constant after a Conv folds into its weights") {
  OnnxBuilder b;
  b.input("x", {1, 1, 2, 2}).output("y", 4);
  b.initializer("W", {2, 1, 1, 1}, {2, 3}).initializer("B", {2}, {1, -1});
  b.initializer("k", {2, 1, 1}, {0.5f, 2});
  b.node("Conv", {"x", "W", "B"}, {"c"}, "conv");
  b.node("Mul", {"c", "k"}, {"y"}, "scale");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].weight.data == Floats{1, 6});
  CHECK(graph.nodes[0].bias.data == Floats{0.5f, -2});
}

TEST_CASE("an Add of one value per channel joins the bias of a Conv or ChannelAffine before it") {
  // (A Linear on a channels-last view is a MatMul, a 1x1 Conv, then an Add of the bias.)
  auto conv_add = [](const ir::Dims& shape, const Floats& values) {
    OnnxBuilder b;
    b.input("x", {1, 1, 1, 2}).output("y", 4);
    b.initializer("W", {2, 1, 1, 1}, {2, 3}).initializer("B", {2}, {1, -1});
    b.initializer("k", shape, values);
    b.node("Conv", {"x", "W", "B"}, {"c"}, "conv");
    b.node("Add", {"k", "c"}, {"y"}, "bias");
    return b.import();
  };
  const ir::Graph folded = conv_add({2, 1, 1}, {0.5f, 2});
  REQUIRE(folded.nodes.size() == 1);
  CHECK(folded.nodes[0].op == ir::Op::Conv);
  CHECK(folded.nodes[0].bias.data == Floats{1.5f, 1});
  CHECK(conv_add({}, {4}).nodes.at(0).bias.data == Floats{5, 3});  // a scalar
  const ir::Graph per_pixel = conv_add({1, 2}, {0.5f, 2});         // along W: not a bias
  REQUIRE(per_pixel.nodes.size() == 2);
  CHECK(per_pixel.nodes[0].bias.data == Floats{1, -1});
  CHECK(per_pixel.nodes[1].op == ir::Op::Add);

  // LayerNorm's scale and shift before opset 17 (Mul, Add): one ChannelAffine.
  OnnxBuilder b;
  b.input("x", {1, 2, 1, 2}).output("y", 4);
  b.initializer("scale", {2, 1, 1}, {3, 4}).initializer("shift", {2, 1, 1}, {0.5f, -1});
  b.node("Mul", {"x", "scale"}, {"m"}, "scale");
  b.node("Add", {"m", "shift"}, {"y"}, "shift");
  const ir::Graph affine = b.import();
  REQUIRE(affine.nodes.size() == 1);
  CHECK(affine.nodes[0].op == ir::Op::ChannelAffine);
  CHECK(affine.nodes[0].weight.data == Floats{3, 4});
  CHECK(affine.nodes[0].bias.data == Floats{0.5f, -1});
}

TEST_CASE("Mul of two activations: one shape, or a gate per channel second") {
  OnnxBuilder b;
  b.input("x", {1, 3, 2, 2}).input("g", {1, 3, 1, 1}).input("z", {1, 3, 2, 2}).output("y", 4);
  b.node("Mul", {"g", "x"}, {"gated"}, "se");
  b.node("Mul", {"gated", "z"}, {"y"}, "product");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::Mul);
  CHECK(graph.value(graph.nodes[0].inputs[0]).name == "x");  // the gate goes second
  CHECK(graph.value(graph.nodes[0].inputs[1]).name == "g");
  CHECK(graph.shape(graph.nodes[0].output) == ir::Dims{1, 3, 2, 2});
  CHECK(graph.nodes[1].op == ir::Op::Mul);
  CHECK(graph.value(graph.nodes[1].inputs[1]).name == "z");
}

TEST_CASE("Relu after a Conv whose output is also a graph output is not fused") {
  OnnxBuilder b;
  b.input("x", {1, 1, 2, 2}).initializer("W", {1, 1, 1, 1}, {1}).output("c", 4).output("y", 4);
  b.node("Conv", {"x", "W"}, {"c"});
  b.node("Relu", {"c"}, {"y"});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].activation.kind == ir::Activation::Kind::None);
}

TEST_CASE("Relu after a Conv with two consumers is not fused") {
  OnnxBuilder b;
  b.input("x", {1, 1, 2, 2}).initializer("W", {1, 1, 1, 1}, {1}).output("y", 4);
  b.node("Conv", {"x", "W"}, {"c"});
  b.node("Relu", {"c"}, {"r"});
  b.node("Add", {"r", "c"}, {"y"});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[0].activation.kind == ir::Activation::Kind::None);
  CHECK(graph.nodes[1].op == ir::Op::Relu);
}

TEST_CASE("a residual Add and its Relu are one node; a Mul takes a Clip; not with two readers") {
  // x -> Conv (identity) -> c; s = Add(c, x) -> Relu; m = Mul(that, x) -> Clip[0, 6] -> y; the
  // Add t = y + x is a graph output, so the Relu after it stays a node.
  OnnxBuilder b;
  b.input("x", {1, 2, 2, 2}).initializer("W", {2, 2, 1, 1}, {1, 0, 0, 1}).output("y", 4);
  b.output("t", 4).output("u", 4);
  b.initializer("lo", {}, {0}).initializer("hi", {}, {6});
  b.node("Conv", {"x", "W"}, {"c"}, "conv");
  b.node("Add", {"c", "x"}, {"s"}, "residual");
  b.node("Relu", {"s"}, {"r"}, "residual_relu");
  b.node("Mul", {"r", "x"}, {"m"}, "gate");
  b.node("Clip", {"m", "lo", "hi"}, {"y"}, "gate_clip");
  b.node("Add", {"y", "x"}, {"t"}, "second");
  b.node("Relu", {"t"}, {"u"}, "second_relu");
  const ir::Graph graph = b.import();
  std::vector<std::string> names;
  for (const ir::Node& node : graph.nodes) names.push_back(node.name);
  CHECK(names == std::vector<std::string>{"conv", "residual", "gate", "second", "second_relu"});
  CHECK(graph.nodes[1].activation.kind == ir::Activation::Kind::Relu);
  CHECK(graph.nodes[2].activation.kind == ir::Activation::Kind::Clip);
  CHECK(graph.nodes[2].activation.max == 6.0f);
  CHECK(graph.nodes[3].activation.kind == ir::Activation::Kind::None);  // (t is an output)
}

TEST_CASE("Gemm -> Clip fuses; a second clamp joins it (the intersection of the ranges)") {
  OnnxBuilder b;
  b.input("x", {1, 2}).initializer("W", {2, 2}, {1, 2, 3, 4}).output("y", 2);
  b.initializer("lo", {}, {-2}).initializer("hi", {}, {6});
  b.node("Gemm", {"x", "W"}, {"g"}, "fc");
  b.node("Clip", {"g", "lo", "hi"}, {"c"});
  b.node("Relu", {"c"}, {"y"});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].activation.kind == ir::Activation::Kind::Clip);
  CHECK(graph.nodes[0].activation.min == 0.0f);
  CHECK(graph.nodes[0].activation.max == 6.0f);
  CHECK(graph.value(graph.nodes[0].output).name == "y");
}

TEST_CASE("remove_unused_values renumbers what is left") {
  ir::Graph graph;
  graph.values = {{"x", {1}, -1}, {"orphan", {1}, -1}, {"y", {1}, 0}};
  graph.inputs = {0};
  graph.outputs = {2};
  ir::Node relu;
  relu.name = "relu";
  relu.inputs = {0};
  relu.output = 2;
  graph.nodes.push_back(relu);
  frontend::remove_unused_values(graph);
  REQUIRE(graph.values.size() == 2);
  CHECK(graph.values[1].name == "y");
  CHECK(graph.nodes[0].output == 1);
  CHECK(graph.outputs == std::vector<ir::ValueId>{1});
}

}  // namespace
}  // namespace pimhls::test
