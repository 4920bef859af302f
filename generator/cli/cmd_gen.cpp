// pimhls gen: optimize a heterogeneous PIM accelerator for a network under an area budget.
#include <fmt/core.h>

#include <chrono>
#include <filesystem>

#include "cli/commands.h"
#include "cli/input_shapes.h"
#include "emit/flow.h"
#include "emit/staged_output.h"
#include "emit/verify.h"
#include "frontend/onnx_import.h"
#include "hw/library.h"
#include "opt/area.h"
#include "opt/cost_tables.h"
#include "opt/optimizer.h"
#include "report/design_json.h"
#include "report/html_report.h"
#include "report/output_files.h"
#include "report/report_json.h"
#include "report/summary.h"
#include "util/error.h"

namespace pimhls::cli {
namespace {

struct GenOptions {
  std::string model;
  std::vector<std::string> input_shapes;  // --input-shape
  std::string area;
  std::string hw_file;
  std::vector<std::string> technologies;
  std::string output = "pimhls-out";
  bool no_rtl = false;
  bool no_verify = false;
  bool verify = false;
  bool exhaustive = false;
  int jobs = default_jobs();
};

void gen(const GenOptions& options) {
  opt::OptimizerSettings settings;
  settings.area_budget_um2 = opt::parse_area_um2(options.area);
  settings.jobs = options.jobs;
  settings.exhaustive_technology = options.exhaustive;
  const frontend::ImportOptions import = import_options(options.input_shapes);
  const ir::Graph graph = frontend::import_onnx(options.model, import);
  print_import_notes(graph);
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
  const std::string design_text =
      report::dump(report::design_json(problem, result.designs.front(), info));
  const report::Json report_object = report::report_json(problem, result, info);
  const std::string report_text = report::dump(report_object);
  const std::string html_text = report::html_report(report_object);
  if (options.no_rtl) {
    report::write_outputs(
        options.output,
        {{"design.json", design_text}, {"report.json", report_text}, {"report.html", html_text}});
    fmt::print("{}", report::gen_summary(problem, result));
    fmt::print("optimized in {:.3f} s; wrote {}/design.json, report.json and report.html\n",
               seconds, options.output);
    return;
  }
  // Everything (design, report, ROMs, RTL, scripts) is staged and moved into OUT together.
  const auto rtl_start = std::chrono::steady_clock::now();
  emit::StagedOutput out(options.output);
  out.write("design.json", design_text);
  out.write("report.json", report_text);
  out.write("report.html", html_text);
  // What pimhls sim needs to quantize and compile the network the same way.
  emit::QuantRecipe recipe;
  recipe.model = std::filesystem::absolute(options.model).lexically_normal().string();
  recipe.input_shapes = import.input_shapes;
  recipe.hardware_library =
      options.hw_file.empty()
          ? library.source
          : std::filesystem::absolute(options.hw_file).lexically_normal().string();
  // The design is made here from the model: what the RTL cannot run is the model's (its messages
  // name the model file and the node).
  const emit::RtlDesign rtl = emit::compile_rtl(graph, library, design_text, options.model, recipe);
  emit::write_rtl(out.staging(), rtl, library, recipe);
  out.commit();
  const double rtl_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - rtl_start).count();
  fmt::print("{}", report::gen_summary(problem, result));
  fmt::print(
      "optimized in {:.3f} s, RTL in {:.3f} s; wrote {}/design.json, report.json, "
      "report.html, pimhls_top.sv, rtl/, rom/, mem/, program.json, filelist.f, synth.ys, "
      "constraints.sdc, "
      "sim_config.json\n",
      seconds, rtl_seconds, options.output);
  const bool verify = options.verify || (!options.no_verify && emit::small_enough_to_verify(rtl));
  if (!verify) {
    if (!options.no_verify)
      fmt::print(
          "note: not verified by simulation (a large design: over {} estimated cycles or {} "
          "tiles); run pimhls sim {}\n",
          emit::kVerifyMaxCycles, emit::kVerifyMaxTiles, options.output);
    return;
  }
  const emit::VerifyResult check =
      emit::verify_rtl(options.output, rtl, emit::random_inputs(graph, 1));
  fmt::print("sim (seeded random input, seed 1):\n{}", check.report);
  if (!check.pass)
    fail("{}: the generated design failed verification (details above; pimhls sim {})",
         options.output, options.output);
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
      "prints a summary. Unless --no-rtl, also the hardware: the instruction ROMs (rom/), the "
      "off-chip weight image (mem/), program.json, the top level pimhls_top.sv with the rtl/ "
      "modules it uses, filelist.f, synth.ys (Yosys), constraints.sdc and sim_config.json "
      "(docs/rtl.md, \"Generated design\"); small designs are then simulated and checked "
      "against the golden emulator (--no-verify skips it). Outputs are written all at once or "
      "not at all.");
  command->add_option("model", options->model, "ONNX model file")->required();
  add_input_shape_option(*command, options->input_shapes);
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
  command->add_flag("--no-verify", options->no_verify,
                    "do not simulate the generated RTL (by default gen runs pimhls sim's check on "
                    "small designs: bit-exact outputs against the golden emulator)");
  command->add_flag("--verify", options->verify, "simulate the generated RTL whatever its size");
  command->add_flag("--exhaustive", options->exhaustive,
                    "also schedule every technology assignment (K^L, small networks only) and "
                    "report how far the criteria's best candidate is from the true optimum");
  command
      ->add_option("--jobs", options->jobs,
                   "threads (default: all hardware threads; the results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command->callback([options] { gen(*options); });
}

}  // namespace pimhls::cli
