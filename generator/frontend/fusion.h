#pragma once
// Rewrites of the imported IR that merge a node into the node producing its input (a Conv/Gemm,
// or a Unary). A merge happens only when that producer's output feeds nothing else and is not a
// graph output; the merged node keeps the producer's name and takes over the consumer's output
// value. Each pass needs Value::producer set (ir::sort_topologically) and leaves it set.
#include <optional>

#include "ir/graph.h"

namespace pimhls::frontend {

// Gemm/Conv/ChannelAffine -> Add(constant of one value per output channel) => the constant joins
// the producer's bias (MatMul + Add is how exporters spell a fully connected layer, also on
// channels-last views, where the MatMul is a 1x1 Conv; Mul + Add a LayerNorm's scale and shift).
void fold_bias_adds(ir::Graph& graph);

// ChannelGather of a matrix's features -> Gemm => the Gemm reads the gather's input, its weight
// columns scattered back (a layout Transpose before Flatten, NHWC as Keras flattens through
// tf2onnx, costs no hardware).
void fold_gathers_into_gemms(ir::Graph& graph);

// Conv/Gemm -> ChannelAffine (a BatchNormalization) => weight[o] *= a[o], bias[o] = bias[o] *
// a[o] + b[o]. For Gemm only when its output is a matrix (the channel axis is then N).
void fold_channel_affines(ir::Graph& graph);

// Conv/Gemm/Add/Mul -> Relu/Clip => node.activation (every op clamps its output codes, so the
// vector engine's ADD and MUL apply it: a residual Add and its ReLU are one pass); a Relu/Clip
// after a Relu/Clip (a layer's or a node's) => one clamp on the intersection of their ranges
// (Max(x, 0) -> Min(., 6): ReLU6).
void fuse_activations(ir::Graph& graph);

// When `gate` is f(x), computed from `x` by a chain of Unary nodes without times_input (SiLU is
// x * Sigmoid(x), HardSwish x * HardSigmoid(x), Mish x * Tanh(Softplus(x))) and of scalar
// affine maps (ChannelAffine or Add of a constant, the same for every element: GELU's
// erf(x / sqrt2) + 1): f with times_input set, so that Mul(x, gate) is one Unary on x. nullopt
// otherwise. The Mul's importer calls it; the f(x) nodes left unread go with
// remove_unread_nodes.
std::optional<ir::Unary> times_input_unary(const ir::Graph& graph, ir::ValueId x, ir::ValueId gate);

// Drops the element-wise nodes (Unary, ChannelAffine, Add of a constant) and the views
// (Reshape, Flatten) whose output no node reads and that are not graph outputs.
void remove_unread_nodes(ir::Graph& graph);

// Unary -> Unary, neither with times_input => one Unary applying the steps of both in order.
// (With times_input the product is with the node's own input, which composing would change.)
void compose_unaries(ir::Graph& graph);

// Drops values that no node reads or writes and that are not graph inputs or outputs, and
// renumbers the rest (keeping their order).
void remove_unused_values(ir::Graph& graph);

}  // namespace pimhls::frontend
