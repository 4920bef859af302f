// ONNX operators -> IR: shapes, resolved windows, normalized weights, folded shape arithmetic.
// Every expected value is worked out by hand from the ONNX operator definitions.
#include <catch2/catch.hpp>
#include <limits>

#include "onnx_builder.h"

namespace pimhls::test {
namespace {

using Ints = std::vector<std::int64_t>;
using Floats = std::vector<float>;
constexpr float kInfinity = std::numeric_limits<float>::infinity();

const ir::Node& only_node(const ir::Graph& graph) {
  REQUIRE(graph.nodes.size() == 1);
  return graph.nodes[0];
}
const ir::Node& only_node(const ir::Graph&& graph) = delete;  // would dangle

const ir::Dims& output_shape(const ir::Graph& graph, std::size_t i = 0) {
  REQUIRE(graph.outputs.size() > i);
  return graph.shape(graph.outputs[i]);
}

TEST_CASE("Conv: output shape, explicit window, weights and a zero bias") {
  OnnxBuilder b;
  b.input("x", {1, 2, 5, 5}).initializer("W", {4, 2, 3, 3}, ramp(72)).output("y", 4);
  b.node("Conv", {"x", "W"}, {"y"}, "conv")
      .attr("strides", Ints{2, 2})
      .attr("pads", Ints{1, 1, 1, 1});
  const ir::Graph graph = b.import();
  const ir::Node& conv = only_node(graph);
  CHECK(conv.name == "conv");
  CHECK(conv.op == ir::Op::Conv);
  // (5 + 1 + 1 - 3) / 2 + 1 = 3
  CHECK(output_shape(graph) == ir::Dims{1, 4, 3, 3});
  CHECK(conv.window.kernel_h == 3);
  CHECK(conv.window.stride_w == 2);
  CHECK(conv.window.pad_top == 1);
  CHECK(conv.window.pad_right == 1);
  CHECK(conv.window.group == 1);
  CHECK(conv.weight.shape == ir::Dims{4, 2, 3, 3});
  CHECK(conv.weight.data == ramp(72));
  CHECK(conv.bias.shape == ir::Dims{4});
  CHECK(conv.bias.data == Floats(4, 0.0f));
  REQUIRE(graph.inputs.size() == 1);
  CHECK(graph.value(graph.inputs[0]).name == "x");
  CHECK(graph.value(graph.outputs[0]).name == "y");
}

TEST_CASE("Conv: auto_pad resolved into explicit pads") {
  struct Case {
    const char* auto_pad;
    ir::Dims out;
    std::int64_t top, bottom, left, right;
  };
  // 6x5 input, 3x3 kernel, stride 2. SAME: out = ceil(6/2) x ceil(5/2) = 3x3; total pads
  // H: 2*2 + 3 - 6 = 1 (odd: end for UPPER, begin for LOWER), W: 2*2 + 3 - 5 = 2 (1 + 1).
  // VALID: floor((6-3)/2)+1 = 2, floor((5-3)/2)+1 = 2.
  const Case c = GENERATE(Case{"SAME_UPPER", {1, 1, 3, 3}, 0, 1, 1, 1},
                          Case{"SAME_LOWER", {1, 1, 3, 3}, 1, 0, 1, 1},
                          Case{"VALID", {1, 1, 2, 2}, 0, 0, 0, 0});
  OnnxBuilder b;
  b.input("x", {1, 1, 6, 5}).initializer("W", {1, 1, 3, 3}, ramp(9)).output("y", 4);
  b.node("Conv", {"x", "W"}, {"y"}).attr("strides", Ints{2, 2}).attr("auto_pad", c.auto_pad);
  const ir::Graph graph = b.import();
  const ir::Node& conv = only_node(graph);
  INFO(c.auto_pad);
  CHECK(output_shape(graph) == c.out);
  CHECK(conv.window.pad_top == c.top);
  CHECK(conv.window.pad_bottom == c.bottom);
  CHECK(conv.window.pad_left == c.left);
  CHECK(conv.window.pad_right == c.right);
}

TEST_CASE("Conv: depthwise and grouped, with a bias") {
  OnnxBuilder b;
  b.input("x", {1, 4, 5, 5}).initializer("W", {4, 1, 3, 3}, ramp(36));
  b.initializer("B", {4}, {1, 2, 3, 4}).initializer("W2", {6, 2, 1, 1}, ramp(12)).output("z", 4);
  b.node("Conv", {"x", "W", "B"}, {"y"}, "depthwise")
      .attr("group", 4)
      .attr("pads", Ints{1, 1, 1, 1});
  b.node("Conv", {"y", "W2"}, {"z"}, "grouped").attr("group", 2);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].window.group == 4);
  CHECK(graph.nodes[0].bias.data == Floats{1, 2, 3, 4});
  CHECK(graph.shape(graph.nodes[0].output) == ir::Dims{1, 4, 5, 5});
  CHECK(graph.nodes[1].window.group == 2);
  CHECK(output_shape(graph) == ir::Dims{1, 6, 5, 5});
}

