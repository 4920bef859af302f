#pragma once
// Verilating and running a generated design (pimhls sim). The build is cached in
// OUT/.verilator/<key>/, the key a hash of everything that goes into the model (the sources of
// filelist.f, the harness, the Verilator version and flags): a rerun on an unchanged design
// starts at once. ROM images and the off-chip image are read at run time, not compiled in.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pimhls::emit {

struct VerilatedModel {
  std::filesystem::path executable;
  bool cached = false;  // found in the cache, not built now
  double build_seconds = 0;
};

// Builds (or finds) the simulator of the design in `design_dir`. Throws Error with the tail of
// Verilator's log when the build fails.
VerilatedModel verilate(const std::filesystem::path& design_dir);

struct SimResults {
  bool finished = false;  // reached `done` before the cycle limit
  std::int64_t measured_cycles = 0;
  std::int64_t total_cycles = 0;
  bool error = false;           // a controller decoded an undefined instruction
  bool reload_overrun = false;  // a RELOAD took longer than the ISA's formula
  bool late = false;            // an engine wrote a pixel after its ISA cycle
  std::map<int, std::vector<std::int64_t>> buffers;  // buffer id -> codes, NCHW
};

// Network input codes per buffer id (NCHW).
using InputCodes = std::map<int, std::vector<std::int64_t>>;

// Runs the model in `design_dir` (its working directory) with the inputs; throws Error when the
// simulator fails.
SimResults run_model(const VerilatedModel& model, const std::filesystem::path& design_dir,
                     const InputCodes& inputs);

// Runs a command (through /bin/sh), appending its output to `log`; returns the exit status.
int run_command(const std::string& command, const std::filesystem::path& log);

}  // namespace pimhls::emit
