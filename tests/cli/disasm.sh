# pimhls disasm on the ROMs of a generated design: mnemonics for every controller kind, the
# off-chip image by segments, and one-line errors for files that are not ROM images.
source "$(dirname "$0")/lib.sh"

out="$work/out"
"$pimhls" gen "$src/examples/tiny_cnn.onnx" --area 1mm2 -o "$out" --no-verify >/dev/null 2>&1 ||
  { echo "FAIL gen --no-verify"; failures=$((failures + 1)); }
expect_output "global program" "MARK.*RELOAD [0-9]+.*START 0.*WAIT.*HALT" \
  bash -c "'$pimhls' disasm '$out/rom/global.hex' | tr '\n' ' '"
expect_output "weight engine" "SET KH, 3.*SYNC.*RUN.*DONE" \
  bash -c "'$pimhls' disasm '$out/rom/we0.hex' | tr '\n' ' '"
ve=$(ls "$out"/rom/ve*.hex | grep -v _data | head -1)
expect_output "vector engine" "SET OP, .*RUN" bash -c "'$pimhls' disasm '$ve' | tr '\n' ' '"
# Data ROMs beside their program: words labelled by the RUNs that read them.
expect_output "weight engine tables" "RUN 0: copy 0: first tile 0.*channel 0 bias -?[0-9]+.*channel 0 requantizer M=[0-9]+ shift=[0-9]+" \
  bash -c "'$pimhls' disasm '$out/rom/we0_data.hex' | tr '\n' ' '"
expect_output "off-chip image" "SEGMENT tile 0 array 0 rows [0-9]+" "$pimhls" disasm "$out/mem/offchip.hex"
# Every instruction word of a ROM is printed once, numbered from 0.
words=$(grep -cv '^//' "$out/rom/global.hex")
lines=$("$pimhls" disasm "$out/rom/global.hex" | grep -cE '^ +[0-9]+  [0-9a-f]{16}  ')
[ "$words" = "$lines" ] || { echo "FAIL disasm printed $lines of $words words"; failures=$((failures + 1)); }
expect_error "missing file" "nothing\.hex: no such file" "$pimhls" disasm "$out/rom/nothing.hex"
echo "zz" >"$work/bad.hex"
expect_error "not hex" "bad\.hex:1: expected one 64-bit hex word" "$pimhls" disasm "$work/bad.hex"
finish
