// Integer reference and analog PIM model speed: VGG-8 (CIFAR 32x32) inference on one core,
// targets <= 0.5 s (integer) and <= 5 s (analog, bit-sliced, bit-serial, ADC per sample).
// Run from the repository root:  build/bench/bench_golden [model.onnx] [--runs N] [--output F]
// Writes the median times and their ratios to the targets to bench/results/golden.txt.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "bench/bench_util.h"
#include "frontend/onnx_import.h"
#include "frontend/tensor_file.h"
#include "ir/layer_stats.h"
#include "quant/analog_reference.h"
#include "quant/int_reference.h"
#include "quant/metrics.h"
#include "quant/quantize.h"
#include "util/error.h"
#include "util/files.h"

namespace fs = std::filesystem;
using namespace pimhls;
using namespace pimhls::bench;

namespace {

int run(const std::string& model_path, int runs, const std::string& output_path,
        const std::string& array_spec) {
  constexpr double kIntTargetS = 0.5, kAnalogTargetS = 5.0;
  pin_to_one_core();
  const ir::Graph graph = frontend::import_onnx(model_path);
  if (graph.inputs.size() != 1) fail("{}: expected one graph input", model_path);
  std::int64_t macs = 0;
  for (const ir::Node& node : graph.nodes) macs += ir::layer_stats(graph, node).macs;

  const auto quantize_start = Clock::now();
  const quant::QuantConfig config;
  const quant::QuantizedGraph quantized =
      quant::quantize(graph, quant::random_input_sets(graph, 8, 2), config);
  const double quantize_s = seconds_since(quantize_start);
  const std::vector<ir::Tensor> inputs = quant::random_input_sets(graph, 1, 1).front();

  quant::IntResult int_result;
  const double int_s =
      median_seconds(runs, [&] { int_result = quant::run_int(quantized, inputs); });
  quant::AnalogConfig analog;
  analog.arrays.fallback = quant::parse_array_spec(array_spec, "--array");
  quant::IntResult analog_result;
  std::vector<quant::AnalogLayerReport> layers;
  // Programming the arrays (weight bit planes) is part of the timed inference.
  const double analog_s = median_seconds(
      runs, [&] { analog_result = quant::run_analog(quantized, analog, inputs, {}, &layers); });
  std::int64_t samples = 0;
  for (const quant::AnalogLayerReport& layer : layers) samples += layer.counters.samples;
  const double analog_vs_int =
      quant::sqnr_db(int_result.dequantized.at(0).data, analog_result.dequantized.at(0).data);

  const bool pass = int_s <= kIntTargetS && analog_s <= kAnalogTargetS;
  const std::string report = fmt::format(
      "# pimhls integer reference and analog model benchmark (bench/bench_golden.cpp)\n"
      "model: {} (input {}, {:.3f} GMAC)\n"
      "cpu: {}\n"
      "runs: {} after one warm-up, pinned to one core\n"
      "quantization: {}-bit weights per channel, {}-bit activations, 8 random calibration inputs\n"
      "quantize_s: {:.3f}\n"
      "int_median_s: {:.4f}\n"
      "int_target_s: {:.3f}\n"
      "int_ratio_to_target: {:.3f}\n"
      "analog_arrays: {}\n"
      "analog_adc_samples: {}\n"
      "analog_median_s: {:.4f}\n"
      "analog_target_s: {:.3f}\n"
      "analog_ratio_to_target: {:.3f}\n"
      "analog_vs_int_sqnr_db: {:.2f}\n"
      "verdict: {}\n",
      model_path, ir::format_dims(inputs.at(0).shape), static_cast<double>(macs) / 1e9, cpu_name(),
      runs, config.weight_bits, config.activation_bits, quantize_s, int_s, kIntTargetS,
      int_s / kIntTargetS, quant::describe(analog.arrays.fallback), samples / runs, analog_s,
      kAnalogTargetS, analog_s / kAnalogTargetS, analog_vs_int,
      pass ? "PASS (within targets)" : "FAIL (slower than a target)");
  fmt::print("{}", report);
  if (!output_path.empty()) {
    fs::create_directories(fs::path(output_path).parent_path());
    write_file_atomic(output_path, report);
    fmt::print("wrote {}\n", output_path);
  }
  return pass ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Times the integer reference and the analog PIM model (default: VGG-8).");
  std::string model = "examples/vgg8.onnx";
  std::string output = "bench/results/golden.txt";
  std::string array = "";
  int runs = 3;
  app.add_option("model", model, "ONNX model (paths relative to the repository root)")
      ->capture_default_str();
  app.add_option("--runs", runs, "timed inferences")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--output", output, "result file ('' to skip)")->capture_default_str();
  app.add_option("--array", array, "array parameters key=value,... (default: the analog model's)");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(model, runs, output, array);
  } catch (const Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}