TEST_CASE("MaxPool and AveragePool windows") {
  OnnxBuilder b(12);
  b.input("x", {1, 1, 6, 6}).output("ceil", 4).output("dilated", 4).output("average", 4);
  // ceil((6 - 3) / 2) + 1 = 3
  b.node("MaxPool", {"x"}, {"ceil"})
      .attr("kernel_shape", Ints{3, 3})
      .attr("strides", Ints{2, 2})
      .attr("ceil_mode", 1);
  // 2x2 kernel dilated by 2 spans 3: 6 - 3 + 1 = 4
  b.node("MaxPool", {"x"}, {"dilated"})
      .attr("kernel_shape", Ints{2, 2})
      .attr("dilations", Ints{2, 2});
  // (6 + 2 - 3) / 1 + 1 = 6
  b.node("AveragePool", {"x"}, {"average"})
      .attr("kernel_shape", Ints{3, 3})
      .attr("pads", Ints{1, 1, 1, 1})
      .attr("count_include_pad", 1);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 3);
  CHECK(output_shape(graph, 0) == ir::Dims{1, 1, 3, 3});
  CHECK(graph.nodes[0].window.ceil_mode);
  CHECK(graph.nodes[0].window.stride_h == 2);
  CHECK(output_shape(graph, 1) == ir::Dims{1, 1, 4, 4});
  CHECK(graph.nodes[1].window.dilation_w == 2);
  CHECK(output_shape(graph, 2) == ir::Dims{1, 1, 6, 6});
  CHECK(graph.nodes[2].op == ir::Op::AveragePool);
  CHECK(graph.nodes[2].window.count_include_pad);
  CHECK(graph.nodes[2].window.pad_bottom == 1);
}

TEST_CASE("MaxPool with SAME_UPPER pads like Conv") {
  OnnxBuilder b;
  b.input("x", {1, 1, 5, 5}).output("y", 4);
  // out = ceil(5/2) = 3, total pad = 2*2 + 2 - 5 = 1 at the end
  b.node("MaxPool", {"x"}, {"y"})
      .attr("kernel_shape", Ints{2, 2})
      .attr("strides", Ints{2, 2})
      .attr("auto_pad", "SAME_UPPER");
  const ir::Graph graph = b.import();
  CHECK(output_shape(graph) == ir::Dims{1, 1, 3, 3});
  CHECK(graph.nodes[0].window.pad_top == 0);
  CHECK(graph.nodes[0].window.pad_bottom == 1);
}

TEST_CASE("GlobalAveragePool, Flatten and Softmax") {
  OnnxBuilder b;
  b.input("x", {1, 3, 4, 4}).output("p", 2);
  b.node("GlobalAveragePool", {"x"}, {"g"});
  b.node("Flatten", {"g"}, {"f"});
  b.node("Softmax", {"f"}, {"p"});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.shape(graph.nodes[0].output) == ir::Dims{1, 3, 1, 1});
  CHECK(graph.nodes[1].op == ir::Op::Flatten);
  CHECK(graph.nodes[1].axis == 1);
  CHECK(graph.shape(graph.nodes[1].output) == ir::Dims{1, 3});
  CHECK(graph.nodes[2].op == ir::Op::Softmax);
  CHECK(graph.nodes[2].axis == 1);  // opset 13 default -1 on a matrix
}

TEST_CASE("LogSoftmax: its own op for the host, the axis as Softmax reads it") {
  OnnxBuilder b;
  b.input("x", {1, 5}).output("y", 2);
  b.node("LogSoftmax", {"x"}, {"y"}, "lsm");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].op == ir::Op::LogSoftmax);
  CHECK(graph.nodes[0].axis == 1);
  CHECK(ir::runs_on_host(graph.nodes[0].op));
}

TEST_CASE("Flatten with a later axis and Softmax before opset 13") {
  OnnxBuilder b(11);
  b.input("x", {2, 3, 4, 1}).output("f", 2).output("s", 4);
  b.node("Flatten", {"x"}, {"f"}).attr("axis", -2);  // 2*3 x 4*1
  b.node("Softmax", {"x"}, {"s"}).attr("axis", 2);   // trailing axis has size 1: per-axis softmax
  const ir::Graph graph = b.import();
  CHECK(output_shape(graph, 0) == ir::Dims{6, 4});
  CHECK(graph.nodes[0].axis == 2);
  CHECK(graph.nodes[1].axis == 2);
}

TEST_CASE("Gemm: B normalized to [N, K], alpha and beta applied") {
  OnnxBuilder b;
  b.input("a", {2, 3}).output("y", 2);
  // B = [[1, 2], [3, 4], [5, 6]] (K=3, N=2), transB = 0 -> weight = 2 * B^T.
  b.initializer("B", {3, 2}, ramp(6)).initializer("C", {2}, {10, 20});
  b.node("Gemm", {"a", "B", "C"}, {"y"}).attr("alpha", 2.0f).attr("beta", 0.5f);
  const ir::Graph graph = b.import();
  const ir::Node& gemm = only_node(graph);
  CHECK(gemm.op == ir::Op::Gemm);
  CHECK(gemm.weight.shape == ir::Dims{2, 3});
  CHECK(gemm.weight.data == Floats{2, 6, 10, 4, 8, 12});
  CHECK(gemm.bias.data == Floats{5, 10});
  CHECK(output_shape(graph) == ir::Dims{2, 2});
}

TEST_CASE("Gemm: transB = 1 keeps B, a scalar C broadcasts") {
  OnnxBuilder b;
  b.input("a", {1, 3}).output("y", 2);
  b.initializer("B", {2, 3}, ramp(6)).initializer("C", {}, {7});
  b.node("Gemm", {"a", "B", "C"}, {"y"}).attr("transB", 1);
  const ir::Graph graph = b.import();
  const ir::Node& gemm = only_node(graph);
  CHECK(gemm.weight.shape == ir::Dims{2, 3});
  CHECK(gemm.weight.data == ramp(6));
  CHECK(gemm.bias.data == Floats{7, 7});
}

TEST_CASE("Gemm: a C of identical rows is a per-column bias") {
  OnnxBuilder b;
  b.input("a", {2, 3}).output("y", 2);
  b.initializer("B", {2, 3}, ramp(6)).initializer("C", {2, 2}, {3, 4, 3, 4});
  b.node("Gemm", {"a", "B", "C"}, {"y"}).attr("transB", 1);
  const ir::Graph graph = b.import();
  CHECK(only_node(graph).bias.data == Floats{3, 4});
}

