#include "opt/network.h"

#include <algorithm>

#include "ir/code_bits.h"
#include "ir/layer_stats.h"
#include "util/error.h"

namespace pimhls::opt {

Network network_from_graph(const ir::Graph& graph, int weight_bits, int activation_bits) {
  const std::vector<int> weight_nodes = graph.weight_layers();
  if (weight_nodes.empty())
    fail("{}: the network has no Conv or Gemm layer to map onto PIM arrays",
         graph.name.empty() ? "graph" : graph.name);
  Network network;
  network.name = graph.name;
  network.streams = cost::stream_graph(graph);
  const std::vector<cost::LayerShape> shapes = cost::layer_shapes(graph);
  std::vector<int> position(graph.nodes.size(), -1);  // -1: depends on graph inputs only
  for (std::size_t i = 0; i < weight_nodes.size(); ++i) {
    const ir::Node& node = graph.nodes[static_cast<std::size_t>(weight_nodes[i])];
    Layer layer;
    layer.name = node.name;
    layer.node = weight_nodes[i];
    layer.shape = shapes[i];
    const ir::LayerStats stats = ir::layer_stats(graph, node);
    layer.weight_bits = stats.weights * weight_bits;
    layer.macs = stats.macs;
    layer.output_bits = ir::element_count(graph.shape(node.output)) *
                        ir::code_bits(graph, node.output, activation_bits);
    network.layers.push_back(layer);
    position[static_cast<std::size_t>(weight_nodes[i])] = static_cast<int>(i);
  }
  // Nodes are in topological order, so every input's producer is placed before its reader.
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    if (graph.nodes[n].has_weights()) continue;
    for (ir::ValueId input : graph.nodes[n].inputs) {
      const int producer = graph.value(input).producer;
      if (producer >= 0) position[n] = std::max(position[n], position[producer]);
    }
  }
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    const int produced_at = position[n];
    if (produced_at < 0) continue;  // streamed from the graph input
    int last_read = produced_at;
    for (int reader : graph.consumers(graph.nodes[n].output))
      last_read = std::max(last_read, position[static_cast<std::size_t>(reader)]);
    if (last_read == produced_at) continue;
    const ir::Value& value = graph.value(graph.nodes[n].output);
    network.tensors.push_back({value.name, produced_at, last_read,
                               ir::element_count(value.shape) *
                                   ir::code_bits(graph, graph.nodes[n].output, activation_bits)});
  }
  return network;
}

std::vector<std::int64_t> live_bits_between_layers(const Network& network) {
  std::vector<std::int64_t> live(static_cast<std::size_t>(std::max(network.size() - 1, 0)), 0);
  for (const LiveTensor& tensor : network.tensors)
    for (int cut = tensor.producer_layer; cut < tensor.last_reader_layer; ++cut)
      live[static_cast<std::size_t>(cut)] += tensor.bits;
  return live;
}

}  // namespace pimhls::opt
