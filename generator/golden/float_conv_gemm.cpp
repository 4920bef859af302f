// Conv as im2col + one GEMM per image and group; Gemm as one GEMM. Eigen does the products
// (row-major maps over our buffers, no copies of weights or outputs).
#include <Eigen/Core>
#include <algorithm>
#include <cstring>

#include "golden/float_ops.h"
#include "util/error.h"

namespace pimhls::golden {
namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMajorMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMajorMatrix>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXf>;

// The output positions o in [first, last) whose tap o*stride + offset lies in [0, size).
struct ValidRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

ValidRange valid_outputs(std::int64_t offset, std::int64_t stride, std::int64_t size,
                         std::int64_t outputs) {
  ValidRange range;
  range.first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  range.last = size - 1 - offset < 0 ? 0 : (size - 1 - offset) / stride + 1;
  range.first = std::min(range.first, outputs);
  range.last = std::clamp(range.last, range.first, outputs);
  return range;
}

// Writes the receptive fields of `channels` planes of one image as the columns of a
// [channels * kh * kw, out_h * out_w] row-major matrix, with zeros where a tap reads padding.
void im2col(const float* image, std::int64_t channels, std::int64_t in_h, std::int64_t in_w,
            const ir::Window& window, std::int64_t out_h, std::int64_t out_w, float* columns) {
  const std::int64_t out_size = out_h * out_w;
  for (std::int64_t c = 0; c < channels; ++c) {
    const float* plane = image + c * in_h * in_w;
    for (std::int64_t ky = 0; ky < window.kernel_h; ++ky) {
      const std::int64_t y_offset = ky * window.dilation_h - window.pad_top;
      const ValidRange rows = valid_outputs(y_offset, window.stride_h, in_h, out_h);
      for (std::int64_t kx = 0; kx < window.kernel_w; ++kx) {
        const std::int64_t x_offset = kx * window.dilation_w - window.pad_left;
        const ValidRange cols = valid_outputs(x_offset, window.stride_w, in_w, out_w);
        float* row = columns + ((c * window.kernel_h + ky) * window.kernel_w + kx) * out_size;
        std::fill(row, row + rows.first * out_w, 0.0f);
        for (std::int64_t oy = rows.first; oy < rows.last; ++oy) {
          const float* line = plane + (oy * window.stride_h + y_offset) * in_w;
          float* target = row + oy * out_w;
          std::fill(target, target + cols.first, 0.0f);
          if (window.stride_w == 1) {
            std::memcpy(target + cols.first, line + cols.first + x_offset,
                        static_cast<std::size_t>(cols.last - cols.first) * sizeof(float));
          } else {
            for (std::int64_t ox = cols.first; ox < cols.last; ++ox)
              target[ox] = line[ox * window.stride_w + x_offset];
          }
          std::fill(target + cols.last, target + out_w, 0.0f);
        }
        std::fill(row + rows.last * out_w, row + out_size, 0.0f);
      }
    }
  }
}

void check_bias(const ir::Node& node, std::int64_t outputs) {
  if (!node.bias.data.empty() && node.bias.size() != outputs)
    fail("{}: bias has {} values for {} outputs", describe(node), node.bias.size(), outputs);
}

}  // namespace

