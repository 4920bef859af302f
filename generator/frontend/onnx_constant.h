#pragma once
// TensorProto -> Constant: integer element types stay int64 (shape arithmetic must be exact),
// everything else becomes float. Float weights stored as raw_data are copied once, directly.
#include <onnx/onnx_pb.h>

#include <string>

#include "frontend/constant_folding.h"

namespace pimhls::frontend {

bool is_integer_type(int data_type);
bool is_float_type(int data_type);

// `where` prefixes errors (e.g. "initializer 'conv1.weight'").
Constant to_constant(const onnx::TensorProto& proto, const std::string& where);

}  // namespace pimhls::frontend
