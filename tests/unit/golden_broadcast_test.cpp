// Element-wise Add and Mul of two activations that both broadcast (neither has the output's
// shape: a gate per row plus one per column): the operand with the output's channels is
// upsampled to the output's H and W first, so the vector engines read one map and one gate.
// Values by hand.
#include <algorithm>
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"

namespace pimhls::test {

TEST_CASE("Add and Mul of a row and a column: the one with the output's channels upsampled") {
  // r [1, 2, 2, 1] (rows 1, 2 of channel 0; 3, 4 of channel 1), c [1, 1, 1, 3] = (10, 20, 30).
  OnnxBuilder b;
  b.input("r", {1, 2, 2, 1}).input("c", {1, 1, 1, 3}).output("sum", 4).output("product", 4);
  b.node("Add", {"c", "r"}, {"sum"}, "add");
  b.node("Mul", {"r", "c"}, {"product"}, "mul");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 4);
  for (const std::size_t n : {0, 2}) {
    const ir::Node& expand = graph.nodes[n];
    CHECK(expand.op == ir::Op::Upsample);
    CHECK(expand.inputs == std::vector<ir::ValueId>{graph.inputs[0]});
    CHECK(expand.window.upsample_h == 1);
    CHECK(expand.window.upsample_w == 3);
    CHECK(graph.shape(expand.output) == ir::Dims{1, 2, 2, 3});
    const std::vector<ir::ValueId>& operands = graph.nodes[n + 1].inputs;  // the column stays
    CHECK(std::count(operands.begin(), operands.end(), graph.inputs[1]) == 1);
    CHECK(std::count(operands.begin(), operands.end(), expand.output) == 1);
  }
  const std::vector<ir::Tensor> y = golden::run_float(
      graph, {ir::Tensor{{1, 2, 2, 1}, {1, 2, 3, 4}}, ir::Tensor{{1, 1, 1, 3}, {10, 20, 30}}});
  CHECK(y.at(0).data == std::vector<float>{11, 21, 31, 12, 22, 32, 13, 23, 33, 14, 24, 34});
  CHECK(y.at(1).data == std::vector<float>{10, 20, 30, 20, 40, 60, 30, 60, 90, 40, 80, 120});
}

TEST_CASE("Sum of a value per channel, one per row and one per column") {
  // a = (100, 200) per channel, b = (10, 20) per row, c = (1, 2, 3) per column: every step of
  // the Add chain upsamples its partial sum, each Upsample named after its step.
  OnnxBuilder b;
  b.input("a", {1, 2, 1, 1}).input("b", {1, 1, 2, 1}).input("c", {1, 1, 1, 3}).output("y", 4);
  b.node("Sum", {"a", "b", "c"}, {"y"}, "sum");
  const ir::Graph graph = b.import();
  std::vector<std::string> names;
  for (const ir::Node& node : graph.nodes) names.push_back(node.name);
  CHECK(names == std::vector<std::string>{"sum/expand1", "sum/sum1", "sum/expand2", "sum"});
  const std::vector<ir::Tensor> y = golden::run_float(
      graph, {ir::Tensor{{1, 2, 1, 1}, {100, 200}}, ir::Tensor{{1, 1, 2, 1}, {10, 20}},
              ir::Tensor{{1, 1, 1, 3}, {1, 2, 3}}});
  CHECK(y.at(0).data ==
        std::vector<float>{111, 112, 113, 121, 122, 123, 211, 212, 213, 221, 222, 223});
}

}  // namespace pimhls::test
