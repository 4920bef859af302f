#pragma once
// The flow of the compile/emulate tests: float graph -> quantized graph -> optimized design
// (opt::optimize under a budget, written as design.json text by report/) -> Program ->
// emulator, next to quant::run_analog with the design's arrays.
#include <string>
#include <vector>

#include "compile/compile.h"
#include "compile/design_info.h"
#include "emulate/emulate.h"
#include "hw/library.h"
#include "opt/cost_tables.h"
#include "opt/optimizer.h"
#include "quant/analog_reference.h"
#include "quant/calibrate.h"
#include "quant/design_arrays.h"
#include "quant/from_library.h"
#include "quant/int_ops.h"
#include "quant/quantize.h"
#include "report/design_json.h"
#include "report/json_format.h"

namespace pimhls::test {

struct Flow {
  hw::Library library;
  quant::QuantizedGraph graph;
  std::string design_text;
  compile::DesignInfo design;
  compile::Program program;
  opt::Evaluation evaluation;  // the cost model's, of the design compiled
};

// budget_factor: the area budget as a multiple of the smallest feasible budget (large: all
// weights on chip, one group, duplication; close to 1: several groups, splits).
inline Flow make_flow(const ir::Graph& float_graph, const std::vector<std::string>& technologies,
                      double budget_factor, unsigned seed = 7,
                      const hw::Library* library = nullptr) {
  Flow flow;
  flow.library = library ? *library : hw::builtin_library();
  const quant::QuantConfig config = quant::with_library_bits(flow.library, {});
  flow.graph = quant::quantize(float_graph, quant::random_input_sets(float_graph, 3, seed), config);
  const opt::Problem problem = opt::make_problem(float_graph, flow.library, technologies);
  opt::OptimizerSettings settings;
  settings.area_budget_um2 = opt::smallest_budget_um2(problem) * budget_factor;
  const opt::OptimizationResult result = opt::optimize(problem, settings);
  const report::RunInfo info{"test.onnx", flow.library.source, config.weight_bits,
                             config.activation_bits, config.accumulator_bits};
  flow.design_text = report::dump(report::design_json(problem, result.designs.front(), info));
  flow.evaluation = result.designs.front().evaluation;
  flow.design = compile::parse_design_info(flow.design_text, "design.json");
  flow.program = compile::compile_design(flow.graph, flow.design, flow.library);
  return flow;
}

// SRAM with 32 parallel rows, RRAM with MNSIM's 6-bit ADC: on the tiny CNN the tuner gives
// some copies of a unit fewer readout units (two engines over one array geometry, copies at
// uneven tile distances within each).
inline hw::Library readouts_library() {
  return hw::overlay_library(
      "[tile.sram]\nparallel_rows = 32\n[tile.rram]\nreadout = \"adc_6b\"\nparallel_rows = 16\n",
      "readouts.toml");
}

// Four arrays per tile (SRAM and RRAM): a grouped conv's arrays (one per group) span tiles.
inline hw::Library small_tiles_library() {
  return hw::overlay_library("[tile.sram]\narrays_per_tile = 4\n[tile.rram]\narrays_per_tile = 4\n",
                             "small_tiles.toml");
}

// The same code `value` for every element of every graph input (timing-only runs).
inline std::vector<quant::IntTensor> constant_codes(const quant::QuantizedGraph& graph, int value) {
  std::vector<quant::IntTensor> codes;
  for (ir::ValueId input : graph.graph.inputs) {
    quant::IntTensor t;
    t.shape = graph.graph.shape(input);
    t.data.assign(static_cast<std::size_t>(ir::element_count(t.shape)), value);
    codes.push_back(t);
  }
  return codes;
}

struct Comparison {
  std::vector<quant::IntTensor> expected;  // run_analog
  std::vector<quant::IntTensor> actual;    // emulator + host ops
  emulate::Result result;
};

inline Comparison compare_with_analog(const Flow& flow, unsigned seed = 11) {
  Comparison c;
  const std::vector<ir::Tensor> inputs = quant::random_input_sets(flow.graph.graph, 1, seed)[0];
  quant::AnalogConfig analog;
  analog.arrays = quant::parse_design_arrays(flow.design_text, "design.json");
  c.expected = quant::run_analog(flow.graph, analog, inputs).outputs;
  std::vector<quant::IntTensor> codes;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    codes.push_back(quant::quantize_tensor(
        inputs[i], flow.graph.values.at(static_cast<std::size_t>(flow.graph.graph.inputs[i]))));
  c.result = emulate::run(flow.program, codes);
  c.actual = emulate::host_outputs(flow.graph, flow.program, c.result);
  return c;
}

}  // namespace pimhls::test
