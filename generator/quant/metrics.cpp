#include "quant/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "util/error.h"

namespace pimhls::quant {

double sqnr_db(const std::vector<float>& reference, const std::vector<float>& test) {
  if (reference.size() != test.size())
    fail("SQNR: {} reference values but {} to compare", reference.size(), test.size());
  double signal = 0.0, noise = 0.0;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const double r = reference[i], e = r - static_cast<double>(test[i]);
    signal += r * r;
    noise += e * e;
  }
  if (noise == 0.0) return std::numeric_limits<double>::infinity();
  if (signal == 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

std::vector<std::int64_t> top1(const ir::Tensor& tensor) {
  std::vector<std::int64_t> indices;
  const std::int64_t width = tensor.shape.empty() ? tensor.size() : tensor.shape.back();
  if (width <= 0) return indices;
  for (std::int64_t row = 0; row * width < tensor.size(); ++row) {
    std::int64_t best = 0;
    for (std::int64_t i = 1; i < width; ++i)
      if (tensor.data[static_cast<std::size_t>(row * width + i)] >
          tensor.data[static_cast<std::size_t>(row * width + best)])
        best = i;
    indices.push_back(best);
  }
  return indices;
}

Agreement top1_agreement(const ir::Tensor& reference, const ir::Tensor& test) {
  if (reference.shape != test.shape)
    fail("top-1: shapes {} and {} differ", ir::format_dims(reference.shape),
         ir::format_dims(test.shape));
  const std::vector<std::int64_t> a = top1(reference), b = top1(test);
  Agreement agreement;
  agreement.rows = static_cast<std::int64_t>(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) agreement.agreeing += a[i] == b[i] ? 1 : 0;
  return agreement;
}

std::int64_t saturated_outputs(const QuantizedGraph& graph, const IntResult& result) {
  std::int64_t count = 0;
  for (std::size_t i = 0; i < result.outputs.size() && i < graph.graph.outputs.size(); ++i) {
    const QuantParams& params = graph.values.at(static_cast<std::size_t>(graph.graph.outputs[i]));
    for (std::int32_t code : result.outputs[i].data)
      count += code >= params.max_code() || (params.is_signed && code <= params.min_code()) ? 1 : 0;
  }
  return count;
}

std::vector<std::int64_t> clipped_inputs(const QuantizedGraph& graph,
                                         const std::vector<ir::Tensor>& inputs) {
  std::vector<std::int64_t> counts;
  for (std::size_t i = 0; i < inputs.size() && i < graph.graph.inputs.size(); ++i) {
    const QuantParams& params = graph.values.at(static_cast<std::size_t>(graph.graph.inputs[i]));
    // round(x / scale) saturates beyond half a step past the end codes
    const double low = (params.min_code() - 0.5) * params.scale;
    const double high = (params.max_code() + 0.5) * params.scale;
    counts.push_back(std::count_if(inputs[i].data.begin(), inputs[i].data.end(),
                                   [&](float x) { return x < low || x > high; }));
  }
  return counts;
}

}  // namespace pimhls::quant
