// The integer reference executor: hand-computed codes, a direct convolution, the integer
// kernels, and the accuracy of 8-bit quantization on the example networks.
#include <catch2/catch.hpp>
#include <cmath>

#include "golden/float_reference.h"
#include "quant/int_ops.h"
#include "quant/int_reference.h"
#include "quant/metrics.h"
#include "quant/quantize.h"
#include "quant_graphs.h"

using namespace pimhls;
using namespace pimhls::quant;

namespace {

// Codes of a whole-network run against float: SQNR over several seeded inputs (not the
// calibration ones) and top-1 agreement.
struct Accuracy {
  double sqnr_db = 0.0;
  Agreement top1;
};

Accuracy int_accuracy(const ir::Graph& graph, const QuantConfig& config) {
  const QuantizedGraph q = quantize(graph, random_input_sets(graph, 8, 2), config);
  std::vector<float> reference, test;
  Accuracy accuracy;
  for (const std::vector<ir::Tensor>& inputs : random_input_sets(graph, 2, 100)) {
    const ir::Tensor expected = golden::run_float(graph, inputs).at(0);
    const ir::Tensor actual = run_int(q, inputs).dequantized.at(0);
    reference.insert(reference.end(), expected.data.begin(), expected.data.end());
    test.insert(test.end(), actual.data.begin(), actual.data.end());
    const Agreement agreement = top1_agreement(expected, actual);
    accuracy.top1.agreeing += agreement.agreeing;
    accuracy.top1.rows += agreement.rows;
  }
  accuracy.sqnr_db = sqnr_db(reference, test);
  return accuracy;
}

QuantNode node_with_clamp(std::int32_t low, std::int32_t high) {
  QuantNode quant;
  quant.clamp_min = low;
  quant.clamp_max = high;
  return quant;
}

}  // namespace

TEST_CASE("a quantized Gemm computes the codes worked out by hand") {
  ir::Graph graph;
  graph.name = "gemm";
  graph.values = {ir::Value{"x", {1, 3}, -1}, ir::Value{"y", {1, 2}, 0}};
  graph.inputs = {0};
  graph.outputs = {1};
  ir::Node node;
  node.name = "fc";
  node.op = ir::Op::Gemm;
  node.inputs = {0};
  node.output = 1;
  node.weight = ir::Tensor{{2, 3}, {0.5f, -1.0f, 0.25f, 0.11f, 0.2f, -0.05f}};
  node.bias = ir::Tensor{{2}, {0.3f, -0.1f}};
  node.activation.kind = ir::Activation::Kind::Relu;
  node.activation.min = 0.0f;
  graph.nodes.push_back(node);
  QuantConfig config;
  config.calibration = CalibrationMethod::Max;
  config.mse_weight_scales = false;
  config.bias_correction = false;
  const std::vector<std::vector<ir::Tensor>> calibration{
      {ir::Tensor{{1, 3}, {1.0f, -2.0f, 0.5f}}}, {ir::Tensor{{1, 3}, {0.25f, 1.0f, -1.0f}}}};
  const QuantizedGraph q = quantize(graph, calibration, config);
  // Weights {64, -127, 32; 70, 127, -32}, bias {2419, -4032} (quant_quantize_test.cpp).
  // x = [0.25, 1, -1] at scale 2/127: 15.875 -> 16, 63.5 -> 64, -64.
  // Channel 0: 64*16 - 127*64 - 32*64 + 2419 = -6733 -> ReLU -> 0.
  // Channel 1: 70*16 + 127*64 + 32*64 - 4032 = 7264, times (2/127)(0.2/127)/(2.925/255)
  //   = 0.00216207 -> 15.705 -> 16.
  const IntResult result = run_int(q, {ir::Tensor{{1, 3}, {0.25f, 1.0f, -1.0f}}});
  CHECK(result.outputs[0].data == std::vector<std::int32_t>{0, 16});
  CHECK(result.dequantized[0].data[1] == Approx(16 * 2.925 / 255));
  CHECK(saturated_outputs(q, result) == 0);
  // x = [1, -2, 0.5]: channel 0 is the calibration maximum, 2.925, but at code scale the sum
  // 64*64 + 127*127 + 32*32 + 2419 = 23668 times 0.0108103 = 255.9 clips to 255.
  CHECK(saturated_outputs(q, run_int(q, {ir::Tensor{{1, 3}, {1.0f, -2.0f, 0.5f}}})) == 1);
  // The input's codes cover [-128, 127] * 2/127, saturating past half a step beyond (127.5 and
  // -128.5 steps: 2.00787, -2.02362): 2.0075 rounds to 127, -2.023 to -128; 2.03, -2.04 clip.
  CHECK(clipped_inputs(q, {ir::Tensor{{1, 3}, {2.0075f, -2.023f, 0.5f}}}) ==
        std::vector<std::int64_t>{0});
  CHECK(clipped_inputs(q, {ir::Tensor{{1, 3}, {2.03f, -2.04f, 0.5f}}}) ==
        std::vector<std::int64_t>{2});
}

