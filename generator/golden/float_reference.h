#pragma once
// The float reference executor: ONNX semantics on the layer IR, the ground truth that the
// quantized and analog results are measured against.
#include <vector>

#include "ir/graph.h"

namespace pimhls::golden {

// Runs `graph` on one tensor per graph input (in graph.inputs order) and returns one tensor
// per graph output. Throws Error when an input's shape does not match the graph.
std::vector<ir::Tensor> run_float(const ir::Graph& graph, const std::vector<ir::Tensor>& inputs);

}  // namespace pimhls::golden
