// pimhls inspect: the imported layer graph as a table or JSON.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input_shapes.h"
#include "ir/layer_stats.h"
#include "util/text.h"

namespace pimhls::cli {
namespace {

struct InspectOptions {
  std::string model;
  std::vector<std::string> input_shapes;  // --input-shape
  bool json = false;
  int weight_bits = 8;
};

std::string op_label(const ir::Node& node) {
  std::string label = node.op == ir::Op::Unary ? ir::describe(node.unary) : ir::op_name(node.op);
  if (node.has_weights() && node.window.group > 1)
    label += node.window.group == node.weight.shape[0] ? "(depthwise)" : "(grouped)";
  switch (node.activation.kind) {
    case ir::Activation::Kind::Relu:
      if (node.op != ir::Op::Relu) label += "+Relu";
      break;
    case ir::Activation::Kind::Clip:
      if (node.op != ir::Op::Clip)
        label += fmt::format("+Clip[{:g},{:g}]", node.activation.min, node.activation.max);
      break;
    case ir::Activation::Kind::None: break;
  }
  return label;
}

std::string input_dims(const ir::Graph& graph, const ir::Node& node) {
  std::vector<std::string> shapes;
  for (ir::ValueId input : node.inputs) shapes.push_back(ir::format_dims(graph.shape(input)));
  return join(shapes, ",");
}

// The graph's inputs and outputs as the model declares them, with the IR's shape where the
// layout differs (an NHWC input read as NCHW, a channels-last view computed as its NCHW map).
struct Port {
  std::string name;
  ir::Dims shape, design_shape;
};

std::vector<Port> ports(const ir::Graph& graph, bool inputs) {
  std::vector<Port> found;
  const std::vector<ir::ValueId>& ids = inputs ? graph.inputs : graph.outputs;
  for (std::size_t i = 0; i < ids.size(); ++i)
    found.push_back({graph.value(ids[i]).name,
                     inputs ? graph.model_input_shape(i) : graph.model_output_shape(i),
                     graph.shape(ids[i])});
  return found;
}

void print_json(const ir::Graph& graph, const InspectOptions& options) {
  nlohmann::ordered_json out;
  out["model"] = options.model;
  out["graph"] = graph.name;
  out["weight_bits_per_weight"] = options.weight_bits;
  ir::LayerStats totals;
  auto& layers = out["layers"] = nlohmann::ordered_json::array();
  for (const ir::Node& node : graph.nodes) {
    const ir::LayerStats stats = ir::layer_stats(graph, node);
    nlohmann::ordered_json row;
    row["name"] = node.name;
    row["op"] = op_label(node);
    auto& inputs = row["input_shapes"] = nlohmann::ordered_json::array();
    for (ir::ValueId input : node.inputs) inputs.push_back(graph.shape(input));
    row["output_shape"] = graph.shape(node.output);
    row["parameters"] = stats.parameters;
    row["macs"] = stats.macs;
    row["weight_bits"] = stats.weights * options.weight_bits;
    layers.push_back(row);
    totals.parameters += stats.parameters;
    totals.macs += stats.macs;
    totals.weights += stats.weights;
  }
  out["totals"] = {{"layers", graph.nodes.size()},
                   {"weight_layers", graph.weight_layers().size()},
                   {"parameters", totals.parameters},
                   {"macs", totals.macs},
                   {"weight_bits", totals.weights * options.weight_bits}};
  for (const bool inputs : {true, false}) {
    auto& list = out[inputs ? "inputs" : "outputs"] = nlohmann::ordered_json::array();
    for (const Port& port : ports(graph, inputs))
      list.push_back(
          {{"name", port.name}, {"shape", port.shape}, {"design_shape", port.design_shape}});
  }
  fmt::print("{}\n", out.dump(2));
}

std::string count_or_dash(std::int64_t value) { return value ? with_thousands(value) : "-"; }

void print_table(const ir::Graph& graph, const InspectOptions& options) {
  std::size_t name_width = 5, op_width = 2, in_width = 5, out_width = 6;
  for (const ir::Node& node : graph.nodes) {
    name_width = std::max(name_width, node.name.size());
    op_width = std::max(op_width, op_label(node).size());
    in_width = std::max(in_width, input_dims(graph, node).size());
    out_width = std::max(out_width, ir::format_dims(graph.shape(node.output)).size());
  }
  const std::string bits_header = fmt::format("Mb@{}b", options.weight_bits);
  const auto row = [&](const std::string& name, const std::string& op, const std::string& in,
                       const std::string& out, const std::string& params, const std::string& macs,
                       const std::string& mbits) {
    fmt::print("{:<{}}  {:<{}}  {:<{}}  {:<{}}  {:>12}  {:>15}  {:>8}\n", name, name_width, op,
               op_width, in, in_width, out, out_width, params, macs, mbits);
  };
  row("layer", "op", "input", "output", "params", "MACs", bits_header);
  ir::LayerStats totals;
  for (const ir::Node& node : graph.nodes) {
    const ir::LayerStats stats = ir::layer_stats(graph, node);
    const double megabits = static_cast<double>(stats.weights * options.weight_bits) / 1e6;
    row(node.name, op_label(node), input_dims(graph, node),
        ir::format_dims(graph.shape(node.output)), count_or_dash(stats.parameters),
        count_or_dash(stats.macs), stats.weights ? fmt::format("{:.3f}", megabits) : "-");
    totals.parameters += stats.parameters;
    totals.macs += stats.macs;
    totals.weights += stats.weights;
  }
  // The totals' label spans the four text columns, so that the numbers stay in theirs.
  const std::size_t label_width = name_width + op_width + in_width + out_width + 6;
  fmt::print(
      "{:<{}}  {:>12}  {:>15}  {:>8}\n",
      fmt::format("total ({} layers, {} with weights)", graph.nodes.size(),
                  graph.weight_layers().size()),
      label_width, with_thousands(totals.parameters), with_thousands(totals.macs),
      fmt::format("{:.3f}", static_cast<double>(totals.weights * options.weight_bits) / 1e6));
  for (const bool inputs : {true, false}) {
    std::vector<std::string> listed;
    for (const Port& port : ports(graph, inputs)) {
      std::string item = fmt::format("{} {}", port.name, ir::format_dims(port.shape));
      if (port.design_shape != port.shape)
        item += fmt::format(" ({} {})", inputs ? "read as" : "computed as",
                            ir::format_dims(port.design_shape));
      listed.push_back(std::move(item));
    }
    fmt::print("{:<8} {}\n", inputs ? "inputs:" : "outputs:", join(listed, ", "));
  }
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* command = app.add_subcommand(
      "inspect",
      "Import an ONNX network and print one row per layer: op (with fused activations), input "
      "and output shapes, parameters, MACs and weight storage; totals at the bottom.");
  command->add_option("model", options->model, "ONNX model file")->required();
  add_input_shape_option(*command, options->input_shapes);
  command->add_flag("--json", options->json, "print the table as JSON");
  command->add_option("--weight-bits", options->weight_bits, "bits per weight for storage")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  command->callback([options] {
    const ir::Graph graph = import_model_file(options->model, options->input_shapes);
    if (options->json)
      print_json(graph, *options);
    else
      print_table(graph, *options);
  });
}

}  // namespace pimhls::cli
