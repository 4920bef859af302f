#pragma once
// What the cost model needs to know about one weight layer: the crossbar weight matrix
// (ir::weight_matrix) plus the kernel size, so that whole kernels stay in one array (MNSIM).
#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace pimhls::cost {

struct LayerShape {
  std::int64_t in_channels = 0;   // per group (Gemm: K)
  std::int64_t kernel_area = 1;   // kh * kw (Gemm: 1)
  std::int64_t out_channels = 0;  // all groups together (Gemm: N)
  std::int64_t groups = 1;        // Conv groups; each group is its own weight block
  std::int64_t vectors = 0;       // input vectors per inference: output pixels (Conv), M (Gemm)
  // Outputs of this layer that the next weight layer needs before its first output: the
  // pipeline fill between the two (docs/cost-model.md, "Layer groups"). 1..vectors.
  std::int64_t lead_vectors = 0;
  // Groups packed block-diagonally into one array (MNSIM): P consecutive groups share an
  // array's rows and columns, the weights between groups stored as zeros. 0: as many as fit
  // the configuration (evaluate_layer picks, Mapping::groups_per_array says how many); the
  // optimizer pins the count it chose so that every piece of a layer packs alike.
  std::int64_t groups_per_array = 0;

  std::int64_t rows() const { return in_channels * kernel_area; }  // per group
  std::int64_t weights() const { return rows() * out_channels; }
  std::int64_t macs() const { return vectors * weights(); }
};

// The shape of a Conv or Gemm node; lead_vectors = vectors (its consumer is not known here).
LayerShape layer_shape(const ir::Graph& graph, const ir::Node& node);

// The weight layers of `graph` (ir::Graph::weight_layers order) with lead_vectors taken from the
// next weight layer's window: a Conv needs its first kernel's rows of input, a Gemm all of it.
std::vector<LayerShape> layer_shapes(const ir::Graph& graph);

}  // namespace pimhls::cost
