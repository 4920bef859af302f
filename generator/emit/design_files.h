#pragma once
// Everything emit/ writes for one compiled design, next to what compile::write_program writes
// (rom/, mem/, program.json): rtl/ (the static modules the top needs), pimhls_top.sv,
// filelist.f, synth.ys, constraints.sdc, sim_config.json and sim/ (the Verilator harness).
// Pure rendering: every number comes from the Program and the design (docs/rtl.md, "Generated
// design").
#include <map>
#include <string>
#include <vector>

#include "compile/design_info.h"
#include "compile/program.h"
#include "emit/scripts.h"
#include "hw/library.h"
#include "quant/quantized_graph.h"

namespace pimhls::emit {

// How the design's network was quantized, so that `pimhls sim OUT` can redo it (the
// quantization is seeded and deterministic) and check the Program it compiles against OUT's.
struct QuantRecipe {
  std::string model;                             // the ONNX file as given to gen
  std::map<std::string, ir::Dims> input_shapes;  // gen's --input-shape (frontend::ImportOptions)
  std::string hardware_library;                  // "<built-in library>" or the --hw file
  int calibration_count = 8;                     // seeded random calibration inputs
  unsigned calibration_seed = 2;
};

struct DesignContext {
  double clock_ghz = 1.0;
  std::int64_t estimate_cycles = 0;  // design.json latency_cycles
  std::string design_json;           // its text (hashed into the headers)
  QuantRecipe recipe;
};

std::vector<GeneratedFile> design_files(const compile::Program& program,
                                        const quant::QuantizedGraph& graph,
                                        const compile::DesignInfo& design,
                                        const hw::Library& library, const DesignContext& context);

// The hash every generated file's header carries: the Program's and design.json's.
std::string input_hash(const compile::Program& program, const std::string& design_json);

}  // namespace pimhls::emit
