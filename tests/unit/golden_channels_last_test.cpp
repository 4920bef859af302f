// Maps transposed to channels-last in mid-network (ConvNeXt's NHWC, the [N, L, C] tokens of a map
// or a 1-D map): the nodes up to the Transpose back run on the NCHW map (a MatMul by [C, K] as a
// 1x1 Conv, LayerNormalization over the channels, a Reshape between [N, L, C] and [N, H, W, C]),
// with no data moved (and a Softmax over the last axis over the channels, a mean over the tokens
// as a global pool); values worked by hand. (Numerics against PyTorch: tests/data/
// torch_convnext_block_*, torch_token_mlp_*, torch_conv1d_layer_norm_*; a view read otherwise
// stays a gather.)
#include <catch2/catch.hpp>
#include <cmath>

#include "frontend/tensor_file.h"
#include "golden/float_reference.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// x [1, 2, 2, 2] -> Relu (a computed map) -> Transpose to NHWC -> `body` -> Transpose back -> y.
template <class Body>
OnnxBuilder channels_last(int opset, Body body) {
  OnnxBuilder b(opset);
  b.input("x", {1, 2, 2, 2}).output("y", 4);
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Transpose", {"r"}, {"t"}, "to_nhwc").attr("perm", std::vector<std::int64_t>{0, 2, 3, 1});
  body(b);
  b.node("Transpose", {"z"}, {"y"}, "to_nchw").attr("perm", std::vector<std::int64_t>{0, 3, 1, 2});
  return b;
}

const ir::Tensor kInput{{1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}};

bool has(const ir::Graph& graph, ir::Op op) {
  return std::any_of(graph.nodes.begin(), graph.nodes.end(),
                     [&](const ir::Node& node) { return node.op == op; });
}

}  // namespace

TEST_CASE("a Linear on every pixel of an NHWC map is a 1x1 Conv of the NCHW map") {
  // W [2, 3] = [[1, 0, 2], [0, 1, -1]], bias [0.5, 0, -1]: pixel (a, b) of channels 0 and 1
  // gives (a + 0.5, b, 2a - b - 1).
  const ir::Graph graph = channels_last(13, [](OnnxBuilder& b) {
                            b.initializer("w", {2, 3}, {1, 0, 2, 0, 1, -1});
                            b.initializer("bias", {3}, {0.5f, 0, -1});
                            b.node("MatMul", {"t", "w"}, {"m"}, "linear");
                            b.node("Add", {"bias", "m"}, {"z"}, "bias");
                          }).import();
  CHECK_FALSE(has(graph, ir::Op::ChannelGather));
  const auto conv = std::find_if(graph.nodes.begin(), graph.nodes.end(),
                                 [](const ir::Node& node) { return node.op == ir::Op::Conv; });
  REQUIRE(conv != graph.nodes.end());
  CHECK(conv->weight.shape == ir::Dims{3, 2, 1, 1});
  CHECK(conv->weight.data == std::vector<float>{1, 0, 0, 1, 2, -1});  // W transposed
  CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 3, 2, 2});
  CHECK(golden::run_float(graph, {kInput}).at(0).data ==
        std::vector<float>{1.5f, 2.5f, 3.5f, 4.5f, 5, 6, 7, 8, -4, -3, -2, -1});
}

TEST_CASE("LayerNormalization over the last axis of an NHWC map normalizes the channels") {
  // Two channels (a, b) with a < b at every pixel: (x - mean) / std is (-1, 1); scale (2, 3) and
  // bias (0.5, -1) make (-1.5, 2).
  const ir::Graph graph = channels_last(17, [](OnnxBuilder& b) {
                            b.initializer("scale", {2}, {2, 3});
                            b.initializer("bias", {2}, {0.5f, -1});
                            b.node("LayerNormalization", {"t", "scale", "bias"}, {"z"}, "norm")
                                .attr("axis", -1)
                                .attr("epsilon", 0.0f);
                          }).import();
  CHECK_FALSE(has(graph, ir::Op::ChannelGather));
  const std::vector<float> y = golden::run_float(graph, {kInput}).at(0).data;
  REQUIRE(y.size() == 8);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(y[i] == Approx(-1.5f));
    CHECK(y[4 + i] == Approx(2.0f));
  }
}

