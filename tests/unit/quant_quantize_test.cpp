// Post-training quantization of small graphs, checked against scales and codes worked out by
// hand.
#include <catch2/catch.hpp>

#include "quant/int_reference.h"
#include "quant/quantize.h"
#include "quant_graphs.h"
#include "util/error.h"

using namespace pimhls;
using namespace pimhls::quant;

namespace {

// x [1, 3] -> Gemm (W [2, 3], bias, fused ReLU) -> y [1, 2].
ir::Graph gemm_graph() {
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
  return graph;
}

const std::vector<std::vector<ir::Tensor>> kCalibration{{ir::Tensor{{1, 3}, {1.0f, -2.0f, 0.5f}}},
                                                        {ir::Tensor{{1, 3}, {0.25f, 1.0f, -1.0f}}}};

QuantConfig plain_config() {
  QuantConfig config;
  config.calibration = CalibrationMethod::Max;
  config.mse_weight_scales = false;
  config.bias_correction = false;
  return config;
}

}  // namespace

TEST_CASE("a Gemm is quantized per output channel with int32 bias and a fixed-point rescale") {
  const QuantizedGraph q = quantize(gemm_graph(), kCalibration, plain_config());
  // Input: max |x| = 2 and negatives -> signed, scale 2/127.
  CHECK(q.values[0].is_signed);
  CHECK(q.values[0].scale == Approx(2.0 / 127));
  // Output after ReLU: the calibration outputs are 2.925 and 0.1775 (and two ReLU zeros).
  CHECK_FALSE(q.values[1].is_signed);
  CHECK(q.values[1].scale == Approx(2.925 / 255));
  const QuantNode& fc = q.nodes[0];
  // Channel 0: max |w| = 1, scale 1/127: 0.5*127 = 63.5 -> 64, -127, 31.75 -> 32.
  // Channel 1: max |w| = 0.2, scale 0.2/127: 69.85 -> 70, 127, -31.75 -> -32.
  CHECK(fc.weight == std::vector<std::int32_t>{64, -127, 32, 70, 127, -32});
  CHECK(fc.weight_scale[0] == Approx(1.0 / 127));
  CHECK(fc.weight_scale[1] == Approx(0.2 / 127));
  // Bias in units of input scale * weight scale: 0.3 * 127^2 / 2 = 2419.35; -0.1 * 127^2 / 0.4
  // = -4032.25.
  CHECK(fc.bias == std::vector<std::int32_t>{2419, -4032});
  // Rescale of channel 0: (2/127)(1/127)/(2.925/255) = 0.0108103.
  const double factor =
      static_cast<double>(fc.requant[0].multiplier) / std::ldexp(1.0, fc.requant[0].shift);
  CHECK(factor == Approx(2.0 / 127 / 127 / (2.925 / 255)).epsilon(1e-4));
  CHECK(fc.clamp_min == 0);
  CHECK(fc.clamp_max == 255);
  // The quantized graph keeps shapes, not float weights.
  CHECK(q.graph.nodes[0].weight.shape == ir::Dims{2, 3});
  CHECK(q.graph.nodes[0].weight.data.empty());
}

TEST_CASE("per-layer weights share the largest channel's scale") {
  QuantConfig config = plain_config();
  config.per_channel_weights = false;
  const QuantizedGraph q = quantize(gemm_graph(), kCalibration, config);
  // Channel 1 at scale 1/127: 13.97 -> 14, 25.4 -> 25, -6.35 -> -6.
  CHECK(q.nodes[0].weight == std::vector<std::int32_t>{64, -127, 32, 14, 25, -6});
}

TEST_CASE("other bit widths come from the configuration") {
  QuantConfig config = plain_config();
  config.weight_bits = 4;
  config.activation_bits = 4;
  const QuantizedGraph q = quantize(gemm_graph(), kCalibration, config);
  // 4-bit weights: codes up to 7; channel 0 at scale 1/7: 3.5 -> 4, -7, 1.75 -> 2.
  CHECK(std::vector<std::int32_t>(q.nodes[0].weight.begin(), q.nodes[0].weight.begin() + 3) ==
        std::vector<std::int32_t>{4, -7, 2});
  CHECK(q.values[0].scale == Approx(2.0 / 7));
  CHECK(q.values[1].scale == Approx(2.925 / 15));
  CHECK(q.nodes[0].clamp_max == 15);
}

