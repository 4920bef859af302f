#pragma once
// Design -> Program (docs/isa.md). The API the emit/sim step calls:
//
//   quant::QuantizedGraph graph = ...;                   // the quantized network
//   compile::DesignInfo design = compile::read_design_info("OUT/design.json");
//      (or parse_design_info(report::dump(report::design_json(...)), "design.json"))
//   compile::Program program = compile::compile_design(graph, design, library);
//   compile::write_program(program, "OUT");   // rom/*.hex, mem/offchip.hex, program.json
//   emulate::Result result = emulate::run(program, graph, input_codes);  // emulate/emulate.h
//
// compile_design throws Error naming the design file and the unit / node when the design uses
// something the RTL does not support yet (a vector op on a reshaped tensor, Gemm with M > 1,
// copies at uneven tile distances, a tile set serving two units in one group, ...).
#include "compile/design_info.h"
#include "compile/program.h"
#include "hw/library.h"
#include "quant/quantized_graph.h"

namespace pimhls::compile {

Program compile_design(const quant::QuantizedGraph& graph, const DesignInfo& design,
                       const hw::Library& library);

}  // namespace pimhls::compile
