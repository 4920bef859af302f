#pragma once
// Values known at import time (weights, and the shape arithmetic that exporters emit around
// Reshape) and the operators that fold them. Pure C++: no protobuf. Errors are short messages
// without file or node; the importer prefixes them.
#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace pimhls::frontend {

struct Constant {
  ir::Dims shape;
  bool integer = false;            // int64 semantics (shapes, axes, indices) instead of float
  std::vector<float> floats;       // the elements when !integer
  std::vector<std::int64_t> ints;  // the elements when integer

  static Constant from_ints(ir::Dims shape, std::vector<std::int64_t> values);
  static Constant from_tensor(ir::Tensor tensor);

  std::int64_t count() const { return ir::element_count(shape); }
  double value(std::size_t i) const { return integer ? static_cast<double>(ints[i]) : floats[i]; }
  // The elements as int64 (float constants must hold whole numbers).
  std::vector<std::int64_t> to_ints() const;
  // The elements as a float tensor; the rvalue overload moves float data out.
  ir::Tensor to_tensor() const&;
  ir::Tensor to_tensor() &&;
};

// Element count of `shape`, refusing shapes over kMaxTensorElements (and overflow) so that no
// computed shape can make us allocate gigabytes.
std::int64_t checked_element_count(const ir::Dims& shape);

// `axis` in [-rank, rank) (or [-rank, rank] when `inclusive_end`), made non-negative.
std::int64_t normalize_axis(std::int64_t axis, std::int64_t rank, bool inclusive_end = false);

// numpy (multidirectional) broadcasting of two shapes.
ir::Dims broadcast_shapes(const ir::Dims& a, const ir::Dims& b);

// Output shapes of the shape-only operators (shared by constants and activations).
ir::Dims reshape_dims(const ir::Dims& input, const std::vector<std::int64_t>& requested,
                      bool allowzero);
ir::Dims flatten_dims(const ir::Dims& input, std::int64_t axis);
ir::Dims unsqueeze_dims(const ir::Dims& input, const std::vector<std::int64_t>& axes);
// Empty `axes` removes every dimension of size 1.
ir::Dims squeeze_dims(const ir::Dims& input, const std::vector<std::int64_t>& axes);
// Output shape of Concat along `axis` (already normalized); inputs must agree elsewhere.
ir::Dims concat_dims(const std::vector<ir::Dims>& inputs, std::int64_t axis);

enum class Arithmetic { Add, Sub, Mul, Div, Max, Min, Pow, Equal };
// Element-wise arithmetic with broadcasting; integer when both operands are integer (Equal:
// always, 1 or 0).
Constant fold_arithmetic(Arithmetic op, const Constant& a, const Constant& b);
// `c` broadcast with `shape` (ONNX Expand: the result has broadcast_shapes(c.shape, shape)).
Constant fold_expand(const Constant& c, const ir::Dims& shape);
// Where(condition, x, y) with broadcasting: x where the condition is nonzero, else y.
Constant fold_where(const Constant& condition, const Constant& x, const Constant& y);
// Range(start, limit, delta) of scalars: start, start + delta, ... before limit (integer when
// all three are).
Constant fold_range(const Constant& start, const Constant& limit, const Constant& delta);
// The sum, product, max or min (op Add, Mul, Max, Min) over `axes` (normalized; empty: all).
Constant fold_reduce(Arithmetic op, const Constant& c, const std::vector<std::int64_t>& axes,
                     bool keepdims);
Constant fold_clamp(const Constant& input, float min, float max);
Constant fold_gather(const Constant& data, const Constant& indices, std::int64_t axis);
Constant fold_concat(const std::vector<const Constant*>& inputs, std::int64_t axis);
// What ONNX Slice takes along one axis: count elements from start, step apart (start and end
// clamped as ONNX does).
struct SliceAxis {
  std::int64_t start = 0, step = 1, count = 0;
};
// Per axis of `shape` (the whole axis where `axes` does not name it); `axes` and `steps` have
// one entry per entry of `starts`, and no axis twice.
std::vector<SliceAxis> slice_axes(const ir::Dims& shape, const std::vector<std::int64_t>& starts,
                                  const std::vector<std::int64_t>& ends,
                                  const std::vector<std::int64_t>& axes,
                                  const std::vector<std::int64_t>& steps);
// ONNX Slice; `axes` and `steps` have one entry per entry of `starts`.
Constant fold_slice(const Constant& data, const std::vector<std::int64_t>& starts,
                    const std::vector<std::int64_t>& ends, const std::vector<std::int64_t>& axes,
                    const std::vector<std::int64_t>& steps);
Constant fold_cast(const Constant& input, bool to_integer);
// A tensor of shape `shape` filled with the single element of `value`.
Constant fold_constant_of_shape(const std::vector<std::int64_t>& shape, const Constant& value);
// ONNX Transpose: output axis i is input axis perm[i] (empty perm reverses the axes).
Constant fold_transpose(const Constant& input, std::vector<std::int64_t> perm);
// Same elements, new shape (Reshape, Flatten, Squeeze, Unsqueeze).
Constant with_shape(Constant input, ir::Dims shape);

}  // namespace pimhls::frontend
