#pragma once
// The integer kernels of the quantized executor, one per ir::Op (Conv and Gemm, whose products
// run on a MatrixEngine, are in int_reference.cpp). Each takes the node, its QuantNode
// constants, integer inputs and the output shape; all arithmetic is integer and exact, and
// every output code is clamped to [quant.clamp_min, quant.clamp_max].
#include <span>

#include "ir/graph.h"
#include "quant/quantized_graph.h"

namespace pimhls::quant {

// Host boundary: real -> code (round half away from zero, saturate) and code -> real.
IntTensor quantize_tensor(const ir::Tensor& tensor, const QuantParams& params);
ir::Tensor dequantize_tensor(const IntTensor& tensor, const QuantParams& params);

// The receptive fields of `channels` planes of one image as the columns of a row-major
// [channels * kh * kw, out_h * out_w] matrix (row k = (c, ky, kx), the order of the weight's
// inner axes); taps in the padding read code 0 (real 0, since zero points are 0).
void im2col(const std::int32_t* image, std::int64_t channels, std::int64_t in_h, std::int64_t in_w,
            const ir::Window& window, std::int64_t out_h, std::int64_t out_w,
            std::int32_t* patches);

// Relu and Clip: the clamp alone (codes keep their scale).
IntTensor clamp_codes(const QuantNode& quant, const IntTensor& input);
// Unary: each code through quant.table (input codes from `in`'s min_code).
IntTensor lookup_codes(const QuantNode& quant, const QuantParams& in, const IntTensor& input);
IntTensor max_pool(const ir::Node& node, const QuantNode& quant, const IntTensor& input,
                   const ir::Dims& output_shape);
// Sum of the taps, then divide[count] (count as ONNX counts it, with or without the pads).
// Resample (ir/resample.h) with fixed-point weights: the output takes the input's scale.
IntTensor resample(const ir::Node& node, const QuantNode& quant, const IntTensor& input,
                   const ir::Dims& output_shape);
IntTensor average_pool(const ir::Node& node, const QuantNode& quant, const IntTensor& input,
                       const ir::Dims& output_shape);
IntTensor global_average_pool(const QuantNode& quant, const IntTensor& input,
                              const ir::Dims& output_shape);
// Two inputs (numpy broadcasting to output_shape), or one and quant.add_constant.
IntTensor add(const ir::Node& node, const QuantNode& quant, const IntTensor& a, const IntTensor* b,
              const ir::Dims& output_shape);
// Mul: (a * b) requantized by quant.requant[0] (s_a * s_b / s_y), b broadcast.
IntTensor multiply(const ir::Node& node, const QuantNode& quant, const IntTensor& a,
                   const IntTensor& b, const ir::Dims& output_shape);
IntTensor concat(const ir::Node& node, const QuantNode& quant,
                 std::span<const IntTensor* const> inputs, const ir::Dims& output_shape);
IntTensor channel_affine(const QuantNode& quant, const IntTensor& input,
                         const ir::Dims& output_shape);
// The host's last step (ir::runs_on_host: Softmax, LogSoftmax, ArgMax): dequantize, the float
// operator, quantize to `out` (ArgMax's indices: scale 1, exact).
IntTensor host_op(const ir::Node& node, const QuantParams& in, const QuantParams& out,
                  const IntTensor& input, const ir::Dims& output_shape);

}  // namespace pimhls::quant
