# The tiny CNN with its input in NHWC, as tf2onnx exports Keras models: the graph input x_nhwc
# [N, H, W, C] and a Transpose (perm 0,3,1,2) in front of the original network; also the example
# input in that layout. Used by tests/cli/gen_rtl_sim_nhwc.sh.
#   make_nhwc_net.py TINY_CNN.onnx TINY_CNN_INPUT.pb OUT.onnx OUT_INPUT.pb
import sys
import numpy as np, onnx
from onnx import helper, numpy_helper

model = onnx.load(sys.argv[1])
graph = model.graph
old = graph.input[0]
dims = [d.dim_value for d in old.type.tensor_type.shape.dim]
nhwc = helper.make_tensor_value_info("x_nhwc", old.type.tensor_type.elem_type,
                                     [dims[0], dims[2], dims[3], dims[1]])
transpose = helper.make_node("Transpose", ["x_nhwc"], [old.name], name="to_nchw",
                             perm=[0, 3, 1, 2])
graph.node.insert(0, transpose)
graph.input.remove(old)
graph.input.insert(0, nhwc)
onnx.checker.check_model(model)
onnx.save(model, sys.argv[3])

tensor = onnx.TensorProto()
with open(sys.argv[2], "rb") as f:
    tensor.ParseFromString(f.read())
array = numpy_helper.to_array(tensor).transpose(0, 2, 3, 1)
with open(sys.argv[4], "wb") as f:
    f.write(numpy_helper.from_array(np.ascontiguousarray(array), "x_nhwc").SerializeToString())
