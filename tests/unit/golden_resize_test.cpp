// Resize and Upsample: nearest upsampling by whole factors becomes an Upsample node whose float
// output repeats each input pixel; downsampling by whole factors a strided slice or a 2-tap
// AveragePool; linear upsampling, other sizes and modes a Resample (a tabled 2x2 or 1x1 window
// per output pixel; values worked by hand from ONNX's interpolation with its edge clamp); cubic
// upsampling by whole factors a polyphase filter (an edge BorderPad, a grouped Conv of the
// phases, an interleaving Upsample), other cubic resizes a one-line error.
#include <algorithm>
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

using Attributes = std::vector<std::pair<const char*, const char*>>;

// x [1, 1, 2, 2] -> Resize(scales 1, 1, 2, 3) -> y, with the given attributes (another input
// shape, node name or operator where given: Upsample before opset 11).
OnnxBuilder resize(int opset, const Attributes& attributes,
                   std::vector<float> scales = {1, 1, 2, 3},
                   std::vector<std::int64_t> in = {1, 1, 2, 2}, const char* name = "up",
                   const char* op = "Resize") {
  OnnxBuilder b(opset);
  b.input("x", std::move(in)).output("y", 4);
  b.initializer("scales", {4}, scales);
  NodeBuilder node = opset >= 11 ? b.node(op, {"x", "", "scales"}, {"y"}, name)
                                 : b.node(op, {"x", "scales"}, {"y"}, name);
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

TEST_CASE("Resize linear by whole factors is one Resample of 2x2 windows") {
  // x = [[1, 2], [3, 4]] by 2 down and 3 across. half_pixel: output o reads input
  // (o + 0.5) / f - 0.5, clamped: columns of [a, b] are a, a, a + (b - a) / 3, a + 2 (b - a) / 3,
  // b, b; rows r0, 0.75 r0 + 0.25 r1, 0.25 r0 + 0.75 r1, r1.
  const std::vector<double> r0 = {1, 1, 4.0 / 3, 5.0 / 3, 2, 2};
  std::vector<double> expected;
  for (const double offset : {0.0, 0.5, 1.5, 2.0})  // r1 = r0 + 2
    for (const double v : r0) expected.push_back(v + offset);
  for (const char* mode : {"half_pixel", "pytorch_half_pixel"}) {
    INFO(mode);
    const ir::Graph graph =
        resize(13, {{"mode", "linear"}, {"coordinate_transformation_mode", mode}}).import();
    REQUIRE(graph.nodes.size() == 1);
    const ir::Node& node = graph.nodes[0];
    CHECK(node.op == ir::Op::Resample);
    CHECK(node.window.kernel_h == 2);
    CHECK(node.window.kernel_w == 2);
    // rows -0.25 0.25 0.75 1.25 clamped to [0, 1]; columns -1/3 0 1/3 2/3 1 4/3
    CHECK(node.resample_rows.first == std::vector<std::int64_t>{0, 0, 0, 1});
    CHECK(node.resample_rows.weight == std::vector<double>{0, 0.25, 0.75, 0});
    CHECK(node.resample_columns.first == std::vector<std::int64_t>{0, 0, 0, 0, 1, 1});
    CHECK(node.resample_columns.weight.at(3) == Approx(2.0 / 3));
    CHECK(graph.shape(node.output) == ir::Dims{1, 1, 4, 6});
    const std::vector<float> y = run(graph);
    REQUIRE(y.size() == expected.size());
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(expected[i]));
  }

  // asymmetric (and Upsample-9's linear): output o reads input o / f: columns a, a + (b - a) / 3,
  // a + 2 (b - a) / 3, b, b, b; rows r0, (r0 + r1) / 2, r1, r1.
  std::vector<double> asymmetric;
  for (const double offset : {0.0, 1.0, 2.0, 2.0})
    for (const double v : {1.0, 4.0 / 3, 5.0 / 3, 2.0, 2.0, 2.0}) asymmetric.push_back(v + offset);
  OnnxBuilder legacy(9);
  legacy.input("x", {1, 1, 2, 2}).output("y", 4);
  legacy.initializer("scales", {4}, {1, 1, 2, 3});
  legacy.node("Upsample", {"x", "scales"}, {"y"}, "up").attr("mode", "linear");
  for (const ir::Graph& graph :
       {resize(13, {{"mode", "linear"}, {"coordinate_transformation_mode", "asymmetric"}}).import(),
        legacy.import()}) {
    REQUIRE(graph.nodes.size() == 1);
    CHECK(graph.nodes[0].op == ir::Op::Resample);
    CHECK(graph.nodes[0].resample_rows.first == std::vector<std::int64_t>{0, 0, 1, 1});
    const std::vector<float> y = run(graph);
    REQUIRE(y.size() == asymmetric.size());
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(asymmetric[i]));
  }
}