TEST_CASE("MatMul with a constant matrix and a following Add becomes one Gemm with bias") {
  OnnxBuilder b;
  // (a matrix [M, K]; a graph input [N, L, C] would be a channels-last view, a 1x1 Conv)
  b.input("x", {4, 3}).output("y", 2);
  b.initializer("B", {3, 2}, ramp(6)).initializer("bias", {2}, {0.5f, -0.5f});
  b.node("MatMul", {"x", "B"}, {"m"}, "fc");
  b.node("Add", {"m", "bias"}, {"y"});
  const ir::Graph graph = b.import();
  const ir::Node& gemm = only_node(graph);
  CHECK(gemm.name == "fc");
  CHECK(gemm.op == ir::Op::Gemm);
  CHECK(gemm.weight.shape == ir::Dims{2, 3});
  CHECK(gemm.weight.data == Floats{1, 3, 5, 2, 4, 6});
  CHECK(gemm.bias.data == Floats{0.5f, -0.5f});
  CHECK(output_shape(graph) == ir::Dims{4, 2});
  CHECK(graph.value(gemm.output).name == "y");
  CHECK(graph.values.size() == 2);  // x and y; the MatMul's own output is gone
}

TEST_CASE("a Transpose of a constant weight folds (MatMul exported without constant folding)") {
  OnnxBuilder b;
  b.input("x", {1, 3}).output("y", 2);
  b.initializer("W", {2, 3}, ramp(6));  // nn.Linear's [out, in] layout
  b.node("Transpose", {"W"}, {"Wt"}).attr("perm", Ints{1, 0});
  b.node("MatMul", {"x", "Wt"}, {"y"});
  const ir::Graph graph = b.import();
  CHECK(only_node(graph).weight.shape == ir::Dims{2, 3});
  CHECK(only_node(graph).weight.data == ramp(6));  // transposed twice: back to W
}

TEST_CASE("input_shapes fix a dynamic batch dimension") {
  OnnxBuilder b;
  b.dynamic_input("x", {1, 3}, 0, "batch").output("y", 2);
  b.node("Relu", {"x"}, {"y"});
  frontend::ImportOptions options;
  options.input_shapes["x"] = {2, 3};
  const ir::Graph graph = b.import(options);
  CHECK(graph.shape(graph.inputs[0]) == ir::Dims{2, 3});
  CHECK(output_shape(graph) == ir::Dims{2, 3});
  options.input_shapes = {{"", {4, 3}}};  // "": the model's only input
  const ir::Graph unnamed = b.import(options);
  CHECK(unnamed.shape(unnamed.inputs[0]) == ir::Dims{4, 3});
}

TEST_CASE("a dynamic batch dimension is taken as 1, with a note") {
  OnnxBuilder b;
  b.dynamic_input("x", {1, 2, 3, 3}, 0, "N").initializer("W", {4, 2, 1, 1}, ramp(8));
  b.output("y", 4).node("Conv", {"x", "W"}, {"y"});
  const ir::Graph graph = b.import();
  CHECK(graph.shape(graph.inputs[0]) == ir::Dims{1, 2, 3, 3});
  CHECK(output_shape(graph) == ir::Dims{1, 4, 3, 3});
  CHECK(graph.notes ==
        std::vector<std::string>{"input 'x' of shape ?x2x3x3: its dynamic batch dimension ('N') is "
                                 "taken as 1 (--input-shape sets another)"});
  // An unnamed dynamic batch (no dim_param) alike; --input-shape overrides, with no note.
  b.graph()
      .mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(0)
      ->clear_dim_param();
  const ir::Graph unnamed = b.import();
  CHECK(unnamed.shape(unnamed.inputs[0]) == ir::Dims{1, 2, 3, 3});
  CHECK(unnamed.notes ==
        std::vector<std::string>{"input 'x' of shape ?x2x3x3: its dynamic batch dimension is taken "
                                 "as 1 (--input-shape sets another)"});
  frontend::ImportOptions options;
  options.input_shapes[""] = {3, 2, 3, 3};
  const ir::Graph given = b.import(options);
  CHECK(given.shape(given.inputs[0]) == ir::Dims{3, 2, 3, 3});
  CHECK(given.notes.empty());
  // A fixed batch: nothing to note.
  OnnxBuilder fixed;
  fixed.input("x", {2, 3}).output("y", 2).node("Relu", {"x"}, {"y"});
  CHECK(fixed.import().notes.empty());
}

TEST_CASE("MatMul followed by an Add that varies along rows keeps the Add") {
  OnnxBuilder b;
  b.input("x", {2, 3}).output("y", 2);
  b.initializer("B", {3, 2}, ramp(6)).initializer("offsets", {2, 2}, {1, 2, 3, 4});
  b.node("MatMul", {"x", "B"}, {"m"});
  b.node("Add", {"m", "offsets"}, {"y"});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].bias.data == Floats{0, 0});
  CHECK(graph.nodes[1].op == ir::Op::Add);
  CHECK(graph.nodes[1].weight.shape == ir::Dims{2, 2});
}

TEST_CASE("Add: two activations broadcast; a constant operand is kept in weight") {
  OnnxBuilder b;
  b.input("x", {1, 3, 4, 4}).input("s", {1, 3, 1, 1}).output("y", 4).output("z", 4);
  b.initializer("k", {3, 1, 1}, {1, 2, 3});
  b.node("Add", {"x", "s"}, {"y"});
  b.node("Add", {"k", "x"}, {"z"});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].inputs.size() == 2);
  CHECK(output_shape(graph, 0) == ir::Dims{1, 3, 4, 4});
  CHECK(graph.nodes[1].inputs.size() == 1);
  CHECK(graph.nodes[1].weight.shape == ir::Dims{3, 1, 1});
  CHECK(graph.nodes[1].weight.data == Floats{1, 2, 3});
  CHECK(output_shape(graph, 1) == ir::Dims{1, 3, 4, 4});
}

