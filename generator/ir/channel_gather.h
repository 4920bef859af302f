#pragma once
// ChannelGather (ir::Op): output channel c is input channel source_channels[c], along axis 1 of
// any rank (NCHW maps, [N, K] vectors): Slice/Split of channels (consecutive sources), channel
// shuffles (Reshape/Transpose/Reshape), Gather of channels. One definition for the float
// reference and the integer executor.
#include <vector>

#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::ir {

// Whether the sources are first, first + 1, ... (a slice: IN_C_FIRST instead of a table).
inline bool consecutive_channels(const std::vector<std::int64_t>& sources) {
  for (std::size_t c = 1; c < sources.size(); ++c)
    if (sources[c] != sources[0] + static_cast<std::int64_t>(c)) return false;
  return true;
}

template <class T>
std::vector<T> channel_gather(const Node& node, const std::vector<T>& input, const Dims& in,
                              const Dims& out) {
  const auto& sources = node.source_channels;
  bool valid = in.size() >= 2 && out.size() == in.size() && out[0] == in[0] &&
               static_cast<std::int64_t>(sources.size()) == out[1] &&
               static_cast<std::int64_t>(input.size()) == element_count(in);
  for (std::int64_t c : sources) valid = valid && c >= 0 && c < in[1];
  if (!valid)
    fail("node '{}' (ChannelGather): {} source channels of {} do not make {}", node.name,
         sources.size(), format_dims(in), format_dims(out));
  const std::int64_t plane = element_count(in) / (in[0] * in[1]);  // H * W (1 for [N, K])
  std::vector<T> output;
  output.reserve(static_cast<std::size_t>(element_count(out)));
  for (std::int64_t n = 0; n < in[0]; ++n)
    for (std::int64_t c : sources) {
      const auto begin = input.begin() + (n * in[1] + c) * plane;
      output.insert(output.end(), begin, begin + plane);
    }
  return output;
}

}  // namespace pimhls::ir
