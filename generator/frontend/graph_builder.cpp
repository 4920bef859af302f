#include "frontend/graph_builder.h"

#include <algorithm>
#include <cmath>

#include "frontend/if_branches.h"
#include "frontend/import_ops.h"
#include "frontend/onnx_constant.h"
#include "frontend/onnx_load.h"
#include "frontend/onnx_tensor.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

const std::string kNoName;

// The static shape of an activation graph input; fails on what the IR cannot hold.
ir::Dims static_input_shape(const onnx::ValueInfoProto& input) {
  const std::string& name = input.name();
  if (!input.type().has_tensor_type()) fail("input '{}' is not a tensor", name);
  const onnx::TypeProto_Tensor& type = input.type().tensor_type();
  if (!is_float_type(type.elem_type()))
    fail("input '{}' has element type {}; only float inputs are supported", name,
         onnx::TensorProto_DataType_Name(type.elem_type()));
  if (!type.has_shape())
    fail("input '{}' has no shape; export the model with a fixed input shape", name);
  ir::Dims dims;
  for (int d = 0; d < type.shape().dim_size(); ++d) {
    const auto& dim = type.shape().dim(d);
    if (!dim.has_dim_value() || dim.dim_value() < 0)
      fail(
          "input '{}' of shape {} has a dynamic dimension {}{}; give its shape (--input-shape) "
          "or export the model with a fixed input shape",
          name, format_declared(type.shape()), d,
          dim.has_dim_param() ? " ('" + dim.dim_param() + "')" : std::string());
    if (dim.dim_value() == 0)
      fail(
          "input '{}' has shape {} with a zero dimension; export the model with a fixed, "
          "non-empty input shape",
          name, format_declared(type.shape()));
    dims.push_back(dim.dim_value());
  }
  try {
    checked_element_count(dims);
  } catch (const Error& e) {
    fail("input '{}': {}", name, e.what());
  }
  return dims;
}

}  // namespace

// ---- NodeContext ----

bool NodeContext::has_input(std::size_t i) const {
  return i < static_cast<std::size_t>(node_.input_size()) && !node_.input(i).empty();
}

const std::string& NodeContext::input_name(std::size_t i) const {
  return i < static_cast<std::size_t>(node_.input_size()) ? node_.input(i) : kNoName;
}

bool NodeContext::is_constant(std::size_t i) const {
  if (!has_input(i)) return false;
  const GraphBuilder::Entry& entry = builder_.entry(input_name(i));
  return entry.activation < 0 && !entry.padding;
}

int NodeContext::first_activation_input() const {
  for (int i = 0; i < node_.input_size(); ++i)
    if (has_input(i) && !is_constant(i)) return i;
  return -1;
}

ir::ValueId NodeContext::activation(std::size_t i) const {
  if (!has_input(i)) fail("input {} is missing", i);
  const GraphBuilder::Entry& entry = builder_.entry(input_name(i));
  if (entry.padding) return builder_.materialize_padding(input_name(i));
  if (entry.activation < 0)
    fail("input '{}' is a constant where an activation is expected", input_name(i));
  if (!entry.channels_last.empty())
    fail(
        "input '{}' is a map transposed to channels-last, which only element-wise operators, "
        "reductions, MatMul, LayerNormalization and Softmax over its last axis, a Reshape and a "
        "Transpose back can read",
        input_name(i));
  return entry.activation;
}

ir::ValueId NodeContext::channels_last_source(std::size_t i) const {
  if (!has_input(i)) return -1;
  const GraphBuilder::Entry& entry = builder_.entry(input_name(i));
  return entry.channels_last.empty() ? -1 : entry.activation;
}

const ConstantPadding* NodeContext::padding(std::size_t i) const {
  return has_input(i) ? builder_.entry(input_name(i)).padding.get() : nullptr;
}

