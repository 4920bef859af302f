#pragma once
// Nearest upsampling of NCHW data by whole factors (ir::Op::Upsample): output (y, x) of each
// plane is input (y / upsample_h, x / upsample_w). One definition for the float reference and
// the integer executor, which run it on floats and on codes.
#include <fmt/format.h>

#include <vector>

#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::ir {

template <class T>
std::vector<T> upsample_nearest(const Node& node, const std::vector<T>& input, const Dims& in,
                                const Dims& out) {
  const Window& w = node.window;
  if (in.size() != 4 || out.size() != 4 || out[0] != in[0] || out[1] != in[1] || w.upsample_h < 1 ||
      w.upsample_w < 1 || out[2] != in[2] * w.upsample_h || out[3] != in[3] * w.upsample_w ||
      static_cast<std::int64_t>(input.size()) != element_count(in))
    fail("node '{}' (Upsample): {} upsampled {}x{} is not {}", node.name, format_dims(in),
         w.upsample_h, w.upsample_w, format_dims(out));
  std::vector<T> output;
  output.reserve(static_cast<std::size_t>(element_count(out)));
  for (std::int64_t plane = 0; plane < in[0] * in[1]; ++plane)
    for (std::int64_t y = 0; y < out[2]; ++y)
      for (std::int64_t x = 0; x < out[3]; ++x)
        output.push_back(input[static_cast<std::size_t>((plane * in[2] + y / w.upsample_h) * in[3] +
                                                        x / w.upsample_w)]);
  return output;
}

}  // namespace pimhls::ir
