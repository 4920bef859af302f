#pragma once
// Resample (ir::Op): ONNX Resize by any sizes, linear or nearest, on NCHW planes. Output row y
// reads input rows first[y] and first[y] + 1 (the last row again at the bottom edge) weighted
// 1 - weight[y] and weight[y]; columns alike; a 1x1 window (window.kernel_h/w = 1, nearest
// along that axis) reads first[y] alone. The integer executor and the accelerator weigh with
// kResampleWeightBits-bit fixed-point weights that sum to one exactly, so a code's range is
// kept and the output takes the input's scale. One definition of the taps for the float
// reference and the integer executor.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::ir {

inline constexpr int kResampleWeightBits = 12;
inline constexpr std::int64_t kResampleOne = std::int64_t{1} << kResampleWeightBits;

// The fixed-point weight of the second tap (the first's is kResampleOne minus it).
inline std::int64_t resample_fixed_weight(double weight) {
  return std::clamp<std::int64_t>(std::llround(weight * static_cast<double>(kResampleOne)), 0,
                                  kResampleOne);
}

// Fails unless `node` resamples `in` to `out` with valid tables.
inline void check_resample(const Node& node, const Dims& in, const Dims& out) {
  const auto valid_axis = [](const ResampleAxis& axis, std::int64_t kernel, std::int64_t size,
                             std::int64_t outputs) {
    if ((kernel != 1 && kernel != 2) || static_cast<std::int64_t>(axis.first.size()) != outputs ||
        axis.weight.size() != axis.first.size())
      return false;
    for (std::size_t o = 0; o < axis.first.size(); ++o)
      if (axis.first[o] < 0 || axis.first[o] >= size || !(axis.weight[o] >= 0.0) ||
          axis.weight[o] > 1.0 || (kernel == 1 && axis.weight[o] != 0.0))
        return false;
    return true;
  };
  if (in.size() != 4 || out.size() != 4 || out[0] != in[0] || out[1] != in[1] ||
      !valid_axis(node.resample_rows, node.window.kernel_h, in[2], out[2]) ||
      !valid_axis(node.resample_columns, node.window.kernel_w, in[3], out[3]))
    fail("node '{}' (Resample): tables of {}x{} rows and columns do not resample {} to {}",
         node.name, node.resample_rows.first.size(), node.resample_columns.first.size(),
         format_dims(in), format_dims(out));
}

// `weigh(weight, second)`: the factor of a tap (the axis weight of the second tap, or of the
// first with second = false), of type Acc; `finish(sum)`: the output element.
template <class T, class Acc, class Weigh, class Finish>
std::vector<T> resample(const Node& node, const std::vector<T>& input, const Dims& in,
                        const Dims& out, Weigh weigh, Finish finish) {
  check_resample(node, in, out);
  if (static_cast<std::int64_t>(input.size()) != element_count(in))
    fail("node '{}' (Resample): {} input elements for {}", node.name, input.size(),
         format_dims(in));
  std::vector<T> output;
  output.reserve(static_cast<std::size_t>(element_count(out)));
  const std::int64_t kh = node.window.kernel_h, kw = node.window.kernel_w;
  // Per output row (column): the factors of its two taps, weighed once for every plane.
  const auto factors = [&weigh](const ResampleAxis& axis) {
    std::vector<std::array<Acc, 2>> taps;
    for (const double weight : axis.weight)
      taps.push_back({weigh(weight, false), weigh(weight, true)});
    return taps;
  };
  const std::vector<std::array<Acc, 2>> rows = factors(node.resample_rows);
  const std::vector<std::array<Acc, 2>> columns = factors(node.resample_columns);
  for (std::int64_t plane = 0; plane < out[0] * out[1]; ++plane)
    for (std::int64_t y = 0; y < out[2]; ++y)
      for (std::int64_t x = 0; x < out[3]; ++x) {
        const auto row = static_cast<std::size_t>(y), column = static_cast<std::size_t>(x);
        Acc sum{0};
        for (std::int64_t ky = 0; ky < kh; ++ky)
          for (std::int64_t kx = 0; kx < kw; ++kx) {
            const std::int64_t iy = std::min(node.resample_rows.first[row] + ky, in[2] - 1);
            const std::int64_t ix = std::min(node.resample_columns.first[column] + kx, in[3] - 1);
            const Acc factor = rows[row][static_cast<std::size_t>(ky)] *
                               columns[column][static_cast<std::size_t>(kx)];
            sum += factor * Acc(input[static_cast<std::size_t>((plane * in[2] + iy) * in[3] + ix)]);
          }
        output.push_back(finish(sum));
      }
  return output;
}

}  // namespace pimhls::ir
