// layer_stats / weight_matrix against counts worked out by hand.
#include <catch2/catch.hpp>

#include "ir/layer_stats.h"

namespace pimhls::ir {
namespace {

// One weight layer: input value 0 of `in`, output value 1 of `out`.
Graph single_layer(Op op, Dims in, Dims out, Dims weight, std::int64_t bias, std::int64_t group) {
  Graph graph;
  graph.values = {Value{"x", std::move(in), -1}, Value{"y", std::move(out), 0}};
  graph.inputs = {0};
  graph.outputs = {1};
  Node node;
  node.name = "layer";
  node.op = op;
  node.inputs = {0};
  node.output = 1;
  node.window.group = group;
  node.weight.shape = weight;
  node.weight.data.assign(static_cast<std::size_t>(element_count(weight)), 1.0f);
  node.bias.shape = {bias};
  node.bias.data.assign(static_cast<std::size_t>(bias), 0.0f);
  graph.nodes.push_back(node);
  return graph;
}

TEST_CASE("layer_stats of a plain 3x3 convolution") {
  // 8 -> 16 channels, 3x3, 10x10 output: 16*8*9 = 1152 weights, +16 bias;
  // every one of the 16*10*10 outputs takes 8*9 = 72 MACs: 115,200.
  const Graph graph = single_layer(Op::Conv, {1, 8, 10, 10}, {1, 16, 10, 10}, {16, 8, 3, 3}, 16, 1);
  const LayerStats stats = layer_stats(graph, graph.nodes[0]);
  CHECK(stats.weights == 1152);
  CHECK(stats.parameters == 1168);
  CHECK(stats.macs == 115200);
  const WeightMatrix matrix = weight_matrix(graph, graph.nodes[0]);
  CHECK(matrix.rows == 72);
  CHECK(matrix.cols == 16);
  CHECK(matrix.groups == 1);
  CHECK(matrix.vectors == 100);
}

TEST_CASE("layer_stats of a grouped convolution") {
  // 8 -> 12 channels in 2 groups: each output sees 4 inputs * 9 taps = 36 MACs;
  // 12 * 4 * 9 = 432 weights; 12 channels * 4x4 output = 192 outputs -> 6,912 MACs.
  const Graph graph = single_layer(Op::Conv, {1, 8, 6, 6}, {1, 12, 4, 4}, {12, 4, 3, 3}, 12, 2);
  const LayerStats stats = layer_stats(graph, graph.nodes[0]);
  CHECK(stats.weights == 432);
  CHECK(stats.parameters == 444);
  CHECK(stats.macs == 6912);
  const WeightMatrix matrix = weight_matrix(graph, graph.nodes[0]);
  CHECK(matrix.rows == 36);
  CHECK(matrix.cols == 12);
  CHECK(matrix.groups == 2);
  CHECK(matrix.vectors == 16);
}

TEST_CASE("layer_stats of a depthwise convolution") {
  // 8 channels, one 3x3 filter each: 72 weights + 8 bias; 8 * 6x6 outputs * 9 MACs = 2,592.
  const Graph graph = single_layer(Op::Conv, {1, 8, 6, 6}, {1, 8, 6, 6}, {8, 1, 3, 3}, 8, 8);
  const LayerStats stats = layer_stats(graph, graph.nodes[0]);
  CHECK(stats.weights == 72);
  CHECK(stats.parameters == 80);
  CHECK(stats.macs == 2592);
}

TEST_CASE("layer_stats of a fully connected layer") {
  // 4 rows of 10 features -> 5 outputs: 50 weights + 5 bias; 4 * 5 * 10 = 200 MACs.
  const Graph graph = single_layer(Op::Gemm, {4, 10}, {4, 5}, {5, 10}, 5, 1);
  const LayerStats stats = layer_stats(graph, graph.nodes[0]);
  CHECK(stats.weights == 50);
  CHECK(stats.parameters == 55);
  CHECK(stats.macs == 200);
  const WeightMatrix matrix = weight_matrix(graph, graph.nodes[0]);
  CHECK(matrix.rows == 10);
  CHECK(matrix.cols == 5);
  CHECK(matrix.vectors == 4);
}

TEST_CASE("layer_stats of a layer without weights is zero") {
  Graph graph = single_layer(Op::Conv, {1, 8, 6, 6}, {1, 8, 3, 3}, {8, 1, 3, 3}, 8, 8);
  graph.nodes[0].op = Op::MaxPool;
  const LayerStats stats = layer_stats(graph, graph.nodes[0]);
  CHECK(stats.weights == 0);
  CHECK(stats.parameters == 0);
  CHECK(stats.macs == 0);
}

}  // namespace
}  // namespace pimhls::ir
