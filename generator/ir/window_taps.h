#pragma once
// The taps of a pooling window along one axis, shared by the float pools and the integer ones
// (one rule for which taps a window reads, counts and pads).
#include <algorithm>
#include <cstdint>

#include "ir/graph.h"

namespace pimhls::ir {

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}
inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

// Kernel taps k in [first, last) of a window starting at `start` whose position
// start + k * dilation lies in [low, high).
struct TapRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::int64_t count() const { return last - first; }
};

inline TapRange taps(std::int64_t start, std::int64_t dilation, std::int64_t kernel,
                     std::int64_t low, std::int64_t high) {
  TapRange range;
  range.first = std::max<std::int64_t>(0, ceil_div(low - start, dilation));
  range.last = std::max(range.first, std::min(kernel, floor_div(high - 1 - start, dilation) + 1));
  return range;
}

// Whether a MaxPool window with zero pads (Border::Zero: a zero Pad before the pool) starting
// at (y0, x0) has taps in the pads, given its `rows` x `cols` taps inside the input: the taps
// inside the padded input are a rectangle around those.
inline bool has_zero_taps(const Window& w, std::int64_t y0, std::int64_t x0, const TapRange& rows,
                          const TapRange& cols, std::int64_t in_h, std::int64_t in_w) {
  if (w.border != Border::Zero) return false;
  const TapRange padded_rows = taps(y0, w.dilation_h, w.kernel_h, -w.pad_top, in_h + w.pad_bottom);
  const TapRange padded_cols = taps(x0, w.dilation_w, w.kernel_w, -w.pad_left, in_w + w.pad_right);
  return padded_rows.count() * padded_cols.count() > rows.count() * cols.count();
}

}  // namespace pimhls::ir
