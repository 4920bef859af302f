# pimhls gen: bad inputs are one-line errors with exit code 1, and nothing is written.
source "$(dirname "$0")/lib.sh"
vgg8="$src/examples/vgg8.onnx"

expect_error "area without a unit" "invalid area '16': the unit is missing" \
  "$pimhls" gen "$vgg8" --area 16 -o "$work/out"
expect_error "area in cm2" "invalid area '16cm2': unknown unit 'cm2'" \
  "$pimhls" gen "$vgg8" --area 16cm2 -o "$work/out"
expect_error "area that is not a number" "invalid area 'big'" \
  "$pimhls" gen "$vgg8" --area big -o "$work/out"
expect_error "zero area" "invalid area '0mm2': it must be positive" \
  "$pimhls" gen "$vgg8" --area 0mm2 -o "$work/out"
expect_error "area too small names the smallest budget" \
  "0.100 mm2 is too small for any design of '.*': the smallest feasible budget is [0-9.]+ mm2" \
  "$pimhls" gen "$vgg8" --area 0.1mm2 -o "$work/out"
expect_error "unknown technology" "sramm.*did you mean 'sram'" \
  "$pimhls" gen "$vgg8" --area 16mm2 --tech sramm -o "$work/out"
expect_error "technology twice" "technology 'sram' is given twice" \
  "$pimhls" gen "$vgg8" --area 16mm2 --tech sram,sram -o "$work/out"
expect_error "missing model" "nothing.onnx" \
  "$pimhls" gen "$work/nothing.onnx" --area 16mm2 -o "$work/out"
expect_error "missing hardware library" "nothing.toml" \
  "$pimhls" gen "$vgg8" --area 16mm2 --hw "$work/nothing.toml" -o "$work/out"
[ -e "$work/out" ] && { echo "FAIL an error left $work/out behind"; failures=$((failures + 1)); }
touch "$work/file"
expect_error "output is a file" "file: exists and is not a directory" \
  "$pimhls" gen "$vgg8" --area 16mm2 -o "$work/file"
expect_error "exhaustive on a large network" "exhaustive technology assignment of 21 layers" \
  "$pimhls" gen "$src/examples/resnet18.onnx" --area 16mm2 --exhaustive -o "$work/out"
# weights ~1e-30 with a bias of 1: the input's scale rises until the bias fits 32-bit codes
# (the output is the bias), unless 16-bit weights and inputs leave the accumulator no room for
# it: then a quantization error names the model file and the node
/usr/bin/python3 - "$work/vanishing.onnx" <<'PY'
import sys
import numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
w = numpy_helper.from_array(np.full((2, 2, 1, 1), 1e-30, np.float32), "w")
b = numpy_helper.from_array(np.ones((2,), np.float32), "b")
conv = helper.make_node("Conv", ["x", "w", "b"], ["y"], name="tiny_conv", kernel_shape=[1, 1])
graph = helper.make_graph([conv], "vanishing",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 4, 4])],
                          [w, b])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), sys.argv[1])
PY
expect_output "vanishing weights: the bias fits once the input scale rises" "^PASS" \
  "$pimhls" gen "$work/vanishing.onnx" --area 1mm2 --tech sram -o "$work/vanishing"
printf '[arithmetic]\nweight_bits = 16\nactivation_bits = 16\n' >"$work/wide.toml"
expect_error "quantization error names the model and the node" \
  "vanishing.onnx: node 'tiny_conv' \(Conv\): .*bias" \
  "$pimhls" gen "$work/vanishing.onnx" --area 1mm2 --tech sram --hw "$work/wide.toml" -o "$work/out"
[ -e "$work/out" ] && { echo "FAIL a quantization error left $work/out behind"; failures=$((failures + 1)); }
# an operator the host runs (ArgMax, as Softmax) must end the network: one read by a Conv is an
# error naming the model and the node, and writes nothing
/usr/bin/python3 - "$work/host_inside.onnx" <<'PY'
import sys
import numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
w = numpy_helper.from_array(np.ones((2, 1, 1, 1), np.float32), "w")
nodes = [helper.make_node("ArgMax", ["x"], ["i"], name="classes", axis=1, keepdims=1),
         helper.make_node("Cast", ["i"], ["f"], to=TensorProto.FLOAT),
         helper.make_node("Conv", ["f", "w"], ["y"], name="after", kernel_shape=[1, 1])]
graph = helper.make_graph(nodes, "host_inside",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 4, 4])],
                          [w])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), sys.argv[1])
PY
expect_error "a host operator inside the network" \
  "host_inside.onnx: node 'classes' \(ArgMax\) runs on the host and must produce a graph output" \
  "$pimhls" gen "$work/host_inside.onnx" --area 1mm2 -o "$work/host_out"
[ -e "$work/host_out" ] && { echo "FAIL a compile error left $work/host_out behind"; failures=$((failures + 1)); }
finish
