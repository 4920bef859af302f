// The graph walk of the float reference: multi-node graphs, input checks, outputs, observer.
#include <catch2/catch.hpp>

#include "golden/float_reference.h"
#include "golden_float_graphs.h"
#include "util/error.h"

using namespace pimhls;
using Catch::Matchers::Contains;
using test::tensor;

namespace {

// x[1,1,2,2] -> conv 1x1 (weight -2, bias 1) -> relu -> add(x, relu) -> y; relu is also an output.
ir::Graph residual_graph() {
  ir::Graph graph;
  graph.name = "residual";
  graph.values = {{"x", {1, 1, 2, 2}, -1},
                  {"conv_out", {1, 1, 2, 2}, 0},
                  {"relu_out", {1, 1, 2, 2}, 1},
                  {"y", {1, 1, 2, 2}, 2}};
  ir::Node conv = test::make_node(ir::Op::Conv, "conv");
  conv.inputs = {0};
  conv.output = 1;
  conv.weight = tensor({1, 1, 1, 1}, {-2});
  conv.bias = tensor({1}, {1});
  ir::Node relu = test::make_node(ir::Op::Relu, "relu");
  relu.inputs = {1};
  relu.output = 2;
  ir::Node add = test::make_node(ir::Op::Add, "add");
  add.inputs = {0, 2};
  add.output = 3;
  graph.nodes = {conv, relu, add};
  graph.inputs = {0};
  graph.outputs = {3, 2};
  return graph;
}

}  // namespace

TEST_CASE("the executor runs nodes in order and returns every graph output") {
  const ir::Graph graph = residual_graph();
  const ir::Tensor x = tensor({1, 1, 2, 2}, {-1, 0, 0.25f, 2});
  std::vector<std::string> seen;
  const std::vector<ir::Tensor> outputs = golden::run_float(
      graph, {x}, [&](const ir::Node& node, const ir::Tensor&) { seen.push_back(node.name); });
  REQUIRE(outputs.size() == 2);
  // conv: 1 - 2x = {3, 1, 0.5, -3}; relu: {3, 1, 0.5, 0}; y = x + relu.
  CHECK(outputs[0].data == std::vector<float>{2, 1, 0.75f, 2});
  CHECK(outputs[1].data == std::vector<float>{3, 1, 0.5f, 0});
  CHECK(outputs[0].shape == ir::Dims{1, 1, 2, 2});
  CHECK(seen == std::vector<std::string>{"conv", "relu", "add"});
}

TEST_CASE("the executor checks the inputs against the graph") {
  const ir::Graph graph = residual_graph();
  CHECK_THROWS_WITH(golden::run_float(graph, {tensor({1, 1, 4}, {1, 2, 3, 4})}),
                    Contains("input 'x'") && Contains("1x1x2x2") && Contains("1x1x4"));
  CHECK_THROWS_WITH(golden::run_float(graph, {}), Contains("1 input(s), 0 tensor(s) given"));
  CHECK_THROWS_WITH(golden::run_float(graph, {tensor({1, 1, 2, 2}, {1, 2})}),
                    Contains("input 'x'") && Contains("holds 2"));
}

TEST_CASE("the executor refuses a graph that reads a value before it is computed") {
  ir::Graph graph = residual_graph();
  std::swap(graph.nodes[0], graph.nodes[1]);  // relu before conv
  CHECK_THROWS_WITH(golden::run_float(graph, {tensor({1, 1, 2, 2}, {1, 2, 3, 4})}),
                    Contains("node 'relu' (Relu)") && Contains("conv_out"));
}

TEST_CASE("a graph input can be a graph output") {
  ir::Graph graph;
  graph.values = {{"x", {2}, -1}};
  graph.inputs = {0};
  graph.outputs = {0};
  const std::vector<ir::Tensor> outputs = golden::run_float(graph, {tensor({2}, {4, 5})});
  REQUIRE(outputs.size() == 1);
  CHECK(outputs[0].data == std::vector<float>{4, 5});
}

TEST_CASE("a batch of two flows through conv, pooling and gemm") {
  // x[2,1,2,2] -> conv 1x1 weight 3 -> global average pool -> flatten -> gemm [2 outputs].
  ir::Graph graph;
  graph.values = {{"x", {2, 1, 2, 2}, -1},
                  {"c", {2, 1, 2, 2}, 0},
                  {"p", {2, 1, 1, 1}, 1},
                  {"f", {2, 1}, 2},
                  {"y", {2, 2}, 3}};
  ir::Node conv = test::make_node(ir::Op::Conv, "conv");
  conv.inputs = {0};
  conv.output = 1;
  conv.weight = tensor({1, 1, 1, 1}, {3});
  ir::Node gap = test::make_node(ir::Op::GlobalAveragePool, "gap");
  gap.inputs = {1};
  gap.output = 2;
  ir::Node flatten = test::make_node(ir::Op::Flatten, "flatten");
  flatten.inputs = {2};
  flatten.output = 3;
  ir::Node fc = test::make_node(ir::Op::Gemm, "fc");
  fc.inputs = {3};
  fc.output = 4;
  fc.weight = tensor({2, 1}, {1, -1});
  fc.bias = tensor({2}, {0, 100});
  graph.nodes = {conv, gap, flatten, fc};
  graph.inputs = {0};
  graph.outputs = {4};
  const ir::Tensor x = tensor({2, 1, 2, 2}, {1, 2, 3, 6, 0, 0, 4, 4});
  // Image means 3 and 2, times 3: 9 and 6; fc gives (m, 100 - m).
  CHECK(golden::run_float(graph, {x}).at(0).data == std::vector<float>{9, 91, 6, 94});
}

TEST_CASE("intermediates are freed after their last reader") {
  // x -> relu -> relu -> relu -> relu -> y on 1000 floats: at most a node's input and output
  // (2 x 4000 bytes) are alive at once; keeping everything would peak at 5 x 4000.
  ir::Graph graph;
  graph.values.push_back({"x", {1000}, -1});
  for (int n = 0; n < 4; ++n) {
    graph.values.push_back({fmt::format("v{}", n), {1000}, n});
    ir::Node relu = test::make_node(ir::Op::Relu, "relu");
    relu.inputs = {n};
    relu.output = n + 1;
    graph.nodes.push_back(relu);
  }
  graph.inputs = {0};
  graph.outputs = {4};
  golden::RunStats stats;
  const ir::Tensor x = tensor({1000}, std::vector<float>(1000, -1.0f));
  const std::vector<ir::Tensor> outputs = golden::run_float(graph, {x}, {}, &stats);
  CHECK(outputs.at(0).data == std::vector<float>(1000, 0.0f));
  CHECK(stats.peak_live_bytes == 2 * 4000);

  SECTION("a value read twice lives until its second reader") {
    // x -> relu a; a -> relu b; add(a, b): a, b and the sum are alive together.
    graph.values.resize(4);
    graph.nodes.resize(2);
    ir::Node add = test::make_node(ir::Op::Add, "add");
    add.inputs = {1, 2};
    add.output = 3;
    graph.nodes.push_back(add);
    graph.outputs = {3};
    golden::run_float(graph, {x}, {}, &stats);
    CHECK(stats.peak_live_bytes == 3 * 4000);
  }
}
