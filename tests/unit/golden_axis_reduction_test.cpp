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

namespace pimhls::test {

TEST_CASE("the mean over the pixels of x.view(b, c, -1): a view of the map as one line") {
  // squeeze-and-excitation written with a view: kInput as [1, 2, 6], its mean over the last
  // axis (keepdims 0) is each channel's mean; the max over the channels of the view is per pixel,
  // and so is the mean (keepdims 0: [1, 6], not the 2-D form's [1, 1, 6]).
  for (const int opset : {11, 13}) {
    INFO("opset " << opset);
    OnnxBuilder b(opset);
    b.input("x", {1, 2, 2, 3}).output("mean", 2).output("max", 3).output("channel_mean", 2);
    b.int_initializer("flat", {3}, {1, 2, -1});
    b.node("Relu", {"x"}, {"r"});
    b.node("Reshape", {"r", "flat"}, {"v"}, "view");
    b.node("ReduceMean", {"v"}, {"mean"}, "mean")
        .attr("axes", std::vector<std::int64_t>{-1})
        .attr("keepdims", std::int64_t{0});
    b.node("ReduceMax", {"v"}, {"max"}, "max")
        .attr("axes", std::vector<std::int64_t>{1})
        .attr("keepdims", std::int64_t{1});
    b.node("ReduceMean", {"v"}, {"channel_mean"}, "channel_mean")
        .attr("axes", std::vector<std::int64_t>{1})
        .attr("keepdims", std::int64_t{0});
    const ir::Graph graph = b.import();
    const std::vector<ir::Tensor> y = golden::run_float(graph, {kInput});
    CHECK(y.at(0).shape == ir::Dims{1, 2});
    CHECK(y.at(0).data == std::vector<float>{3.5f, 9.5f});
    CHECK(y.at(1).shape == ir::Dims{1, 1, 6});
    CHECK(y.at(1).data == std::vector<float>{7, 8, 9, 10, 11, 12});
    CHECK(y.at(2).shape == ir::Dims{1, 6});
    CHECK(y.at(2).data == std::vector<float>{4, 5, 6, 7, 8, 9});
  }
}

}  // namespace pimhls::test
