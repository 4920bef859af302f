#pragma once
// How far a quantized or analog result is from the float reference.
#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "quant/int_reference.h"
#include "quant/quantized_graph.h"

namespace pimhls::quant {

// Signal-to-quantization-noise ratio in dB: 10 log10(sum ref^2 / sum (ref - test)^2).
// +infinity when the two are equal, -infinity when the reference is all zero and they differ.
// Throws Error when the sizes differ.
double sqnr_db(const std::vector<float>& reference, const std::vector<float>& test);

// Index of the largest element of each row along the last axis (first one on ties).
std::vector<std::int64_t> top1(const ir::Tensor& tensor);

// Rows (along the last axis) whose top-1 index agrees.
struct Agreement {
  std::int64_t agreeing = 0;
  std::int64_t rows = 0;
  double fraction() const { return rows == 0 ? 1.0 : static_cast<double>(agreeing) / rows; }
};
Agreement top1_agreement(const ir::Tensor& reference, const ir::Tensor& test);

// Output codes at the ends of their value's range (the largest code, or a signed value's
// smallest): values the calibration did not see, clipped.
std::int64_t saturated_outputs(const QuantizedGraph& graph, const IntResult& result);

// Per graph input, the elements of `inputs` outside its calibrated range (the host's
// quantization saturates them): inputs unlike the calibration data, e.g. pixels in 0..255 for
// a network calibrated on random normal inputs.
std::vector<std::int64_t> clipped_inputs(const QuantizedGraph& graph,
                                         const std::vector<ir::Tensor>& inputs);

}  // namespace pimhls::quant
