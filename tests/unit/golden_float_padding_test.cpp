// Imported ONNX graphs with Pad, Max and Min, run by the float reference: the values ONNX
// defines, computed by hand (Pad then a 1x1 identity Conv is the padded tensor itself).
#include <catch2/catch.hpp>
#include <functional>
#include <limits>

#include "golden/float_reference.h"
#include "golden_float_graphs.h"
#include "onnx_builder.h"

using namespace pimhls;
using test::tensor;

TEST_CASE("Pad then Conv computes the zero-padded tensor's convolution") {
  test::OnnxBuilder b(13);
  b.input("x", {1, 1, 2, 2}).output("y", 4);
  b.int_initializer("pads", {8}, {0, 0, 1, 0, 0, 0, 0, 2});  // one row on top, two columns right
  b.initializer("w", {1, 1, 1, 1}, {1.0f});
  b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  b.node("Conv", {"p", "w"}, {"y"}, "conv");
  const ir::Graph graph = b.import();
  const std::vector<ir::Tensor> out =
      golden::run_float(graph, {tensor({1, 1, 2, 2}, {1, 2, 3, 4})});
  REQUIRE(out.size() == 1);
  CHECK(out[0].shape == ir::Dims{1, 1, 3, 4});
  CHECK(out[0].data == std::vector<float>{0, 0, 0, 0,  //
                                          1, 2, 0, 0,  //
                                          3, 4, 0, 0});
}

