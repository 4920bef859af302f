#pragma once
// Per-layer figures that do not depend on hardware: parameters, MACs, weight bits.
#include <cstdint>

#include "ir/graph.h"

namespace pimhls::ir {

struct LayerStats {
  std::int64_t weights = 0;     // weight elements (no bias)
  std::int64_t parameters = 0;  // weights + bias
  std::int64_t macs = 0;        // multiply-accumulates for one inference
};

LayerStats layer_stats(const Graph& graph, const Node& node);

// Weight matrix as mapped onto crossbars: rows = Cin/group*kh*kw (Conv) or K (Gemm),
// columns = Cout (Conv) or N (Gemm); groups = Conv groups (each group its own block).
struct WeightMatrix {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t groups = 1;
  std::int64_t vectors = 0;  // input vectors per inference: output pixels (Conv) or M (Gemm)
};

WeightMatrix weight_matrix(const Graph& graph, const Node& node);

}  // namespace pimhls::ir
