# A small CNN as tf2onnx exports a Keras model that flattens its last map (Flatten -> Dense): the
# graph input x_nhwc [1, 12, 12, 3], a Transpose to NCHW, Conv+Relu, MaxPool, Conv+Relu, a
# Transpose back to NHWC before the Reshape to [1, -1], MatMul and Add. Also the same network
# flattened as NCHW (no Transposes, the input in NCHW, the MatMul's rows permuted to match):
# pimhls must import both as one network. Seeded weights; used by tests/cli/gen_rtl_sim_nhwc.sh.
#   make_keras_net.py KERAS.onnx NCHW.onnx KERAS_INPUT.pb NCHW_INPUT.pb
import sys
import numpy as np, onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(5)
w1 = (0.3 * rng.standard_normal((8, 3, 3, 3))).astype(np.float32)
w2 = (0.2 * rng.standard_normal((6, 8, 3, 3))).astype(np.float32)
c, h, w = 6, 4, 4  # the last map: [1, 6, 4, 4]
dense_nhwc = (0.1 * rng.standard_normal((h * w * c, 10))).astype(np.float32)
bias = rng.standard_normal(10).astype(np.float32)
# Row k of the NCHW Dense is row k' of the NHWC one for the same feature (c, y, x).
dense_nchw = dense_nhwc.reshape(h, w, c, 10).transpose(2, 0, 1, 3).reshape(-1, 10)


def model(nhwc):
    inits = [numpy_helper.from_array(a, n) for a, n in
             [(w1, "w1"), (w2, "w2"), (dense_nhwc if nhwc else dense_nchw, "dense"), (bias, "bias"),
              (np.array([1, -1], dtype=np.int64), "flat_shape")]]
    nodes = [helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
             helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2],
                              strides=[2, 2]),
             helper.make_node("Conv", ["p1", "w2"], ["c2"], name="conv2"),
             helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
             helper.make_node("Reshape", ["t" if nhwc else "r2", "flat_shape"], ["f"],
                              name="flatten"),
             helper.make_node("MatMul", ["f", "dense"], ["m"], name="dense"),
             helper.make_node("Add", ["m", "bias"], ["y"], name="dense_bias")]
    if nhwc:
        nodes.insert(0, helper.make_node("Transpose", ["x_nhwc"], ["x"], name="to_nchw",
                                         perm=[0, 3, 1, 2]))
        nodes.insert(-3, helper.make_node("Transpose", ["r2"], ["t"], name="to_nhwc",
                                          perm=[0, 2, 3, 1]))
    x = helper.make_tensor_value_info("x_nhwc" if nhwc else "x", TensorProto.FLOAT,
                                      [1, 12, 12, 3] if nhwc else [1, 3, 12, 12])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])
    m = helper.make_model(helper.make_graph(nodes, "keras_flatten", [x], [y], inits),
                          opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(m)
    return m


onnx.save(model(True), sys.argv[1])
onnx.save(model(False), sys.argv[2])
x = rng.standard_normal((1, 3, 12, 12)).astype(np.float32)
with open(sys.argv[3], "wb") as f:
    f.write(numpy_helper.from_array(np.ascontiguousarray(x.transpose(0, 2, 3, 1)),
                                    "x_nhwc").SerializeToString())
with open(sys.argv[4], "wb") as f:
    f.write(numpy_helper.from_array(x, "x").SerializeToString())
