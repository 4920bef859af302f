#include "frontend/onnx_constant.h"

#include <cstring>

#include "frontend/onnx_tensor.h"

namespace pimhls::frontend {

bool is_integer_type(int data_type) {
  switch (data_type) {
    case onnx::TensorProto_DataType_INT8:
    case onnx::TensorProto_DataType_UINT8:
    case onnx::TensorProto_DataType_INT16:
    case onnx::TensorProto_DataType_UINT16:
    case onnx::TensorProto_DataType_INT32:
    case onnx::TensorProto_DataType_UINT32:
    case onnx::TensorProto_DataType_INT64:
    case onnx::TensorProto_DataType_UINT64:
    case onnx::TensorProto_DataType_BOOL: return true;
    default: return false;
  }
}

bool is_float_type(int data_type) {
  return data_type == onnx::TensorProto_DataType_FLOAT ||
         data_type == onnx::TensorProto_DataType_DOUBLE ||
         data_type == onnx::TensorProto_DataType_FLOAT16;
}

Constant to_constant(const onnx::TensorProto& proto, const std::string& where) {
  if (is_integer_type(proto.data_type()))
    return Constant::from_ints(tensor_dims(proto, where), to_int64_values(proto, where));
  // Fast path for the common case (float32 raw_data): one memcpy instead of a detour
  // through double.
  if (proto.data_type() == onnx::TensorProto_DataType_FLOAT && proto.has_raw_data() &&
      proto.data_location() != onnx::TensorProto_DataLocation_EXTERNAL) {
    ir::Dims dims = tensor_dims(proto, where);
    const auto count = static_cast<std::size_t>(ir::element_count(dims));
    if (proto.raw_data().size() == count * sizeof(float)) {
      ir::Tensor tensor{std::move(dims), std::vector<float>(count)};
      if (count > 0)  // (an empty tensor, such as Resize's roi: no data pointer to copy from)
        std::memcpy(tensor.data.data(), proto.raw_data().data(), count * sizeof(float));
      return Constant::from_tensor(std::move(tensor));
    }
  }
  return Constant::from_tensor(to_float_tensor(proto, where));
}

}  // namespace pimhls::frontend
