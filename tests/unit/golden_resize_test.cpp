// Resize and Upsample: nearest upsampling by whole factors becomes an Upsample node whose float
// output repeats each input pixel (values worked by hand); the coordinate modes that map output
// pixels otherwise, linear modes, downsampling and fractional sizes are one-line errors.
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// x [1, 1, 2, 2] -> Resize(scales 1, 1, 2, 3) -> y, with the given attributes.
OnnxBuilder resize(int opset, const std::vector<std::pair<const char*, const char*>>& attributes,
                   std::vector<float> scales = {1, 1, 2, 3}) {
  OnnxBuilder b(opset);
  b.input("x", {1, 1, 2, 2}).output("y", 4);
  b.initializer("scales", {4}, scales);
  NodeBuilder node = opset >= 11 ? b.node("Resize", {"x", "", "scales"}, {"y"}, "up")
                                 : b.node("Resize", {"x", "scales"}, {"y"}, "up");
  for (const auto& [name, value] : attributes) node.attr(name, value);
  return b;
}

std::vector<float> run(const ir::Graph& graph) {
  const ir::Tensor x{{1, 1, 2, 2}, {1, 2, 3, 4}};
  return golden::run_float(graph, {x}).at(0).data;
}

}  // namespace

TEST_CASE("Resize nearest by whole factors is an Upsample that repeats every pixel") {
  // Each input pixel twice down and three times across.
  const std::vector<float> expected = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                                       3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4};
  for (const auto& [opset, attributes] :
       std::vector<std::pair<int, std::vector<std::pair<const char*, const char*>>>>{
           {13, {}},  // half_pixel, round_prefer_floor
           {13, {{"coordinate_transformation_mode", "asymmetric"}, {"nearest_mode", "floor"}}},
           {13, {{"coordinate_transformation_mode", "pytorch_half_pixel"}}},
           {13, {{"nearest_mode", "round_prefer_ceil"}}},
           {10, {}}}) {
    INFO("opset " << opset << ", " << attributes.size() << " attribute(s)");
    const ir::Graph graph = resize(opset, attributes).import();
    REQUIRE(graph.nodes.size() == 1);
    const ir::Node& node = graph.nodes[0];
    CHECK(node.op == ir::Op::Upsample);
    CHECK(node.window.upsample_h == 2);
    CHECK(node.window.upsample_w == 3);
    CHECK(graph.shape(node.output) == ir::Dims{1, 1, 4, 6});
    CHECK(run(graph) == expected);
  }
}

TEST_CASE("Resize with sizes and the legacy Upsample operator") {
  OnnxBuilder sized(13);
  sized.input("x", {1, 1, 2, 2}).output("y", 4);
  sized.int_initializer("sizes", {4}, {1, 1, 6, 2});
  sized.node("Resize", {"x", "", "", "sizes"}, {"y"}, "up");
  const ir::Graph graph = sized.import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].window.upsample_h == 3);
  CHECK(graph.nodes[0].window.upsample_w == 1);
  CHECK(run(graph) == std::vector<float>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4});

  OnnxBuilder legacy(9);
  legacy.input("x", {1, 1, 2, 2}).output("y", 4);
  legacy.initializer("scales", {4}, {1, 1, 2, 2});
  legacy.node("Upsample", {"x", "scales"}, {"y"}, "up");
  CHECK(run(legacy.import()) == std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});

  // Scales of 1: no node, the output is the input.
  CHECK(resize(13, {}, {1, 1, 1, 1}).import().nodes.empty());
}

TEST_CASE("Resize that does not repeat whole pixels is a one-line error") {
  CHECK_THAT(import_error(resize(13, {{"mode", "linear"}})),
             Contains("node 'up' (Resize): attribute 'mode' = 'linear' is not supported"));
  // asymmetric with rounding: output column 2 of a 3x upsampling reads input 2 / 3 -> 1.
  CHECK_THAT(import_error(resize(13, {{"coordinate_transformation_mode", "asymmetric"}})),
             Contains("maps output column 2 to input column 1, not 0"));
  CHECK_THAT(import_error(resize(13, {{"nearest_mode", "ceil"}})),
             Contains("nearest_mode 'ceil' maps output row 1 to input row 1, not 0"));
  CHECK_THAT(import_error(resize(13, {}, {1, 1, 0.5f, 1})),
             Contains("resizes row from 2 to 1; only upsampling by whole factors"));
  CHECK_THAT(import_error(resize(13, {}, {1, 1, 1.5f, 1})),
             Contains("resizes row from 2 to 3; only upsampling by whole factors"));
  CHECK_THAT(import_error(resize(13, {}, {1, 1, 1e30f, 1})),
             Contains("scale 1e+30 of axis 2 is not a positive factor pimhls can hold"));
  CHECK_THAT(import_error(resize(13, {}, {1, 2, 1, 1})),
             Contains("resizes the batch or channel axis (1x1x2x2 to 1x2x2x2)"));
  CHECK_THAT(import_error(resize(13, {{"coordinate_transformation_mode", "tf_crop_and_resize"}})),
             Contains("'tf_crop_and_resize' is not supported"));
}

}  // namespace pimhls::test
