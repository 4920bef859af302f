// pimhls run: one inference with the float reference, the integer reference (quantized) or the
// analog PIM model, and how far the last two are from float.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <optional>
#include <random>

#include "cli/commands.h"
#include "cli/input_shapes.h"
#include "frontend/onnx_import.h"
#include "frontend/onnx_load.h"
#include "frontend/tensor_file.h"
#include "golden/float_reference.h"
#include "hw/library.h"
#include "quant/analog_reference.h"
#include "quant/design_arrays.h"
#include "quant/from_library.h"
#include "quant/int_reference.h"
#include "quant/layer_error.h"
#include "quant/metrics.h"
#include "quant/quantize.h"
#include "util/error.h"
#include "util/files.h"
#include "util/text.h"

namespace pimhls::cli {
namespace {

namespace fs = std::filesystem;

struct RunOptions {
  std::string model;
  std::vector<std::string> input_shapes;  // --input-shape
  std::vector<std::string> inputs;
  std::string output;
  unsigned seed = 1;
  std::string mode = "float";
  std::string calib_dir;
  int calib_count = 8;
  std::string calibration = "mse";
  int weight_bits = 8;
  int activation_bits = 8;
  bool per_tensor_weights = false;
  std::string array_spec;
  std::string design;
  std::string hw;
  std::string tech;
  bool bits_given = false;  // --weight-bits or --activation-bits on the command line
  bool layers = false;
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

std::string format_db(double db) {
  return std::isinf(db) ? (db > 0 ? "inf" : "-inf") : fmt::format("{:.2f}", db);
}

// --input files and no --input-shape: a graph input with dynamic dimensions takes its file's
// shape, as ONNX Runtime runs such a model (the i-th file is the i-th graph input).
void shapes_from_files(const onnx::GraphProto& graph, const std::vector<std::string>& files,
                       frontend::ImportOptions& import) {
  std::size_t file = 0;
  for (const onnx::ValueInfoProto* input : frontend::activation_inputs(graph)) {
    if (file == files.size()) break;
    const onnx::TensorShapeProto& declared = input->type().tensor_type().shape();
    const auto& dims = declared.dim();
    if (std::any_of(dims.begin(), dims.end(), [](const auto& d) { return !d.has_dim_value(); })) {
      const ir::Dims shape = frontend::read_tensor_file(files[file]).shape;
      if (!frontend::agrees_with(declared, shape))
        fail("{}: tensor of shape {}, but input '{}' has shape {}", files[file],
             ir::format_dims(shape), input->name(), frontend::format_declared(declared));
      import.input_shapes[input->name()] = shape;
    }
    ++file;
  }
}

// The model, parsed once, with the run's input shapes. The importer rejects quantized operators
// as unsupported; say why, and what to do instead.
ir::Graph import_model(const RunOptions& options) {
  const std::string& path = options.model;
  onnx::ModelProto model = frontend::parse_model_file(path);
  frontend::ImportOptions import = import_options(options.input_shapes);
  if (options.input_shapes.empty()) shapes_from_files(model.graph(), options.inputs, import);
  try {
    return frontend::import_onnx_model(std::move(model), path, import);
  } catch (const Error&) {
    try {
      const onnx::ModelProto reread = frontend::parse_model_file(path);
      for (const onnx::NodeProto& node : reread.graph().node())
        if (quant::is_prequantized_operator(node.op_type()))
          fail(
              "{}: node '{}' ({}): models that are already quantized are not supported yet; give "
              "pimhls the float model, it quantizes it itself (docs/quantization.md, "
              "\"Pre-quantized models\")",
              path, node.name(), node.op_type());
    } catch (const Error& error) {
      if (std::string(error.what()).find("already quantized") != std::string::npos) throw;
    }
    throw;
  }
}

std::vector<fs::path> sorted_entries(const fs::path& dir, bool directories) {
  std::vector<fs::path> entries;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (directories ? entry.is_directory()
                    : entry.is_regular_file() && entry.path().extension() == ".pb")
      entries.push_back(entry.path());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

// --calib DIR: ONNX test-data folders (DIR/*/input_<i>.pb, one set each), or for a network with
// one input, every DIR/*.pb. Sorted by name, so the calibration is reproducible.
std::vector<std::vector<ir::Tensor>> calibration_sets(const ir::Graph& graph,
                                                      const RunOptions& options) {
  if (options.calib_dir.empty())
    return quant::random_input_sets(graph, options.calib_count, options.seed + 1);
  const fs::path dir = options.calib_dir;
  std::error_code error;
  if (!fs::is_directory(dir, error)) fail("{}: not a directory (--calib)", options.calib_dir);
  std::vector<std::vector<ir::Tensor>> sets;
  for (const fs::path& set : sorted_entries(dir, true)) {
    std::vector<ir::Tensor> inputs;
    for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
      const fs::path file = set / fmt::format("input_{}.pb", i);
      if (!fs::exists(file)) break;
      inputs.push_back(frontend::read_graph_input(file, graph, i));
    }
    if (inputs.size() == graph.inputs.size()) sets.push_back(std::move(inputs));
  }
  if (sets.empty() && graph.inputs.size() == 1)
    for (const fs::path& file : sorted_entries(dir, false))
      sets.push_back({frontend::read_graph_input(file, graph, 0)});
  if (sets.empty())
    fail(
        "{}: no calibration inputs: expected *.pb tensor files (one per set) or folders of "
        "input_<i>.pb files for the {} graph input(s) (ONNX test data)",
        options.calib_dir, graph.inputs.size());
  return sets;
}

// --hw FILE / --tech NAME: the library's bit widths and the tile type's arrays.
std::optional<hw::Library> library(const RunOptions& options) {
  if (options.hw.empty() && options.tech.empty()) return std::nullopt;
  if (options.tech.empty())
    fail("--hw {}: name the tile type the analog model uses with --tech (e.g. sram, rram)",
         options.hw);
  return options.hw.empty() ? hw::builtin_library() : hw::load_library(options.hw);
}

quant::QuantConfig quant_config(const RunOptions& options, const std::optional<hw::Library>& lib) {
  quant::QuantConfig config;
  if (lib && !options.bits_given) config = quant::with_library_bits(*lib, config);
  if (!lib || options.bits_given) {
    config.weight_bits = options.weight_bits;
    config.activation_bits = options.activation_bits;
  }
  config.per_channel_weights = !options.per_tensor_weights;
  if (options.calibration == "max")
    config.calibration = quant::CalibrationMethod::Max;
  else if (options.calibration == "percentile")
    config.calibration = quant::CalibrationMethod::Percentile;
  else
    config.calibration = quant::CalibrationMethod::Mse;
  return config;
}

// Per layer: design.json, else --array laid over the --tech tile's arrays (or the defaults).
quant::ArrayMap array_map(const RunOptions& options, const std::optional<hw::Library>& lib) {
  const quant::ArrayParams base =
      lib ? quant::array_params(*lib, options.tech) : quant::ArrayParams{};
  const quant::ArrayParams fallback = quant::parse_array_spec(options.array_spec, "--array", base);
  if (options.design.empty()) return quant::ArrayMap{fallback, {}};
  return quant::read_design_arrays(options.design, fallback);
}

void print_comparison(const std::string& what, const ir::Tensor& reference,
                      const ir::Tensor& test) {
  const quant::Agreement top1 = quant::top1_agreement(reference, test);
  fmt::print("vs {}: SQNR {} dB, top-1 {}", what,
             format_db(quant::sqnr_db(reference.data, test.data)),
             top1.agreeing == top1.rows ? "agrees" : "differs");
  const std::vector<std::int64_t> classes = quant::top1(test);
  if (classes.size() == 1)
    fmt::print(" (class {})", classes[0]);
  else
    fmt::print(" ({} of {} rows)", top1.agreeing, top1.rows);
  fmt::print("\n");
}

void print_layers(const std::vector<quant::LayerError>& errors,
                  const std::vector<quant::AnalogLayerReport>& arrays) {
  fmt::print("{:<24} {:<18} {:>12}", "layer", "op", "SQNR dB");
  if (!arrays.empty())
    fmt::print(" {:>9} {:>10} {:>9}  {}", "ADC shift", "saturated", "exact ADC", "arrays");
  fmt::print("\n");
  for (const quant::LayerError& error : errors) {
    fmt::print("{:<24} {:<18} {:>12}", error.name, ir::op_name(error.op), format_db(error.sqnr_db));
    const auto found = std::find_if(arrays.begin(), arrays.end(), [&](const auto& report) {
      return report.node_index == error.node_index;
    });
    if (found != arrays.end()) {
      const double saturated = found->counters.samples == 0
                                   ? 0.0
                                   : 100.0 * static_cast<double>(found->counters.saturated) /
                                         static_cast<double>(found->counters.samples);
      const quant::ArrayParams& p = found->params;
      fmt::print(" {:>9} {:>9.3f}% {:>9}  {}x{} {}b/cell {}-row blocks {}", found->adc_shift,
                 saturated, found->lossless ? "yes" : "no", p.rows, p.cols, p.bits_per_cell,
                 p.parallel_rows,
                 p.adc_mode == quant::AdcMode::Lossless
                     ? std::string("lossless")
                     : fmt::format("{}-b {}", p.adc_bits, quant::adc_mode_name(p.adc_mode)));
    }
    fmt::print("\n");
  }
}

void run(const RunOptions& options) {
  const ir::Graph graph = import_model(options);
  print_import_notes(graph);
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
    inputs.push_back(frontend::read_graph_input(options.inputs[i], graph, i));
  }
  const std::vector<ir::Tensor> float_outputs = golden::run_float(graph, inputs);
  std::vector<ir::Tensor> outputs = float_outputs;
  std::vector<ir::Tensor> int_outputs;
  if (options.mode != "float") {
    const std::optional<hw::Library> lib = library(options);
    const quant::QuantConfig config = quant_config(options, lib);
    quant::validate(config);
    const quant::ArrayMap arrays =
        options.mode == "analog" ? array_map(options, lib) : quant::ArrayMap{};
    const std::vector<std::vector<ir::Tensor>> sets = calibration_sets(graph, options);
    const quant::QuantizedGraph quantized =
        in_context(options.model, [&] { return quant::quantize(graph, sets, config); });
    fmt::print(
        "quantized: {}-bit weights (per {}), {}-bit activations, {} calibration on {} {}\n",
        config.weight_bits, config.per_channel_weights ? "output channel" : "layer",
        config.activation_bits, options.calibration, sets.size(),
        options.calib_dir.empty() ? "seeded random inputs" : "inputs from " + options.calib_dir);
    const std::vector<std::int64_t> clipped = quant::clipped_inputs(quantized, inputs);
    for (std::size_t i = 0; i < clipped.size(); ++i) {
      const ir::Value& value = graph.value(graph.inputs[i]);
      const quant::QuantParams& params =
          quantized.values[static_cast<std::size_t>(graph.inputs[i])];
      const auto count = static_cast<double>(inputs[i].data.size());
      // MSE calibration clips the tails of data like the calibration's on purpose
      if (static_cast<double>(clipped[i]) > 0.01 * count)
        fmt::print(
            "note: input '{}': {} of {} values ({:.0f}%) outside its calibrated range [{:g}, "
            "{:g}]: calibrate with inputs like this one (--calib DIR)\n",
            value.name, clipped[i], inputs[i].data.size(),
            100.0 * static_cast<double>(clipped[i]) / count, params.min_code() * params.scale,
            params.max_code() * params.scale);
    }
    const quant::IntResult int_result = quant::run_int(quantized, inputs);
    int_outputs = int_result.dequantized;
    outputs = int_outputs;
    if (const std::int64_t saturated = quant::saturated_outputs(quantized, int_result);
        saturated > 0)
      fmt::print(
          "note: {} output value(s) at the end of the calibrated range: calibrate with "
          "inputs like this one (--calib DIR)\n",
          saturated);
    std::vector<quant::AnalogLayerReport> reports;
    if (options.mode == "analog") {
      if (arrays.layers.empty())
        fmt::print("arrays: {}{}\n", lib ? fmt::format("tile type '{}': ", options.tech) : "",
                   quant::describe(arrays.fallback));
      else
        fmt::print("arrays: {} layer(s) from {} (--layers shows them); any other: {}\n",
                   arrays.layers.size(), options.design, quant::describe(arrays.fallback));
      outputs = quant::run_analog(quantized, quant::AnalogConfig{arrays, {}}, inputs, {}, &reports)
                    .dequantized;
    }
    if (options.layers) {
      if (options.mode == "analog") {
        quant::AnalogEngine engine(quantized, arrays);
        print_layers(quant::layer_errors(graph, quantized, inputs, engine), reports);
      } else {
        quant::ExactEngine engine(quantized);
        print_layers(quant::layer_errors(graph, quantized, inputs, engine), {});
      }
    }
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const std::string& name = graph.value(graph.outputs[i]).name;
    // (in the model's layout: top-1 is along its last axis)
    const auto model_layout = [&](const ir::Tensor& t) {
      return frontend::to_model_output(t, graph, i);
    };
    const ir::Tensor output = model_layout(outputs[i]);
    print_summary(name, output);
    if (options.mode != "float") print_comparison("float", model_layout(float_outputs[i]), output);
    if (options.mode == "analog") print_comparison("int", model_layout(int_outputs[i]), output);
    if (!options.output.empty()) {
      frontend::write_tensor_file(output_path(options.output, i), output, name);
      fmt::print("wrote {}\n", output_path(options.output, i));
    }
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* command = app.add_subcommand(
      "run",
      "Run one inference: float (the ONNX-semantics reference), int (post-training quantized, "
      "integer arithmetic only) or analog (the integer network with every Conv/Gemm computed by "
      "the modelled PIM arrays: bit slices, bit-serial inputs, ADCs). int and analog print the "
      "SQNR and top-1 agreement against float; analog also against int (the ADCs' error). "
      "Inputs and outputs are ONNX TensorProto files (test_data_set_0/input_0.pb).");
  command->add_option("model", options->model, "ONNX model file")->required();
  add_input_shape_option(*command, options->input_shapes);
  command->add_option("--input", options->inputs,
                      "input TensorProto file, once per graph input in order (default: a seeded "
                      "random input)");
  command->add_option("--output", options->output,
                      "write the output TensorProto here (further outputs get _1, _2 suffixes)");
  command
      ->add_option("--seed", options->seed,
                   "seed of the random input (the random calibration inputs use seed + 1)")
      ->capture_default_str();
  command->add_option("--mode", options->mode, "float, int or analog")
      ->check(CLI::IsMember({"float", "int", "analog"}))
      ->capture_default_str();
  command->add_option("--calib", options->calib_dir,
                      "calibration inputs: a folder of TensorProto files (*.pb), or of ONNX "
                      "test-data folders (*/input_0.pb ...); default: seeded random inputs");
  command
      ->add_option("--calib-count", options->calib_count,
                   "number of seeded random calibration inputs without --calib")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command
      ->add_option("--calibration", options->calibration,
                   "activation ranges: max, percentile (99.99%) or mse (least squared error)")
      ->check(CLI::IsMember({"max", "percentile", "mse"}))
      ->capture_default_str();
  CLI::Option* weight_bits = command->add_option("--weight-bits", options->weight_bits,
                                                 "weight precision (default: the "
                                                 "library's with --tech, else 8)");
  CLI::Option* activation_bits =
      command->add_option("--activation-bits", options->activation_bits,
                          "activation precision (default: the library's with --tech, else 8)");
  command->add_flag("--per-layer-weights", options->per_tensor_weights,
                    "one weight scale per layer instead of per output channel");
  command->add_option(
      "--array", options->array_spec,
      "analog: array parameters key=value,... (rows, cols, bits_per_cell, "
      "dac_bits, parallel_rows, adc_bits, adc=clip|scale|lossless, "
      "encoding=twos|offset, whole_kernels, groups_per_array: conv groups packed into "
      "one array); default " +
          quant::describe(quant::ArrayParams{}));
  command->add_option("--design", options->design,
                      "analog: design.json of pimhls gen; each layer runs on its tile's arrays");
  command->add_option("--hw", options->hw,
                      "hardware library TOML laid over the built-in one (see pimhls hw)");
  command->add_option("--tech", options->tech,
                      "analog: the library's tile type whose arrays every layer uses (sram, rram, "
                      "...); its bit widths also set the quantization");
  command->add_flag("--layers", options->layers,
                    "int/analog: print every node's SQNR against float (and ADC figures)");
  command->callback([options, weight_bits, activation_bits] {
    options->bits_given = weight_bits->count() > 0 || activation_bits->count() > 0;
    run(*options);
  });
}

}  // namespace pimhls::cli
