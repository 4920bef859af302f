// ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSum and ReduceLogSumExp, rewritten before import
// into a function of x, a ReduceSum and a function of the sum (norm_reductions.cpp); values by
// hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "golden/float_reference.h"
#include "onnx_builder.h"

namespace pimhls::test {
namespace {

// x [1, 2, 2, 2]: channel 0 is 3 0 -1 2, channel 1 is 4 1 1 -2.
const ir::Tensor kInput{{1, 2, 2, 2}, {3, 0, -1, 2, 4, 1, 1, -2}};

// `op` over `axes` (an attribute up to opset 17, the last ONNX 1.12 knows).
ir::Graph reduction(int opset, const char* op, std::vector<std::int64_t> axes, bool keepdims,
                    int out_rank) {
  OnnxBuilder b(opset);
  b.input("x", {1, 2, 2, 2}).output("y", out_rank);
  b.node(op, {"x"}, {"y"}, "norm")
      .attr("axes", std::move(axes))
      .attr("keepdims", std::int64_t{keepdims});
  return b.import();
}

std::vector<float> run(const ir::Graph& graph) {
  return golden::run_float(graph, {kInput}).at(0).data;
}

void check_near(const std::vector<float>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i)
    CHECK(actual[i] == Approx(expected[i]).epsilon(1e-6));
}

}  // namespace

TEST_CASE("ReduceL2 over the channels (F.normalize's norm): squares, a channel sum, a root") {
  for (const int opset : {6, 11, 13, 17}) {
    INFO("opset " << opset);
    const ir::Graph graph = reduction(opset, "ReduceL2", {1}, true, 4);
    CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 1, 2, 2});
    check_near(run(graph), {5, 1, std::sqrt(2.0), std::sqrt(8.0)});
  }
}

TEST_CASE("ReduceL1 and ReduceSumSquare over H and W") {
  const ir::Graph l1 = reduction(13, "ReduceL1", {2, 3}, false, 2);
  CHECK(l1.shape(l1.outputs[0]) == ir::Dims{1, 2});
  check_near(run(l1), {6, 8});
  const ir::Graph squares = reduction(6, "ReduceSumSquare", {-2, -1}, true, 4);
  CHECK(squares.shape(squares.outputs[0]) == ir::Dims{1, 2, 1, 1});
  check_near(run(squares), {14, 22});
}

TEST_CASE("ReduceLogSumExp and ReduceLogSum over the channels") {
  check_near(run(reduction(17, "ReduceLogSumExp", {1}, true, 4)),
             {4 + std::log1p(std::exp(-1.0)), 1 + std::log1p(std::exp(-1.0)),
              1 + std::log1p(std::exp(-2.0)), 2 + std::log1p(std::exp(-4.0))});
  // log of the channel sums 7, 1, 0, 0: only the first two are finite.
  const std::vector<float> logs = run(reduction(13, "ReduceLogSum", {1}, true, 4));
  CHECK(logs[0] == Approx(std::log(7.0)));
  CHECK(logs[1] == 0.0f);
}

TEST_CASE("a norm reduction over an axis the accelerator cannot sum names its ReduceSum") {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 2, 2}).output("y", 4);
  b.node("ReduceL2", {"x"}, {"y"}, "norm").attr("axes", std::vector<std::int64_t>{0});
  CHECK_THROWS_WITH(b.import(), Catch::Contains("node 'norm/sum' (ReduceSum): the sum of input "
                                                "'norm/terms' (1x2x2x2) over axes 0"));
}

}  // namespace pimhls::test
