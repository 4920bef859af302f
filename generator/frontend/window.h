#pragma once
// ONNX's 2-D window arithmetic for Conv and pooling: auto_pad resolved into explicit pads, and
// the output size (the formulas of the ONNX operator documentation, as ONNX 1.12 infers them).
#include <cstdint>
#include <string_view>

#include "ir/graph.h"

namespace pimhls::frontend {

enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

// Throws Error for a value other than NOTSET, SAME_UPPER, SAME_LOWER, VALID.
AutoPad parse_auto_pad(std::string_view text);

// One spatial axis of a window; pads are explicit (NOTSET) or resolved by resolve_axis().
struct WindowAxis {
  std::int64_t input = 1;
  std::int64_t kernel = 1, stride = 1, dilation = 1;
  std::int64_t pad_begin = 0, pad_end = 0;
};

// Replaces the pads of `axis` as `auto_pad` asks (NOTSET keeps them) and returns the output
// size. SAME_*: output = ceil(input / stride), the odd pad at the end (UPPER) or begin (LOWER);
// VALID: no padding; NOTSET: floor (or ceil with ceil_mode) of (in + pads - dilated kernel) /
// stride + 1, less a last ceil_mode window that would start in the trailing pad (then *dropped
// is set: ONNX's shape inference counts that window). Throws Error when the window does not fit
// (output size below 1).
std::int64_t resolve_axis(WindowAxis& axis, AutoPad auto_pad, bool ceil_mode,
                          bool* dropped = nullptr);

}  // namespace pimhls::frontend
