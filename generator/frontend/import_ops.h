#pragma once
// The ONNX operators the importer understands. Each has a `fold` (every input is a constant:
// compute the result at import time) and/or a `lower` (some input is an activation: emit IR
// nodes, or a constant when the result is known from static shapes, as for Shape).
#include <onnx/onnx_pb.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/graph_builder.h"
#include "frontend/if_branches.h"

namespace pimhls::frontend {

struct OperatorImport {
  std::string_view op_type;
  void (*fold)(NodeContext&) = nullptr;
  void (*lower)(NodeContext&) = nullptr;
};

// nullptr for an operator we do not support (or one outside the default domain).
const OperatorImport* find_operator(const onnx::NodeProto& node);
// Alphabetical, for messages.
std::vector<std::string> supported_operators();
// Fails on the first node whose operator is not supported, listing those that are; nodes of If
// branches (`guarded`) are left to their import, as their branch may not be taken.
void check_operators(const onnx::GraphProto& graph, const std::string& source,
                     const IfGuards& guarded = {});

// Layers (import_layers.cpp).
// A 2-D window attribute (kernel_shape, strides, dilations, ...): two values in [min, 2^31], or
// `fallback` twice when absent.
std::array<std::int64_t, 2> window_pair(const onnx::NodeProto& node, const char* name,
                                        std::int64_t fallback, std::int64_t min);
// Requires an NCHW activation (a 2-D window); `what` names the operator's kind in messages.
ir::Dims nchw_input(NodeContext& ctx, const char* what);

// A Conv's or ConvTranspose's weight (input 1): 4-D, matching kernel_shape; `layout` names its
// axes in messages. Its bias (input 2): one per output channel, zeros when absent.
ir::Dims conv_weight_shape(NodeContext& ctx, const char* layout);
ir::Tensor conv_bias(NodeContext& ctx, std::int64_t out_channels);

void lower_conv(NodeContext& ctx);
// ConvTranspose: a ZeroInsert of the input, then a Conv (import_conv_transpose.cpp).
void lower_conv_transpose(NodeContext& ctx);
void lower_gemm(NodeContext& ctx);
void lower_matmul(NodeContext& ctx);
void lower_max_pool(NodeContext& ctx);
// Pad on H/W: in constant mode a ConstantPadding that the Conv, AveragePool or MaxPool reading it
// absorbs where it can (else a zero BorderPad, plus the constant); reflect and edge a BorderPad.
void lower_pad(NodeContext& ctx);
void lower_average_pool(NodeContext& ctx);
void lower_global_average_pool(NodeContext& ctx);
void lower_global_max_pool(NodeContext& ctx);
// LRN: x * (bias + alpha / size * a channel band's sum of squares)^-beta (import_lrn.cpp).
void lower_lrn(NodeContext& ctx);
// A pool over axis 2 of [N, 1, C, ...], a view of a map [N, C, H, W] (or [N, C, L]), with kernel 1
// on the later axes: an AveragePool over the map's channels (import_channel_pool.cpp), a 1x1
// Conv; false when the input is no such view (a 4-D one neither when pooled over its last axis,
// by a MaxPool, or when a view of a graph input: an image [N, 1, H, W] of [N, H, W]).
bool lower_channel_pool(NodeContext& ctx, ir::Op op);
// Whether input 0 (or the source of the Pad that made it) is such a view.
bool reads_channel_view(NodeContext& ctx);
// A bias of `count` zeros.
ir::Tensor zeros(std::int64_t count);
// The channel sum of `in` to one output: of an NCHW map a 1x1 Conv, of an [N, D] vector a Gemm
// (the op, then the weights: all `factor`, bias 0).
ir::Op channel_sum_op(const ir::Dims& in);
void set_channel_sum_weights(ir::Node& node, const ir::Dims& in, float factor);
void lower_reduce_mean(NodeContext& ctx);
void lower_reduce_max(NodeContext& ctx);
void lower_reduce_sum(NodeContext& ctx);
void lower_batch_normalization(NodeContext& ctx);
// InstanceNormalization, and LayerNormalization of an NCHW map over its channels (a channels-last
// map's last axis): means as pools or 1x1 Convs, tables (import_normalization.cpp).
void lower_instance_normalization(NodeContext& ctx);
void lower_channel_layer_normalization(NodeContext& ctx);
// LayerNormalization that is not over a channels-last map's last axis: an error.
void lower_layer_normalization(NodeContext& ctx);
void lower_relu(NodeContext& ctx);
void lower_clip(NodeContext& ctx);
// Max/Min of one activation and scalar constants: a Clip (Max(x, 0) is a ReLU, Min(Max(x, 0), 6)
// a ReLU6 as some exporters write them).
void lower_max(NodeContext& ctx);
void lower_min(NodeContext& ctx);
void lower_add(NodeContext& ctx);
// Sum of several activations: a chain of Adds (two inputs: lower_add); Mean: the chain, then
// times 1 / n (a scalar Affine step: a table on codes). Old exporters' (Caffe2's).
void lower_sum(NodeContext& ctx);
void lower_mean(NodeContext& ctx);
// An activation minus a constant (Add of its negation); anything minus an activation: Add of a
// negating table's output.
void lower_sub(NodeContext& ctx);
void lower_div(NodeContext& ctx);  // x / c: lower_scale by 1 / c; x / y, c / y: a reciprocal table
// ImageScaler (experimental before opset 10): scale * x + bias per channel, a ChannelAffine.
void lower_image_scaler(NodeContext& ctx);
// An activation times a scalar or per-channel constant (input `activation_input`; `divide`:
// by it): a ChannelAffine, which fusion folds into a Conv/Gemm before it.
void lower_scale(NodeContext& ctx, std::size_t activation_input, bool divide);
void lower_concat(NodeContext& ctx);
// Slice's starts, ends, axes and steps (attributes before opset 10, inputs after; axes default
// to 0.., steps to 1); slice_axes (constant_folding.h) checks and resolves them.
struct SliceParams {
  std::vector<std::int64_t> starts, ends, axes, steps;
};
SliceParams slice_params(NodeContext& ctx);
// Slice, Split and Gather of activations along the channel axis, and Transposes that permute
// the axes the channels were reshaped into (a channel shuffle): ChannelGather nodes
// (import_channel_gather.cpp).
void lower_slice(NodeContext& ctx);
void lower_split(NodeContext& ctx);
// The window of a 1x1 MaxPool that takes rows and columns start, start + step, ... (count of
// them) of a map of `in_h` x `in_w`: a Slice of rows and columns (negative pads crop).
ir::Window strided_slice_window(std::int64_t in_h, std::int64_t in_w, const SliceAxis& rows,
                                const SliceAxis& columns);
void lower_depth_to_space(NodeContext& ctx);
void lower_space_to_depth(NodeContext& ctx);
// The b_h x b_w blocks of NCHW map `x` as channels, (i * b_w + j) * C + c (ONNX SpaceToDepth's
// order): strided slices and their Concat, into `output` (or a new intermediate value if -1).
ir::ValueId space_to_depth(NodeContext& ctx, ir::ValueId x, std::int64_t block_h,
                           std::int64_t block_w, ir::ValueId output);
void lower_gather(NodeContext& ctx);
void lower_channel_transpose(NodeContext& ctx, const std::vector<std::int64_t>& perm);
// Resize and Upsample: nearest, by whole factors of H and W (import_resize.cpp).
void lower_resize(NodeContext& ctx);
// Expand: of a constant, folded; of an activation read only by element-wise Add, Sub, Mul and Div
// that broadcast it to the same shape anyway, the activation itself; else an Upsample of H and W
// and a ChannelGather of the one channel (import_expand.cpp).
void fold_expand(NodeContext& ctx);
void lower_expand(NodeContext& ctx);
void lower_flatten(NodeContext& ctx);
void lower_reshape(NodeContext& ctx);
void lower_squeeze(NodeContext& ctx);
void lower_unsqueeze(NodeContext& ctx);
// Two activations `a` and `b` of an element-wise Add or Mul, both broadcast to the output's shape
// `out` (a value per row plus one per column): the one with the output's channels is upsampled
// to its H and W (nearest: a view the vector engine reads once per pixel), the other stays. Any
// other pair is returned as it is. `suffix` names the Upsample and its output.
std::pair<ir::ValueId, ir::ValueId> expand_one_operand(NodeContext& ctx, ir::ValueId a,
                                                       const ir::Dims& sa, ir::ValueId b,
                                                       const ir::Dims& sb, const ir::Dims& out,
                                                       const std::string& suffix = "expand");
void lower_softmax(NodeContext& ctx);
// ArgMax: on the host after the accelerator's output, as Softmax (the indices as floats).
void lower_argmax(NodeContext& ctx);
void lower_log_softmax(NodeContext& ctx);
// Softmax or LogSoftmax (the node's op) of an NCHW map over its channels: a channels-last map's
// last axis, at any opset.
void lower_channel_softmax(NodeContext& ctx);
void lower_identity(NodeContext& ctx);
// A flattened If (if_branches.h): its outputs are those of the branch its constant condition
// takes (activations and constants alike).
void lower_if(NodeContext& ctx);
void lower_dropout(NodeContext& ctx);
void lower_cast(NodeContext& ctx);
void lower_shape(NodeContext& ctx);

// Element-wise activations (import_activations.cpp): each one Unary node.
// Sigmoid, Tanh, LeakyRelu, HardSigmoid, HardSwish, Elu, Selu, Celu, Softplus, Softsign,
// ThresholdedRelu, Gelu, Mish, Erf, Abs, Neg, Exp, Log, Sqrt, Reciprocal, by op_type.
void lower_unary(NodeContext& ctx);
void fold_unary(NodeContext& ctx);
// Pow(x, c) with a constant exponent: a Power step.
void lower_pow(NodeContext& ctx);
void fold_pow(NodeContext& ctx);
// PRelu with a constant slope: one for all elements is a LeakyRelu table; one per channel
// (nn.PReLU(C)) is max(x, 0) + slope[c] * min(x, 0): a Relu, a Clip, a ChannelAffine, an Add.
void lower_prelu(NodeContext& ctx);
// Mul of x and f(x) (SiLU, HardSwish written out, ...): one Unary with times_input; of an
// activation and a constant: lower_scale.
void lower_mul(NodeContext& ctx);

// Constants and shape arithmetic (import_constants.cpp).
void fold_constant(NodeContext& ctx);
void fold_constant_of_shape(NodeContext& ctx);
void fold_shape(NodeContext& ctx);
void fold_identity(NodeContext& ctx);
void fold_cast(NodeContext& ctx);
void fold_gather(NodeContext& ctx);
void fold_unsqueeze(NodeContext& ctx);
void fold_squeeze(NodeContext& ctx);
void fold_concat(NodeContext& ctx);
void fold_slice(NodeContext& ctx);
void fold_reshape(NodeContext& ctx);
void fold_flatten(NodeContext& ctx);
void fold_add(NodeContext& ctx);
void fold_equal(NodeContext& ctx);
void fold_range(NodeContext& ctx);  // torch.arange, linspace without constant folding
void fold_where(NodeContext& ctx);
// ReduceSum, ReduceProd, ReduceMax, ReduceMin, ReduceMean of constants.
void fold_reduce_sum(NodeContext& ctx);
void fold_reduce_prod(NodeContext& ctx);
void fold_reduce_max(NodeContext& ctx);
void fold_reduce_min(NodeContext& ctx);
void fold_reduce_mean(NodeContext& ctx);
void fold_sub(NodeContext& ctx);
void fold_mul(NodeContext& ctx);
void fold_div(NodeContext& ctx);
void fold_max(NodeContext& ctx);
void fold_min(NodeContext& ctx);
void fold_relu(NodeContext& ctx);
void fold_transpose(NodeContext& ctx);
void lower_transpose(NodeContext& ctx);
void fold_clip(NodeContext& ctx);

// Helpers shared by both files.
// Axes of Squeeze/Unsqueeze/ReduceX: the attribute before `input_since_opset`, then input 1.
std::vector<std::int64_t> axes_of(NodeContext& ctx, int input_since_opset);
// Clip's bounds: attributes before opset 11, optional constant inputs 1 and 2 from then on.
std::pair<float, float> clip_bounds(NodeContext& ctx);
// The values of constant `c` for each channel of an activation of shape `in` (one for all, or
// one per channel along axis 1, as it broadcasts), or nullopt when it varies along another axis.
std::optional<std::vector<double>> per_channel_values(const ir::Dims& in, const Constant& c);
// Reshape's target shape (input 1, a constant) applied to `input`.
ir::Dims reshape_target(NodeContext& ctx, const ir::Dims& input);

}  // namespace pimhls::frontend
