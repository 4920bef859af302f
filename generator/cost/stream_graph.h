#pragma once
// How pixels stream between the nodes of a network: for every output pixel of a node, the last
// pixel of each input it reads. The pipelined timing of a layer group (cost/stream_timing.h)
// starts a vector as soon as those pixels are out, as the accelerator's engines do
// (docs/isa.md, "RUN"). docs/cost-model.md, "Layer groups".
//
// Windows (Conv, pooling, a Resample's at its tabled rows and columns) are rectangles, so the
// last input pixel a window reads in raster order is (last row it reads) * width + (last column
// it reads). [N, C, L] maps stream as one row of L pixels. Element-wise nodes read the same pixel;
// GlobalAveragePool and a Gemm over a flattened feature map read all of it. Flatten/Reshape are not
// nodes here (they keep their producer's pixels); Softmax runs on the host. The samples of a batch
// stream one after another (a node's rows are those of sample 0, then sample 1, ...).
#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace pimhls::cost {

struct StreamEdge {
  int producer = -1;  // index into StreamGraph::nodes; -1: a network input
  // Per output pixel of the reader: the last pixel of the producer it reads in raster order
  // (-1: none, a window entirely in the padding).
  std::vector<std::int32_t> last_pixel;
};

struct StreamNode {
  int node = -1;   // index into ir::Graph::nodes
  int layer = -1;  // index among ir::Graph::weight_layers(), -1 for a vector node
  std::int64_t height = 1, width = 1;  // height: the rows of all samples
  std::vector<StreamEdge> inputs;

  std::int64_t pixels() const { return height * width; }
};

struct StreamGraph {
  std::vector<StreamNode> nodes;  // topological order
  std::vector<int> layer_node;    // per weight layer: its index in `nodes`
};

StreamGraph stream_graph(const ir::Graph& graph);

}  // namespace pimhls::cost
