#pragma once
// The golden emulator of compiled Programs (docs/isa.md): executes the global controller's and
// every engine's instructions with the documented timing, and the arrays' arithmetic with the
// analog model (quant::AnalogLayer, docs/analog-model.md). Weights come only from the off-chip
// image through RELOAD (a compiler bug in the image layout shows up as wrong outputs); vector
// ops take their constants only from the registers and data ROMs.
//
//   emulate::Result r = emulate::run(program, input_codes);   // input codes per graph input
//   r.buffers_out     // on-chip output buffers (NCHW), what the RTL testbench reads
//   r.cycles          // measured cycles (MARK .. HALT), which the RTL must match exactly
//   r.groups          // per group: reload, START and end cycles (from MARK)
//   emulate::host_outputs(graph, program, r)  // + host Softmax: equals quant::run_analog
//   emulate::run(program, inputs, {.compute_values = false})  // timing only (fast)
//
// Throws Error naming the engine and instruction address on a deadlock, a read of a pixel no
// one writes, or of array rows no RELOAD wrote.
#include <cstdint>
#include <vector>

#include "compile/program.h"
#include "compile/rom_file.h"
#include "quant/quantized_graph.h"

namespace pimhls::emulate {

struct GroupCycles {
  int group = 0;
  std::int64_t reload_start = 0;  // RELOAD issue (negative for an unmeasured initial load)
  std::int64_t reload_cycles = 0;
  std::int64_t start = 0;  // START issue
  std::int64_t end = 0;    // the cycle after WAIT completes
};

struct Result {
  std::vector<quant::IntTensor> buffers_out;  // per program output, shape [1, C, H, W]
  std::int64_t cycles = 0;
  std::vector<GroupCycles> groups;
  std::int64_t runs = 0;  // RUN instructions executed
  compile::ProgramTiming timing() const;
};

struct Options {
  // false: timing only (no array products, no vector arithmetic; outputs are zeros). The cycle
  // counts are the same: they never depend on values. For the expected cycles of big designs.
  bool compute_values = true;
};

// `inputs`: codes per graph input (program.input_buffers order), NCHW, any shape with the
// buffer's element count.
Result run(const compile::Program& program, const std::vector<quant::IntTensor>& inputs,
           const Options& options = {});

// The graph outputs as quant::run_analog returns them: the on-chip codes reshaped to the
// output's shape, with the host-side Softmax applied where the graph ends in one.
std::vector<quant::IntTensor> host_outputs(const quant::QuantizedGraph& graph,
                                           const compile::Program& program, const Result& result);

}  // namespace pimhls::emulate
