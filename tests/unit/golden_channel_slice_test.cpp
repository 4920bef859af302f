// Split and Slice of activations along the channel axis import as ChannelSlice nodes whose
// float outputs are the channel ranges (values by hand); other axes and steps are one-line
// errors. ONNX's Split tests and PyTorch's chunk (Shape/Gather/Slice) run in the conformance
// suite and end to end (tests/cli/gen_rtl_sim_layout_ops.sh).
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// x [1, 6, 1, 2] = 1..12 (channel c holds 2c+1, 2c+2).
const ir::Tensor kInput{{1, 6, 1, 2}, ramp(12)};

OnnxBuilder slice(std::vector<std::int64_t> starts, std::vector<std::int64_t> ends,
                  std::vector<std::int64_t> axes, std::vector<std::int64_t> steps) {
  OnnxBuilder b(13);
  b.input("x", {1, 6, 1, 2}).output("y", 4);
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
  CHECK(graph.nodes[0].op == ir::Op::ChannelSlice);
  CHECK(graph.nodes[1].first_channel == 2);
  const std::vector<ir::Tensor> y = golden::run_float(graph, {kInput});
  CHECK(y.at(0).data == std::vector<float>{1, 2, 3, 4});
  CHECK(y.at(1).data == std::vector<float>{5, 6, 7, 8, 9, 10, 11, 12});
}

TEST_CASE("Slice of the channels, with negative and out-of-range bounds") {
  // channels -4..100 -> 2..5; the other axes whole.
  const ir::Graph graph = slice({-4, 0}, {100, 1}, {1, 2}, {1, 1}).import();
  REQUIRE(graph.nodes.size() == 1);
  CHECK(graph.nodes[0].first_channel == 2);
  CHECK(golden::run_float(graph, {kInput}).at(0).data ==
        std::vector<float>{5, 6, 7, 8, 9, 10, 11, 12});
  CHECK(slice({0}, {6}, {1}, {1}).import().nodes.empty());  // every channel: no node
}

TEST_CASE("Slices and Splits off the channel axis are one-line errors") {
  CHECK_THAT(import_message(slice({0}, {1}, {3}, {1})),
             Contains("node 'slice' (Slice): slices axis 3 of activation 'x' (1x6x1x2); only the "
                      "channel axis (1) of an activation can be sliced"));
  CHECK_THAT(import_message(slice({0}, {6}, {1}, {2})),
             Contains("step 2 on axis 1 of activation 'x' is not supported (only 1)"));
  CHECK_THAT(import_message(slice({3}, {3}, {1}, {1})),
             Contains("output 0 would have 0 channels; empty slices are not supported"));
  OnnxBuilder split(13);
  split.input("x", {1, 6, 1, 2}).output("a", 4).output("b", 4);
  split.node("Split", {"x"}, {"a", "b"}, "split").attr("axis", 3);
  CHECK_THAT(import_message(split),
             Contains("splits axis 3 of activation 'x' (1x6x1x2); only the channel axis (1)"));
}

}  // namespace pimhls::test
