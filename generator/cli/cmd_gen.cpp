// pimhls gen: optimize a heterogeneous PIM accelerator for a network under an area budget.
#include <fmt/core.h>

#include <chrono>

#include "cli/commands.h"
#include "frontend/onnx_import.h"
#include "hw/library.h"
#include "opt/area.h"
#include "opt/cost_tables.h"
#include "opt/optimizer.h"
#include "report/design_json.h"
#include "report/output_files.h"
#include "report/report_json.h"
#include "report/summary.h"

namespace pimhls::cli {
namespace {

struct GenOptions {
  std::string model;
  std::string area;
  std::string hw_file;
  std::vector<std::string> technologies;
  std::string output = "pimhls-out";
  bool no_rtl = false;
  bool exhaustive = false;
  int jobs = 1;
};

void gen(const GenOptions& options) {
  opt::OptimizerSettings settings;
  settings.area_budget_um2 = opt::parse_area_um2(options.area);
  settings.jobs = options.jobs;
  settings.exhaustive_technology = options.exhaustive;
  const ir::Graph graph = frontend::import_onnx(options.model);
  const hw::Library library =
      options.hw_file.empty() ? hw::builtin_library() : hw::load_library(options.hw_file);
  const opt::Problem problem = opt::make_problem(graph, library, options.technologies);
  const auto start = std::chrono::steady_clock::now();
  const opt::OptimizationResult result = opt::optimize(problem, settings);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const report::RunInfo info{options.model, library.source, library.arithmetic.weight_bits,
                             library.arithmetic.activation_bits,
                             library.arithmetic.accumulator_bits};
  report::write_outputs(
      options.output,
      {{"design.json", report::dump(report::design_json(problem, result.designs.front(), info))},
       {"report.json", report::dump(report::report_json(problem, result, info))}});
  fmt::print("{}", report::gen_summary(problem, result));
  fmt::print("optimized in {:.3f} s; wrote {}/design.json and {}/report.json\n", seconds,
             options.output, options.output);
  if (!options.no_rtl)
    fmt::print(
        "note: RTL generation is not available yet; only the design and the report were "
        "written\n");
}

}  // namespace

void add_gen_command(CLI::App& app) {
  auto options = std::make_shared<GenOptions>();
  CLI::App* command = app.add_subcommand(
      "gen",
      "Optimize a heterogeneous SRAM/RRAM PIM accelerator for an ONNX network under an area "
      "budget (PIM-HLS section IV): criteria-based technology candidates, the split of the budget "
      "between technologies, layer splitting and the dynamic-programming layer-group schedule, "
      "then tuning of array size and readout units. Writes OUT/design.json (tiles, groups, the "
      "mapping and the schedule) and OUT/report.json (latency, area, energy, per-layer rows, "
      "candidates, and the homogeneous, greedy and all-on-chip baselines of the same run), and "
      "prints a summary. Outputs are written all at once or not at all.");
  command->add_option("model", options->model, "ONNX model file")->required();
  command
      ->add_option("--area", options->area,
                   "area budget of the whole chip: 16mm2, \"16 mm^2\" or 16000000um2")
      ->required();
  command->add_option("--hw", options->hw_file,
                      "hardware library TOML laid over the built-in one (pimhls hw --help)");
  command
      ->add_option("--tech", options->technologies,
                   "technologies (tile types) to use, comma-separated (default: all of the "
                   "library's)")
      ->delimiter(',');
  command->add_option("-o,--output", options->output, "output directory")->capture_default_str();
  command->add_flag("--no-rtl", options->no_rtl, "write only design.json and report.json");
  command->add_flag("--exhaustive", options->exhaustive,
                    "also schedule every technology assignment (K^L, small networks only) and "
                    "report how far the criteria's best candidate is from the true optimum");
  command->add_option("--jobs", options->jobs, "threads (the results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command->callback([options] { gen(*options); });
}

}  // namespace pimhls::cli
