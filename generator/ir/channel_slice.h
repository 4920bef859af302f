#pragma once
// ChannelSlice (ir::Op): channels first_channel .. first_channel + C_out - 1 of the input, along
// axis 1 of any rank (NCHW maps, [N, K] vectors). One definition for the float reference and the
// integer executor.
#include <vector>

#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::ir {

template <class T>
std::vector<T> channel_slice(const Node& node, const std::vector<T>& input, const Dims& in,
                             const Dims& out) {
  if (in.size() < 2 || out.size() != in.size() || out[0] != in[0] || node.first_channel < 0 ||
      node.first_channel + out[1] > in[1] ||
      static_cast<std::int64_t>(input.size()) != element_count(in))
    fail("node '{}' (ChannelSlice): channels {}.. of {} are not {}", node.name, node.first_channel,
         format_dims(in), format_dims(out));
  const std::int64_t plane = element_count(in) / (in[0] * in[1]);  // H * W (1 for [N, K])
  std::vector<T> output;
  output.reserve(static_cast<std::size_t>(element_count(out)));
  for (std::int64_t n = 0; n < in[0]; ++n) {
    const auto begin = input.begin() + (n * in[1] + node.first_channel) * plane;
    output.insert(output.end(), begin, begin + out[1] * plane);
  }
  return output;
}

}  // namespace pimhls::ir
