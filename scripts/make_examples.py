#!/usr/bin/env python3
"""Writes the example networks with seeded random weights, and a sample input and output each.

usage: scripts/make_examples.py OUTDIR

  vgg8.onnx      CIFAR-10 VGG-8 of NeuroSim, 1x3x32x32, 12,976,266 parameters
  resnet18.onnx  ImageNet ResNet-18 (torchvision layout, separate BatchNormalization nodes),
                 1x3x224x224, 11,689,512 parameters counted like torchvision
  tiny_cnn.onnx  a few KB, 1x3x16x16, for fast end-to-end tests
  <name>_input.pb   a normalized-image-like input, as an ONNX TensorProto (ONNX test-data format)
  <name>_output.pb  the network's output for it, computed here in float64 by a numpy reference

Each layer is evaluated on the sample input as it is added, so that BatchNormalization running
statistics are those of real activations (slightly perturbed), like in a trained network, and the
activations neither vanish nor explode.

Needs only python3-onnx and python3-numpy (Debian 12). The output is the same bytes on every run:
each weight tensor has its own generator seeded by (model name, tensor name), nothing depends on
the time. A file whose bytes are already on disk is not rewritten.
"""

import sys
import zlib
from pathlib import Path

try:
    import numpy as np
    import onnx
    from numpy.lib.stride_tricks import sliding_window_view
    from onnx import TensorProto, helper, numpy_helper
except ImportError as error:  # e.g. a pyenv python3 ahead of Debian's /usr/bin/python3 in PATH
    sys.exit(f"make_examples.py: {error}; needs Debian's python3-onnx and python3-numpy")

OPSET = 13
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406])
IMAGENET_STD = np.array([0.229, 0.224, 0.225])


def seeded_rng(*names):
    return np.random.default_rng([zlib.crc32(name.encode()) for name in names])


def conv2d(x, weight, bias, stride, pad):
    """Reference NCHW convolution (cross-correlation, like ONNX Conv), in float64."""
    kernel = weight.shape[2]
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(x, (kernel, kernel), axis=(2, 3))[:, :, ::stride, ::stride]
    y = np.tensordot(windows, weight, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    return y if bias is None else y + bias[:, None, None]


def maxpool2d(x, kernel, stride, pad):
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=-np.inf)
    windows = sliding_window_view(x, (kernel, kernel), axis=(2, 3))[:, :, ::stride, ::stride]
    return windows.max(axis=(4, 5))


class Net:
    """Builds one ONNX graph layer by layer and evaluates each layer on the sample input as it is
    added, so that BatchNormalization statistics can be calibrated like a trained network's.
    Each node's output tensor is named like the node."""

    def __init__(self, name, input_shape):
        self.name = name
        self.input_shape = input_shape
        self.nodes = []
        self.initializers = []
        self.parameter_count = 0  # learned parameters, i.e. without BN running statistics
        # Uniform pixels in [0, 1), normalized per channel like an ImageNet image.
        pixels = seeded_rng(name, "input").random(input_shape)
        image = (pixels - IMAGENET_MEAN[:, None, None]) / IMAGENET_STD[:, None, None]
        self.values = {"input": image.astype(np.float32).astype(np.float64)}

    def param(self, name, array, learned=True):
        array = array.astype(np.float32)
        self.initializers.append(numpy_helper.from_array(array, name))
        self.parameter_count += array.size if learned else 0
        return array.astype(np.float64)

    def node(self, op, name, inputs, value, **attributes):
        self.nodes.append(helper.make_node(op, inputs, [name], name=name, **attributes))
        self.values[name] = value
        return name

    def he_weight(self, name, shape, fan_in):
        # Kaiming-normal: keeps the activation variance through Conv/Gemm + ReLU.
        return self.param(name, seeded_rng(self.name, name).normal(0, np.sqrt(2 / fan_in), shape))

    def uniform_bias(self, name, size, fan_in):
        bound = 1 / np.sqrt(fan_in)  # PyTorch's default bias init
        return self.param(name, seeded_rng(self.name, name).uniform(-bound, bound, size))

    def conv(self, x, name, c_in, c_out, kernel, stride=1, bias=True):
        fan_in = c_in * kernel * kernel
        weight = self.he_weight(f"{name}.weight", (c_out, c_in, kernel, kernel), fan_in)
        bias_value = self.uniform_bias(f"{name}.bias", c_out, fan_in) if bias else None
        inputs = [x, f"{name}.weight"] + ([f"{name}.bias"] if bias else [])
        pad = kernel // 2
        value = conv2d(self.values[x], weight, bias_value, stride, pad)
        return self.node("Conv", name, inputs, value, kernel_shape=[kernel, kernel],
                         strides=[stride, stride], pads=[pad] * 4)

    def batchnorm(self, x, name, channels):
        # Running statistics: those of the sample input, perturbed; random scale and shift.
        rng = seeded_rng(self.name, name)
        x_value = self.values[x]
        batch_mean, batch_var = x_value.mean(axis=(0, 2, 3)), x_value.var(axis=(0, 2, 3))
        scale = self.param(f"{name}.weight", rng.uniform(0.5, 1.5, channels))
        shift = self.param(f"{name}.bias", rng.normal(0, 0.1, channels))
        mean = self.param(f"{name}.running_mean",
                          batch_mean + rng.normal(0, 0.1, channels) * np.sqrt(batch_var), False)
        var = self.param(f"{name}.running_var", batch_var * rng.uniform(0.7, 1.4, channels), False)
        epsilon = 1e-5
        value = (scale / np.sqrt(var + epsilon))[:, None, None] * (x_value - mean[:, None, None])
        inputs = [x] + [f"{name}.{p}" for p in ("weight", "bias", "running_mean", "running_var")]
        return self.node("BatchNormalization", name, inputs, value + shift[:, None, None],
                         epsilon=epsilon)

    def relu(self, x, name):
        return self.node("Relu", name, [x], np.maximum(self.values[x], 0))

    def maxpool(self, x, name, kernel=2, stride=2, pad=0):
        return self.node("MaxPool", name, [x], maxpool2d(self.values[x], kernel, stride, pad),
                         kernel_shape=[kernel, kernel], strides=[stride, stride], pads=[pad] * 4)

    def add(self, a, b, name):
        return self.node("Add", name, [a, b], self.values[a] + self.values[b])

    def flatten(self, x):
        value = self.values[x].reshape(self.values[x].shape[0], -1)
        return self.node("Flatten", "flatten", [x], value, axis=1)

    def global_avgpool(self, x):
        value = self.values[x].mean(axis=(2, 3), keepdims=True)
        return self.node("GlobalAveragePool", "avgpool", [x], value)

    def gemm(self, x, name, n_in, n_out):
        weight = self.he_weight(f"{name}.weight", (n_out, n_in), n_in)  # PyTorch [out, in]
        bias = self.uniform_bias(f"{name}.bias", n_out, n_in)
        value = self.values[x] @ weight.T + bias
        return self.node("Gemm", name, [x, f"{name}.weight", f"{name}.bias"], value, transB=1)

    def model(self, output):
        graph = helper.make_graph(
            self.nodes, self.name,
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, self.input_shape)],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, self.values[output].shape)],
            self.initializers)
        model = helper.make_model(graph, producer_name="pimhls scripts/make_examples.py",
                                  opset_imports=[helper.make_opsetid("", OPSET)])
        onnx.checker.check_model(model, full_check=True)  # also runs strict shape inference
        return model

    def tensor(self, name):
        return numpy_helper.from_array(self.values[name].astype(np.float32), name)


