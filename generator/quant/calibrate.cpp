#include "quant/calibrate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "golden/float_reference.h"
#include "util/error.h"

namespace pimhls::quant {
namespace {

constexpr int kBins = ValueStats::kBins;

// Doubles the histogram range: bin pairs merge into the lower half.
void grow(std::vector<double>& bins) {
  for (int i = 0; i < kBins / 2; ++i) bins[i] = bins[2 * i] + bins[2 * i + 1];
  std::fill(bins.begin() + kBins / 2, bins.end(), 0.0);
}

// Bin counts of the magnitudes that a value of this signedness sees.
std::vector<double> magnitudes(const ValueStats& stats, bool is_signed) {
  std::vector<double> bins = stats.positive;
  if (is_signed)
    for (int i = 0; i < kBins; ++i) bins[i] += stats.negative[i];
  return bins;
}

// The threshold below which `percentile` % of all elements (zeros included) lie.
double percentile_threshold(const std::vector<double>& bins, const ValueStats& stats,
                            double largest, double percentile) {
  const double target = static_cast<double>(stats.count) * percentile / 100.0;
  double cumulative = static_cast<double>(stats.count);
  for (double bin : bins) cumulative -= bin;  // zeros and values that clamp to 0
  const double width = stats.range / kBins;
  for (int i = 0; i < kBins; ++i) {
    cumulative += bins[i];
    if (cumulative >= target) return std::min(largest, (i + 1) * width);
  }
  return largest;
}

// The threshold T minimising the expected squared error over the histogram (bin centres v):
// v > T clips, (v - T)^2; v < step/2 rounds to 0, v^2; otherwise uniform rounding, step^2/12.
// Prefix sums of counts, first and second moments make each candidate O(1).
double mse_threshold(const std::vector<double>& bins, const ValueStats& stats, double largest,
                     int levels) {
  const double width = stats.range / kBins;
  std::vector<double> s0(kBins + 1, 0.0), s1(kBins + 1, 0.0), s2(kBins + 1, 0.0);
  for (int i = 0; i < kBins; ++i) {
    const double v = (i + 0.5) * width;
    s0[i + 1] = s0[i] + bins[i];
    s1[i + 1] = s1[i] + bins[i] * v;
    s2[i + 1] = s2[i] + bins[i] * v * v;
  }
  double best = largest, best_error = std::numeric_limits<double>::infinity();
  // Candidates: every bin edge below the largest magnitude, and the largest magnitude itself.
  for (int edge = 1; edge <= kBins; ++edge) {
    const double threshold = std::min(largest, edge * width);
    const int clipped = std::min(kBins, static_cast<int>(std::ceil(threshold / width - 0.5)));
    const double step = threshold / levels;
    const int small = std::clamp(static_cast<int>(std::ceil(step / 2 / width - 0.5)), 0, clipped);
    const double tail_count = s0[kBins] - s0[clipped];
    const double error = s2[small] + (s0[clipped] - s0[small]) * step * step / 12.0 +
                         (s2[kBins] - s2[clipped]) - 2.0 * threshold * (s1[kBins] - s1[clipped]) +
                         threshold * threshold * tail_count;
    if (error <= best_error) {  // ties go to the larger threshold
      best_error = error;
      best = threshold;
    }
    if (threshold >= largest) break;
  }
  return best;
}

}  // namespace

void ValueStats::add_channel_means(const ir::Tensor& tensor) {
  if (tensor.shape.size() < 2 || tensor.shape[0] <= 0 || tensor.shape[1] <= 0) return;
  const std::int64_t batch = tensor.shape[0], channels = tensor.shape[1];
  const std::int64_t inner = tensor.size() / (batch * channels);
  if (channel_mean.empty()) channel_mean.assign(static_cast<std::size_t>(channels), 0.0);
  if (static_cast<std::int64_t>(channel_mean.size()) != channels) return;
  const std::int64_t before = channel_samples, added = batch * inner;
  channel_samples += added;
  for (std::int64_t c = 0; c < channels; ++c) {
    double sum = 0.0;
    for (std::int64_t n = 0; n < batch; ++n)
      for (std::int64_t i = 0; i < inner; ++i)
        sum += tensor.data[static_cast<std::size_t>((n * channels + c) * inner + i)];
    double& mean = channel_mean[static_cast<std::size_t>(c)];
    mean = (mean * static_cast<double>(before) + sum) / static_cast<double>(channel_samples);
  }
}

void ValueStats::add(const ir::Tensor& tensor, const std::string& what) {
  if (positive.empty()) {
    positive.assign(kBins, 0.0);
    negative.assign(kBins, 0.0);
  }
  add_channel_means(tensor);
  for (float element : tensor.data) {
    if (!std::isfinite(element))
      fail("calibration: {} takes a non-finite value ({})", what, element);
    ++count;
    if (element == 0.0f) {
      ++zeros;
      continue;
    }
    const double magnitude = std::fabs(static_cast<double>(element));
    max = std::max(max, static_cast<double>(element));
    min = std::min(min, static_cast<double>(element));
    if (range == 0.0) range = std::exp2(std::ceil(std::log2(magnitude)) + 1);
    while (magnitude >= range) {
      grow(positive);
      grow(negative);
      range *= 2;
    }
    const int bin = std::min(kBins - 1, static_cast<int>(magnitude / range * kBins));
    (element > 0 ? positive : negative)[bin] += 1.0;
  }
}

std::vector<ValueStats> collect_stats(const ir::Graph& graph,
                                      const std::vector<std::vector<ir::Tensor>>& input_sets) {
  if (input_sets.empty()) fail("calibration: no calibration inputs");
  std::vector<ValueStats> stats(graph.values.size());
  for (const std::vector<ir::Tensor>& inputs : input_sets) {
    for (std::size_t i = 0; i < inputs.size() && i < graph.inputs.size(); ++i) {
      const ir::Value& value = graph.value(graph.inputs[i]);
      stats[static_cast<std::size_t>(graph.inputs[i])].add(inputs[i], "input '" + value.name + "'");
    }
    golden::run_float(graph, inputs, [&](const ir::Node& node, const ir::Tensor& output) {
      stats.at(static_cast<std::size_t>(node.output))
          .add(output, "the output of node '" + node.name + "'");
    });
  }
  return stats;
}

double clip_threshold(const ValueStats& stats, bool is_signed, int bits,
                      const QuantConfig& config) {
  const double largest = is_signed ? std::max(stats.max, -stats.min) : stats.max;
  if (largest <= 0.0 || stats.positive.empty()) return 0.0;
  const std::vector<double> bins = magnitudes(stats, is_signed);
  const int levels = is_signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  switch (config.calibration) {
    case CalibrationMethod::Max: return largest;
    case CalibrationMethod::Percentile:
      return percentile_threshold(bins, stats, largest, config.percentile);
    case CalibrationMethod::Mse: return mse_threshold(bins, stats, largest, levels);
  }
  return largest;
}

std::vector<std::vector<ir::Tensor>> random_input_sets(const ir::Graph& graph, int count,
                                                       unsigned seed) {
  std::vector<std::vector<ir::Tensor>> sets;
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int set = 0; set < count; ++set) {
    std::vector<ir::Tensor> inputs;
    for (ir::ValueId id : graph.inputs) {
      const ir::Dims& shape = graph.shape(id);
      ir::Tensor tensor{shape,
                        std::vector<float>(static_cast<std::size_t>(ir::element_count(shape)))};
      for (float& element : tensor.data) element = normal(generator);
      inputs.push_back(std::move(tensor));
    }
    sets.push_back(std::move(inputs));
  }
  return sets;
}

}  // namespace pimhls::quant
