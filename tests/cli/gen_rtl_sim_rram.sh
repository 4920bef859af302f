# gen -> sim on the tiny CNN, RRAM tiles (2-bit cells, 8-bit clipping ADCs): several groups with
# reloads; 6-bit ADCs and 16 rows per sample (examples/hw/rram_adc6.toml: many row groups per
# MVM, copies of one unit on two tile sets of one configuration); 1-bit cells, 64x64 arrays with
# 4 ADCs at a budget that splits layers; unsigned and signed inputs through 2-bit DACs (the sign
# bit in a phase of its own); two's complement weights in 1-bit cells.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
model="$src/examples/tiny_cnn.onnx"

gen_and_sim "RRAM, 1.1 mm2 (several groups)" "$work/rram" "$model" --area 1.1mm2 --tech rram &&
  echo "     $(design_shape "$work/rram")"
cat >"$work/rram_1bit.toml" <<'TOML'
[tile.rram]
bits_per_cell = 1
array_sizes = [64]
adcs_per_array = [4]
baseline_array_size = 64
baseline_adcs_per_array = 4
arrays_per_tile = 2
TOML
gen_and_sim "RRAM, 1-bit cells, 64x64 with 4 ADCs, split layers" "$work/split" "$model" \
  --area 0.5mm2 --tech rram --hw "$work/rram_1bit.toml" && echo "     $(design_shape "$work/split")"
gen_and_sim "RRAM with 6-bit ADCs, 16 rows per sample" "$work/adc6" "$model" --area 2mm2 \
  --tech rram --hw "$src/examples/hw/rram_adc6.toml" && echo "     $(design_shape "$work/adc6")"
cat >"$work/rram_dac2.toml" <<'TOML'
[arithmetic]
activation_encoding = "unsigned"
[tile.rram]
dac = "dac_2b"
parallel_rows = 32
TOML
gen_and_sim "RRAM, unsigned inputs, 2-bit DACs, 32 rows per sample" "$work/dac2" "$model" \
  --area 2mm2 --tech rram --hw "$work/rram_dac2.toml" && echo "     $(design_shape "$work/dac2")"
cat >"$work/rram_signed_dac2.toml" <<'TOML'
[tile.rram]
bits_per_cell = 1
dac = "dac_2b"
readout = "adc_6b"
parallel_rows = 16
TOML
gen_and_sim "RRAM, signed inputs through 2-bit DACs" "$work/signed_dac2" "$model" --area 2mm2 \
  --tech rram --hw "$work/rram_signed_dac2.toml" && echo "     $(design_shape "$work/signed_dac2")"
cat >"$work/rram_twos.toml" <<'TOML'
[tile.rram]
bits_per_cell = 1
weight_encoding = "twos_complement"
TOML
gen_and_sim "RRAM, two's complement weights in 1-bit cells" "$work/twos" "$model" --area 3mm2 \
  --tech rram --hw "$work/rram_twos.toml" && echo "     $(design_shape "$work/twos")"
finish
