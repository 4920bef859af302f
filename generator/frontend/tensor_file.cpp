#include "frontend/tensor_file.h"

#include "frontend/constant_folding.h"
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

ir::Tensor read_graph_input(const std::filesystem::path& path, const ir::Graph& graph,
                            std::size_t input) {
  return to_graph_input(read_tensor_file(path), graph, input, path.string());
}

ir::Tensor to_graph_input(ir::Tensor tensor, const ir::Graph& graph, std::size_t input,
                          const std::string& source) {
  const ir::Dims model_shape = graph.model_input_shape(input);
  if (tensor.shape != model_shape)
    fail("{}: tensor of shape {}, but input '{}' has shape {}", source,
         ir::format_dims(tensor.shape), graph.value(graph.inputs.at(input)).name,
         ir::format_dims(model_shape));
  const auto permuted = graph.input_permutations.find(graph.inputs[input]);
  if (permuted == graph.input_permutations.end()) return tensor;
  return fold_transpose(Constant::from_tensor(std::move(tensor)), permuted->second).to_tensor();
}

ir::Tensor to_model_output(ir::Tensor tensor, const ir::Graph& graph, std::size_t output) {
  const auto layout = graph.output_layouts.find(output);
  if (layout == graph.output_layouts.end()) return tensor;
  ir::Tensor out =
      fold_transpose(Constant::from_tensor(std::move(tensor)), layout->second.perm).to_tensor();
  out.shape = layout->second.shape;
  return out;
}

void write_tensor_file(const std::filesystem::path& path, const ir::Tensor& tensor,
                       const std::string& name) {
  write_file_atomic(path, to_tensor_proto(tensor, name).SerializeAsString());
}

}  // namespace pimhls::frontend
