// MaxPool, AveragePool and GlobalAveragePool on NCHW planes, with ONNX's window rules: pads
// never win a max, AveragePool divides by the taps inside the input (count_include_pad = 0) or
// inside the padded input (count_include_pad = 1). Taps of a ceil_mode window that hang past
// the trailing pad count for neither (ONNX reference, PyTorch and onnxruntime agree).
#include <algorithm>
#include <limits>

#include "golden/float_ops.h"
#include "ir/window_taps.h"
#include "util/error.h"

namespace pimhls::golden {
namespace {

using ir::TapRange;
using ir::taps;

struct PoolShape {
  std::int64_t planes = 0;  // N * C
  std::int64_t in_h = 0, in_w = 0, out_h = 0, out_w = 0;
};

PoolShape check_pool(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape) {
  const ir::Window& w = node.window;
  if (input.shape.size() != 4 || output_shape.size() != 4)
    fail("{}: needs a 4-D (NCHW) input and output, got {} -> {}", describe(node),
         ir::format_dims(input.shape), ir::format_dims(output_shape));
  check_window(node);
  PoolShape shape;
  shape.in_h = input.shape[2];
  shape.in_w = input.shape[3];
  shape.out_h = output_shape[2];
  shape.out_w = output_shape[3];
  shape.planes = input.shape[0] * input.shape[1];
  const std::int64_t expected_h = window_output_size(
      shape.in_h, w.pad_top, w.pad_bottom, w.kernel_h, w.stride_h, w.dilation_h, w.ceil_mode);
  const std::int64_t expected_w = window_output_size(
      shape.in_w, w.pad_left, w.pad_right, w.kernel_w, w.stride_w, w.dilation_w, w.ceil_mode);
  if (output_shape[0] != input.shape[0] || output_shape[1] != input.shape[1] ||
      shape.out_h != expected_h || shape.out_w != expected_w)
    fail("{}: output is {}, but input {} with this window gives {}x{}x{}x{}{}", describe(node),
         ir::format_dims(output_shape), ir::format_dims(input.shape), input.shape[0],
         input.shape[1], expected_h, expected_w,
         w.ceil_mode ? " (ceil_mode, where a last window that would start in the trailing pad "
                       "is dropped)"
                     : "");
  return shape;
}

}  // namespace

ir::Tensor max_pool2d(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape) {
  const PoolShape shape = check_pool(node, input, output_shape);
  const ir::Window& w = node.window;
  ir::Tensor output{output_shape,
                    std::vector<float>(static_cast<std::size_t>(ir::element_count(output_shape)))};
  float* target = output.data.data();
  for (std::int64_t plane = 0; plane < shape.planes; ++plane) {
    const float* source = input.data.data() + plane * shape.in_h * shape.in_w;
    for (std::int64_t oy = 0; oy < shape.out_h; ++oy) {
      const std::int64_t y0 = oy * w.stride_h - w.pad_top;
      const TapRange rows = taps(y0, w.dilation_h, w.kernel_h, 0, shape.in_h);
      for (std::int64_t ox = 0; ox < shape.out_w; ++ox) {
        const std::int64_t x0 = ox * w.stride_w - w.pad_left;
        const TapRange cols = taps(x0, w.dilation_w, w.kernel_w, 0, shape.in_w);
        // A window that sees only padding yields the lowest float, as in onnxruntime; pads of
        // zeros (a zero Pad before the pool) are elements like the input's.
        float best = ir::has_zero_taps(w, y0, x0, rows, cols, shape.in_h, shape.in_w)
                         ? 0.0f
                         : std::numeric_limits<float>::lowest();
        for (std::int64_t ky = rows.first; ky < rows.last; ++ky) {
          const float* line = source + (y0 + ky * w.dilation_h) * shape.in_w;
          for (std::int64_t kx = cols.first; kx < cols.last; ++kx)
            best = std::max(best, line[x0 + kx * w.dilation_w]);
        }
        *target++ = best;
      }
    }
  }
  return output;
}

ir::Tensor average_pool2d(const ir::Node& node, const ir::Tensor& input,
                          const ir::Dims& output_shape) {
  const PoolShape shape = check_pool(node, input, output_shape);
  const ir::Window& w = node.window;
  ir::Tensor output{output_shape,
                    std::vector<float>(static_cast<std::size_t>(ir::element_count(output_shape)))};
  float* target = output.data.data();
  for (std::int64_t plane = 0; plane < shape.planes; ++plane) {
    const float* source = input.data.data() + plane * shape.in_h * shape.in_w;
    for (std::int64_t oy = 0; oy < shape.out_h; ++oy) {
      const std::int64_t y0 = oy * w.stride_h - w.pad_top;
      const TapRange rows = taps(y0, w.dilation_h, w.kernel_h, 0, shape.in_h);
      const TapRange padded_rows =
          taps(y0, w.dilation_h, w.kernel_h, -w.pad_top, shape.in_h + w.pad_bottom);
      for (std::int64_t ox = 0; ox < shape.out_w; ++ox) {
        const std::int64_t x0 = ox * w.stride_w - w.pad_left;
        const TapRange cols = taps(x0, w.dilation_w, w.kernel_w, 0, shape.in_w);
        const TapRange padded_cols =
            taps(x0, w.dilation_w, w.kernel_w, -w.pad_left, shape.in_w + w.pad_right);
        float sum = 0.0f;
        for (std::int64_t ky = rows.first; ky < rows.last; ++ky) {
          const float* line = source + (y0 + ky * w.dilation_h) * shape.in_w;
          for (std::int64_t kx = cols.first; kx < cols.last; ++kx)
            sum += line[x0 + kx * w.dilation_w];
        }
        const std::int64_t divisor = w.count_include_pad ? padded_rows.count() * padded_cols.count()
                                                         : rows.count() * cols.count();
        // A window without any counted tap gives NaN (0/0), as ONNX's reference does.
        *target++ = sum / static_cast<float>(divisor);
      }
    }
  }
  return output;
}

ir::Tensor global_average_pool(const ir::Node& node, const ir::Tensor& input,
                               const ir::Dims& output_shape) {
  if (input.shape.size() < 3)
    fail("{}: needs an input of rank >= 3 (N, C, spatial...), got {}", describe(node),
         ir::format_dims(input.shape));
  ir::Dims expected(input.shape.size(), 1);
  expected[0] = input.shape[0];
  expected[1] = input.shape[1];
  if (output_shape != expected)
    fail("{}: output is {}, but input {} gives {}", describe(node), ir::format_dims(output_shape),
         ir::format_dims(input.shape), ir::format_dims(expected));
  const std::int64_t planes = input.shape[0] * input.shape[1];
  const std::int64_t plane_size = planes == 0 ? 0 : input.size() / planes;
  ir::Tensor output{output_shape, std::vector<float>(static_cast<std::size_t>(planes))};
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    const float* source = input.data.data() + plane * plane_size;
    double sum = 0.0;
    for (std::int64_t i = 0; i < plane_size; ++i) sum += source[i];
    output.data[static_cast<std::size_t>(plane)] =
        static_cast<float>(sum / static_cast<double>(plane_size));
  }
  return output;
}

}  // namespace pimhls::golden
