// Transpose of activations: the identity is an alias; NHWC to NCHW on a graph input (tf2onnx's
// input layout) makes the IR's input NCHW (and [N, L, C] to [N, C, L] a sequence's [N, C, L]), and
// input files in the model's layout are transposed as they are read; permutations of the axes after
// the batch are ChannelGathers (golden_channel_gather_test.cpp); a Transpose that moves the batch
// axis is a one-line error.
#include <catch2/catch.hpp>
#include <filesystem>

#include "frontend/tensor_file.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// x [1, 4, 5, 2] (NHWC unless given) -> Transpose(perm) -> Conv 1x1 (2 in, 3 out) -> y.
OnnxBuilder nhwc_conv(const std::vector<std::int64_t>& perm,
                      const std::vector<std::int64_t>& x_shape = {1, 4, 5, 2}) {
  OnnxBuilder b(13);
  b.input("x", x_shape).output("y", 4);
  b.initializer("w", {3, 2, 1, 1}, ramp(6));
  b.node("Transpose", {"x"}, {"t"}, "to_nchw").attr("perm", perm);
  b.node("Conv", {"t", "w"}, {"y"}, "conv");
  return b;
}

}  // namespace

TEST_CASE("an NHWC graph input transposed to NCHW becomes an NCHW input of the IR") {
  const ir::Graph graph = nhwc_conv({0, 3, 1, 2}).import();
  REQUIRE(graph.nodes.size() == 1);
  const ir::ValueId x = graph.inputs.at(0);
  CHECK(graph.shape(x) == ir::Dims{1, 2, 4, 5});
  CHECK(graph.nodes[0].inputs[0] == x);  // the Conv reads the input itself
  CHECK(graph.input_permutations.at(x) == std::vector<std::int64_t>{0, 3, 1, 2});
  CHECK(graph.shape(graph.nodes[0].output) == ir::Dims{1, 3, 4, 5});

  // An input file in the model's layout (NHWC, element (h, w, c) = 100h + 10w + c) is read
  // into NCHW: element (c, h, w) of the IR's input.
  ir::Tensor nhwc{{1, 4, 5, 2}, {}};
  for (int h = 0; h < 4; ++h)
    for (int w = 0; w < 5; ++w)
      for (int c = 0; c < 2; ++c) nhwc.data.push_back(static_cast<float>(100 * h + 10 * w + c));
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / "pimhls_transpose_input.pb";
  frontend::write_tensor_file(file, nhwc, "x");
  const ir::Tensor nchw = frontend::read_graph_input(file, graph, 0);
  CHECK(nchw.shape == ir::Dims{1, 2, 4, 5});
  CHECK(nchw.data.at(0) == 0.0f);                 // (c 0, h 0, w 0)
  CHECK(nchw.data.at(1) == 10.0f);                // (c 0, h 0, w 1)
  CHECK(nchw.data.at(5) == 100.0f);               // (c 0, h 1, w 0)
  CHECK(nchw.data.at(20) == 1.0f);                // (c 1, h 0, w 0)
  CHECK(nchw.data.at(20 + 3 * 5 + 4) == 341.0f);  // (c 1, h 3, w 4)

  // A file in the IR's layout is the wrong shape for the model's input.
  frontend::write_tensor_file(file, nchw, "x");
  CHECK_THROWS_WITH(frontend::read_graph_input(file, graph, 0),
                    Contains("tensor of shape 1x2x4x5, but input 'x' has shape 1x4x5x2"));
  std::filesystem::remove(file);
}

TEST_CASE("an [N, L, C] graph input transposed to [N, C, L] becomes an [N, C, L] input") {
  // A sequence of 6 steps of 2 features (tf2onnx's Conv1D input, audio frames) into a Conv1d.
  OnnxBuilder b(13);
  b.input("x", {1, 6, 2}).output("y", 3);
  b.initializer("w", {3, 2, 1}, ramp(6));
  b.node("Transpose", {"x"}, {"t"}, "to_ncl").attr("perm", std::vector<std::int64_t>{0, 2, 1});
  b.node("Conv", {"t", "w"}, {"y"}, "conv");
  const ir::Graph graph = b.import();
  const ir::ValueId x = graph.inputs.at(0);
  CHECK(graph.shape(x) == ir::Dims{1, 2, 6});
  CHECK(graph.input_permutations.at(x) == std::vector<std::int64_t>{0, 2, 1});
  CHECK(graph.shape(graph.outputs.at(0)) == ir::Dims{1, 3, 6});
  // A file in the model's layout, element (l, c) = 10l + c, is read as element (c, l).
  ir::Tensor steps{{1, 6, 2}, {}};
  for (int l = 0; l < 6; ++l)
    for (int c = 0; c < 2; ++c) steps.data.push_back(static_cast<float>(10 * l + c));
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / "pimhls_transpose_steps.pb";
  frontend::write_tensor_file(file, steps, "x");
  const ir::Tensor read = frontend::read_graph_input(file, graph, 0);
  std::filesystem::remove(file);
  CHECK(read.shape == ir::Dims{1, 2, 6});
  CHECK(read.data == std::vector<float>{0, 10, 20, 30, 40, 50, 1, 11, 21, 31, 41, 51});
}

