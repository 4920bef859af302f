#pragma once
// Rewrites of the imported IR that merge a node into the Conv/Gemm producing its input. A merge
// happens only when that producer's output feeds nothing else and is not a graph output; the
// merged node keeps the producer's name and takes over the consumer's output value. Each pass
// needs Value::producer set (ir::sort_topologically) and leaves it set.
#include "ir/graph.h"

namespace pimhls::frontend {

// Gemm -> Add(constant broadcasting as [N]) => the constant joins the Gemm's bias
// (MatMul + Add is how exporters spell a fully connected layer).
void fold_bias_adds(ir::Graph& graph);

// Conv/Gemm -> ChannelAffine (a BatchNormalization) => weight[o] *= a[o], bias[o] = bias[o] *
// a[o] + b[o]. For Gemm only when its output is a matrix (the channel axis is then N).
void fold_channel_affines(ir::Graph& graph);

// Conv/Gemm -> Relu/Clip => node.activation.
void fuse_activations(ir::Graph& graph);

// Drops values that no node reads or writes and that are not graph inputs or outputs, and
// renumbers the rest (keeping their order).
void remove_unused_values(ir::Graph& graph);

}  // namespace pimhls::frontend
