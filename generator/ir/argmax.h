#pragma once
// ArgMax along one axis (the host's last step, as Softmax), for any element type: the float
// reference's, which the integer reference applies to its dequantized codes (quant::host_op).
#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace pimhls::ir {

// For every position of `shape` but `axis` (row-major, the axis dropped), the index along `axis`
// of the largest element of `data`: the first of equal ones, or the last when `last`.
template <class T>
std::vector<std::int64_t> argmax_along(const std::vector<T>& data, const Dims& shape,
                                       std::int64_t axis, bool last) {
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= shape[static_cast<std::size_t>(d)];
  for (std::size_t d = static_cast<std::size_t>(axis) + 1; d < shape.size(); ++d) inner *= shape[d];
  const std::int64_t length = shape[static_cast<std::size_t>(axis)];
  std::vector<std::int64_t> indices;
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t i = 0; i < inner; ++i) {
      std::int64_t best = 0;
      for (std::int64_t k = 1; k < length; ++k) {
        const T& candidate = data[static_cast<std::size_t>((o * length + k) * inner + i)];
        const T& current = data[static_cast<std::size_t>((o * length + best) * inner + i)];
        if (candidate > current || (last && candidate == current)) best = k;
      }
      indices.push_back(best);
    }
  return indices;
}

}  // namespace pimhls::ir
