// pimhls sweep: latency against area for the heterogeneous and the homogeneous designs.
#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/input_shapes.h"
#include "hw/library.h"
#include "opt/area.h"
#include "opt/cost_tables.h"
#include "opt/sweep.h"
#include "report/summary.h"
#include "util/files.h"

namespace pimhls::cli {
namespace {

struct SweepOptions {
  std::string model;
  std::vector<std::string> input_shapes;  // --input-shape
  std::string areas;
  std::string hw_file;
  std::vector<std::string> technologies;
  std::string csv_file;
  bool csv = false;
  int jobs = default_jobs();
};

void sweep(const SweepOptions& options) {
  const std::vector<double> budgets = opt::parse_area_range_um2(options.areas);
  const ir::Graph graph = import_model_file(options.model, options.input_shapes);
  const hw::Library library =
      options.hw_file.empty() ? hw::builtin_library() : hw::load_library(options.hw_file);
  const opt::Problem problem = opt::make_problem(graph, library, options.technologies);
  const opt::Sweep result = opt::sweep_areas(problem, budgets, options.jobs);
  const std::string csv = report::sweep_csv(problem, result);
  if (!options.csv_file.empty()) write_file_atomic(options.csv_file, csv);
  fmt::print("{}", options.csv ? csv : report::sweep_table(problem, result));
  if (!options.csv_file.empty() && !options.csv) fmt::print("wrote {}\n", options.csv_file);
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto options = std::make_shared<SweepOptions>();
  CLI::App* command = app.add_subcommand(
      "sweep",
      "Latency against area (PIM-HLS Fig. 6a): the whole optimization of `pimhls gen` at every "
      "budget of a range, for the heterogeneous design and each technology alone, after "
      "scheduling (-S) and after tuning (-SP). Budgets below the smallest feasible design are "
      "marked, not fatal, unless no budget is feasible.");
  command->add_option("model", options->model, "ONNX model file")->required();
  add_input_shape_option(*command, options->input_shapes);
  command
      ->add_option("--area", options->areas,
                   "budgets START:STOP:STEP, e.g. 8mm2:64mm2:8mm2 (or one area)")
      ->required();
  command->add_option("--hw", options->hw_file, "hardware library TOML laid over the built-in one");
  command
      ->add_option("--tech", options->technologies,
                   "technologies (tile types) to use, comma-separated (default: all)")
      ->delimiter(',');
  command->add_option("-o,--output", options->csv_file, "also write the CSV to this file");
  command->add_flag("--csv", options->csv, "print CSV instead of the table");
  command
      ->add_option("--jobs", options->jobs,
                   "threads (default: all hardware threads; the results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command->callback([options] { sweep(*options); });
}

}  // namespace pimhls::cli