TEST_CASE("Concat normalizes a negative axis") {
  OnnxBuilder b;
  b.input("a", {1, 2, 3, 3}).input("c", {1, 3, 3, 3}).output("y", 4);
  b.node("Concat", {"a", "c"}, {"y"}).attr("axis", -3);
  const ir::Graph graph = b.import();
  CHECK(only_node(graph).axis == 1);
  CHECK(only_node(graph).inputs.size() == 2);
  CHECK(output_shape(graph) == ir::Dims{1, 5, 3, 3});
}

TEST_CASE("Reshape with 0 and -1, and with allowzero") {
  OnnxBuilder b(14);
  b.input("x", {2, 3, 4}).output("y", 2).output("z", 2);
  b.int_initializer("keep_infer", {2}, {0, -1}).int_initializer("plain", {2}, {4, 6});
  b.node("Reshape", {"x", "keep_infer"}, {"y"});
  b.node("Reshape", {"x", "plain"}, {"z"}).attr("allowzero", 1);
  const ir::Graph graph = b.import();
  CHECK(graph.nodes[0].op == ir::Op::Reshape);
  CHECK(output_shape(graph, 0) == ir::Dims{2, 12});
  CHECK(output_shape(graph, 1) == ir::Dims{4, 6});
}

TEST_CASE("Squeeze and Unsqueeze of activations become Reshape (axes attribute or input)") {
  const int opset = GENERATE(11, 13);
  OnnxBuilder b(opset);
  b.input("x", {1, 3, 1, 1}).output("s", 2).output("y", 3);
  if (opset < 13) {
    b.node("Squeeze", {"x"}, {"s"}).attr("axes", Ints{2, 3});
    b.node("Unsqueeze", {"s"}, {"y"}).attr("axes", Ints{0});
  } else {
    b.int_initializer("squeeze_axes", {2}, {-1, -2}).int_initializer("unsqueeze_axes", {1}, {0});
    b.node("Squeeze", {"x", "squeeze_axes"}, {"s"});
    b.node("Unsqueeze", {"s", "unsqueeze_axes"}, {"y"});
  }
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::Reshape);
  CHECK(graph.shape(graph.nodes[0].output) == ir::Dims{1, 3});
  CHECK(output_shape(graph, 1) == ir::Dims{1, 1, 3});
  // A view of a view is one view of the input.
  CHECK(graph.nodes[1].inputs[0] == graph.inputs[0]);
}

TEST_CASE("ReduceMean over H and W becomes GlobalAveragePool") {
  OnnxBuilder b;
  b.input("x", {1, 3, 4, 4}).output("kept", 4).output("dropped", 2);
  b.node("ReduceMean", {"x"}, {"kept"}).attr("axes", Ints{2, 3});
  b.node("ReduceMean", {"x"}, {"dropped"}, "mean").attr("axes", Ints{-1, -2}).attr("keepdims", 0);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[0].op == ir::Op::GlobalAveragePool);
  CHECK(output_shape(graph, 0) == ir::Dims{1, 3, 1, 1});
  CHECK(graph.nodes[1].op == ir::Op::GlobalAveragePool);
  CHECK(graph.nodes[2].op == ir::Op::Reshape);
  CHECK(graph.nodes[2].name == "mean/squeeze");
  CHECK(output_shape(graph, 1) == ir::Dims{1, 3});
}

TEST_CASE("reductions over the channels: a 1x1 Conv of equal weights, or ChannelMax") {
  OnnxBuilder b;
  b.input("x", {1, 4, 3, 3}).output("mean", 4).output("sum", 3).output("max", 4).output("gmax", 4);
  b.node("ReduceMean", {"x"}, {"mean"}).attr("axes", Ints{1});
  b.node("ReduceSum", {"x", "axes"}, {"sum"}, "sum").attr("keepdims", 0);
  b.int_initializer("axes", {1}, {-3});
  b.node("ReduceMax", {"x"}, {"max"}).attr("axes", Ints{1});
  b.node("GlobalMaxPool", {"x"}, {"gmax"});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 5);
  const ir::Node& mean = graph.nodes[0];
  CHECK(mean.op == ir::Op::Conv);
  CHECK(mean.weight.shape == ir::Dims{1, 4, 1, 1});
  CHECK(mean.weight.data == std::vector<float>(4, 0.25f));
  CHECK(mean.bias.data == std::vector<float>{0.0f});
  CHECK(output_shape(graph, 0) == ir::Dims{1, 1, 3, 3});
  CHECK(graph.nodes[1].op == ir::Op::Conv);  // keepdims = 0: the Conv, then a Reshape
  CHECK(graph.nodes[1].weight.data == std::vector<float>(4, 1.0f));
  CHECK(graph.nodes[2].op == ir::Op::Reshape);
  CHECK(output_shape(graph, 1) == ir::Dims{1, 3, 3});
  CHECK(graph.nodes[3].op == ir::Op::ChannelMax);
  CHECK(output_shape(graph, 2) == ir::Dims{1, 1, 3, 3});
  const ir::Node& gmax = graph.nodes[4];  // a MaxPool over the whole plane
  CHECK(gmax.op == ir::Op::MaxPool);
  CHECK(gmax.window.kernel_h == 3);
  CHECK(gmax.window.kernel_w == 3);
  CHECK(output_shape(graph, 3) == ir::Dims{1, 4, 1, 1});
}

