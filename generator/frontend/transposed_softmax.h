#pragma once
// Before opset 13 a Softmax normalizes over all axes from `axis` on, so exporters write a
// Softmax over the channels of a map as Transpose (the channels last), Softmax over the last
// axis, Transpose back (PyTorch: perm 0,3,2,1 both times). This folds the three into one Softmax
// (or LogSoftmax) over the channels before import, so that it reads the map itself (the
// accelerator's host Softmax reads an on-chip buffer; the Transposes were element gathers).
#include <onnx/onnx_pb.h>

#include <string_view>

namespace pimhls::frontend {

// Set on a folded Softmax whose `axis` is one axis (opset 13's meaning) at an earlier opset.
inline constexpr std::string_view kSingleAxisAttribute = "pimhls_single_axis";

// Folds every Transpose -> Softmax/LogSoftmax over the last axis -> inverse Transpose whose
// intermediate values have no other reader and are not graph outputs (nodes in topological
// order). The folded node keeps the Softmax's name and takes the second Transpose's output.
void fold_transposed_softmaxes(onnx::GraphProto& graph, int opset);

}  // namespace pimhls::frontend
