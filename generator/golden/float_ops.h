#pragma once
// The float kernels of the reference executor, one per ir::Op, with ONNX semantics.
// Each takes the node (attributes, constants), its input tensors and the output shape that the
// graph declares; it checks that shape against the op's own shape rule and throws Error naming
// the node when they disagree, so a wrong import cannot silently produce wrong numbers.
#include <span>
#include <string>

#include "ir/graph.h"

namespace pimhls::golden {

// Runs one node: the op, then node.activation (a no-op when Kind::None).
ir::Tensor run_node(const ir::Node& node, std::span<const ir::Tensor* const> inputs,
                    const ir::Dims& output_shape);

// "node 'conv1' (Conv)" for messages.
std::string describe(const ir::Node& node);

// Clamps in place to [activation.min, activation.max]; NaN stays NaN (as in ONNX Relu/Clip).
void apply_activation(const ir::Activation& activation, ir::Tensor& tensor);

// Throws unless kernel, stride and dilation are >= 1 and pads >= 0 (Conv, pooling).
void check_window(const ir::Node& node);

// Output size of a sliding window along one axis (Conv, pooling), or -1 when the kernel does
// not fit. With ceil_mode the last window must start inside the input or the leading pad.
std::int64_t window_output_size(std::int64_t input, std::int64_t pad_begin, std::int64_t pad_end,
                                std::int64_t kernel, std::int64_t stride, std::int64_t dilation,
                                bool ceil_mode);

// Conv and Gemm (float_conv_gemm.cpp).
ir::Tensor conv2d(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape);
ir::Tensor gemm(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape);

// Pooling (float_pool.cpp).
ir::Tensor max_pool2d(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape);
ir::Tensor average_pool2d(const ir::Node& node, const ir::Tensor& input,
                          const ir::Dims& output_shape);
ir::Tensor global_average_pool(const ir::Node& node, const ir::Tensor& input,
                               const ir::Dims& output_shape);

// Element-wise (float_elementwise.cpp). `add` broadcasts both operands to output_shape.
ir::Tensor add(const ir::Node& node, const ir::Tensor& a, const ir::Tensor& b,
               const ir::Dims& output_shape);
ir::Tensor multiply(const ir::Node& node, const ir::Tensor& a, const ir::Tensor& b,
                    const ir::Dims& output_shape);
ir::Tensor channel_affine(const ir::Node& node, const ir::Tensor& input,
                          const ir::Dims& output_shape);
ir::Tensor softmax(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape);
// The indices as floats (ONNX's int64 values, exact below 2^24).
ir::Tensor argmax(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape);

// Layout (float_layout.cpp): Concat, and Flatten/Reshape (same data, the new shape).
ir::Tensor concat(const ir::Node& node, std::span<const ir::Tensor* const> inputs,
                  const ir::Dims& output_shape);
ir::Tensor reshape(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape);

}  // namespace pimhls::golden
