# A small generated design synthesizes with Yosys 0.23 (synth.ys: synth -top pimhls_top -noshare,
# stat): a 3x3 convolution on 16x16 SRAM arrays (tests/cli/make_micro_net.py; 0.6 mm2: one
# copy, two row blocks, one group). It also passes the Verilator lint, and its simulation PASSes
# with cycles within 2% of the estimate. The synthesized instruction and data ROMs keep their
# contents (Yosys once dropped a $readmemh that followed a zero fill: ROMs of 0 cells).
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
  bash -c "cd '$work/micro' && timeout 2400 yosys -l '$work/synth.log' -s synth.ys >/dev/null 2>&1 &&
           sed -n '/=== design hierarchy ===/,\$p' '$work/synth.log'"
# per ROM module of the stat: its cell count (the lookup logic of its words)
rom_cells=$(awk '/^=== .*\\rom ===$/ { rom = 1 } rom && /Number of cells:/ { print $4; rom = 0 }' \
  "$work/synth.log")
if [ -z "$rom_cells" ] || printf '%s\n' "$rom_cells" | grep -qx 0; then
  echo "FAIL synthesized ROMs: cell counts '$(echo $rom_cells)' (a ROM lost its contents)"
  failures=$((failures + 1))
else
  echo "ok   synthesized ROMs keep their contents (cells: $(echo $rom_cells))"
fi
finish
