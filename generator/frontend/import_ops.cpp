#include "frontend/import_ops.h"

#include <algorithm>

#include "frontend/if_branches.h"
#include "frontend/norm_reductions.h"
#include "util/error.h"
#include "util/text.h"

namespace pimhls::frontend {
namespace {

// Sorted by op_type. Layers have a `lower`; shape arithmetic has a `fold`; many have both.
constexpr OperatorImport kOperators[] = {
    {"Abs", fold_unary, lower_unary},
    {"Add", fold_add, lower_add},
    {"ArgMax", nullptr, lower_argmax},
    {"AveragePool", nullptr, lower_average_pool},
    {"BatchNormalization", nullptr, lower_batch_normalization},
    {"Cast", fold_cast, lower_cast},
    {"Celu", fold_unary, lower_unary},
    {"Clip", fold_clip, lower_clip},
    {"Concat", fold_concat, lower_concat},
    {"Constant", fold_constant, nullptr},
    {"ConstantOfShape", fold_constant_of_shape, nullptr},
    {"Conv", nullptr, lower_conv},
    {"ConvTranspose", nullptr, lower_conv_transpose},
    {"DepthToSpace", nullptr, lower_depth_to_space},
    {"Div", fold_div, lower_div},
    {"Dropout", fold_identity, lower_dropout},
    {"Elu", fold_unary, lower_unary},
    {"Equal", fold_equal, nullptr},
    {"Erf", fold_unary, lower_unary},
    {"Exp", fold_unary, lower_unary},
    {"Expand", fold_expand, lower_expand},
    {"Flatten", fold_flatten, lower_flatten},
    {"Gather", fold_gather, lower_gather},
    {"Gelu", fold_unary, lower_unary},
    {"Gemm", nullptr, lower_gemm},
    {"GlobalAveragePool", nullptr, lower_global_average_pool},
    {"GlobalMaxPool", nullptr, lower_global_max_pool},
    {"HardSigmoid", fold_unary, lower_unary},
    {"HardSwish", fold_unary, lower_unary},
    {"Identity", fold_identity, lower_identity},
    // (GraphBuilder lowers flattened Ifs itself; the entry lists If as supported)
    {"If", lower_if, lower_if},
    {"ImageScaler", nullptr, lower_image_scaler},
    {"InstanceNormalization", nullptr, lower_instance_normalization},
    {"LRN", nullptr, lower_lrn},
    {"LayerNormalization", nullptr, lower_layer_normalization},
    {"LeakyRelu", fold_unary, lower_unary},
    {"Log", fold_unary, lower_unary},
    {"LogSoftmax", nullptr, lower_log_softmax},
    {"MatMul", nullptr, lower_matmul},
    {"Max", fold_max, lower_max},
    {"MaxPool", nullptr, lower_max_pool},
    {"Mean", nullptr, lower_mean},
    {"Min", fold_min, lower_min},
    {"Mish", fold_unary, lower_unary},
    {"Mul", fold_mul, lower_mul},
    {"Neg", fold_unary, lower_unary},
    {"PRelu", nullptr, lower_prelu},
    {"Pad", nullptr, lower_pad},
    {"Pow", fold_pow, lower_pow},
    {"Range", fold_range, nullptr},
    {"Reciprocal", fold_unary, lower_unary},
    {"ReduceMax", fold_reduce_max, lower_reduce_max},
    {"ReduceMean", fold_reduce_mean, lower_reduce_mean},
    {"ReduceMin", fold_reduce_min, nullptr},
    {"ReduceProd", fold_reduce_prod, nullptr},
    {"ReduceSum", fold_reduce_sum, lower_reduce_sum},
    {"Relu", fold_relu, lower_relu},
    {"Reshape", fold_reshape, lower_reshape},
    {"Resize", nullptr, lower_resize},
    {"Selu", fold_unary, lower_unary},
    {"Shape", fold_shape, lower_shape},
    {"Sigmoid", fold_unary, lower_unary},
    {"Slice", fold_slice, lower_slice},
    {"Softmax", nullptr, lower_softmax},
    {"Softplus", fold_unary, lower_unary},
    {"Softsign", fold_unary, lower_unary},
    {"SpaceToDepth", nullptr, lower_space_to_depth},
    {"Split", nullptr, lower_split},
    {"Sqrt", fold_unary, lower_unary},
    {"Squeeze", fold_squeeze, lower_squeeze},
    {"Sub", fold_sub, lower_sub},
    {"Sum", nullptr, lower_sum},
    {"Tanh", fold_unary, lower_unary},
    {"ThresholdedRelu", fold_unary, lower_unary},
    {"Transpose", fold_transpose, lower_transpose},
    {"Unsqueeze", fold_unsqueeze, lower_unsqueeze},
    {"Upsample", nullptr, lower_resize},
    {"Where", fold_where, nullptr},
};
static_assert(std::is_sorted(std::begin(kOperators), std::end(kOperators),
                             [](const OperatorImport& a, const OperatorImport& b) {
                               return a.op_type < b.op_type;
                             }),
              "find_operator() needs kOperators sorted by op_type");

}  // namespace

const OperatorImport* find_operator(const onnx::NodeProto& node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx" && !is_flat_if(node)) return nullptr;
  const auto* end = std::end(kOperators);
  const auto* found = std::lower_bound(
      std::begin(kOperators), end, node.op_type(),
      [](const OperatorImport& op, const std::string& type) { return op.op_type < type; });
  return found != end && found->op_type == node.op_type() ? found : nullptr;
}

std::vector<std::string> supported_operators() {
  std::vector<std::string> names;
  for (const OperatorImport& op : kOperators) names.emplace_back(op.op_type);
  for (const std::string_view name : norm_reduction_operators()) names.emplace_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

void check_operators(const onnx::GraphProto& graph, const std::string& source,
                     const IfGuards& guarded) {
  for (const onnx::NodeProto& node : graph.node()) {
    if (find_operator(node) || guarded.count(first_output(node))) continue;
    const std::string type =
        node.domain().empty() ? node.op_type() : node.domain() + "." + node.op_type();
    fail("{}: node '{}' ({}): unsupported operator; supported: {}", source, node.name(), type,
         join(supported_operators()));
  }
}

}  // namespace pimhls::frontend
