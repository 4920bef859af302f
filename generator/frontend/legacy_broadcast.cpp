#include "frontend/legacy_broadcast.h"

#include <algorithm>
#include <array>
#include <map>

#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

constexpr std::array<const char*, 5> kBroadcastOps = {"Add", "Sub", "Mul", "Div", "Pow"};

// The rank shape inference (or the model) gives `name`; -1 when nothing does.
int rank_of(const onnx::GraphProto& graph, const std::string& name) {
  for (const onnx::TensorProto& tensor : graph.initializer())
    if (tensor.name() == name) return tensor.dims_size();
  for (const auto* infos : {&graph.value_info(), &graph.input(), &graph.output()})
    for (const onnx::ValueInfoProto& info : *infos)
      if (info.name() == name && info.type().tensor_type().has_shape())
        return info.type().tensor_type().shape().dim_size();
  return -1;
}

// The tensor holding constant `name`: an initializer or a Constant node's value.
onnx::TensorProto* constant_tensor(onnx::GraphProto& graph, const std::string& name) {
  for (onnx::TensorProto& tensor : *graph.mutable_initializer())
    if (tensor.name() == name) return &tensor;
  for (onnx::NodeProto& node : *graph.mutable_node())
    if (node.op_type() == "Constant" && node.output_size() == 1 && node.output(0) == name)
      for (onnx::AttributeProto& attribute : *node.mutable_attribute())
        if (attribute.name() == "value") return attribute.mutable_t();
  return nullptr;
}

// The declared shapes follow: IR version 3 lists initializers as graph inputs, shape inference
// lists a Constant's output in value_info.
void append_declared_ones(onnx::GraphProto& graph, const std::string& name, int ones) {
  for (auto* infos : {graph.mutable_input(), graph.mutable_value_info()})
    for (onnx::ValueInfoProto& info : *infos)
      if (info.name() == name && info.type().tensor_type().has_shape())
        for (int i = 0; i < ones; ++i)
          info.mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(1);
}

void drop_attribute(onnx::NodeProto& node, const std::string& name) {
  auto* attributes = node.mutable_attribute();
  attributes->erase(std::remove_if(attributes->begin(), attributes->end(),
                                   [&](const onnx::AttributeProto& a) { return a.name() == name; }),
                    attributes->end());
}

}  // namespace

void align_legacy_broadcasts(onnx::GraphProto& graph, int opset, const std::string& source) {
  if (opset >= 7) return;
  std::map<std::string, std::int64_t> appended;  // constants aligned so far: the 1s appended
  for (onnx::NodeProto& node : *graph.mutable_node()) {
    // PRelu-6's slope of C values is one per channel (axis 1 of [N, C, ...]).
    const bool prelu = node.op_type() == "PRelu";
    if (node.input_size() != 2 || (!prelu && (std::find(kBroadcastOps.begin(), kBroadcastOps.end(),
                                                        node.op_type()) == kBroadcastOps.end() ||
                                              int_attribute(node, "broadcast", 0) != 1)))
      continue;
    const auto done = appended.find(node.input(1));
    const int rank_a = rank_of(graph, node.input(0));
    const int rank_b =
        rank_of(graph, node.input(1)) - static_cast<int>(done == appended.end() ? 0 : done->second);
    if (prelu && (rank_a < 3 || rank_b != 1)) continue;
    if (rank_a < 0 || rank_b < 0 || rank_b > rank_a)
      fail("{}: node '{}' ({}): the ranks of its operands are unknown or B's exceeds A's", source,
           node.name(), node.op_type());
    const std::int64_t axis = prelu ? 1 : int_attribute(node, "axis", rank_a - rank_b);
    const std::int64_t ones = rank_a - rank_b - axis;
    if (axis < 0 || ones < 0)
      fail("{}: node '{}' ({}): axis {} does not place B (rank {}) inside A (rank {})", source,
           node.name(), node.op_type(), axis, rank_b, rank_a);
    if (done != appended.end()) {
      if (done->second != ones)
        fail("{}: node '{}' ({}): its B '{}' is broadcast at another axis by an earlier node",
             source, node.name(), node.op_type(), node.input(1));
    } else if (ones > 0) {
      onnx::TensorProto* b = constant_tensor(graph, node.input(1));
      if (!b)
        fail(
            "{}: node '{}' ({}): a legacy broadcast (opset {}) of a computed operand at axis {} is "
            "not supported; export the model with opset 7 or later",
            source, node.name(), node.op_type(), opset, axis);
      for (std::int64_t i = 0; i < ones; ++i) b->add_dims(1);
      append_declared_ones(graph, node.input(1), static_cast<int>(ones));
      appended.emplace(node.input(1), ones);
    }
    drop_attribute(node, "broadcast");
    drop_attribute(node, "axis");
  }
}

}  // namespace pimhls::frontend
