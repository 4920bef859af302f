// Add with numpy broadcasting, the per-channel affine of an unfolded BatchNormalization, and
// Softmax and LogSoftmax over one axis (ONNX opset >= 13 semantics).
#include <algorithm>
#include <cmath>
#include <limits>

#include "golden/float_ops.h"
#include "ir/argmax.h"
#include "util/error.h"

namespace pimhls::golden {
namespace {

// Sets `result` to numpy's broadcast of two shapes; false when they are incompatible.
bool broadcast_shape(const ir::Dims& a, const ir::Dims& b, ir::Dims& result) {
  const std::size_t rank = std::max(a.size(), b.size());
  result.assign(rank, 1);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) return false;
    result[i] = da == 1 ? db : da;
  }
  return true;
}

// Element strides of `shape` seen through an output of shape `output` (right-aligned):
// 0 along the axes that `shape` broadcasts.
std::vector<std::int64_t> broadcast_strides(const ir::Dims& shape, const ir::Dims& output) {
  std::vector<std::int64_t> strides(output.size(), 0);
  std::int64_t stride = 1;
  const std::size_t offset = output.size() - shape.size();
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i + offset] = shape[i] == 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

}  // namespace

namespace {

// a op b with numpy broadcasting.
template <typename Op>
ir::Tensor broadcast_binary(const ir::Node& node, const ir::Tensor& a, const ir::Tensor& b,
                            const ir::Dims& output_shape, Op op) {
  ir::Dims expected;
  if (!broadcast_shape(a.shape, b.shape, expected) || expected != output_shape)
    fail("{}: operands {} and {} do not broadcast to the output {}", describe(node),
         ir::format_dims(a.shape), ir::format_dims(b.shape), ir::format_dims(output_shape));
  if (a.size() != ir::element_count(a.shape) || b.size() != ir::element_count(b.shape))
    fail("{}: an operand's data does not match its shape", describe(node));
  ir::Tensor output{output_shape,
                    std::vector<float>(static_cast<std::size_t>(ir::element_count(output_shape)))};
  float* y = output.data.data();
  const float* pa = a.data.data();
  const float* pb = b.data.data();
  if (a.shape == b.shape) {  // the residual connections of ResNets: no broadcasting
    for (std::int64_t i = 0; i < output.size(); ++i) y[i] = op(pa[i], pb[i]);
    return output;
  }
  const std::size_t rank = output_shape.size();
  const std::vector<std::int64_t> stride_a = broadcast_strides(a.shape, output_shape);
  const std::vector<std::int64_t> stride_b = broadcast_strides(b.shape, output_shape);
  // Walk the output row by row (last axis innermost), carrying the operand offsets.
  const std::int64_t inner = rank == 0 ? 1 : output_shape[rank - 1];
  const std::int64_t inner_a = rank == 0 ? 0 : stride_a[rank - 1];
  const std::int64_t inner_b = rank == 0 ? 0 : stride_b[rank - 1];
  std::vector<std::int64_t> index(rank, 0);
  std::int64_t offset_a = 0, offset_b = 0;
  for (std::int64_t base = 0; base < output.size(); base += inner) {
    for (std::int64_t i = 0; i < inner; ++i)
      y[base + i] = op(pa[offset_a + i * inner_a], pb[offset_b + i * inner_b]);
    for (std::size_t d = rank > 0 ? rank - 1 : 0; d-- > 0;) {  // axes rank-2 .. 0
      offset_a += stride_a[d];
      offset_b += stride_b[d];
      if (++index[d] < output_shape[d]) break;
      offset_a -= stride_a[d] * output_shape[d];
      offset_b -= stride_b[d] * output_shape[d];
      index[d] = 0;
    }
  }
  return output;
}

}  // namespace

ir::Tensor add(const ir::Node& node, const ir::Tensor& a, const ir::Tensor& b,
               const ir::Dims& output_shape) {
  // `subtract`: a - b for two activations; with one, b is the constant and the result b - a.
  if (!node.subtract)
    return broadcast_binary(node, a, b, output_shape, [](float x, float y) { return x + y; });
  if (node.inputs.size() == 1)
    return broadcast_binary(node, a, b, output_shape, [](float x, float y) { return y - x; });
  return broadcast_binary(node, a, b, output_shape, [](float x, float y) { return x - y; });
}

