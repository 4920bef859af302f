#pragma once
// The two ways the IR spreads pixels over a larger NCHW plane by whole factors f_h, f_w
// (window.upsample_h, upsample_w), for the float reference and the integer executor alike:
//   Upsample    output (y, x) is input (y / f_h, x / f_w): H*f_h x W*f_w (nearest resize);
//   ZeroInsert  the same where f_h divides y and f_w divides x, 0 elsewhere:
//               (H-1)*f_h+1 x (W-1)*f_w+1 (the input of a ConvTranspose's equivalent Conv).
#include <vector>

#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::ir {

inline Dims upsampled_dims(Op op, const Dims& in, std::int64_t f_h, std::int64_t f_w) {
  if (op == Op::ZeroInsert) return {in[0], in[1], (in[2] - 1) * f_h + 1, (in[3] - 1) * f_w + 1};
  return {in[0], in[1], in[2] * f_h, in[3] * f_w};
}

template <class T>
std::vector<T> upsample(const Node& node, const std::vector<T>& input, const Dims& in,
                        const Dims& out) {
  const Window& w = node.window;
  const std::int64_t f_h = w.upsample_h, f_w = w.upsample_w;
  if (in.size() != 4 || f_h < 1 || f_w < 1 || out != upsampled_dims(node.op, in, f_h, f_w) ||
      static_cast<std::int64_t>(input.size()) != element_count(in))
    fail("node '{}' ({}): {} spread {}x{} is not {}", node.name, op_name(node.op), format_dims(in),
         f_h, f_w, format_dims(out));
  const bool zeros = node.op == Op::ZeroInsert;
  std::vector<T> output;
  output.reserve(static_cast<std::size_t>(element_count(out)));
  for (std::int64_t plane = 0; plane < in[0] * in[1]; ++plane)
    for (std::int64_t y = 0; y < out[2]; ++y)
      for (std::int64_t x = 0; x < out[3]; ++x)
        output.push_back(
            zeros && (y % f_h != 0 || x % f_w != 0)
                ? T{0}
                : input[static_cast<std::size_t>((plane * in[2] + y / f_h) * in[3] + x / f_w)]);
  return output;
}

}  // namespace pimhls::ir