const Constant& NodeContext::constant(std::size_t i) const {
  if (!has_input(i)) fail("input {} is missing", i);
  const std::string& name = input_name(i);
  const GraphBuilder::Entry& entry = builder_.entry(name);
  if (entry.padding)
    fail("input '{}' must be a constant (an initializer), but it is computed from the graph inputs",
         name);
  if (entry.activation >= 0)
    fail("input '{}' must be a constant (an initializer), but it is {}", name,
         builder_.graph_.value(entry.activation).producer < 0 ? "a graph input"
                                                              : "computed from the graph inputs");
  return builder_.materialize(name);
}

Constant NodeContext::take_constant(std::size_t i) {
  constant(i);  // checks and converts
  const std::string& name = input_name(i);
  GraphBuilder::Entry& entry = builder_.entry(name);
  const auto reads = std::count(node_.input().begin(), node_.input().end(), name);
  if (entry.uses_left == 1 && reads == 1 && entry.constant.use_count() == 1) {
    Constant taken = std::move(*entry.constant);
    entry.constant.reset();
    return taken;
  }
  return *entry.constant;
}

ir::Dims NodeContext::input_shape(std::size_t i) const {
  if (!has_input(i)) fail("input {} is missing", i);
  std::optional<ir::Dims> shape = known_shape(input_name(i));
  if (!shape) fail("value '{}' is not defined", input_name(i));
  return *std::move(shape);
}

const ir::Graph& NodeContext::graph() const { return builder_.graph_; }

bool NodeContext::output_used(std::size_t i) const {
  if (i >= output_count() || node_.output(i).empty()) return false;
  const auto it = builder_.entries_.find(node_.output(i));
  return it != builder_.entries_.end() && it->second.uses_left > 0;
}

std::vector<const onnx::NodeProto*> NodeContext::readers(std::size_t i) const {
  if (i >= output_count() || node_.output(i).empty()) return {};
  const auto it = builder_.readers_.find(node_.output(i));
  return it == builder_.readers_.end() ? std::vector<const onnx::NodeProto*>{} : it->second;
}

bool NodeContext::is_graph_output(std::size_t i) const {
  const auto& outputs = builder_.onnx_graph_.output();
  return i < output_count() && !node_.output(i).empty() &&
         std::any_of(outputs.begin(), outputs.end(), [&](const onnx::ValueInfoProto& output) {
           return output.name() == node_.output(i);
         });
}

std::optional<ir::Dims> NodeContext::known_shape(const std::string& name) const {
  const auto it = builder_.entries_.find(name);
  if (it == builder_.entries_.end()) return std::nullopt;
  const GraphBuilder::Entry& entry = it->second;
  if (entry.padding) return entry.padding->shape;
  if (!entry.channels_last.empty()) return entry.channels_last;
  if (entry.activation >= 0) return builder_.graph_.shape(entry.activation);
  if (entry.constant) return entry.constant->shape;
  if (entry.initializer)
    return ir::Dims(entry.initializer->dims().begin(), entry.initializer->dims().end());
  return std::nullopt;
}

void NodeContext::define_constant(std::size_t output, Constant value) {
  if (output >= output_count() || node_.output(output).empty()) return;
  const std::string& name = node_.output(output);
  builder_.check_declared_shape(name, value.shape);
  builder_.entries_[name].constant = std::make_shared<Constant>(std::move(value));
}

void NodeContext::define_alias(std::size_t output, std::size_t input) {
  if (output >= output_count() || node_.output(output).empty()) return;
  const std::string& from = input_name(input);
  if (is_constant(input)) builder_.materialize(from);
  const GraphBuilder::Entry source = builder_.entry(from);
  GraphBuilder::Entry& alias = builder_.entries_[node_.output(output)];
  alias.activation = source.activation;
  alias.constant = source.constant;
  alias.padding = source.padding;
  alias.channels_last = source.channels_last;
  builder_.check_declared_shape(node_.output(output), input_shape(input));
}

void NodeContext::define_broadcast_alias(std::size_t output, std::size_t input) {
  if (output >= output_count() || node_.output(output).empty()) return;
  builder_.entries_[node_.output(output)].activation = activation(input);
}

