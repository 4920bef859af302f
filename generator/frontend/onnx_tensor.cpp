#include "frontend/onnx_tensor.h"

#include <bit>
#include <cstring>

#include "util/error.h"

namespace pimhls::frontend {
namespace {

using onnx::TensorProto_DataType;

std::size_t element_bytes(int data_type) {
  switch (data_type) {
    case TensorProto_DataType::TensorProto_DataType_FLOAT: return 4;
    case TensorProto_DataType::TensorProto_DataType_DOUBLE: return 8;
    case TensorProto_DataType::TensorProto_DataType_FLOAT16: return 2;
    case TensorProto_DataType::TensorProto_DataType_INT8: return 1;
    case TensorProto_DataType::TensorProto_DataType_UINT8: return 1;
    case TensorProto_DataType::TensorProto_DataType_BOOL: return 1;
    case TensorProto_DataType::TensorProto_DataType_INT16: return 2;
    case TensorProto_DataType::TensorProto_DataType_UINT16: return 2;
    case TensorProto_DataType::TensorProto_DataType_INT32: return 4;
    case TensorProto_DataType::TensorProto_DataType_UINT32: return 4;
    case TensorProto_DataType::TensorProto_DataType_INT64: return 8;
    case TensorProto_DataType::TensorProto_DataType_UINT64: return 8;
    default: return 0;
  }
}

float half_to_float(std::uint16_t half) {
  const std::uint32_t sign = (half & 0x8000u) << 16;
  const std::uint32_t exponent = (half >> 10) & 0x1fu;
  std::uint32_t mantissa = half & 0x3ffu;
  std::uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {  // subnormal half: normalise
    int shift = 0;
    while (!(mantissa & 0x400u)) {
      mantissa <<= 1;
      ++shift;
    }
    bits = sign | (static_cast<std::uint32_t>(113 - shift) << 23) | ((mantissa & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

template <typename T>
T load_le(const char* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof(T));  // the host is little-endian, as is raw_data
  return value;
}

// Element i of raw_data as double (exact for every integer type we accept up to 2^53).
double raw_element(const std::string& raw, int data_type, std::size_t i) {
  const std::size_t size = element_bytes(data_type);
  const char* p = raw.data() + i * size;
  switch (data_type) {
    case TensorProto_DataType::TensorProto_DataType_FLOAT: return load_le<float>(p);
    case TensorProto_DataType::TensorProto_DataType_DOUBLE: return load_le<double>(p);
    case TensorProto_DataType::TensorProto_DataType_FLOAT16:
      return half_to_float(load_le<std::uint16_t>(p));
    case TensorProto_DataType::TensorProto_DataType_INT8: return load_le<std::int8_t>(p);
    case TensorProto_DataType::TensorProto_DataType_UINT8: return load_le<std::uint8_t>(p);
    case TensorProto_DataType::TensorProto_DataType_BOOL: return load_le<std::uint8_t>(p) != 0;
    case TensorProto_DataType::TensorProto_DataType_INT16: return load_le<std::int16_t>(p);
    case TensorProto_DataType::TensorProto_DataType_UINT16: return load_le<std::uint16_t>(p);
    case TensorProto_DataType::TensorProto_DataType_INT32: return load_le<std::int32_t>(p);
    case TensorProto_DataType::TensorProto_DataType_UINT32: return load_le<std::uint32_t>(p);
    case TensorProto_DataType::TensorProto_DataType_INT64:
      return static_cast<double>(load_le<std::int64_t>(p));
    case TensorProto_DataType::TensorProto_DataType_UINT64:
      return static_cast<double>(load_le<std::uint64_t>(p));
    default: return 0;
  }
}

// Reads every element as double, from raw_data or from the typed repeated field.
std::vector<double> element_values(const onnx::TensorProto& proto, const std::string& where) {
  const int data_type = proto.data_type();
  if (element_bytes(data_type) == 0) fail("{}: unsupported tensor data type {}", where, data_type);
  if (proto.data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
    fail(
        "{}: tensors stored in external data files are not supported; save the model with "
        "its weights inside",
        where);
  const std::int64_t count = ir::element_count(tensor_dims(proto, where));
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(count));
  if (proto.has_raw_data()) {
    const std::string& raw = proto.raw_data();
    if (raw.size() != static_cast<std::size_t>(count) * element_bytes(data_type))
      fail("{}: raw_data holds {} bytes, the shape needs {}", where, raw.size(),
           static_cast<std::size_t>(count) * element_bytes(data_type));
    for (std::int64_t i = 0; i < count; ++i)
      values.push_back(raw_element(raw, data_type, static_cast<std::size_t>(i)));
    return values;
  }
  switch (data_type) {
    case TensorProto_DataType::TensorProto_DataType_FLOAT:
      values.assign(proto.float_data().begin(), proto.float_data().end());
      break;
    case TensorProto_DataType::TensorProto_DataType_DOUBLE:
      values.assign(proto.double_data().begin(), proto.double_data().end());
      break;
    case TensorProto_DataType::TensorProto_DataType_INT64:
      for (std::int64_t v : proto.int64_data()) values.push_back(static_cast<double>(v));
      break;
    case TensorProto_DataType::TensorProto_DataType_UINT32:
    case TensorProto_DataType::TensorProto_DataType_UINT64:
      for (std::uint64_t v : proto.uint64_data()) values.push_back(static_cast<double>(v));
      break;
    case TensorProto_DataType::TensorProto_DataType_FLOAT16:
      for (std::int32_t v : proto.int32_data())
        values.push_back(half_to_float(static_cast<std::uint16_t>(v)));
      break;
    default:  // int8/16/32, uint8/16 and bool travel in int32_data
      values.assign(proto.int32_data().begin(), proto.int32_data().end());
      break;
  }
  if (values.size() != static_cast<std::size_t>(count))
    fail("{}: holds {} values, the shape needs {}", where, values.size(), count);
  return values;
}

}  // namespace

ir::Dims tensor_dims(const onnx::TensorProto& proto, const std::string& where) {
  ir::Dims dims(proto.dims().begin(), proto.dims().end());
  std::int64_t count = 1;
  for (std::int64_t dim : dims) {
    if (dim < 0) fail("{}: negative dimension {}", where, dim);
    if (dim > 0 && count > kMaxTensorElements / dim)
      fail("{}: tensor of shape {} is too large", where, ir::format_dims(dims));
    count *= dim;
  }
  return dims;
}

ir::Tensor to_float_tensor(const onnx::TensorProto& proto, const std::string& where) {
  ir::Tensor tensor;
  tensor.shape = tensor_dims(proto, where);
  const std::vector<double> values = element_values(proto, where);
  tensor.data.assign(values.begin(), values.end());
  return tensor;
}

std::vector<std::int64_t> to_int64_values(const onnx::TensorProto& proto,
                                          const std::string& where) {
  const int data_type = proto.data_type();
  if (data_type == TensorProto_DataType::TensorProto_DataType_INT64 && !proto.has_raw_data()) {
    tensor_dims(proto, where);
    return {proto.int64_data().begin(), proto.int64_data().end()};
  }
  if (data_type == TensorProto_DataType::TensorProto_DataType_INT64) {
    const ir::Dims dims = tensor_dims(proto, where);
    const std::string& raw = proto.raw_data();
    const std::size_t count = static_cast<std::size_t>(ir::element_count(dims));
    if (raw.size() != count * 8) fail("{}: raw_data size does not match its shape", where);
    std::vector<std::int64_t> values(count);
    for (std::size_t i = 0; i < count; ++i) values[i] = load_le<std::int64_t>(raw.data() + i * 8);
    return values;
  }
  const std::vector<double> values = element_values(proto, where);
  return {values.begin(), values.end()};
}

onnx::TensorProto to_tensor_proto(const ir::Tensor& tensor, const std::string& name) {
  onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(TensorProto_DataType::TensorProto_DataType_FLOAT);
  for (std::int64_t dim : tensor.shape) proto.add_dims(dim);
  proto.set_raw_data(std::string(reinterpret_cast<const char*>(tensor.data.data()),
                                 tensor.data.size() * sizeof(float)));
  return proto;
}

}  // namespace pimhls::frontend