TEST_CASE("ReduceSum over H and W: the mean, then times H * W") {
  OnnxBuilder b;
  b.input("x", {1, 2, 3, 4}).output("kept", 4).output("squeezed", 2);
  b.int_initializer("axes", {2}, {2, -1});
  b.node("ReduceSum", {"x", "axes"}, {"kept"});
  b.node("ReduceSum", {"x", "axes"}, {"squeezed"}).attr("keepdims", 0);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 5);
  for (int first : {0, 2}) {
    const ir::Node &mean = graph.nodes[first], &scale = graph.nodes[first + 1];
    CHECK(mean.op == ir::Op::GlobalAveragePool);
    CHECK(scale.op == ir::Op::ChannelAffine);
    CHECK(scale.inputs == std::vector<ir::ValueId>{mean.output});
    CHECK(scale.weight.data == std::vector<float>{12.0f, 12.0f});
    CHECK(scale.bias.data == std::vector<float>{0.0f, 0.0f});
  }
  CHECK(graph.nodes[4].op == ir::Op::Reshape);
  CHECK(output_shape(graph, 0) == ir::Dims{1, 2, 1, 1});
  CHECK(output_shape(graph, 1) == ir::Dims{1, 2});
}

TEST_CASE("LRN: squares, a 1x1 Conv over a band of channels, a power, a product") {
  const int size = GENERATE(3, 4);
  OnnxBuilder b;
  b.input("x", {1, 4, 2, 2}).output("y", 4);
  b.node("LRN", {"x"}, {"y"}, "lrn")
      .attr("size", size)
      .attr("alpha", 0.6f)
      .attr("beta", 0.5f)
      .attr("bias", 2.0f);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 4);
  const ir::Node &square = graph.nodes[0], &sum = graph.nodes[1], &power = graph.nodes[2],
                 &scale = graph.nodes[3];
  CHECK(square.op == ir::Op::Unary);
  CHECK(square.inputs == std::vector<ir::ValueId>{graph.inputs[0]});
  CHECK(ir::apply(square.unary, -3.0f) == 9.0f);
  CHECK(sum.op == ir::Op::Conv);
  CHECK(sum.inputs == std::vector<ir::ValueId>{square.output});
  CHECK(sum.weight.shape == ir::Dims{4, 4, 1, 1});
  // Channel c sums c - floor((size - 1) / 2) .. c + ceil((size - 1) / 2), times alpha / size.
  const float w = 0.6f / static_cast<float>(size);
  const std::vector<float> band3 = {w, w, 0, 0, w, w, w, 0, 0, w, w, w, 0, 0, w, w};
  const std::vector<float> band4 = {w, w, w, 0, w, w, w, w, 0, w, w, w, 0, 0, w, w};
  CHECK(sum.weight.data == (size == 3 ? band3 : band4));
  CHECK(sum.bias.data == std::vector<float>(4, 2.0f));
  CHECK(power.op == ir::Op::Unary);
  CHECK(power.inputs == std::vector<ir::ValueId>{sum.output});
  CHECK(ir::apply(power.unary, 16.0f) == 0.25f);  // 16^-0.5
  CHECK(scale.op == ir::Op::Mul);
  CHECK(scale.inputs == std::vector<ir::ValueId>{graph.inputs[0], power.output});
  CHECK(scale.output == graph.outputs[0]);
  CHECK(output_shape(graph, 0) == ir::Dims{1, 4, 2, 2});
}

TEST_CASE("Sub of an activation: an Add that subtracts it") {
  OnnxBuilder b;
  b.input("a", {1, 2, 3, 3}).input("b", {1, 2, 3, 3}).initializer("k", {}, {2});
  b.output("difference", 4).output("from_constant", 4);
  b.node("Sub", {"a", "b"}, {"difference"}, "sub");
  b.node("Sub", {"k", "b"}, {"from_constant"}, "rsub");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  const ir::ValueId a = graph.inputs[0], bb = graph.inputs[1];
  const ir::Node& difference = graph.nodes[0];  // a - b
  CHECK(difference.op == ir::Op::Add);
  CHECK(difference.subtract);
  CHECK(difference.inputs == std::vector<ir::ValueId>{a, bb});
  CHECK(difference.output == graph.outputs[0]);
  const ir::Node& from_constant = graph.nodes[1];  // 2 - b
  CHECK(from_constant.op == ir::Op::Add);
  CHECK(from_constant.subtract);
  CHECK(from_constant.inputs == std::vector<ir::ValueId>{bb});
  CHECK(from_constant.weight.data == std::vector<float>{2.0f});
  CHECK(from_constant.output == graph.outputs[1]);
}

TEST_CASE("Div of activations: a reciprocal table, then Mul (the divisor per pixel first)") {
  // LayerNorm written out: x [1, 2, 3, 3] / d [1, 1, 3, 3] (a value per pixel), and 4 / d.
  OnnxBuilder b;
  b.input("x", {1, 2, 3, 3}).input("d", {1, 1, 3, 3}).initializer("k", {}, {4});
  b.output("quotient", 4).output("over_constant", 4);
  b.node("Div", {"x", "d"}, {"quotient"}, "div");
  b.node("Div", {"k", "d"}, {"over_constant"}, "rdiv");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 3);
  const ir::ValueId x = graph.inputs[0], d = graph.inputs[1];
  const ir::Node& reciprocal = graph.nodes[0];
  CHECK(reciprocal.op == ir::Op::Unary);
  CHECK(reciprocal.inputs == std::vector<ir::ValueId>{d});
  CHECK(ir::apply(reciprocal.unary, 4.0f) == 0.25f);
  const ir::Node& product = graph.nodes[1];  // the map first, the gate per pixel second
  CHECK(product.op == ir::Op::Mul);
  CHECK(product.inputs == std::vector<ir::ValueId>{x, reciprocal.output});
  CHECK(graph.shape(product.output) == ir::Dims{1, 2, 3, 3});
  const ir::Node& over_constant = graph.nodes[2];  // one table: 4 * d^-1
  CHECK(over_constant.op == ir::Op::Unary);
  CHECK(over_constant.inputs == std::vector<ir::ValueId>{d});
  CHECK(ir::apply(over_constant.unary, 0.5f) == 8.0f);
  CHECK(over_constant.output == graph.outputs[1]);
}

