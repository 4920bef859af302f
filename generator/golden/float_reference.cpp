// The graph walk of the float reference: inputs checked against the graph, nodes run in
// topological order, every intermediate freed right after its last reader.
#include "golden/float_reference.h"

#include <algorithm>
#include <optional>

#include "golden/float_ops.h"
#include "util/error.h"

namespace pimhls::golden {
namespace {

void check_inputs(const ir::Graph& graph, const std::vector<ir::Tensor>& inputs) {
  if (inputs.size() != graph.inputs.size())
    fail("graph '{}' has {} input(s), {} tensor(s) given", graph.name, graph.inputs.size(),
         inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const ir::Value& value = graph.value(graph.inputs[i]);
    if (inputs[i].shape != value.shape)
      fail("input '{}': the graph expects shape {}, the tensor given has shape {}", value.name,
           ir::format_dims(value.shape), ir::format_dims(inputs[i].shape));
    if (inputs[i].size() != ir::element_count(value.shape))
      fail("input '{}': shape {} needs {} values, the tensor holds {}", value.name,
           ir::format_dims(value.shape), ir::element_count(value.shape), inputs[i].size());
  }
}

// Bytes of tensor data currently held (measured, not tracked, so the stats tell the truth).
std::int64_t held_bytes(const std::vector<std::optional<ir::Tensor>>& values) {
  std::int64_t total = 0;
  for (const std::optional<ir::Tensor>& value : values)
    if (value) total += value->size() * static_cast<std::int64_t>(sizeof(float));
  return total;
}

// For each value, the index of the last node that reads it (-1: none). Graph outputs are
// never freed, so they get the sentinel `node_count`.
std::vector<int> last_readers(const ir::Graph& graph) {
  std::vector<int> last(graph.values.size(), -1);
  for (std::size_t n = 0; n < graph.nodes.size(); ++n)
    for (ir::ValueId id : graph.nodes[n].inputs)
      last.at(static_cast<std::size_t>(id)) = static_cast<int>(n);
  for (ir::ValueId id : graph.outputs)
    last.at(static_cast<std::size_t>(id)) = static_cast<int>(graph.nodes.size());
  return last;
}

}  // namespace

std::vector<ir::Tensor> run_float(const ir::Graph& graph, const std::vector<ir::Tensor>& inputs) {
  return run_float(graph, inputs, NodeObserver{});
}

std::vector<ir::Tensor> run_float(const ir::Graph& graph, const std::vector<ir::Tensor>& inputs,
                                  const NodeObserver& observer, RunStats* stats) {
  check_inputs(graph, inputs);
  const std::vector<int> last_reader = last_readers(graph);
  std::vector<std::optional<ir::Tensor>> values(graph.values.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto id = static_cast<std::size_t>(graph.inputs[i]);
    if (last_reader.at(id) >= 0) values[id] = inputs[i];  // an input nothing reads is not kept
  }
  std::int64_t peak_bytes = held_bytes(values);

  std::vector<const ir::Tensor*> operands;
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    const ir::Node& node = graph.nodes[n];
    operands.clear();
    for (ir::ValueId id : node.inputs) {
      const std::optional<ir::Tensor>& value = values.at(static_cast<std::size_t>(id));
      if (!value)
        fail("{} reads '{}' before any node computed it (graph not in topological order?)",
             describe(node), graph.value(id).name);
      operands.push_back(&*value);
    }
    if (node.output < 0 || static_cast<std::size_t>(node.output) >= values.size())
      fail("{} has no valid output value", describe(node));
    ir::Tensor output = run_node(node, operands, graph.shape(node.output));
    if (observer) observer(node, output);
    values[static_cast<std::size_t>(node.output)] = std::move(output);
    if (stats) peak_bytes = std::max(peak_bytes, held_bytes(values));
    for (ir::ValueId id : node.inputs)
      if (last_reader[static_cast<std::size_t>(id)] == static_cast<int>(n))
        values[static_cast<std::size_t>(id)].reset();
  }
  if (stats) stats->peak_live_bytes = peak_bytes;

  std::vector<ir::Tensor> outputs;
  outputs.reserve(graph.outputs.size());
  for (ir::ValueId id : graph.outputs) {
    const std::optional<ir::Tensor>& value = values.at(static_cast<std::size_t>(id));
    if (!value) fail("graph output '{}' is computed by no node", graph.value(id).name);
    outputs.push_back(*value);
  }
  return outputs;
}

}  // namespace pimhls::golden