TEST_CASE("Softmax over the last axis of an NHWC map is a Softmax over the channels") {
  // Doubled, the channels (a, b) differ by 8 at every pixel: (1, e^8) / (1 + e^8). Opset 11's
  // axis 3 is the last axis alone, as opset 13's -1.
  for (const auto& [opset, axis] : {std::pair{11, 3}, std::pair{13, -1}}) {
    INFO("opset " << opset);
    const ir::Graph graph = channels_last(opset, [axis = axis](OnnxBuilder& b) {
                              b.initializer("two", {}, {2});
                              b.node("Mul", {"t", "two"}, {"m"}, "double");
                              b.node("Softmax", {"m"}, {"z"}, "softmax").attr("axis", axis);
                            }).import();
    CHECK_FALSE(has(graph, ir::Op::ChannelGather));
    const auto softmax = std::find_if(graph.nodes.begin(), graph.nodes.end(),
                                      [](const ir::Node& n) { return n.op == ir::Op::Softmax; });
    REQUIRE(softmax != graph.nodes.end());
    CHECK(softmax->axis == 1);
    CHECK(softmax->output == graph.outputs[0]);
    const std::vector<float> y = golden::run_float(graph, {kInput}).at(0).data;
    REQUIRE(y.size() == 8);
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(y[i] == Approx(1 / (1 + std::exp(8.0))));
      CHECK(y[4 + i] == Approx(std::exp(8.0) / (1 + std::exp(8.0))));
    }
  }
}

TEST_CASE("LayerNormalization other than over a channels-last map is a one-line error") {
  OnnxBuilder b(17);
  b.input("x", {1, 2, 2, 2}).output("y", 4).initializer("scale", {2}, {1, 1});
  b.node("LayerNormalization", {"x", "scale"}, {"y"}, "norm").attr("axis", 1);
  CHECK_THAT(import_error(b),
             Contains("node 'norm' (LayerNormalization)") &&
                 Contains("over the channels of a map transposed to channels-last"));
}

// x [1, 2, 4] or [1, 2, 2, 2] -> Relu -> (a map's) Reshape to [1, 2, 4] -> Transpose to the
// tokens [1, 4, 2] (x.flatten(2).transpose(1, 2)) -> `body`, which writes y.
template <class Body>
OnnxBuilder tokens(const ir::Dims& input, std::size_t output_rank, Body body, int opset = 13) {
  OnnxBuilder b(opset);
  b.input("x", input).output("y", output_rank);
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.int_initializer("flat", {3}, {1, 2, 4});
  b.node("Reshape", {"r", "flat"}, {"f"}, "flatten");
  b.node("Transpose", {"f"}, {"t"}, "to_tokens").attr("perm", std::vector<std::int64_t>{0, 2, 1});
  body(b);
  return b;
}

// The LayerNorm of the 1-D map [1, 2, 4] (1, 2, 3, 4 | 5, 6, 7, 9) over its channels (a, b),
// a < b at every position: (-1, 1), times (2, 3) plus (0.5, -1).
static void check_sequence_norm(const ir::Graph& graph) {
  const std::vector<float> y =
      golden::run_float(graph, {ir::Tensor{{1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 9}}}).at(0).data;
  REQUIRE(y.size() == 8);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(y[i] == Approx(-1.5f));
    CHECK(y[4 + i] == Approx(2.0f));
  }
}

TEST_CASE("LayerNormalization over the channels of a 1-D map between transposes (wav2vec2)") {
  const ir::Graph graph = tokens(
                              {1, 2, 4}, 3,
                              [](OnnxBuilder& b) {
                                b.initializer("scale", {2}, {2, 3});
                                b.initializer("bias", {2}, {0.5f, -1});
                                b.node("LayerNormalization", {"t", "scale", "bias"}, {"n"}, "norm")
                                    .attr("axis", -1)
                                    .attr("epsilon", 0.0f);
                                b.node("Transpose", {"n"}, {"y"}, "back")
                                    .attr("perm", std::vector<std::int64_t>{0, 2, 1});
                              },
                              17)
                              .import();
  CHECK_FALSE(has(graph, ir::Op::ChannelGather));
  CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 2, 4});
  check_sequence_norm(graph);
}

