#pragma once
// The float reference executor: ONNX semantics on the layer IR, the ground truth that the
// quantized and analog results are measured against.
#include <functional>
#include <vector>

#include "ir/graph.h"

namespace pimhls::golden {

// Runs `graph` on one tensor per graph input (in graph.inputs order) and returns one tensor
// per graph output. Throws Error when an input's shape does not match the graph.
std::vector<ir::Tensor> run_float(const ir::Graph& graph, const std::vector<ir::Tensor>& inputs);

// Sees every node's output right after the node ran (calibration, debugging). The tensor is
// freed once its last consumer ran, so an observer that needs it later must copy it.
using NodeObserver = std::function<void(const ir::Node& node, const ir::Tensor& output)>;

// Figures of one run, for tests and benchmarks.
struct RunStats {
  // Most tensor data held at once: inputs, live intermediates and outputs (weights excluded).
  std::int64_t peak_live_bytes = 0;
};

// Same, calling `observer` (if set) after each node in graph.nodes order, and filling `stats`
// (if given).
std::vector<ir::Tensor> run_float(const ir::Graph& graph, const std::vector<ir::Tensor>& inputs,
                                  const NodeObserver& observer, RunStats* stats = nullptr);

}  // namespace pimhls::golden
