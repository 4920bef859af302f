# A small generated design synthesizes with Yosys 0.23 (synth.ys: synth -top pimhls_top, stat):
# a 3x3 convolution on 16x16 SRAM arrays (tests/cli/make_micro_net.py; 0.6 mm2: one copy, two row
# blocks, one group). It also passes the Verilator lint, and its simulation PASSes with cycles
# within 2% of the estimate.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"

/usr/bin/python3 "$src/tests/cli/make_micro_net.py" "$work/micro.onnx" ||
  { echo "FAIL cannot write the micro network (python3-onnx)"; exit 1; }
cat >"$work/micro.toml" <<'TOML'
[tile.sram]
array_sizes = [16]
adcs_per_array = [4]
baseline_array_size = 16
baseline_adcs_per_array = 4
arrays_per_tile = 1
TOML
gen_and_sim "micro network on 16x16 arrays" "$work/micro" "$work/micro.onnx" --area 0.6mm2 \
  --tech sram --hw "$work/micro.toml"
expect_success "verilator --lint-only -Wall" \
  bash -c "cd '$work/micro' && verilator --lint-only -Wall --top-module pimhls_top -f filelist.f"
expect_output "yosys synth + stat" "Number of cells" \
  bash -c "cd '$work/micro' && timeout 1200 yosys -s synth.ys 2>&1 | tail -80"
finish
