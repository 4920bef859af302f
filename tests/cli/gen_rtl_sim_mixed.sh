# gen -> sim on the tiny CNN with other hardware: RRAM and FeFET (examples/hw/fefet.toml: 2-bit
# cells, 5-bit ADCs, 8 rows per sample) in one chip (heterogeneous), FeFET alone;
# SRAM with one 64x64 array per tile at a budget that forces split layers, duplication and
# reloads together; SRAM with 32 parallel rows at 2 mm2, where the tuner gives one copy of each
# unit fewer ADCs: two engines per unit whose arrays one weight stream writes (one run of
# copies over both engines' tiles; with a stream per readout it was 2.5% over the estimate);
# a MobileNet block (depthwise, pointwise and grouped convs) with 4 arrays per tile, its
# depthwise groups packed 4 per array and the grouped conv's arrays over two tiles; the same
# block on RRAM with 4-bit ADCs and 16 rows per sample, where the packed groups' rows straddle
# the row groups and the ADCs clip (the zeros between groups hold the offset); a residual block (Add of two
# activations) and an MLP whose branches meet in a Concat (a CONCAT engine reads two inputs);
# a CNN with input normalization ((x - mean) / std), SiLU, LeakyRelu, Tanh, HardSwish and
# Sigmoid (tables on codes: LUT RUNs), GELU exported by PyTorch (its Erf form one LUT, its tanh
# form a polynomial of MULs), a squeeze-and-excitation block (a MUL by a gate) with
# ReLU6 written as Max then Min, a zero Pad before a Conv, and a LogSoftmax on the host;
# Attention U-Net's gate (a map of one channel, [N, 1, H, W], that scales and is added to every
# channel: MUL and ADD with FLAGS[5]).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
model="$src/examples/tiny_cnn.onnx"

gen_and_sim "FeFET alone (several groups)" "$work/fefet" "$model" --area 1mm2 --tech fefet \
  --hw "$src/examples/hw/fefet.toml" && echo "     $(design_shape "$work/fefet")"
cat >"$work/sram_small_tiles.toml" <<'TOML'
[tile.sram]
array_sizes = [64]
adcs_per_array = [8]
baseline_array_size = 64
baseline_adcs_per_array = 8
arrays_per_tile = 1
TOML
gen_and_sim "SRAM, one array per tile: split, duplication and reloads" "$work/split" "$model" \
  --area 0.6mm2 --tech sram --hw "$work/sram_small_tiles.toml" &&
  echo "     $(design_shape "$work/split")"
cat >"$work/sram_32_rows.toml" <<'TOML'
[tile.sram]
parallel_rows = 32
TOML
gen_and_sim "SRAM copies on two readouts, one weight stream" "$work/readouts" "$model" \
  --area 2mm2 --tech sram --hw "$work/sram_32_rows.toml" &&
  echo "     $(design_shape "$work/readouts")"
cat >"$work/four_arrays.toml" <<'TOML'
[tile.sram]
arrays_per_tile = 4
[tile.rram]
arrays_per_tile = 4
TOML
gen_and_sim "MobileNet block, 4 arrays per tile" "$work/mobilenet" \
  "$src/tests/data/torch_mobilenet_block_op13/model.onnx" --area 4mm2 \
  --hw "$work/four_arrays.toml" && echo "     $(design_shape "$work/mobilenet")"
cat >"$work/lossy_rram.toml" <<'TOML'
[tile.rram]
readout = "adc_4b"
parallel_rows = 16
TOML
gen_and_sim "MobileNet block, packed groups on RRAM with clipping 4-bit ADCs" "$work/packed" \
  "$src/tests/data/torch_mobilenet_block_op13/model.onnx" --area 1mm2 --tech rram \
  --hw "$work/lossy_rram.toml" && echo "     $(design_shape "$work/packed")"
expect_success "the depthwise layer packs 4 groups per array" \
  grep -q '"groups_per_array": 4' "$work/packed/design.json"
gen_and_sim "residual block" "$work/residual" \
  "$src/tests/data/torch_residual_block_op13/model.onnx" --area 4mm2 &&
  echo "     $(design_shape "$work/residual")"
gen_and_sim "MLP with a Concat" "$work/concat" "$src/tests/data/torch_mlp_concat_op13/model.onnx" \
  --area 4mm2 && echo "     $(design_shape "$work/concat")"
expect_success "make the activation net" \
  /usr/bin/python3 "$src/tests/cli/make_activation_net.py" "$work/activations.onnx"
gen_and_sim "SiLU, LeakyRelu, Tanh, HardSwish, Sigmoid (LUT), squeeze-and-excitation (MUL), ReLU6 as Max/Min, Pad, LogSoftmax (host)" "$work/activations" \
  "$work/activations.onnx" --area 4mm2 && echo "     $(design_shape "$work/activations")"
gen_and_sim "GELU as PyTorch exports it: Erf (x * f(x): one LUT) and the tanh polynomial" \
  "$work/gelu" "$src/tests/data/torch_gelu_op13/model.onnx" --area 4mm2 &&
  echo "     $(design_shape "$work/gelu")"
gen_and_sim "spatial attention gate (MUL, ADD by a map of one channel)" "$work/spatial" \
  "$src/tests/data/torch_spatial_gate_op13/model.onnx" --area 4mm2 &&
  echo "     $(design_shape "$work/spatial")"
finish
