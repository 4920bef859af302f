#pragma once
// OUT/sim_config.json: what the generic harness (sim/pimhls_sim_main.cpp) and `pimhls sim` need
// to know about a design: the off-chip image and its bandwidth, the cycle limit, the buffers
// (host addresses), the network inputs (quantization) and outputs, and the estimate.
#include <string>

#include "compile/program.h"
#include "emit/design_files.h"
#include "quant/quantized_graph.h"

namespace pimhls::emit {

std::string sim_config_json(const compile::Program& program, const quant::QuantizedGraph& graph,
                            const DesignContext& context, const std::string& hash);

// A generous bound on the simulated cycles: a run that reaches it has hung.
std::int64_t cycle_limit(const compile::Program& program, std::int64_t estimate_cycles);

}  // namespace pimhls::emit
