#include "ir/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <queue>

#include "util/error.h"

namespace pimhls::ir {

std::int64_t element_count(const Dims& shape) {
  std::int64_t count = 1;
  for (std::int64_t dim : shape) count *= dim;
  return count;
}

std::string format_dims(const Dims& shape) {
  if (shape.empty()) return "scalar";
  return fmt::format("{}", fmt::join(shape, "x"));
}

const char* op_name(Op op) {
  switch (op) {
    case Op::Conv: return "Conv";
    case Op::Gemm: return "Gemm";
    case Op::Relu: return "Relu";
    case Op::Clip: return "Clip";
    case Op::MaxPool: return "MaxPool";
    case Op::Upsample: return "Upsample";
    case Op::ZeroInsert: return "ZeroInsert";
    case Op::ChannelGather: return "ChannelGather";
    case Op::ChannelMax: return "ChannelMax";
    case Op::BorderPad: return "BorderPad";
    case Op::Resample: return "Resample";
    case Op::AveragePool: return "AveragePool";
    case Op::GlobalAveragePool: return "GlobalAveragePool";
    case Op::Add: return "Add";
    case Op::Mul: return "Mul";
    case Op::Concat: return "Concat";
    case Op::Flatten: return "Flatten";
    case Op::Reshape: return "Reshape";
    case Op::ChannelAffine: return "ChannelAffine";
    case Op::Softmax: return "Softmax";
    case Op::LogSoftmax: return "LogSoftmax";
    case Op::ArgMax: return "ArgMax";
    case Op::Unary: return "Unary";
  }
  return "?";
}

bool Graph::is_output(ValueId id) const {
  return std::find(outputs.begin(), outputs.end(), id) != outputs.end();
}

Dims Graph::model_input_shape(std::size_t input) const {
  const ValueId id = inputs.at(input);
  Dims model = shape(id);
  if (const auto permuted = input_permutations.find(id); permuted != input_permutations.end())
    for (std::size_t d = 0; d < permuted->second.size(); ++d)
      model.at(static_cast<std::size_t>(permuted->second[d])) = shape(id)[d];
  return model;
}

const Dims& Graph::model_output_shape(std::size_t output) const {
  const auto layout = output_layouts.find(output);
  return layout != output_layouts.end() ? layout->second.shape : shape(outputs.at(output));
}

std::vector<int> Graph::consumers(ValueId id) const {
  std::vector<int> readers;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    for (ValueId input : nodes[n].inputs) {
      if (input == id) {
        readers.push_back(static_cast<int>(n));
        break;
      }
    }
  }
  return readers;
}

std::vector<int> Graph::weight_layers() const {
  std::vector<int> layers;
  for (std::size_t n = 0; n < nodes.size(); ++n)
    if (nodes[n].has_weights()) layers.push_back(static_cast<int>(n));
  return layers;
}

std::int64_t Graph::batch_size() const {
  if (inputs.empty() || shape(inputs.front()).empty()) return 1;
  return std::max<std::int64_t>(1, shape(inputs.front()).front());
}

void sort_topologically(Graph& graph) {
  const std::size_t node_count = graph.nodes.size();
  std::vector<int> writer(graph.values.size(), -1);
  for (std::size_t n = 0; n < node_count; ++n) {
    const Node& node = graph.nodes[n];
    if (node.output < 0 || static_cast<std::size_t>(node.output) >= graph.values.size())
      fail("node '{}' ({}) has no valid output", node.name, op_name(node.op));
    if (writer[node.output] >= 0)
      fail("value '{}' is written by both '{}' and '{}'", graph.values[node.output].name,
           graph.nodes[writer[node.output]].name, node.name);
    writer[node.output] = static_cast<int>(n);
  }
  std::vector<bool> is_input(graph.values.size(), false);
  for (ValueId id : graph.inputs) is_input[id] = true;

  // Kahn's algorithm; the priority queue keeps the original order among ready nodes.
  std::vector<int> pending(node_count, 0);
  std::vector<std::vector<int>> readers(node_count);
  for (std::size_t n = 0; n < node_count; ++n) {
    for (ValueId input : graph.nodes[n].inputs) {
      if (input < 0 || static_cast<std::size_t>(input) >= graph.values.size())
        fail("node '{}' reads an unknown value", graph.nodes[n].name);
      if (writer[input] >= 0) {
        ++pending[n];
        readers[writer[input]].push_back(static_cast<int>(n));
      } else if (!is_input[input]) {
        fail("node '{}' reads '{}', which no node produces and is not a graph input",
             graph.nodes[n].name, graph.values[input].name);
      }
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (std::size_t n = 0; n < node_count; ++n)
    if (pending[n] == 0) ready.push(static_cast<int>(n));
  std::vector<int> order;
  while (!ready.empty()) {
    const int n = ready.top();
    ready.pop();
    order.push_back(n);
    for (int reader : readers[n])
      if (--pending[reader] == 0) ready.push(reader);
  }
  if (order.size() != node_count) {
    for (std::size_t n = 0; n < node_count; ++n)
      if (pending[n] > 0) fail("the graph has a cycle through node '{}'", graph.nodes[n].name);
  }

  std::vector<Node> sorted;
  sorted.reserve(node_count);
  for (int n : order) sorted.push_back(std::move(graph.nodes[n]));
  graph.nodes = std::move(sorted);
  for (Value& value : graph.values) value.producer = -1;
  for (std::size_t n = 0; n < node_count; ++n)
    graph.values[graph.nodes[n].output].producer = static_cast<int>(n);
}

}  // namespace pimhls::ir
