// pimhls run: inference with the float reference executor.
#include <fmt/core.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "cli/commands.h"
#include "frontend/onnx_import.h"
#include "frontend/tensor_file.h"
#include "golden/float_reference.h"
#include "util/error.h"

namespace pimhls::cli {
namespace {

struct RunOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::string output;
  unsigned seed = 1;
};

// A seeded input in the range of a normalised image, for runs without --input.
ir::Tensor random_input(const ir::Dims& shape, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  ir::Tensor tensor{shape, std::vector<float>(static_cast<std::size_t>(ir::element_count(shape)))};
  for (float& value : tensor.data) value = normal(generator);
  return tensor;
}

// The single non-unit axis of a shape like 1x1000, if there is exactly one.
bool is_vector(const ir::Dims& shape) {
  return std::count_if(shape.begin(), shape.end(), [](std::int64_t d) { return d > 1; }) == 1;
}

void print_summary(const std::string& name, const ir::Tensor& tensor) {
  const auto [min, max] = std::minmax_element(tensor.data.begin(), tensor.data.end());
  const double sum = std::accumulate(tensor.data.begin(), tensor.data.end(), 0.0);
  fmt::print("output '{}': shape {}", name, ir::format_dims(tensor.shape));
  if (!tensor.data.empty())
    fmt::print(", min {:.6g}, max {:.6g}, mean {:.6g}", *min, *max,
               sum / static_cast<double>(tensor.data.size()));
  fmt::print("\n");
  if (!is_vector(tensor.shape)) return;
  std::vector<std::size_t> order(tensor.data.size());
  std::iota(order.begin(), order.end(), 0);
  const std::size_t top = std::min<std::size_t>(5, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](std::size_t a, std::size_t b) { return tensor.data[a] > tensor.data[b]; });
  fmt::print("top-{}:", top);
  for (std::size_t i = 0; i < top; ++i) fmt::print("  #{} {:.6g}", order[i], tensor.data[order[i]]);
  fmt::print("\n");
}

std::string output_path(const std::string& path, std::size_t index) {
  if (index == 0) return path;
  const std::size_t dot = path.rfind(".pb");
  const std::string stem = dot == std::string::npos ? path : path.substr(0, dot);
  return fmt::format("{}_{}.pb", stem, index);
}

void run(const RunOptions& options) {
  const ir::Graph graph = frontend::import_onnx(options.model);
  if (!options.inputs.empty() && options.inputs.size() != graph.inputs.size())
    fail("{}: the network has {} input(s), {} --input file(s) given", options.model,
         graph.inputs.size(), options.inputs.size());
  std::vector<ir::Tensor> inputs;
  for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
    const ir::Value& value = graph.value(graph.inputs[i]);
    if (options.inputs.empty()) {
      inputs.push_back(random_input(value.shape, options.seed + static_cast<unsigned>(i)));
      fmt::print("input '{}': seeded random {} (seed {})\n", value.name,
                 ir::format_dims(value.shape), options.seed + i);
      continue;
    }
    inputs.push_back(frontend::read_tensor_file(options.inputs[i]));
    if (inputs.back().shape != value.shape)
      fail("{}: tensor of shape {}, but input '{}' of {} has shape {}", options.inputs[i],
           ir::format_dims(inputs.back().shape), value.name, options.model,
           ir::format_dims(value.shape));
  }
  const std::vector<ir::Tensor> outputs = golden::run_float(graph, inputs);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const std::string& name = graph.value(graph.outputs[i]).name;
    print_summary(name, outputs[i]);
    if (!options.output.empty()) {
      frontend::write_tensor_file(output_path(options.output, i), outputs[i], name);
      fmt::print("wrote {}\n", output_path(options.output, i));
    }
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* command = app.add_subcommand(
      "run",
      "Run one inference with the float reference executor (ONNX semantics). Inputs and outputs "
      "are ONNX TensorProto files, the format of ONNX's test data (test_data_set_0/input_0.pb).");
  command->add_option("model", options->model, "ONNX model file")->required();
  command->add_option("--input", options->inputs,
                      "input TensorProto file, once per graph input in order (default: a seeded "
                      "random input)");
  command->add_option("--output", options->output,
                      "write the output TensorProto here (further outputs get _1, _2 suffixes)");
  command->add_option("--seed", options->seed, "seed of the random input")->capture_default_str();
  command->callback([options] { run(*options); });
}

}  // namespace pimhls::cli