void NodeContext::define_padding(std::size_t output, ConstantPadding padding) {
  if (output >= output_count() || node_.output(output).empty()) return;
  const std::string& name = node_.output(output);
  builder_.check_declared_shape(name, padding.shape);
  builder_.entries_[name].padding = std::make_shared<const ConstantPadding>(std::move(padding));
}

void NodeContext::define_transposed_input(std::size_t output, std::size_t input,
                                          const std::vector<std::int64_t>& perm) {
  const ir::ValueId id = activation(input);
  ir::Graph& graph = builder_.graph_;
  if (graph.value(id).producer >= 0 || graph.input_permutations.count(id))
    fail("a Transpose of an activation is supported only on a graph input (NHWC to NCHW)");
  if (builder_.entry(input_name(input)).uses_left != 1)
    fail("graph input '{}' is transposed here but also read elsewhere", input_name(input));
  ir::Dims& shape = graph.values[static_cast<std::size_t>(id)].shape;
  ir::Dims transposed;
  for (const std::int64_t axis : perm)
    transposed.push_back(shape.at(static_cast<std::size_t>(axis)));
  shape = std::move(transposed);
  graph.input_permutations[id] = perm;
  define_alias(output, input);
}

ir::ValueId find_view(const ir::Graph& graph, ir::ValueId x, const ir::Dims& shape,
                      ir::ValueId& root) {
  for (root = x;;
       root = graph.nodes[static_cast<std::size_t>(graph.value(root).producer)].inputs[0]) {
    if (graph.shape(root) == shape) return root;
    const int producer = graph.value(root).producer;
    if (producer < 0) return -1;
    const ir::Op op = graph.nodes[static_cast<std::size_t>(producer)].op;
    if (op != ir::Op::Reshape && op != ir::Op::Flatten) return -1;
  }
}

void NodeContext::define_view(std::size_t output, ir::ValueId x, ir::Dims shape,
                              const std::string& suffix) {
  if (output >= output_count() || node_.output(output).empty()) return;
  ir::ValueId root = x;
  const ir::ValueId found = find_view(builder_.graph_, x, shape, root);
  if (found < 0) {
    add_node(ir::Op::Reshape, {root}, output_value(output, std::move(shape)), suffix);
    return;
  }
  const std::string& name = node_.output(output);
  builder_.check_declared_shape(name, shape);
  builder_.entries_[name].activation = found;
}

ir::ValueId NodeContext::view_of(ir::ValueId x, const ir::Dims& shape, const std::string& suffix) {
  ir::ValueId root = x;
  const ir::ValueId found = find_view(builder_.graph_, x, shape, root);
  if (found >= 0) return found;
  const ir::ValueId view = intermediate_value(suffix, shape);
  add_node(ir::Op::Reshape, {root}, view, suffix);
  return view;
}

ir::ValueId NodeContext::output_value(std::size_t output, ir::Dims shape) {
  const std::string& name = node_.output(output);
  builder_.check_declared_shape(name, shape);
  const ir::ValueId id = builder_.add_value(name, std::move(shape));
  builder_.entries_[name].activation = id;
  return id;
}

void NodeContext::distrust_declared_shapes() { builder_.declared_trusted_ = false; }

ir::ValueId NodeContext::intermediate_value(const std::string& suffix, ir::Dims shape) {
  return builder_.add_value(node_.output(0) + "/" + suffix, std::move(shape));
}

ir::Node& NodeContext::add_node(ir::Op op, std::vector<ir::ValueId> inputs, ir::ValueId output,
                                const std::string& suffix) {
  std::string name = suffix.empty() ? node_.name()
                                    : builder_.unused_name(node_.name() + "/" + suffix,
                                                           GraphBuilder::NameSpace::Nodes);
  return builder_.append_node(std::move(name), op, std::move(inputs), output);
}

// ---- GraphBuilder ----

