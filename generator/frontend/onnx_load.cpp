#include "frontend/onnx_load.h"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <exception>
#include <fstream>
#include <functional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "frontend/onnx_tensor.h"
#include "util/error.h"
#include "util/text.h"

namespace pimhls::frontend {
namespace {

std::string describe(const onnx::NodeProto& node) {
  return fmt::format("'{}' ({})", node.name(), node.op_type());
}

// ONNX's messages span several lines; we keep the first, plus the node it names if any.
std::string first_line(const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == ':')) line.pop_back();
  const std::string marker = "Bad node spec for node. Name: ";
  const std::size_t at = message.find(marker);
  if (at != std::string::npos) {
    std::string context = message.substr(at + marker.size());
    context = context.substr(0, context.find('\n'));
    line += fmt::format(" (node {})", context);
  }
  return line;
}

onnx::ModelProto checked_model(onnx::ModelProto model, bool parsed, bool empty,
                               const std::string& source) {
  if (!parsed)
    fail("{}: not an ONNX model (the protobuf does not parse; is the file truncated?)", source);
  if (!model.has_graph())
    fail("{}: not an ONNX model (it has no graph){}", source, empty ? "; the file is empty" : "");
  return model;
}

}  // namespace

onnx::ModelProto parse_model(const std::string& bytes, const std::string& source) {
  onnx::ModelProto model;
  const bool parsed = model.ParseFromString(bytes);
  return checked_model(std::move(model), parsed, bytes.empty(), source);
}

onnx::ModelProto parse_model_file(const std::filesystem::path& path) {
  const std::string source = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) fail("{}: no such file", source);
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) fail("{}: cannot read: {}", source, ec.message());
  if (size >= (std::uintmax_t{1} << 31))  // protobuf's limit for one message
    fail("{}: file is too large ({} bytes; ONNX models hold at most 2 GiB)", source, size);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{}: cannot open for reading", source);
  onnx::ModelProto model;
  const bool parsed = model.ParseFromIstream(&in);
  return checked_model(std::move(model), parsed, size == 0, source);
}

int default_opset(const onnx::ModelProto& model, const std::string& source) {
  const auto& ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  const auto [lowest, highest] = ranges.at(onnx::ONNX_DOMAIN);
  for (const onnx::OperatorSetIdProto& import : model.opset_import()) {
    if (import.domain() != "" && import.domain() != "ai.onnx") continue;
    if (import.version() < lowest || import.version() > highest)
      fail(
          "{}: opset {} is not supported: ONNX 1.12 knows opsets {} to {}; export the model "
          "with an opset in that range",
          source, import.version(), lowest, highest);
    return static_cast<int>(import.version());
  }
  fail("{}: the model imports no ONNX operator set (opset_import has no default domain)", source);
}

void name_nodes(onnx::GraphProto& graph) {
  std::unordered_map<std::string, int> explicit_names;
  for (const onnx::NodeProto& node : graph.node())
    if (!node.name().empty()) ++explicit_names[node.name()];
  std::unordered_set<std::string> used;
  for (int index = 0; index < graph.node_size(); ++index) {
    onnx::NodeProto& node = *graph.mutable_node(index);
    const std::string base =
        node.name().empty() ? fmt::format("{}_{}", node.op_type(), index) : node.name();
    std::string name = base;
    // A generated name must not take an explicit name that comes later.
    for (int suffix = 2; used.count(name) || (node.name().empty() && explicit_names.count(name));
         ++suffix)
      name = fmt::format("{}_{}", base, suffix);
    used.insert(name);
    node.set_name(name);
  }
}

std::string format_declared(const onnx::TensorShapeProto& shape) {
  std::vector<std::string> dims;
  for (const auto& dim : shape.dim())
    dims.push_back(dim.has_dim_value() ? std::to_string(dim.dim_value()) : "?");
  return dims.empty() ? "scalar" : fmt::format("{}", fmt::join(dims, "x"));
}

bool agrees_with(const onnx::TensorShapeProto& declared, const ir::Dims& shape) {
  if (declared.dim_size() != static_cast<int>(shape.size())) return false;
  for (int d = 0; d < declared.dim_size(); ++d)
    if (declared.dim(d).has_dim_value() && declared.dim(d).dim_value() != shape[d]) return false;
  return true;
}

