#pragma once
// The checks before the IR is built, in the order onnx_import.cpp runs them. Each throws Error
// with one line that starts with `source` (the file name).
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "frontend/if_branches.h"
#include "ir/graph.h"

namespace pimhls::frontend {

// Parses the bytes; fails on bytes that are not a ModelProto (or are truncated) and on a model
// without a graph.
onnx::ModelProto parse_model(const std::string& bytes, const std::string& source);
// Same, straight from a file (no second copy of the bytes in memory).
onnx::ModelProto parse_model_file(const std::filesystem::path& path);

// The version of the default ONNX operator set the model imports; fails outside the range
// this ONNX library (1.12) knows.
int default_opset(const onnx::ModelProto& model, const std::string& source);

// Gives every node a unique name: its own, or "<OpType>_<index>" when empty (later duplicates
// get "_2", "_3", ...). Messages and the IR use these names.
void name_nodes(onnx::GraphProto& graph);

// "?x3x224x224" for a declared shape with symbolic or unknown dimensions.
std::string format_declared(const onnx::TensorShapeProto& shape);
// True when `shape` has the declared rank and every dimension the model fixes.
bool agrees_with(const onnx::TensorShapeProto& declared, const ir::Dims& shape);
// The graph inputs that are not initializers (IR version < 4 lists initializers as inputs).
std::vector<const onnx::ValueInfoProto*> activation_inputs(const onnx::GraphProto& graph);

// Fixes the dynamic dimensions of graph inputs to `shapes` (by input name; "" is the model's
// only input). Fails on a name that is not a graph input, on "" with several inputs, and on a
// shape that contradicts the dimensions the model fixes.
void set_input_shapes(onnx::GraphProto& graph, const std::map<std::string, ir::Dims>& shapes,
                      const std::string& source);

// Takes the dynamic leading (batch) dimension of every graph input of rank >= 2 as 1, as a
// model exported with a symbolic batch means one sample per run; returns a note per input.
std::vector<std::string> set_dynamic_batch_to_one(onnx::GraphProto& graph);

// Reorders the nodes topologically (stable). Fails naming the node on an input that nothing
// defines (a missing initializer), on a value written twice, and on a cycle (naming its nodes).
// A node moved out of an If's branches also comes after its conditions (`guards`).
void sort_nodes(onnx::GraphProto& graph, const std::string& source, const IfGuards& guards = {});

// Checks the shapes of all initializers against kMaxTensorElements (before ONNX's checker
// multiplies them out).
void check_initializer_sizes(const onnx::GraphProto& graph, const std::string& source);

// Fails on window attributes (strides, dilations, kernel_shape, group) below 1, which ONNX's
// own shape inference would divide by.
void check_window_attributes(const onnx::GraphProto& graph, const std::string& source);

// Runs onnx::checker::check_model and shape inference (which adds value_info); `strict`: a node
// whose shapes do not infer is an error.
void check_with_onnx(onnx::ModelProto& model, const std::string& source, bool strict);

}  // namespace pimhls::frontend