GraphBuilder::GraphBuilder(onnx::GraphProto& graph, int opset, std::string source,
                           const ImportOptions& options, IfGuards if_guards)
    : onnx_graph_(graph),
      opset_(opset),
      source_(std::move(source)),
      options_(options),
      if_guards_(std::move(if_guards)) {
  for (const onnx::NodeProto& node : graph.node()) {
    node_names_.insert(node.name());
    for (const std::string& input : node.input())
      if (!input.empty()) {
        ++entries_[input].uses_left;
        readers_[input].push_back(&node);
      }
  }
  for (const onnx::ValueInfoProto& output : graph.output()) {
    ++entries_[output.name()].uses_left;
    declared_[output.name()] = &output.type();
  }
  for (const onnx::ValueInfoProto& info : graph.value_info()) declared_[info.name()] = &info.type();
}

std::string GraphBuilder::unused_name(const std::string& base, NameSpace space) const {
  const auto taken = [&](const std::string& name) {
    return (space != NameSpace::Nodes && entries_.count(name)) ||
           (space != NameSpace::Entries && node_names_.count(name));
  };
  std::string name = base;
  for (int n = 2; taken(name); ++n) name = fmt::format("{}_{}", base, n);
  return name;
}

GraphBuilder::TwinEntries::~TwinEntries() {
  for (const std::string& name : names_) builder_.entries_.erase(name);
}

std::string GraphBuilder::TwinEntries::add(const std::string& base, Entry entry) {
  names_.push_back(builder_.unused_name(base + "/" + suffix_));
  builder_.entries_[names_.back()] = std::move(entry);
  return names_.back();
}

void GraphBuilder::TwinEntries::add_outputs(const onnx::NodeProto& node, onnx::NodeProto& twin) {
  for (int o = 0; o < node.output_size(); ++o) {
    if (node.output(o).empty()) continue;
    Entry result;
    if (const auto it = builder_.entries_.find(node.output(o)); it != builder_.entries_.end())
      result.uses_left = it->second.uses_left;
    twin.set_output(o, add(node.output(o), std::move(result)));
  }
}

GraphBuilder::Entry& GraphBuilder::entry(const std::string& name) {
  const auto it = entries_.find(name);
  if (it == entries_.end() || (it->second.activation < 0 && !it->second.constant &&
                               !it->second.initializer && !it->second.padding))
    fail("value '{}' is not defined", name);
  return it->second;
}

const Constant& GraphBuilder::materialize(const std::string& name) {
  Entry& found = entry(name);
  if (!found.constant) {
    found.constant = std::make_shared<Constant>(
        to_constant(*found.initializer, fmt::format("initializer '{}'", name)));
    std::string().swap(*found.initializer->mutable_raw_data());  // frees the proto's copy
    found.initializer = nullptr;
  }
  return *found.constant;
}

ir::Node& GraphBuilder::append_node(std::string name, ir::Op op, std::vector<ir::ValueId> inputs,
                                    ir::ValueId output) {
  node_names_.insert(name);
  graph_.values[output].producer = static_cast<int>(graph_.nodes.size());
  ir::Node& node = graph_.nodes.emplace_back();
  node.name = std::move(name);
  node.op = op;
  node.inputs = std::move(inputs);
  node.output = output;
  return node;
}

ir::ValueId GraphBuilder::materialize_padding(const std::string& name) {
  Entry& found = entry(name);
  if (found.activation >= 0) return found.activation;
  const ConstantPadding padding = *found.padding;
  if (padding.shape.size() != 4)
    fail(
        "input '{}' is a map's channels padded in the view {} (Pad '{}'), which only an "
        "AveragePool over those channels can read",
        name, ir::format_dims(padding.shape), padding.node);
  if (std::isinf(padding.value))
    fail("input '{}' is padded with {} (Pad '{}'), which only a MaxPool can read", name,
         padding.value, padding.node);
  const bool offset = padding.value != 0.0f;
  const ir::ValueId zeros = add_value(offset ? name + "/zeros" : name, padding.shape);
  ir::Window& window = append_node(padding.node, ir::Op::BorderPad, {padding.source}, zeros).window;
  window.border = ir::Border::Zero;
  window.pad_top = padding.pads[0];
  window.pad_left = padding.pads[1];
  window.pad_bottom = padding.pads[2];
  window.pad_right = padding.pads[3];
  found.activation = zeros;
  if (offset) {
    found.activation = add_value(name, padding.shape);
    append_node(padding.node + "/unshift", ir::Op::Add, {zeros}, found.activation).weight = {
        {}, {padding.value}};
  }
  return found.activation;
}