std::vector<const onnx::ValueInfoProto*> activation_inputs(const onnx::GraphProto& graph) {
  std::unordered_set<std::string> initializers;
  for (const onnx::TensorProto& initializer : graph.initializer())
    initializers.insert(initializer.name());
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const onnx::ValueInfoProto& input : graph.input())
    if (!initializers.count(input.name())) inputs.push_back(&input);
  return inputs;
}

void set_input_shapes(onnx::GraphProto& graph, const std::map<std::string, ir::Dims>& shapes,
                      const std::string& source) {
  std::vector<std::string> activations;
  for (const onnx::ValueInfoProto* input : activation_inputs(graph))
    activations.push_back(input->name());
  for (const auto& [given, dims] : shapes) {
    std::string name = given;
    if (name.empty()) {  // the model's only input
      if (activations.size() != 1)
        fail("{}: an input shape without a name needs a model with one input; it has {} ('{}')",
             source, activations.size(), fmt::join(activations, "', '"));
      name = activations[0];
    }
    auto* inputs = graph.mutable_input();
    const auto input =
        std::find_if(inputs->begin(), inputs->end(),
                     [&](const onnx::ValueInfoProto& i) { return i.name() == name; });
    if (input == inputs->end())
      fail("{}: input shape for '{}', which is not a graph input", source, name);
    onnx::TensorShapeProto& declared =
        *input->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (!agrees_with(declared, dims) ||
        std::any_of(dims.begin(), dims.end(), [](std::int64_t d) { return d <= 0; }))
      fail("{}: input shape {} for '{}' does not fit its declared shape", source,
           ir::format_dims(dims), name);
    for (int d = 0; d < declared.dim_size(); ++d) declared.mutable_dim(d)->set_dim_value(dims[d]);
  }
}

std::vector<std::string> set_dynamic_batch_to_one(onnx::GraphProto& graph) {
  std::vector<std::string> notes;
  std::unordered_set<std::string> activations;
  for (const onnx::ValueInfoProto* input : activation_inputs(graph))
    activations.insert(input->name());
  for (onnx::ValueInfoProto& input : *graph.mutable_input()) {
    if (!activations.count(input.name()) || !input.type().has_tensor_type() ||
        !input.type().tensor_type().has_shape())
      continue;
    onnx::TensorShapeProto& shape = *input.mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape.dim_size() < 2 || shape.dim(0).has_dim_value()) continue;
    const std::string declared = format_declared(shape);
    const std::string name =
        shape.dim(0).has_dim_param() ? " ('" + shape.dim(0).dim_param() + "')" : "";
    shape.mutable_dim(0)->set_dim_value(1);
    notes.push_back(fmt::format(
        "input '{}' of shape {}: its dynamic batch dimension{} is taken as 1 (--input-shape sets "
        "another)",
        input.name(), declared, name));
  }
  return notes;
}