TEST_CASE("Mul of a map and a gate per row or per column: the map first") {
  OnnxBuilder b;
  b.input("x", {1, 4, 2, 3}).input("h", {1, 4, 2, 1}).input("w", {1, 1, 1, 3});
  b.output("xh", 4).output("wx", 4);
  b.node("Mul", {"x", "h"}, {"xh"}, "rows");
  b.node("Mul", {"w", "x"}, {"wx"}, "columns");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].inputs == std::vector<ir::ValueId>{graph.inputs[0], graph.inputs[1]});
  CHECK(graph.nodes[1].inputs == std::vector<ir::ValueId>{graph.inputs[0], graph.inputs[2]});
  CHECK(graph.shape(graph.nodes[1].output) == ir::Dims{1, 4, 2, 3});
}

TEST_CASE("Mul of a map and one value ([N, 1, 1, 1]): the map first") {
  OnnxBuilder b;
  b.input("x", {1, 4, 2, 3}).input("s", {1, 1, 1, 1}).output("xs", 4).output("sx", 4);
  b.node("Mul", {"x", "s"}, {"xs"}, "map_first");
  b.node("Mul", {"s", "x"}, {"sx"}, "value_first");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  for (const ir::Node& node : graph.nodes) {
    INFO(node.name);
    CHECK(node.op == ir::Op::Mul);
    CHECK(node.inputs == std::vector<ir::ValueId>{graph.inputs[0], graph.inputs[1]});
    CHECK(graph.shape(node.output) == ir::Dims{1, 4, 2, 3});
  }
}

TEST_CASE("InstanceNormalization: pools, tables and a product per channel, then scale and B") {
  OnnxBuilder b;
  b.input("x", {1, 2, 3, 3}).output("y", 4);
  b.initializer("scale", {2}, {2.0f, 0.5f}).initializer("B", {2}, {0.25f, -1.0f});
  b.node("InstanceNormalization", {"x", "scale", "B"}, {"y"}, "norm").attr("epsilon", 0.01f);
  const ir::Graph graph = b.import();
  std::vector<ir::Op> ops;
  for (const ir::Node& node : graph.nodes) ops.push_back(node.op);
  CHECK(ops == std::vector<ir::Op>{ir::Op::GlobalAveragePool, ir::Op::Add, ir::Op::Unary,
                                   ir::Op::GlobalAveragePool, ir::Op::Unary, ir::Op::Mul,
                                   ir::Op::ChannelAffine});
  CHECK(graph.nodes[1].subtract);  // x - mean
  CHECK(graph.nodes[1].inputs == std::vector<ir::ValueId>{graph.inputs[0], graph.nodes[0].output});
  CHECK(ir::apply(graph.nodes[2].unary, -3.0f) == 9.0f);              // squares
  CHECK(ir::apply(graph.nodes[4].unary, 0.24f) == Approx(2.0f));      // (v + eps)^-1/2
  CHECK(graph.shape(graph.nodes[3].output) == ir::Dims{1, 2, 1, 1});  // the variances
  CHECK(graph.nodes[6].weight.data == std::vector<float>{2.0f, 0.5f});
  CHECK(graph.nodes[6].bias.data == std::vector<float>{0.25f, -1.0f});
  CHECK(graph.nodes[6].output == graph.outputs[0]);
}

TEST_CASE("Sum and Mean of several activations: a chain of Adds, Mean then times 1 / n") {
  OnnxBuilder b;
  b.input("a", {1, 2, 3, 3}).input("b", {1, 2, 3, 3}).input("c", {1, 2, 1, 1});
  b.output("sum", 4).output("mean", 4).output("one", 4);
  b.node("Sum", {"a", "b", "c"}, {"sum"}, "sum");
  b.node("Mean", {"a", "b", "c"}, {"mean"}, "mean");
  b.node("Sum", {"a"}, {"one"});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 5);
  const ir::ValueId a = graph.inputs[0], bb = graph.inputs[1], c = graph.inputs[2];
  CHECK(graph.nodes[0].op == ir::Op::Add);
  CHECK(graph.nodes[0].inputs == std::vector<ir::ValueId>{a, bb});
  CHECK(graph.nodes[1].op == ir::Op::Add);  // + c per channel
  CHECK(graph.nodes[1].inputs == std::vector<ir::ValueId>{graph.nodes[0].output, c});
  CHECK(graph.nodes[1].output == graph.outputs[0]);
  CHECK(graph.nodes[3].inputs == std::vector<ir::ValueId>{graph.nodes[2].output, c});
  const ir::Node& mean = graph.nodes[4];
  CHECK(mean.op == ir::Op::Unary);
  CHECK(mean.inputs == std::vector<ir::ValueId>{graph.nodes[3].output});
  CHECK(ir::apply(mean.unary, 6.0f) == 2.0f);
  CHECK(mean.output == graph.outputs[1]);
  CHECK(output_shape(graph, 1) == ir::Dims{1, 2, 3, 3});
  CHECK(graph.outputs[2] == a);  // a Sum of one input is that input
}

TEST_CASE("ImageScaler (opset 8): a ChannelAffine of the scale and the biases") {
  OnnxBuilder b(8);
  b.input("x", {1, 3, 2, 2}).output("y", 4);
  b.node("ImageScaler", {"x"}, {"y"})
      .attr("scale", 0.5f)
      .attr("bias", std::vector<float>{1.0f, -2.0f, 0.25f});
  const ir::Graph graph = b.import();
  const ir::Node& affine = only_node(graph);
  CHECK(affine.op == ir::Op::ChannelAffine);
  CHECK(affine.weight.data == std::vector<float>{0.5f, 0.5f, 0.5f});
  CHECK(affine.bias.data == std::vector<float>{1.0f, -2.0f, 0.25f});
  CHECK(output_shape(graph, 0) == ir::Dims{1, 3, 2, 2});
}

