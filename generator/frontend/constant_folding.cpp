#include "frontend/constant_folding.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "frontend/onnx_tensor.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

// Row-major strides of `shape` right-aligned into `rank` dimensions; broadcast (size-1 or
// missing) dimensions get stride 0 so that one index walks both operands.
std::vector<std::int64_t> broadcast_strides(const ir::Dims& shape, std::size_t rank) {
  std::vector<std::int64_t> strides(rank, 0);
  std::int64_t stride = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::size_t dim = shape.size() - 1 - i;
    const std::size_t out = rank - 1 - i;
    strides[out] = shape[dim] == 1 ? 0 : stride;
    stride *= shape[dim];
  }
  return strides;
}

// Calls visit(offset_a, offset_b) for every element of `out` in row-major order.
template <typename Visit>
void for_each_broadcast(const ir::Dims& out, const std::vector<std::int64_t>& strides_a,
                        const std::vector<std::int64_t>& strides_b, Visit visit) {
  const std::int64_t count = ir::element_count(out);
  std::vector<std::int64_t> index(out.size(), 0);
  std::int64_t offset_a = 0, offset_b = 0;
  for (std::int64_t n = 0; n < count; ++n) {
    visit(offset_a, offset_b);
    for (std::size_t d = out.size(); d-- > 0;) {
      if (++index[d] < out[d]) {
        offset_a += strides_a[d];
        offset_b += strides_b[d];
        break;
      }
      offset_a -= strides_a[d] * (out[d] - 1);
      offset_b -= strides_b[d] * (out[d] - 1);
      index[d] = 0;
    }
  }
}

std::int64_t product(const ir::Dims& shape, std::size_t begin, std::size_t end) {
  std::int64_t count = 1;
  for (std::size_t i = begin; i < end; ++i) count *= shape[i];
  return count;
}

// Copies `length` consecutive elements of `from` at `offset` to the end of `to`.
void append_block(Constant& to, const Constant& from, std::int64_t offset, std::int64_t length) {
  if (to.integer)
    to.ints.insert(to.ints.end(), from.ints.begin() + offset, from.ints.begin() + offset + length);
  else
    to.floats.insert(to.floats.end(), from.floats.begin() + offset,
                     from.floats.begin() + offset + length);
}

std::int64_t to_int64_checked(double value) {
  if (!std::isfinite(value) || value < -9.2e18 || value > 9.2e18)
    fail("value {} does not fit in int64", value);
  return static_cast<std::int64_t>(value);  // truncates toward zero, as ONNX Cast does
}

}  // namespace

Constant Constant::from_ints(ir::Dims shape, std::vector<std::int64_t> values) {
  Constant constant;
  constant.shape = std::move(shape);
  constant.integer = true;
  constant.ints = std::move(values);
  return constant;
}

Constant Constant::from_tensor(ir::Tensor tensor) {
  Constant constant;
  constant.shape = std::move(tensor.shape);
  constant.floats = std::move(tensor.data);
  return constant;
}

std::vector<std::int64_t> Constant::to_ints() const {
  if (integer) return ints;
  std::vector<std::int64_t> values;
  values.reserve(floats.size());
  for (float value : floats) {
    if (value != std::trunc(value)) fail("expected whole numbers, found {}", value);
    values.push_back(to_int64_checked(value));
  }
  return values;
}

ir::Tensor Constant::to_tensor() const& {
  ir::Tensor tensor;
  tensor.shape = shape;
  if (integer)
    tensor.data.assign(ints.begin(), ints.end());
  else
    tensor.data = floats;
  return tensor;
}

ir::Tensor Constant::to_tensor() && {
  if (integer) return std::as_const(*this).to_tensor();
  return ir::Tensor{std::move(shape), std::move(floats)};
}

std::int64_t checked_element_count(const ir::Dims& shape) {
  std::int64_t count = 1;
  for (std::int64_t dim : shape) {
    if (dim < 0) fail("shape {} has a negative dimension", ir::format_dims(shape));
    if (dim > 0 && count > kMaxTensorElements / dim)
      fail("shape {} has more than {} elements", ir::format_dims(shape), kMaxTensorElements);
    count *= dim;
  }
  return count;
}

