#include "frontend/tensor_file.h"

#include "frontend/onnx_tensor.h"
#include "util/error.h"
#include "util/files.h"

namespace pimhls::frontend {

ir::Tensor read_tensor_file(const std::filesystem::path& path) {
  const std::string bytes = read_file(path, std::uintmax_t{1} << 31);
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes))
    fail("{}: not a TensorProto file (or truncated)", path.string());
  return to_float_tensor(proto, path.string());
}

void write_tensor_file(const std::filesystem::path& path, const ir::Tensor& tensor,
                       const std::string& name) {
  write_file_atomic(path, to_tensor_proto(tensor, name).SerializeAsString());
}

}  // namespace pimhls::frontend
