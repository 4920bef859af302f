# gen -> sim on the tiny CNN, RRAM tiles (2-bit cells, 8-bit clipping ADCs): several groups with
# reloads; the same with 6-bit ADCs and 16 rows per sample (examples/hw/rram_adc6.toml); and
# 1-bit cells, 64x64 arrays with 4 ADCs at a budget that splits layers.
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
finish
