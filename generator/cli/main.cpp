// pimhls: high-level synthesis of processing-in-memory neural-network accelerators.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>

#include "cli/commands.h"
#include "util/error.h"

int main(int argc, char** argv) {
  CLI::App app{
      "pimhls: generate heterogeneous SRAM/RRAM processing-in-memory accelerators from "
      "ONNX networks"};
  app.set_version_flag("--version", std::string("pimhls ") + PIMHLS_VERSION);
  app.require_subcommand(1);
  pimhls::cli::add_inspect_command(app);
  pimhls::cli::add_run_command(app);
  pimhls::cli::add_hw_command(app);
  pimhls::cli::add_estimate_command(app);
  pimhls::cli::add_gen_command(app);
  pimhls::cli::add_sweep_command(app);
  pimhls::cli::add_disasm_command(app);
  pimhls::cli::add_sim_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const pimhls::Error& e) {
    fmt::print(stderr, "pimhls: error: {}\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "pimhls: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    // Anything else is a bug in pimhls, but the user still gets one line, not a core dump.
    fmt::print(stderr, "pimhls: internal error: {}\n", e.what());
    return 1;
  }
  return 0;
}
