#pragma once
// The reductions that are a ReduceSum of a function of x, and perhaps a function of the sum:
// ReduceL1 (Abs), ReduceL2 (Pow 2, then Sqrt: F.normalize, SSD's L2Norm), ReduceSumSquare,
// ReduceLogSum (then Log) and ReduceLogSumExp (Exp, then Log). Rewritten into those ONNX nodes
// before import, so that each part is what the accelerator already runs (tables on codes and the
// sums of lower_reduce_sum).
#include <onnx/onnx_pb.h>

#include <string_view>
#include <vector>

namespace pimhls::frontend {

// Replaces every such node (default domain) in place by its chain; the chain's last node keeps
// the output, the others are named `<node>/<part>`. The axes attribute becomes ReduceSum's as
// `opset` has it (an input from opset 13: a Constant node).
void expand_norm_reductions(onnx::GraphProto& graph, int opset);
// Their op types, for the list of supported operators.
std::vector<std::string_view> norm_reduction_operators();

}  // namespace pimhls::frontend
