#!/usr/bin/env bash
# The generator's speed targets of issue 6, measured end to end with the CLI, written to
# bench/results/rtl.txt as times and ratios to the targets (ratio <= 1: met):
#   - pimhls gen ResNet-18 (40 mm2) including RTL emission: <= 5 s;
#   - the Verilator build of the VGG-8 design (16 mm2, the README's main job): <= 120 s;
#   - one VGG-8 inference in simulation: <= 60 s.
# Not under ctest (the machine is shared and noisy). A simulation that has not finished after
# BENCH_SIM_TIMEOUT seconds (default 1800) is reported as such.
#   scripts/bench_rtl.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
pimhls=build/generator/cli/pimhls
results=bench/results/rtl.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p bench/results

seconds() { # seconds COMMAND...: wall time of the command, its output in $work/last.log
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/last.log" 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

{
  echo "# pimhls RTL speed ($(date -u +%Y-%m-%d), $(nproc) cores; ratio = time / target)"
  gen=$(seconds "$pimhls" gen examples/resnet18.onnx --area 40mm2 --no-verify -o "$work/resnet18")
  echo "gen resnet18 40mm2 with RTL: ${gen} s (target 5 s, ratio $(ratio "$gen" 5))"
  grep -E "^optimized in" "$work/last.log" | sed 's/;.*//; s/^/  /'

  "$pimhls" gen examples/vgg8.onnx --area 16mm2 --no-verify -o "$work/vgg8" >/dev/null
  timeout "${BENCH_SIM_TIMEOUT:-1800}" "$pimhls" sim "$work/vgg8" --input examples/vgg8_input.pb \
    >"$work/sim.log" 2>&1 || true
  build=$(sed -nE 's/^verilator: built the model in ([0-9.]+) s$/\1/p' "$work/sim.log")
  echo "verilator build vgg8: ${build:-?} s (target 120 s, ratio $(ratio "${build:-0}" 120))"
  run=$(sed -nE 's/^verilator: simulated [0-9]+ cycles in ([0-9.]+) s.*/\1/p' "$work/sim.log")
  if [ -n "$run" ]; then
    echo "simulate vgg8: ${run} s (target 60 s, ratio $(ratio "$run" 60))"
    grep -E "^verilator: simulated|^cycles:|^PASS|^FAIL" "$work/sim.log" | sed 's/^/  /'
  else
    echo "simulate vgg8: not finished within ${BENCH_SIM_TIMEOUT:-1800} s"
  fi
} | tee "$results"