TEST_CASE("a Linear on the tokens of a map, reshaped to [N, H, W, C] and back, is a 1x1 Conv") {
  // SegFormer's MixFFN: the Linear of the NHWC test above on the tokens, then
  // t.reshape(n, h, w, c).permute(0, 3, 1, 2).
  const ir::Graph graph = tokens({1, 2, 2, 2}, 4, [](OnnxBuilder& b) {
                            b.initializer("w", {2, 3}, {1, 0, 2, 0, 1, -1});
                            b.initializer("bias", {3}, {0.5f, 0, -1});
                            b.int_initializer("hw", {4}, {1, 2, 2, 3});
                            b.node("MatMul", {"t", "w"}, {"m"}, "linear");
                            b.node("Add", {"m", "bias"}, {"a"}, "bias");
                            b.node("Reshape", {"a", "hw"}, {"z"}, "to_nhwc");
                            b.node("Transpose", {"z"}, {"y"}, "back")
                                .attr("perm", std::vector<std::int64_t>{0, 3, 1, 2});
                          }).import();
  CHECK_FALSE(has(graph, ir::Op::ChannelGather));
  CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 3, 2, 2});
  CHECK(golden::run_float(graph, {kInput}).at(0).data ==
        std::vector<float>{1.5f, 2.5f, 3.5f, 4.5f, 5, 6, 7, 8, -4, -3, -2, -1});
}

TEST_CASE("the mean over the tokens of a map is its global average pool") {
  const ir::Graph graph = tokens({1, 2, 2, 2}, 2, [](OnnxBuilder& b) {
                            b.node("ReduceMean", {"t"}, {"y"}, "mean")
                                .attr("axes", std::vector<std::int64_t>{1})
                                .attr("keepdims", std::int64_t{0});
                          }).import();
  CHECK_FALSE(has(graph, ir::Op::ChannelGather));
  CHECK(has(graph, ir::Op::GlobalAveragePool));
  CHECK(golden::run_float(graph, {kInput}).at(0).data == std::vector<float>{2.5f, 6.5f});
}

TEST_CASE("tokens read by what cannot read a view are moved (a gather); a bad Reshape an error") {
  // Reshaped to [1, 8] the tokens are no map: the Transpose moves the data.
  const ir::Graph graph = tokens({1, 2, 2, 2}, 2, [](OnnxBuilder& b) {
                            b.int_initializer("vector", {2}, {1, 8});
                            b.node("Reshape", {"t", "vector"}, {"y"}, "to_vector");
                          }).import();
  CHECK(has(graph, ir::Op::ChannelGather));
  CHECK(golden::run_float(graph, {kInput}).at(0).data ==
        std::vector<float>{1, 5, 2, 6, 3, 7, 4, 8});
  // A shape computed later is taken on trust, then checked: [1, 4, 2] as [1, 2, 4] is no view.
  OnnxBuilder b = tokens({1, 2, 2, 2}, 3, [](OnnxBuilder& b) {
    b.int_initializer("two", {1}, {2});
    b.int_initializer("four", {1}, {4});
    b.node("Shape", {"x"}, {"s"}, "shape");
    b.int_initializer("first", {1}, {0});
    b.node("Gather", {"s", "first"}, {"n"}, "batch");
    b.node("Concat", {"n", "two", "four"}, {"target"}, "target").attr("axis", std::int64_t{0});
    b.node("Reshape", {"t", "target"}, {"g"}, "regroup");
    b.node("Transpose", {"g"}, {"y"}, "back").attr("perm", std::vector<std::int64_t>{0, 2, 1});
  });
  CHECK_THAT(import_error(b), Contains("node 'regroup' (Reshape)") &&
                                  Contains("from 1x4x2 to 1x2x4; only to [N, L, C] or"));
}

