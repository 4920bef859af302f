#pragma once
// ChannelMax (ir::Op): the max over the channels of each pixel, [N, C, H, W] -> [N, 1, H, W]
// (ReduceMax over axis 1: CBAM's spatial attention). One definition for the float reference
// and the integer executor.
#include <algorithm>
#include <vector>

#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::ir {

template <class T>
std::vector<T> channel_max(const Node& node, const std::vector<T>& input, const Dims& in,
                           const Dims& out) {
  if (in.size() != 4 || out != Dims{in[0], 1, in[2], in[3]} || in[1] < 1 ||
      static_cast<std::int64_t>(input.size()) != element_count(in))
    fail("node '{}' (ChannelMax): input {} does not reduce to {}", node.name, format_dims(in),
         format_dims(out));
  const std::int64_t plane = in[2] * in[3];
  std::vector<T> output(static_cast<std::size_t>(element_count(out)));
  for (std::int64_t n = 0; n < in[0]; ++n)
    for (std::int64_t i = 0; i < plane; ++i) {
      T best = input[static_cast<std::size_t>(n * in[1] * plane + i)];
      for (std::int64_t c = 1; c < in[1]; ++c)
        best = std::max(best, input[static_cast<std::size_t>((n * in[1] + c) * plane + i)]);
      output[static_cast<std::size_t>(n * plane + i)] = best;
    }
  return output;
}

}  // namespace pimhls::ir