TEST_CASE("integer Conv with stride, padding, dilation and groups equals a direct convolution") {
  test::GraphBuilder builder(11);
  const ir::ValueId x = builder.input({2, 4, 9, 8});
  const ir::ValueId y = builder.conv(x, 6, 3, 2, 2, 2, false, 2);  // stride 2, pad 2, 2 groups
  const ir::Graph graph = builder.finish(y);
  const QuantizedGraph q = quantize(graph, random_input_sets(graph, 2, 1), QuantConfig{});
  const std::vector<ir::Tensor> inputs = random_input_sets(graph, 1, 9).front();
  const IntResult result = run_int(q, inputs);

  const IntTensor in = quantize_tensor(inputs[0], q.values[static_cast<std::size_t>(x)]);
  const QuantNode& conv = q.nodes[0];
  const ir::Dims& out_shape = graph.shape(y);  // 2x6x4x3
  std::vector<std::int32_t> expected;
  for (std::int64_t n = 0; n < 2; ++n)
    for (std::int64_t co = 0; co < 6; ++co)
      for (std::int64_t oy = 0; oy < out_shape[2]; ++oy)
        for (std::int64_t ox = 0; ox < out_shape[3]; ++ox) {
          std::int64_t acc = conv.bias[static_cast<std::size_t>(co)];
          const std::int64_t group = co / 3;
          for (std::int64_t ci = 0; ci < 2; ++ci)
            for (std::int64_t ky = 0; ky < 3; ++ky)
              for (std::int64_t kx = 0; kx < 3; ++kx) {
                const std::int64_t iy = oy * 2 - 2 + ky * 2, ix = ox * 2 - 2 + kx * 2;
                if (iy < 0 || iy >= 9 || ix < 0 || ix >= 8) continue;
                acc +=
                    std::int64_t{
                        conv.weight[static_cast<std::size_t>(((co * 2 + ci) * 3 + ky) * 3 + kx)]} *
                    in.data[static_cast<std::size_t>(((n * 4 + group * 2 + ci) * 9 + iy) * 8 + ix)];
              }
          expected.push_back(static_cast<std::int32_t>(
              std::clamp<std::int64_t>(conv.requant[static_cast<std::size_t>(co)].apply(acc),
                                       conv.clamp_min, conv.clamp_max)));
        }
  CHECK(result.outputs[0].shape == out_shape);
  CHECK(result.outputs[0].data == expected);
}

