#include "quant/analog_reference.h"

#include "quant/group_packing.h"
#include "util/error.h"

namespace pimhls::quant {
namespace {

LayerMatrix layer_matrix(const QuantizedGraph& graph, const ir::Node& node) {
  const ir::Dims& weight = node.weight.shape;
  const QuantParams& input = graph.values.at(static_cast<std::size_t>(node.inputs.at(0)));
  LayerMatrix matrix;
  matrix.weight_bits = graph.config.weight_bits;
  matrix.input_bits = input.bits;
  matrix.signed_input = input.is_signed;
  if (node.op == ir::Op::Conv && weight.size() == 4 && node.window.group >= 1) {
    matrix.groups = node.window.group;
    matrix.rows = weight[1] * weight[2] * weight[3];
    matrix.columns = weight[0] / node.window.group;
    matrix.kernel_taps = weight[2] * weight[3];
  } else if (node.op == ir::Op::Gemm && weight.size() == 2) {
    matrix.rows = weight[1];
    matrix.columns = weight[0];
  } else {
    fail("node '{}' ({}): weight of shape {} cannot be mapped to arrays", node.name,
         ir::op_name(node.op), ir::format_dims(weight));
  }
  return matrix;
}

}  // namespace

AnalogEngine::AnalogEngine(const QuantizedGraph& graph, const ArrayMap& arrays,
                           Nonideality* nonideal)
    : graph_(graph), nonideal_(nonideal) {
  for (int n : graph.graph.weight_layers()) {
    const ir::Node& node = graph.graph.nodes[static_cast<std::size_t>(n)];
    const std::string where = fmt::format("layer '{}': array parameters", node.name);
    const ArrayParams& params = arrays.at(node.name);
    const std::vector<std::int32_t>& weights = graph.nodes[static_cast<std::size_t>(n)].weight;
    const LayerMatrix matrix = layer_matrix(graph, node);
    if (params.groups_per_array == 1 || matrix.groups == 1) {  // nothing to pack
      ArrayParams single = params;
      single.groups_per_array = 1;
      layers_.try_emplace(n, weights, matrix, single, where);
      continue;
    }
    if (params.groups_per_array < 1 || matrix.groups % params.groups_per_array != 0)
      fail("{}: groups_per_array = {} does not divide the layer's {} groups", where,
           params.groups_per_array, matrix.groups);
    layers_.try_emplace(n,
                        pack_group_weights(weights, matrix.groups, matrix.columns, matrix.rows,
                                           params.groups_per_array),
                        pack_group_matrix(matrix, params.groups_per_array), params, where);
  }
}

std::int64_t AnalogEngine::groups_per_multiply(int node_index) const {
  return layers_.at(node_index).params().groups_per_array;
}

void AnalogEngine::multiply(int node_index, std::int64_t block,
                            std::span<const std::int32_t> patches, std::int64_t vectors,
                            std::span<std::int64_t> accumulators) {
  layers_.at(node_index).multiply(block, patches, vectors, accumulators, nonideal_, node_index);
}

std::vector<AnalogLayerReport> AnalogEngine::report() const {
  std::vector<AnalogLayerReport> reports;
  for (const auto& [index, layer] : layers_) {
    AnalogLayerReport report;
    report.node_index = index;
    report.name = graph_.graph.nodes[static_cast<std::size_t>(index)].name;
    report.params = layer.params();
    report.adc_shift = layer.adc().shift;
    report.lossless = layer.lossless();
    report.row_blocks = static_cast<std::int64_t>(layer.blocks().size());
    report.columns_per_weight = static_cast<std::int64_t>(layer.slices().size());
    report.counters = layer.counters();
    reports.push_back(report);
  }
  return reports;
}

IntResult run_analog(const QuantizedGraph& graph, const AnalogConfig& config,
                     const std::vector<ir::Tensor>& inputs, const IntObserver& observer,
                     std::vector<AnalogLayerReport>* report) {
  const std::unique_ptr<Nonideality> nonideal = make_nonideality(config.nonideal);
  AnalogEngine engine(graph, config.arrays, nonideal.get());
  IntResult result = run_quantized(graph, inputs, engine, observer);
  if (report) *report = engine.report();
  return result;
}

}  // namespace pimhls::quant