TEST_CASE("Resize linear by large factors is still one Resample") {
  // x = [[1, 2], [3, 4]] by 4 down and 5 across (half_pixel; FCN upsamples by 8): one pass of
  // 2x2 windows whatever the factor.
  const ir::Graph graph = resize(13, {{"mode", "linear"}}, {1, 1, 4, 5}).import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].op == ir::Op::Resample);
  CHECK(graph.shape(graph.nodes[0].output) == ir::Dims{1, 1, 8, 10});
  // ONNX's linear interpolation: output o reads input (o + 0.5) / f - 0.5, clamped to [0, 1].
  auto coordinate = [](int o, int f) { return std::clamp((o + 0.5) / f - 0.5, 0.0, 1.0); };
  const std::vector<float> y = run(graph);
  REQUIRE(y.size() == 80);
  for (int oy = 0; oy < 8; ++oy)
    for (int ox = 0; ox < 10; ++ox) {
      const double row = coordinate(oy, 4), column = coordinate(ox, 5);
      const double top = 1 + column, bottom = 3 + column;  // [a, b] rows of x
      CHECK(y[static_cast<std::size_t>(oy * 10 + ox)] == Approx(top + (bottom - top) * row));
    }
}

TEST_CASE("Resize linear with align_corners from n to (n - 1) * f + 1 pixels") {
  // x = [[1, 2], [3, 4]] to 4 x 4: output o reads input o / 3, so columns of [a, b] are a,
  // a + (b - a) / 3, a + 2 (b - a) / 3, b and rows r0, r0 + 2/3, r0 + 4/3, r1 = r0 + 2 (ONNX's
  // resize_upsample_scales_linear_align_corners): first 0 0 0 1, weights 0 1/3 2/3 0.
  const ir::Graph graph =
      resize(13, {{"mode", "linear"}, {"coordinate_transformation_mode", "align_corners"}},
             {1, 1, 2, 2})
          .import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].op == ir::Op::Resample);
  CHECK(graph.nodes[0].resample_rows.first == std::vector<std::int64_t>{0, 0, 0, 1});
  CHECK(graph.nodes[0].resample_rows.weight.at(2) == Approx(2.0 / 3));
  std::vector<double> expected;
  for (const double offset : {0.0, 2.0 / 3, 4.0 / 3, 2.0})
    for (const double v : {1.0, 4.0 / 3, 5.0 / 3, 2.0}) expected.push_back(v + offset);
  const std::vector<float> y = run(graph);
  REQUIRE(y.size() == expected.size());
  for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(expected[i]));
}

TEST_CASE("Resize linear of a single pixel is the nearest upsampling") {
  // DeepLabV3's pooled ASPP branch: [1, 1, 1, 1] to 4 x 6, every output pixel the input one.
  OnnxBuilder b(13);
  b.input("x", {1, 1, 1, 1}).output("y", 4);
  b.initializer("scales", {4}, {1, 1, 4, 6});
  b.node("Resize", {"x", "", "scales"}, {"y"}, "up").attr("mode", "linear");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].op == ir::Op::Upsample);
  CHECK(golden::run_float(graph, {ir::Tensor{{1, 1, 1, 1}, {5}}}).at(0).data ==
        std::vector<float>(24, 5.0f));
}

