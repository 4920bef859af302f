// The design and report files: stable schema and key order, numbers rounded, consistent with
// the optimizer's evaluation, byte-identical across runs and thread counts, written all at once.
#include "report/report_json.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "opt/network_shapes.h"
#include "opt/optimizer.h"
#include "opt_test_problems.h"
#include "report/design_json.h"
#include "report/output_files.h"
#include "report/summary.h"
#include "util/error.h"
#include "util/files.h"

namespace pimhls::report {
namespace {

namespace fs = std::filesystem;

struct Run {
  opt::Problem problem;
  opt::OptimizationResult result;
};

Run optimize_chain(int jobs) {
  Run run{opt::testing::synthetic_problem(opt::chain_network(7, 5)), {}};
  opt::OptimizerSettings settings;
  settings.area_budget_um2 = 60000;
  settings.jobs = jobs;
  run.result = opt::optimize(run.problem, settings);
  return run;
}

const RunInfo kInfo{"net.onnx", "<test>", 8, 8, 32};

std::vector<std::string> keys(const Json& object) {
  std::vector<std::string> out;
  for (const auto& item : object.items()) out.push_back(item.key());
  return out;
}

TEST_CASE("numbers are rounded to fixed decimals") {
  CHECK(rounded(1.23456789) == 1.234568);
  CHECK(rounded(2.5e-7) == 0.0);
  CHECK(rounded(-1e-9) == 0.0);
  CHECK(dump(Json{{"x", rounded(-1e-9)}}) == "{\n  \"x\": 0.0\n}\n");  // never "-0.0"
  CHECK(rounded(15.9523, 3) == 15.952);
}

TEST_CASE("design.json: schema, key order and the schedule") {
  const Run run = optimize_chain(1);
  const opt::DesignResult& chosen = run.result.designs.front();
  const Json design = design_json(run.problem, chosen, kInfo);
  CHECK(keys(design) == std::vector<std::string>{
                            "schema", "version", "design", "network", "model", "hardware_library",
                            "arithmetic", "clock_ghz", "area_budget_um2", "latency_cycles",
                            "technologies", "tile_sets", "layers", "units", "groups"});
  CHECK(design["schema"] == "pimhls-design");
  CHECK(design["version"] == kDesignSchemaVersion);
  CHECK(design["latency_cycles"] == chosen.evaluation.latency_cycles);
  // Tile sets tile the chip: consecutive, and as many tiles as the technologies hold.
  std::int64_t next = 0, total = 0;
  for (const Json& set : design["tile_sets"]) {
    CHECK(set["first_tile"] == next);
    next += set["tiles"].get<std::int64_t>();
  }
  for (const Json& tech : design["technologies"]) total += tech["tiles"].get<std::int64_t>();
  CHECK(next == total);
  // Groups follow each other; every unit is mapped once, in order.
  std::int64_t clock = 0;
  int unit = 0;
  for (const Json& group : design["groups"]) {
    CHECK(group["start_cycle"] == clock);
    CHECK(group["end_cycle"].get<std::int64_t>() ==
          clock + group["reload_cycles"].get<std::int64_t>() +
              group["compute_cycles"].get<std::int64_t>() +
              group["spill_cycles"].get<std::int64_t>());
    clock = group["end_cycle"];
    for (const Json& mapping : group["mapping"]) {
      CHECK(mapping["unit"] == unit++);
      CHECK(mapping["duplication"] == mapping["copies"].size());
      CHECK(mapping["start_cycle"].get<std::int64_t>() >=
            group["compute_start_cycle"].get<std::int64_t>());
      CHECK(mapping["end_cycle"].get<std::int64_t>() <= group["end_cycle"].get<std::int64_t>());
    }
  }
  CHECK(clock == chosen.evaluation.latency_cycles);
  CHECK(unit == static_cast<int>(design["units"].size()));
  // Each layer carries the array parameters of its tiles for the analog model.
  for (const Json& layer : design["layers"]) {
    CHECK(layer["array"].contains("rows"));
    CHECK(layer["array"]["whole_kernels"] == true);
  }
}

TEST_CASE("report.json: the chosen design, the search and every other design") {
  const Run run = optimize_chain(1);
  const Json report = report_json(run.problem, run.result, kInfo);
  CHECK(report["schema"] == "pimhls-report");
  CHECK(report["design"] == "heterogeneous-SP");
  CHECK(report["latency"]["cycles"] == run.result.designs.front().evaluation.latency_cycles);
  CHECK(report["area"]["within_budget"] == true);
  CHECK(report["area"]["total_mm2"].get<double>() <= 0.06);
  CHECK(report["designs"].size() == run.result.designs.size());
  CHECK(report["designs"][0]["speedup_of_chosen"] == 1.0);
  CHECK(report["units"].size() == run.result.designs.front().design.units.size());
  const Json& search = report["search"];
  CHECK(search["candidates"].size() == run.result.candidates.candidates.size());
  CHECK(search["unique_candidates"] == run.result.candidates.candidates.size());
  CHECK(search["per_criterion"]["memory"] == run.result.candidates.per_criterion[0]);
  // Energy parts add up to the total (to the rounding of each part).
  const Json& energy = report["energy"];
  CHECK(energy["total_uj"].get<double>() ==
        Approx(energy["compute_uj"].get<double>() + energy["reload_uj"].get<double>() +
               energy["spill_uj"].get<double>() + energy["leakage_uj"].get<double>())
            .margin(5e-6));
}

TEST_CASE("the files are byte-identical across runs and thread counts") {
  const Run one = optimize_chain(1), two = optimize_chain(2), again = optimize_chain(1);
  const std::string text = dump(report_json(one.problem, one.result, kInfo));
  CHECK(text == dump(report_json(two.problem, two.result, kInfo)));
  CHECK(text == dump(report_json(again.problem, again.result, kInfo)));
  CHECK(dump(design_json(one.problem, one.result.designs.front(), kInfo)) ==
        dump(design_json(two.problem, two.result.designs.front(), kInfo)));
}

TEST_CASE("outputs are written all at once or not at all") {
  const fs::path dir = fs::path(PIMHLS_BINARY_DIR) / "report_output_test";
  fs::remove_all(dir);
  write_outputs(dir, {{"a.json", "first\n"}, {"b.json", "second\n"}});
  CHECK(read_file(dir / "a.json") == "first\n");
  CHECK(read_file(dir / "b.json") == "second\n");
  // A conflict on the second file leaves the first one untouched and no temporary behind.
  fs::remove(dir / "b.json");
  fs::create_directory(dir / "b.json");
  CHECK_THROWS_WITH(write_outputs(dir, {{"a.json", "new\n"}, {"b.json", "new\n"}}),
                    Catch::Contains("b.json: exists and is a directory"));
  CHECK(read_file(dir / "a.json") == "first\n");
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir)) entries += entry.exists();
  CHECK(entries == 2);
  // The output directory must be a directory.
  CHECK_THROWS_AS(write_outputs(dir / "a.json", {{"x", ""}}), Error);
  fs::remove_all(dir);
}

TEST_CASE("summary tables and the sweep's CSV") {
  const Run run = optimize_chain(1);
  const std::string summary = gen_summary(run.problem, run.result);
  for (const opt::DesignResult& design : run.result.designs)
    CHECK(summary.find(design.key) != std::string::npos);
  opt::Sweep sweep;
  sweep.smallest_budget_um2 = 1500;
  sweep.points = {
      {1000, false, {}},
      {60000,
       true,
       {{"heterogeneous-SP", 1234, 1.234, 59000, {0, 1}}, {"dense-SP", 2000, 2.0, 50000, {0, 0}}}}};
  const std::string csv = sweep_csv(run.problem, sweep);
  CHECK(csv ==
        "area_mm2,heterogeneous-SP_us,heterogeneous-S_us,dense-SP_us,dense-S_us,fast-SP_us,"
        "fast-S_us,heterogeneous_layers\n"
        "0.001,,,,,,,\n"
        "0.060,1.234,,2.000,,,,df\n");
  CHECK(sweep_table(run.problem, sweep).find("(too small)") != std::string::npos);
}

}  // namespace
}  // namespace pimhls::report
