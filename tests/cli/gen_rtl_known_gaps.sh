# gen -> sim cases that still fail (issue 6 note); the test is registered DISABLED in
# tests/CMakeLists.txt so that ctest lists it as not run. Outputs are bit-exact in the first two;
# what fails:
#  - one group with duplicated layers (SRAM 4 mm2) and copies on tile sets of two configurations
#    (RRAM + FeFET): the RTL and the emulator agree cycle for cycle, but the cost model's
#    pipeline formula is ~20% below them (it divides vectors among copies, the ISA interleaves
#    them by pixel and waits for each window's inputs);
#  - RRAM with 6-bit ADCs and 16 rows per sample: the weight engine cannot meet the ISA's DEPTH
#    (writes late) and the run does not finish.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
model="$src/examples/tiny_cnn.onnx"

gen_and_sim "SRAM, 4 mm2 (one group, duplication)" "$work/big" "$model" --area 4mm2 --tech sram &&
  echo "     $(design_shape "$work/big")"
gen_and_sim "heterogeneous (RRAM and FeFET tiles)" "$work/hetero" "$model" --area 6mm2 \
  --tech rram,fefet --hw "$src/examples/hw/fefet.toml" && echo "     $(design_shape "$work/hetero")"
gen_and_sim "RRAM with 6-bit ADCs, 16 rows per sample" "$work/adc6" "$model" --area 2mm2 \
  --tech rram --hw "$src/examples/hw/rram_adc6.toml" && echo "     $(design_shape "$work/adc6")"

finish
