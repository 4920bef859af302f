# gen -> sim on the tiny CNN, SRAM tiles (ADC-less adder trees, 1-bit cells): a small budget that
# forces several groups with weight reloads (duplication with reloads: gen_rtl_sim_reload_copies.sh).
# Every design's outputs equal the golden emulator bit for bit and its simulated cycles are
# within 2% of the estimate; pimhls sim reruns from the cache with a given input.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
model="$src/examples/tiny_cnn.onnx"

gen_and_sim "SRAM, 1.1 mm2 (several groups, reloads)" "$work/small" \
  "$model" --area 1.1mm2 --tech sram && echo "     $(design_shape "$work/small")"

expect_output "pimhls sim with the example input" "^PASS" \
  "$pimhls" sim "$work/small" --input "$src/examples/tiny_cnn_input.pb"
expect_output "pimhls sim again: the Verilator build is cached" "verilator: cached model" \
  "$pimhls" sim "$work/small" --seed 7
expect_error "pimhls sim on a directory without a design" "sim_config.json: no such file" \
  "$pimhls" sim "$work/nothing"
finish