ir::Tensor conv2d(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape) {
  const ir::Window& window = node.window;
  if (input.shape.size() != 4 || output_shape.size() != 4)
    fail("{}: needs a 4-D (NCHW) input and output, got {} -> {}", describe(node),
         ir::format_dims(input.shape), ir::format_dims(output_shape));
  const std::int64_t batch = input.shape[0], in_channels = input.shape[1];
  const std::int64_t in_h = input.shape[2], in_w = input.shape[3];
  const std::int64_t out_channels = output_shape[1];
  const std::int64_t out_h = output_shape[2], out_w = output_shape[3];
  check_window(node);
  const std::int64_t group = window.group;
  if (group < 1 || in_channels % group != 0 || out_channels % group != 0)
    fail("{}: group {} does not divide {} input and {} output channels", describe(node), group,
         in_channels, out_channels);
  const std::int64_t group_in = in_channels / group, group_out = out_channels / group;
  const ir::Dims weight_shape{out_channels, group_in, window.kernel_h, window.kernel_w};
  if (node.weight.shape != weight_shape || node.weight.size() != ir::element_count(weight_shape))
    fail("{}: weight is {}, expected {} for input {} and group {}", describe(node),
         ir::format_dims(node.weight.shape), ir::format_dims(weight_shape),
         ir::format_dims(input.shape), group);
  check_bias(node, out_channels);
  const std::int64_t expected_h =
      window_output_size(in_h, window.pad_top, window.pad_bottom, window.kernel_h, window.stride_h,
                         window.dilation_h, false);
  const std::int64_t expected_w =
      window_output_size(in_w, window.pad_left, window.pad_right, window.kernel_w, window.stride_w,
                         window.dilation_w, false);
  if (output_shape[0] != batch || out_h != expected_h || out_w != expected_w)
    fail(
        "{}: output is {}, but input {} with this kernel, stride, dilation and padding gives "
        "{}x{}x{}x{}",
        describe(node), ir::format_dims(output_shape), ir::format_dims(input.shape), batch,
        out_channels, expected_h, expected_w);

  ir::Tensor output{output_shape,
                    std::vector<float>(static_cast<std::size_t>(ir::element_count(output_shape)))};
  const std::int64_t out_size = out_h * out_w;
  const std::int64_t patch = group_in * window.kernel_h * window.kernel_w;
  // A 1x1 kernel with stride 1 and no padding reads the input planes as they are.
  const bool pointwise = window.kernel_h == 1 && window.kernel_w == 1 && window.stride_h == 1 &&
                         window.stride_w == 1 && window.pad_top == 0 && window.pad_left == 0 &&
                         window.pad_bottom == 0 && window.pad_right == 0;
  std::vector<float> columns(pointwise ? 0 : static_cast<std::size_t>(patch * out_size));
  for (std::int64_t n = 0; n < batch; ++n) {
    for (std::int64_t g = 0; g < group; ++g) {
      const float* image = input.data.data() + (n * in_channels + g * group_in) * in_h * in_w;
      if (!pointwise) im2col(image, group_in, in_h, in_w, window, out_h, out_w, columns.data());
      ConstMatrixMap patches(pointwise ? image : columns.data(), patch, out_size);
      ConstMatrixMap weights(node.weight.data.data() + g * group_out * patch, group_out, patch);
      MatrixMap result(output.data.data() + (n * out_channels + g * group_out) * out_size,
                       group_out, out_size);
      result.noalias() = weights * patches;
      if (!node.bias.data.empty())
        result.colwise() += ConstVectorMap(node.bias.data.data() + g * group_out, group_out);
    }
  }
  return output;
}

ir::Tensor gemm(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape) {
  if (input.shape.empty() || node.weight.shape.size() != 2)
    fail("{}: needs an input of rank >= 1 and a 2-D weight, got {} and weight {}", describe(node),
         ir::format_dims(input.shape), ir::format_dims(node.weight.shape));
  const std::int64_t depth = input.shape.back();      // K
  const std::int64_t outputs = node.weight.shape[0];  // N
  if (node.weight.shape[1] != depth || node.weight.size() != outputs * depth)
    fail("{}: weight is {} but the input's last axis has {} values (expected [N, {}])",
         describe(node), ir::format_dims(node.weight.shape), depth, depth);
  ir::Dims expected = input.shape;
  expected.back() = outputs;
  if (output_shape != expected)
    fail("{}: output is {}, but input {} times weight {}^T gives {}", describe(node),
         ir::format_dims(output_shape), ir::format_dims(input.shape),
         ir::format_dims(node.weight.shape), ir::format_dims(expected));
  check_bias(node, outputs);

  const std::int64_t rows = ir::element_count(ir::Dims(input.shape.begin(), input.shape.end() - 1));
  ir::Tensor output{output_shape, std::vector<float>(static_cast<std::size_t>(rows * outputs))};
  ConstMatrixMap x(input.data.data(), rows, depth);
  ConstMatrixMap w(node.weight.data.data(), outputs, depth);
  MatrixMap y(output.data.data(), rows, outputs);
  y.noalias() = x * w.transpose();
  if (!node.bias.data.empty())
    y.rowwise() += ConstVectorMap(node.bias.data.data(), outputs).transpose();
  return output;
}

}  // namespace pimhls::golden
