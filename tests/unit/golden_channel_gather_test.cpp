// Split, Slice and Gather of activations along the channel axis, and channel shuffles
// (Reshape / Transpose / Reshape), import as ChannelGather nodes whose float outputs are the
// channels by hand; rows and columns are a 1x1 MaxPool (forwards) or a Resample (backwards);
// other axes are one-line errors. ONNX's Split tests and PyTorch's
// chunk (Shape/Gather/Slice) run in the conformance suite and end to end
// (tests/cli/gen_rtl_sim_layout_ops.sh).
#include <catch2/catch.hpp>
#include <limits>

#include "golden/float_reference.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// x [1, 6, 1, 2] = 1..12 (channel c holds 2c+1, 2c+2).
const ir::Tensor kInput{{1, 6, 1, 2}, ramp(12)};

OnnxBuilder slice(std::vector<std::int64_t> starts, std::vector<std::int64_t> ends,
                  std::vector<std::int64_t> axes, std::vector<std::int64_t> steps,
                  std::vector<std::int64_t> x_shape = {1, 6, 1, 2}) {
  OnnxBuilder b(13);
  b.input("x", x_shape).output("y", x_shape.size());
  const auto n = static_cast<std::int64_t>(starts.size());
  b.int_initializer("starts", {n}, starts);
  b.int_initializer("ends", {n}, ends);
  b.int_initializer("axes", {n}, axes);
  b.int_initializer("steps", {n}, steps);
  b.node("Slice", {"x", "starts", "ends", "axes", "steps"}, {"y"}, "slice");
  return b;
}

}  // namespace

TEST_CASE("Split along the channels gives each output its channel range") {
  OnnxBuilder b(13);
  b.input("x", {1, 6, 1, 2}).output("a", 4).output("b", 4);
  b.int_initializer("split", {2}, {2, 4});
  b.node("Split", {"x", "split"}, {"a", "b"}, "split").attr("axis", 1);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::ChannelGather);
  CHECK(graph.nodes[1].source_channels == std::vector<std::int64_t>{2, 3, 4, 5});
  const std::vector<ir::Tensor> y = golden::run_float(graph, {kInput});
  CHECK(y.at(0).data == std::vector<float>{1, 2, 3, 4});
  CHECK(y.at(1).data == std::vector<float>{5, 6, 7, 8, 9, 10, 11, 12});
}

TEST_CASE("Slice of the channels, with negative and out-of-range bounds") {
  // channels -4..100 -> 2..5; the other axes whole.
  const ir::Graph graph = slice({-4, 0}, {100, 1}, {1, 2}, {1, 1}).import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].source_channels == std::vector<std::int64_t>{2, 3, 4, 5});
  CHECK(golden::run_float(graph, {kInput}).at(0).data ==
        std::vector<float>{5, 6, 7, 8, 9, 10, 11, 12});
  CHECK(slice({0}, {6}, {1}, {1}).import().nodes.empty());  // every channel: no node
}

TEST_CASE("Slice of the channels with steps, forwards and backwards") {
  const ir::Graph every_other = slice({0}, {6}, {1}, {2}).import();
  REQUIRE(every_other.nodes.size() == 1);
  CHECK(every_other.nodes[0].source_channels == std::vector<std::int64_t>{0, 2, 4});
  CHECK(golden::run_float(every_other, {kInput}).at(0).data ==
        std::vector<float>{1, 2, 5, 6, 9, 10});
  // from the last channel backwards to the first (an end before the first: INT64_MIN)
  const ir::Graph backwards =
      slice({-1}, {std::numeric_limits<std::int64_t>::min()}, {1}, {-2}).import();
  REQUIRE(backwards.nodes.size() == 1);
  CHECK(backwards.nodes[0].source_channels == std::vector<std::int64_t>{5, 3, 1});
}

