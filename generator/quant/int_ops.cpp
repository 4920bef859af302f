#include "quant/int_ops.h"

#include <algorithm>
#include <limits>

#include "golden/float_ops.h"
#include "ir/resample.h"
#include "ir/window_taps.h"
#include "util/error.h"

namespace pimhls::quant {
namespace {

std::int32_t clamp_to(const QuantNode& quant, std::int64_t value) {
  return static_cast<std::int32_t>(
      std::clamp<std::int64_t>(value, quant.clamp_min, quant.clamp_max));
}

IntTensor zeros(const ir::Dims& shape) {
  return IntTensor{shape,
                   std::vector<std::int32_t>(static_cast<std::size_t>(ir::element_count(shape)))};
}

using ir::TapRange;
using ir::taps;

void check_4d(const ir::Node& node, const IntTensor& input, const ir::Dims& output_shape) {
  if (input.shape.size() != 4 || output_shape.size() != 4 || input.shape[0] != output_shape[0] ||
      input.shape[1] != output_shape[1])
    fail("node '{}' ({}): needs NCHW input and output with the same N and C, got {} -> {}",
         node.name, ir::op_name(node.op), ir::format_dims(input.shape),
         ir::format_dims(output_shape));
}

// For each element of `shape` broadcast to `output` (numpy rules), its flat index in `shape`.
std::vector<std::int64_t> broadcast_indices(const ir::Dims& shape, const ir::Dims& output,
                                            const std::string& where) {
  const std::size_t rank = output.size();
  if (shape.size() > rank)
    fail("{}: operand {} does not broadcast to {}", where, ir::format_dims(shape),
         ir::format_dims(output));
  std::vector<std::int64_t> strides(rank, 0);
  std::int64_t stride = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::size_t axis = rank - 1 - i;
    const std::int64_t dim = shape[shape.size() - 1 - i];
    if (dim != 1 && dim != output[axis])
      fail("{}: operand {} does not broadcast to {}", where, ir::format_dims(shape),
           ir::format_dims(output));
    strides[axis] = dim == 1 ? 0 : stride;
    stride *= dim;
  }
  std::vector<std::int64_t> indices(static_cast<std::size_t>(ir::element_count(output)));
  std::vector<std::int64_t> position(rank, 0);
  for (std::int64_t& index : indices) {
    std::int64_t flat = 0;
    for (std::size_t axis = 0; axis < rank; ++axis) flat += position[axis] * strides[axis];
    index = flat;
    for (std::size_t axis = rank; axis-- > 0;) {
      if (++position[axis] < output[axis]) break;
      position[axis] = 0;
    }
  }
  return indices;
}

}  // namespace

IntTensor quantize_tensor(const ir::Tensor& tensor, const QuantParams& params) {
  IntTensor result{tensor.shape, std::vector<std::int32_t>(tensor.data.size())};
  for (std::size_t i = 0; i < tensor.data.size(); ++i)
    result.data[i] = static_cast<std::int32_t>(
        round_saturate(tensor.data[i] / params.scale, params.min_code(), params.max_code()));
  return result;
}

ir::Tensor dequantize_tensor(const IntTensor& tensor, const QuantParams& params) {
  ir::Tensor result{tensor.shape, std::vector<float>(tensor.data.size())};
  for (std::size_t i = 0; i < tensor.data.size(); ++i)
    result.data[i] = static_cast<float>(tensor.data[i] * params.scale);
  return result;
}

void im2col(const std::int32_t* image, std::int64_t channels, std::int64_t in_h, std::int64_t in_w,
            const ir::Window& window, std::int64_t out_h, std::int64_t out_w,
            std::int32_t* patches) {
  const std::int64_t out_size = out_h * out_w;
  for (std::int64_t c = 0; c < channels; ++c) {
    const std::int32_t* plane = image + c * in_h * in_w;
    for (std::int64_t ky = 0; ky < window.kernel_h; ++ky) {
      for (std::int64_t kx = 0; kx < window.kernel_w; ++kx) {
        std::int32_t* row =
            patches + ((c * window.kernel_h + ky) * window.kernel_w + kx) * out_size;
        for (std::int64_t oy = 0; oy < out_h; ++oy) {
          const std::int64_t y = oy * window.stride_h + ky * window.dilation_h - window.pad_top;
          std::int32_t* target = row + oy * out_w;
          if (y < 0 || y >= in_h) {
            std::fill(target, target + out_w, 0);
            continue;
          }
          const std::int32_t* line = plane + y * in_w;
          for (std::int64_t ox = 0; ox < out_w; ++ox) {
            const std::int64_t x = ox * window.stride_w + kx * window.dilation_w - window.pad_left;
            target[ox] = x >= 0 && x < in_w ? line[x] : 0;
          }
        }
      }
    }
  }
}

IntTensor clamp_codes(const QuantNode& quant, const IntTensor& input) {
  IntTensor result = input;
  for (std::int32_t& code : result.data) code = clamp_to(quant, code);
  return result;
}