ir::ValueId GraphBuilder::add_value(const std::string& name, ir::Dims shape) {
  try {
    if (std::find(shape.begin(), shape.end(), 0) != shape.end())
      fail("shape {} has a zero dimension; empty tensors are not supported",
           ir::format_dims(shape));
    checked_element_count(shape);
  } catch (const Error& e) {
    fail("'{}': {}", name, e.what());
  }
  graph_.values.push_back(ir::Value{name, std::move(shape), -1});
  return static_cast<ir::ValueId>(graph_.values.size() - 1);
}

void GraphBuilder::check_declared_shape(const std::string& name, const ir::Dims& shape) const {
  const auto it = declared_.find(name);
  if (!declared_trusted_ || it == declared_.end() || !it->second->has_tensor_type() ||
      !it->second->tensor_type().has_shape())
    return;
  const onnx::TensorShapeProto& declared = it->second->tensor_type().shape();
  if (!agrees_with(declared, shape))
    fail("'{}' computes to shape {} but the model declares {}", name, ir::format_dims(shape),
         format_declared(declared));
}

void GraphBuilder::add_graph_inputs() {
  for (onnx::TensorProto& initializer : *onnx_graph_.mutable_initializer())
    entries_[initializer.name()].initializer = &initializer;
  const auto& inputs = onnx_graph_.input();
  for (const auto& [name, tensor] : options_.constant_inputs)
    if (std::none_of(inputs.begin(), inputs.end(),
                     [&](const onnx::ValueInfoProto& input) { return input.name() == name; }))
      fail("{}: constant input '{}' is not an input of the graph", source_, name);
  for (const onnx::ValueInfoProto& input : inputs) {
    const std::string& name = input.name();
    Entry& slot = entries_[name];
    if (const auto bound = options_.constant_inputs.find(name);
        bound != options_.constant_inputs.end()) {
      const onnx::TypeProto_Tensor& type = input.type().tensor_type();
      if (type.has_shape() && !agrees_with(type.shape(), bound->second.shape))
        fail("{}: constant input '{}' has shape {} but the model declares {}", source_, name,
             ir::format_dims(bound->second.shape), format_declared(type.shape()));
      slot.constant = std::make_shared<Constant>(Constant::from_tensor(bound->second));
      slot.initializer = nullptr;
      continue;
    }
    if (slot.initializer) continue;  // an initializer listed as input (IR version < 4)
    try {
      slot.activation = add_value(name, static_input_shape(input));
    } catch (const Error& e) {
      fail("{}: {}", source_, e.what());
    }
    graph_.inputs.push_back(slot.activation);
  }
  // (once every input is an activation: one read next to another is a view only if both are)
  for (const ir::ValueId input : std::vector<ir::ValueId>(graph_.inputs)) {
    const std::string name = graph_.values[static_cast<std::size_t>(input)].name;
    try {
      define_channels_last_input(name, input);
    } catch (const Error& e) {
      fail("{}: graph input '{}': {}", source_, name, e.what());
    }
  }
}

