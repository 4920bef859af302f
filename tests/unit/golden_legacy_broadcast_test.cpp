// Opsets 1-6 broadcast B only with broadcast = 1, aligned at `axis` of A (Caffe2's exports:
// a bias [C] added at axis 1 of [N, C, H, W]; PRelu's slope of C values); the import aligns B at
// A's end instead. Values worked by hand.
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// x [1, 2, 2, 2] = 0..7 (channel 0: 0 1 2 3, channel 1: 4 5 6 7).
const ir::Tensor kX{{1, 2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7}};

std::vector<float> run(const OnnxBuilder& b) {
  const ir::Graph graph = b.import();
  return golden::run_float(graph, {kX}).at(0).data;
}

}  // namespace

TEST_CASE("legacy broadcast at axis 1: a bias and a scale per channel") {
  OnnxBuilder b(6);
  b.input("x", {1, 2, 2, 2}).output("y", 4);
  b.initializer("bias", {2}, {10, 20}).initializer("scale", {2}, {2, -1});
  b.node("Add", {"x", "bias"}, {"t"}).attr("broadcast", 1).attr("axis", 1);
  b.node("Mul", {"t", "scale"}, {"y"}).attr("broadcast", 1).attr("axis", 1);
  CHECK(run(b) == std::vector<float>{20, 22, 24, 26, -24, -25, -26, -27});
}

TEST_CASE("legacy broadcast: a Constant's B, a shared B, and B aligned at the end") {
  OnnxBuilder b(6);
  b.input("x", {1, 2, 2, 2}).output("y", 4);
  b.node("Constant", {}, {"c"}).attr("value", float_tensor("c", {2}, {1, 2}));
  b.initializer("row", {2}, {100, 200});
  b.node("Sub", {"x", "c"}, {"s"}).attr("broadcast", 1).attr("axis", 1);  // per channel
  b.node("Add", {"s", "c"}, {"t"}).attr("broadcast", 1).attr("axis", 1);  // c again: x
  b.node("Add", {"t", "row"}, {"y"}).attr("broadcast", 1);  // default axis: the columns
  CHECK(run(b) == std::vector<float>{100, 201, 102, 203, 104, 205, 106, 207});
}

TEST_CASE("legacy PRelu: a slope of C values is one per channel") {
  // x - 5: channel 0 is -5 -4 -3 -2 (slope 0.5), channel 1 is -1 0 1 2 (slope 0.25).
  OnnxBuilder b(6);
  b.input("x", {1, 2, 2, 2}).output("y", 4);
  b.initializer("five", {1}, {5}).initializer("slope", {2}, {0.5f, 0.25f});
  b.node("Sub", {"x", "five"}, {"t"}).attr("broadcast", 1);
  b.node("PRelu", {"t", "slope"}, {"y"}, "prelu");
  CHECK(run(b) == std::vector<float>{-2.5f, -2, -1.5f, -1, -0.25f, 0, 1, 2});
}

TEST_CASE("legacy broadcast: what cannot be aligned is one line naming the node") {
  OnnxBuilder computed(6);
  computed.input("x", {1, 2, 2, 2}).input("v", {2}).output("y", 4);
  computed.node("Relu", {"v"}, {"r"});
  computed.node("Add", {"x", "r"}, {"y"}, "bias_add").attr("broadcast", 1).attr("axis", 1);
  CHECK_THAT(import_error(computed),
             Contains("node 'bias_add' (Add): a legacy broadcast (opset 6) of a computed operand "
                      "at axis 1 is not supported; export the model with opset 7 or later"));
  OnnxBuilder twice(6);
  twice.input("x", {1, 2, 2, 2}).output("y", 4).initializer("b", {2}, {1, 2});
  twice.node("Add", {"x", "b"}, {"t"}).attr("broadcast", 1).attr("axis", 1);
  twice.node("Mul", {"t", "b"}, {"y"}, "columns").attr("broadcast", 1).attr("axis", 3);
  CHECK_THAT(import_error(twice), Contains("node 'columns' (Mul): its B 'b' is broadcast at "
                                           "another axis by an earlier node"));
}

}  // namespace pimhls::test