TEST_CASE("a channels-last view as a graph output: the IR's map, in the model's layout on output") {
  // NeMo's CTC decoder: log_softmax over the last axis of the tokens [1, 4, 2]; every token is
  // (a, a + 4): (-log(1 + e^4), -log(1 + e^-4)).
  const ir::Graph tokens_graph =
      tokens({1, 2, 2, 2}, 3, [](OnnxBuilder& b) {
        b.node("LogSoftmax", {"t"}, {"y"}, "log_softmax").attr("axis", -1);
      }).import();
  CHECK_FALSE(has(tokens_graph, ir::Op::ChannelGather));
  CHECK(tokens_graph.shape(tokens_graph.outputs[0]) == ir::Dims{1, 2, 1, 4});
  CHECK(tokens_graph.output_layouts.at(0).shape == ir::Dims{1, 4, 2});
  const ir::Tensor y =
      frontend::to_model_output(golden::run_float(tokens_graph, {kInput}).at(0), tokens_graph, 0);
  CHECK(y.shape == ir::Dims{1, 4, 2});
  REQUIRE(y.data.size() == 8);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(y.data[2 * i] == Approx(-std::log1p(std::exp(4.0))));
    CHECK(y.data[2 * i + 1] == Approx(-std::log1p(std::exp(-4.0))));
  }
  // A Linear on every pixel of an NHWC map left in NHWC: pixel (a, b) -> (a + 0.5, b, 2a - b - 1)
  // as in the first test, pixel by pixel.
  OnnxBuilder b(13);
  b.input("x", {1, 2, 2, 2}).output("y", 4);
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Transpose", {"r"}, {"t"}, "to_nhwc").attr("perm", std::vector<std::int64_t>{0, 2, 3, 1});
  b.initializer("w", {2, 3}, {1, 0, 2, 0, 1, -1});
  b.initializer("bias", {3}, {0.5f, 0, -1});
  b.node("MatMul", {"t", "w"}, {"m"}, "linear");
  b.node("Add", {"m", "bias"}, {"y"}, "bias");
  const ir::Graph graph = b.import();
  CHECK_FALSE(has(graph, ir::Op::ChannelGather));
  const ir::Tensor z =
      frontend::to_model_output(golden::run_float(graph, {kInput}).at(0), graph, 0);
  CHECK(z.shape == ir::Dims{1, 2, 2, 3});
  CHECK(z.data == std::vector<float>{1.5f, 5, -4, 2.5f, 6, -3, 3.5f, 7, -2, 4.5f, 8, -1});
}

TEST_CASE("two views of one map, the tokens and its NHWC pixels reshaped to tokens, add") {
  // Both are the tokens of kInput, (a, a + 4) for a = 1 .. 4: doubled.
  const ir::Graph graph = tokens({1, 2, 2, 2}, 3, [](OnnxBuilder& b) {
                            b.node("Transpose", {"r"}, {"u"}, "to_nhwc")
                                .attr("perm", std::vector<std::int64_t>{0, 2, 3, 1});
                            b.int_initializer("lc", {3}, {1, 4, 2});
                            b.node("Reshape", {"u", "lc"}, {"v"}, "pixels_to_tokens");
                            b.node("Add", {"t", "v"}, {"y"}, "add");
                          }).import();
  CHECK_FALSE(has(graph, ir::Op::ChannelGather));
  const ir::Tensor y =
      frontend::to_model_output(golden::run_float(graph, {kInput}).at(0), graph, 0);
  CHECK(y.shape == ir::Dims{1, 4, 2});
  CHECK(y.data == std::vector<float>{2, 10, 4, 12, 6, 14, 8, 16});
}