bool GraphBuilder::branch_taken(const onnx::NodeProto& node) {
  const auto not_taken = [&] {
    for (const std::string& output : node.output()) untaken_values_.insert(output);
    return false;
  };
  // A node that reads a value of a branch not taken (made by a rewrite before import from a
  // node there) is not taken either; a flattened If reads both branches.
  if (!is_flat_if(node))
    for (const std::string& input : node.input())
      if (untaken_values_.count(input)) return not_taken();
  const auto guard = if_guards_.find(first_output(node));
  if (guard == if_guards_.end()) return true;
  const IfGuard& within = guard->second;
  for (std::size_t i = 0; i < within.conditions.size(); ++i) {
    const std::string& name = within.conditions[i];
    const Entry& condition = entry(name);
    if (condition.activation >= 0 || condition.padding)
      fail(
          "it is in a branch of an If whose condition '{}' is computed from activations; only "
          "Ifs decided at import time (on shapes and constants) are supported",
          name);
    const Constant& value = materialize(name);
    if (value.count() != 1)
      fail("the condition '{}' of the If around it has {} elements; it needs one", name,
           value.count());
    if ((value.value(0) != 0) != (within.branches[i] != 0)) return not_taken();
  }
  return true;
}

void GraphBuilder::import_node(const onnx::NodeProto& node) {
  NodeContext ctx(*this, node, opset_);
  try {
    if (branch_taken(node)) import_taken_node(ctx);
  } catch (const Error& e) {
    fail("{}: node '{}' ({}): {}", source_, node.name(), node.op_type(), e.what());
  }
  for (const std::string& input : node.input())
    if (!input.empty()) --entries_.at(input).uses_left;
}

void GraphBuilder::import_taken_node(NodeContext& ctx) {
  const onnx::NodeProto& node = ctx.node();
  // (before the others read its inputs: the branch not taken defines none)
  if (is_flat_if(node)) return lower_if(ctx);
  const OperatorImport* op = find_operator(node);
  if (!op) fail("unsupported operator");
  const int activation = ctx.first_activation_input();
  if (activation < 0) {
    if (!op->fold)
      fail("all its inputs are constants, and folding {} at import time is not supported",
           node.op_type());
    op->fold(ctx);
  } else {
    if (!op->lower)
      fail("supported on constants only (shape arithmetic), but input '{}' is an activation",
           ctx.input_name(activation));
    if (!import_channels_last(node, *op) && !import_as_2d(node, *op)) op->lower(ctx);
  }
  for (std::size_t i = 0; i < ctx.output_count(); ++i) {
    if (!ctx.output_used(i)) continue;
    const Entry& out = entries_.at(node.output(i));
    if (out.activation < 0 && !out.constant && !out.padding)
      fail("output {} ('{}') is used but not supported", i, node.output(i));
  }
}

void GraphBuilder::add_graph_outputs() {
  std::unordered_set<std::string> output_names;
  for (const onnx::ValueInfoProto& output : onnx_graph_.output())
    output_names.insert(output.name());
  for (const onnx::ValueInfoProto& output : onnx_graph_.output()) {
    if (entry(output.name()).padding) {
      try {
        materialize_padding(output.name());
      } catch (const Error& e) {
        fail("{}: graph output: {}", source_, e.what());
      }
    }
    const Entry& found = entry(output.name());
    if (found.activation < 0)
      fail(
          "{}: graph output '{}' is a constant (it is computed entirely at import time); "
          "there is nothing to run",
          source_, output.name());
    // An output reached through Identity/Dropout keeps the name the model gives it.
    ir::Value& value = graph_.values[found.activation];
    if (value.name != output.name() && value.producer >= 0 && !output_names.count(value.name))
      value.name = output.name();
    if (!found.channels_last.empty())
      graph_.output_layouts[graph_.outputs.size()] = channels_last_layout(found.channels_last);
    graph_.outputs.push_back(found.activation);
  }
}

ir::Graph GraphBuilder::build() {
  graph_.name = onnx_graph_.name();
  add_graph_inputs();
  for (const onnx::NodeProto& node : onnx_graph_.node()) import_node(node);
  add_graph_outputs();
  return std::move(graph_);
}

}  // namespace pimhls::frontend
