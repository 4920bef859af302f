# A network whose input is NHWC (tf2onnx's layout: a Transpose to NCHW after the graph input):
# pimhls runs it as the NCHW network with input files in the model's own layout. The float and
# int outputs equal those of the NCHW tiny CNN on the same (transposed) input, byte for byte, and
# its generated design simulates with that NHWC input file: PASS. Also a Keras-style network that
# flattens its last map as NHWC (Transpose, Reshape, MatMul: the Transpose folds into the Dense's
# weights) equals, byte for byte, the same network flattened as NCHW, and simulates: PASS. And a
# Softmax over the channels as PyTorch exports it before opset 13 (tests/data/
# torch_segmentation_softmax_op11: Transpose, Softmax over the last axis, Transpose back) runs on
# the host after the map's buffer, as at opset 13: PASS; so does an ArgMax over the channels
# (tests/data/torch_segmentation_argmax_op11: the class map; program.json names the host's op).
# And SegFormer's Mix-FFN on the [N, L, C] tokens of a map (tests/data/torch_token_mlp_op11:
# flatten(2).transpose(1, 2), LayerNorm, Linear, a Reshape to [N, H, W, C] and back; the tokens
# are views of the map, which the RTL reads as they are: no gather): PASS. And an image input
# without its channel axis (tests/data/torch_gray_image_op11: [N, H, W], x.unsqueeze(1) into a
# Conv2d; the input's buffer takes the map's shape, one channel): PASS with the input file.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
nchw="$src/examples/tiny_cnn.onnx"
nchw_input="$src/examples/tiny_cnn_input.pb"
/usr/bin/python3 "$src/tests/cli/make_nhwc_net.py" "$nchw" "$nchw_input" "$work/nhwc.onnx" \
  "$work/nhwc_input.pb" || { echo "FAIL cannot write the NHWC network (python3-onnx)"; exit 1; }

# same_outputs WHAT A.onnx A_INPUT.pb B.onnx B_INPUT.pb: float and int outputs byte for byte.
same_outputs() {
  local what="$1" mode
  for mode in float int; do
    "$pimhls" run "$2" --input "$3" --mode $mode --output "$work/a_$mode.pb" >/dev/null 2>&1 &&
      "$pimhls" run "$4" --input "$5" --mode $mode --output "$work/b_$mode.pb" >/dev/null 2>&1 ||
      { echo "FAIL pimhls run ($what, $mode)"; failures=$((failures + 1)); continue; }
    if cmp -s "$work/a_$mode.pb" "$work/b_$mode.pb"; then
      echo "ok   $mode outputs: $what"
    else
      echo "FAIL $mode outputs differ: $what"; failures=$((failures + 1))
    fi
  done
}
same_outputs "the NHWC network equals the NCHW network" "$work/nhwc.onnx" "$work/nhwc_input.pb" \
  "$nchw" "$nchw_input"
expect_error "an NCHW file for the NHWC input" \
  "tiny_cnn_input.pb: tensor of shape 1x3x16x16, but input 'x_nhwc' has shape 1x16x16x3" \
  "$pimhls" run "$work/nhwc.onnx" --input "$nchw_input"

gen_and_sim "NHWC input, 4 mm2" "$work/out" "$work/nhwc.onnx" --area 4mm2
expect_output "pimhls sim with the NHWC input file" "^PASS" \
  "$pimhls" sim "$work/out" --input "$work/nhwc_input.pb"
/usr/bin/python3 "$src/tests/cli/make_keras_net.py" "$work/keras.onnx" "$work/keras_nchw.onnx" \
  "$work/keras_input.pb" "$work/keras_nchw_input.pb" ||
  { echo "FAIL cannot write the Keras-style network (python3-onnx)"; exit 1; }
same_outputs "flattening NHWC equals flattening NCHW" "$work/keras.onnx" \
  "$work/keras_input.pb" "$work/keras_nchw.onnx" "$work/keras_nchw_input.pb"
gen_and_sim "Keras-style NHWC Flatten before a Dense, 2 mm2" "$work/keras" "$work/keras.onnx" \
  --area 2mm2
gen_and_sim "a Softmax over the channels at opset 11, 1 mm2" "$work/softmax" \
  "$src/tests/data/torch_segmentation_softmax_op11/model.onnx" --area 1mm2
gen_and_sim "an ArgMax over the channels (the class map), 1 mm2" "$work/argmax" \
  "$src/tests/data/torch_segmentation_argmax_op11/model.onnx" --area 1mm2
expect_success "program.json names the host's ArgMax" \
  grep -q '"host_op": "ArgMax"' "$work/argmax/program.json"
gen_and_sim "a Linear and a LayerNorm on the tokens of a map (Mix-FFN), 4 mm2" "$work/tokens" \
  "$src/tests/data/torch_token_mlp_op11/model.onnx" --area 4mm2
gen_and_sim_fixture "an [N, H, W] image unsqueezed into a Conv2d, 1 mm2" "$work/gray" \
  "$src/tests/data/torch_gray_image_op11" --area 1mm2
expect_success "the input's buffer is the image, one channel" python3 -c "
import json, sys
b = json.load(open('$work/gray/sim_config.json'))['buffers'][0]
sys.exit(0 if (b['kind'], b['channels'], b['height'], b['width']) == ('input', 1, 12, 12) else 1)"
finish
