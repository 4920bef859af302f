#pragma once
// The tool scripts of a generated design: filelist.f (Verilator, Icarus), synth.ys (Yosys) and
// constraints.sdc (the clock). Paths are relative to OUT/, where the tools are run.
#include <string>
#include <vector>

namespace pimhls::emit {

struct GeneratedFile {
  std::string path;  // relative to OUT/
  std::string contents;
};

struct ScriptInputs {
  std::string top;                   // "pimhls_top"
  std::vector<std::string> sources;  // relative paths, dependencies first, the top last
  double clock_ghz = 1.0;
  std::string input_hash;
};

std::vector<GeneratedFile> design_scripts(const ScriptInputs& inputs);

// A number without trailing zeros ("1", "0.8", "1.25"): clock figures in the scripts.
std::string format_decimal(double value, int decimals = 6);

}  // namespace pimhls::emit