TEST_CASE("Resize by other sizes is a Resample: a tabled window per output pixel") {
  // Nearest, asymmetric (x = o / f, round_prefer_floor): rows 0 0 1 1, columns 0 0 1 1 1 1
  // (o = 2 reads 0.67 -> 1, o = 5 reads 1.67 -> 2, clamped to 1): a 1x1 window.
  const ir::Graph asymmetric =
      resize(13, {{"coordinate_transformation_mode", "asymmetric"}}).import();
  REQUIRE(asymmetric.nodes.size() == 1);
  const ir::Node& node = asymmetric.nodes[0];
  CHECK(node.op == ir::Op::Resample);
  CHECK(node.window.kernel_h == 1);
  CHECK(node.window.kernel_w == 1);
  CHECK(node.resample_rows.first == std::vector<std::int64_t>{0, 0, 1, 1});
  CHECK(node.resample_columns.first == std::vector<std::int64_t>{0, 0, 1, 1, 1, 1});
  const std::vector<float> top = {1, 1, 2, 2, 2, 2}, bottom = {3, 3, 4, 4, 4, 4};
  std::vector<float> expected;
  for (const auto* row : {&top, &top, &bottom, &bottom})
    expected.insert(expected.end(), row->begin(), row->end());
  CHECK(run(asymmetric) == expected);
  // half_pixel with nearest_mode ceil: rows -0.25 0.25 0.75 1.25 -> 0 1 1 1 (clamped), columns
  // -0.33 0 0.33 0.67 1 1.33 -> 0 0 1 1 1 1.
  expected.clear();
  for (const auto* row : {&top, &bottom, &bottom, &bottom})
    expected.insert(expected.end(), row->begin(), row->end());
  CHECK(run(resize(13, {{"nearest_mode", "ceil"}}).import()) == expected);
  // Rows from 2 to 3 (scale 1.5, half_pixel): -0.17 0.5 1.17 -> 0 0 (prefer floor) 1.
  CHECK(run(resize(13, {}, {1, 1, 1.5f, 1}).import()) == std::vector<float>{1, 2, 1, 2, 3, 4});
}

TEST_CASE("Resize linear with align_corners from n to 2n is a Resample of 2x2 windows") {
  // From 3 to 6: output o reads input 2o / 5 = 0 0.4 0.8 1.2 1.6 2 (first 0 0 0 1 1 2, weight of
  // the next 0 .4 .8 .2 .6 0); on x(y, x) = 3y + x the output is 3 * 0.4 oy + 0.4 ox.
  OnnxBuilder corners(13);
  corners.input("x", {1, 1, 3, 3}).output("y", 4);
  corners.initializer("scales", {4}, {1, 1, 2, 2});
  corners.node("Resize", {"x", "", "scales"}, {"y"}, "up")
      .attr("mode", "linear")
      .attr("coordinate_transformation_mode", "align_corners");
  const ir::Graph graph = corners.import();
  REQUIRE(graph.nodes.size() == 1);
  const ir::Node& node = graph.nodes[0];
  CHECK(node.op == ir::Op::Resample);
  CHECK(node.window.kernel_h == 2);
  CHECK(node.window.kernel_w == 2);
  CHECK(node.resample_rows.first == std::vector<std::int64_t>{0, 0, 0, 1, 1, 2});
  const std::vector<double> weights = {0, 0.4, 0.8, 0.2, 0.6, 0};
  for (std::size_t o = 0; o < weights.size(); ++o)
    CHECK(node.resample_columns.weight.at(o) == Approx(weights[o]));
  std::vector<float> x(9);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  const std::vector<float> y = golden::run_float(graph, {ir::Tensor{{1, 1, 3, 3}, x}}).at(0).data;
  REQUIRE(y.size() == 36);
  for (std::size_t i = 0; i < y.size(); ++i)
    CHECK(y[i] == Approx(3 * 0.4 * static_cast<double>(i / 6) + 0.4 * static_cast<double>(i % 6)));
}