TEST_CASE("bias correction folds the mean weight-rounding error into the bias") {
  // W = [1.0, 0.3] at 2 bits (codes -1..1, scale 1): 0.3 rounds to 0, an error of -0.3 on an
  // input whose calibration mean is 3, so the bias gains +0.9. The input is unsigned (no
  // negative seen), scale 4/3 (2-bit codes up to 3): the bias code is 0.9 / (4/3) = 0.675 -> 1.
  ir::Graph graph;
  graph.name = "correction";
  graph.values = {ir::Value{"x", {1, 2}, -1}, ir::Value{"y", {1, 1}, 0}};
  graph.inputs = {0};
  graph.outputs = {1};
  ir::Node node;
  node.name = "fc";
  node.op = ir::Op::Gemm;
  node.inputs = {0};
  node.output = 1;
  node.weight = ir::Tensor{{1, 2}, {1.0f, 0.3f}};
  graph.nodes.push_back(node);
  const std::vector<std::vector<ir::Tensor>> calibration{{ir::Tensor{{1, 2}, {2.0f, 4.0f}}},
                                                         {ir::Tensor{{1, 2}, {0.0f, 2.0f}}}};
  QuantConfig config = plain_config();
  config.weight_bits = 2;
  config.activation_bits = 2;
  CHECK(quantize(graph, calibration, config).nodes[0].bias == std::vector<std::int32_t>{0});
  config.bias_correction = true;
  const QuantizedGraph q = quantize(graph, calibration, config);
  CHECK(q.nodes[0].weight == std::vector<std::int32_t>{1, 0});
  CHECK(q.nodes[0].bias == std::vector<std::int32_t>{1});
}

TEST_CASE("a value read only by ReLUs is quantized unsigned") {
  test::GraphBuilder builder(3);
  const ir::ValueId x = builder.input({1, 2, 4, 4});
  const ir::ValueId a = builder.conv(x, 4, 3, 1, 1, 1, false);
  const ir::ValueId b = builder.conv(x, 4, 1, 1, 0, 1, false);
  const ir::ValueId sum = builder.add(a, b);
  const ir::ValueId y = builder.relu(sum);
  const ir::Graph graph = builder.finish(y);
  QuantConfig config = plain_config();
  const QuantizedGraph q = quantize(graph, random_input_sets(graph, 2, 5), config);
  CHECK(q.values[static_cast<std::size_t>(a)].is_signed);
  CHECK_FALSE(q.values[static_cast<std::size_t>(sum)].is_signed);
  CHECK(q.values[static_cast<std::size_t>(y)].scale ==
        q.values[static_cast<std::size_t>(sum)].scale);
  // The same Add as the graph output stays signed.
  test::GraphBuilder out_builder(3);
  const ir::ValueId x2 = out_builder.input({1, 2, 4, 4});
  const ir::ValueId sum2 = out_builder.add(out_builder.conv(x2, 4, 3, 1, 1, 1, false),
                                           out_builder.conv(x2, 4, 1, 1, 0, 1, false));
  const ir::Graph graph2 = out_builder.finish(sum2);
  CHECK(quantize(graph2, random_input_sets(graph2, 2, 5), config)
            .values[static_cast<std::size_t>(sum2)]
            .is_signed);
}