TEST_CASE("Slice of rows and columns is a 1x1 MaxPool with the step as stride") {
  // x [1, 2, 4, 5]: channel c, row y, column x holds 20c + 5y + x + 1. Rows 1, 3; columns 1, 3.
  const ir::Tensor x{{1, 2, 4, 5}, ramp(40)};
  const ir::Graph crop = slice({1, 1}, {4, 5}, {2, 3}, {2, 2}, {1, 2, 4, 5}).import();
  REQUIRE(crop.nodes.size() == 1);
  const ir::Window& w = crop.nodes[0].window;
  CHECK(crop.nodes[0].op == ir::Op::MaxPool);
  CHECK(w.kernel_h * w.kernel_w == 1);
  CHECK(std::vector<std::int64_t>{w.stride_h, w.stride_w} == std::vector<std::int64_t>{2, 2});
  // the origin starts at row 1, column 1; the last window reads row 3 of 4, column 3 of 5
  CHECK(std::vector<std::int64_t>{w.pad_top, w.pad_left, w.pad_bottom, w.pad_right} ==
        std::vector<std::int64_t>{-1, -1, 0, -1});
  CHECK(golden::run_float(crop, {x}).at(0).data ==
        std::vector<float>{7, 9, 17, 19, 27, 29, 37, 39});
  // channel 1, rows 0..1: a ChannelGather, then the crop
  const ir::Graph both = slice({1, 0}, {2, 2}, {1, 2}, {1, 1}, {1, 2, 4, 5}).import();
  REQUIRE(both.nodes.size() == 2);
  CHECK(both.nodes[0].op == ir::Op::ChannelGather);
  CHECK(both.nodes[1].op == ir::Op::MaxPool);
  CHECK(golden::run_float(both, {x}).at(0).data ==
        std::vector<float>{21, 22, 23, 24, 25, 26, 27, 28, 29, 30});
}

TEST_CASE("Slice of rows and columns backwards is a Resample listing them") {
  // x [1, 2, 4, 5]: channel c, row y, column x holds 20c + 5y + x + 1.
  const ir::Tensor x{{1, 2, 4, 5}, ramp(40)};
  // torch.flip(x, [3]): columns 4, 3, 2, 1, 0
  const ir::Graph flip =
      slice({-1}, {std::numeric_limits<std::int64_t>::min()}, {3}, {-1}, {1, 2, 4, 5}).import();
  REQUIRE(flip.nodes.size() == 1);
  const ir::Node& node = flip.nodes[0];
  CHECK(node.op == ir::Op::Resample);
  CHECK(node.window.kernel_h * node.window.kernel_w == 1);
  CHECK(node.resample_rows.first == std::vector<std::int64_t>{0, 1, 2, 3});
  CHECK(node.resample_columns.first == std::vector<std::int64_t>{4, 3, 2, 1, 0});
  CHECK(golden::run_float(flip, {x}).at(0).data ==
        std::vector<float>{5,  4,  3,  2,  1,  10, 9,  8,  7,  6,  15, 14, 13, 12,
                           11, 20, 19, 18, 17, 16, 25, 24, 23, 22, 21, 30, 29, 28,
                           27, 26, 35, 34, 33, 32, 31, 40, 39, 38, 37, 36});
  // channel 1; rows 3, 1 (3 down to past 0 by -2); columns 1..3 forwards: a ChannelGather,
  // then the Resample
  const ir::Graph both = slice({1, 3, 1}, {2, -5, 4}, {1, 2, 3}, {1, -2, 1}, {1, 2, 4, 5}).import();
  REQUIRE(both.nodes.size() == 2);
  CHECK(both.nodes[0].op == ir::Op::ChannelGather);
  CHECK(both.nodes[1].op == ir::Op::Resample);
  CHECK(golden::run_float(both, {x}).at(0).data == std::vector<float>{37, 38, 39, 27, 28, 29});
}

TEST_CASE("Slices and Splits the accelerator cannot do are one-line errors") {
  CHECK_THAT(import_error(slice({0}, {2}, {2}, {1}, {1, 6, 4})),
             Contains("node 'slice' (Slice): slices axis 2 of activation 'x' (1x6x4); only the "
                      "channels (axis 1) and the rows and columns of an NCHW map can be sliced"));
  CHECK_THAT(import_error(slice({3}, {3}, {1}, {1})),
             Contains("the slice of axis 1 is empty; empty slices are not supported"));
  // (ONNX's checker refuses repeated axes first; the graph builder alone refuses them too)
  CHECK_THROWS_WITH(build_unchecked(slice({0, 1}, {2, 3}, {1, -3}, {1, 1}), 13),
                    Contains("axes repeat axis -3"));
  OnnxBuilder split(13);
  split.input("x", {1, 6, 4}).output("a", 3).output("b", 3);
  split.node("Split", {"x"}, {"a", "b"}, "split").attr("axis", 2);
  CHECK_THAT(import_error(split),
             Contains("splits axis 2 of activation 'x' (1x6x4); only the channels (axis 1) and the "
                      "rows or columns of an NCHW map can be split"));
}

