// Pooling of the float reference: window placement, padding, ceil_mode and divisors by hand.
#include <catch2/catch.hpp>

#include "golden/float_ops.h"
#include "golden_float_graphs.h"
#include "util/error.h"

using namespace pimhls;
using Catch::Matchers::Contains;
using test::make_node;
using test::run_single;
using test::tensor;

namespace {

ir::Node pool(ir::Op op, std::int64_t kernel_h, std::int64_t kernel_w, std::int64_t stride_h,
              std::int64_t stride_w) {
  ir::Node node = make_node(op, "pool");
  node.window.kernel_h = kernel_h;
  node.window.kernel_w = kernel_w;
  node.window.stride_h = stride_h;
  node.window.stride_w = stride_w;
  return node;
}

void pad_all(ir::Node& node, std::int64_t pad) {
  node.window.pad_top = node.window.pad_left = node.window.pad_bottom = node.window.pad_right = pad;
}

// The 4x4 image 1..16.
ir::Tensor one_to_sixteen() {
  std::vector<float> data(16);
  for (int i = 0; i < 16; ++i) data[i] = static_cast<float>(i + 1);
  return tensor({1, 1, 4, 4}, data);
}

}  // namespace

TEST_CASE("ceil_mode adds a last window that overhangs the image") {
  // 3x3 windows, stride 2, on 4x4: floor gives 1x1, ceil gives 2x2 (the window at 2 covers
  // rows/columns 2..4, of which 4 is outside the image).
  SECTION("max") {
    ir::Node node = pool(ir::Op::MaxPool, 3, 3, 2, 2);
    node.window.ceil_mode = true;
    CHECK(run_single(node, {one_to_sixteen()}, {1, 1, 2, 2}).data ==
          std::vector<float>{11, 12, 15, 16});
  }
  SECTION("average over the in-image taps only") {
    ir::Node node = pool(ir::Op::AveragePool, 3, 3, 2, 2);
    node.window.ceil_mode = true;
    // (0,1): columns 2..3 of rows 0..2 = {3,4,7,8,11,12} -> 45 / 6.
    CHECK(run_single(node, {one_to_sixteen()}, {1, 1, 2, 2}).data ==
          std::vector<float>{6, 7.5f, 12, 13.5f});
  }
  SECTION("floor mode drops that window") {
    const ir::Node node = pool(ir::Op::MaxPool, 3, 3, 2, 2);
    CHECK(run_single(node, {one_to_sixteen()}, {1, 1, 1, 1}).data == std::vector<float>{11});
  }
}

TEST_CASE("average pool divisor with and without count_include_pad") {
  ir::Node node = pool(ir::Op::AveragePool, 3, 3, 1, 1);
  pad_all(node, 1);
  const ir::Tensor x = tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  SECTION("exclude pad: divide by the taps inside the image") {
    const ir::Tensor y = run_single(node, {x}, {1, 1, 3, 3});
    CHECK(y.data[0] == Approx(12.0 / 4));  // {1,2,4,5}
    CHECK(y.data[1] == Approx(21.0 / 6));  // {1..6}
    CHECK(y.data[4] == Approx(45.0 / 9));
    CHECK(y.data[8] == Approx(28.0 / 4));  // {5,6,8,9}
  }
  SECTION("include pad: always the full 3x3 window") {
    node.window.count_include_pad = true;
    const ir::Tensor y = run_single(node, {x}, {1, 1, 3, 3});
    CHECK(y.data[0] == Approx(12.0 / 9));
    CHECK(y.data[1] == Approx(21.0 / 9));
    CHECK(y.data[4] == Approx(45.0 / 9));
    CHECK(y.data[8] == Approx(28.0 / 9));
  }
}