TEST_CASE("Resize cubic by whole factors is a polyphase filter on the arrays") {
  // Rows by 3 (half_pixel, a = -0.75): output 3q + p reads input rows q - 2 .. q + 2 (the edge
  // row past the edges) with, by ONNX's cubic kernel W at the distances from x = q + (p - 1) / 3,
  // phase 0: W(5/3), W(2/3), W(1/3), W(4/3), 0 = -1/18, 10/27, 43/54, -1/9, 0; phase 1: row q
  // alone; phase 2: phase 0 mirrored. Columns by 1: column x alone.
  const ir::Graph graph =
      resize(13, {{"mode", "cubic"}, {"coordinate_transformation_mode", "pytorch_half_pixel"}},
             {1, 1, 3, 1})
          .import();
  REQUIRE(graph.nodes.size() == 3);
  const ir::Node &pad = graph.nodes[0], &conv = graph.nodes[1], &interleave = graph.nodes[2];
  CHECK(pad.op == ir::Op::BorderPad);
  CHECK(pad.window.border == ir::Border::Edge);
  CHECK(std::vector<std::int64_t>{pad.window.pad_top, pad.window.pad_bottom, pad.window.pad_left,
                                  pad.window.pad_right} == std::vector<std::int64_t>{2, 2, 0, 0});
  CHECK(conv.op == ir::Op::Conv);
  CHECK(conv.weight.shape == ir::Dims{3, 1, 5, 1});
  const std::vector<double> phase0{-1.0 / 18, 10.0 / 27, 43.0 / 54, -1.0 / 9, 0};
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(conv.weight.data[k] == Approx(phase0[k]));
    CHECK(conv.weight.data[5 + k] == (k == 2 ? 1.0f : 0.0f));
    CHECK(conv.weight.data[10 + k] == Approx(phase0[4 - k]));
  }
  CHECK(interleave.op == ir::Op::Upsample);
  CHECK(interleave.window.upsample_h == 3);
  CHECK(interleave.window.upsample_w == 1);
  CHECK(interleave.source_channels == std::vector<std::int64_t>{0, 1, 2});
  // Worked by hand from the weights above (PyTorch's bicubic gives the same), in 54ths.
  const std::vector<double> expected{42, 96, 54, 108, 88, 142, 128, 182, 162, 216, 174, 228};
  const std::vector<float> y = run(graph);
  REQUIRE(y.size() == expected.size());
  for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] * 54 == Approx(expected[i]));

  // By 1 x 1: the input itself.
  CHECK(resize(13, {{"mode", "cubic"}}, {1, 1, 1, 1}).import().nodes.empty());

  // Two channels by 2 x 2: one group of 4 phases per channel, channel c's phases c * 4 + k.
  const ir::Graph grouped = resize(13, {{"mode", "cubic"}}, {1, 1, 2, 2}, {1, 2, 3, 3}).import();
  REQUIRE(grouped.nodes.size() == 3);
  CHECK(grouped.nodes[1].window.group == 2);
  // (phase 0 reads rows q - 2 .. q + 1, phase 1 rows q - 1 .. q + 2: 5 taps in all)
  CHECK(grouped.nodes[1].weight.shape == ir::Dims{8, 1, 5, 5});
  CHECK(grouped.nodes[2].source_channels == std::vector<std::int64_t>{0, 4, 1, 5, 2, 6, 3, 7});
  CHECK(grouped.shape(grouped.outputs[0]) == ir::Dims{1, 2, 6, 6});
}