TEST_CASE("the identity Transpose of an activation is an alias") {
  const ir::Graph graph = nhwc_conv({0, 1, 2, 3}, {1, 2, 4, 5}).import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].inputs[0] == graph.inputs.at(0));
  CHECK(graph.shape(graph.inputs.at(0)) == ir::Dims{1, 2, 4, 5});
  CHECK(graph.input_permutations.empty());
}

// PyTorch before opset 13 writes softmax(x, dim=1) of a map as Transpose (perm 0,3,2,1),
// Softmax over the last axis, the same Transpose back: one Softmax over the channels of x.
OnnxBuilder transposed_softmax(const std::string& op, std::int64_t axis, bool read_twice = false) {
  OnnxBuilder b(11);
  b.input("x", {1, 3, 2, 4}).output("y", 4);
  if (read_twice) b.output("t", 4);
  const std::vector<std::int64_t> perm = {0, 3, 2, 1};
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Transpose", {"r"}, {"t"}, "to_last").attr("perm", perm);
  b.node(op, {"t"}, {"s"}, "softmax").attr("axis", axis);
  b.node("Transpose", {"s"}, {"y"}, "back").attr("perm", perm);
  return b;
}

TEST_CASE("Transpose, Softmax over the last axis, Transpose back: a Softmax over the channels") {
  for (const std::string op : {"Softmax", "LogSoftmax"}) {
    for (const std::int64_t axis : {3, -1}) {
      INFO(op << " axis " << axis);
      const ir::Graph graph = transposed_softmax(op, axis).import();
      REQUIRE(graph.nodes.size() == 2);
      const ir::Node& softmax = graph.nodes[1];
      CHECK(softmax.op == (op == "Softmax" ? ir::Op::Softmax : ir::Op::LogSoftmax));
      CHECK(softmax.name == "softmax");
      CHECK(softmax.axis == 1);
      CHECK(softmax.inputs == std::vector<ir::ValueId>{graph.nodes[0].output});
      CHECK(softmax.output == graph.outputs.at(0));
      CHECK(graph.shape(softmax.output) == ir::Dims{1, 3, 2, 4});
    }
  }
  // Not folded: the Softmax over another axis (before opset 13: the axes from 2 on, an error),
  // and a transposed map that is also a graph output (the Transpose stays an element gather).
  CHECK_THROWS_WITH(
      transposed_softmax("Softmax", 2).import(),
      Contains("node 'softmax' (Softmax)") && Contains("normalizes over all trailing axes"));
  const ir::Graph kept = transposed_softmax("Softmax", 3, true).import();
  CHECK(std::any_of(kept.nodes.begin(), kept.nodes.end(),
                    [](const ir::Node& n) { return n.op == ir::Op::ChannelGather; }));
}

TEST_CASE("a Transpose swapping H and W where one of them is 1 is a view (coordinate attention)") {
  // [1, 2, 1, 3] with perm 0,1,3,2 is [1, 2, 3, 1]: the same elements in the same order.
  const ir::Graph graph = nhwc_conv({0, 1, 3, 2}, {1, 2, 1, 3}).import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::Reshape);
  CHECK(graph.shape(graph.nodes[0].output) == ir::Dims{1, 2, 3, 1});
  CHECK(graph.nodes[1].op == ir::Op::Conv);
  CHECK(graph.nodes[1].inputs[0] == graph.nodes[0].output);
}

TEST_CASE("other Transposes of activations are one-line errors naming the node") {
  SECTION("a permutation that moves the batch axis") {
    CHECK_THROWS_WITH(nhwc_conv({1, 0, 2, 3}, {1, 2, 4, 5}).import(),
                      Contains("test.onnx: node 'to_nchw' (Transpose)") &&
                          Contains("perm 1,0,2,3 on shape 1x2x4x5"));
  }
  SECTION("a graph input also read without the Transpose") {
    OnnxBuilder b(13);
    b.input("x", {1, 4, 4, 4}).output("y", 4);
    b.node("Transpose", {"x"}, {"t"}, "to_nchw")
        .attr("perm", std::vector<std::int64_t>{0, 3, 1, 2});
    b.node("Add", {"t", "x"}, {"y"}, "add");
    CHECK_THROWS_WITH(b.import(), Contains("graph input 'x' is transposed here but also read"));
  }
}

}  // namespace pimhls::test
