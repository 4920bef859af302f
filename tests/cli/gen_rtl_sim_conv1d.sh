# gen -> sim on 1-D networks ([N, C, L] maps, imported as maps one row high):
#  - tests/data/torch_keyword_spotter_op11 (exported with a dynamic batch: --input-shape fixes it,
#    and pimhls sim reads it back from the design; Conv1d stride 2 + BN + ReLU, MaxPool1d, a residual
#    block of a depthwise and a dilated Conv1d, an SE gate, AvgPool1d with padding,
#    ConvTranspose1d and a strided Slice of its length, Concat, GAP, Linear) at 1 mm2, where
#    its layers take several groups;
#  - tests/data/torch_temporal_block_op13 (a TCN step: causal dilated Conv1d behind a left-only
#    Pad, a 1x1 residual Conv1d, Add) whose output is the [N, K, L] map itself;
#  - tests/data/torch_axis_pools_op13 (a 2-D map's height collapsed by a mean into an [N, C, W]
#    sequence for a Conv1d, gated per channel by a max over the width and a mean over the height:
#    pools whose windows span one axis);
#  - tests/data/torch_conv1d_layer_norm_op17 (wav2vec2's feature encoder: LayerNormalization over
#    the channels of a Conv1d map between transposes, a Linear on every step, the mean over them);
#  - tests/data/torch_frame_sequence_op17 (an [N, T, F] graph input transposed into a Conv1d: the
#    design's input is [N, F, T], its input file in the model's [N, T, F] layout);
#  - tests/data/torch_ctc_decoder_op11 (a QuartzNet-like encoder and NeMo's CTC decoder: the
#    output [N, T, V] is a LogSoftmax over the last axis of a transposed map, the host's
#    LogSoftmax over its channels; `pimhls run --output` writes it in the model's layout);
#  - tests/data/torch_point_mlp_op11 and torch_frame_feed_forward_op13 (graph inputs [N, P, 3]
#    and [N, T, F] read directly by Linear layers and a LayerNorm: channels-last views, the
#    design's inputs [N, 3, P] and [N, F, T], the input files in the model's layout);
#  - tests/data/torch_lrn_sequence_op11 (nn.LocalResponseNorm over Conv1d features: the [N, C, L]
#    map viewed as [N, 1, C, L] and pooled over its channels, a 1x1 Conv on the arrays).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"

kws="$src/tests/data/torch_keyword_spotter_op11"
gen_and_sim_fixture "keyword spotter (Conv1d, pools 1-D, ConvTranspose1d), 1 mm2" "$work/kws" \
  "$kws" --input-shape 1x6x40 --area 1mm2 && echo "     $(design_shape "$work/kws")"
gen_and_sim "temporal block (causal Pad, dilated Conv1d, an [N, K, L] output), 2 mm2" "$work/tcn" \
  "$src/tests/data/torch_temporal_block_op13/model.onnx" --area 2mm2 &&
  echo "     $(design_shape "$work/tcn")"
gen_and_sim "reductions over H alone and W alone into a Conv1d, 1 mm2" "$work/axis_pools" \
  "$src/tests/data/torch_axis_pools_op13/model.onnx" --area 1mm2
gen_and_sim "LayerNorm between transposes of Conv1d maps (wav2vec2), 2 mm2" "$work/conv1d_ln" \
  "$src/tests/data/torch_conv1d_layer_norm_op17/model.onnx" --area 2mm2
gen_and_sim_fixture "an [N, T, F] input transposed into a Conv1d, 1 mm2" "$work/frames" \
  "$src/tests/data/torch_frame_sequence_op17" --area 1mm2
ctc="$src/tests/data/torch_ctc_decoder_op11"
gen_and_sim "a CTC decoder's per-frame log-probabilities [N, T, V], 2 mm2" "$work/ctc" \
  "$ctc/model.onnx" --area 2mm2
expect_success "pimhls run writes the [N, T, V] output in the model's layout" \
  "$pimhls" run "$ctc/model.onnx" --input "$ctc/test_data_set_0/input_0.pb" --output "$work/ctc.pb"
expect_success "... equal to PyTorch's" /usr/bin/python3 -c "
import sys, numpy, onnx.numpy_helper as h, onnx
load = lambda p: h.to_array(onnx.load_tensor(p))
a, b = load('$work/ctc.pb'), load('$ctc/test_data_set_0/output_0.pb')
sys.exit(0 if a.shape == b.shape and numpy.allclose(a, b, atol=1e-5) else 1)"
gen_and_sim_fixture "PointNet's MLP on [N, P, 3] points read by a Linear, 1 mm2" "$work/points" \
  "$src/tests/data/torch_point_mlp_op11" --area 1mm2
gen_and_sim_fixture "a feed-forward block on [N, T, F] frames (LayerNorm, Linear), 2 mm2" \
  "$work/ffn" "$src/tests/data/torch_frame_feed_forward_op13" --area 2mm2
gen_and_sim_fixture "nn.LocalResponseNorm over Conv1d features, 1 mm2" "$work/lrn_seq" \
  "$src/tests/data/torch_lrn_sequence_op11" --area 1mm2
finish
