# gen -> sim on attention blocks that pool across channels: tests/data/torch_cbam_op13, CBAM
# (channel attention from GlobalAveragePool and GlobalMaxPool, a whole-plane MAXPOOL RUN,
# through a shared MLP; spatial attention from the mean over the channels, a 1x1 Conv with
# equal weights, and the max over the channels, a CMAX RUN, concatenated into a 7x7 conv and a
# Sigmoid scaling every pixel; a head of ReduceMean and ReduceMax over H and W), resident at
# 2 mm2 and in several groups with reloads at 0.8 mm2; sum pooling (tests/data/
# torch_sum_pool_op13: ReduceSum over H and W, a GAP RUN and an AFFINE RUN times H*W); and one
# value for the whole map (tests/data/torch_scalar_gate_op13: a MUL by a Sigmoid of a mean and
# an ADD of the map's mean, IN2_BUF of one element read with FLAGS[2] and FLAGS[5]); and
# coordinate attention (tests/data/torch_coord_attention_op13: gates per row and per column,
# MULs reading IN2_BUF at the output row, FLAGS[8], and column, FLAGS[9]; a Transpose of a
# size-1 axis and a Conv1d after a max over W read their buffers as views of another H x W);
# operands that both broadcast (tests/data/torch_broadcast_pair_op13: a row plus a column, the
# one with the output's channels upsampled first); gates written with expand_as (tests/data/
# torch_expand_gates_op11: read by MUL as they are; a mean expanded into a Concat is an
# Upsample, a one-channel map expanded into a Conv a ChannelGather; x.std's folded ReduceProd);
# FReLU's funnel gate (tests/data/torch_funnel_relu_op13: Max and Min of activations, each an
# ADD RUN of the difference clamped at 0, then an ADD).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
cbam="$src/tests/data/torch_cbam_op13/model.onnx"

gen_and_sim "CBAM, 2 mm2" "$work/resident" "$cbam" --area 2mm2 &&
  echo "     $(design_shape "$work/resident")"
gen_and_sim "CBAM, 0.8 mm2 (several groups)" "$work/groups" "$cbam" --area 0.8mm2 &&
  echo "     $(design_shape "$work/groups")"
gen_and_sim "sum pooling, 1 mm2" "$work/sum_pool" \
  "$src/tests/data/torch_sum_pool_op13/model.onnx" --area 1mm2
gen_and_sim "a gate and a level of one value, 1 mm2" "$work/scalar" \
  "$src/tests/data/torch_scalar_gate_op13/model.onnx" --area 1mm2
expect_success "one value is read with FLAGS[2] and FLAGS[5]" bash -c \
  "for f in '$work'/scalar/rom/ve*.hex; do '$pimhls' disasm \"\$f\"; done | grep -q 'SET FLAGS, 36'"
gen_and_sim "coordinate attention, 1 mm2" "$work/coord" \
  "$src/tests/data/torch_coord_attention_op13/model.onnx" --area 1mm2 &&
  echo "     $(design_shape "$work/coord")"
expect_success "gates per row and per column are read with FLAGS[8] and FLAGS[9]" bash -c \
  "for f in '$work'/coord/rom/ve*.hex; do '$pimhls' disasm \"\$f\"; done | grep -q 'SET FLAGS, 256' &&
   for f in '$work'/coord/rom/ve*.hex; do '$pimhls' disasm \"\$f\"; done | grep -q 'SET FLAGS, 512'"
gen_and_sim "a row plus a column, a vector times a plane, 1 mm2" "$work/pair" \
  "$src/tests/data/torch_broadcast_pair_op13/model.onnx" --area 1mm2
expect_success "the max over the channels is a CMAX RUN" bash -c \
  "for f in '$work'/groups/rom/ve*.hex; do '$pimhls' disasm \"\$f\"; done | grep -q 'SET OP, 10 .*CMAX'"
gen_and_sim "gates by expand_as, expansions into a Concat and a Conv, opset 11, 2 mm2" \
  "$work/expand" "$src/tests/data/torch_expand_gates_op11/model.onnx" --area 2mm2
gen_and_sim_fixture "FReLU: Max and Min of activations, 1 mm2" "$work/funnel" \
  "$src/tests/data/torch_funnel_relu_op13" --area 1mm2
finish
