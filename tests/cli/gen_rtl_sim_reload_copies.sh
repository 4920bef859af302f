# gen -> sim on the tiny CNN where reloads write duplicated units (a row goes to every copy
# at once: rtl/offchip_port.sv's tile masks) and a mixed-configuration split leaves one
# engine no vectors in a group: SRAM at 4 mm2; RRAM and FeFET tiles in one chip; RRAM with
# 4-bit ADCs and 16 rows per sample. Outputs bit for bit, cycles equal to the emulator's (they
# were not: reload overruns, an engine that ran vectors it had none of) and within 2% of the
# estimate. Found by random libraries: a slow off-chip port (1.6 GB/s, 12 bits per cycle; the
# port moved 64 and the design ran 8% under its estimate) and 1-cycle hops (a DEPTH below the
# datapath's write latency: the engines wrote late).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
model="$src/examples/tiny_cnn.onnx"

gen_and_sim "SRAM, 4 mm2 (duplication and reloads)" "$work/big" "$model" --area 4mm2 --tech sram &&
  echo "     $(design_shape "$work/big")"
gen_and_sim "heterogeneous (RRAM and FeFET tiles)" "$work/hetero" "$model" --area 6mm2 \
  --tech rram,fefet --hw "$src/examples/hw/fefet.toml" && echo "     $(design_shape "$work/hetero")"

cat >"$work/adc4.toml" <<'TOML'
[tile.rram]
readout = "adc_4b"
parallel_rows = 16
TOML
gen_and_sim "RRAM 6 mm2, 4-bit ADCs, 16 rows per sample" "$work/adc4" "$model" --area 6mm2 \
  --tech rram --hw "$work/adc4.toml" && echo "     $(design_shape "$work/adc4")"

cat >"$work/slow_port.toml" <<'TOML'
[chip]
offchip_bandwidth_gbyte_per_s = 1.6
[chip.noc]
hop_latency_cycles = 1
TOML
gen_and_sim "SRAM 0.75 mm2, a 1.6 GB/s port and 1-cycle hops" "$work/slow_port" \
  "$src/tests/data/torch_mobilenet_block_op13/model.onnx" --area 0.75mm2 --hw "$work/slow_port.toml" &&
  echo "     $(design_shape "$work/slow_port")"

finish
