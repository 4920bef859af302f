# gen -> sim on operators built from tables on codes (LUT RUNs). LRN (tests/data/torch_lrn_op13:
# AlexNet's conv, ReLU, LRN, max pool, conv, ReLU, LRN with ONNX LRN nodes): each LRN runs as a
# LUT RUN (the squares), a 1x1 Conv of the band of channels on the arrays, a LUT RUN (the power)
# and a MUL RUN; at 1 mm2 in several groups with weight reloads, on the built-in library and on
# RRAM alone. nn.LocalResponseNorm as PyTorch exports it (tests/data/
# torch_local_response_norm_op13: the squares viewed as [N, 1, C, H, W], padded on the channels
# and pooled over them, an If that squeezes; sizes 5 and 4): the squares a MUL RUN, the pool a
# 1x1 Conv of the band of channels, the reciprocal power of the scaled sum a LUT RUN, the
# division a MUL RUN. Element-wise math (tests/data/torch_elementwise_math_op13: Abs, Exp, Log, Sqrt,
# Reciprocal, Neg, Pow, Sub of activations, Hugging Face's GELU with Pow). LayerNorm over the
# channels (tests/data/torch_layer_norm_op13: a small ConvNeXt, channels_first LayerNorm written
# out with Div of activations: a reciprocal LUT and a MUL by a value per pixel). InstanceNorm
# (tests/data/torch_instance_norm_op13: the fast neural style pattern; GAP RUNs, LUT RUNs, an ADD
# and a MUL of a value per channel, an AFFINE RUN), and GroupNorm (tests/data/torch_group_norm_op13:
# the means per group by a grouped 1x1 Conv after the GAP). ConvNeXt's channels-last blocks
# (tests/data/torch_convnext_block_op17: Transposes to NHWC and back around LayerNormalization
# and Linear layers, which run on the NCHW maps: 1x1 Convs, no data moved). LayerNorm over the
# features of [N, D] vectors (tests/data/torch_mlp_layer_norm_op{13,17}: a head norm after
# pooling and an MLP's; ReduceMean/Sub/Pow/Sqrt/Div, and LayerNormalization: the means are
# Gemms of 1 / D on the arrays). PReLU with one slope per channel (tests/data/
# torch_prelu_channels_op13: after Conv + BN, a depthwise Conv and a Linear; a Relu, a Clip, an
# AFFINE RUN and an ADD each). F.normalize (tests/data/torch_l2_norm_op13: SSD's L2Norm over the
# channels of a map, a face embedding's over the features of a vector; ReduceL2 as a square
# LUT, a channel sum on the arrays and a root LUT, then a reciprocal LUT and a MUL per pixel).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
lrn="$src/tests/data/torch_lrn_op13/model.onnx"

gen_and_sim "LRN, 1 mm2" "$work/sram" "$lrn" --area 1mm2 &&
  echo "     $(design_shape "$work/sram")"
expect_success "each LRN has a LUT and a MUL RUN" bash -c \
  "test \$(for f in '$work'/sram/rom/ve*.hex; do '$pimhls' disasm \"\$f\"; done |
     grep -c 'SET OP, 9 .*MUL') -eq 2"
gen_and_sim "LRN, RRAM alone, 1.5 mm2" "$work/rram" "$lrn" --area 1.5mm2 --tech rram &&
  echo "     $(design_shape "$work/rram")"
gen_and_sim_fixture "nn.LocalResponseNorm as PyTorch exports it, 1 mm2" "$work/torch_lrn" \
  "$src/tests/data/torch_local_response_norm_op13" --area 1mm2
gen_and_sim "element-wise math, 1 mm2" "$work/math" \
  "$src/tests/data/torch_elementwise_math_op13/model.onnx" --area 1mm2
gen_and_sim "ConvNeXt with channels_first LayerNorms, 2 mm2" "$work/layer_norm" \
  "$src/tests/data/torch_layer_norm_op13/model.onnx" --area 2mm2
gen_and_sim "style transfer with InstanceNorms, 2 mm2" "$work/instance_norm" \
  "$src/tests/data/torch_instance_norm_op13/model.onnx" --area 2mm2
gen_and_sim "GroupNorm head, 2 mm2" "$work/group_norm" \
  "$src/tests/data/torch_group_norm_op13/model.onnx" --area 2mm2
gen_and_sim "ConvNeXt channels-last block, 2 mm2" "$work/convnext" \
  "$src/tests/data/torch_convnext_block_op17/model.onnx" --area 2mm2
for opset in 13 17; do
  gen_and_sim "LayerNorm of [N, D] vectors, opset $opset, 1 mm2" "$work/mlp_norm$opset" \
    "$src/tests/data/torch_mlp_layer_norm_op$opset/model.onnx" --area 1mm2
done
gen_and_sim "PReLU with a slope per channel and per feature, 1 mm2" "$work/prelu" \
  "$src/tests/data/torch_prelu_channels_op13/model.onnx" --area 1mm2
gen_and_sim "F.normalize over channels and features (ReduceL2), 1 mm2" "$work/l2_norm" \
  "$src/tests/data/torch_l2_norm_op13/model.onnx" --area 1mm2
finish