std::int64_t normalize_axis(std::int64_t axis, std::int64_t rank, bool inclusive_end) {
  const std::int64_t limit = inclusive_end ? rank + 1 : rank;
  if (axis < -rank || axis >= limit) fail("axis {} is out of range for rank {}", axis, rank);
  return axis < 0 ? axis + rank : axis;
}

ir::Dims broadcast_shapes(const ir::Dims& a, const ir::Dims& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  ir::Dims out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    const std::int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      fail("shapes {} and {} cannot be broadcast together", ir::format_dims(a), ir::format_dims(b));
    out[rank - 1 - i] = da == 1 ? db : da;
  }
  return out;
}

ir::Dims reshape_dims(const ir::Dims& input, const std::vector<std::int64_t>& requested,
                      bool allowzero) {
  ir::Dims out(requested.begin(), requested.end());
  int inferred = -1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      if (inferred >= 0) fail("shape {} has more than one -1", fmt::join(requested, ","));
      inferred = static_cast<int>(i);
    } else if (out[i] == 0 && !allowzero) {
      if (i >= input.size())
        fail("shape entry {} is 0 (copy) but the input {} has no dimension {}", i,
             ir::format_dims(input), i);
      out[i] = input[i];
    } else if (out[i] < 0) {
      fail("shape {} has a negative entry", fmt::join(requested, ","));
    }
  }
  const std::int64_t count = checked_element_count(input);
  if (inferred >= 0) {
    out[inferred] = 1;
    const std::int64_t known = checked_element_count(out);
    if (known == 0 || count % known != 0)
      fail("cannot reshape {} into {}", ir::format_dims(input), fmt::join(requested, ","));
    out[inferred] = count / known;
  }
  if (checked_element_count(out) != count)
    fail("cannot reshape {} ({} elements) into {}", ir::format_dims(input), count,
         fmt::join(requested, ","));
  return out;
}

ir::Dims flatten_dims(const ir::Dims& input, std::int64_t axis) {
  const auto rank = static_cast<std::int64_t>(input.size());
  const auto split = static_cast<std::size_t>(normalize_axis(axis, rank, true));
  return {product(input, 0, split), product(input, split, input.size())};
}

ir::Dims unsqueeze_dims(const ir::Dims& input, const std::vector<std::int64_t>& axes) {
  const auto rank = static_cast<std::int64_t>(input.size() + axes.size());
  std::set<std::int64_t> inserted;
  for (std::int64_t axis : axes)
    if (!inserted.insert(normalize_axis(axis, rank)).second)
      fail("axes {} repeat an axis", fmt::join(axes, ","));
  ir::Dims out;
  std::size_t next = 0;
  for (std::int64_t d = 0; d < rank; ++d) out.push_back(inserted.count(d) ? 1 : input[next++]);
  return out;
}

ir::Dims squeeze_dims(const ir::Dims& input, const std::vector<std::int64_t>& axes) {
  const auto rank = static_cast<std::int64_t>(input.size());
  std::set<std::int64_t> removed;
  for (std::int64_t axis : axes) {
    const std::int64_t d = normalize_axis(axis, rank);
    if (input[d] != 1)
      fail("cannot squeeze axis {} of {}: its size is not 1", axis, ir::format_dims(input));
    removed.insert(d);
  }
  ir::Dims out;
  for (std::int64_t d = 0; d < rank; ++d) {
    const bool remove = axes.empty() ? input[d] == 1 : removed.count(d) > 0;
    if (!remove) out.push_back(input[d]);
  }
  return out;
}

ir::Dims concat_dims(const std::vector<ir::Dims>& inputs, std::int64_t axis) {
  if (inputs.empty()) fail("Concat needs at least one input");
  ir::Dims out = inputs.front();
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    const ir::Dims& shape = inputs[i];
    bool compatible = shape.size() == out.size();
    for (std::size_t d = 0; compatible && d < shape.size(); ++d)
      compatible = static_cast<std::int64_t>(d) == axis || shape[d] == out[d];
    if (!compatible)
      fail("cannot concatenate {} and {} along axis {}", ir::format_dims(inputs.front()),
           ir::format_dims(shape), axis);
    out[axis] += shape[axis];
  }
  return out;
}

