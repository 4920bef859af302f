// 1-D networks ([N, C, L] maps): each node on them is imported as its 2-D form on [N, C, 1, L];
// the expected windows, weights and shapes are worked out by hand from the ONNX definitions.
// (Numerics against PyTorch: tests/data/torch_keyword_spotter_*, torch_temporal_block_*.)
#include <catch2/catch.hpp>

#include "onnx_builder.h"

namespace pimhls::test {
namespace {

int count_nodes(const ir::Graph& graph, ir::Op op) {
  return static_cast<int>(std::count_if(graph.nodes.begin(), graph.nodes.end(),
                                        [&](const ir::Node& node) { return node.op == op; }));
}

// Graph input "in" of `shape` [1, C, L] through a 1x1 Conv1d of identity weights: "x", a map
// made in 2-D. (Only spatial nodes take a graph input of rank 3 for a map; after them, any node
// does. An [N, T, D] sequence into Gemm stays 3-D.)
OnnxBuilder& line_map_input(OnnxBuilder& b, const ir::Dims& shape) {
  const std::int64_t channels = shape.at(1);
  std::vector<float> identity(static_cast<std::size_t>(channels * channels), 0.0f);
  for (std::int64_t c = 0; c < channels; ++c)
    identity[static_cast<std::size_t>(c * channels + c)] = 1.0f;
  b.input("in", shape).initializer("identity", {channels, channels, 1}, identity);
  b.node("Conv", {"in", "identity"}, {"x"}, "identity");
  return b;
}

TEST_CASE("a Conv1d, ReLU and MaxPool1d chain is a Conv2d and a pool over one row") {
  OnnxBuilder b;
  b.input("x", {1, 2, 7}).output("y", 3);
  b.initializer("w", {3, 2, 3}, ramp(18)).initializer("bias", {3}, {0.5f, -1.0f, 2.0f});
  b.node("Conv", {"x", "w", "bias"}, {"c"}, "conv")
      .attr("kernel_shape", std::vector<std::int64_t>{3})
      .attr("strides", std::vector<std::int64_t>{2})
      .attr("pads", std::vector<std::int64_t>{1, 2})
      .attr("dilations", std::vector<std::int64_t>{1});
  b.node("Relu", {"c"}, {"r"}, "relu");
  b.node("MaxPool", {"r"}, {"y"}, "pool")
      .attr("kernel_shape", std::vector<std::int64_t>{2})
      .attr("strides", std::vector<std::int64_t>{2});
  const ir::Graph g = b.import();

  const ir::Node* conv = find_node(g, ir::Op::Conv);
  REQUIRE(conv);
  const ir::Window& w = conv->window;
  CHECK(std::vector<std::int64_t>{w.kernel_h, w.kernel_w, w.stride_h, w.stride_w} ==
        std::vector<std::int64_t>{1, 3, 1, 2});
  CHECK(std::vector<std::int64_t>{w.pad_top, w.pad_left, w.pad_bottom, w.pad_right} ==
        std::vector<std::int64_t>{0, 1, 0, 2});
  CHECK(conv->weight.shape == ir::Dims{3, 2, 1, 3});
  CHECK(conv->weight.data == ramp(18));  // the same order: [K, C, k] is [K, C, 1, k]
  CHECK(conv->activation.kind == ir::Activation::Kind::Relu);  // fused through the views
  // Length (7 + 1 + 2 - 3) / 2 + 1 = 4, pooled to 2.
  CHECK(g.shape(conv->output) == ir::Dims{1, 3, 1, 4});
  const ir::Node* pool = find_node(g, ir::Op::MaxPool);
  REQUIRE(pool);
  CHECK(pool->inputs.at(0) == conv->output);
  CHECK(std::vector<std::int64_t>{pool->window.kernel_h, pool->window.kernel_w} ==
        std::vector<std::int64_t>{1, 2});
  CHECK(g.shape(pool->output) == ir::Dims{1, 3, 1, 2});
  // Two views remain: the graph input as a row, the pooled row as the [N, C, L] output.
  CHECK(count_nodes(g, ir::Op::Reshape) == 2);
  REQUIRE(g.outputs.size() == 1);
  CHECK(g.shape(g.outputs[0]) == ir::Dims{1, 3, 2});
  CHECK(g.value(g.outputs[0]).name == "y");
}

TEST_CASE("Pad of the length and a per-channel constant gain a row axis") {
  OnnxBuilder b;
  b.input("x", {1, 2, 5}).output("y", 3);
  b.int_initializer("pads", {6}, {0, 0, 2, 0, 0, 1});
  b.initializer("w", {2, 2, 3}, ramp(12)).initializer("scale", {2, 1}, {2.0f, 3.0f});
  b.node("Pad", {"x", "pads"}, {"p"}, "pad");
  b.node("Conv", {"p", "w"}, {"c"}, "conv");
  b.node("Add", {"c", "scale"}, {"y"}, "add");  // [2, 1] against [1, 2, L]: one per channel
  const ir::Graph g = b.import();
  const ir::Node* conv = find_node(g, ir::Op::Conv);
  REQUIRE(conv);
  CHECK(std::vector<std::int64_t>{conv->window.pad_top, conv->window.pad_left,
                                  conv->window.pad_bottom,
                                  conv->window.pad_right} == std::vector<std::int64_t>{0, 2, 0, 1});
  CHECK(g.shape(conv->output) == ir::Dims{1, 2, 1, 6});  // 5 + 3 - 3 + 1
  // The Add's constant broadcasts per channel over the Conv's row: it joins the Conv's bias.
  CHECK_FALSE(find_node(g, ir::Op::Add));
  CHECK(conv->bias.data == std::vector<float>{2.0f, 3.0f});
  CHECK(g.shape(g.outputs.at(0)) == ir::Dims{1, 2, 6});
}

TEST_CASE("axes of a 1-D map: Softmax, ReduceMean over the length, Slice without axes") {
  SECTION("Softmax over the length keeps its axis as the 2-D form's last") {
    OnnxBuilder b;
    line_map_input(b, {1, 4, 6}).output("y", 3);
    b.node("Softmax", {"x"}, {"y"}, "softmax").attr("axis", 2);
    const ir::Graph g = b.import();
    const ir::Node* softmax = find_node(g, ir::Op::Softmax);
    REQUIRE(softmax);
    CHECK(softmax->axis == 3);
    CHECK(g.shape(softmax->output) == ir::Dims{1, 4, 1, 6});
  }
  SECTION("ReduceMean over the length is the global average of the row") {
    OnnxBuilder b;
    line_map_input(b, {1, 4, 6}).output("y", 2);
    b.node("ReduceMean", {"x"}, {"y"}, "mean")
        .attr("axes", std::vector<std::int64_t>{-1})
        .attr("keepdims", 0);
    const ir::Graph g = b.import();
    REQUIRE(find_node(g, ir::Op::GlobalAveragePool));
    CHECK(g.shape(g.outputs.at(0)) == ir::Dims{1, 4});
  }
  SECTION("Slice with starts for every axis and no axes: every other step from 1") {
    OnnxBuilder b;
    line_map_input(b, {1, 4, 7}).output("y", 3);
    b.int_initializer("starts", {3}, {0, 0, 1}).int_initializer("ends", {3}, {1, 4, 7});
    b.int_initializer("steps", {3}, {1, 1, 2});
    b.node("Slice", {"x", "starts", "ends", "", "steps"}, {"y"}, "slice");
    const ir::Graph g = b.import();
    CHECK(g.shape(g.outputs.at(0)) == ir::Dims{1, 4, 3});  // elements 1, 3, 5
    const ir::Node* crop = find_node(g, ir::Op::MaxPool);
    REQUIRE(crop);
    CHECK(std::vector<std::int64_t>{crop->window.stride_h, crop->window.stride_w,
                                    crop->window.pad_left} == std::vector<std::int64_t>{1, 2, -1});
  }
}

TEST_CASE("a 1-D node the 2-D form cannot take fails naming the node") {
  OnnxBuilder b;
  b.input("x", {1, 2, 7}).output("y", 3);
  b.initializer("w", {3, 2, 3}, ramp(18));
  b.node("Conv", {"x", "w"}, {"y"}, "conv").attr("kernel_shape", std::vector<std::int64_t>{4});
  const std::string message = import_error(b);
  CHECK_THAT(message, Catch::Contains("node 'conv' (Conv)"));
  CHECK_THAT(message, Catch::Contains("kernel_shape"));
}

}  // namespace
}  // namespace pimhls::test