TEST_CASE("a subtraction has a negative multiplier; its operands keep 16-bit codes") {
  // y = a - b of two inputs that only the subtracting Add reads, then c - y with a constant.
  ir::Graph graph;
  graph.name = "sub";
  graph.values = {ir::Value{"a", {1, 1, 1, 2}, -1}, ir::Value{"b", {1, 1, 1, 2}, -1},
                  ir::Value{"y", {1, 1, 1, 2}, 0}, ir::Value{"z", {1, 1, 1, 2}, 1}};
  graph.inputs = {0, 1};
  graph.outputs = {3};
  ir::Node sub;
  sub.name = "sub";
  sub.op = ir::Op::Add;
  sub.subtract = true;
  sub.inputs = {0, 1};
  sub.output = 2;
  ir::Node rsub = sub;
  rsub.name = "rsub";
  rsub.inputs = {2};
  rsub.output = 3;
  rsub.weight = ir::Tensor{{1}, {3.0f}};
  graph.nodes = {sub, rsub};
  const std::vector<std::vector<ir::Tensor>> calibration{
      {ir::Tensor{{1, 1, 1, 2}, {100.0f, 100.5f}}, ir::Tensor{{1, 1, 1, 2}, {99.0f, 101.0f}}}};
  const QuantizedGraph q = quantize(graph, calibration, plain_config());
  CHECK(q.values[0].bits == 16);  // operands of a subtraction only vector nodes read
  CHECK(q.values[1].bits == 16);
  CHECK(q.values[2].bits == 16);  // y: subtracted by rsub
  CHECK(q.values[3].bits == 8);   // the graph output
  CHECK(q.nodes[0].add.multipliers[0] > 0);
  CHECK(q.nodes[0].add.multipliers[1] < 0);
  CHECK(q.nodes[1].add.multipliers[0] < 0);
  // a - b = 1, -0.5; 3 - (a - b) = 2, 3.5 (within one output step)
  const IntResult result = run_int(q, calibration[0]);
  const double step = q.values[3].scale;
  CHECK(result.dequantized[0].data[0] == Approx(2.0).margin(step));
  CHECK(result.dequantized[0].data[1] == Approx(3.5).margin(step));
}

TEST_CASE("quantization rejects what it cannot represent") {
  QuantConfig config = plain_config();
  config.weight_bits = 1;
  CHECK_THROWS_WITH(quantize(gemm_graph(), kCalibration, config), Catch::Contains("weight_bits 1"));
  config = plain_config();
  config.calibration = CalibrationMethod::Percentile;
  config.percentile = 0.0;
  CHECK_THROWS_WITH(quantize(gemm_graph(), kCalibration, config), Catch::Contains("percentile"));
  // 3 products of 16-bit weights and 16-bit inputs need about 2^31.6: too much for 32 bits.
  config = plain_config();
  config.weight_bits = 16;
  config.activation_bits = 16;
  CHECK_THROWS_WITH(quantize(gemm_graph(), kCalibration, config),
                    Catch::Contains("node 'fc'") && Catch::Contains("accumulator"));
  CHECK_THROWS_WITH(quantize(gemm_graph(), std::vector<std::vector<ir::Tensor>>{}, plain_config()),
                    Catch::Contains("no calibration inputs"));
}

TEST_CASE("an input too small for the bias's codes gets the scale the bias needs") {
  // Inputs of 1e-12 (an untrained network's vanished activations): at their calibrated scale
  // 2e-12/127 the bias 0.3 would be ~1e16 input x weight steps, more than 32-bit bias codes hold.
  // The input scale rises to the smallest at which every bias fits with room for the products
  // (3 of 127 x 255) and the bias correction (3 x 255 / 2):
  // room = 2^31 - 1 - 97155 - 382.5 = 2147386109.5; channel 1 (bias -0.1, weight scale 0.2/127)
  // needs 0.1 / (0.2/127 x room) = 63.5 / room, channel 0 (0.3, 1/127) 38.1 / room.
  const double room = 2147483647.0 - 3 * 127 * 255 - 3 * 255 / 2.0;
  const std::vector<std::vector<ir::Tensor>> tiny{{ir::Tensor{{1, 3}, {1e-12f, -2e-12f, 0}}}};
  const QuantizedGraph q = quantize(gemm_graph(), tiny, plain_config());
  CHECK(q.values[0].scale == Approx(63.5 / room).epsilon(1e-9));
  const QuantNode& fc = q.nodes[0];
  CHECK(std::abs(fc.bias[1] + room) <= 1.0);  // the largest bias fills the room
  // 0.3 x 127 / (0.1 x 127 / (0.2 x room)), in the float values of 0.3, 0.2 and 0.1
  const double bias0 = double{0.3f} * double{0.2f} / double{0.1f} * room;
  CHECK(std::abs(fc.bias[0] - bias0) <= 1.0);
  // The inputs themselves are now below half a step: code 0, and the output is the bias.
  const std::vector<float> y =
      run_int(q, {ir::Tensor{{1, 3}, {1e-12f, -2e-12f, 0}}}).dequantized.at(0).data;
  REQUIRE(y.size() == 2);
  CHECK(y[0] == Approx(0.3).epsilon(0.01));
  CHECK(y[1] == 0.0f);
}