TEST_CASE("Pad then AveragePool divides by the whole window, zeros included") {
  test::OnnxBuilder b(13);
  b.input("x", {1, 1, 2, 2}).output("y", 4);
  b.int_initializer("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
  b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  b.node("AveragePool", {"p"}, {"y"}, "pool")
      .attr("kernel_shape", std::vector<std::int64_t>{2, 2})
      .attr("strides", std::vector<std::int64_t>{2, 2});
  const ir::Graph graph = b.import();
  // each 2x2 window of the 4x4 padded tensor holds one value and three zeros
  const std::vector<ir::Tensor> out =
      golden::run_float(graph, {tensor({1, 1, 2, 2}, {4, 8, 12, 16})});
  CHECK(out[0].data == std::vector<float>{1, 2, 3, 4});
}

namespace {

// x [1, 1, 2, 2] -> Pad (1 on every side, `value`) -> `reader` -> y.
test::OnnxBuilder pad_then(float value, const std::function<void(test::OnnxBuilder&)>& reader) {
  test::OnnxBuilder b(13);
  b.input("x", {1, 1, 2, 2}).output("y", 4);
  b.int_initializer("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
  b.initializer("value", {}, {value});
  b.node("Pad", {"x", "pads", "value"}, {"p"}, "pad");
  reader(b);
  return b;
}

std::vector<float> run_on(const test::OnnxBuilder& b, std::vector<float> x) {
  return golden::run_float(b.import(), {tensor({1, 1, 2, 2}, std::move(x))})[0].data;
}

}  // namespace

TEST_CASE("Pad with a nonzero constant computes ONNX's padded tensor for every reader") {
  // x = [[1, 2], [3, 4]] padded with 2: the 4x4 map [2 2 2 2; 2 1 2 2; 2 3 4 2; 2 2 2 2].
  const std::vector<float> x{1, 2, 3, 4};
  const auto conv3x3 = [](std::vector<std::int64_t> pads) {
    return [pads](test::OnnxBuilder& b) {
      b.initializer("w", {1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
      b.initializer("b", {1}, {0.5f});
      b.node("Conv", {"p", "w", "b"}, {"y"}, "conv").attr("pads", pads);
    };
  };
  SECTION("a Conv without pads of its own: the x - 2 padded with zeros, 2 * 45 in the bias") {
    // out[0][0] = 2+4+6 + 8+5+12 + 14+24+36 + 0.5 (numpy: np.pad(x, 1, constant_values=2))
    CHECK(run_on(pad_then(2, conv3x3({0, 0, 0, 0})), x) ==
          std::vector<float>{111.5f, 109.5f, 105.5f, 103.5f});
    const ir::Graph graph = pad_then(2, conv3x3({0, 0, 0, 0})).import();
    const ir::Node& conv = graph.nodes.back();
    CHECK(conv.op == ir::Op::Conv);
    CHECK(conv.window.pad_top == 1);
    CHECK(conv.bias.data == std::vector<float>{0.5f + 2 * 45});
  }
  SECTION("a Conv with pads of its own (zeros) reads the padded map") {
    CHECK(run_on(pad_then(2, conv3x3({1, 1, 1, 1})), x) ==
          std::vector<float>{47.5f, 70.5f, 71.5f, 48.5f, 69.5f, 111.5f, 109.5f, 68.5f, 69.5f,
                             105.5f, 103.5f, 62.5f, 35.5f, 50.5f, 47.5f, 26.5f});
  }
  const std::vector<float> padded{2, 2, 2, 2, 2, 1, 2, 2, 2, 3, 4, 2, 2, 2, 2, 2};
  SECTION("a graph output, a Relu, a Pad of zeros after it") {
    CHECK(run_on(pad_then(2, [](test::OnnxBuilder& b) { b.node("Identity", {"p"}, {"y"}); }), x) ==
          padded);
    CHECK(run_on(pad_then(-2, [](test::OnnxBuilder& b) { b.node("Relu", {"p"}, {"y"}, "relu"); }),
                 x) == std::vector<float>{0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0});
    const auto zero_pad_after = [](test::OnnxBuilder& b) {
      b.int_initializer("pads2", {8}, {0, 0, 0, 1, 0, 0, 0, 0});  // one column left
      b.node("Pad", {"p", "pads2"}, {"y"}, "pad2");
    };
    CHECK(run_on(pad_then(2, zero_pad_after), x) ==
          std::vector<float>{0, 2, 2, 2, 2, 0, 2, 1, 2, 2, 0, 2, 3, 4, 2, 0, 2, 2, 2, 2});
  }
  SECTION("a MaxPool: the 2s win where they are larger") {
    const auto max_pool = [](test::OnnxBuilder& b) {
      b.node("MaxPool", {"p"}, {"y"}, "pool")
          .attr("kernel_shape", std::vector<std::int64_t>{2, 2})
          .attr("strides", std::vector<std::int64_t>{2, 2});
    };
    CHECK(run_on(pad_then(2, max_pool), x) == std::vector<float>{2, 2, 3, 4});
  }
  SECTION("-inf before a MaxPool: the pads never win, as the pool's own") {
    const auto max_pool = [](test::OnnxBuilder& b) {
      b.node("MaxPool", {"p"}, {"y"}, "pool")
          .attr("kernel_shape", std::vector<std::int64_t>{3, 3})
          .attr("pads", std::vector<std::int64_t>{0, 0, 1, 1});
    };
    const float inf = std::numeric_limits<float>::infinity();
    // numpy: np.pad(x, 1, constant_values=-inf), one more row and column, 3x3 maxima
    CHECK(run_on(pad_then(-inf, max_pool), {-1, -2, -3, -4}) ==
          std::vector<float>{-1, -1, -2, -1, -1, -2, -3, -3, -4});
    const ir::Graph graph = pad_then(-inf, max_pool).import();
    REQUIRE(graph.nodes.size() == 1);
    CHECK(graph.nodes[0].window.border == ir::Border::Skip);
    CHECK(graph.nodes[0].window.pad_bottom == 2);
  }
}

TEST_CASE("a Pad of 2 before a Conv1d: the 1-D map's row form takes the constant too") {
  // [1, 2, 3] padded with 2 on both ends: [2, 1, 2, 3, 2]; kernel [1, 2, 3].
  test::OnnxBuilder b(13);
  b.input("x", {1, 1, 3}).output("y", 3);
  b.int_initializer("pads", {6}, {0, 0, 1, 0, 0, 1});
  b.initializer("value", {}, {2.0f});
  b.initializer("w", {1, 1, 3}, {1, 2, 3});
  b.node("Pad", {"x", "pads", "value"}, {"p"}, "pad");
  b.node("Conv", {"p", "w"}, {"y"}, "conv");
  const std::vector<ir::Tensor> y = golden::run_float(b.import(), {tensor({1, 1, 3}, {1, 2, 3})});
  CHECK(y.at(0).shape == ir::Dims{1, 1, 3});
  CHECK(y.at(0).data == std::vector<float>{10, 14, 14});
}

TEST_CASE("a ceil_mode MaxPool keeps its windows over a Pad's trailing rows") {
  // x = -1 .. -16 (4x4) padded with 3 zero rows and columns at the end: 7x7, 2x2 windows with
  // stride 2 and ceil_mode give 4x4 (torch: max_pool2d(F.pad(x, (0, 3, 0, 3)), 2, 2,
  // ceil_mode=True)); as the pool's own pads, the windows starting in them would be dropped.
  const auto pool_after_pad = [](float value) {
    test::OnnxBuilder b(13);
    b.input("x", {1, 1, 4, 4}).output("y", 4);
    b.int_initializer("pads", {8}, {0, 0, 0, 0, 0, 0, 3, 3});
    b.initializer("value", {}, {value});
    b.node("Pad", {"x", "pads", "value"}, {"p"}, "pad");
    b.node("MaxPool", {"p"}, {"y"}, "pool")
        .attr("kernel_shape", std::vector<std::int64_t>{2, 2})
        .attr("strides", std::vector<std::int64_t>{2, 2})
        .attr("ceil_mode", std::int64_t{1});
    return b;
  };
  std::vector<float> x(16);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = -static_cast<float>(i + 1);
  const std::vector<ir::Tensor> y =
      golden::run_float(pool_after_pad(0).import(), {tensor({1, 1, 4, 4}, x)});
  CHECK(y.at(0).data == std::vector<float>{-1, -3, 0, 0, -9, -11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  // Of -inf pads those windows would be -inf: a one-line error.
  CHECK_THROWS_WITH(pool_after_pad(-std::numeric_limits<float>::infinity()).import(),
                    Catch::Contains("node 'pool' (MaxPool): ceil_mode windows of only the -inf "
                                    "pads of Pad 'pad'"));
}

TEST_CASE("a ceil_mode window that would start in the trailing pad is dropped, as in PyTorch") {
  // W = 5, kernel 2, stride 2, pads 1 and 1: windows start at -1, 1, 3 (and 5, in the pad: ONNX's
  // shape inference counts it, PyTorch and onnxruntime drop it). x = [1 2 3 4 5].
  const auto pool = [](const char* op) {
    test::OnnxBuilder b(13);
    b.input("x", {1, 1, 1, 5}).output("y", 4);
    b.node(op, {"x"}, {"p"}, "pool")
        .attr("kernel_shape", std::vector<std::int64_t>{1, 2})
        .attr("strides", std::vector<std::int64_t>{1, 2})
        .attr("pads", std::vector<std::int64_t>{0, 1, 0, 1})
        .attr("ceil_mode", std::int64_t{1});
    b.node("Relu", {"p"}, {"y"}, "relu");  // a reader whose inferred shape also counts it
    return golden::run_float(b.import(), {tensor({1, 1, 1, 5}, {1, 2, 3, 4, 5})}).at(0);
  };
  const ir::Tensor max = pool("MaxPool");
  CHECK(max.shape == ir::Dims{1, 1, 1, 3});
  CHECK(max.data == std::vector<float>{1, 3, 5});
  CHECK(pool("AveragePool").data == std::vector<float>{1, 2.5f, 4.5f});
}

TEST_CASE("Max(x, 0) then Min(., 6) is ReLU6") {
  test::OnnxBuilder b(13);
  b.input("x", {1, 1, 1, 4}).output("y", 4);
  b.initializer("w", {1, 1, 1, 1}, {2.0f});
  b.initializer("zero", {}, {0.0f});
  b.initializer("six", {}, {6.0f});
  b.node("Conv", {"x", "w"}, {"c"}, "conv");
  b.node("Max", {"c", "zero"}, {"m"}, "max");
  b.node("Min", {"m", "six"}, {"y"}, "min");
  const ir::Graph graph = b.import();
  const std::vector<ir::Tensor> out =
      golden::run_float(graph, {tensor({1, 1, 1, 4}, {-1.0f, 0.5f, 2.5f, 4.0f})});
  CHECK(out[0].data == std::vector<float>{0.0f, 1.0f, 5.0f, 6.0f});
}

TEST_CASE("Max and Min of activations: a + Relu(b - a), a - Relu(a - b), then the constants") {
  // y = Min(Max(x, 2x, 0.5), -x): Max of two activations and a scalar, then Min of two.
  test::OnnxBuilder b(13);
  b.input("x", {1, 1, 1, 5}).output("y", 4);
  b.initializer("two", {1, 1, 1, 1}, {2.0f});
  b.initializer("minus", {1, 1, 1, 1}, {-1.0f});
  b.initializer("half", {1, 1, 1, 5}, std::vector<float>(5, 0.5f));  // (one value: a scalar)
  b.node("Conv", {"x", "two"}, {"doubled"}, "double");
  b.node("Conv", {"x", "minus"}, {"negated"}, "negate");
  b.node("Max", {"x", "doubled", "half"}, {"m"}, "max");
  b.node("Min", {"m", "negated"}, {"y"}, "min");
  const ir::Graph graph = b.import();
  // max(x, 2x, 0.5) at x = -3, -1, 0.25, 1, 2: 0.5, 0.5, 0.5, 2, 4; min with -x: 3, 1, -0.25,
  // -1, -2 gives 0.5, 0.5, -0.25, -1, -2.
  const std::vector<ir::Tensor> out =
      golden::run_float(graph, {tensor({1, 1, 1, 5}, {-3.0f, -1.0f, 0.25f, 1.0f, 2.0f})});
  CHECK(out[0].data == std::vector<float>{0.5f, 0.5f, -0.25f, -1.0f, -2.0f});
  // Each difference's Relu is fused into its Add (the engine's output clamp).
  std::size_t fused = 0;
  for (const ir::Node& node : graph.nodes)
    fused += node.op == ir::Op::Add && node.activation.kind == ir::Activation::Kind::Relu;
  CHECK(fused == 2);
}
