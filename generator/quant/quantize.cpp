// Post-training quantization. Weights: symmetric, narrow range, per output channel (or per
// layer). Activations: symmetric per tensor, unsigned where the calibration saw no negative
// value. Every rescaling becomes an integer multiplier and shift (fixed_point.h).
#include "quant/quantize.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <string_view>

#include "ir/code_bits.h"
#include "util/error.h"

namespace pimhls::quant {
namespace {

std::string describe(const ir::Node& node) {
  return fmt::format("node '{}' ({})", node.name, ir::op_name(node.op));
}

void check_range(std::string_view key, int value, int low, int high) {
  if (value < low || value > high) fail("{} {}: must be {}..{}", key, value, low, high);
}

// True when every reader of `id` is a ReLU (and the graph does not output it): negative values
// are then never seen, so the value can be quantized as unsigned with all codes for x >= 0.
bool only_relu_reads(const ir::Graph& graph, ir::ValueId id) {
  if (graph.is_output(id)) return false;
  const std::vector<int> readers = graph.consumers(id);
  return !readers.empty() && std::all_of(readers.begin(), readers.end(), [&](int n) {
    return graph.nodes[static_cast<std::size_t>(n)].op == ir::Op::Relu;
  });
}

// `floor`: the smallest scale the value's readers allow (scale_floors).
QuantParams calibrated(const ir::Graph& graph, const std::vector<ValueStats>& stats, ir::ValueId id,
                       const QuantConfig& config, double floor) {
  const ValueStats& value = stats.at(static_cast<std::size_t>(id));
  QuantParams params;
  params.bits = ir::code_bits(graph, id, config.activation_bits);
  params.is_signed = value.min < 0.0 && !only_relu_reads(graph, id);
  // The network's outputs are never clipped: the largest logits decide the top-1 class.
  QuantConfig value_config = config;
  if (graph.is_output(id)) value_config.calibration = CalibrationMethod::Max;
  const double threshold = clip_threshold(value, params.is_signed, params.bits, value_config);
  params.scale = std::max(threshold > 0.0 ? threshold / params.max_code() : 1.0, floor);
  return params;
}

// The output code range narrowed by a fused (or standalone) ReLU or Clip: [min, max] of the
// activation, as the float reference clamps (ReLU is [0, inf)).
void set_clamp(const ir::Activation& activation, const QuantParams& out, QuantNode& quant) {
  std::int64_t low = out.min_code(), high = out.max_code();
  if (activation.kind != ir::Activation::Kind::None) {
    low = std::max(low, round_saturate(activation.min / out.scale, low, high));
    high = std::max(low, std::min(high, round_saturate(activation.max / out.scale, low, high)));
  }
  quant.clamp_min = static_cast<std::int32_t>(low);
  quant.clamp_max = static_cast<std::int32_t>(high);
}

Requantizer requantizer(const ir::Node& node, double real, int multiplier_bits) {
  try {
    return make_requantizer(real, multiplier_bits);
  } catch (const Error& error) {
    fail("{}: {}", describe(node), error.what());
  }
}

// The mean error that weight rounding adds to output channel `channel`: (Wq - W) . E[x], with
// E[x] the calibration mean of the input channel each weight reads (bias correction, Nagel et
// al., "Data-free quantization", ICCV 2019). 0 when the means are not known.
double weight_rounding_bias(const ir::Node& node, const QuantNode& quant, std::int64_t channel,
                            const std::vector<double>& input_means) {
  const ir::Dims& shape = node.weight.shape;
  const std::int64_t fan_in = node.weight.size() / shape[0];
  std::int64_t taps = 1, first_input = 0;
  if (node.op == ir::Op::Conv) {
    const std::int64_t group_in = shape[1];
    taps = shape[2] * shape[3];
    first_input = channel / (shape[0] / node.window.group) * group_in;
    if (static_cast<std::int64_t>(input_means.size()) != group_in * node.window.group) return 0.0;
  } else if (static_cast<std::int64_t>(input_means.size()) != fan_in) {
    return 0.0;
  }
  const double scale = quant.weight_scale[static_cast<std::size_t>(channel)];
  double bias = 0.0;
  for (std::int64_t k = 0; k < fan_in; ++k) {
    const std::size_t i = static_cast<std::size_t>(channel * fan_in + k);
    const double rounding = quant.weight[i] * scale - static_cast<double>(node.weight.data[i]);
    bias += rounding * input_means[static_cast<std::size_t>(first_input + k / taps)];
  }
  return bias;
}

// The weight magnitude mapped to the largest code: the largest |w|, or with `search` the one of
// 100%, 98%, ..., 76% of it that minimises the squared rounding-plus-clipping error.
double weight_threshold(std::span<const float> weights, std::int64_t max_code, bool search) {
  double largest = 0.0;
  for (float w : weights) largest = std::max(largest, std::fabs(static_cast<double>(w)));
  if (!search || largest == 0.0) return largest;
  constexpr int kCandidates = 13;  // 100%, 98%, ..., 76%
  std::array<double, kCandidates> step{}, error{};
  for (int k = 0; k < kCandidates; ++k)
    step[k] = largest * (100 - 2 * k) / 100.0 / static_cast<double>(max_code);
  // All candidates in one pass over the weights (independent sums, each in weight order).
  for (float w : weights) {
    for (int k = 0; k < kCandidates; ++k) {
      const auto code = static_cast<double>(round_saturate(w / step[k], -max_code, max_code));
      error[k] += (w - code * step[k]) * (w - code * step[k]);
    }
  }
  int best = 0;
  for (int k = 1; k < kCandidates; ++k)
    if (error[k] < error[best]) best = k;
  return largest * (100 - 2 * best) / 100.0;
}

std::int64_t max_weight_code(const QuantConfig& config) {
  return (std::int64_t{1} << (config.weight_bits - 1)) - 1;
}

// The weight scale of every output channel of a Conv/Gemm: one threshold per channel, or one
// for the whole tensor.
std::vector<double> weight_scales(const ir::Node& node, const QuantConfig& config) {
  const ir::Tensor& weight = node.weight;
  const std::int64_t channels = weight.shape.empty() ? 0 : weight.shape[0];
  if (channels == 0 || weight.size() % channels != 0)
    fail("{}: weight of shape {} has no output channels", describe(node),
         ir::format_dims(weight.shape));
  if (!node.bias.data.empty() && node.bias.size() != channels)
    fail("{}: bias has {} values for {} output channels", describe(node), node.bias.size(),
         channels);
  const std::int64_t fan_in = weight.size() / channels;
  const std::int64_t max_weight = max_weight_code(config);
  std::vector<double> absmax(static_cast<std::size_t>(channels), 0.0);
  if (config.per_channel_weights) {
    for (std::int64_t c = 0; c < channels; ++c)
      absmax[static_cast<std::size_t>(c)] = weight_threshold(
          std::span(weight.data)
              .subspan(static_cast<std::size_t>(c * fan_in), static_cast<std::size_t>(fan_in)),
          max_weight, config.mse_weight_scales);
  } else {
    std::fill(absmax.begin(), absmax.end(),
              weight_threshold(weight.data, max_weight, config.mse_weight_scales));
  }
  std::vector<double> scales;
  for (const double threshold : absmax)
    scales.push_back(threshold > 0.0 ? threshold / static_cast<double>(max_weight) : 1.0);
  return scales;
}

// The smallest input scale at which every bias of a Conv/Gemm fits its codes and, next to the
// largest sum of products, the accumulator, with room for the bias correction (at most half a
// weight step times the largest input per product). An untrained network's activations can
// vanish (scales of 1e-13: torchvision's GoogLeNet and MobileNetV3 heads with random weights)
// while its biases do not; an input step that coarse is still 2^-31 of the bias.
double input_scale_floor(const ir::Node& node, const std::vector<double>& scales,
                         const QuantConfig& config) {
  if (node.bias.data.empty()) return 0.0;
  const double fan_in =
      static_cast<double>(node.weight.size()) / static_cast<double>(scales.size());
  const double max_input = std::ldexp(1.0, config.activation_bits) - 1;
  const double products = fan_in * static_cast<double>(max_weight_code(config)) * max_input;
  const double room = std::min(std::ldexp(1.0, config.bias_bits - 1) - 1,
                               std::ldexp(1.0, config.accumulator_bits - 1) - 1 - products) -
                      fan_in * max_input / 2;
  if (room < 1.0) return 0.0;  // quantize_layer names what does not fit
  double floor = 0.0;
  for (std::size_t c = 0; c < scales.size(); ++c)
    floor = std::max(floor, std::fabs(static_cast<double>(node.bias.data[c])) / (scales[c] * room));
  return floor;
}

// The smallest output scale whose requantization factors the multiplier holds: an output
// step far below the step of what the node computes (the mean of a normalized map or vector,
// 0 but for float round-off, as an average or a Conv of equal weights; their difference) would
// need a factor of 2^multiplier_bits or more, and codes that fine say nothing the sums do not.
double requant_scale_floor(const ir::Node& node, const std::vector<QuantParams>& values,
                           const std::vector<double>& weight_scales, const QuantConfig& config) {
  const auto scale_of = [&](std::size_t i) {
    return values.at(static_cast<std::size_t>(node.inputs.at(i))).scale;
  };
  double step = 0.0;  // the largest step of what the node requantizes
  switch (node.op) {
    case ir::Op::AveragePool:
    case ir::Op::GlobalAveragePool: step = scale_of(0); break;
    case ir::Op::Conv:
    case ir::Op::Gemm:
      for (const double scale : weight_scales) step = std::max(step, scale_of(0) * scale);
      break;
    case ir::Op::ChannelAffine:
      for (const float weight : node.weight.data)
        step = std::max(step, scale_of(0) * std::fabs(static_cast<double>(weight)));
      break;
    case ir::Op::Mul: step = scale_of(0) * scale_of(1); break;
    case ir::Op::Add:
    case ir::Op::Concat:
      for (std::size_t i = 0; i < node.inputs.size(); ++i) step = std::max(step, scale_of(i));
      break;
    default: break;
  }
  return step * std::ldexp(1.0, 1 - config.multiplier_bits);
}

bool passes_codes(ir::Op op) {
  switch (op) {
    case ir::Op::Relu:
    case ir::Op::Clip:
    case ir::Op::MaxPool:
    case ir::Op::Upsample:
    case ir::Op::ZeroInsert:
    case ir::Op::BorderPad:
    case ir::Op::Resample:  // a weighted mean of codes, in the input's range
    case ir::Op::ChannelGather:
    case ir::Op::ChannelMax:
    case ir::Op::Flatten:
    case ir::Op::Reshape: return true;
    default: return false;
  }
}

// The smallest scale of every value its readers allow (input_scale_floor); a value whose codes
// pass through a node unchanged takes the floor of the node's output too.
std::vector<double> scale_floors(const ir::Graph& graph,
                                 const std::vector<std::vector<double>>& weight_scale,
                                 const QuantConfig& config) {
  std::vector<double> floors(graph.values.size(), 0.0);
  for (std::size_t n = graph.nodes.size(); n-- > 0;) {
    const ir::Node& node = graph.nodes[n];
    if (node.inputs.empty()) continue;
    double& floor = floors.at(static_cast<std::size_t>(node.inputs[0]));
    if (node.has_weights())
      floor = std::max(floor, input_scale_floor(node, weight_scale[n], config));
    if (passes_codes(node.op))
      floor = std::max(floor, floors.at(static_cast<std::size_t>(node.output)));
  }
  return floors;
}

void quantize_layer(const ir::Node& node, const QuantParams& in, const QuantParams& out,
                    const std::vector<double>& scales, const ValueStats& input_stats,
                    const QuantConfig& config, QuantNode& quant) {
  const ir::Tensor& weight = node.weight;
  const std::int64_t channels = static_cast<std::int64_t>(scales.size());
  const std::int64_t fan_in = weight.size() / channels;
  const std::int64_t max_weight = max_weight_code(config);
  const std::int64_t max_bias = (std::int64_t{1} << (config.bias_bits - 1)) - 1;

  quant.weight.resize(weight.data.size());
  std::int64_t largest_bias = 0;
  for (std::int64_t c = 0; c < channels; ++c) {
    const double scale = scales[static_cast<std::size_t>(c)];
    quant.weight_scale.push_back(scale);
    for (std::int64_t k = 0; k < fan_in; ++k) {
      const std::size_t i = static_cast<std::size_t>(c * fan_in + k);
      quant.weight[i] = static_cast<std::int32_t>(
          round_saturate(weight.data[i] / scale, -max_weight, max_weight));
    }
    double bias = node.bias.data.empty() ? 0.0 : node.bias.data[static_cast<std::size_t>(c)];
    if (config.bias_correction)
      bias -= weight_rounding_bias(node, quant, c, input_stats.channel_mean);
    const double bias_steps = bias / (in.scale * scale);
    if (std::abs(bias_steps) > static_cast<double>(max_bias))
      fail(
          "{}: the bias {:.3g} of output channel {} is {:.3g} steps of input scale {:.3g} x "
          "weight scale {:.3g}, more than {}-bit bias codes hold; the layer's weights or "
          "inputs are nearly zero beside its bias",
          describe(node), bias, c, bias_steps, in.scale, scale, config.bias_bits);
    const std::int64_t bias_code = round_saturate(bias_steps, -max_bias, max_bias);
    largest_bias = std::max(largest_bias, std::abs(bias_code));
    quant.bias.push_back(static_cast<std::int32_t>(bias_code));
    quant.requant.push_back(
        requantizer(node, in.scale * scale / out.scale, config.multiplier_bits));
  }
  // The worst-case sum must fit the accumulator (the RTL's and the arrays' shift-add width).
  const std::int64_t max_input =
      std::max(-std::int64_t{in.min_code()}, std::int64_t{in.max_code()});
  const double worst = static_cast<double>(fan_in) * static_cast<double>(max_weight) *
                           static_cast<double>(max_input) +
                       static_cast<double>(largest_bias);
  if (worst > std::ldexp(1.0, config.accumulator_bits - 1) - 1)
    fail(
        "{}: sums of {} products of {}-bit weights and {}-bit inputs plus a bias of up to {} "
        "reach {:.0f}, more than a {}-bit accumulator holds; raise the hardware library's "
        "[arithmetic] accumulator_bits or use fewer bits",
        describe(node), fan_in, config.weight_bits, in.bits, largest_bias, worst,
        config.accumulator_bits);
}

void quantize_add(const ir::Node& node, const std::vector<QuantParams>& values,
                  const QuantConfig& config, QuantNode& quant) {
  const QuantParams& out = values[static_cast<std::size_t>(node.output)];
  std::vector<double> reals;
  for (ir::ValueId id : node.inputs)
    reals.push_back(values[static_cast<std::size_t>(id)].scale / out.scale);
  if (node.subtract && !reals.empty()) reals.back() = -reals.back();  // a signed multiplier
  if (node.inputs.size() == 1 && node.weight.data.empty())
    fail("{}: has one input and no constant operand", describe(node));
  try {
    quant.add = make_shared_shift(reals, config.multiplier_bits);
  } catch (const Error& error) {
    fail("{}: {}", describe(node), error.what());
  }
  if (node.inputs.size() == 1) {
    const double unit = std::ldexp(1.0, quant.add.shift) / out.scale;
    const std::int64_t limit = std::int64_t{1} << 40;
    for (float constant : node.weight.data)
      quant.add_constant.push_back(round_saturate(constant * unit, -limit, limit));
  }
}

// The table of every input code: the float function of its value, rounded to an output code.
void quantize_unary(const ir::Node& node, const QuantParams& in, const QuantParams& out,
                    QuantNode& quant) {
  constexpr int kMaxTableBits = 16;
  if (in.bits > kMaxTableBits)
    fail("{}: a table of 2^{} input codes (at most 2^{})", describe(node), in.bits, kMaxTableBits);
  quant.table.clear();
  for (std::int64_t code = in.min_code(); code <= in.max_code(); ++code) {
    const float y = ir::apply(node.unary, static_cast<float>(static_cast<double>(code) * in.scale));
    quant.table.push_back(
        static_cast<std::int32_t>(round_saturate(y / out.scale, quant.clamp_min, quant.clamp_max)));
  }
}

void quantize_channel_affine(const ir::Node& node, const QuantParams& in, const QuantParams& out,
                             const QuantConfig& config, QuantNode& quant) {
  const std::int64_t channels = node.weight.size();
  if (node.bias.size() != channels)
    fail("{}: {} scales but {} offsets", describe(node), channels, node.bias.size());
  const std::int64_t limit = std::int64_t{1} << 40;
  for (std::int64_t c = 0; c < channels; ++c) {
    const Requantizer requant =
        requantizer(node, node.weight.data[static_cast<std::size_t>(c)] * in.scale / out.scale,
                    config.multiplier_bits);
    quant.requant.push_back(requant);
    const double offset = node.bias.data[static_cast<std::size_t>(c)] / out.scale;
    quant.channel_offset.push_back(
        round_saturate(std::ldexp(offset, requant.shift), -limit, limit));
  }
}

void quantize_average(const ir::Graph& graph, const ir::Node& node, const QuantParams& in,
                      const QuantParams& out, const QuantConfig& config, QuantNode& quant) {
  if (node.op == ir::Op::GlobalAveragePool) {
    const ir::Dims& shape = graph.shape(node.inputs.at(0));
    const std::int64_t plane =
        shape.size() < 2 ? 1 : ir::element_count(ir::Dims(shape.begin() + 2, shape.end()));
    quant.divide.push_back(requantizer(node, in.scale / (static_cast<double>(plane) * out.scale),
                                       config.multiplier_bits));
    return;
  }
  const std::int64_t taps = node.window.kernel_h * node.window.kernel_w;
  quant.divide.emplace_back();  // a window of no tap yields 0
  for (std::int64_t count = 1; count <= taps; ++count)
    quant.divide.push_back(requantizer(node, in.scale / (static_cast<double>(count) * out.scale),
                                       config.multiplier_bits));
}

}  // namespace

void validate(const QuantConfig& config) {
  check_range("weight_bits", config.weight_bits, 2, 16);
  check_range("activation_bits", config.activation_bits, 2, 16);
  check_range("bias_bits", config.bias_bits, 2, 32);
  check_range("accumulator_bits", config.accumulator_bits, 8, 48);
  check_range("multiplier_bits", config.multiplier_bits, 2, 31);
  // acc * M + 2^(shift-1) must stay inside int64 (fixed_point.h).
  if (config.accumulator_bits + config.multiplier_bits > 62)
    fail("accumulator_bits {} + multiplier_bits {}: must be at most 62", config.accumulator_bits,
         config.multiplier_bits);
  if (!(config.percentile > 0.0 && config.percentile <= 100.0))
    fail("percentile {}: must be in (0, 100]", config.percentile);
}

QuantizedGraph quantize(const ir::Graph& graph, const std::vector<ValueStats>& stats,
                        const QuantConfig& config) {
  validate(config);
  if (stats.size() != graph.values.size())
    fail("graph '{}': statistics for {} values, the graph has {}", graph.name, stats.size(),
         graph.values.size());
  QuantizedGraph result;
  result.config = config;
  result.values.resize(graph.values.size());
  result.nodes.resize(graph.nodes.size());
  std::vector<std::vector<double>> weight_scale(graph.nodes.size());
  for (std::size_t n = 0; n < graph.nodes.size(); ++n)
    if (graph.nodes[n].has_weights()) weight_scale[n] = weight_scales(graph.nodes[n], config);
  const std::vector<double> floors = scale_floors(graph, weight_scale, config);
  for (ir::ValueId id : graph.inputs)
    result.values[static_cast<std::size_t>(id)] =
        calibrated(graph, stats, id, config, floors[static_cast<std::size_t>(id)]);

  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    const ir::Node& node = graph.nodes[n];
    QuantNode& quant = result.nodes[n];
    if (node.inputs.empty() && node.op != ir::Op::Add) fail("{}: has no input", describe(node));
    const QuantParams in = node.inputs.empty()
                               ? QuantParams{}
                               : result.values[static_cast<std::size_t>(node.inputs[0])];
    QuantParams& out = result.values.at(static_cast<std::size_t>(node.output));
    if (passes_codes(node.op))
      out = in;
    else if (node.op == ir::Op::Softmax)
      out = QuantParams{1.0 / ((1 << config.activation_bits) - 1), config.activation_bits, false};
    else if (node.op == ir::Op::ArgMax)  // indices, exact (codes are int32)
      out = QuantParams{1.0, 30, false};
    else
      out = calibrated(graph, stats, node.output, config,
                       std::max(floors[static_cast<std::size_t>(node.output)],
                                requant_scale_floor(node, result.values, weight_scale[n], config)));
    set_clamp(node.activation, out, quant);
    switch (node.op) {
      case ir::Op::Conv:
      case ir::Op::Gemm:
        quantize_layer(node, in, out, weight_scale[n],
                       stats.at(static_cast<std::size_t>(node.inputs[0])), config, quant);
        break;
      case ir::Op::Add: quantize_add(node, result.values, config, quant); break;
      case ir::Op::Concat:
        for (ir::ValueId id : node.inputs)
          quant.input_requant.push_back(
              requantizer(node, result.values[static_cast<std::size_t>(id)].scale / out.scale,
                          config.multiplier_bits));
        break;
      case ir::Op::AveragePool:
      case ir::Op::GlobalAveragePool: quantize_average(graph, node, in, out, config, quant); break;
      case ir::Op::ChannelAffine: quantize_channel_affine(node, in, out, config, quant); break;
      case ir::Op::Unary: quantize_unary(node, in, out, quant); break;
      case ir::Op::Mul:
        quant.requant = {requantizer(
            node,
            in.scale * result.values.at(static_cast<std::size_t>(node.inputs.at(1))).scale /
                out.scale,
            config.multiplier_bits)};
        break;
      default: break;
    }
  }
  // The float weights are now integer codes in `nodes`; keep only their shapes.
  result.graph = graph;
  for (ir::Node& node : result.graph.nodes) {
    node.weight.data = {};
    node.bias.data = {};
  }
  return result;
}

QuantizedGraph quantize(const ir::Graph& graph,
                        const std::vector<std::vector<ir::Tensor>>& input_sets,
                        const QuantConfig& config) {
  validate(config);
  return quantize(graph, collect_stats(graph, input_sets), config);
}

bool is_prequantized_operator(const std::string& op_type) {
  static constexpr std::array<std::string_view, 14> kOperators{
      "ConvInteger",      "DequantizeLinear", "DynamicQuantizeLinear",
      "MatMulInteger",    "QLinearAdd",       "QLinearAveragePool",
      "QLinearConcat",    "QLinearConv",      "QLinearGlobalAveragePool",
      "QLinearLeakyRelu", "QLinearMatMul",    "QLinearMul",
      "QLinearSigmoid",   "QuantizeLinear"};
  return std::find(kOperators.begin(), kOperators.end(), op_type) != kOperators.end();
}

}  // namespace pimhls::quant