TEST_CASE("an average far below its input's range keeps a scale its divider can hold") {
  // x [1, 1, 2, 2] -> GlobalAveragePool: the mean of 1, -1, 0.5, -0.5 + 1e-6 is 2.5e-7 (a
  // normalized map's mean, 0 but for round-off). At its calibrated scale the divider would be
  // (1/127) / (4 x 2.5e-7/127) = 1e6, past a 16-bit multiplier; the scale is held at the input's
  // times 2^(1 - multiplier_bits), which no average of the input's codes exceeds.
  test::GraphBuilder b(1);
  const ir::Graph graph = b.finish(b.global_average_pool(b.input({1, 1, 2, 2})));
  const ir::Tensor x{{1, 1, 2, 2}, {1.0f, -1.0f, 0.5f, -0.5f + 1e-6f}};
  const QuantConfig config = plain_config();
  const QuantizedGraph q = quantize(graph, {{x}}, config);
  CHECK(q.values[0].scale == Approx(1.0 / 127));
  CHECK(q.values[1].scale == Approx(std::ldexp(1.0 / 127, 1 - config.multiplier_bits)));
  // The codes 127, -127, 64, -63 average to 1/4 of an input step: 8192 output steps, saturated.
  const float y = run_int(q, {x}).dequantized.at(0).data.at(0);
  CHECK(y == Approx(q.values[1].max_code() * q.values[1].scale));
}

TEST_CASE("a mean as a layer of equal weights far below its input's range: a scale it can hold") {
  // x [1, 2] -> Gemm W = [0.5, 0.5], no bias: the mean of 1 and -(1 - 2^-24) is 2^-25 (LayerNorm
  // written out, the mean of a normalized vector). At its calibrated scale the factor would be
  // (1/127) (0.5/127) / (2^-25/127) = 1.3e5, past a 16-bit multiplier; the scale is held at the
  // input's step times the weight's, times 2^(1 - multiplier_bits).
  test::GraphBuilder b(1);
  ir::Graph graph = b.finish(b.gemm(b.input({1, 2}), 1));
  graph.nodes[0].weight = ir::Tensor{{1, 2}, {0.5f, 0.5f}};
  graph.nodes[0].bias = ir::Tensor{{1}, {0.0f}};
  const ir::Tensor x{{1, 2}, {1.0f, -(1.0f - std::ldexp(1.0f, -24))}};
  const QuantConfig config = plain_config();
  const QuantizedGraph q = quantize(graph, {{x}}, config);
  const double step = (1.0 / 127) * (0.5 / 127);
  CHECK(q.values[1].scale == Approx(std::ldexp(step, 1 - config.multiplier_bits)));
  CHECK(run_int(q, {x}).dequantized.at(0).data.at(0) == 0.0f);  // codes 127 and -127
}

TEST_CASE("quantized ONNX operators are recognised") {
  CHECK(is_prequantized_operator("QuantizeLinear"));
  CHECK(is_prequantized_operator("QLinearConv"));
  CHECK(is_prequantized_operator("ConvInteger"));
  CHECK_FALSE(is_prequantized_operator("Conv"));
}

// Worst-case sums of 3 products of 8-bit codes (127 * 127 each) plus the bias reach 50,806:
// a 16-bit accumulator (32,767) cannot hold them, a 17-bit one can.
TEST_CASE("an accumulator too narrow for a layer's sums names the library key to raise") {
  QuantConfig config = plain_config();
  config.accumulator_bits = 16;
  CHECK_THROWS_WITH(quantize(gemm_graph(), kCalibration, config),
                    Catch::Contains("node 'fc' (Gemm): sums of 3 products") &&
                        Catch::Contains("more than a 16-bit accumulator holds; raise the hardware "
                                        "library's [arithmetic] accumulator_bits"));
  config.accumulator_bits = 17;
  CHECK_NOTHROW(quantize(gemm_graph(), kCalibration, config));
}
