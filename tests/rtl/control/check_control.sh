#!/usr/bin/env bash
# Portability checks of the control modules (docs/rtl.md, "Control"):
#   check_control.sh lint|icarus|yosys RTL_DIR
# lint: verilator --lint-only -Wall per module (default and corner parameters); icarus:
# iverilog -g2012 per module; yosys: read, hierarchy, proc, opt (elaboration of every module;
# a full synth of the engines is the generated design's test).
set -euo pipefail
mode=$1 rtl=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deps() {
  case $1 in
    engine_sequencer | global_controller) echo "$rtl/rom.sv" ;;
    engine_vector) echo "$rtl/rom.sv $rtl/engine_sequencer.sv" ;;
    engine_weight)
      echo "$rtl/rom.sv $rtl/engine_sequencer.sv $rtl/pim_array.sv" \
        "$rtl/engine_weight_gather.sv $rtl/engine_weight_output.sv" ;;
    noc_mesh) echo "$rtl/noc_router.sv" ;;
    *) echo "" ;;
  esac
}
modules="rom act_buffer act_memory engine_sequencer global_controller offchip_memory offchip_port
engine_vector engine_weight noc_router noc_mesh"
case $mode in
  lint)
    for m in $modules; do
      # shellcheck disable=SC2046
      verilator --lint-only -Wall "$rtl/$m.sv" $(deps "$m") --top-module "$m"
    done
    lint() {
      local m=$1
      shift
      # shellcheck disable=SC2046
      verilator --lint-only -Wall "$rtl/$m.sv" $(deps "$m") --top-module "$m" "$@"
    }
    lint rom -GDEPTH=1 -GLANES=4
    lint act_buffer -GCHANNELS=7 -GPIXELS=33 -GREADERS=3 -GLANES=2 -GWRITE_LANES=4
    lint act_memory -GNBUF=3 -GWORDS=100 -GVALID_BITS=20 -GWR_PORTS=3 -GRD_LANES=9 -GVQ_LANES=5 \
      -GWR_LANES=4
    # an input memory: buffer 1 of 3 at word 0, the host's addresses of the chip memory
    lint act_memory -GNBUF=3 -GWORDS=40 -GVALID_BITS=8 -GWR_PORTS=3 -GRD_LANES=70 -GVQ_LANES=5 \
      -GWR_LANES=4 -GBUF_HELD=3\'b010 -GHOST_WORDS=100 \
      -GBUF_BASE="96'h0" -GHOST_BASE="96'h00000050_00000014_00000000"
    lint offchip_port -GRELOAD_LANES=3 -GROW_BITS=200 -GMAX_SEGMENTS=1
    lint offchip_memory -GWORDS=50 -GLANES=3
    lint engine_vector -GMAX_KH=3 -GMAX_KW=2 -GCH_LANES=5 -GMAX_INPUTS=3 -GDATA_DEPTH=40
    lint engine_vector -GMAX_KH=2 -GMAX_KW=2 -GCH_LANES=3 -GDATA_DEPTH=300 -GHAS_RESAMPLE=1\'b1 \
      -GHAS_LUT=1\'b1 -GHAS_MUL=1\'b1
    lint engine_weight -GMAX_COPIES=3 -GTILES=2 -GARRAYS_PER_TILE=2 -GMAX_ROW_ARRAYS=2 \
      -GMAX_ROW_BLOCKS=2 -GROWS=64 -GCOLS=32 -GBITS_PER_CELL=2 -GDAC_BITS=2 -GADCS=4 \
      -GADC_MODE=1 -GRELOAD_LANES=2 -GROW_BITS=64 -GOUT_LANES=16
    lint engine_weight -GTILES=0 -GRELOAD_LANES=3 -GROM_DEPTH=4  # a vector-only engine slot
    lint noc_router -GMESH_X=3 -GMESH_Y=1 -GX=2 -GLOCALS=4 -GDEPTH=1 -GDATA_BITS=1
    lint noc_mesh -GMESH_X=4 -GMESH_Y=3 -GLOCALS=4 -GHOP_CYCLES=3 -GDEPTH=2
    lint noc_mesh -GMESH_X=1 -GMESH_Y=5 -GLOCALS=2 -GHOP_CYCLES=2 -GDEPTH=1
    lint noc_mesh -GMESH_X=1 -GMESH_Y=1 -GHOP_CYCLES=1 -GDEPTH=3 ;;
  icarus)
    for m in $modules; do
      # shellcheck disable=SC2046
      iverilog -g2012 -o "$work/$m.vvp" -s "$m" "$rtl/$m.sv" $(deps "$m") 2> "$work/$m.log" || {
        cat "$work/$m.log"
        exit 1
      }
    done
    # engine_vector with every optional datapath (RESAMPLE, LUT, MUL)
    # shellcheck disable=SC2046
    iverilog -g2012 -o "$work/engine_vector_all.vvp" -s engine_vector -Pengine_vector.HAS_RESAMPLE=1 \
      -Pengine_vector.HAS_LUT=1 -Pengine_vector.HAS_MUL=1 -Pengine_vector.DATA_DEPTH=40 \
      "$rtl/engine_vector.sv" $(deps engine_vector) 2> "$work/engine_vector_all.log" || {
      cat "$work/engine_vector_all.log"
      exit 1
    } ;;
  yosys)
    for m in $modules; do
      params=""
      if [ "$m" = engine_weight ]; then
        params="chparam -set ROWS 8 -set COLS 4 -set PARALLEL_ROWS 4 -set ADCS 2 -set LOAD_LANES 2 \
-set OUT_LANES 2 -set MAX_KH 1 -set MAX_KW 1 -set ROW_BITS 4 $m;"
      fi
      # shellcheck disable=SC2046
      yosys -q -l "$work/$m.log" -p "read_verilog -sv $rtl/$m.sv $(deps "$m"); $params \
hierarchy -top $m; proc; opt -fast" > /dev/null
    done
    # engine_vector with every optional datapath (RESAMPLE, LUT, MUL)
    # shellcheck disable=SC2046
    yosys -q -l "$work/engine_vector_all.log" -p "read_verilog -sv $rtl/engine_vector.sv \
$(deps engine_vector); chparam -set HAS_RESAMPLE 1 -set HAS_LUT 1 -set HAS_MUL 1 \
-set MAX_KH 2 -set MAX_KW 2 -set CH_LANES 3 -set DATA_DEPTH 40 engine_vector; \
hierarchy -top engine_vector; proc; opt -fast" > /dev/null
    # The NoC is small enough for a full synthesis: a 2x2 mesh, two locals, 8-bit payloads.
    yosys -q -l "$work/noc.log" -p "read_verilog -sv $rtl/noc_mesh.sv $rtl/noc_router.sv; \
chparam -set LOCALS 2 -set DATA_BITS 8 -set DEPTH 2 -set HOP_CYCLES 2 noc_mesh; \
synth -top noc_mesh; stat" > /dev/null
    grep -q "Number of cells" "$work/noc.log" || { echo "noc_mesh: no stat output"; exit 1; }
    echo "noc_mesh: $(grep 'Number of cells' "$work/noc.log" | tail -1 | tr -s ' ')" ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
echo "control $mode: PASS"