TEST_CASE("Split along the rows or columns crops each output (coordinate attention)") {
  // kInput's columns: 1, 3, .., 11 and 2, 4, .., 12; rows of a 1x1x5x2 map: 2 and 3 of them.
  OnnxBuilder columns(13);
  columns.input("x", {1, 6, 1, 2}).output("a", 4).output("b", 4);
  columns.node("Split", {"x"}, {"a", "b"}, "split").attr("axis", 3);
  const ir::Graph by_columns = columns.import();
  REQUIRE(by_columns.nodes.size() == 2);
  CHECK(by_columns.nodes[0].op == ir::Op::MaxPool);
  CHECK(by_columns.nodes[0].name != by_columns.nodes[1].name);
  std::vector<ir::Tensor> y = golden::run_float(by_columns, {kInput});
  CHECK(y.at(0).data == std::vector<float>{1, 3, 5, 7, 9, 11});
  CHECK(y.at(1).data == std::vector<float>{2, 4, 6, 8, 10, 12});

  OnnxBuilder rows(11);
  rows.input("x", {1, 1, 5, 2}).output("a", 4).output("b", 4);
  rows.node("Split", {"x"}, {"a", "b"}, "split")
      .attr("axis", 2)
      .attr("split", std::vector<std::int64_t>{2, 3});
  const ir::Graph by_rows = rows.import();
  y = golden::run_float(by_rows, {ir::Tensor{{1, 1, 5, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}});
  CHECK(by_rows.shape(by_rows.outputs[1]) == ir::Dims{1, 1, 3, 2});
  CHECK(y.at(0).data == std::vector<float>{1, 2, 3, 4});
  CHECK(y.at(1).data == std::vector<float>{5, 6, 7, 8, 9, 10});
}

TEST_CASE("A channel shuffle (Reshape, Transpose, Reshape) is one ChannelGather") {
  OnnxBuilder b(13);
  b.input("x", {1, 6, 1, 2}).output("y", 4);
  b.int_initializer("groups", {5}, {1, 2, 3, 1, 2});
  b.int_initializer("back", {4}, {1, -1, 1, 2});
  b.node("Reshape", {"x", "groups"}, {"g"}, "reshape");
  b.node("Transpose", {"g"}, {"t"}, "transpose")
      .attr("perm", std::vector<std::int64_t>{0, 2, 1, 3, 4});
  b.node("Reshape", {"t", "back"}, {"y"}, "flatten");
  const ir::Graph graph = b.import();
  // the 5-D views go unread and are dropped
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].op == ir::Op::ChannelGather);
  // output channel j * 2 + i is input channel i * 3 + j
  CHECK(graph.nodes[0].source_channels == std::vector<std::int64_t>{0, 3, 1, 4, 2, 5});
  CHECK(golden::run_float(graph, {kInput}).at(0).data ==
        std::vector<float>{1, 2, 7, 8, 3, 4, 9, 10, 5, 6, 11, 12});
}

TEST_CASE("A Transpose of the axes after the batch permutes them flattened as channels") {
  // [1, 2, 3] -> [1, 3, 2]: [[1, 2, 3], [4, 5, 6]] transposed, then flattened (of a computed
  // value read by a Flatten: no channels-last view; of the graph input, or of element-wise
  // operators on it, the IR's input would take that layout). The Conv1d is the identity.
  OnnxBuilder b(13);
  b.input("x", {1, 2, 3}).output("y", 2).initializer("k", {2, 2, 1}, {1, 0, 0, 1});
  b.node("Conv", {"x", "k"}, {"r"}, "identity");
  b.node("Transpose", {"r"}, {"t"}, "transpose").attr("perm", std::vector<std::int64_t>{0, 2, 1});
  b.node("Flatten", {"t"}, {"y"}, "flatten");
  const ir::Graph graph = b.import();
  const ir::Node* gather = find_node(graph, ir::Op::ChannelGather);
  REQUIRE(gather != nullptr);
  CHECK(gather->source_channels == std::vector<std::int64_t>{0, 3, 1, 4, 2, 5});
  const std::vector<ir::Tensor> y = golden::run_float(graph, {{{1, 2, 3}, ramp(6)}});
  CHECK(y.at(0).shape == ir::Dims{1, 6});
  CHECK(y.at(0).data == std::vector<float>{1, 4, 2, 5, 3, 6});
}

TEST_CASE("A chain of Reshapes back to the input's shape is no node") {
  OnnxBuilder b(13);
  b.input("x", {1, 6, 1, 2}).output("y", 4);
  b.int_initializer("flat", {2}, {1, 12});
  b.int_initializer("back", {4}, {1, 6, 1, 2});
  b.node("Reshape", {"x", "flat"}, {"f"}, "flatten");
  b.node("Reshape", {"f", "back"}, {"y"}, "unflatten");
  CHECK(b.import().nodes.empty());
}

