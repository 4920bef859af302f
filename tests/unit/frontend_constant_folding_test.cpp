// The fold kernels behind shape arithmetic, against results worked out by hand (numpy rules).
#include <catch2/catch.hpp>
#include <limits>

#include "frontend/constant_folding.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

Constant ints(ir::Dims shape, std::vector<std::int64_t> values) {
  return Constant::from_ints(std::move(shape), std::move(values));
}

Constant floats(ir::Dims shape, std::vector<float> values) {
  return Constant::from_tensor(ir::Tensor{std::move(shape), std::move(values)});
}

TEST_CASE("broadcast_shapes follows numpy") {
  CHECK(broadcast_shapes({2, 1, 4}, {3, 1}) == ir::Dims{2, 3, 4});
  CHECK(broadcast_shapes({}, {5}) == ir::Dims{5});
  REQUIRE_THROWS_WITH(broadcast_shapes({2, 3}, {4}), Catch::Contains("cannot be broadcast"));
}

TEST_CASE("arithmetic broadcasts and keeps integers exact") {
  // [[1, 2, 3], [4, 5, 6]] * [10, 100, 1000]
  const Constant product = fold_arithmetic(Arithmetic::Mul, ints({2, 3}, {1, 2, 3, 4, 5, 6}),
                                           ints({3}, {10, 100, 1000}));
  CHECK(product.integer);
  CHECK(product.shape == ir::Dims{2, 3});
  CHECK(product.ints == std::vector<std::int64_t>{10, 200, 3000, 40, 500, 6000});
  // Integer division truncates toward zero: -7 / 2 = -3.
  const Constant quotient = fold_arithmetic(Arithmetic::Div, ints({2}, {-7, 9}), ints({}, {2}));
  CHECK(quotient.ints == std::vector<std::int64_t>{-3, 4});
  // A column minus a row: [[1], [2]] - [10, 20] = [[-9, -19], [-8, -18]].
  const Constant difference =
      fold_arithmetic(Arithmetic::Sub, floats({2, 1}, {1, 2}), floats({2}, {10, 20}));
  CHECK_FALSE(difference.integer);
  CHECK(difference.floats == std::vector<float>{-9, -19, -8, -18});
  // int64 beyond float precision stays exact.
  const std::int64_t big = std::numeric_limits<std::int64_t>::max() - 1;
  CHECK(fold_arithmetic(Arithmetic::Add, ints({}, {big}), ints({}, {1})).ints[0] ==
        std::numeric_limits<std::int64_t>::max());
  REQUIRE_THROWS_WITH(fold_arithmetic(Arithmetic::Div, ints({}, {1}), ints({}, {0})),
                      Catch::Contains("division by zero"));
  REQUIRE_THROWS_WITH(fold_arithmetic(Arithmetic::Mul, ints({}, {big}), ints({}, {2})),
                      Catch::Contains("overflow"));
}

TEST_CASE("gather along an axis with negative and 2-D indices") {
  const Constant shape = ints({4}, {2, 3, 4, 5});
  const Constant first = fold_gather(shape, ints({}, {0}), 0);
  CHECK(first.shape.empty());
  CHECK(first.ints == std::vector<std::int64_t>{2});
  CHECK(fold_gather(shape, ints({2}, {-1, 1}), 0).ints == std::vector<std::int64_t>{5, 3});
  // data [[1, 2, 3], [4, 5, 6]], axis 1, indices [[2, 0]] -> shape 2x1x2: [[[3, 1]], [[6, 4]]]
  const Constant matrix = floats({2, 3}, {1, 2, 3, 4, 5, 6});
  const Constant picked = fold_gather(matrix, ints({1, 2}, {2, 0}), 1);
  CHECK(picked.shape == ir::Dims{2, 1, 2});
  CHECK(picked.floats == std::vector<float>{3, 1, 6, 4});
  REQUIRE_THROWS_WITH(fold_gather(shape, ints({}, {4}), 0), Catch::Contains("out of range"));
}

TEST_CASE("concat along inner and outer axes") {
  const Constant seven = ints({1}, {7}), minus_one = ints({1}, {-1});
  CHECK(fold_concat({&seven, &minus_one}, 0).ints == std::vector<std::int64_t>{7, -1});
  // [[1, 2], [3, 4]] ++ [[5], [6]] along axis -1 -> [[1, 2, 5], [3, 4, 6]]
  const Constant a = floats({2, 2}, {1, 2, 3, 4});
  const Constant b = floats({2, 1}, {5, 6});
  const Constant joined = fold_concat({&a, &b}, -1);
  CHECK(joined.shape == ir::Dims{2, 3});
  CHECK(joined.floats == std::vector<float>{1, 2, 5, 3, 4, 6});
}