TEST_CASE("ceil_mode overhang beyond the pad never counts, even with count_include_pad") {
  SECTION("no padding: [1 2 3 4 5], kernel 2, stride 2") {
    ir::Node node = pool(ir::Op::AveragePool, 1, 2, 1, 2);
    node.window.ceil_mode = true;
    node.window.count_include_pad = true;
    const ir::Tensor y = run_single(node, {tensor({1, 1, 1, 5}, {1, 2, 3, 4, 5})}, {1, 1, 1, 3});
    CHECK(y.data == std::vector<float>{1.5f, 3.5f, 5.0f});
  }
  SECTION("pad 1: [1 2 3 4], kernel 3, stride 2") {
    // Windows start at -1, 1, 3. The last covers 3 (image), 4 (pad) and 5 (overhang).
    ir::Node node = pool(ir::Op::AveragePool, 1, 3, 1, 2);
    node.window.pad_left = node.window.pad_right = 1;
    node.window.ceil_mode = true;
    const ir::Tensor x = tensor({1, 1, 1, 4}, {1, 2, 3, 4});
    node.window.count_include_pad = true;
    CHECK(run_single(node, {x}, {1, 1, 1, 3}).data == std::vector<float>{1, 3, 2});
    node.window.count_include_pad = false;
    CHECK(run_single(node, {x}, {1, 1, 1, 3}).data == std::vector<float>{1.5f, 3, 4});
  }
}

TEST_CASE("a ceil_mode window may not start in the trailing pad") {
  // 2x2 input, 3x3 kernel, stride 3, pads 1: ceil((2 + 2 - 3) / 3) + 1 = 2, but the second
  // window would start at 2 = past the image, so ONNX gives 1x1.
  ir::Node node = pool(ir::Op::AveragePool, 3, 3, 3, 3);
  pad_all(node, 1);
  node.window.ceil_mode = true;
  const ir::Tensor x = tensor({1, 1, 2, 2}, {1, 2, 3, 4});
  CHECK(run_single(node, {x}, {1, 1, 1, 1}).data == std::vector<float>{2.5f});
  CHECK_THROWS_WITH(run_single(node, {x}, {1, 1, 2, 2}),
                    Contains("node 'pool' (AveragePool)") && Contains("1x1x1x1"));
  CHECK(golden::window_output_size(2, 1, 1, 3, 3, 1, true) == 1);
  CHECK(golden::window_output_size(2, 1, 1, 3, 3, 1, false) == 1);
  CHECK(golden::window_output_size(5, 0, 0, 2, 2, 1, true) == 3);
  CHECK(golden::window_output_size(2, 0, 0, 3, 1, 1, false) == -1);
}

TEST_CASE("max pool ignores padding, also for all-negative inputs") {
  ir::Node node = pool(ir::Op::MaxPool, 2, 2, 1, 1);
  pad_all(node, 1);
  const ir::Tensor x = tensor({1, 1, 2, 2}, {-1, -2, -3, -4});
  const ir::Tensor y = run_single(node, {x}, {1, 1, 3, 3});
  CHECK(y.data == std::vector<float>{-1, -1, -2, -1, -1, -2, -3, -3, -4});
}

TEST_CASE("max pool with dilation 2") {
  ir::Node node = pool(ir::Op::MaxPool, 2, 2, 1, 1);
  node.window.dilation_h = node.window.dilation_w = 2;
  // (0,0) takes the max of x[0][0], x[0][2], x[2][0], x[2][2] = 1, 3, 9, 11.
  CHECK(run_single(node, {one_to_sixteen()}, {1, 1, 2, 2}).data ==
        std::vector<float>{11, 12, 15, 16});
}

TEST_CASE("pooling runs every plane of every image") {
  const ir::Node node = pool(ir::Op::MaxPool, 2, 2, 2, 2);
  const ir::Tensor x = tensor({2, 2, 2, 2}, {1, 5, 2, 3, -1, -5, -2, -3, 0, 0, 0, 7, 8, 8, 9, 8});
  CHECK(run_single(node, {x}, {2, 2, 1, 1}).data == std::vector<float>{5, -1, 7, 9});
}

TEST_CASE("global average pool averages each plane") {
  const ir::Node node = make_node(ir::Op::GlobalAveragePool, "gap");
  const ir::Tensor x = tensor({2, 2, 1, 3}, {1, 2, 3, 4, 5, 6, -3, 0, 3, 10, 20, 60});
  CHECK(run_single(node, {x}, {2, 2, 1, 1}).data == std::vector<float>{2, 5, 0, 30});
  CHECK_THROWS_WITH(run_single(node, {x}, {2, 2}), Contains("node 'gap' (GlobalAveragePool)"));
}