ir::Tensor multiply(const ir::Node& node, const ir::Tensor& a, const ir::Tensor& b,
                    const ir::Dims& output_shape) {
  return broadcast_binary(node, a, b, output_shape, [](float x, float y) { return x * y; });
}

ir::Tensor channel_affine(const ir::Node& node, const ir::Tensor& input,
                          const ir::Dims& output_shape) {
  if (input.shape.size() < 2 || output_shape != input.shape)
    fail("{}: needs an input of rank >= 2 and an output of the same shape, got {} -> {}",
         describe(node), ir::format_dims(input.shape), ir::format_dims(output_shape));
  const std::int64_t channels = input.shape[1];
  if (node.weight.size() != channels || (!node.bias.data.empty() && node.bias.size() != channels))
    fail("{}: scale has {} and offset {} values for {} channels", describe(node),
         node.weight.size(), node.bias.size(), channels);
  const std::int64_t inner =
      ir::element_count(ir::Dims(input.shape.begin() + 2, input.shape.end()));
  ir::Tensor output = input;
  float* y = output.data.data();
  for (std::int64_t n = 0; n < input.shape[0]; ++n) {
    for (std::int64_t c = 0; c < channels; ++c) {
      const float scale = node.weight.data[static_cast<std::size_t>(c)];
      const float offset =
          node.bias.data.empty() ? 0.0f : node.bias.data[static_cast<std::size_t>(c)];
      float* plane = y + (n * channels + c) * inner;
      for (std::int64_t i = 0; i < inner; ++i) plane[i] = plane[i] * scale + offset;
    }
  }
  return output;
}

ir::Tensor softmax(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape) {
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  const std::int64_t axis = node.axis < 0 ? node.axis + rank : node.axis;
  if (axis < 0 || axis >= rank || output_shape != input.shape)
    fail("{}: axis {} of input {} (output {})", describe(node), node.axis,
         ir::format_dims(input.shape), ir::format_dims(output_shape));
  const auto axis_index = static_cast<std::size_t>(axis);
  const std::int64_t outer =
      ir::element_count(ir::Dims(input.shape.begin(), input.shape.begin() + axis));
  const std::int64_t length = input.shape[axis_index];
  const std::int64_t inner =
      ir::element_count(ir::Dims(input.shape.begin() + axis + 1, input.shape.end()));
  ir::Tensor output = input;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t i = 0; i < inner; ++i) {
      float* first = output.data.data() + o * length * inner + i;
      // Subtracting the maximum keeps exp() finite (ONNX's test_softmax_large_number).
      float maximum = -std::numeric_limits<float>::infinity();
      for (std::int64_t k = 0; k < length; ++k) maximum = std::max(maximum, first[k * inner]);
      double sum = 0.0;
      for (std::int64_t k = 0; k < length; ++k) sum += std::exp(first[k * inner] - maximum);
      if (node.op == ir::Op::LogSoftmax) {
        const double log_sum = std::log(sum);  // x - max - log(sum): finite for any x
        for (std::int64_t k = 0; k < length; ++k)
          first[k * inner] = static_cast<float>(first[k * inner] - maximum - log_sum);
      } else {
        for (std::int64_t k = 0; k < length; ++k)
          first[k * inner] = static_cast<float>(std::exp(first[k * inner] - maximum) / sum);
      }
    }
  }
  return output;
}

ir::Tensor argmax(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape) {
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  if (node.axis < 0 || node.axis >= rank ||
      ir::element_count(output_shape) * input.shape[static_cast<std::size_t>(node.axis)] !=
          input.size())
    fail("{}: axis {} of input {} (output {})", describe(node), node.axis,
         ir::format_dims(input.shape), ir::format_dims(output_shape));
  ir::Tensor output{output_shape, {}};
  for (const std::int64_t index :
       ir::argmax_along(input.data, input.shape, node.axis, node.last_index))
    output.data.push_back(static_cast<float>(index));
  return output;
}

}  // namespace pimhls::golden