TEST_CASE("Gather of channels by constant indices") {
  OnnxBuilder b(13);
  b.input("x", {1, 6, 1, 2}).output("y", 4);
  b.int_initializer("indices", {3}, {2, -1, 0});
  b.node("Gather", {"x", "indices"}, {"y"}, "gather").attr("axis", 1);
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].source_channels == std::vector<std::int64_t>{2, 5, 0});
  CHECK(golden::run_float(graph, {kInput}).at(0).data == std::vector<float>{5, 6, 11, 12, 1, 2});
}

TEST_CASE("Gathers and Transposes the accelerator cannot do are one-line errors") {
  auto gather = [](std::int64_t axis, std::vector<std::int64_t> dims,
                   std::vector<std::int64_t> indices) {
    OnnxBuilder b(13);
    b.input("x", {1, 6, 1, 2}).output("y", 3 + dims.size());
    b.int_initializer("i", std::move(dims), std::move(indices));
    b.node("Gather", {"x", "i"}, {"y"}, "gather").attr("axis", axis);
    return import_error(b);
  };
  CHECK_THAT(gather(3, {1}, {0}),
             Contains("node 'gather' (Gather): gathers axis 3 of activation 'x' (1x6x1x2); only "
                      "the channel axis (1) can be gathered"));
  CHECK_THAT(gather(1, {1}, {6}), Contains("index 6 is outside the 6 channels of 'x'"));
  CHECK_THAT(gather(1, {2, 1}, {0, 1}),
             Contains("indices 'i' have shape 2x1; only a list of channels (1-D) is supported"));
  OnnxBuilder t(13);
  t.input("x", {1, 6, 1, 2}).output("y", 4);
  t.node("Relu", {"x"}, {"r"}, "relu");
  t.node("Transpose", {"r"}, {"y"}, "transpose")
      .attr("perm", std::vector<std::int64_t>{1, 0, 2, 3});
  CHECK_THAT(import_error(t),
             Contains("node 'transpose' (Transpose): a Transpose of an activation is supported as "
                      "the identity, from NHWC to NCHW (perm 0,3,1,2) on a graph input, or as a "
                      "permutation of the axes after the batch"));
}

// Keras through tf2onnx flattens NHWC: a Transpose of the map to NHWC, Reshape, MatMul. The
// Transpose imports as a ChannelGather of the C*H*W features, which the Gemm after it absorbs
// (its weight columns scattered back), so the map is flattened as NCHW with no gather left.
TEST_CASE("a Transpose to NHWC before Flatten and MatMul folds into the Gemm's weights") {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 2, 3}).output("y", 2);
  b.int_initializer("shape", {2}, {1, -1});
  std::vector<float> f(24);
  for (std::size_t k = 0; k < 12; ++k) {  // column 0: k + 1; column 1: 1 on odd k
    f[k * 2] = static_cast<float>(k + 1);
    f[k * 2 + 1] = k % 2 ? 1.0f : 0.0f;
  }
  b.initializer("F", {12, 2}, f);
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Transpose", {"r"}, {"t"}, "to_nhwc").attr("perm", std::vector<std::int64_t>{0, 2, 3, 1});
  b.node("Reshape", {"t", "shape"}, {"flat"}, "flatten");
  b.node("MatMul", {"flat", "F"}, {"y"}, "dense");
  // x[c][h][w] = 6c + 3h + w + 1 (positive: the Relu keeps it); the NHWC feature k = (3h + w) *
  // 2 + c holds it.
  const ir::Tensor x{{1, 2, 2, 3}, ramp(12)};
  std::vector<float> expected(2, 0.0f);
  for (int h = 0; h < 2; ++h)
    for (int w = 0; w < 3; ++w)
      for (int c = 0; c < 2; ++c) {
        const std::size_t k = static_cast<std::size_t>((3 * h + w) * 2 + c);
        const float value = static_cast<float>(6 * c + 3 * h + w + 1);
        expected[0] += f[k * 2] * value;
        expected[1] += f[k * 2 + 1] * value;
      }
  const ir::Graph folded = b.import();
  CHECK(find_node(folded, ir::Op::ChannelGather) == nullptr);
  const ir::Node* gemm = find_node(folded, ir::Op::Gemm);
  REQUIRE(gemm);
  CHECK(folded.shape(gemm->inputs.at(0)) == ir::Dims{1, 12});
  CHECK(golden::run_float(folded, {x}).at(0).data == expected);
  frontend::ImportOptions unfused;
  unfused.fuse = false;
  const ir::Graph kept = b.import(unfused);
  CHECK(find_node(kept, ir::Op::ChannelGather) != nullptr);
  CHECK(golden::run_float(kept, {x}).at(0).data == expected);
}

}  // namespace pimhls::test
