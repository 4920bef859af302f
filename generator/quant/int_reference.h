#pragma once
// The integer reference executor: runs a QuantizedGraph with integer arithmetic only. Conv and
// Gemm hand their matrix products to a MatrixEngine: the exact one here (the integer
// reference), or the analog PIM model (analog_reference.h), so the two executors differ in the
// products and nowhere else.
#include <functional>
#include <span>
#include <vector>

#include "ir/graph.h"
#include "quant/quantized_graph.h"

namespace pimhls::quant {

// The products of one Conv/Gemm, one block of weight groups at a time.
class MatrixEngine {
 public:
  virtual ~MatrixEngine() = default;
  // Conv groups per multiply() (B): the engine maps B consecutive groups as one
  // block-diagonal matrix (quant/group_packing.h). Divides the node's groups.
  virtual std::int64_t groups_per_multiply(int /*node_index*/) const { return 1; }
  // accumulators[n * vectors + v] = sum_k W[n][k] * patches[k * vectors + v], where W is the
  // block's part of the node's weight codes ([B*Cout/group, B*Cin/group*kh*kw], zero between
  // the groups; [N, K] for Gemm) and patches the input codes ([rows, vectors], row-major; one
  // column per output pixel or Gemm row). `block` counts blocks of B groups.
  virtual void multiply(int node_index, std::int64_t block, std::span<const std::int32_t> patches,
                        std::int64_t vectors, std::span<std::int64_t> accumulators) = 0;
};

// Integer products, computed exactly.
class ExactEngine final : public MatrixEngine {
 public:
  explicit ExactEngine(const QuantizedGraph& graph) : graph_(graph) {}
  void multiply(int node_index, std::int64_t group, std::span<const std::int32_t> patches,
                std::int64_t vectors, std::span<std::int64_t> accumulators) override;

 private:
  const QuantizedGraph& graph_;
  std::vector<double> weights_;  // the current node's codes as doubles (see the .cpp)
  int weights_node_ = -1;
};

// Sees every node's integer output right after it is computed (per-layer comparisons, RTL
// checks). The tensor is freed later, so an observer that needs it must copy it.
using IntObserver = std::function<void(int node_index, const IntTensor& output)>;

struct IntResult {
  std::vector<IntTensor> outputs;       // output codes, one per graph output
  std::vector<ir::Tensor> dequantized;  // the same as reals (scale * code)
};

// Quantizes `inputs` (one float tensor per graph input) with the graph inputs' parameters,
// runs every node, and returns the outputs. Throws Error on inputs of the wrong shape.
IntResult run_quantized(const QuantizedGraph& graph, const std::vector<ir::Tensor>& inputs,
                        MatrixEngine& engine, const IntObserver& observer = {});

// The integer reference: run_quantized with the ExactEngine.
IntResult run_int(const QuantizedGraph& graph, const std::vector<ir::Tensor>& inputs,
                  const IntObserver& observer = {});

}  // namespace pimhls::quant
