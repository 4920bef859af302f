// Pools over the channels of a map written on its view [N, 1, C, ...] (PyTorch's
// nn.LocalResponseNorm): one 1x1 Conv whose weights, worked out by hand here, are each output
// channel's window of input channels times 1 / divisor.
#include <catch2/catch.hpp>

#include "onnx_builder.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// x -> Relu -> Unsqueeze(1) -> Pad of `before` and `after` zeros on axis 2 (when any) -> pool
// `op` with the attributes given (empty: absent) -> Squeeze(1) -> y. (The Relu makes the map a
// computed one: a 4-D view of a graph input [N, H, W] is an image.)
OnnxBuilder channel_pool(const ir::Dims& x, std::int64_t before, std::int64_t after,
                         const std::vector<std::int64_t>& kernel,
                         const std::vector<std::int64_t>& strides = {},
                         const std::vector<std::int64_t>& pads = {}, int count_include_pad = 0,
                         const char* op = "AveragePool") {
  const auto rank = x.size() + 1;
  OnnxBuilder b;
  b.input("x", x).output("y", x.size());
  b.int_initializer("axis1", {1}, {1});
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Unsqueeze", {"r", "axis1"}, {"u"}, "unsqueeze");
  std::string pooled = "u";
  if (before + after > 0) {
    std::vector<std::int64_t> zeros(2 * rank, 0);
    zeros[2] = before;
    zeros[rank + 2] = after;
    b.int_initializer("pads", {static_cast<std::int64_t>(2 * rank)}, zeros);
    b.node("Pad", {"u", "pads"}, {"padded"}, "pad");
    pooled = "padded";
  }
  auto pool = b.node(op, {pooled}, {"q"}, "pool");
  pool.attr("kernel_shape", kernel);
  if (!strides.empty()) pool.attr("strides", strides);
  if (!pads.empty()) pool.attr("pads", pads);
  if (count_include_pad) pool.attr("count_include_pad", count_include_pad);
  b.node("Squeeze", {"q", "axis1"}, {"y"}, "squeeze");
  return b;
}

// The Conv after the Relu, all of the import, its weights as rows of output channels.
std::vector<std::vector<float>> conv_rows(const ir::Graph& graph, std::int64_t outputs,
                                          std::int64_t channels) {
  REQUIRE(graph.nodes.size() == 2);
  const ir::Node& conv = graph.nodes[1];
  REQUIRE(conv.op == ir::Op::Conv);
  CHECK(conv.inputs == std::vector<ir::ValueId>{graph.nodes[0].output});
  CHECK(graph.outputs == std::vector<ir::ValueId>{conv.output});
  REQUIRE(conv.weight.shape == ir::Dims{outputs, channels, 1, 1});
  CHECK(conv.bias.data == std::vector<float>(static_cast<std::size_t>(outputs), 0.0f));
  std::vector<std::vector<float>> rows;
  for (std::int64_t o = 0; o < outputs; ++o)
    rows.emplace_back(conv.weight.data.begin() + o * channels,
                      conv.weight.data.begin() + (o + 1) * channels);
  return rows;
}

const float third = 1.0f / 3.0f, quarter = 0.25f, half = 0.5f;

TEST_CASE("a channel window as nn.LocalResponseNorm writes it: one 1x1 Conv") {
  SECTION("size 3: one zero before, one after (PyTorch: size // 2, (size - 1) // 2)") {
    const ir::Graph graph = channel_pool({1, 4, 2, 2}, 1, 1, {3, 1, 1}).import();
    CHECK(conv_rows(graph, 4, 4) == std::vector<std::vector<float>>{{third, third, 0, 0},
                                                                    {third, third, third, 0},
                                                                    {0, third, third, third},
                                                                    {0, 0, third, third}});
  }
  SECTION("size 4: two before, one after") {
    const ir::Graph graph = channel_pool({1, 4, 2, 2}, 2, 1, {4, 1, 1}).import();
    CHECK(conv_rows(graph, 4, 4) ==
          std::vector<std::vector<float>>{{quarter, quarter, 0, 0},
                                          {quarter, quarter, quarter, 0},
                                          {quarter, quarter, quarter, quarter},
                                          {0, quarter, quarter, quarter}});
  }
  SECTION("[N, C, L] viewed as [N, 1, C, L]: the Conv reads its map [N, C, 1, L]") {
    const ir::Graph graph = channel_pool({1, 4, 5}, 1, 1, {3, 1}).import();
    // Relu, Reshape to the map, Conv, Reshape of its output to the graph's [N, C, L].
    REQUIRE(graph.nodes.size() == 4);
    CHECK(graph.nodes[1].op == ir::Op::Reshape);
    CHECK(graph.nodes[1].inputs == std::vector<ir::ValueId>{graph.nodes[0].output});
    CHECK(graph.shape(graph.nodes[1].output) == ir::Dims{1, 4, 1, 5});
    const ir::Node& conv = graph.nodes[2];
    REQUIRE(conv.op == ir::Op::Conv);
    CHECK(conv.inputs == std::vector<ir::ValueId>{graph.nodes[1].output});
    CHECK(conv.weight.data[1 * 4 + 0] == third);
    CHECK(conv.weight.data[0 * 4 + 2] == 0.0f);
    CHECK(graph.nodes[3].op == ir::Op::Reshape);
    CHECK(graph.nodes[3].inputs == std::vector<ir::ValueId>{conv.output});
    CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 4, 5});
  }
}

