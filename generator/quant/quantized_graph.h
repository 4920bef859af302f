#pragma once
// The quantized network: the layer graph plus, for every value, its integer code range and
// scale, and for every node the integer constants that its integer kernel needs. Running it
// uses integers only; floats appear at the host boundary (quantizing the inputs, dequantizing
// the outputs) and in Softmax, which the accelerator leaves to the host.
// docs/quantization.md describes every field and why it is so.
#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "quant/fixed_point.h"

namespace pimhls::quant {

// real value = scale * code. Zero points are always 0 (symmetric quantization): the PIM arrays
// then need no zero-point correction terms, and ReLU is a clamp at code 0.
struct QuantParams {
  double scale = 1.0;
  int bits = 8;
  bool is_signed = true;  // codes [-2^(bits-1), 2^(bits-1)-1]; unsigned: [0, 2^bits-1]

  std::int32_t min_code() const { return is_signed ? -(std::int32_t{1} << (bits - 1)) : 0; }
  std::int32_t max_code() const {
    return is_signed ? (std::int32_t{1} << (bits - 1)) - 1 : (std::int32_t{1} << bits) - 1;
  }
};

// How activation ranges are chosen from the calibration runs (docs/quantization.md).
enum class CalibrationMethod {
  Max,         // the largest |value| seen
  Percentile,  // that percentile of |value| (clips rare outliers)
  Mse,         // the clipping threshold that minimises the expected quantization error
};

// Bit widths come from the hardware library (weight/activation precision of the tiles).
struct QuantConfig {
  int weight_bits = 8;        // symmetric, narrow range: [-(2^(b-1)-1), 2^(b-1)-1]
  int activation_bits = 8;    // per tensor
  int bias_bits = 32;         // bias codes in units of input scale * weight scale
  int accumulator_bits = 32;  // Conv/Gemm sums must fit (checked at quantization)
  int multiplier_bits = 16;   // requantization multipliers (magnitude bits)
  bool per_channel_weights = true;
  bool mse_weight_scales = true;  // weight thresholds minimise the rounding + clipping error
  bool bias_correction = true;    // fold the mean weight-rounding error into the bias
  CalibrationMethod calibration = CalibrationMethod::Mse;
  double percentile = 99.99;  // CalibrationMethod::Percentile only
};

struct IntTensor {
  ir::Dims shape;
  std::vector<std::int32_t> data;

  std::int64_t size() const { return static_cast<std::int64_t>(data.size()); }
};

// The integer constants of one node; which fields are used depends on the op.
struct QuantNode {
  // Conv, Gemm: weight codes in node.weight's layout ([Cout, Cin/group, kh, kw] or [N, K]),
  // one weight scale, bias code and output requantizer per output channel.
  std::vector<std::int32_t> weight;
  std::vector<double> weight_scale;
  std::vector<std::int32_t> bias;
  std::vector<Requantizer> requant;  // also ChannelAffine (per channel, signed multipliers), and
                                     // Mul (one: s_a * s_b / s_y)
  // ChannelAffine: the shift per channel in `requant`, its bias in units of 2^-shift codes.
  std::vector<std::int64_t> channel_offset;
  // Add: y = (a*Ma + b*Mb + 2^(s-1)) >> s; with a constant operand (node.weight), its term
  // round(c / scale_out * 2^s) replaces b*Mb, element by element (broadcast like the float op).
  SharedShift add;
  std::vector<std::int64_t> add_constant;
  // Concat: one requantizer per input, to the output scale.
  std::vector<Requantizer> input_requant;
  // AveragePool: divide[count] rescales the sum of `count` taps. GlobalAveragePool: divide[0]
  // rescales the sum of the whole plane.
  std::vector<Requantizer> divide;
  // Unary: the output code of every input code, table[code - input min_code] (clamped).
  std::vector<std::int32_t> table;
  // Every op: output codes are clamped to [clamp_min, clamp_max] (the value's code range,
  // narrowed by a fused ReLU or Clip).
  std::int32_t clamp_min = 0;
  std::int32_t clamp_max = 0;
};

struct QuantizedGraph {
  ir::Graph graph;  // the layer graph; float weights and biases are dropped (shapes kept)
  QuantConfig config;
  std::vector<QuantParams> values;  // per ir::ValueId
  std::vector<QuantNode> nodes;     // per graph node, same order
};

}  // namespace pimhls::quant
