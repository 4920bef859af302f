#include "frontend/norm_reductions.h"

#include <string>
#include <string_view>

#include "frontend/onnx_attributes.h"
#include "frontend/onnx_names.h"

namespace pimhls::frontend {
namespace {

struct NormReduction {
  std::string_view op_type;
  std::string_view before;  // applied to x first ("Pow" squares), or empty
  std::string_view after;   // applied to the sum, or empty
};

constexpr NormReduction kNormReductions[] = {
    {"ReduceL1", "Abs", ""},           {"ReduceL2", "Pow", "Sqrt"},    {"ReduceLogSum", "", "Log"},
    {"ReduceLogSumExp", "Exp", "Log"}, {"ReduceSumSquare", "Pow", ""},
};

const NormReduction* find_reduction(const onnx::NodeProto& node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx") return nullptr;
  for (const NormReduction& reduction : kNormReductions)
    if (node.op_type() == reduction.op_type) return &reduction;
  return nullptr;
}

onnx::NodeProto constant_node(const std::string& name, const std::string& output,
                              const onnx::TensorProto& value) {
  onnx::NodeProto node;
  node.set_op_type("Constant");
  node.set_name(name);
  node.add_output(output);
  onnx::AttributeProto& attribute = *node.add_attribute();
  attribute.set_name("value");
  attribute.set_type(onnx::AttributeProto::TENSOR);
  *attribute.mutable_t() = value;
  return node;
}

}  // namespace

std::vector<std::string_view> norm_reduction_operators() {
  std::vector<std::string_view> names;
  for (const NormReduction& reduction : kNormReductions) names.push_back(reduction.op_type);
  return names;
}

void expand_norm_reductions(onnx::GraphProto& graph, int opset) {
  ValueNames names(graph);
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (onnx::NodeProto& node : *graph.mutable_node()) {
    const NormReduction* reduction = find_reduction(node);
    if (!reduction || node.input_size() != 1) {  // (opset 18's axes input: not imported)
      *nodes.Add() = std::move(node);
      continue;
    }
    const std::string base = node.name();
    std::string x = node.input(0);
    if (!reduction->before.empty()) {
      onnx::NodeProto& before = *nodes.Add();
      before.set_op_type(std::string(reduction->before));
      before.set_name(names.fresh(base + "/" + std::string(reduction->before)));
      before.add_input(x);
      if (reduction->before == "Pow") {  // x^2, the exponent a Constant node
        onnx::TensorProto two;
        two.set_data_type(onnx::TensorProto_DataType_FLOAT);
        two.add_float_data(2.0f);
        const std::string exponent = names.fresh(base + "/two");
        *nodes.Add() = constant_node(names.fresh(base + "/two"), exponent, two);
        before.add_input(exponent);
        if (opset < 7) set_int(before, "broadcast", 1);  // (a scalar exponent: opset 6's rule)
      }
      x = names.fresh(base + "/terms");
      before.add_output(x);
    }
    const std::vector<std::int64_t> axes = ints_attribute(node, "axes");
    std::string axes_input;  // from opset 13 ReduceSum takes the axes as an input
    if (!axes.empty() && opset >= 13) {
      onnx::TensorProto value;
      value.set_data_type(onnx::TensorProto_DataType_INT64);
      value.add_dims(static_cast<std::int64_t>(axes.size()));
      for (const std::int64_t axis : axes) value.add_int64_data(axis);
      axes_input = names.fresh(base + "/axes");
      *nodes.Add() = constant_node(names.fresh(base + "/axes"), axes_input, value);
    }
    onnx::NodeProto& sum = *nodes.Add();
    sum.set_op_type("ReduceSum");
    sum.set_name(reduction->after.empty() ? base : names.fresh(base + "/sum"));
    sum.add_input(x);
    if (!axes_input.empty()) sum.add_input(axes_input);
    for (const onnx::AttributeProto& attribute : node.attribute())
      if (attribute.name() != "axes") *sum.add_attribute() = attribute;
    if (!axes.empty() && axes_input.empty()) set_ints(sum, "axes", axes);
    if (reduction->after.empty()) {
      sum.add_output(node.output(0));
      continue;
    }
    const std::string total = names.fresh(base + "/total");
    sum.add_output(total);
    onnx::NodeProto& after = *nodes.Add();
    after.set_op_type(std::string(reduction->after));
    after.set_name(base);
    after.add_input(total);
    after.add_output(node.output(0));
  }
  graph.mutable_node()->Swap(&nodes);
}

}  // namespace pimhls::frontend
