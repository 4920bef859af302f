#include "quant/layer_error.h"

#include <algorithm>

#include "golden/float_reference.h"
#include "quant/int_ops.h"
#include "quant/metrics.h"
#include "util/error.h"

namespace pimhls::quant {

std::vector<LayerError> layer_errors(const ir::Graph& float_graph, const QuantizedGraph& graph,
                                     const std::vector<ir::Tensor>& inputs, MatrixEngine& engine) {
  if (float_graph.nodes.size() != graph.graph.nodes.size())
    fail("graph '{}': the float graph has {} nodes, the quantized one {}", float_graph.name,
         float_graph.nodes.size(), graph.graph.nodes.size());
  std::vector<std::vector<float>> float_outputs(float_graph.nodes.size());
  std::size_t next = 0;
  golden::run_float(float_graph, inputs, [&](const ir::Node&, const ir::Tensor& output) {
    float_outputs[next++] = output.data;
  });
  std::vector<LayerError> errors;
  run_quantized(graph, inputs, engine, [&](int index, const IntTensor& output) {
    const ir::Node& node = graph.graph.nodes[static_cast<std::size_t>(index)];
    const ir::Tensor real =
        dequantize_tensor(output, graph.values[static_cast<std::size_t>(node.output)]);
    std::vector<float>& reference = float_outputs[static_cast<std::size_t>(index)];
    // An unsigned value whose float output goes negative is read only by ReLUs (quantize.cpp):
    // its codes hold the ReLU of the value, so compare with that.
    if (!graph.values[static_cast<std::size_t>(node.output)].is_signed)
      for (float& element : reference) element = std::max(element, 0.0f);
    errors.push_back({index, node.name, node.op, sqnr_db(reference, real.data)});
  });
  return errors;
}

}  // namespace pimhls::quant
