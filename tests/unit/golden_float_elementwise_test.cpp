// Element-wise and layout ops of the float reference: Add broadcasting, Relu/Clip,
// ChannelAffine, Softmax, LogSoftmax, ArgMax, Concat, Flatten/Reshape.
#include <catch2/catch.hpp>
#include <cmath>

#include "golden_float_graphs.h"
#include "util/error.h"

using namespace pimhls;
using Catch::Matchers::Contains;
using test::make_node;
using test::run_single;
using test::tensor;

TEST_CASE("add broadcasts like numpy") {
  const ir::Node node = make_node(ir::Op::Add, "add");
  const ir::Tensor a = tensor({2, 3}, {1, 2, 3, 4, 5, 6});
  SECTION("same shapes") {
    CHECK(run_single(node, {a, a}, {2, 3}).data == std::vector<float>{2, 4, 6, 8, 10, 12});
  }
  SECTION("a row vector against every row") {
    CHECK(run_single(node, {a, tensor({3}, {10, 20, 30})}, {2, 3}).data ==
          std::vector<float>{11, 22, 33, 14, 25, 36});
  }
  SECTION("a column against a row: both operands broadcast") {
    const ir::Tensor column = tensor({2, 1}, {100, 200});
    const ir::Tensor row = tensor({1, 3}, {1, 2, 3});
    CHECK(run_single(node, {column, row}, {2, 3}).data ==
          std::vector<float>{101, 102, 103, 201, 202, 203});
  }
  SECTION("a scalar") {
    CHECK(run_single(node, {tensor({}, {0.5f}), a}, {2, 3}).data ==
          std::vector<float>{1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f});
  }
  SECTION("shapes that do not broadcast") {
    CHECK_THROWS_WITH(run_single(node, {a, tensor({2}, {1, 2})}, {2, 3}),
                      Contains("node 'add' (Add)") && Contains("2x3") && Contains("do not"));
  }
}

TEST_CASE("add with a constant operand held in the node") {
  ir::Node node = make_node(ir::Op::Add, "bias");
  node.weight = tensor({1, 2, 1, 1}, {10, -10});  // one value per channel
  const ir::Tensor x = tensor({1, 2, 1, 2}, {1, 2, 3, 4});
  CHECK(run_single(node, {x}, {1, 2, 1, 2}).data == std::vector<float>{11, 12, -7, -6});
}

TEST_CASE("Relu and Clip nodes clamp, NaN passes through") {
  const float nan = std::nanf("");
  const ir::Tensor x = tensor({5}, {-2, -0.5f, 0.5f, 8, nan});
  SECTION("Relu") {
    const ir::Tensor y = run_single(make_node(ir::Op::Relu), {x}, {5});
    CHECK(std::vector<float>(y.data.begin(), y.data.end() - 1) ==
          std::vector<float>{0, 0, 0.5f, 8});
    CHECK(std::isnan(y.data[4]));
  }
  SECTION("Clip [-1, 1]") {
    ir::Node node = make_node(ir::Op::Clip);
    node.activation = {ir::Activation::Kind::Clip, -1.0f, 1.0f};
    const ir::Tensor y = run_single(node, {x}, {5});
    CHECK(std::vector<float>(y.data.begin(), y.data.end() - 1) ==
          std::vector<float>{-1, -0.5f, 0.5f, 1});
    CHECK(std::isnan(y.data[4]));
  }
}

TEST_CASE("channel affine scales and shifts each channel over axis 1") {
  ir::Node node = make_node(ir::Op::ChannelAffine, "bn");
  node.weight = tensor({2}, {2, -1});
  node.bias = tensor({2}, {1, 0.5f});
  const ir::Tensor x = tensor({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});  // N=2, C=2, 2 values
  CHECK(run_single(node, {x}, {2, 2, 2}).data ==
        std::vector<float>{3, 5, -2.5f, -3.5f, 11, 13, -6.5f, -7.5f});
}