Constant fold_arithmetic(Arithmetic op, const Constant& a, const Constant& b) {
  Constant out;
  out.shape = broadcast_shapes(a.shape, b.shape);
  out.integer = a.integer && b.integer;
  checked_element_count(out.shape);
  const auto strides_a = broadcast_strides(a.shape, out.shape.size());
  const auto strides_b = broadcast_strides(b.shape, out.shape.size());
  if (out.integer) {
    out.ints.reserve(static_cast<std::size_t>(ir::element_count(out.shape)));
    for_each_broadcast(out.shape, strides_a, strides_b, [&](std::int64_t i, std::int64_t j) {
      const std::int64_t x = a.ints[i], y = b.ints[j];
      std::int64_t result = 0;
      bool overflow = false;
      switch (op) {
        case Arithmetic::Add: overflow = __builtin_add_overflow(x, y, &result); break;
        case Arithmetic::Sub: overflow = __builtin_sub_overflow(x, y, &result); break;
        case Arithmetic::Mul: overflow = __builtin_mul_overflow(x, y, &result); break;
        case Arithmetic::Div:
          if (y == 0) fail("integer division by zero");
          overflow = x == std::numeric_limits<std::int64_t>::min() && y == -1;
          if (!overflow) result = x / y;  // truncates, as ONNX integer Div does
          break;
        case Arithmetic::Max: result = std::max(x, y); break;
        case Arithmetic::Min: result = std::min(x, y); break;
        case Arithmetic::Equal: result = x == y; break;
        case Arithmetic::Pow:
          if (y < 0) fail("integer power with a negative exponent ({} ^ {})", x, y);
          result = 1;
          for (std::int64_t k = 0; k < y && !overflow && result != 0; ++k)
            overflow = __builtin_mul_overflow(result, x, &result);
          break;
      }
      if (overflow) fail("integer overflow in shape arithmetic ({} and {})", x, y);
      out.ints.push_back(result);
    });
  } else {
    out.floats.reserve(static_cast<std::size_t>(ir::element_count(out.shape)));
    for_each_broadcast(out.shape, strides_a, strides_b, [&](std::int64_t i, std::int64_t j) {
      const double x = a.value(i), y = b.value(j);
      double result = 0;
      switch (op) {
        case Arithmetic::Add: result = x + y; break;
        case Arithmetic::Sub: result = x - y; break;
        case Arithmetic::Mul: result = x * y; break;
        case Arithmetic::Div: result = x / y; break;
        case Arithmetic::Max: result = std::max(x, y); break;
        case Arithmetic::Min: result = std::min(x, y); break;
        case Arithmetic::Pow: result = std::pow(x, y); break;
        case Arithmetic::Equal: result = x == y; break;
      }
      out.floats.push_back(static_cast<float>(result));
    });
  }
  if (op == Arithmetic::Equal && !out.integer) {  // (a bool tensor)
    out.integer = true;
    out.ints.assign(out.floats.begin(), out.floats.end());
    out.floats.clear();
  }
  return out;
}

Constant fold_expand(const Constant& c, const ir::Dims& shape) {
  // times ones of `shape`: exact (x * 1 == x, also for infinities and NaN)
  const auto count = static_cast<std::size_t>(checked_element_count(shape));
  Constant ones = c.integer ? Constant::from_ints(shape, std::vector<std::int64_t>(count, 1))
                            : Constant::from_tensor({shape, std::vector<float>(count, 1.0f)});
  return fold_arithmetic(Arithmetic::Mul, c, ones);
}

Constant fold_where(const Constant& condition, const Constant& x, const Constant& y) {
  const ir::Dims shape = broadcast_shapes(condition.shape, broadcast_shapes(x.shape, y.shape));
  const Constant pick = fold_expand(condition, shape);
  const Constant a = fold_expand(x, shape), b = fold_expand(y, shape);
  Constant out;
  out.shape = shape;
  out.integer = a.integer && b.integer;
  for (std::size_t i = 0; i < static_cast<std::size_t>(ir::element_count(shape)); ++i) {
    const Constant& from = pick.value(i) != 0 ? a : b;
    if (out.integer)
      out.ints.push_back(from.ints[i]);
    else
      out.floats.push_back(static_cast<float>(from.value(i)));
  }
  return out;
}