TEST_CASE("integer pooling, Add, Mul and Concat") {
  ir::Node pool;
  pool.name = "pool";
  pool.op = ir::Op::MaxPool;
  pool.window.kernel_h = pool.window.kernel_w = 2;
  pool.window.stride_h = pool.window.stride_w = 2;
  const IntTensor x{{1, 1, 2, 4}, {1, 5, -3, 2, 4, 0, 7, -8}};
  CHECK(max_pool(pool, node_with_clamp(-128, 127), x, {1, 1, 1, 2}).data ==
        std::vector<std::int32_t>{5, 7});
  // Average of 4 taps at the same scale: 10/4 = 2.5 -> 3, -2/4 = -0.5 -> 0 (halves up).
  pool.op = ir::Op::AveragePool;
  QuantNode average = node_with_clamp(-128, 127);
  average.divide = {Requantizer{}};
  for (int count = 1; count <= 4; ++count)
    average.divide.push_back(make_requantizer(1.0 / count, 16));
  CHECK(average_pool(pool, average, x, {1, 1, 1, 2}).data == std::vector<std::int32_t>{3, 0});
  // 3x3 windows, stride 1, pad 1 on 2x2 codes {1, 2; 3, 4}: every window holds the 4 codes,
  // 10/4 -> 3; counting the pads (count_include_pad) it is 9 taps: 10/9 -> 1.
  pool.window.kernel_h = pool.window.kernel_w = 3;
  pool.window.stride_h = pool.window.stride_w = 1;
  pool.window.pad_top = pool.window.pad_left = pool.window.pad_bottom = pool.window.pad_right = 1;
  average.divide.resize(10);
  for (int count = 5; count <= 9; ++count)
    average.divide[static_cast<std::size_t>(count)] = make_requantizer(1.0 / count, 16);
  const IntTensor small{{1, 1, 2, 2}, {1, 2, 3, 4}};
  CHECK(average_pool(pool, average, small, {1, 1, 2, 2}).data ==
        std::vector<std::int32_t>{3, 3, 3, 3});
  pool.window.count_include_pad = true;
  CHECK(average_pool(pool, average, small, {1, 1, 2, 2}).data ==
        std::vector<std::int32_t>{1, 1, 1, 1});
  // Global average of {1, 2, 3, 4} at the same scale: 2.5 -> 3, clamped to [0, 2].
  QuantNode global = node_with_clamp(0, 2);
  global.divide = {make_requantizer(0.25, 16)};
  CHECK(global_average_pool(global, small, {1, 1, 1, 1}).data == std::vector<std::int32_t>{2});
  // Add: y = 0.5 a + 2 b: {10, -20} and {3, 4} -> {11, -2}.
  ir::Node add_node;
  add_node.name = "add";
  add_node.op = ir::Op::Add;
  QuantNode add_quant = node_with_clamp(-128, 127);
  add_quant.add = make_shared_shift({0.5, 2.0}, 16);
  const IntTensor a{{1, 2}, {10, -20}}, b{{1, 2}, {3, 4}};
  CHECK(add(add_node, add_quant, a, &b, {1, 2}).data == std::vector<std::int32_t>{11, -2});
  // Broadcast: b of shape [1] added to every element.
  const IntTensor scalar{{1}, {3}};
  CHECK(add(add_node, add_quant, a, &scalar, {1, 2}).data == std::vector<std::int32_t>{11, -4});
  // Mul: (a * b) * 0.25, b one value per channel: {10, -20} x {3} -> {7.5 -> 8, -15}; clamped
  // to [-10, 127]: {8, -10}.
  QuantNode mul_quant = node_with_clamp(-10, 127);
  mul_quant.requant = {make_requantizer(0.25, 16)};
  ir::Node mul_node;
  mul_node.name = "mul";
  mul_node.op = ir::Op::Mul;
  const IntTensor gate{{1, 1}, {3}};
  CHECK(multiply(mul_node, mul_quant, a, gate, {1, 2}).data == std::vector<std::int32_t>{8, -10});
  CHECK(multiply(mul_node, mul_quant, a, b, {1, 2}).data == std::vector<std::int32_t>{8, -10});
  // Concat rescales each input to the output scale: {10} * 0.5 and {7} * 1 -> {5, 7}.
  ir::Node concat_node;
  concat_node.name = "cat";
  concat_node.op = ir::Op::Concat;
  concat_node.axis = 1;
  QuantNode concat_quant = node_with_clamp(-128, 127);
  concat_quant.input_requant = {make_requantizer(0.5, 16), make_requantizer(1.0, 16)};
  const IntTensor c1{{1, 1}, {10}}, c2{{1, 1}, {7}};
  const std::vector<const IntTensor*> parts{&c1, &c2};
  CHECK(concat(concat_node, concat_quant, parts, {1, 2}).data == std::vector<std::int32_t>{5, 7});
}

