#pragma once
// BorderPad (ir::Op): an NCHW plane grown by window.pad_top/left/bottom/right whose new pixels
// read the input as window.border says (ONNX Pad's reflect and edge modes, zeros). One
// definition of the index fold for the float reference, the integer executor and the emulator
// (the RTL's engine_vector folds its window taps the same way).
#include <algorithm>
#include <vector>

#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::ir {

// Whether a BorderPad of `pad` pixels on an axis of `size` reads inside the input with at most
// one reflection (ONNX and PyTorch require a reflect pad below the size).
inline bool border_pad_fits(std::int64_t pad, std::int64_t size, Border border) {
  switch (border) {
    case Border::Skip: return false;
    case Border::Reflect: return pad < size;
    case Border::Edge: return size >= 1;
    case Border::Zero: return true;
  }
  return false;
}

// The input index that padded position `i` (-pad <= i < size + pad) reads; -1: none (a zero).
inline std::int64_t border_index(std::int64_t i, std::int64_t size, Border border) {
  if (i >= 0 && i < size) return i;
  switch (border) {
    case Border::Reflect: return i < 0 ? -i : 2 * (size - 1) - i;
    case Border::Edge: return i < 0 ? 0 : size - 1;
    case Border::Skip:
    case Border::Zero: return -1;
  }
  return -1;
}

inline const char* border_name(Border border) {
  switch (border) {
    case Border::Skip: return "skip";
    case Border::Reflect: return "reflect";
    case Border::Edge: return "edge";
    case Border::Zero: return "zero";
  }
  return "?";
}

inline Dims border_padded_dims(const Window& w, const Dims& in) {
  return {in[0], in[1], in[2] + w.pad_top + w.pad_bottom, in[3] + w.pad_left + w.pad_right};
}

template <class T>
std::vector<T> border_pad(const Node& node, const std::vector<T>& input, const Dims& in,
                          const Dims& out) {
  const Window& w = node.window;
  const bool fits = in.size() == 4 &&
                    border_pad_fits(std::max(w.pad_top, w.pad_bottom), in[2], w.border) &&
                    border_pad_fits(std::max(w.pad_left, w.pad_right), in[3], w.border);
  if (!fits || out != border_padded_dims(w, in) ||
      static_cast<std::int64_t>(input.size()) != element_count(in))
    fail("node '{}' (BorderPad): {} padded {},{},{},{} ({}) is not {}", node.name, format_dims(in),
         w.pad_top, w.pad_left, w.pad_bottom, w.pad_right, border_name(w.border), format_dims(out));
  std::vector<T> output;
  output.reserve(static_cast<std::size_t>(element_count(out)));
  for (std::int64_t plane = 0; plane < in[0] * in[1]; ++plane)
    for (std::int64_t y = 0; y < out[2]; ++y) {
      const std::int64_t row = border_index(y - w.pad_top, in[2], w.border);
      for (std::int64_t x = 0; x < out[3]; ++x) {
        const std::int64_t col = border_index(x - w.pad_left, in[3], w.border);
        output.push_back(
            row < 0 || col < 0
                ? T{0}
                : input[static_cast<std::size_t>((plane * in[2] + row) * in[3] + col)]);
      }
    }
  return output;
}

}  // namespace pimhls::ir
