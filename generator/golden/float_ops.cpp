#include "golden/float_ops.h"

#include <fmt/format.h>

#include "ir/border_pad.h"
#include "ir/channel_gather.h"
#include "ir/channel_max.h"
#include "ir/resample.h"
#include "ir/upsample.h"
#include "util/error.h"

namespace pimhls::golden {
namespace {

const ir::Tensor& single_input(const ir::Node& node, std::span<const ir::Tensor* const> inputs) {
  if (inputs.size() != 1)
    fail("{} takes 1 input, the graph gives {}", describe(node), inputs.size());
  return *inputs[0];
}

// Relu and Clip keep the shape; their clamp is applied by the caller.
ir::Tensor same_shape_copy(const ir::Node& node, const ir::Tensor& input,
                           const ir::Dims& output_shape) {
  if (input.shape != output_shape)
    fail("{}: output is {} but the input is {}", describe(node), ir::format_dims(output_shape),
         ir::format_dims(input.shape));
  return input;
}

}  // namespace

std::string describe(const ir::Node& node) {
  return fmt::format("node '{}' ({})", node.name, ir::op_name(node.op));
}

void apply_activation(const ir::Activation& activation, ir::Tensor& tensor) {
  if (activation.kind == ir::Activation::Kind::None) return;
  const float low = activation.min;
  const float high = activation.max;
  // Written with comparisons (not std::clamp) so that NaN passes through unchanged.
  for (float& value : tensor.data) value = value < low ? low : (value > high ? high : value);
}

void check_window(const ir::Node& node) {
  const ir::Window& w = node.window;
  // A pool's pads may be negative: a Slice of rows and columns is a 1x1 MaxPool whose origin
  // starts inside the input, a linear downsampling by 4 a 2-tap AveragePool starting at row 1.
  const bool crops = node.op == ir::Op::MaxPool || node.op == ir::Op::AveragePool;
  if (w.kernel_h < 1 || w.kernel_w < 1 || w.stride_h < 1 || w.stride_w < 1 || w.dilation_h < 1 ||
      w.dilation_w < 1 ||
      (!crops && (w.pad_top < 0 || w.pad_left < 0 || w.pad_bottom < 0 || w.pad_right < 0)))
    fail("{}: kernel {}x{}, stride {}x{}, dilation {}x{} must be >= 1 and pads {},{},{},{} >= 0",
         describe(node), w.kernel_h, w.kernel_w, w.stride_h, w.stride_w, w.dilation_h, w.dilation_w,
         w.pad_top, w.pad_left, w.pad_bottom, w.pad_right);
}

std::int64_t window_output_size(std::int64_t input, std::int64_t pad_begin, std::int64_t pad_end,
                                std::int64_t kernel, std::int64_t stride, std::int64_t dilation,
                                bool ceil_mode) {
  const std::int64_t span = input + pad_begin + pad_end - ((kernel - 1) * dilation + 1);
  if (span < 0 || stride < 1) return -1;
  std::int64_t size = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  // A window that would start in the trailing pad is dropped, as in PyTorch and ONNX's reference
  // implementation (ONNX 1.12's shape inference still counts it).
  if (ceil_mode && (size - 1) * stride >= input + pad_begin) --size;
  return size;
}

ir::Tensor run_node(const ir::Node& node, std::span<const ir::Tensor* const> inputs,
                    const ir::Dims& output_shape) {
  for (const ir::Tensor* input : inputs)
    if (ir::element_count(input->shape) != input->size())
      fail("{}: an input holds {} values for shape {}", describe(node), input->size(),
           ir::format_dims(input->shape));
  ir::Tensor output;
  switch (node.op) {
    case ir::Op::Conv: output = conv2d(node, single_input(node, inputs), output_shape); break;
    case ir::Op::Gemm: output = gemm(node, single_input(node, inputs), output_shape); break;
    case ir::Op::Relu:
      output = same_shape_copy(node, single_input(node, inputs), output_shape);
      apply_activation(ir::Activation{ir::Activation::Kind::Relu, 0.0f}, output);
      break;
    case ir::Op::Clip:  // the bounds are node.activation, applied below
      output = same_shape_copy(node, single_input(node, inputs), output_shape);
      break;
    case ir::Op::MaxPool:
      output = max_pool2d(node, single_input(node, inputs), output_shape);
      break;
    case ir::Op::ChannelGather: {
      const ir::Tensor& input = single_input(node, inputs);
      output = {output_shape, ir::channel_gather(node, input.data, input.shape, output_shape)};
      break;
    }
    case ir::Op::ChannelMax: {
      const ir::Tensor& input = single_input(node, inputs);
      output = {output_shape, ir::channel_max(node, input.data, input.shape, output_shape)};
      break;
    }
    case ir::Op::Upsample:
    case ir::Op::ZeroInsert: {
      const ir::Tensor& input = single_input(node, inputs);
      output = {output_shape, ir::upsample(node, input.data, input.shape, output_shape)};
      break;
    }
    case ir::Op::BorderPad: {
      const ir::Tensor& input = single_input(node, inputs);
      output = {output_shape, ir::border_pad(node, input.data, input.shape, output_shape)};
      break;
    }
    case ir::Op::Resample: {
      const ir::Tensor& input = single_input(node, inputs);
      output = {output_shape,
                ir::resample<float, double>(
                    node, input.data, input.shape, output_shape,
                    [](double weight, bool second) { return second ? weight : 1.0 - weight; },
                    [](double sum) { return static_cast<float>(sum); })};
      break;
    }
    case ir::Op::AveragePool:
      output = average_pool2d(node, single_input(node, inputs), output_shape);
      break;
    case ir::Op::GlobalAveragePool:
      output = global_average_pool(node, single_input(node, inputs), output_shape);
      break;
    case ir::Op::Add:
      if (inputs.size() == 2) {
        output = add(node, *inputs[0], *inputs[1], output_shape);
      } else if (inputs.size() == 1 && !node.weight.data.empty()) {
        output = add(node, *inputs[0], node.weight, output_shape);
      } else {
        fail("{} needs two inputs or one input and a constant, the graph gives {} input(s)",
             describe(node), inputs.size());
      }
      break;
    case ir::Op::Mul:
      if (inputs.size() != 2)
        fail("{} needs two inputs, the graph gives {}", describe(node), inputs.size());
      output = multiply(node, *inputs[0], *inputs[1], output_shape);
      break;
    case ir::Op::Concat: output = concat(node, inputs, output_shape); break;
    case ir::Op::Flatten:
    case ir::Op::Reshape: output = reshape(node, single_input(node, inputs), output_shape); break;
    case ir::Op::ChannelAffine:
      output = channel_affine(node, single_input(node, inputs), output_shape);
      break;
    case ir::Op::Softmax:
    case ir::Op::LogSoftmax:
      output = softmax(node, single_input(node, inputs), output_shape);
      break;
    case ir::Op::ArgMax: output = argmax(node, single_input(node, inputs), output_shape); break;
    case ir::Op::Unary:
      output = same_shape_copy(node, single_input(node, inputs), output_shape);
      for (float& value : output.data) value = ir::apply(node.unary, value);
      break;
  }
  apply_activation(node.activation, output);
  return output;
}

}  // namespace pimhls::golden
