#pragma once
// Tensor files in the format of ONNX's own test data: one serialized TensorProto per file
// (test_data_set_0/input_0.pb).
#include <filesystem>
#include <string>

#include "ir/graph.h"

namespace pimhls::frontend {

ir::Tensor read_tensor_file(const std::filesystem::path& path);
// The tensor file of graph input `input` (an index into graph.inputs): its shape checked against
// the model's declared input, returned in the IR's layout (ir::Graph::input_permutations).
ir::Tensor read_graph_input(const std::filesystem::path& path, const ir::Graph& graph,
                            std::size_t input);
// The same for a tensor in memory; `source` names it in errors.
ir::Tensor to_graph_input(ir::Tensor tensor, const ir::Graph& graph, std::size_t input,
                          const std::string& source);
// Graph output `output` (an index into graph.outputs) computed in the IR's layout, in the
// model's (ir::Graph::output_layouts).
ir::Tensor to_model_output(ir::Tensor tensor, const ir::Graph& graph, std::size_t output);
void write_tensor_file(const std::filesystem::path& path, const ir::Tensor& tensor,
                       const std::string& name);

}  // namespace pimhls::frontend
