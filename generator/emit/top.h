#pragma once
// The generated top level, pimhls_top.sv (templates/pimhls_top.sv.mustache): the global
// controller, one engine per program of the Program, the activation memory and the off-chip
// port, with parameters from the Program, the design's tile sets and the hardware library.
// Wiring only; every module is one of rtl/'s.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compile/design_info.h"
#include "compile/program.h"
#include "hw/library.h"

namespace pimhls::emit {

struct TopNetlist {
  std::string text;                  // pimhls_top.sv
  std::string sim_text;              // sim/pimhls_sim_top.sv: the chip and its off-chip memory
  std::vector<std::string> modules;  // rtl/ modules it instantiates (file stems)
};

// `header`, `sim_header`: the first lines of pimhls_top.sv and sim/pimhls_sim_top.sv.
TopNetlist top_netlist(const compile::Program& program, const compile::DesignInfo& design,
                       const hw::Library& library, const std::string& header,
                       const std::string& sim_header);

// Read lanes of the off-chip port's memory side (offchip_port.sv MEM_LANES: two header words
// plus, per reload lane, the words a row of row_bits can straddle).
std::int64_t offchip_memory_lanes(std::int64_t reload_lanes, std::int64_t row_bits);

// The register values of an engine at each of its RUN instructions (its program replayed).
std::vector<std::map<std::uint8_t, std::int64_t>> run_registers(const compile::Engine& engine);

}  // namespace pimhls::emit
