# pimhls run in its three modes on the tiny CNN: the quantized network stays close to float, the
# analog model with a lossless ADC range equals the integer network, a 3-bit ADC that clips does
# not, and an analog run follows the arrays of a generated design.
source "$(dirname "$0")/lib.sh"

net="$src/examples/tiny_cnn.onnx"
input="$src/examples/tiny_cnn_input.pb"
expect_output "float top-1" "top-5: +#7 " "$pimhls" run "$net" --input "$input"
expect_output "int vs float" "vs float: SQNR (3[5-9]|[4-9][0-9])\.[0-9]+ dB, top-1 agrees" \
  "$pimhls" run "$net" --input "$input" --mode int
expect_output "analog (lossless range) == int" "vs int: SQNR inf dB" \
  "$pimhls" run "$net" --input "$input" --mode analog --tech rram
expect_output "analog with a clipping 3-bit ADC differs from int" "vs int: SQNR [0-9]+\.[0-9]+ dB" \
  "$pimhls" run "$net" --input "$input" --mode analog --array adc_bits=3,parallel_rows=64
"$pimhls" gen "$net" --area 4mm2 -o "$work/out" --no-rtl >/dev/null 2>&1 ||
  { echo "FAIL gen for the design run"; failures=$((failures + 1)); }
expect_output "analog on a design" "vs int: SQNR" \
  "$pimhls" run "$net" --input "$input" --mode analog --design "$work/out/design.json"
expect_error "analog --design missing file" "nothing\.json" \
  "$pimhls" run "$net" --mode analog --design "$work/nothing.json"
expect_error "bad array key" "rowz" "$pimhls" run "$net" --mode analog --array rowz=3
finish
