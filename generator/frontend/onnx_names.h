#pragma once
// The value names of an ONNX graph, and fresh ones beside them, for rewrites that add or move
// values (norm reductions written out, If branches moved into the graph).
#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <string>
#include <unordered_set>

namespace pimhls::frontend {

class ValueNames {
 public:
  // Every name the graph's inputs, initializers and nodes (read or written) use.
  explicit ValueNames(const onnx::GraphProto& graph) {
    for (const onnx::NodeProto& node : graph.node()) {
      for (const std::string& name : node.input()) taken_.insert(name);
      for (const std::string& name : node.output()) taken_.insert(name);
    }
    for (const onnx::ValueInfoProto& input : graph.input()) taken_.insert(input.name());
    for (const onnx::TensorProto& initializer : graph.initializer())
      taken_.insert(initializer.name());
  }
  // Takes `name`; false when it was taken already.
  bool claim(const std::string& name) { return taken_.insert(name).second; }
  // `base`, or `base_2`, `base_3`, ... the first not taken, now taken.
  std::string fresh(const std::string& base) {
    std::string name = base;
    for (int n = 2; !claim(name); ++n) name = fmt::format("{}_{}", base, n);
    return name;
  }

 private:
  std::unordered_set<std::string> taken_;
};

}  // namespace pimhls::frontend
