#pragma once
// The RTL flow after the optimizer (docs/rtl.md, "Generated design"), shared by `pimhls gen`
// and `pimhls sim`:
//
//   quantize (seeded, deterministic) -> compile::compile_design -> emulate::run (timing)
//   -> compile::write_program + emit::design_files into OUT
//
// `pimhls sim OUT` redoes the first two steps from what OUT/sim_config.json records and checks
// that it gets the same Program (its hash) before it simulates.
#include <filesystem>
#include <string>

#include "compile/compile.h"
#include "emit/design_files.h"
#include "hw/library.h"
#include "ir/graph.h"
#include "quant/quantized_graph.h"

namespace pimhls::emit {

struct RtlDesign {
  quant::QuantizedGraph graph;
  compile::DesignInfo design;
  compile::Program program;
  std::string design_json;  // the text design is parsed from
};

// The network quantized as gen and sim do it: the library's bit widths, `calibration_count`
// seeded random calibration inputs (quant::random_input_sets), MSE calibration.
quant::QuantizedGraph quantize_for_rtl(const ir::Graph& graph, const hw::Library& library,
                                       const QuantRecipe& recipe);

RtlDesign compile_rtl(const ir::Graph& graph, const hw::Library& library,
                      const std::string& design_json, const std::string& design_source,
                      const QuantRecipe& recipe);

// Writes rom/, mem/, program.json (with the emulator's timing) and emit's files under `dir`
// (a StagedOutput's staging directory).
void write_rtl(const std::filesystem::path& dir, const RtlDesign& rtl, const hw::Library& library,
               const QuantRecipe& recipe);

// Rebuilds the RtlDesign of a generated directory from OUT/sim_config.json and
// OUT/design.json; throws Error when the Program differs from the one OUT was written from.
RtlDesign load_rtl(const std::filesystem::path& out_dir);

}  // namespace pimhls::emit
