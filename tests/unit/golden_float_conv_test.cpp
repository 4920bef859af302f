// Conv and Gemm of the float reference against sums worked out by hand.
#include <catch2/catch.hpp>

#include "golden_float_graphs.h"
#include "util/error.h"

using namespace pimhls;
using Catch::Matchers::Contains;
using test::make_node;
using test::run_single;
using test::tensor;

namespace {

ir::Node conv(ir::Dims weight_shape, std::vector<float> weight, std::vector<float> bias = {}) {
  ir::Node node = make_node(ir::Op::Conv, "conv");
  node.window.kernel_h = weight_shape[2];
  node.window.kernel_w = weight_shape[3];
  node.weight = tensor(weight_shape, std::move(weight));
  if (!bias.empty()) node.bias = tensor({weight_shape[0]}, std::move(bias));
  return node;
}

// The 3x3 image 1..9, row-major: x[r][c] = 3r + c + 1.
ir::Tensor one_to_nine() { return tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }

}  // namespace

TEST_CASE("conv 3x3 with pad 1 and stride 2 sums the in-image part of each window") {
  ir::Node node = conv({1, 1, 3, 3}, std::vector<float>(9, 1.0f), {0.5f});
  node.window.pad_top = node.window.pad_left = node.window.pad_bottom = node.window.pad_right = 1;
  node.window.stride_h = node.window.stride_w = 2;
  const ir::Tensor y = run_single(node, {one_to_nine()}, {1, 1, 2, 2});
  // Windows start at -1 and 1: {1,2,4,5}, {2,3,5,6}, {4,5,7,8}, {5,6,8,9}, plus the bias.
  CHECK(y.data == std::vector<float>{12.5f, 16.5f, 24.5f, 28.5f});
}

TEST_CASE("conv keeps the kernel orientation (cross-correlation, no flip)") {
  const ir::Node node = conv({1, 1, 2, 2}, {1, 2, 3, 4});
  const ir::Tensor y = run_single(node, {one_to_nine()}, {1, 1, 2, 2});
  // (0,0): 1*1 + 2*2 + 3*4 + 4*5 = 37, then each step right adds 1+2+3+4, down adds 3*10.
  CHECK(y.data == std::vector<float>{37, 47, 67, 77});
}

TEST_CASE("conv with dilation 2 reads every other pixel") {
  ir::Node node = conv({1, 1, 2, 2}, {1, 1, 1, 1});
  node.window.dilation_h = node.window.dilation_w = 2;
  std::vector<float> image(16);
  for (int i = 0; i < 16; ++i) image[i] = static_cast<float>(i);  // x[r][c] = 4r + c
  const ir::Tensor y = run_single(node, {tensor({1, 1, 4, 4}, image)}, {1, 1, 2, 2});
  // (0,0): x[0][0] + x[0][2] + x[2][0] + x[2][2] = 0 + 2 + 8 + 10.
  CHECK(y.data == std::vector<float>{20, 24, 36, 40});
}

TEST_CASE("conv with asymmetric padding and a non-square stride") {
  ir::Node node = conv({1, 1, 1, 1}, {2});
  node.window.pad_top = 1;  // one zero row on top, none below
  node.window.pad_right = 1;
  node.window.stride_w = 2;
  const ir::Tensor y = run_single(node, {one_to_nine()}, {1, 1, 4, 2});
  // Rows -1..2, columns 0 and 2: 2 * {0 0 | 1 3 | 4 6 | 7 9}.
  CHECK(y.data == std::vector<float>{0, 0, 2, 6, 8, 12, 14, 18});
}

