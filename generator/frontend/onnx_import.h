#pragma once
// ONNX -> ir::Graph. Loads with protobuf, runs ONNX's checker and shape inference,
// constant-folds shape arithmetic, folds BatchNormalization into the preceding Conv/Gemm,
// fuses Relu/Clip into it, imports element-wise activations (Sigmoid, Tanh, ..., and x * f(x)
// such as SiLU) as Unary nodes and composes chains of them, drops Identity/Dropout, and sorts
// the graph topologically.
// Every failure is an Error whose one-line message names the file, the node and what is wrong.
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <map>
#include <string>

#include "ir/graph.h"

namespace pimhls::frontend {

struct ImportOptions {
  // Graph inputs to treat as constants (ONNX node tests pass weights as inputs).
  std::map<std::string, ir::Tensor> constant_inputs;
  // Static shapes for graph inputs declared with dynamic dimensions (e.g. a symbolic batch);
  // they must agree with the dimensions the model does fix. The name "" is the only input.
  std::map<std::string, ir::Dims> input_shapes;
  // Fold BatchNormalization and fuse activations into Conv/Gemm, compose chains of Unary nodes
  // (off: keep them as nodes; Mul(x, f(x)) is one Unary either way).
  bool fuse = true;
};

ir::Graph import_onnx(const std::filesystem::path& path, const ImportOptions& options = {});

// Same, from a parsed model (frontend::parse_model_file); `source` names it in messages.
ir::Graph import_onnx_model(onnx::ModelProto model, const std::string& source,
                            const ImportOptions& options = {});

// Same, from the bytes of a ModelProto; `source` names it in messages.
ir::Graph import_onnx_bytes(const std::string& bytes, const std::string& source,
                            const ImportOptions& options = {});

}  // namespace pimhls::frontend