Constant fold_range(const Constant& start, const Constant& limit, const Constant& delta) {
  if (start.count() != 1 || limit.count() != 1 || delta.count() != 1)
    fail("Range takes scalars; got shapes {}, {} and {}", ir::format_dims(start.shape),
         ir::format_dims(limit.shape), ir::format_dims(delta.shape));
  const double first = start.value(0), step = delta.value(0);
  if (step == 0) fail("Range with a delta of 0");
  const double steps = std::ceil((limit.value(0) - first) / step);
  const auto count = static_cast<std::int64_t>(std::max(steps, 0.0));
  checked_element_count({count});
  if (start.integer && limit.integer && delta.integer) {
    std::vector<std::int64_t> values;
    for (std::int64_t k = 0; k < count; ++k) values.push_back(start.ints[0] + k * delta.ints[0]);
    return Constant::from_ints({count}, std::move(values));
  }
  std::vector<float> values;  // (as ONNX: start + k * delta, each in float)
  for (std::int64_t k = 0; k < count; ++k)
    values.push_back(static_cast<float>(first + static_cast<double>(k) * step));
  return Constant::from_tensor({{count}, std::move(values)});
}

Constant fold_reduce(Arithmetic op, const Constant& c, const std::vector<std::int64_t>& axes,
                     bool keepdims) {
  const std::size_t rank = c.shape.size();
  std::vector<bool> reduced(rank, axes.empty());
  for (std::int64_t axis : axes) reduced[static_cast<std::size_t>(axis)] = true;
  ir::Dims kept;  // the output's shape with keepdims
  for (std::size_t d = 0; d < rank; ++d) kept.push_back(reduced[d] ? 1 : c.shape[d]);
  const std::int64_t count = ir::element_count(kept);
  if (c.count() == 0) fail("reduces an empty tensor of shape {}", ir::format_dims(c.shape));
  std::vector<bool> seen(static_cast<std::size_t>(count), false);
  std::vector<std::int64_t> ints(static_cast<std::size_t>(count));
  std::vector<double> floats(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < static_cast<std::size_t>(c.count()); ++i) {
    // the element's output index: its coordinates with the reduced ones at 0
    std::int64_t rest = static_cast<std::int64_t>(i), index = 0, stride = 1;
    for (std::size_t d = rank; d-- > 0;) {
      if (!reduced[d]) index += rest % c.shape[d] * stride;
      rest /= c.shape[d];
      stride *= kept[d];
    }
    const auto t = static_cast<std::size_t>(index);
    if (c.integer) {
      const std::int64_t x = c.ints[i];
      std::int64_t& acc = ints[t];
      bool overflow = false;
      if (!seen[t])
        acc = x;
      else if (op == Arithmetic::Add)
        overflow = __builtin_add_overflow(acc, x, &acc);
      else if (op == Arithmetic::Mul)
        overflow = __builtin_mul_overflow(acc, x, &acc);
      else
        acc = op == Arithmetic::Max ? std::max(acc, x) : std::min(acc, x);
      if (overflow) fail("integer overflow in shape arithmetic (a reduction)");
    } else {
      const double x = c.floats[i];
      double& acc = floats[t];
      if (!seen[t])
        acc = x;
      else if (op == Arithmetic::Add)
        acc += x;
      else if (op == Arithmetic::Mul)
        acc *= x;
      else
        acc = op == Arithmetic::Max ? std::max(acc, x) : std::min(acc, x);
    }
    seen[t] = true;
  }
  Constant out;
  out.shape = kept;
  out.integer = c.integer;
  if (c.integer)
    out.ints = std::move(ints);
  else
    out.floats.assign(floats.begin(), floats.end());
  if (!keepdims) {
    ir::Dims shape;
    for (std::size_t d = 0; d < rank; ++d)
      if (!reduced[d]) shape.push_back(c.shape[d]);
    out.shape = shape;
  }
  return out;
}

Constant fold_clamp(const Constant& input, float min, float max) {
  Constant out = input;
  if (out.integer) {
    for (std::int64_t& v : out.ints) {
      if (static_cast<double>(v) < min) v = to_int64_checked(std::ceil(min));
      if (static_cast<double>(v) > max) v = to_int64_checked(std::floor(max));
    }
  } else {
    for (float& v : out.floats) v = std::min(std::max(v, min), max);
  }
  return out;
}

