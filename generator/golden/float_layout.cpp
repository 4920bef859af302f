// Concat along one axis; Flatten and Reshape, which keep the data and take the graph's shape.
#include <algorithm>

#include "golden/float_ops.h"
#include "util/error.h"

namespace pimhls::golden {

ir::Tensor concat(const ir::Node& node, std::span<const ir::Tensor* const> inputs,
                  const ir::Dims& output_shape) {
  if (inputs.empty()) fail("{} has no inputs", describe(node));
  const auto rank = static_cast<std::int64_t>(output_shape.size());
  const std::int64_t axis = node.axis < 0 ? node.axis + rank : node.axis;
  if (axis < 0 || axis >= rank)
    fail("{}: axis {} is out of range for the output {}", describe(node), node.axis,
         ir::format_dims(output_shape));
  const auto axis_index = static_cast<std::size_t>(axis);
  std::int64_t axis_total = 0;
  for (const ir::Tensor* input : inputs) {
    bool compatible = input->shape.size() == output_shape.size();
    for (std::size_t d = 0; compatible && d < output_shape.size(); ++d)
      compatible = d == axis_index || input->shape[d] == output_shape[d];
    if (!compatible)
      fail("{}: input {} cannot be concatenated along axis {} into {}", describe(node),
           ir::format_dims(input->shape), axis, ir::format_dims(output_shape));
    axis_total += input->shape[axis_index];
  }
  if (axis_total != output_shape[axis_index])
    fail("{}: the inputs' axis {} sums to {}, the output has {}", describe(node), axis, axis_total,
         output_shape[axis_index]);

  // Each input contributes one contiguous block per outer index.
  const std::int64_t outer =
      ir::element_count(ir::Dims(output_shape.begin(), output_shape.begin() + axis));
  ir::Tensor output{output_shape,
                    std::vector<float>(static_cast<std::size_t>(ir::element_count(output_shape)))};
  float* target = output.data.data();
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const ir::Tensor* input : inputs) {
      const std::int64_t block = outer == 0 ? 0 : input->size() / outer;
      const float* source = input->data.data() + o * block;
      target = std::copy(source, source + block, target);
    }
  }
  return output;
}

ir::Tensor reshape(const ir::Node& node, const ir::Tensor& input, const ir::Dims& output_shape) {
  if (ir::element_count(output_shape) != input.size())
    fail("{}: cannot reshape {} ({} values) into {}", describe(node), ir::format_dims(input.shape),
         input.size(), ir::format_dims(output_shape));
  return ir::Tensor{output_shape, input.data};
}

}  // namespace pimhls::golden
