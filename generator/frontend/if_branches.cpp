#include "frontend/if_branches.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "frontend/graph_builder.h"
#include "frontend/import_ops.h"
#include "frontend/norm_reductions.h"
#include "frontend/onnx_names.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

bool is_onnx_if(const onnx::NodeProto& node) {
  return node.op_type() == "If" && (node.domain().empty() || node.domain() == "ai.onnx");
}

class Flattener {
 public:
  Flattener(onnx::GraphProto& graph, const std::string& source, int opset)
      : graph_(graph), source_(source), opset_(opset), names_(graph) {}

  // Appends `nodes` to `flat` under `guard`, each If among them flattened.
  void flatten(google::protobuf::RepeatedPtrField<onnx::NodeProto>& nodes, const IfGuard& guard) {
    for (onnx::NodeProto& node : nodes) {
      if (!is_onnx_if(node)) {
        add(std::move(node), guard);
        continue;
      }
      if (node.name().empty()) node.set_name(fmt::format("If_{}", unnamed_ifs_++));
      onnx::NodeProto flat_if;
      flat_if.set_name(node.name());
      flat_if.set_op_type("If");
      flat_if.set_domain(std::string(kFlatIfDomain));
      if (node.input_size() != 1 || node.input(0).empty())
        fail("{}: node '{}' (If): it needs one input, the condition", source_, node.name());
      flat_if.add_input(node.input(0));
      for (const auto& [branch, taken] : {std::pair{"then_branch", 1}, {"else_branch", 0}}) {
        onnx::GraphProto* body = branch_graph(node, branch);
        IfGuard inner = guard;
        inner.conditions.push_back(node.input(0));
        inner.branches.push_back(taken);
        const std::string prefix = node.name() + "/" + branch;
        name_branch_nodes(*body, prefix);
        // (here, so that every node of the rewrite runs under the branch's conditions)
        expand_norm_reductions(*body, opset_);
        // (after the rewrite, whose values are named after its nodes: a node name both
        // branches hold writes the same names in both)
        rename_clashing_values(*body, prefix);
        move_constants(*body);
        flatten(*body->mutable_node(), inner);
        for (const onnx::ValueInfoProto& output : body->output()) flat_if.add_input(output.name());
      }
      *flat_if.mutable_output() = node.output();
      add(std::move(flat_if), guard);
    }
  }

  google::protobuf::RepeatedPtrField<onnx::NodeProto>& flat() { return flat_; }
  IfGuards& guards() { return guards_; }

 private:
  void add(onnx::NodeProto node, const IfGuard& guard) {
    if (!guard.conditions.empty()) {
      if (first_output(node).empty()) return;  // (a branch's node that writes nothing does nothing)
      guards_[first_output(node)] = guard;
    }
    *flat_.Add() = std::move(node);
  }

  // The then- and else-branches are scopes of their own and may write the same names (as may
  // two Ifs' branches); once in one graph, a branch's values that clash with a name seen before
  // are renamed "<If>/<branch>/<name>", with every read of them in the branch and its nested
  // branches (which may not write them again: ONNX forbids shadowing).
  void rename_clashing_values(onnx::GraphProto& body, const std::string& prefix) {
    std::unordered_map<std::string, std::string> renames;
    const auto claim = [&](const std::string& name) {
      if (!name.empty() && !names_.claim(name))
        renames.emplace(name, names_.fresh(prefix + "/" + name));
    };
    for (const onnx::TensorProto& initializer : body.initializer()) claim(initializer.name());
    for (const onnx::NodeProto& node : body.node())
      for (const std::string& output : node.output()) claim(output);
    if (!renames.empty()) rename_values(body, renames);
  }

  static void rename_values(onnx::GraphProto& graph,
                            const std::unordered_map<std::string, std::string>& renames) {
    const auto rename = [&](std::string* name) {
      if (const auto it = renames.find(*name); it != renames.end()) *name = it->second;
    };
    for (onnx::TensorProto& initializer : *graph.mutable_initializer())
      rename(initializer.mutable_name());
    for (auto* infos : {graph.mutable_value_info(), graph.mutable_output()})
      for (onnx::ValueInfoProto& info : *infos) rename(info.mutable_name());
    for (onnx::NodeProto& node : *graph.mutable_node()) {
      for (std::string& input : *node.mutable_input()) rename(&input);
      for (std::string& output : *node.mutable_output()) rename(&output);
      for (onnx::AttributeProto& attribute : *node.mutable_attribute()) {
        if (attribute.has_g()) rename_values(*attribute.mutable_g(), renames);
        for (onnx::GraphProto& nested : *attribute.mutable_graphs()) rename_values(nested, renames);
      }
    }
  }