IntTensor lookup_codes(const QuantNode& quant, const QuantParams& in, const IntTensor& input) {
  IntTensor result = input;
  for (std::int32_t& code : result.data) {
    const std::int64_t index = std::int64_t{code} - in.min_code();
    if (index < 0 || index >= static_cast<std::int64_t>(quant.table.size()))
      fail("code {} is outside the table of {} codes from {}", code, quant.table.size(),
           in.min_code());
    code = quant.table[static_cast<std::size_t>(index)];
  }
  return result;
}

IntTensor max_pool(const ir::Node& node, const QuantNode& quant, const IntTensor& input,
                   const ir::Dims& output_shape) {
  check_4d(node, input, output_shape);
  const ir::Window& w = node.window;
  const std::int64_t in_h = input.shape[2], in_w = input.shape[3];
  const std::int64_t out_h = output_shape[2], out_w = output_shape[3];
  const std::int64_t planes = input.shape[0] * input.shape[1];
  IntTensor output = zeros(output_shape);
  std::int32_t* target = output.data.data();
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    const std::int32_t* source = input.data.data() + plane * in_h * in_w;
    for (std::int64_t oy = 0; oy < out_h; ++oy) {
      const std::int64_t y0 = oy * w.stride_h - w.pad_top;
      const TapRange rows = taps(y0, w.dilation_h, w.kernel_h, 0, in_h);
      for (std::int64_t ox = 0; ox < out_w; ++ox) {
        const std::int64_t x0 = ox * w.stride_w - w.pad_left;
        const TapRange cols = taps(x0, w.dilation_w, w.kernel_w, 0, in_w);
        // pads never win, unless they are zeros (a zero Pad before the pool: code 0 is 0.0)
        std::int64_t best = ir::has_zero_taps(w, y0, x0, rows, cols, in_h, in_w)
                                ? 0
                                : std::numeric_limits<std::int32_t>::min();
        for (std::int64_t ky = rows.first; ky < rows.last; ++ky)
          for (std::int64_t kx = cols.first; kx < cols.last; ++kx)
            best = std::max<std::int64_t>(
                best, source[(y0 + ky * w.dilation_h) * in_w + x0 + kx * w.dilation_w]);
        *target++ = clamp_to(quant, best);
      }
    }
  }
  return output;
}

IntTensor resample(const ir::Node& node, const QuantNode& quant, const IntTensor& input,
                   const ir::Dims& output_shape) {
  return IntTensor{output_shape, ir::resample<std::int32_t, std::int64_t>(
                                     node, input.data, input.shape, output_shape,
                                     [](double weight, bool second) {
                                       const std::int64_t fixed = ir::resample_fixed_weight(weight);
                                       return second ? fixed : ir::kResampleOne - fixed;
                                     },
                                     [&quant](std::int64_t sum) {
                                       return clamp_to(
                                           quant, shift_round(sum, 2 * ir::kResampleWeightBits));
                                     })};
}

IntTensor average_pool(const ir::Node& node, const QuantNode& quant, const IntTensor& input,
                       const ir::Dims& output_shape) {
  check_4d(node, input, output_shape);
  const ir::Window& w = node.window;
  const std::int64_t in_h = input.shape[2], in_w = input.shape[3];
  const std::int64_t out_h = output_shape[2], out_w = output_shape[3];
  const std::int64_t planes = input.shape[0] * input.shape[1];
  IntTensor output = zeros(output_shape);
  std::int32_t* target = output.data.data();
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    const std::int32_t* source = input.data.data() + plane * in_h * in_w;
    for (std::int64_t oy = 0; oy < out_h; ++oy) {
      const std::int64_t y0 = oy * w.stride_h - w.pad_top;
      const TapRange rows = taps(y0, w.dilation_h, w.kernel_h, 0, in_h);
      const TapRange padded_rows =
          taps(y0, w.dilation_h, w.kernel_h, -w.pad_top, in_h + w.pad_bottom);
      for (std::int64_t ox = 0; ox < out_w; ++ox) {
        const std::int64_t x0 = ox * w.stride_w - w.pad_left;
        const TapRange cols = taps(x0, w.dilation_w, w.kernel_w, 0, in_w);
        const TapRange padded_cols =
            taps(x0, w.dilation_w, w.kernel_w, -w.pad_left, in_w + w.pad_right);
        std::int64_t sum = 0;
        for (std::int64_t ky = rows.first; ky < rows.last; ++ky)
          for (std::int64_t kx = cols.first; kx < cols.last; ++kx)
            sum += source[(y0 + ky * w.dilation_h) * in_w + x0 + kx * w.dilation_w];
        const std::int64_t count = w.count_include_pad ? padded_rows.count() * padded_cols.count()
                                                       : rows.count() * cols.count();
        const std::size_t index = static_cast<std::size_t>(count);
        *target++ =
            clamp_to(quant, index < quant.divide.size() ? quant.divide[index].apply(sum) : 0);
      }
    }
  }
  return output;
}

