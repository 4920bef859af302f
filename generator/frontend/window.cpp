#include "frontend/window.h"

#include <algorithm>

#include "util/error.h"

namespace pimhls::frontend {

AutoPad parse_auto_pad(std::string_view text) {
  if (text == "NOTSET" || text.empty()) return AutoPad::NotSet;
  if (text == "SAME_UPPER") return AutoPad::SameUpper;
  if (text == "SAME_LOWER") return AutoPad::SameLower;
  if (text == "VALID") return AutoPad::Valid;
  fail("attribute 'auto_pad' = '{}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID", text);
}

std::int64_t resolve_axis(WindowAxis& axis, AutoPad auto_pad, bool ceil_mode, bool* dropped) {
  const std::int64_t dilated_kernel = (axis.kernel - 1) * axis.dilation + 1;
  if (auto_pad == AutoPad::SameUpper || auto_pad == AutoPad::SameLower) {
    const std::int64_t output = (axis.input + axis.stride - 1) / axis.stride;
    const std::int64_t total =
        std::max<std::int64_t>(0, (output - 1) * axis.stride + dilated_kernel - axis.input);
    const std::int64_t small = total / 2, big = total - small;
    axis.pad_begin = auto_pad == AutoPad::SameUpper ? small : big;
    axis.pad_end = auto_pad == AutoPad::SameUpper ? big : small;
    return output;
  }
  if (auto_pad == AutoPad::Valid) {
    axis.pad_begin = axis.pad_end = 0;
    ceil_mode = false;  // ceil((in - k + 1) / s) == floor((in - k) / s) + 1
  }
  const std::int64_t span = axis.input + axis.pad_begin + axis.pad_end - dilated_kernel;
  if (span < 0)
    fail("the window ({} with dilation {}) is larger than the padded input ({} + {} + {})",
         axis.kernel, axis.dilation, axis.input, axis.pad_begin, axis.pad_end);
  const std::int64_t steps =
      ceil_mode ? (span + axis.stride - 1) / axis.stride : span / axis.stride;
  // A last ceil_mode window that would start in the trailing pad is dropped, as PyTorch,
  // onnxruntime and ONNX's reference implementation do (ONNX's shape inference counts it).
  if (ceil_mode && steps * axis.stride >= axis.input + axis.pad_begin) {
    if (dropped) *dropped = true;
    return steps;
  }
  return steps + 1;
}

}  // namespace pimhls::frontend