TEST_CASE("slice clamps like ONNX, including negative steps and INT64_MAX ends") {
  const Constant data = ints({5}, {10, 11, 12, 13, 14});
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  CHECK(fold_slice(data, {1}, {max}, {0}, {1}).ints == std::vector<std::int64_t>{11, 12, 13, 14});
  CHECK(fold_slice(data, {0}, {-2}, {0}, {2}).ints == std::vector<std::int64_t>{10, 12});
  CHECK(fold_slice(data, {-1}, {-max}, {0}, {-2}).ints == std::vector<std::int64_t>{14, 12, 10});
  CHECK(fold_slice(data, {4}, {1}, {0}, {1}).ints.empty());
  const std::int64_t min = std::numeric_limits<std::int64_t>::min();
  CHECK(fold_slice(data, {-1}, {min}, {0}, {min}).ints == std::vector<std::int64_t>{14});
  CHECK(fold_slice(data, {0}, {max}, {0}, {max}).ints == std::vector<std::int64_t>{10});
  // 2-D: rows 1.., columns ::-1 of [[1, 2, 3], [4, 5, 6]] -> [[6, 5, 4]]
  const Constant matrix = floats({2, 3}, {1, 2, 3, 4, 5, 6});
  const Constant cut = fold_slice(matrix, {1, -1}, {2, -max}, {0, 1}, {1, -1});
  CHECK(cut.shape == ir::Dims{1, 3});
  CHECK(cut.floats == std::vector<float>{6, 5, 4});
}

TEST_CASE("transpose permutes axes") {
  // [[1, 2, 3], [4, 5, 6]] with the default perm (reversed axes) -> [[1, 4], [2, 5], [3, 6]]
  const Constant transposed = fold_transpose(floats({2, 3}, {1, 2, 3, 4, 5, 6}), {});
  CHECK(transposed.shape == ir::Dims{3, 2});
  CHECK(transposed.floats == std::vector<float>{1, 4, 2, 5, 3, 6});
  // in[j][0][i] lands at out[i][j][0] for perm (2, 0, 1): shape 2x1x3 -> 3x2x1
  const Constant rotated = fold_transpose(ints({2, 1, 3}, {1, 2, 3, 4, 5, 6}), {2, 0, 1});
  CHECK(rotated.shape == ir::Dims{3, 2, 1});
  CHECK(rotated.ints == std::vector<std::int64_t>{1, 4, 2, 5, 3, 6});
  REQUIRE_THROWS_WITH(fold_transpose(ints({2, 3}, {1, 2, 3, 4, 5, 6}), {0, 0}),
                      Catch::Contains("not a permutation"));
}

TEST_CASE("reshape, flatten, squeeze, unsqueeze shapes") {
  CHECK(reshape_dims({2, 3, 4}, {0, -1}, false) == ir::Dims{2, 12});
  CHECK(reshape_dims({2, 3, 4}, {-1, 0}, false) == ir::Dims{8, 3});
  CHECK(reshape_dims({2, 3, 4}, {4, 6}, true) == ir::Dims{4, 6});
  REQUIRE_THROWS_WITH(reshape_dims({2, 3, 4}, {5, -1}, false), Catch::Contains("cannot reshape"));
  REQUIRE_THROWS_WITH(reshape_dims({2, 3}, {-1, -1}, false), Catch::Contains("more than one -1"));
  CHECK(flatten_dims({2, 3, 4, 5}, 2) == ir::Dims{6, 20});
  CHECK(flatten_dims({2, 3, 4, 5}, 0) == ir::Dims{1, 120});
  CHECK(flatten_dims({2, 3, 4, 5}, -1) == ir::Dims{24, 5});
  CHECK(unsqueeze_dims({3, 4}, {0, -1}) == ir::Dims{1, 3, 4, 1});
  CHECK(unsqueeze_dims({}, {0}) == ir::Dims{1});
  CHECK(squeeze_dims({1, 3, 1, 4}, {}) == ir::Dims{3, 4});
  CHECK(squeeze_dims({1, 3, 1, 4}, {-2}) == ir::Dims{1, 3, 4});
  REQUIRE_THROWS_WITH(squeeze_dims({1, 3}, {1}), Catch::Contains("not 1"));
}

