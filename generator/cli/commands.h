#pragma once
// Each subcommand is defined, with its --help text, in its own cmd_<name>.cpp.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <thread>

namespace pimhls::cli {

void add_inspect_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_hw_command(CLI::App& app);
void add_estimate_command(CLI::App& app);
void add_gen_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_disasm_command(CLI::App& app);
void add_sim_command(CLI::App& app);

// The default of --jobs: every hardware thread (results never depend on the thread count).
inline int default_jobs() {
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 256u));
}

}  // namespace pimhls::cli