Constant fold_gather(const Constant& data, const Constant& indices, std::int64_t axis) {
  const std::int64_t rank = static_cast<std::int64_t>(data.shape.size());
  if (rank == 0) fail("cannot gather from a scalar");
  axis = normalize_axis(axis, rank);
  const std::int64_t axis_size = data.shape[axis];
  Constant out;
  out.integer = data.integer;
  out.shape.assign(data.shape.begin(), data.shape.begin() + axis);
  out.shape.insert(out.shape.end(), indices.shape.begin(), indices.shape.end());
  out.shape.insert(out.shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  checked_element_count(out.shape);
  const std::int64_t outer = product(data.shape, 0, static_cast<std::size_t>(axis));
  const std::int64_t inner =
      product(data.shape, static_cast<std::size_t>(axis) + 1, data.shape.size());
  const std::vector<std::int64_t> positions = indices.to_ints();
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t position : positions) {
      if (position < -axis_size || position >= axis_size)
        fail("index {} is out of range for axis {} of size {}", position, axis, axis_size);
      if (position < 0) position += axis_size;
      append_block(out, data, (o * axis_size + position) * inner, inner);
    }
  }
  return out;
}

Constant fold_concat(const std::vector<const Constant*>& inputs, std::int64_t axis) {
  std::vector<ir::Dims> shapes;
  bool integer = true;
  for (const Constant* input : inputs) {
    shapes.push_back(input->shape);
    integer = integer && input->integer;
  }
  if (shapes.empty()) fail("Concat needs at least one input");
  axis = normalize_axis(axis, static_cast<std::int64_t>(shapes.front().size()));
  Constant out;
  out.shape = concat_dims(shapes, axis);
  checked_element_count(out.shape);
  out.integer = integer;
  const std::int64_t outer = product(out.shape, 0, static_cast<std::size_t>(axis));
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const Constant* input : inputs) {
      const std::int64_t block =
          product(input->shape, static_cast<std::size_t>(axis), input->shape.size());
      if (integer || !input->integer) {
        append_block(out, *input, o * block, block);
      } else {  // an integer input joining float ones
        for (std::int64_t i = 0; i < block; ++i)
          out.floats.push_back(static_cast<float>(input->ints[o * block + i]));
      }
    }
  }
  return out;
}

std::vector<SliceAxis> slice_axes(const ir::Dims& shape, const std::vector<std::int64_t>& starts,
                                  const std::vector<std::int64_t>& ends,
                                  const std::vector<std::int64_t>& axes,
                                  const std::vector<std::int64_t>& steps) {
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    fail("starts, ends, axes and steps must have the same length");
  std::vector<SliceAxis> out;
  for (std::int64_t size : shape) out.push_back({0, 1, size});
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::int64_t axis = normalize_axis(axes[i], static_cast<std::int64_t>(shape.size()));
    if (!seen.insert(axis).second) fail("axes repeat axis {}", axes[i]);
    const std::int64_t size = shape[static_cast<std::size_t>(axis)];
    if (steps[i] == 0) fail("a step is 0");
    std::int64_t start = starts[i], end = ends[i];
    if (start < 0) start += size;
    if (end < 0) end += size;
    std::int64_t count = 0;
    if (steps[i] > 0) {  // ONNX clamps into [0, size]
      start = std::clamp<std::int64_t>(start, 0, size);
      end = std::clamp<std::int64_t>(end, 0, size);
      count = end > start ? 1 + (end - start - 1) / steps[i] : 0;
    } else {  // and for negative steps into [-1, size - 1]
      start = std::clamp<std::int64_t>(start, 0, size - 1);
      end = std::clamp<std::int64_t>(end, -1, size - 1);
      // INT64_MIN has no positive counterpart; any step that large takes one element.
      const std::int64_t magnitude = steps[i] == std::numeric_limits<std::int64_t>::min()
                                         ? std::numeric_limits<std::int64_t>::max()
                                         : -steps[i];
      count = start > end ? 1 + (start - end - 1) / magnitude : 0;
    }
    out[static_cast<std::size_t>(axis)] = {start, steps[i], count};
  }
  return out;
}