TEST_CASE("cast, clamp and constant_of_shape") {
  const Constant truncated = fold_cast(floats({3}, {2.7f, -2.7f, 5.0f}), true);
  CHECK(truncated.integer);
  CHECK(truncated.ints == std::vector<std::int64_t>{2, -2, 5});
  CHECK(fold_cast(ints({2}, {3, -1}), false).floats == std::vector<float>{3, -1});
  CHECK(fold_clamp(floats({3}, {-1, 3, 9}), 0, 6).floats == std::vector<float>{0, 3, 6});
  const Constant filled = fold_constant_of_shape({2, 3}, ints({1}, {7}));
  CHECK(filled.shape == ir::Dims{2, 3});
  CHECK(filled.ints == std::vector<std::int64_t>(6, 7));
  // A shape asking for more than kMaxTensorElements fails before allocating.
  REQUIRE_THROWS_WITH(fold_constant_of_shape({1 << 20, 1 << 20}, floats({1}, {0})),
                      Catch::Contains("more than"));
}

TEST_CASE("equal, where and expand broadcast") {
  // [3, -1] == [[3], [-1]]: [[1, 0], [0, 1]], a bool tensor (integer) also for floats.
  const Constant equal =
      fold_arithmetic(Arithmetic::Equal, floats({2}, {3, -1}), floats({2, 1}, {3, -1}));
  CHECK(equal.integer);
  CHECK(equal.shape == ir::Dims{2, 2});
  CHECK(equal.ints == std::vector<std::int64_t>{1, 0, 0, 1});
  // torch's expand(-1, 8): Where(shape == -1, 1, shape) = [1, 8].
  const Constant shape = ints({2}, {-1, 8});
  const Constant picked =
      fold_where(fold_arithmetic(Arithmetic::Equal, shape, ints({}, {-1})), ints({}, {1}), shape);
  CHECK(picked.integer);
  CHECK(picked.ints == std::vector<std::int64_t>{1, 8});
  // A float x and an integer y: the result is float; the condition broadcasts over rows.
  const Constant mixed = fold_where(ints({2}, {0, 1}), floats({2, 1}, {0.5f, 1.5f}), ints({}, {7}));
  CHECK_FALSE(mixed.integer);
  CHECK(mixed.floats == std::vector<float>{7, 0.5f, 7, 1.5f});
  // [2, 1] expanded with [3] and with [2, 1, 3]: every row repeated; the larger rank wins.
  CHECK(fold_expand(ints({2, 1}, {4, 5}), {3}).ints == std::vector<std::int64_t>{4, 4, 4, 5, 5, 5});
  const Constant infinite =
      fold_expand(floats({1}, {-std::numeric_limits<float>::infinity()}), {2, 1, 3});
  CHECK(infinite.shape == ir::Dims{2, 1, 3});
  CHECK(infinite.floats == std::vector<float>(6, -std::numeric_limits<float>::infinity()));
}

TEST_CASE("range of integers and of floats, empty when the limit is behind") {
  CHECK(fold_range(ints({}, {2}), ints({}, {9}), ints({}, {3})).ints ==
        std::vector<std::int64_t>{2, 5, 8});
  const Constant down = fold_range(floats({}, {1}), floats({}, {-0.5f}), floats({}, {-0.5f}));
  CHECK_FALSE(down.integer);
  CHECK(down.floats == std::vector<float>{1, 0.5f, 0});
  CHECK(fold_range(ints({}, {5}), ints({}, {1}), ints({}, {1})).shape == ir::Dims{0});
  REQUIRE_THROWS_WITH(fold_range(ints({}, {0}), ints({}, {3}), ints({}, {0})),
                      Catch::Contains("delta of 0"));
}

TEST_CASE("reductions over axes, all of them, with and without keepdims") {
  // [[1, 2, 3], [4, 5, 6]]
  const Constant m = ints({2, 3}, {1, 2, 3, 4, 5, 6});
  CHECK(fold_reduce(Arithmetic::Mul, m, {}, false).ints == std::vector<std::int64_t>{720});
  CHECK(fold_reduce(Arithmetic::Mul, m, {}, false).shape == ir::Dims{});
  const Constant rows = fold_reduce(Arithmetic::Add, m, {1}, true);
  CHECK(rows.shape == ir::Dims{2, 1});
  CHECK(rows.ints == std::vector<std::int64_t>{6, 15});
  const Constant columns = fold_reduce(Arithmetic::Max, m, {0}, false);
  CHECK(columns.shape == ir::Dims{3});
  CHECK(columns.ints == std::vector<std::int64_t>{4, 5, 6});
  CHECK(fold_reduce(Arithmetic::Min, floats({2, 2}, {3, -1, 2, 8}), {0}, true).floats ==
        std::vector<float>{2, -1});
  REQUIRE_THROWS_WITH(
      fold_reduce(Arithmetic::Mul, ints({3}, {std::int64_t{1} << 40, 1 << 30, 1 << 30}), {}, true),
      Catch::Contains("overflow"));
}

}  // namespace
}  // namespace pimhls::frontend
