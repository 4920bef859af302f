// Float reference speed: ResNet-18 (224x224) inference on one core, target <= 1 s.
// Run from the repository root:  build/bench/bench_float [model.onnx] [--runs N] [--output F]
// Writes the median time and its ratio to the target to bench/results/float.txt.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "bench/bench_util.h"
#include "frontend/onnx_import.h"
#include "frontend/tensor_file.h"
#include "golden/float_reference.h"
#include "ir/layer_stats.h"
#include "util/error.h"
#include "util/files.h"

namespace fs = std::filesystem;
using namespace pimhls;
using namespace pimhls::bench;

namespace {

// The model's reference input <stem>_input.pb when present, else a seeded normal input.
ir::Tensor bench_input(const fs::path& model, const ir::Dims& shape) {
  const fs::path stored = model.parent_path() / (model.stem().string() + "_input.pb");
  if (fs::exists(stored)) return frontend::read_tensor_file(stored);
  std::mt19937 generator(1);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  ir::Tensor input{shape, std::vector<float>(static_cast<std::size_t>(ir::element_count(shape)))};
  for (float& value : input.data) value = normal(generator);
  return input;
}

// Largest |a - b| against <stem>_output.pb, or NaN when there is no stored output.
double max_error_vs_stored(const fs::path& model, const ir::Tensor& output) {
  const fs::path stored = model.parent_path() / (model.stem().string() + "_output.pb");
  if (!fs::exists(stored)) return std::nan("");
  const ir::Tensor expected = frontend::read_tensor_file(stored);
  if (expected.shape != output.shape) fail("{}: shape differs from the output", stored.string());
  double worst = 0.0;
  for (std::size_t i = 0; i < output.data.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(output.data[i]) - expected.data[i]));
  return worst;
}

int run(const std::string& model_path, int runs, const std::string& output_path, double target_s) {
  pin_to_one_core();
  const auto import_start = Clock::now();
  const ir::Graph graph = frontend::import_onnx(model_path);
  const double import_s = seconds_since(import_start);
  if (graph.inputs.size() != 1) fail("{}: expected one graph input", model_path);
  const ir::Tensor input = bench_input(model_path, graph.shape(graph.inputs[0]));
  std::int64_t macs = 0;
  for (const ir::Node& node : graph.nodes) macs += ir::layer_stats(graph, node).macs;

  golden::RunStats stats;
  std::vector<ir::Tensor> outputs = golden::run_float(graph, {input}, {}, &stats);
  const std::vector<double> times_s =
      bench::sorted_times(runs, [&] { outputs = golden::run_float(graph, {input}); });
  const double median_s = times_s[times_s.size() / 2];
  const double error = max_error_vs_stored(model_path, outputs.at(0));

  const std::string report = fmt::format(
      "# pimhls float reference benchmark (bench/bench_float.cpp)\n"
      "model: {} (input {}, {} nodes, {:.3f} GMAC)\n"
      "cpu: {}\n"
      "runs: {} after one warm-up, pinned to one core\n"
      "import_s: {:.3f}\n"
      "median_s: {:.4f}\n"
      "min_s: {:.4f}\n"
      "max_s: {:.4f}\n"
      "gmac_per_s: {:.2f}\n"
      "peak_activation_mb: {:.1f}\n"
      "max_abs_error_vs_stored_output: {:.3g}\n"
      "target_s: {:.3f}\n"
      "ratio_to_target: {:.3f}\n"
      "verdict: {}\n",
      model_path, ir::format_dims(input.shape), graph.nodes.size(), static_cast<double>(macs) / 1e9,
      cpu_name(), runs, import_s, median_s, times_s.front(), times_s.back(),
      static_cast<double>(macs) / 1e9 / median_s,
      static_cast<double>(stats.peak_live_bytes) / (1 << 20), error, target_s, median_s / target_s,
      median_s <= target_s ? "PASS (within target)" : "FAIL (slower than target)");
  fmt::print("{}", report);
  if (!output_path.empty()) {
    fs::create_directories(fs::path(output_path).parent_path());
    write_file_atomic(output_path, report);
    fmt::print("wrote {}\n", output_path);
  }
  return median_s <= target_s ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Times the float reference executor on one network (default: ResNet-18).");
  std::string model = "examples/resnet18.onnx";
  std::string output = "bench/results/float.txt";
  int runs = 5;
  double target_s = 1.0;
  app.add_option("model", model, "ONNX model (paths relative to the repository root)")
      ->capture_default_str();
  app.add_option("--runs", runs, "timed inferences")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--output", output, "result file ('' to skip)")->capture_default_str();
  app.add_option("--target-s", target_s, "time target per inference")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    return run(model, runs, output, target_s);
  } catch (const Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}
