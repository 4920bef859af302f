#pragma once
// The network as the optimizer sees it: the weight layers in topological order (the units of
// Alg. 1 before splitting) and the activations that must outlive the layer that produced them.
// Non-weight nodes (pooling, Add, ReLU, reshapes) run in the tile of the latest weight layer
// they depend on, so every tensor is placed at a layer position: a tensor produced at position
// a and last read at position b > a is live across the cuts a .. b-1 (a residual branch that
// skips several layers is live across all of them).
#include <cstdint>
#include <string>
#include <vector>

#include "cost/layer_shape.h"
#include "cost/stream_graph.h"
#include "cost/stream_timing.h"
#include "ir/graph.h"

namespace pimhls::opt {

struct Layer {
  std::string name;  // the ONNX node name
  int node = -1;     // index into ir::Graph::nodes
  cost::LayerShape shape;
  std::int64_t weight_bits = 0;  // weights * bits per weight
  std::int64_t macs = 0;
  std::int64_t output_bits = 0;  // the layer's own output (before pooling), activation bits
};

struct LiveTensor {
  std::string name;           // the IR value
  int producer_layer = 0;     // position of the node that writes it
  int last_reader_layer = 0;  // position of its last reader (> producer_layer)
  std::int64_t bits = 0;
};

struct Network {
  std::string name;
  std::vector<Layer> layers;
  std::vector<LiveTensor> tensors;   // only those read after their producer's position
  cost::StreamGraph streams;         // how pixels flow (empty in synthetic networks)
  mutable cost::TimingMemo timings;  // group timelines over `streams` (a cache, not state)

  int size() const { return static_cast<int>(layers.size()); }
};

// Throws Error (naming the graph) when it has no weight layer to map.
Network network_from_graph(const ir::Graph& graph, int weight_bits, int activation_bits);

// Activation bits live across each cut between layer i and i + 1 (size layers - 1).
std::vector<std::int64_t> live_bits_between_layers(const Network& network);

}  // namespace pimhls::opt
