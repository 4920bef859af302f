#pragma once
// ONNX If nodes whose condition is known at import time. Exporters write an If where Python code
// branches on a shape: PyTorch's squeeze(dim) becomes "If the dimension is 1, Squeeze, else
// Identity" (nn.LocalResponseNorm has one). flatten_ifs() moves every If's branches into the
// graph, each moved node with the conditions it runs under (IfGuards), and puts a flattened If in
// the If's place: op type "If" in domain kFlatIfDomain, whose inputs are the condition, then the
// then-branch's outputs, then the else-branch's. The importer folds the condition, imports only
// the nodes of the branches taken (GraphBuilder) and makes the If's outputs those of the branch
// taken (lower_if); a condition computed from activations is an error there.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pimhls::frontend {

inline constexpr std::string_view kFlatIfDomain = "pimhls";

bool is_flat_if(const onnx::NodeProto& node);

// The conditions a node moved out of If branches runs under: the names of the Ifs' conditions
// (outermost first) and per condition the branch it is in (1 then, 0 else).
struct IfGuard {
  std::vector<std::string> conditions;
  std::vector<std::int64_t> branches;
};
// By the node's first output (which no other node writes).
using IfGuards = std::map<std::string, IfGuard>;
std::string first_output(const onnx::NodeProto& node);  // "" for none

// Flattens every If of the graph, nested ones too, and returns the guards of the nodes moved; the
// model then imports operator set kFlatIfDomain, so that ONNX's checker accepts the flattened
// Ifs. Fails on an If without its two branch graphs or whose branches' outputs differ in number
// from its own outputs. Branch initializers and value_info move to the graph; the branches' norm
// reductions are expanded first (norm_reductions.h, at `opset`).
IfGuards flatten_ifs(onnx::ModelProto& model, const std::string& source, int opset);

}  // namespace pimhls::frontend
