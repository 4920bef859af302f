// GELU as PyTorch (opset < 20) exports it, x * 0.5 * (1 + erf(x / sqrt2)) written as Div, Erf,
// Add, Mul, Mul: the importer makes x * f(x) one Unary (scalar affine steps around Erf) and a
// scale, and the float reference computes GELU.
#include <catch2/catch.hpp>
#include <cmath>

#include "golden/float_reference.h"
#include "onnx_builder.h"

namespace pimhls::test {

TEST_CASE("GELU exported with Erf imports as x * f(x) and computes GELU") {
  OnnxBuilder b(13);
  b.input("x", {1, 1, 1, 5}).output("y", 4);
  b.initializer("sqrt2", {}, {1.4142135f});
  b.initializer("one", {}, {1.0f});
  b.initializer("half", {}, {0.5f});
  b.node("Div", {"x", "sqrt2"}, {"d"}, "div");
  b.node("Erf", {"d"}, {"e"}, "erf");
  b.node("Add", {"e", "one"}, {"a"}, "add");
  b.node("Mul", {"x", "a"}, {"m"}, "mul");
  b.node("Mul", {"m", "half"}, {"y"}, "half");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  const ir::Node& unary = graph.nodes[0];
  CHECK(unary.op == ir::Op::Unary);
  CHECK(unary.unary.times_input);
  CHECK(ir::describe(unary.unary) == "x*Affine(Erf(Affine))");
  CHECK(graph.nodes[1].op == ir::Op::ChannelAffine);
  const std::vector<float> x = {-3.0f, -0.5f, 0.0f, 0.7f, 2.5f};
  const std::vector<float> y = golden::run_float(graph, {{{1, 1, 1, 5}, x}}).at(0).data;
  for (std::size_t i = 0; i < x.size(); ++i)
    CHECK(y[i] == Approx(0.5 * x[i] * (1.0 + std::erf(x[i] / std::sqrt(2.0)))).margin(1e-6));
}

}  // namespace pimhls::test
