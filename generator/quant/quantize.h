#pragma once
// Post-training quantization: float layer graph + calibration statistics -> QuantizedGraph
// (docs/quantization.md).
#include <vector>

#include "ir/graph.h"
#include "quant/calibrate.h"
#include "quant/quantized_graph.h"

namespace pimhls::quant {

// Throws Error naming the key when a bit width or option is out of range.
void validate(const QuantConfig& config);

// Quantizes `graph` with the statistics of collect_stats. Throws Error naming the node when a
// layer cannot be represented (an accumulator wider than config.accumulator_bits, a rescaling
// factor that does not fit the multiplier).
QuantizedGraph quantize(const ir::Graph& graph, const std::vector<ValueStats>& stats,
                        const QuantConfig& config);

// Calibrates on `input_sets` (one tensor per graph input each) and quantizes.
QuantizedGraph quantize(const ir::Graph& graph,
                        const std::vector<std::vector<ir::Tensor>>& input_sets,
                        const QuantConfig& config);

// The quantized ONNX operators whose own scales pimhls does not read yet (models that are
// already quantized): QuantizeLinear, DequantizeLinear, QLinearConv, QLinearMatMul,
// ConvInteger, MatMulInteger, ... True for those op types.
bool is_prequantized_operator(const std::string& op_type);

}  // namespace pimhls::quant