// A Unary node is a table on codes: entry c is the function of c's value rounded to the output
// scale and clamped, here for SiLU (x * sigmoid(x)) computed independently of ir::apply.
TEST_CASE("a quantized Unary node is its function rounded, code by code") {
  test::GraphBuilder b(3);
  const ir::ValueId x = b.input({1, 2, 3, 3});
  const ir::Graph graph = b.finish(b.unary(x, {{{ir::UnaryStep::Kind::Sigmoid}}, true}));
  const QuantizedGraph q = quantize(graph, random_input_sets(graph, 4, 1), QuantConfig{});
  const QuantParams& in = q.values[static_cast<std::size_t>(graph.inputs[0])];
  const QuantParams& out = q.values[static_cast<std::size_t>(graph.outputs[0])];
  const QuantNode& node = q.nodes.back();
  REQUIRE(node.table.size() == 256);
  REQUIRE(in.is_signed);
  CHECK(out.is_signed);  // SiLU dips below 0 (to -0.28)
  for (int code = -128; code < 128; ++code) {
    const double v = code * in.scale;
    const double want =
        std::clamp(std::nearbyint(v / (1.0 + std::exp(-v)) / out.scale),
                   static_cast<double>(node.clamp_min), static_cast<double>(node.clamp_max));
    INFO("code " << code);
    CHECK(std::abs(node.table[static_cast<std::size_t>(code + 128)] - want) <= (code == 0 ? 0 : 1));
  }
  CHECK(node.table[128] == 0);
  // The integer reference looks each code up.
  const IntTensor codes{{1, 2, 3, 3},
                        {-128, -5, 0, 3, 127, 64, -64, 1, 2, 9, 8, 7, 6, 5, 4, 3, 2, 1}};
  const IntTensor looked_up = lookup_codes(node, in, codes);
  for (std::size_t i = 0; i < codes.data.size(); ++i)
    CHECK(looked_up.data[i] == node.table[static_cast<std::size_t>(codes.data[i] + 128)]);
}

TEST_CASE("8-bit quantization keeps the tiny CNN within 30 dB of float", "[examples]") {
  const Accuracy accuracy = int_accuracy(test::example("tiny_cnn"), QuantConfig{});
  CHECK(accuracy.sqnr_db >= 30.0);
  CHECK(accuracy.top1.agreeing == accuracy.top1.rows);
}

TEST_CASE("8-bit quantization keeps VGG-8 within 30 dB of float", "[examples]") {
  const Accuracy accuracy = int_accuracy(test::example("vgg8"), QuantConfig{});
  INFO("VGG-8 SQNR " << accuracy.sqnr_db << " dB");
  CHECK(accuracy.sqnr_db >= 30.0);
  CHECK(accuracy.top1.agreeing == accuracy.top1.rows);
}

TEST_CASE("8-bit quantization keeps ResNet-18 within 30 dB of float", "[examples]") {
  const Accuracy accuracy = int_accuracy(test::example("resnet18"), QuantConfig{});
  INFO("ResNet-18 SQNR " << accuracy.sqnr_db << " dB");
  CHECK(accuracy.sqnr_db >= 30.0);
  CHECK(accuracy.top1.agreeing == accuracy.top1.rows);
}
