#pragma once
// Tensor files in the format of ONNX's own test data: one serialized TensorProto per file
// (test_data_set_0/input_0.pb).
#include <filesystem>
#include <string>

#include "ir/graph.h"

namespace pimhls::frontend {

ir::Tensor read_tensor_file(const std::filesystem::path& path);
void write_tensor_file(const std::filesystem::path& path, const ir::Tensor& tensor,
                       const std::string& name);

}  // namespace pimhls::frontend
