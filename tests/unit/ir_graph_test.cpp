// ir::Graph: topological sorting, producer bookkeeping and its error messages.
#include <catch2/catch.hpp>

#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::ir {
namespace {

// A graph over values named by `names`; value 0 is the graph input.
Graph graph_with_values(const std::vector<std::string>& names) {
  Graph graph;
  for (const std::string& name : names) graph.values.push_back(Value{name, {1, 4}, -1});
  graph.inputs = {0};
  return graph;
}

void add(Graph& graph, const std::string& name, Op op, std::vector<ValueId> inputs,
         ValueId output) {
  Node node;
  node.name = name;
  node.op = op;
  node.inputs = std::move(inputs);
  node.output = output;
  graph.nodes.push_back(node);
}

std::vector<std::string> node_names(const Graph& graph) {
  std::vector<std::string> names;
  for (const Node& node : graph.nodes) names.push_back(node.name);
  return names;
}

TEST_CASE("sort_topologically puts shuffled nodes in dependency order") {
  // x -> A -> a; a -> B -> b; a -> C -> c; (b, c) -> D -> d, given as D, B, A, C.
  Graph graph = graph_with_values({"x", "a", "b", "c", "d"});
  add(graph, "D", Op::Add, {2, 3}, 4);
  add(graph, "B", Op::Relu, {1}, 2);
  add(graph, "A", Op::Relu, {0}, 1);
  add(graph, "C", Op::Relu, {1}, 3);
  graph.outputs = {4};
  sort_topologically(graph);
  // A first; then B before C (their given order), then D.
  CHECK(node_names(graph) == std::vector<std::string>{"A", "B", "C", "D"});
  CHECK(graph.value(0).producer == -1);
  CHECK(graph.value(1).producer == 0);
  CHECK(graph.value(2).producer == 1);
  CHECK(graph.value(3).producer == 2);
  CHECK(graph.value(4).producer == 3);
  CHECK(graph.consumers(1) == std::vector<int>{1, 2});
}

TEST_CASE("sort_topologically keeps an order that is already valid") {
  // Two independent chains, interleaved: x -> P -> p -> Q -> q and x -> R -> r -> S -> s.
  Graph graph = graph_with_values({"x", "p", "q", "r", "s"});
  add(graph, "R", Op::Relu, {0}, 3);
  add(graph, "P", Op::Relu, {0}, 1);
  add(graph, "S", Op::Relu, {3}, 4);
  add(graph, "Q", Op::Relu, {1}, 2);
  graph.outputs = {2, 4};
  sort_topologically(graph);
  CHECK(node_names(graph) == std::vector<std::string>{"R", "P", "S", "Q"});
}

TEST_CASE("sort_topologically names a node of a cycle") {
  // a = Add(x, c); c = Relu(a): each waits for the other.
  Graph graph = graph_with_values({"x", "a", "c"});
  add(graph, "adder", Op::Add, {0, 2}, 1);
  add(graph, "looper", Op::Relu, {1}, 2);
  graph.outputs = {2};
  try {
    sort_topologically(graph);
    FAIL("no error");
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains("cycle"));
    CHECK((message.find("'adder'") != std::string::npos ||
           message.find("'looper'") != std::string::npos));
  }
}

TEST_CASE("sort_topologically rejects a value written twice, naming both writers") {
  Graph graph = graph_with_values({"x", "y"});
  add(graph, "first", Op::Relu, {0}, 1);
  add(graph, "second", Op::Relu, {0}, 1);
  try {
    sort_topologically(graph);
    FAIL("no error");
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains("'y'"));
    CHECK_THAT(message, Catch::Contains("'first'"));
    CHECK_THAT(message, Catch::Contains("'second'"));
  }
}

TEST_CASE("sort_topologically rejects a value that nothing writes") {
  Graph graph = graph_with_values({"x", "ghost", "y"});
  add(graph, "reader", Op::Add, {0, 1}, 2);
  REQUIRE_THROWS_WITH(sort_topologically(graph),
                      Catch::Contains("'reader'") && Catch::Contains("'ghost'"));
}

TEST_CASE("weight_layers lists Conv and Gemm nodes in order") {
  Graph graph = graph_with_values({"x", "a", "b", "c"});
  add(graph, "conv", Op::Conv, {0}, 1);
  add(graph, "relu", Op::Relu, {1}, 2);
  add(graph, "fc", Op::Gemm, {2}, 3);
  CHECK(graph.weight_layers() == std::vector<int>{0, 2});
}

TEST_CASE("batch_size is the first input's leading dimension") {
  Graph graph = graph_with_values({"x", "y"});
  CHECK(graph.batch_size() == 1);
  graph.values[0].shape = {8, 3, 32, 32};
  CHECK(graph.batch_size() == 8);
  graph.inputs.clear();
  CHECK(graph.batch_size() == 1);
}

TEST_CASE("element_count and format_dims") {
  CHECK(element_count({2, 3, 4}) == 24);
  CHECK(element_count({}) == 1);
  CHECK(format_dims({1, 3, 32, 32}) == "1x3x32x32");
  CHECK(format_dims({}) == "scalar");
}

}  // namespace
}  // namespace pimhls::ir