def vgg8():
    net = Net("vgg8", [1, 3, 32, 32])
    x, c_in = "input", 3
    for index, c_out in enumerate([128, 128, 256, 256, 512, 512], start=1):
        x = net.relu(net.conv(x, f"conv{index}", c_in, c_out, 3), f"relu{index}")
        if index % 2 == 0:
            x = net.maxpool(x, f"pool{index // 2}")
        c_in = c_out
    x = net.relu(net.gemm(net.flatten(x), "fc1", 512 * 4 * 4, 1024), "relu7")
    return net, net.gemm(x, "fc2", 1024, 10)


def conv_bn(net, x, conv_name, bn_name, c_in, c_out, kernel, stride=1):
    conv = net.conv(x, conv_name, c_in, c_out, kernel, stride, bias=False)
    return net.batchnorm(conv, bn_name, c_out)


def basic_block(net, x, name, c_in, c_out, stride):
    y = conv_bn(net, x, f"{name}.conv1", f"{name}.bn1", c_in, c_out, 3, stride)
    y = conv_bn(net, net.relu(y, f"{name}.relu1"), f"{name}.conv2", f"{name}.bn2", c_out, c_out, 3)
    if stride != 1 or c_in != c_out:
        x = conv_bn(net, x, f"{name}.downsample.0", f"{name}.downsample.1", c_in, c_out, 1,
                    stride)
    return net.relu(net.add(y, x, f"{name}.add"), f"{name}.relu2")


def resnet18():
    net = Net("resnet18", [1, 3, 224, 224])
    x = net.relu(conv_bn(net, "input", "conv1", "bn1", 3, 64, 7, 2), "relu")
    x = net.maxpool(x, "maxpool", kernel=3, stride=2, pad=1)
    c_in = 64
    for stage, c_out in enumerate([64, 128, 256, 512], start=1):
        for block in range(2):
            stride = 2 if stage > 1 and block == 0 else 1
            x = basic_block(net, x, f"layer{stage}.{block}", c_in, c_out, stride)
            c_in = c_out
    x = net.flatten(net.global_avgpool(x))
    return net, net.gemm(x, "fc", 512, 1000)


def tiny_cnn():
    net = Net("tiny_cnn", [1, 3, 16, 16])
    x = net.maxpool(net.relu(net.conv("input", "conv1", 3, 8, 3), "relu1"), "pool1")
    x = net.maxpool(net.relu(conv_bn(net, x, "conv2", "bn2", 8, 16, 3), "relu2"), "pool2")
    x = net.relu(net.add(net.conv(x, "conv3", 16, 16, 1), x, "add"), "relu3")
    x = net.flatten(net.global_avgpool(x))
    return net, net.gemm(x, "fc", 16, 10)


def write_if_changed(path, data, what):
    if path.exists() and path.read_bytes() == data:
        print(f"unchanged {path} ({what})")
        return
    path.write_bytes(data)
    print(f"wrote     {path} ({what}, {len(data):,} bytes)")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for build in (vgg8, resnet18, tiny_cnn):
        net, output = build()
        files = {
            f"{net.name}.onnx": (net.model(output), f"{net.parameter_count:,} parameters"),
            f"{net.name}_input.pb": (net.tensor("input"), "sample input"),
            f"{net.name}_output.pb": (net.tensor(output), "its float output"),
        }
        for file_name, (proto, what) in files.items():
            write_if_changed(out_dir / file_name, proto.SerializeToString(), what)


if __name__ == "__main__":
    main()