IntTensor global_average_pool(const QuantNode& quant, const IntTensor& input,
                              const ir::Dims& output_shape) {
  IntTensor output = zeros(output_shape);
  const std::int64_t planes = output.size();
  const std::int64_t plane_size = planes == 0 ? 0 : input.size() / planes;
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    std::int64_t sum = 0;
    for (std::int64_t i = 0; i < plane_size; ++i)
      sum += input.data[static_cast<std::size_t>(plane * plane_size + i)];
    output.data[static_cast<std::size_t>(plane)] = clamp_to(quant, quant.divide.at(0).apply(sum));
  }
  return output;
}

IntTensor add(const ir::Node& node, const QuantNode& quant, const IntTensor& a, const IntTensor* b,
              const ir::Dims& output_shape) {
  const std::string where = fmt::format("node '{}' (Add)", node.name);
  IntTensor output = zeros(output_shape);
  const std::vector<std::int64_t> a_index = broadcast_indices(a.shape, output_shape, where);
  const std::vector<std::int64_t> b_index =
      broadcast_indices(b ? b->shape : node.weight.shape, output_shape, where);
  const std::int64_t ma = quant.add.multipliers.at(0);
  const std::int64_t mb = b ? quant.add.multipliers.at(1) : 0;
  for (std::size_t i = 0; i < output.data.size(); ++i) {
    std::int64_t sum = a.data[static_cast<std::size_t>(a_index[i])] * ma;
    sum += b ? b->data[static_cast<std::size_t>(b_index[i])] * mb
             : quant.add_constant.at(static_cast<std::size_t>(b_index[i]));
    output.data[i] = clamp_to(quant, shift_round(sum, quant.add.shift));
  }
  return output;
}

IntTensor multiply(const ir::Node& node, const QuantNode& quant, const IntTensor& a,
                   const IntTensor& b, const ir::Dims& output_shape) {
  const std::string where = fmt::format("node '{}' (Mul)", node.name);
  IntTensor output = zeros(output_shape);
  const std::vector<std::int64_t> a_index = broadcast_indices(a.shape, output_shape, where);
  const std::vector<std::int64_t> b_index = broadcast_indices(b.shape, output_shape, where);
  const Requantizer& r = quant.requant.at(0);
  for (std::size_t i = 0; i < output.data.size(); ++i) {
    const std::int64_t product = std::int64_t{a.data[static_cast<std::size_t>(a_index[i])]} *
                                 b.data[static_cast<std::size_t>(b_index[i])];
    output.data[i] = clamp_to(quant, r.apply(product));
  }
  return output;
}

IntTensor concat(const ir::Node& node, const QuantNode& quant,
                 std::span<const IntTensor* const> inputs, const ir::Dims& output_shape) {
  const std::int64_t rank = static_cast<std::int64_t>(output_shape.size());
  const std::int64_t axis = node.axis < 0 ? node.axis + rank : node.axis;
  if (axis < 0 || axis >= rank)
    fail("node '{}' (Concat): axis {} out of range", node.name, node.axis);
  const std::int64_t outer =
      ir::element_count(ir::Dims(output_shape.begin(), output_shape.begin() + axis));
  IntTensor output = zeros(output_shape);
  std::int32_t* target = output.data.data();
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::int64_t block = outer == 0 ? 0 : inputs[i]->size() / outer;
      const std::int32_t* source = inputs[i]->data.data() + o * block;
      for (std::int64_t k = 0; k < block; ++k)
        *target++ = clamp_to(quant, quant.input_requant.at(i).apply(source[k]));
    }
  }
  return output;
}

IntTensor channel_affine(const QuantNode& quant, const IntTensor& input,
                         const ir::Dims& output_shape) {
  IntTensor output = zeros(output_shape);
  const std::int64_t channels = static_cast<std::int64_t>(quant.requant.size());
  const std::int64_t batch = input.shape.empty() ? 1 : input.shape[0];
  const std::int64_t inner = channels == 0 || batch == 0 ? 0 : input.size() / (batch * channels);
  std::size_t i = 0;
  for (std::int64_t n = 0; n < batch; ++n)
    for (std::int64_t c = 0; c < channels; ++c) {
      const Requantizer& r = quant.requant[static_cast<std::size_t>(c)];
      const std::int64_t offset = quant.channel_offset[static_cast<std::size_t>(c)];
      for (std::int64_t k = 0; k < inner; ++k, ++i)
        output.data[i] =
            clamp_to(quant, shift_round(input.data[i] * r.multiplier + offset, r.shift));
    }
  return output;
}

IntTensor host_op(const ir::Node& node, const QuantParams& in, const QuantParams& out,
                  const IntTensor& input, const ir::Dims& output_shape) {
  const ir::Tensor x = dequantize_tensor(input, in);
  return quantize_tensor(node.op == ir::Op::ArgMax ? golden::argmax(node, x, output_shape)
                                                   : golden::softmax(node, x, output_shape),
                         out);
}

}  // namespace pimhls::quant