void sort_nodes(onnx::GraphProto& graph, const std::string& source, const IfGuards& guards) {
  const int count = graph.node_size();
  std::unordered_set<std::string> defined;  // graph inputs and initializers
  for (const onnx::ValueInfoProto& input : graph.input()) defined.insert(input.name());
  for (const onnx::TensorProto& initializer : graph.initializer())
    defined.insert(initializer.name());
  std::unordered_map<std::string, int> writer;
  for (int n = 0; n < count; ++n) {
    const onnx::NodeProto& node = graph.node(n);
    for (const std::string& output : node.output()) {
      if (output.empty()) continue;
      if (defined.count(output))
        fail("{}: node {} writes '{}', which is already a graph input or initializer", source,
             describe(node), output);
      const auto [it, inserted] = writer.emplace(output, n);
      if (!inserted)
        fail("{}: value '{}' is written by both node {} and node {}", source, output,
             describe(graph.node(it->second)), describe(node));
    }
  }
  std::vector<int> pending(count, 0);
  std::vector<std::vector<int>> readers(count);
  const auto after = [&](int n, int producer) {
    ++pending[n];
    readers[producer].push_back(n);
  };
  for (int n = 0; n < count; ++n) {
    const onnx::NodeProto& node = graph.node(n);
    for (const std::string& input : node.input()) {
      if (input.empty() || defined.count(input)) continue;
      const auto it = writer.find(input);
      if (it == writer.end())
        fail(
            "{}: node {} reads '{}', which no node produces and which is neither a graph input "
            "nor an initializer (missing initializer?)",
            source, describe(node), input);
      after(n, it->second);
    }
    // (a condition nothing writes fails at the flattened If, which reads it)
    if (const auto guard = guards.find(first_output(node)); guard != guards.end())
      for (const std::string& condition : guard->second.conditions)
        if (const auto it = writer.find(condition); it != writer.end()) after(n, it->second);
  }
  for (const onnx::ValueInfoProto& output : graph.output())
    if (!defined.count(output.name()) && !writer.count(output.name()))
      fail("{}: graph output '{}' is produced by no node and is not a graph input", source,
           output.name());

  // Kahn's algorithm; the min-heap keeps the file's order among ready nodes.
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int n = 0; n < count; ++n)
    if (pending[n] == 0) ready.push(n);
  std::vector<int> order;
  order.reserve(count);
  while (!ready.empty()) {
    const int n = ready.top();
    ready.pop();
    order.push_back(n);
    for (int reader : readers[n])
      if (--pending[reader] == 0) ready.push(reader);
  }
  if (static_cast<int>(order.size()) != count) {
    // Every node left waits on another one left; walking back from one must revisit a node.
    int n =
        static_cast<int>(std::find_if(pending.begin(), pending.end(), [](int p) { return p > 0; }) -
                         pending.begin());
    std::vector<int> path;
    while (std::find(path.begin(), path.end(), n) == path.end()) {
      path.push_back(n);
      for (const std::string& input : graph.node(n).input()) {
        const auto it = writer.find(input);
        if (it != writer.end() && pending[it->second] > 0) {
          n = it->second;
          break;
        }
      }
    }
    std::vector<std::string> cycle;
    for (auto it = std::find(path.begin(), path.end(), n); it != path.end(); ++it)
      cycle.push_back(describe(graph.node(*it)));
    // path[i + 1] feeds path[i]: reversed and closed, the cycle reads in data-flow order.
    std::reverse(cycle.begin(), cycle.end());
    cycle.insert(cycle.begin(), describe(graph.node(n)));
    fail("{}: the graph has a cycle: {}", source, join(cycle, " -> "));
  }
  if (std::is_sorted(order.begin(), order.end())) return;
  google::protobuf::RepeatedPtrField<onnx::NodeProto> sorted;
  sorted.Reserve(count);
  for (int n : order) sorted.Add()->Swap(graph.mutable_node(n));
  graph.mutable_node()->Swap(&sorted);
}

void check_initializer_sizes(const onnx::GraphProto& graph, const std::string& source) {
  for (const onnx::TensorProto& initializer : graph.initializer())
    tensor_dims(initializer, fmt::format("{}: initializer '{}'", source, initializer.name()));
}

void check_window_attributes(const onnx::GraphProto& graph, const std::string& source) {
  for (const onnx::NodeProto& node : graph.node()) {
    for (const onnx::AttributeProto& attribute : node.attribute()) {
      const std::string& name = attribute.name();
      if (name != "strides" && name != "dilations" && name != "kernel_shape" && name != "group")
        continue;
      for (std::int64_t value : attribute.ints())
        if (value < 1)
          fail("{}: node {}: attribute '{}' value {} is not positive", source, describe(node), name,
               value);
      if (attribute.type() == onnx::AttributeProto_AttributeType_INT && attribute.i() < 1)
        fail("{}: node {}: attribute '{}' = {} is not positive", source, describe(node), name,
             attribute.i());
    }
  }
}

void check_with_onnx(onnx::ModelProto& model, const std::string& source, bool strict) {
  try {
    onnx::checker::check_model(model);
    const onnx::ShapeInferenceOptions options(/*check_type=*/false, /*strict_mode=*/strict ? 1 : 0,
                                              /*data_propagation=*/true);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception& e) {
    fail("{}: invalid ONNX model: {}", source, first_line(e.what()));
  }
}

}  // namespace pimhls::frontend
