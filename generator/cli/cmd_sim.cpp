// pimhls sim: verilate a generated design and check it against the golden emulator.
#include <fmt/core.h>
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "emit/flow.h"
#include "emit/verify.h"
#include "frontend/tensor_file.h"
#include "util/error.h"

namespace pimhls::cli {
namespace {

struct SimOptions {
  std::string design_dir;
  std::vector<std::string> inputs;
  unsigned seed = 1;
};

void sim(const SimOptions& options) {
  const emit::RtlDesign rtl = emit::load_rtl(options.design_dir);
  const ir::Graph& graph = rtl.graph.graph;
  std::vector<ir::Tensor> inputs;
  if (options.inputs.empty()) {
    inputs = emit::random_inputs(graph, options.seed);
    fmt::print("input: seeded random (seed {})\n", options.seed);
  } else {
    if (options.inputs.size() != graph.inputs.size())
      fail("{}: the network has {} input(s), {} --input file(s) given", options.design_dir,
           graph.inputs.size(), options.inputs.size());
    for (std::size_t i = 0; i < options.inputs.size(); ++i) {
      inputs.push_back(frontend::read_graph_input(options.inputs[i], graph, i));
    }
    fmt::print("input: {}\n", fmt::join(options.inputs, ", "));
  }
  const emit::VerifyResult result = emit::verify_rtl(options.design_dir, rtl, inputs);
  fmt::print("{}", result.report);
  if (!result.pass)
    fail("{}: the simulated design differs from the golden emulator (details above)",
         options.design_dir);
}

}  // namespace

void add_sim_command(CLI::App& app) {
  auto options = std::make_shared<SimOptions>();
  CLI::App* command = app.add_subcommand(
      "sim",
      "Simulate a design written by pimhls gen with Verilator and check it: every output code "
      "must equal the golden emulator's (the same Program run in C++), bit for bit, and the "
      "simulated cycles the emulator's; prints them next to the cost model's estimate. The "
      "Verilator build is cached in OUT/.verilator (rebuilt only when the RTL changes). Prints "
      "PASS, or FAIL naming the first differing output element and layer (exit status 1).");
  command->add_option("design", options->design_dir, "the output directory of pimhls gen")
      ->required();
  command->add_option("--input", options->inputs,
                      "input TensorProto file (float), once per graph input; quantized with the "
                      "design's input scale (default: a seeded random input)");
  command->add_option("--seed", options->seed, "seed of the random input")->capture_default_str();
  command->callback([options] { sim(*options); });
}

}  // namespace pimhls::cli
