#!/usr/bin/env bash
# Portability checks of the datapath modules (docs/rtl.md, "Datapath"):
#   check_datapath.sh lint|icarus|yosys RTL_DIR MODULE...
# lint: verilator --lint-only -Wall per module; icarus: iverilog -g2012 per module; yosys: synth
# + stat of a small pim_array and of the other modules (default parameters for those);
# examples: the hand-computed cases of docs/analog-model.md in Icarus (tb_pim_examples.sv).
set -euo pipefail
mode=$1 rtl=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case $mode in
  lint)
    for m in "$@"; do verilator --lint-only -Wall "$rtl/$m.sv" --top-module "$m"; done
    # Corner parameter sets (widths of 1-bit counters, one round, odd sizes, no read delay).
    for g in "-GROWS=256 -GCOLS=256 -GPARALLEL_ROWS=64 -GADCS=256" \
        "-GROWS=8 -GCOLS=1 -GPARALLEL_ROWS=8 -GADCS=1 -GREAD_CYCLES=0 -GWRITE_CYCLES=1" \
        "-GROWS=100 -GCOLS=33 -GPARALLEL_ROWS=7 -GADCS=5 -GDAC_BITS=2 -GBITS_PER_CELL=4 \
-GADC_MODE=1 -GINPUT_BITS=16 -GLOAD_LANES=3 -GREAD_CYCLES=5 -GCONV_CYCLES=4 -GWRITE_CYCLES=7 \
-GTAG_BITS=3" "-GADC_BITS=31 -GADC_MODE=2 -GLOAD_LANES=1"; do
      # shellcheck disable=SC2086
      verilator --lint-only -Wall "$rtl/pim_array.sv" --top-module pim_array $g
    done
    for g in "-GCOLS=1 -GADCS=1 -GBANKS=1" \
        "-GCOLS=33 -GADCS=5 -GSUM_BITS=12 -GIN_SUM_BITS=9 -GACC_BITS=48 -GMAX_SLICES=8"; do
      # shellcheck disable=SC2086
      verilator --lint-only -Wall "$rtl/pim_shift_add.sv" --top-module pim_shift_add $g
    done ;;
  icarus)
    for m in "$@"; do iverilog -g2012 -o "$work/$m.vvp" -s "$m" "$rtl/$m.sv"; done ;;
  yosys)
    for m in "$@"; do
      params=""
      if [ "$m" = pim_array ]; then
        params="chparam -set ROWS 8 -set COLS 4 -set PARALLEL_ROWS 4 -set ADCS 2 -set ADC_BITS 3 \
-set BITS_PER_CELL 2 -set DAC_BITS 2 -set INPUT_BITS 4 -set LOAD_LANES 2 -set ADC_MODE 1 $m;"
      elif [ "$m" = pim_shift_add ]; then
        params="chparam -set COLS 4 -set ADCS 2 -set SUM_BITS 4 -set IN_SUM_BITS 3 -set ACC_BITS 16 \
-set MAX_SLICES 4 $m;"
      fi
      yosys -q -l "$work/$m.log" -p "read_verilog -sv $rtl/$m.sv; $params synth -top $m; stat" \
        >/dev/null
      grep -q "Number of cells" "$work/$m.log" || { echo "$m: no stat output"; exit 1; }
      echo "$m: $(grep -m1 'Number of cells' "$work/$m.log" | tr -s ' ')"
    done ;;
  examples)
    here=$(dirname "$0")
    iverilog -g2012 -o "$work/examples.vvp" -s tb_pim_examples "$rtl/pim_array.sv" \
      "$rtl/pim_shift_add.sv" "$here/tb_pim_examples.sv"
    vvp -n "$work/examples.vvp" | tee "$work/examples.log"
    if [ "$(grep -c '^PASS' "$work/examples.log")" != 10 ] || grep -q '^FAIL' "$work/examples.log"
    then
      echo "datapath examples: FAIL"
      exit 1
    fi ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
echo "datapath $mode: PASS"