TEST_CASE("a graph input [N, L, C] read by a Linear is a view: the IR's input is [N, C, L]") {
  // Tokens (1, 2), (3, 4), (5, 6) through the Linear of the first test, (a + 0.5, b, 2a - b - 1),
  // and a Relu; the token-wise MLP of a sequence model, PointNet's shared MLP.
  OnnxBuilder b(13);
  b.input("x", {1, 3, 2}).output("y", 3);
  b.initializer("w", {2, 3}, {1, 0, 2, 0, 1, -1});
  b.initializer("bias", {3}, {0.5f, 0, -1});
  b.node("MatMul", {"x", "w"}, {"m"}, "linear");
  b.node("Add", {"m", "bias"}, {"a"}, "bias");
  b.node("Relu", {"a"}, {"y"}, "relu");
  const ir::Graph graph = b.import();
  CHECK_FALSE(has(graph, ir::Op::ChannelGather));
  CHECK_FALSE(has(graph, ir::Op::Gemm));  // (a Gemm of 3 rows, which the RTL does not run)
  const ir::ValueId x = graph.inputs.at(0);
  CHECK(graph.shape(x) == ir::Dims{1, 2, 3});
  CHECK(graph.input_permutations.at(x) == std::vector<std::int64_t>{0, 2, 1});
  CHECK(graph.output_layouts.at(0).shape == ir::Dims{1, 3, 3});
  const ir::Tensor input = frontend::to_graph_input({{1, 3, 2}, {1, 2, 3, 4, 5, 6}}, graph, 0, "x");
  CHECK(input.data == std::vector<float>{1, 3, 5, 2, 4, 6});
  const ir::Tensor y = frontend::to_model_output(golden::run_float(graph, {input}).at(0), graph, 0);
  CHECK(y.shape == ir::Dims{1, 3, 3});
  CHECK(y.data == std::vector<float>{1.5f, 2, 0, 3.5f, 4, 1, 5.5f, 6, 3});
}

TEST_CASE("an NHWC graph input read by a Linear on every pixel is an NCHW input") {
  // Pixels (1, 2), (3, 4), (5, 6), (7, 8) summed by W = [1, 1]^T, transposed back to NCHW.
  OnnxBuilder b(13);
  b.input("x", {1, 2, 2, 2}).output("y", 4);
  b.initializer("w", {2, 1}, {1, 1});
  b.node("MatMul", {"x", "w"}, {"m"}, "linear");
  b.node("Transpose", {"m"}, {"y"}, "to_nchw").attr("perm", std::vector<std::int64_t>{0, 3, 1, 2});
  const ir::Graph graph = b.import();
  const ir::ValueId x = graph.inputs.at(0);
  CHECK(graph.input_permutations.at(x) == std::vector<std::int64_t>{0, 3, 1, 2});
  CHECK(graph.output_layouts.empty());
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].op == ir::Op::Conv);
  const ir::Tensor input = frontend::to_graph_input(kInput, graph, 0, "x");
  CHECK(golden::run_float(graph, {input}).at(0).data == std::vector<float>{3, 7, 11, 15});
}

TEST_CASE(
    "a graph input's Transpose after element-wise operators or into a LayerNorm moves nothing") {
  // Tokens (1, 2), (3, 4), (5, 6) times (1, 10) per feature, transposed into a Conv1d that is the
  // identity: the input is a view, the Transpose the map itself.
  OnnxBuilder b(13);
  b.input("x", {1, 3, 2}).output("y", 3);
  b.initializer("gain", {2}, {1, 10}).initializer("k", {2, 2, 1}, {1, 0, 0, 1});
  b.node("Mul", {"x", "gain"}, {"m"}, "gain");
  b.node("Transpose", {"m"}, {"t"}, "to_ncl").attr("perm", std::vector<std::int64_t>{0, 2, 1});
  b.node("Conv", {"t", "k"}, {"y"}, "conv1d");
  const ir::Graph graph = b.import();
  CHECK_FALSE(has(graph, ir::Op::ChannelGather));
  CHECK(graph.input_permutations.at(graph.inputs.at(0)) == std::vector<std::int64_t>{0, 2, 1});
  const ir::Tensor input = frontend::to_graph_input({{1, 3, 2}, {1, 2, 3, 4, 5, 6}}, graph, 0, "x");
  CHECK(golden::run_float(graph, {input}).at(0).data == std::vector<float>{1, 3, 5, 20, 40, 60});
  // An [N, C, L] input transposed to its tokens for a LayerNorm and back (wav2vec2's, on the
  // input): the Transpose makes the view, the input stays.
  OnnxBuilder c(17);
  c.input("x", {1, 2, 4}).output("y", 3);
  c.initializer("scale", {2}, {2, 3}).initializer("bias", {2}, {0.5f, -1});
  c.node("Transpose", {"x"}, {"t"}, "to_tokens").attr("perm", std::vector<std::int64_t>{0, 2, 1});
  c.node("LayerNormalization", {"t", "scale", "bias"}, {"n"}, "norm")
      .attr("axis", -1)
      .attr("epsilon", 0.0f);
  c.node("Transpose", {"n"}, {"y"}, "back").attr("perm", std::vector<std::int64_t>{0, 2, 1});
  const ir::Graph norm = c.import();
  CHECK_FALSE(has(norm, ir::Op::ChannelGather));
  CHECK(norm.input_permutations.empty());
  check_sequence_norm(norm);
}