TEST_CASE("Identity and Dropout are removed") {
  OnnxBuilder b;
  b.input("x", {1, 1, 3, 3}).initializer("W", {2, 1, 1, 1}, {1, 2}).output("y", 4);
  b.node("Conv", {"x", "W"}, {"c"}, "conv");
  b.node("Identity", {"c"}, {"i"});
  b.node("Dropout", {"i"}, {"d"});
  b.node("Relu", {"d"}, {"y"});
  ir::Graph graph = b.import();
  const ir::Node& conv = only_node(graph);
  CHECK(conv.name == "conv");
  CHECK(conv.activation.kind == ir::Activation::Kind::Relu);
  CHECK(graph.value(conv.output).name == "y");

  frontend::ImportOptions unfused;
  unfused.fuse = false;
  graph = b.import(unfused);
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::Conv);
  CHECK(graph.nodes[1].op == ir::Op::Relu);
  CHECK(graph.nodes[1].inputs == std::vector<ir::ValueId>{graph.nodes[0].output});
}

TEST_CASE("a graph output reached through Identity keeps the output's name") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("out", 2);
  b.node("Relu", {"x"}, {"r"});
  b.node("Identity", {"r"}, {"out"});
  const ir::Graph graph = b.import();
  CHECK(graph.value(graph.outputs[0]).name == "out");
}

TEST_CASE("Clip bounds from attributes before opset 11") {
  OnnxBuilder b(10);
  b.input("x", {1, 1, 2, 2}).initializer("W", {1, 1, 1, 1}, {1}).output("y", 4);
  b.node("Conv", {"x", "W"}, {"c"});
  b.node("Clip", {"c"}, {"y"}).attr("min", 0.0f).attr("max", 6.0f);
  const ir::Graph graph = b.import();
  const ir::Node& conv = only_node(graph);
  CHECK(conv.activation.kind == ir::Activation::Kind::Clip);
  CHECK(conv.activation.min == 0.0f);
  CHECK(conv.activation.max == 6.0f);
}

TEST_CASE("Clip bounds from inputs from opset 11; a missing bound is infinite") {
  OnnxBuilder b(13);
  b.input("x", {1, 4}).output("low", 2).output("high", 2);
  b.initializer("lo", {}, {-1}).initializer("hi", {}, {2.5f});
  b.node("Clip", {"x", "lo"}, {"low"});
  b.node("Clip", {"x", "", "hi"}, {"high"});
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::Clip);
  CHECK(graph.nodes[0].activation.kind == ir::Activation::Kind::Clip);
  CHECK(graph.nodes[0].activation.min == -1.0f);
  CHECK(graph.nodes[0].activation.max == kInfinity);
  CHECK(graph.nodes[1].activation.min == -kInfinity);
  CHECK(graph.nodes[1].activation.max == 2.5f);
}

TEST_CASE("Relu left alone is a Relu node clamping at zero") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", 2);
  b.node("Relu", {"x"}, {"y"});
  const ir::Graph graph = b.import();
  const ir::Node& relu = only_node(graph);
  CHECK(relu.op == ir::Op::Relu);
  CHECK(relu.activation.kind == ir::Activation::Kind::Relu);
  CHECK(relu.activation.min == 0.0f);
}

// torch.onnx.export of x.view(x.size(0), -1): Shape -> Gather -> Unsqueeze -> Concat -> Reshape.
TEST_CASE("the Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain folds away") {
  const int opset = GENERATE(11, 13);
  OnnxBuilder b(opset);
  b.input("x", {2, 3, 4, 4}).output("y", 2);
  b.node("Constant", {}, {"zero"}).attr("value", int_tensor("", {}, {0}));
  b.node("Constant", {}, {"minus_one"}).attr("value", int_tensor("", {1}, {-1}));
  b.node("Shape", {"x"}, {"shape"});
  b.node("Gather", {"shape", "zero"}, {"batch"}).attr("axis", 0);
  if (opset < 13) {
    b.node("Unsqueeze", {"batch"}, {"batch1"}).attr("axes", Ints{0});
  } else {
    b.int_initializer("axes", {1}, {0});
    b.node("Unsqueeze", {"batch", "axes"}, {"batch1"});
  }
  b.node("Concat", {"batch1", "minus_one"}, {"target"}).attr("axis", 0);
  b.node("Reshape", {"x", "target"}, {"y"}, "view");
  const ir::Graph graph = b.import();
  INFO("opset " << opset);
  const ir::Node& reshape = only_node(graph);
  CHECK(reshape.name == "view");
  CHECK(reshape.op == ir::Op::Reshape);
  CHECK(output_shape(graph) == ir::Dims{2, 48});
}

