# A small CNN with input normalization ((x - mean) / std per channel: Add and ChannelAffine
# nodes) and the element-wise functions the vector engines apply as tables on codes (LUT):
# SiLU as PyTorch exports it (x * Sigmoid(x)), LeakyRelu, Tanh, HardSwish, Sigmoid; a
# squeeze-and-excitation block (Mul of the map by a gate per channel) with ReLU6 written as Max
# then Min, a zero Pad before a Conv (folded into its pads), and a LogSoftmax on the host:
# tests/cli/gen_rtl_sim_mixed.sh.
import sys
import numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper

rng = np.random.default_rng(3)
inits, nodes = [], []


def const(name, shape, scale):
    inits.append(numpy_helper.from_array((scale * rng.standard_normal(shape)).astype(np.float32), name))
    return name


def conv(name, x, cin, cout, k, stride=1):
    nodes.append(helper.make_node("Conv", [x, const(name + ".w", (cout, cin, k, k), 0.4),
                                           const(name + ".b", (cout,), 0.1)], [name],
                                  name=name, pads=[k // 2] * 4, kernel_shape=[k, k],
                                  strides=[stride, stride]))
    return name


def op(kind, inputs, name, **attrs):
    nodes.append(helper.make_node(kind, inputs, [name], name=name, **attrs))
    return name


inits.append(numpy_helper.from_array(np.array([0.5, 0.4, 0.3], np.float32).reshape(1, 3, 1, 1), "mean"))
inits.append(numpy_helper.from_array(np.array([0.25, 0.5, 2.0], np.float32).reshape(3, 1, 1), "std"))
y = op("Div", [op("Sub", ["x", "mean"], "center"), "std"], "normalize")  # input normalization
y = conv("conv1", y, 3, 8, 3)
y = op("Mul", [y, op("Sigmoid", [y], "sig1")], "silu1")
y = conv("conv2", y, 8, 8, 3, 2)
y = op("LeakyRelu", [y], "leaky2", alpha=0.1)
y = op("MaxPool", [y], "pool2", kernel_shape=[2, 2], strides=[2, 2])
inits.append(numpy_helper.from_array(np.array([0, 0, 1, 0, 0, 0, 0, 1], np.int64), "pads"))
y = op("Pad", [y, "pads"], "pad3")  # one row on top, one column on the right
y = conv("conv3", y, 8, 16, 3)
y = op("Tanh", [y], "tanh3")
y = op("HardSwish", [y], "hswish3")
# squeeze-and-excitation: a gate per channel from the pooled map (Mul by a [1, C, 1, 1] tensor)
g = op("GlobalAveragePool", [y], "se_pool")
inits.append(numpy_helper.from_array(np.array(0, np.float32), "zero"))
inits.append(numpy_helper.from_array(np.array(6, np.float32), "six"))
g = op("Min", [op("Max", [conv("se_fc1", g, 16, 4, 1), "zero"], "se_max"), "six"], "se_relu6")
g = op("Sigmoid", [conv("se_fc2", g, 4, 16, 1)], "se_gate")
y = op("Mul", [g, y], "se_scale")
y = op("GlobalAveragePool", [y], "gap")
y = op("Flatten", [y], "flat")
nodes.append(helper.make_node("Gemm", [y, const("fc.w", (10, 16), 0.5), const("fc.b", (10,), 0.1)],
                              ["fc"], name="fc", transB=1))
op("LogSoftmax", [op("Sigmoid", ["fc"], "sig")], "out", axis=1)
graph = helper.make_graph(nodes, "activations",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 12])],
                          [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 10])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