TEST_CASE("depthwise conv filters each channel with its own kernel") {
  ir::Node node = conv({2, 1, 2, 2}, {1, 0, 0, 1, 0, 1, 1, 0}, {0.5f, -1.0f});
  node.window.group = 2;
  const ir::Tensor x = tensor({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  const ir::Tensor y = run_single(node, {x}, {1, 2, 1, 1});
  // Channel 0: diagonal 1 + 4 + 0.5; channel 1: anti-diagonal 6 + 7 - 1.
  CHECK(y.data == std::vector<float>{5.5f, 12.0f});
}

TEST_CASE("depthwise conv with padding sees zeros around each channel") {
  ir::Node node = conv({2, 1, 3, 3}, std::vector<float>(18, 1.0f));
  node.window.group = 2;
  node.window.pad_top = node.window.pad_left = node.window.pad_bottom = node.window.pad_right = 1;
  const ir::Tensor x = tensor({1, 2, 2, 2}, {1, 2, 3, 4, 10, 20, 30, 40});
  const ir::Tensor y = run_single(node, {x}, {1, 2, 2, 2});
  // Every 3x3 window around a 2x2 image covers the whole image.
  CHECK(y.data == std::vector<float>{10, 10, 10, 10, 100, 100, 100, 100});
}

TEST_CASE("grouped conv mixes channels only within a group") {
  // 4 input channels, 2 groups of 2, 1x1 kernels: out0 = c0 + 10 c1, out1 = 100 c2 + 1000 c3.
  ir::Node node = conv({2, 2, 1, 1}, {1, 10, 100, 1000});
  node.window.group = 2;
  const ir::Tensor x = tensor({1, 4, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  const ir::Tensor y = run_single(node, {x}, {1, 2, 1, 2});
  CHECK(y.data == std::vector<float>{31, 42, 7500, 8600});
}

TEST_CASE("conv runs every image of a batch") {
  const ir::Node node = conv({1, 1, 2, 2}, {1, 2, 3, 4}, {1.0f});
  std::vector<float> data{1, 2, 3, 4, 5, 6, 7, 8, 9};
  for (int i = 0; i < 9; ++i) data.push_back(2.0f * static_cast<float>(i + 1));
  const ir::Tensor y = run_single(node, {tensor({2, 1, 3, 3}, data)}, {2, 1, 2, 2});
  // Image 1 is image 0 doubled: the products double, the bias does not.
  CHECK(y.data == std::vector<float>{38, 48, 68, 78, 75, 95, 135, 155});
}

TEST_CASE("a fused Clip or Relu clamps the conv output") {
  ir::Node node = conv({1, 1, 1, 1}, {1.0f}, {0.0f});
  const ir::Tensor x = tensor({1, 1, 1, 4}, {-3.0f, 2.0f, 7.0f, 6.5f});
  SECTION("Clip [0, 6] (ReLU6)") {
    node.activation = {ir::Activation::Kind::Clip, 0.0f, 6.0f};
    CHECK(run_single(node, {x}, {1, 1, 1, 4}).data == std::vector<float>{0, 2, 6, 6});
  }
  SECTION("Relu") {
    node.activation = {ir::Activation::Kind::Relu, 0.0f};
    CHECK(run_single(node, {x}, {1, 1, 1, 4}).data == std::vector<float>{0, 2, 7, 6.5f});
  }
}

TEST_CASE("conv rejects weights and output shapes that do not fit the input") {
  ir::Node node = conv({1, 1, 2, 2}, {1, 2, 3, 4});
  SECTION("wrong output size") {
    CHECK_THROWS_WITH(run_single(node, {one_to_nine()}, {1, 1, 3, 3}),
                      Contains("node 'conv' (Conv)") && Contains("1x1x2x2"));
  }
  SECTION("weight for another channel count") {
    const ir::Tensor x = tensor({1, 2, 3, 3}, std::vector<float>(18, 1.0f));
    CHECK_THROWS_AS(run_single(node, {x}, {1, 1, 2, 2}), Error);
  }
  SECTION("stride 0") {
    node.window.stride_w = 0;
    CHECK_THROWS_WITH(run_single(node, {one_to_nine()}, {1, 1, 2, 2}), Contains("stride 1x0"));
  }
  SECTION("group that does not divide the channels") {
    node.window.group = 2;
    CHECK_THROWS_WITH(run_single(node, {one_to_nine()}, {1, 1, 2, 2}), Contains("group 2"));
  }
}

TEST_CASE("gemm computes x W^T + b over the last axis") {
  ir::Node node = make_node(ir::Op::Gemm, "fc");
  node.weight = tensor({2, 3}, {1, 0, -1, 2, 1, 0});
  node.bias = tensor({2}, {10, 20});
  const std::vector<float> x{1, 2, 3, 4, 5, 6};
  // Row 0: (1 - 3 + 10, 2 + 2 + 20); row 1: (4 - 6 + 10, 8 + 5 + 20).
  const std::vector<float> expected{8, 24, 8, 33};
  CHECK(run_single(node, {tensor({2, 3}, x)}, {2, 2}).data == expected);
  CHECK(run_single(node, {tensor({2, 1, 3}, x)}, {2, 1, 2}).data == expected);

  SECTION("with a fused ReLU and no bias") {
    node.bias = {};
    node.activation = {ir::Activation::Kind::Relu, 0.0f};
    CHECK(run_single(node, {tensor({2, 3}, x)}, {2, 2}).data == std::vector<float>{0, 4, 0, 13});
  }
  SECTION("rejects a weight of another depth") {
    CHECK_THROWS_WITH(run_single(node, {tensor({3, 2}, x)}, {3, 2}), Contains("node 'fc' (Gemm)"));
  }
}
