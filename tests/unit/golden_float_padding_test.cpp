// Imported ONNX graphs with Pad, Max and Min, run by the float reference: the values ONNX
// defines, computed by hand (Pad then a 1x1 identity Conv is the padded tensor itself).
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "golden_float_graphs.h"
#include "onnx_builder.h"

using namespace pimhls;
using test::tensor;

TEST_CASE("Pad then Conv computes the zero-padded tensor's convolution") {
  test::OnnxBuilder b(13);
  b.input("x", {1, 1, 2, 2}).output("y", 4);
  b.int_initializer("pads", {8}, {0, 0, 1, 0, 0, 0, 0, 2});  // one row on top, two columns right
  b.initializer("w", {1, 1, 1, 1}, {1.0f});
  b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  b.node("Conv", {"p", "w"}, {"y"}, "conv");
  const ir::Graph graph = b.import();
  const std::vector<ir::Tensor> out =
      golden::run_float(graph, {tensor({1, 1, 2, 2}, {1, 2, 3, 4})});
  REQUIRE(out.size() == 1);
  CHECK(out[0].shape == ir::Dims{1, 1, 3, 4});
  CHECK(out[0].data == std::vector<float>{0, 0, 0, 0,  //
                                          1, 2, 0, 0,  //
                                          3, 4, 0, 0});
}

TEST_CASE("Pad then AveragePool divides by the whole window, zeros included") {
  test::OnnxBuilder b(13);
  b.input("x", {1, 1, 2, 2}).output("y", 4);
  b.int_initializer("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
  b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  b.node("AveragePool", {"p"}, {"y"}, "pool")
      .attr("kernel_shape", std::vector<std::int64_t>{2, 2})
      .attr("strides", std::vector<std::int64_t>{2, 2});
  const ir::Graph graph = b.import();
  // each 2x2 window of the 4x4 padded tensor holds one value and three zeros
  const std::vector<ir::Tensor> out =
      golden::run_float(graph, {tensor({1, 1, 2, 2}, {4, 8, 12, 16})});
  CHECK(out[0].data == std::vector<float>{1, 2, 3, 4});
}

TEST_CASE("Max(x, 0) then Min(., 6) is ReLU6") {
  test::OnnxBuilder b(13);
  b.input("x", {1, 1, 1, 4}).output("y", 4);
  b.initializer("w", {1, 1, 1, 1}, {2.0f});
  b.initializer("zero", {}, {0.0f});
  b.initializer("six", {}, {6.0f});
  b.node("Conv", {"x", "w"}, {"c"}, "conv");
  b.node("Max", {"c", "zero"}, {"m"}, "max");
  b.node("Min", {"m", "six"}, {"y"}, "min");
  const ir::Graph graph = b.import();
  const std::vector<ir::Tensor> out =
      golden::run_float(graph, {tensor({1, 1, 1, 4}, {-1.0f, 0.5f, 2.5f, 4.0f})});
  CHECK(out[0].data == std::vector<float>{0.0f, 1.0f, 5.0f, 6.0f});
}
