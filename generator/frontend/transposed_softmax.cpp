#include "frontend/transposed_softmax.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "frontend/onnx_attributes.h"

namespace pimhls::frontend {
namespace {

bool is_default_domain(const onnx::NodeProto& node) {
  return node.domain().empty() || node.domain() == "ai.onnx";
}

// A permutation given in full (a Transpose without perm reverses axes of a rank not known here).
bool is_permutation(const std::vector<std::int64_t>& perm) {
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != static_cast<std::int64_t>(i)) return false;
  return !perm.empty();
}

}  // namespace

void fold_transposed_softmaxes(onnx::GraphProto& graph, int opset) {
  std::map<std::string, int> producer, readers;
  std::set<std::string> outputs;
  for (const onnx::ValueInfoProto& output : graph.output()) outputs.insert(output.name());
  for (int n = 0; n < graph.node_size(); ++n) {
    for (const std::string& input : graph.node(n).input()) ++readers[input];
    for (const std::string& output : graph.node(n).output()) producer[output] = n;
  }
  // Whether `value` is read once, by a node of the chain, and is not a graph output.
  const auto internal = [&](const std::string& value) {
    return readers[value] == 1 && !outputs.count(value);
  };
  const auto reader_of = [&](const std::string& value) -> int {
    for (int n = 0; n < graph.node_size(); ++n)
      for (const std::string& input : graph.node(n).input())
        if (input == value) return n;
    return -1;
  };
  std::set<int> removed;
  for (int s = 0; s < graph.node_size(); ++s) {
    onnx::NodeProto& softmax = *graph.mutable_node(s);
    if ((softmax.op_type() != "Softmax" && softmax.op_type() != "LogSoftmax") ||
        !is_default_domain(softmax) || softmax.input_size() != 1 || softmax.output_size() != 1)
      continue;
    const auto first = producer.find(softmax.input(0));
    if (first == producer.end() || !internal(softmax.input(0)) || !internal(softmax.output(0)))
      continue;
    const onnx::NodeProto& to = graph.node(first->second);
    const int back_index = reader_of(softmax.output(0));
    if (to.op_type() != "Transpose" || !is_default_domain(to) || back_index < 0 ||
        removed.count(first->second) || removed.count(back_index))
      continue;  // (a Transpose already folded into the Softmax before stays folded there)
    const onnx::NodeProto& back = graph.node(back_index);
    const std::vector<std::int64_t> perm = ints_attribute(to, "perm");
    const std::vector<std::int64_t> inverse = ints_attribute(back, "perm");
    const auto rank = static_cast<std::int64_t>(perm.size());
    if (back.op_type() != "Transpose" || !is_default_domain(back) || !is_permutation(perm) ||
        inverse.size() != perm.size())
      continue;
    bool undoes = true;
    for (std::int64_t j = 0; j < rank; ++j)
      undoes = undoes && inverse[static_cast<std::size_t>(j)] >= 0 &&
               inverse[static_cast<std::size_t>(j)] < rank &&
               perm[static_cast<std::size_t>(inverse[static_cast<std::size_t>(j)])] == j;
    std::int64_t axis = int_attribute(softmax, "axis", opset < 13 ? 1 : -1);
    if (axis < 0) axis += rank;
    if (!undoes || axis != rank - 1) continue;
    softmax.set_input(0, to.input(0));
    softmax.set_output(0, back.output(0));
    set_int(softmax, "axis", perm.back());
    if (opset < 13) set_int(softmax, kSingleAxisAttribute, 1);
    removed.insert(first->second);
    removed.insert(back_index);
  }
  if (removed.empty()) return;
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  for (int n = 0; n < graph.node_size(); ++n)
    if (!removed.count(n)) *kept.Add() = std::move(*graph.mutable_node(n));
  graph.mutable_node()->Swap(&kept);
}

}  // namespace pimhls::frontend