Constant fold_slice(const Constant& data, const std::vector<std::int64_t>& starts,
                    const std::vector<std::int64_t>& ends, const std::vector<std::int64_t>& axes,
                    const std::vector<std::int64_t>& steps) {
  const std::size_t rank = data.shape.size();
  const std::vector<SliceAxis> ranges = slice_axes(data.shape, starts, ends, axes, steps);
  std::vector<std::int64_t> first(rank, 0), step(rank, 1);
  ir::Dims out_shape = data.shape;
  for (std::size_t axis = 0; axis < rank; ++axis) {
    first[axis] = ranges[axis].start;
    step[axis] = ranges[axis].step;
    out_shape[axis] = ranges[axis].count;
  }
  Constant out;
  out.shape = out_shape;
  out.integer = data.integer;
  const std::int64_t count = ir::element_count(out_shape);
  if (count == 0) return out;
  std::vector<std::int64_t> stride(rank, 1);
  for (std::size_t d = rank; d-- > 1;) stride[d - 1] = stride[d] * data.shape[d];
  std::vector<std::int64_t> index(rank, 0);
  for (std::int64_t n = 0; n < count; ++n) {
    std::int64_t offset = 0;
    for (std::size_t d = 0; d < rank; ++d) offset += (first[d] + index[d] * step[d]) * stride[d];
    append_block(out, data, offset, 1);
    for (std::size_t d = rank; d-- > 0;) {
      if (++index[d] < out_shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

Constant fold_cast(const Constant& input, bool to_integer) {
  if (input.integer == to_integer) return input;
  if (to_integer) {
    std::vector<std::int64_t> values;
    values.reserve(input.floats.size());
    for (float value : input.floats) values.push_back(to_int64_checked(value));
    return Constant::from_ints(input.shape, std::move(values));
  }
  return Constant::from_tensor(input.to_tensor());
}

Constant fold_constant_of_shape(const std::vector<std::int64_t>& shape, const Constant& value) {
  if (value.count() != 1) fail("the fill value must have exactly one element");
  Constant out;
  out.shape.assign(shape.begin(), shape.end());
  const auto count = static_cast<std::size_t>(checked_element_count(out.shape));
  out.integer = value.integer;
  if (out.integer)
    out.ints.assign(count, value.ints[0]);
  else
    out.floats.assign(count, value.floats[0]);
  return out;
}

Constant fold_transpose(const Constant& input, std::vector<std::int64_t> perm) {
  const std::size_t rank = input.shape.size();
  if (perm.empty()) {
    perm.assign(rank, 0);
    for (std::size_t d = 0; d < rank; ++d) perm[d] = static_cast<std::int64_t>(rank - 1 - d);
  }
  std::vector<bool> seen(rank, false);
  if (perm.size() != rank) fail("perm has {} entries for rank {}", perm.size(), rank);
  for (std::int64_t axis : perm) {
    if (axis < 0 || axis >= static_cast<std::int64_t>(rank) || seen[axis])
      fail("perm {} is not a permutation of the axes", fmt::join(perm, ","));
    seen[axis] = true;
  }
  std::vector<std::int64_t> in_stride(rank, 1);
  for (std::size_t d = rank; d-- > 1;) in_stride[d - 1] = in_stride[d] * input.shape[d];
  Constant out;
  out.integer = input.integer;
  // Walking the output in order, each output axis steps its input axis's stride.
  out.shape.assign(rank, 1);
  std::vector<std::int64_t> step(rank);
  for (std::size_t d = 0; d < rank; ++d) {
    out.shape[d] = input.shape[perm[d]];
    step[d] = in_stride[perm[d]];
  }
  const std::int64_t count = ir::element_count(out.shape);
  for (std::int64_t n = 0; n < count; ++n) {
    std::int64_t rest = n, offset = 0;
    for (std::size_t d = rank; d-- > 0;) {
      offset += rest % out.shape[d] * step[d];
      rest /= out.shape[d];
    }
    append_block(out, input, offset, 1);
  }
  return out;
}

Constant with_shape(Constant input, ir::Dims shape) {
  input.shape = std::move(shape);
  return input;
}

}  // namespace pimhls::frontend
