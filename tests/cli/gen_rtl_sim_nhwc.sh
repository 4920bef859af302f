# A network whose input is NHWC (tf2onnx's layout: a Transpose to NCHW after the graph input):
# pimhls runs it as the NCHW network with input files in the model's own layout. The float and
# int outputs equal those of the NCHW tiny CNN on the same (transposed) input, byte for byte, and
# its generated design simulates with that NHWC input file: PASS. Also a Keras-style network that
# flattens its last map as NHWC (Transpose, Reshape, MatMul: the Transpose folds into the Dense's
# weights) equals, byte for byte, the same network flattened as NCHW, and simulates: PASS.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
nchw="$src/examples/tiny_cnn.onnx"
nchw_input="$src/examples/tiny_cnn_input.pb"
/usr/bin/python3 "$src/tests/cli/make_nhwc_net.py" "$nchw" "$nchw_input" "$work/nhwc.onnx" \
  "$work/nhwc_input.pb" || { echo "FAIL cannot write the NHWC network (python3-onnx)"; exit 1; }

for mode in float int; do
  "$pimhls" run "$nchw" --input "$nchw_input" --mode $mode --output "$work/nchw_$mode.pb" \
    >/dev/null 2>&1 && "$pimhls" run "$work/nhwc.onnx" --input "$work/nhwc_input.pb" \
    --mode $mode --output "$work/nhwc_$mode.pb" >/dev/null 2>&1 ||
    { echo "FAIL pimhls run ($mode)"; failures=$((failures + 1)); continue; }
  if cmp -s "$work/nchw_$mode.pb" "$work/nhwc_$mode.pb"; then
    echo "ok   $mode outputs of the NHWC network equal the NCHW network's"
  else
    echo "FAIL $mode outputs of the NHWC network differ from the NCHW network's"
    failures=$((failures + 1))
  fi
done
expect_error "an NCHW file for the NHWC input" \
  "tiny_cnn_input.pb: tensor of shape 1x3x16x16, but input 'x_nhwc' has shape 1x16x16x3" \
  "$pimhls" run "$work/nhwc.onnx" --input "$nchw_input"

gen_and_sim "NHWC input, 4 mm2" "$work/out" "$work/nhwc.onnx" --area 4mm2
expect_output "pimhls sim with the NHWC input file" "^PASS" \
  "$pimhls" sim "$work/out" --input "$work/nhwc_input.pb"
/usr/bin/python3 "$src/tests/cli/make_keras_net.py" "$work/keras.onnx" "$work/keras_nchw.onnx" \
  "$work/keras_input.pb" "$work/keras_nchw_input.pb" ||
  { echo "FAIL cannot write the Keras-style network (python3-onnx)"; exit 1; }
for mode in float int; do
  "$pimhls" run "$work/keras.onnx" --input "$work/keras_input.pb" --mode $mode \
    --output "$work/keras_$mode.pb" >/dev/null 2>&1 && "$pimhls" run "$work/keras_nchw.onnx" \
    --input "$work/keras_nchw_input.pb" --mode $mode --output "$work/keras_nchw_$mode.pb" \
    >/dev/null 2>&1 || { echo "FAIL pimhls run of the Keras-style network ($mode)"; failures=$((failures + 1)); continue; }
  if cmp -s "$work/keras_$mode.pb" "$work/keras_nchw_$mode.pb"; then
    echo "ok   $mode outputs of the NHWC-flattening network equal the NCHW-flattening one's"
  else
    echo "FAIL $mode outputs of the NHWC-flattening network differ from the NCHW-flattening one's"
    failures=$((failures + 1))
  fi
done
gen_and_sim "Keras-style NHWC Flatten before a Dense, 2 mm2" "$work/keras" "$work/keras.onnx" \
  --area 2mm2
finish
