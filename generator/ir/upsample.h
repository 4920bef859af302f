#pragma once
// The two ways the IR spreads pixels over a larger NCHW plane by whole factors f_h, f_w
// (window.upsample_h, upsample_w), for the float reference and the integer executor alike:
//   Upsample    output (y, x) is input (y / f_h, x / f_w): H*f_h x W*f_w (nearest resize);
//               with source_channels (f_h * f_w * C_out of them), output channel c at phase
//               k = (y % f_h) * f_w + x % f_w reads input channel source_channels[k * C_out + c]
//               (DepthToSpace: PixelShuffle moves channels into the pixels of each block);
//   ZeroInsert  the same where f_h divides y and f_w divides x, 0 elsewhere:
//               (H-1)*f_h+1 x (W-1)*f_w+1 (the input of a ConvTranspose's equivalent Conv).
#include <vector>

#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::ir {

inline Dims upsampled_dims(const Node& node, const Dims& in) {
  const std::int64_t f_h = node.window.upsample_h, f_w = node.window.upsample_w;
  if (node.op == Op::ZeroInsert)
    return {in[0], in[1], (in[2] - 1) * f_h + 1, (in[3] - 1) * f_w + 1};
  const auto channels = node.source_channels.empty()
                            ? in[1]
                            : static_cast<std::int64_t>(node.source_channels.size()) / (f_h * f_w);
  return {in[0], channels, in[2] * f_h, in[3] * f_w};
}

template <class T>
std::vector<T> upsample(const Node& node, const std::vector<T>& input, const Dims& in,
                        const Dims& out) {
  const Window& w = node.window;
  const std::int64_t f_h = w.upsample_h, f_w = w.upsample_w;
  const auto& sources = node.source_channels;
  bool valid =
      in.size() == 4 && f_h >= 1 && f_w >= 1 && out == upsampled_dims(node, in) &&
      static_cast<std::int64_t>(input.size()) == element_count(in) &&
      (sources.empty() || (node.op == Op::Upsample &&
                           static_cast<std::int64_t>(sources.size()) == f_h * f_w * out[1]));
  for (std::int64_t c : sources) valid = valid && c >= 0 && c < in[1];
  if (!valid)
    fail("node '{}' ({}): {} spread {}x{} ({} source channels) is not {}", node.name,
         op_name(node.op), format_dims(in), f_h, f_w, sources.size(), format_dims(out));
  const bool zeros = node.op == Op::ZeroInsert;
  std::vector<T> output;
  output.reserve(static_cast<std::size_t>(element_count(out)));
  for (std::int64_t n = 0; n < out[0]; ++n)
    for (std::int64_t c = 0; c < out[1]; ++c)
      for (std::int64_t y = 0; y < out[2]; ++y)
        for (std::int64_t x = 0; x < out[3]; ++x) {
          const std::int64_t phase = (y % f_h) * f_w + x % f_w;
          const std::int64_t channel =
              sources.empty() ? c : sources[static_cast<std::size_t>(phase * out[1] + c)];
          const std::int64_t plane = n * in[1] + channel;
          output.push_back(
              zeros && phase != 0
                  ? T{0}
                  : input[static_cast<std::size_t>((plane * in[2] + y / f_h) * in[3] + x / f_w)]);
        }
  return output;
}

}  // namespace pimhls::ir