TEST_CASE("shape arithmetic with Slice, Mul, Div, Cast, Sub, ConstantOfShape folds away") {
  // x is 2x3x4x4; target = [2 * 2, 3 * 4 * 4 / 2] = [4, 24].
  const int opset = GENERATE(9, 13);
  const std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
  OnnxBuilder b(opset);
  b.input("x", {2, 3, 4, 4}).output("y", 2);
  b.int_initializer("i0", {}, {0}).int_initializer("i1", {}, {1}).int_initializer("i2", {}, {2});
  b.int_initializer("two", {1}, {2}).int_initializer("one_shape", {1}, {1});
  b.node("Shape", {"x"}, {"s"});
  if (opset < 10) {
    b.node("Slice", {"s"}, {"w"}).attr("starts", Ints{-1}).attr("ends", Ints{int64_max});
  } else {
    b.int_initializer("starts", {1}, {-1}).int_initializer("ends", {1}, {int64_max});
    b.node("Slice", {"s", "starts", "ends"}, {"w"});
  }
  b.node("Gather", {"s", "i0"}, {"n"});
  b.node("Gather", {"s", "i1"}, {"c"});
  b.node("Gather", {"s", "i2"}, {"h"});
  b.node("Mul", {"h", "w"}, {"hw"});        // [16]
  b.node("Mul", {"c", "hw"}, {"chw"});      // [48]
  b.node("Div", {"chw", "two"}, {"half"});  // [24]
  b.node("Cast", {"half"}, {"half_float"}).attr("to", int{onnx::TensorProto_DataType_FLOAT});
  b.node("Cast", {"half_float"}, {"half_int"}).attr("to", int{onnx::TensorProto_DataType_INT64});
  b.node("ConstantOfShape", {"one_shape"}, {"ones"}).attr("value", int_tensor("", {1}, {1}));
  b.node("Sub", {"ones", "ones"}, {"zeros"});
  b.node("Add", {"half_int", "zeros"}, {"rest"});
  if (opset < 13)
    b.node("Unsqueeze", {"n"}, {"n1"}).attr("axes", Ints{0});
  else
    b.node("Unsqueeze", {"n", "i0"}, {"n1"});
  b.node("Mul", {"n1", "two"}, {"batch"});  // [4]
  b.node("Concat", {"batch", "rest"}, {"target"}).attr("axis", 0);
  b.node("Reshape", {"x", "target"}, {"y"});
  const ir::Graph graph = b.import();
  INFO("opset " << opset);
  CHECK(only_node(graph).op == ir::Op::Reshape);
  CHECK(output_shape(graph) == ir::Dims{4, 24});
}

TEST_CASE("ReduceProd and ReduceSum of shapes fold (x.std's element count), Equal and Where") {
  // x is 2x3x4x5: count = ReduceProd(Shape(x)[2:4]) = 20; ReduceSum with noop_with_empty_axes
  // and no axes keeps [-1, 20]; Where(target == -1, 6, target) = [6, 20].
  OnnxBuilder b(13);
  b.input("x", {2, 3, 4, 5}).output("y", 2);
  b.int_initializer("starts", {1}, {2}).int_initializer("ends", {1}, {4});
  b.int_initializer("minus_one", {1}, {-1}).int_initializer("six", {}, {6});
  b.int_initializer("zero", {1}, {0});
  b.node("Shape", {"x"}, {"s"});
  b.node("Slice", {"s", "starts", "ends"}, {"hw"});
  b.node("ReduceProd", {"hw"}, {"count"}).attr("keepdims", 1);
  b.node("Concat", {"minus_one", "count"}, {"target"}).attr("axis", 0);
  b.node("ReduceSum", {"target"}, {"same"}).attr("noop_with_empty_axes", 1);
  b.node("Equal", {"same", "minus_one"}, {"open"});
  b.node("Where", {"open", "six", "same"}, {"fixed"});
  b.node("Reshape", {"x", "fixed"}, {"y"});
  const ir::Graph graph = b.import();
  CHECK(only_node(graph).op == ir::Op::Reshape);
  CHECK(output_shape(graph) == ir::Dims{6, 20});
}

TEST_CASE("node names: the ONNX name, else <OpType>_<index>, made unique") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("d", 2);
  b.node("Relu", {"x"}, {"a"});  // unnamed, index 0, but "Relu_0" is taken below
  b.node("Relu", {"a"}, {"b"}, "act");
  b.node("Relu", {"b"}, {"c"}, "act");  // duplicate explicit name
  b.node("Relu", {"c"}, {"d"}, "Relu_0");
  frontend::ImportOptions unfused;  // (fused, the ReLU chain is one node)
  unfused.fuse = false;
  const ir::Graph graph = b.import(unfused);
  REQUIRE(graph.nodes.size() == 4);
  CHECK(graph.nodes[0].name == "Relu_0_2");
  CHECK(graph.nodes[1].name == "act");
  CHECK(graph.nodes[2].name == "act_2");
  CHECK(graph.nodes[3].name == "Relu_0");
}

TEST_CASE("nodes listed out of order are sorted") {
  OnnxBuilder b;
  b.input("x", {1, 1, 2, 2}).initializer("W", {1, 1, 1, 1}, {3}).output("y", 4);
  b.node("Relu", {"c"}, {"y"}, "relu");
  b.node("Conv", {"x", "W"}, {"c"}, "conv");
  frontend::ImportOptions unfused;
  unfused.fuse = false;
  const ir::Graph graph = b.import(unfused);
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].name == "conv");
  CHECK(graph.nodes[1].name == "relu");
  CHECK(graph.value(graph.nodes[1].output).producer == 1);
}

TEST_CASE("graph inputs exclude initializers; constant_inputs bind weights given as inputs") {
  OnnxBuilder b;
  b.input("x", {1, 1, 2, 2}).input("W", {1, 1, 1, 1}).input("B", {1}).output("y", 4);
  b.initializer("B", {1}, {0.25f});  // an initializer listed as an input (IR version < 4 style)
  b.node("Conv", {"x", "W", "B"}, {"y"});
  frontend::ImportOptions options;
  options.constant_inputs["W"] = ir::Tensor{{1, 1, 1, 1}, {4.0f}};
  const ir::Graph graph = b.import(options);
  REQUIRE(graph.inputs.size() == 1);
  CHECK(graph.value(graph.inputs[0]).name == "x");
  CHECK(only_node(graph).weight.data == Floats{4.0f});
  CHECK(only_node(graph).bias.data == Floats{0.25f});
}

TEST_CASE("a weight shared by two layers is copied to both") {
  OnnxBuilder b;
  b.input("x", {1, 2}).initializer("W", {2, 2}, {1, 2, 3, 4}).output("y", 2);
  b.node("Gemm", {"x", "W"}, {"h"}).attr("transB", 1);
  b.node("Gemm", {"h", "W"}, {"y"}).attr("transB", 1);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].weight.data == Floats{1, 2, 3, 4});
  CHECK(graph.nodes[1].weight.data == Floats{1, 2, 3, 4});
}

}  // namespace
}  // namespace pimhls::test