  onnx::GraphProto* branch_graph(onnx::NodeProto& node, const char* name) {
    for (onnx::AttributeProto& attribute : *node.mutable_attribute()) {
      if (attribute.name() != name) continue;
      if (attribute.type() != onnx::AttributeProto::GRAPH || !attribute.has_g()) break;
      onnx::GraphProto& body = *attribute.mutable_g();
      if (body.input_size() != 0 || body.output_size() != node.output_size())
        fail(
            "{}: node '{}' (If): attribute '{}' has {} inputs and {} outputs; it needs none and {}",
            source_, node.name(), name, body.input_size(), body.output_size(), node.output_size());
      return &body;
    }
    fail("{}: node '{}' (If): attribute '{}' (a graph) is missing", source_, node.name(), name);
  }

  // Unnamed nodes of a branch are named after the If and the branch (before rewrites name
  // theirs after them: apart from the other branch's).
  static void name_branch_nodes(onnx::GraphProto& body, const std::string& prefix) {
    for (int n = 0; n < body.node_size(); ++n) {
      onnx::NodeProto& node = *body.mutable_node(n);
      if (node.name().empty()) node.set_name(fmt::format("{}/{}_{}", prefix, node.op_type(), n));
    }
  }

  // A branch's initializers and value_info belong to the graph once its nodes do.
  void move_constants(onnx::GraphProto& body) {
    if (body.sparse_initializer_size() > 0)
      fail("{}: sparse initializers in an If branch are not supported", source_);
    for (onnx::TensorProto& initializer : *body.mutable_initializer())
      *graph_.add_initializer() = std::move(initializer);
    for (onnx::ValueInfoProto& info : *body.mutable_value_info())
      *graph_.add_value_info() = std::move(info);
  }

  onnx::GraphProto& graph_;
  const std::string& source_;
  int opset_;
  int unnamed_ifs_ = 0;
  ValueNames names_;  // values so far, in the graph or moved there
  google::protobuf::RepeatedPtrField<onnx::NodeProto> flat_;
  IfGuards guards_;
};

}  // namespace

std::string first_output(const onnx::NodeProto& node) {
  for (const std::string& output : node.output())
    if (!output.empty()) return output;
  return "";
}

bool is_flat_if(const onnx::NodeProto& node) {
  return node.op_type() == "If" && node.domain() == kFlatIfDomain;
}

IfGuards flatten_ifs(onnx::ModelProto& model, const std::string& source, int opset) {
  onnx::GraphProto& graph = *model.mutable_graph();
  bool any = false;
  for (const onnx::NodeProto& node : graph.node()) any = any || is_onnx_if(node);
  if (!any) return {};
  Flattener flattener(graph, source, opset);
  flattener.flatten(*graph.mutable_node(), {});
  graph.mutable_node()->Swap(&flattener.flat());
  onnx::OperatorSetIdProto& import = *model.add_opset_import();
  import.set_domain(std::string(kFlatIfDomain));
  import.set_version(1);
  return std::move(flattener.guards());
}

void lower_if(NodeContext& ctx) {
  if (!ctx.is_constant(0))
    fail(
        "its condition '{}' is computed from activations; only Ifs decided at import time (on "
        "shapes and constants) are supported",
        ctx.input_name(0));
  const Constant& condition = ctx.constant(0);
  if (condition.count() != 1)
    fail("its condition '{}' has {} elements; it needs one", ctx.input_name(0), condition.count());
  const std::size_t outputs = ctx.output_count();
  const std::size_t first = condition.value(0) != 0 ? 1 : 1 + outputs;
  for (std::size_t o = 0; o < outputs; ++o) ctx.define_alias(o, first + o);
}

}  // namespace pimhls::frontend
