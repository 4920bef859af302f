#pragma once
// Calibration: the float reference runs on a calibration set and every value's distribution
// is recorded; the quantizer then picks each activation's clipping threshold from it
// (docs/quantization.md, "Calibration").
#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "quant/quantized_graph.h"

namespace pimhls::quant {

// The distribution of one value over the calibration set: exact extremes, a count of exact
// zeros (ReLU outputs have many; they quantize without error), and histograms of the positive
// values and of the magnitudes of the negative ones over [0, range). The range doubles (merging
// bin pairs) whenever a larger magnitude arrives, so one pass over the data is enough.
struct ValueStats {
  static constexpr int kBins = 2048;

  double max = 0.0;  // largest value (0 if none is positive)
  double min = 0.0;  // smallest value (0 if none is negative)
  std::int64_t count = 0;
  std::int64_t zeros = 0;
  double range = 0.0;            // histogram upper bound, a power of two; 0 until a nonzero value
  std::vector<double> positive;  // kBins counts
  std::vector<double> negative;  // kBins counts of |value| for value < 0
  // Mean of each channel (axis 1: NCHW channels, Gemm features), for bias correction.
  std::vector<double> channel_mean;
  std::int64_t channel_samples = 0;  // elements per channel seen so far

  // Adds the tensor's elements; throws Error naming `what` on a NaN or infinity.
  void add(const ir::Tensor& tensor, const std::string& what);

 private:
  void add_channel_means(const ir::Tensor& tensor);
};

// Runs the float reference on every input set (one tensor per graph input) and returns the
// statistics of every value (indexed by ir::ValueId; graph inputs included).
std::vector<ValueStats> collect_stats(const ir::Graph& graph,
                                      const std::vector<std::vector<ir::Tensor>>& input_sets);

// The magnitude that maps to the largest code: for a signed value both signs count and the
// positive codes are 2^(bits-1)-1, for an unsigned one only positive values (negatives become
// 0) and the codes are 2^bits-1. Never above the largest magnitude seen; 0 when all are zero.
double clip_threshold(const ValueStats& stats, bool is_signed, int bits, const QuantConfig& config);

// `count` input sets of seeded standard-normal tensors of the graph's input shapes (the
// calibration set when the user gives none).
std::vector<std::vector<ir::Tensor>> random_input_sets(const ir::Graph& graph, int count,
                                                       unsigned seed);

}  // namespace pimhls::quant