TEST_CASE("Resize that pimhls cannot run is a one-line error") {
  CHECK_THAT(import_error(resize(13, {{"mode", "cubic"}}, {1, 1, 0.5f, 1}, {1, 1, 4, 4})),
             Contains("node 'up' (Resize): cubic resize of 1x1x4x4 to 1x1x2x4 with "
                      "coordinate_transformation_mode 'half_pixel' is not supported; only "
                      "upsampling by whole factors"));
  CHECK_THAT(import_error(resize(
                 13, {{"mode", "cubic"}, {"coordinate_transformation_mode", "align_corners"}})),
             Contains("with coordinate_transformation_mode 'align_corners' is not supported"));
  OnnxBuilder outside = resize(13, {{"mode", "cubic"}});
  onnx::AttributeProto& exclude = *outside.graph().mutable_node(0)->add_attribute();
  exclude.set_name("exclude_outside");
  exclude.set_type(onnx::AttributeProto::INT);
  exclude.set_i(1);
  CHECK_THAT(import_error(outside),
             Contains("attribute 'exclude_outside' = 1 in cubic mode is not supported"));
  CHECK_THAT(
      import_error(resize(9, {{"mode", "cubic"}}, {1, 1, 2, 2}, {1, 1, 2, 2}, "up", "Upsample")),
      Contains("mode 'cubic' needs Resize from opset 11"));
  CHECK_THAT(import_error(resize(13, {{"mode", "area"}})),
             Contains("node 'up' (Resize): attribute 'mode' = 'area' is not supported"));
  CHECK_THAT(import_error(resize(13, {}, {1, 1, 1e30f, 1})),
             Contains("scale 1e+30 of axis 2 is not a positive factor pimhls can hold"));
  CHECK_THAT(import_error(resize(13, {}, {1, 2, 1, 1})),
             Contains("resizes the batch or channel axis (1x1x2x2 to 1x2x2x2)"));
  CHECK_THAT(import_error(resize(13, {{"coordinate_transformation_mode", "tf_crop_and_resize"}})),
             Contains("'tf_crop_and_resize' is not supported"));
}

namespace {

// x [1, 1, 4, 6] = 0 .. 23 -> Resize(scales) with the given attributes.
std::vector<float> run_down(const OnnxBuilder& b, ir::Op op, const ir::Dims& shape) {
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].op == op);
  CHECK(graph.shape(graph.nodes[0].output) == shape);
  std::vector<float> x(24);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  return golden::run_float(graph, {ir::Tensor{{1, 1, 4, 6}, x}}).at(0).data;
}

// x [1, 1, 4, 6] (0 .. 23 in run_down) -> Resize(scales), or Upsample before opset 11.
OnnxBuilder down(int opset, const Attributes& attributes, std::vector<float> scales) {
  return resize(opset, attributes, std::move(scales), {1, 1, 4, 6}, "down",
                opset >= 11 ? "Resize" : "Upsample");
}

}  // namespace

TEST_CASE("Resize nearest by 1/k reads every k-th pixel: a strided slice") {
  // half_pixel maps output o to 2o + 0.5: round_prefer_floor reads 2o (rows 0, 2; columns 0,
  // 2, 4), round_prefer_ceil 2o + 1; asymmetric with floor (Upsample, PyTorch) reads 2o.
  const std::vector<float> even = {0, 2, 4, 12, 14, 16};
  const ir::Dims half{1, 1, 2, 3};
  CHECK(run_down(down(13, {}, {1, 1, 0.5f, 0.5f}), ir::Op::MaxPool, half) == even);
  CHECK(run_down(down(13, {{"nearest_mode", "round_prefer_ceil"}}, {1, 1, 0.5f, 0.5f}),
                 ir::Op::MaxPool, half) == std::vector<float>{7, 9, 11, 19, 21, 23});
  CHECK(run_down(down(9, {}, {1, 1, 0.5f, 0.5f}), ir::Op::MaxPool, half) == even);
  CHECK(run_down(
            down(13, {{"coordinate_transformation_mode", "asymmetric"}, {"nearest_mode", "floor"}},
                 {1, 1, 0.5f, 0.5f}),
            ir::Op::MaxPool, half) == even);
}