TEST_CASE("softmax normalizes along its axis") {
  ir::Node node = make_node(ir::Op::Softmax, "softmax");
  SECTION("last axis: exp(log k) = k, so the result is k / sum") {
    node.axis = -1;
    const ir::Tensor x = tensor({2, 3}, {0, std::log(2.0f), std::log(3.0f), 5, 5, 5});
    const ir::Tensor y = run_single(node, {x}, {2, 3});
    const std::vector<double> expected{1.0 / 6, 2.0 / 6, 3.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 3};
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(y.data[i] == Approx(expected[i]));
  }
  SECTION("large inputs do not overflow") {
    node.axis = 1;
    const ir::Tensor x = tensor({1, 2}, {1000, 1001});
    const ir::Tensor y = run_single(node, {x}, {1, 2});
    const double e = std::exp(1.0);
    CHECK(y.data[0] == Approx(1 / (1 + e)));
    CHECK(y.data[1] == Approx(e / (1 + e)));
  }
  SECTION("axis 0 normalizes the columns") {
    node.axis = 0;
    const ir::Tensor x = tensor({2, 2}, {0, 7, std::log(3.0f), 7});
    const ir::Tensor y = run_single(node, {x}, {2, 2});
    CHECK(y.data[0] == Approx(0.25));
    CHECK(y.data[1] == Approx(0.5));
    CHECK(y.data[2] == Approx(0.75));
    CHECK(y.data[3] == Approx(0.5));
  }
}

TEST_CASE("argmax along an axis: the first of equal maxima, or the last") {
  // x [1, 3, 2] over the channels: position 0 reads 1 5 5, position 1 reads 7 2 7.
  const ir::Tensor x = tensor({1, 3, 2}, {1, 7, 5, 2, 5, 7});
  ir::Node node = make_node(ir::Op::ArgMax, "argmax");
  node.axis = 1;
  CHECK(run_single(node, {x}, {1, 1, 2}).data == std::vector<float>{1, 0});
  node.last_index = true;
  CHECK(run_single(node, {x}, {1, 2}).data == std::vector<float>{2, 2});
  node.axis = 2;  // along the last axis: per channel
  node.last_index = false;
  CHECK(run_single(node, {x}, {1, 3}).data == std::vector<float>{1, 0, 1});
  CHECK_THROWS_WITH(run_single(node, {x}, {1, 2}), Contains("node 'argmax' (ArgMax)"));
}

TEST_CASE("log_softmax is x - max - log(sum exp(x - max)), finite where exp underflows") {
  ir::Node node = make_node(ir::Op::LogSoftmax, "log_softmax");
  node.axis = 1;
  // log(k / 6) for exp(x) = 1, 2, 3; and a row where exp(-1000) underflows to 0 in float
  const ir::Tensor x = tensor({2, 3}, {0, std::log(2.0f), std::log(3.0f), 0, -1000, 0});
  const ir::Tensor y = run_single(node, {x}, {2, 3});
  CHECK(y.data[0] == Approx(std::log(1.0 / 6)));
  CHECK(y.data[1] == Approx(std::log(2.0 / 6)));
  CHECK(y.data[2] == Approx(std::log(3.0 / 6)));
  CHECK(y.data[3] == Approx(-std::log(2.0)));
  CHECK(y.data[4] == Approx(-1000 - std::log(2.0)));
  CHECK(y.data[5] == Approx(-std::log(2.0)));
}

TEST_CASE("concat joins blocks along the axis") {
  ir::Node node = make_node(ir::Op::Concat, "cat");
  const ir::Tensor a = tensor({2, 2}, {1, 2, 3, 4});
  const ir::Tensor b = tensor({2, 1}, {5, 6});
  node.axis = 1;
  CHECK(run_single(node, {a, b}, {2, 3}).data == std::vector<float>{1, 2, 5, 3, 4, 6});
  node.axis = -1;
  CHECK(run_single(node, {a, b}, {2, 3}).data == std::vector<float>{1, 2, 5, 3, 4, 6});
  node.axis = 0;
  CHECK(run_single(node, {a, a}, {4, 2}).data == std::vector<float>{1, 2, 3, 4, 1, 2, 3, 4});
  CHECK_THROWS_WITH(run_single(node, {a, b}, {4, 2}), Contains("node 'cat' (Concat)"));
}

TEST_CASE("flatten and reshape keep the data and take the graph's shape") {
  const ir::Tensor x = tensor({1, 2, 1, 2}, {1, 2, 3, 4});
  const ir::Tensor y = run_single(make_node(ir::Op::Flatten), {x}, {1, 4});
  CHECK(y.shape == ir::Dims{1, 4});
  CHECK(y.data == x.data);
  CHECK_THROWS_AS(run_single(make_node(ir::Op::Reshape), {x}, {3}), Error);
}