TEST_CASE("a graph input [N, L, C] times a gain per feature is a view, the gain per channel") {
  // Tokens (1, 2), (3, 4), (5, 6) times (1, 10): an [N, T, D] sequence takes no such constant.
  OnnxBuilder b(13);
  b.input("x", {1, 3, 2}).output("y", 3).initializer("gain", {2}, {1, 10});
  b.node("Mul", {"x", "gain"}, {"y"}, "gain");
  const ir::Graph graph = b.import();
  CHECK(graph.input_permutations.at(graph.inputs.at(0)) == std::vector<std::int64_t>{0, 2, 1});
  const ir::Tensor input = frontend::to_graph_input({{1, 3, 2}, {1, 2, 3, 4, 5, 6}}, graph, 0, "x");
  const ir::Tensor y = frontend::to_model_output(golden::run_float(graph, {input}).at(0), graph, 0);
  CHECK(y.shape == ir::Dims{1, 3, 2});
  CHECK(y.data == std::vector<float>{1, 20, 3, 40, 5, 60});
}

TEST_CASE("a rank-3 graph input stays [N, C, L] unless a node on its way needs a view") {
  auto input_kept = [](auto body) {
    OnnxBuilder b(17);
    b.input("x", {1, 3, 2}).output("y", 3);
    body(b);
    return b.import().input_permutations.empty();
  };
  CHECK(input_kept([](OnnxBuilder& b) { b.node("Relu", {"x"}, {"y"}, "relu"); }));
  CHECK(input_kept([](OnnxBuilder& b) {  // a Conv1d reads it too: [N, C, L]
    b.initializer("w", {2, 2}, {1, 0, 0, 1}).initializer("k", {3, 3, 1}, std::vector<float>(9, 1));
    b.node("MatMul", {"x", "w"}, {"m"}, "linear");
    b.node("Conv", {"x", "k"}, {"c"}, "conv1d");
    b.node("Add", {"m", "c"}, {"y"}, "add");
  }));
  CHECK_FALSE(input_kept([](OnnxBuilder& b) {
    b.initializer("scale", {2}, {1, 1});
    b.node("LayerNormalization", {"x", "scale"}, {"y"}, "norm").attr("axis", -1);
  }));
  CHECK(input_kept([](OnnxBuilder& b) {  // LayerNorm written out: a line map's pool, then gains
    b.initializer("gain", {2}, {2, 3});
    b.node("ReduceMean", {"x"}, {"m"}, "mean").attr("axes", std::vector<std::int64_t>{-1});
    b.node("Sub", {"x", "m"}, {"d"}, "center");
    b.node("Mul", {"d", "gain"}, {"y"}, "scale");
  }));
  CHECK(input_kept([](OnnxBuilder& b) {  // next to another input, which is no view
    b.input("mask", {1, 3, 1}).initializer("w", {2, 2}, {1, 0, 0, 1});
    b.node("Mul", {"x", "mask"}, {"m"}, "mask");
    b.node("MatMul", {"m", "w"}, {"y"}, "linear");
  }));
}

}  // namespace pimhls::test
