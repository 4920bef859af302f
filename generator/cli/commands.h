#pragma once
// Each subcommand is defined, with its --help text, in its own cmd_<name>.cpp.
#include <CLI/CLI.hpp>

namespace pimhls::cli {

void add_inspect_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_hw_command(CLI::App& app);
void add_estimate_command(CLI::App& app);
void add_gen_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_disasm_command(CLI::App& app);
void add_sim_command(CLI::App& app);

}  // namespace pimhls::cli
