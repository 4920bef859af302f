# A two-node network (3x3 Conv 2->2 on 4x4, ReLU) small enough for Yosys: tests/cli/gen_rtl_synth.sh.
import sys
import numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
rng = np.random.default_rng(1)
w = numpy_helper.from_array(rng.standard_normal((2, 2, 3, 3)).astype(np.float32), "w")
b = numpy_helper.from_array(rng.standard_normal((2,)).astype(np.float32), "b")
conv = helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv", pads=[1, 1, 1, 1],
                        kernel_shape=[3, 3])
relu = helper.make_node("Relu", ["y"], ["z"], name="relu")
graph = helper.make_graph([conv, relu], "micro",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 4])],
                          [helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 2, 4, 4])],
                          [w, b])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), sys.argv[1])
