#pragma once
// TensorProto <-> ir::Tensor. Internal to frontend/: the rest of the tool never sees protobuf.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace pimhls::frontend {

// Largest tensor we accept, in elements: far above any PIM-sized network layer, far below
// what would make a corrupt file allocate gigabytes.
inline constexpr std::int64_t kMaxTensorElements = std::int64_t{1} << 28;

// Shape of a TensorProto, checked: no negative dims, no overflow, at most kMaxTensorElements.
ir::Dims tensor_dims(const onnx::TensorProto& proto, const std::string& where);

// Any numeric TensorProto (raw_data or typed fields) as float. `where` prefixes errors.
ir::Tensor to_float_tensor(const onnx::TensorProto& proto, const std::string& where);

// An integer TensorProto (shapes, axes, indices) as int64 values.
std::vector<std::int64_t> to_int64_values(const onnx::TensorProto& proto, const std::string& where);

// A float TensorProto holding `tensor`.
onnx::TensorProto to_tensor_proto(const ir::Tensor& tensor, const std::string& name);

}  // namespace pimhls::frontend
