// LayerNorm over the features of an [N, D] vector (MLPs, classifier heads after pooling): the
// LayerNormalization operator (opset 17) and the ReduceMean/Sub/Pow/Sqrt/Div form earlier
// opsets export, with the means as Gemms of 1 / D; values worked by hand. (Numerics against
// PyTorch: tests/data/torch_mlp_layer_norm_*.)
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// x = [1, 2, 3, 6]: mean 3, x - mean = [-2, -1, 0, 3], variance 14 / 4 = 3.5; with scale
// [1, 2, 1, 1] and bias [0, 0, 0.5, 0]: y = [-2, -2, 0, 3] / sqrt(3.5) + [0, 0, 0.5, 0].
const ir::Tensor kInput{{1, 4}, {1, 2, 3, 6}};

void check_normalized(const ir::Graph& graph) {
  const std::vector<float> y = golden::run_float(graph, {kInput}).at(0).data;
  REQUIRE(y.size() == 4);
  const float inverse = 0.5345224838f;  // 1 / sqrt(3.5)
  CHECK(y[0] == Approx(-2 * inverse));
  CHECK(y[1] == Approx(-2 * inverse));
  CHECK(y[2] == Approx(0.5f));
  CHECK(y[3] == Approx(3 * inverse));
}

bool has(const ir::Graph& graph, ir::Op op) {
  for (const ir::Node& node : graph.nodes)
    if (node.op == op) return true;
  return false;
}

}  // namespace

TEST_CASE("LayerNormalization over an [N, D] vector's features") {
  OnnxBuilder b(17);
  b.input("x", {1, 4}).output("y", 2);
  b.initializer("scale", {4}, {1, 2, 1, 1});
  b.initializer("bias", {4}, {0, 0, 0.5f, 0});
  b.node("LayerNormalization", {"x", "scale", "bias"}, {"y"}, "norm").attr("epsilon", 0.0f);
  const ir::Graph graph = b.import();
  CHECK(has(graph, ir::Op::Gemm));  // the means
  check_normalized(graph);
}

TEST_CASE("LayerNorm as opsets before 17 export it: ReduceMean over the features") {
  OnnxBuilder b(13);
  b.input("x", {1, 4}).output("y", 2);
  b.initializer("two", {}, {2.0f});
  b.initializer("epsilon", {}, {0.0f});
  b.initializer("scale", {4}, {1, 2, 1, 1});
  b.initializer("bias", {4}, {0, 0, 0.5f, 0});
  b.node("ReduceMean", {"x"}, {"mean"}, "mean").attr("axes", std::vector<std::int64_t>{-1});
  b.node("Sub", {"x", "mean"}, {"centered"}, "center");
  b.node("Pow", {"centered", "two"}, {"square"}, "square");
  b.node("ReduceMean", {"square"}, {"variance"}, "variance")
      .attr("axes", std::vector<std::int64_t>{-1});
  b.node("Add", {"variance", "epsilon"}, {"v"}, "add_epsilon");
  b.node("Sqrt", {"v"}, {"deviation"}, "sqrt");
  b.node("Div", {"centered", "deviation"}, {"normalized"}, "divide");
  b.node("Mul", {"normalized", "scale"}, {"scaled"}, "scale");
  b.node("Add", {"scaled", "bias"}, {"y"}, "shift");
  check_normalized(b.import());
}

TEST_CASE("ReduceSum over an [N, D] vector's features, keepdims 0") {
  OnnxBuilder b(11);
  b.input("x", {1, 4}).output("y", 1);
  b.node("ReduceSum", {"x"}, {"y"}, "sum")
      .attr("axes", std::vector<std::int64_t>{1})
      .attr("keepdims", std::int64_t{0});
  const std::vector<ir::Tensor> y = golden::run_float(b.import(), {kInput});
  CHECK(y.at(0).shape == ir::Dims{1});
  CHECK(y.at(0).data == std::vector<float>{12});
}

TEST_CASE("LayerNormalization of a sequence [N, T, D] that is no view is a one-line error") {
  // (read as [N, C, L] by a Conv1d too, the graph input is no channels-last view)
  OnnxBuilder b(17);
  b.input("x", {1, 3, 4}).output("y", 3).output("c", 3).initializer("scale", {4}, {1, 1, 1, 1});
  b.initializer("k", {2, 3, 1}, {1, 0, 0, 0, 1, 0});
  b.node("LayerNormalization", {"x", "scale"}, {"y"}, "norm");
  b.node("Conv", {"x", "k"}, {"c"}, "conv1d");
  CHECK_THAT(import_error(b), Contains("node 'norm' (LayerNormalization)") &&
                                  Contains("only over the features of an [N, D] vector"));
}

}  // namespace pimhls::test
