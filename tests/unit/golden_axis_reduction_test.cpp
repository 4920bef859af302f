// Reductions over H alone or W alone of an NCHW map (coordinate attention's pools, a text
// recognizer collapsing the height): pools whose window spans the axis; values by hand.
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"

namespace pimhls::test {
namespace {

// x [1, 2, 2, 3] = 1 .. 12: channel 0 rows [1 2 3] [4 5 6], channel 1 rows [7 8 9] [10 11 12].
const ir::Tensor kInput{{1, 2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};

ir::Tensor reduce(int opset, const char* op, std::vector<std::int64_t> axes, bool keepdims,
                  std::size_t out_rank) {
  OnnxBuilder b(opset);
  b.input("x", {1, 2, 2, 3}).output("y", static_cast<int>(out_rank));
  if (opset >= 13 && std::string(op) == "ReduceSum") {
    b.int_initializer("axes", {static_cast<std::int64_t>(axes.size())}, axes);
    b.node(op, {"x", "axes"}, {"y"}, "reduce").attr("keepdims", std::int64_t{keepdims});
  } else {
    b.node(op, {"x"}, {"y"}, "reduce")
        .attr("axes", std::move(axes))
        .attr("keepdims", std::int64_t{keepdims});
  }
  return golden::run_float(b.import(), {kInput}).at(0);
}

}  // namespace

TEST_CASE("ReduceMean over W alone: the mean of each row") {
  const ir::Tensor y = reduce(13, "ReduceMean", {3}, true, 4);
  CHECK(y.shape == ir::Dims{1, 2, 2, 1});
  CHECK(y.data == std::vector<float>{2, 5, 8, 11});
}

TEST_CASE("ReduceMax over H alone, keepdims 0: the max of each column") {
  const ir::Tensor y = reduce(13, "ReduceMax", {2}, false, 3);
  CHECK(y.shape == ir::Dims{1, 2, 3});
  CHECK(y.data == std::vector<float>{4, 5, 6, 10, 11, 12});
}

TEST_CASE("ReduceSum over the last axis (axes as an input): the sum of each row") {
  const ir::Tensor y = reduce(13, "ReduceSum", {-1}, true, 4);
  CHECK(y.shape == ir::Dims{1, 2, 2, 1});
  CHECK(y.data == std::vector<float>{6, 15, 24, 33});
  const ir::Tensor columns = reduce(11, "ReduceSum", {2}, false, 3);
  CHECK(columns.data == std::vector<float>{5, 7, 9, 17, 19, 21});
}

}  // namespace pimhls::test
