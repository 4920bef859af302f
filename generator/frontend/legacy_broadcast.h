#pragma once
// Opsets 1-6 broadcast an element-wise operator's second operand only with the attribute
// broadcast = 1, aligning its dimensions at `axis` of the first operand's (Caffe2's bias Add:
// B = [C] at axis 1 of [N, C, H, W]); opset 7 aligns the trailing dimensions (numpy). This
// rewrites the legacy form into the numpy one before import.
#include <onnx/onnx_pb.h>

#include <string>

namespace pimhls::frontend {

// For every Add/Sub/Mul/Div/Pow with broadcast = 1 whose B (an initializer or a Constant's value)
// is aligned elsewhere than at the end of A, appends 1s to B's dimensions; drops the attributes.
// PRelu's slope of rank 1 is aligned at axis 1 (one per channel) the same way. Needs the ranks
// of shape inference (value_info). Fails naming the node when B is computed.
void align_legacy_broadcasts(onnx::GraphProto& graph, int opset, const std::string& source);

}  // namespace pimhls::frontend