TEST_CASE("a channel window's own pads, count_include_pad and strides") {
  SECTION("pads of the pool, not counted: the edges divide by 2") {
    const ir::Graph graph =
        channel_pool({1, 4, 2, 2}, 0, 0, {3, 1, 1}, {}, {1, 0, 0, 1, 0, 0}).import();
    CHECK(conv_rows(graph, 4, 4) == std::vector<std::vector<float>>{{half, half, 0, 0},
                                                                    {third, third, third, 0},
                                                                    {0, third, third, third},
                                                                    {0, 0, half, half}});
  }
  SECTION("counted: a third everywhere") {
    const ir::Graph graph =
        channel_pool({1, 4, 2, 2}, 0, 0, {3, 1, 1}, {}, {1, 0, 0, 1, 0, 0}, 1).import();
    CHECK(conv_rows(graph, 4, 4)[0] == std::vector<float>{third, third, 0, 0});
  }
  SECTION("stride 2, kernel 2: channel pairs") {
    const ir::Graph graph = channel_pool({1, 4, 2, 2}, 0, 0, {2, 1, 1}, {2, 1, 1}).import();
    CHECK(conv_rows(graph, 2, 4) ==
          std::vector<std::vector<float>>{{half, half, 0, 0}, {0, 0, half, half}});
    CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 2, 2, 2});
  }
}

TEST_CASE("a 4-D view padded on its last axis too, or pooled with auto_pad, stays spatial") {
  for (const bool auto_pad : {false, true}) {
    OnnxBuilder b;
    b.input("x", {1, 4, 5}).output("y", 4);
    b.int_initializer("axis1", {1}, {1});
    b.int_initializer("pads", {8}, {0, 0, 1, auto_pad ? 0 : 1, 0, 0, 1, auto_pad ? 0 : 1});
    b.node("Relu", {"x"}, {"r"}, "relu");
    b.node("Unsqueeze", {"r", "axis1"}, {"u"}, "unsqueeze");
    b.node("Pad", {"u", "pads"}, {"p"}, "pad");
    auto pool = b.node("AveragePool", {"p"}, {"y"}, "pool");
    pool.attr("kernel_shape", std::vector<std::int64_t>{3, 1});
    if (auto_pad) pool.attr("auto_pad", "SAME_UPPER");
    const ir::Graph graph = b.import();
    INFO("auto_pad " << auto_pad);
    CHECK(find_node(graph, ir::Op::AveragePool) != nullptr);
    CHECK(find_node(graph, ir::Op::Conv) == nullptr);
  }
}

TEST_CASE("a 4-D view of a graph input [N, H, W] is an image: its pools stay spatial") {
  OnnxBuilder b;
  b.input("x", {1, 4, 6}).output("y", 4);
  b.int_initializer("axis1", {1}, {1});
  b.node("Unsqueeze", {"x", "axis1"}, {"u"}, "unsqueeze");
  b.node("AveragePool", {"u"}, {"y"}, "pool").attr("kernel_shape", std::vector<std::int64_t>{2, 1});
  const ir::Graph graph = b.import();
  const ir::Node* pool = find_node(graph, ir::Op::AveragePool);
  REQUIRE(pool);
  CHECK(graph.shape(pool->inputs[0]) == ir::Dims{1, 1, 4, 6});
  CHECK(graph.shape(pool->output) == ir::Dims{1, 1, 3, 6});
  CHECK(find_node(graph, ir::Op::Conv) == nullptr);
}

TEST_CASE("a channel window that cannot import names the node and the reason") {
  CHECK_THAT(import_error(channel_pool({1, 4, 2, 2}, 1, 1, {3, 1, 1}, {}, {}, 0, "MaxPool")),
             Contains("node 'pool' (MaxPool): MaxPool over the channels of a map (axis 2 of its "
                      "view 1x1x6x2x2) is not supported; only AveragePool is"));
  CHECK_THAT(import_error(channel_pool({1, 4, 2, 2}, 0, 0, {3, 2, 1})),
             Contains("node 'pool' (AveragePool): pools axes other than 2 of the view 1x1x4x2x2"));

  const auto pad = [](std::vector<std::int64_t> pads, float value, const char* reader) {
    OnnxBuilder b;
    b.input("x", {1, 4, 2, 2}).output("y", 5);
    b.int_initializer("axis1", {1}, {1});
    b.int_initializer("pads", {10}, pads);
    b.initializer("value", {}, {value});
    b.node("Unsqueeze", {"x", "axis1"}, {"u"}, "unsqueeze");
    b.node("Pad", {"u", "pads", "value"}, {"p"}, "pad");
    b.node(reader, {"p"}, {"y"}, "reader");
    return b;
  };
  CHECK_THAT(import_error(pad({0, 0, 1, 0, 0, 0, 0, 1, 0, 0}, 1.0f, "Relu")),
             Contains("node 'pad' (Pad): pads the channels of the view 1x1x4x2x2 of a map with "
                      "1; only zeros are supported"));
  CHECK_THAT(import_error(pad({0, 0, 1, 1, 0, 0, 0, 1, 0, 0}, 0.0f, "Relu")),
             Contains("node 'pad' (Pad): pads the view 1x1x4x2x2 of a map other than with a "
                      "constant on axis 2"));
  CHECK_THAT(import_error(pad({0, 0, 1, 0, 0, 0, 0, 1, 0, 0}, 0.0f, "Relu")),
             Contains("node 'reader' (Relu): input 'p' is a map's channels padded in the view "
                      "1x1x6x2x2 (Pad 'pad'), which only an AveragePool over those channels can "
                      "read"));
}

}  // namespace
}  // namespace pimhls::test