TEST_CASE("Resize linear by 1/k: the mean of two neighbours at even k, one pixel at odd k") {
  // pytorch_half_pixel by 1/2: output o reads 2o + 0.5, the mean of pixels 2o and 2o + 1 on
  // both axes: (0 + 1 + 6 + 7) / 4 = 3.5, ...
  const OnnxBuilder halves =
      down(13, {{"mode", "linear"}, {"coordinate_transformation_mode", "pytorch_half_pixel"}},
           {1, 1, 0.5f, 0.5f});
  CHECK(run_down(halves, ir::Op::AveragePool, {1, 1, 2, 3}) ==
        std::vector<float>{3.5f, 5.5f, 7.5f, 15.5f, 17.5f, 19.5f});
  // By 1/3 along the columns only: 3o + 1 exactly (a float 1/3 is not quite), columns 1 and 4.
  CHECK(run_down(down(13, {{"mode", "linear"}}, {1, 1, 1, 1.0f / 3}), ir::Op::MaxPool,
                 {1, 1, 4, 2}) == std::vector<float>{1, 4, 7, 10, 13, 16, 19, 22});
  // Rows by 1/4 (half_pixel: 4o + 1.5, the mean of rows 1 and 2: a window starting inside the
  // map, pad -1) and columns by 1/2 (the means of 0 and 1, 2 and 3, 4 and 5).
  const ir::Graph quarter = down(13, {{"mode", "linear"}}, {1, 1, 0.25f, 0.5f}).import();
  CHECK(quarter.nodes.at(0).window.pad_top == -1);
  std::vector<float> x(24);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  CHECK(golden::run_float(quarter, {ir::Tensor{{1, 1, 4, 6}, x}}).at(0).data ==
        std::vector<float>{9.5f, 11.5f, 13.5f});
  // Rows by 1/2 (the mean of rows 2o and 2o + 1), columns kept.
  CHECK(run_down(down(13, {{"mode", "linear"}}, {1, 1, 0.5f, 1}), ir::Op::AveragePool,
                 {1, 1, 2, 6}) == std::vector<float>{3, 4, 5, 6, 7, 8, 15, 16, 17, 18, 19, 20});
}

TEST_CASE("Resize downsampling by other factors is a Resample") {
  // Rows from 4 to 3 (scale 0.75, half_pixel): 0.17 1.5 2.83 -> rows 0 1 (prefer floor) 3.
  std::vector<float> rows_013(18);
  for (std::size_t i = 0; i < 18; ++i) rows_013[i] = static_cast<float>(i < 12 ? i : i + 6);
  CHECK(run_down(down(13, {}, {1, 1, 0.75f, 1}), ir::Op::Resample, {1, 1, 3, 6}) == rows_013);
  // align_corners from 4 to 2 rows reads rows 0 and 3 (3o), whole: a 1x1 window.
  std::vector<float> rows_03(12);
  for (std::size_t i = 0; i < 12; ++i) rows_03[i] = static_cast<float>(i < 6 ? i : i + 12);
  const OnnxBuilder corners =
      down(13, {{"mode", "linear"}, {"coordinate_transformation_mode", "align_corners"}},
           {1, 1, 0.5f, 1});
  CHECK(run_down(corners, ir::Op::Resample, {1, 1, 2, 6}) == rows_03);
  CHECK(corners.import().nodes.at(0).window.kernel_h == 1);
  // Rows halved (2o + 0.5 -> 2o) while columns double (o / 2 - 0.25 -> o / 2).
  std::vector<float> mixed;
  for (float row : {0.0f, 12.0f})
    for (int o = 0; o < 12; ++o) mixed.push_back(row + static_cast<float>(o / 2));
  CHECK(run_down(down(13, {}, {1, 1, 0.5f, 2}), ir::Op::Resample, {1, 1, 2, 12}) == mixed);
}

}  // namespace pimhls::test
