# pimhls sweep: latency against area as a table and CSV, identical whatever --jobs is; budgets
# below the smallest feasible design are marked; a range with none feasible is an error.
source "$(dirname "$0")/lib.sh"
vgg8="$src/examples/vgg8.onnx"

expect_output "table" "heterogeneous-SP +heterogeneous-S +rram-SP" \
  "$pimhls" sweep "$vgg8" --area 8mm2:24mm2:8mm2
"$pimhls" sweep "$vgg8" --area 8mm2:24mm2:8mm2 --csv --jobs 1 >"$work/one.csv"
"$pimhls" sweep "$vgg8" --area 8mm2:24mm2:8mm2 -o "$work/two.csv" --jobs 2 >/dev/null
if cmp -s "$work/one.csv" "$work/two.csv"; then echo "ok   CSV identical across --jobs"
else echo "FAIL CSV differs between --jobs 1 and 2"; failures=$((failures + 1)); fi
head -1 "$work/one.csv" | grep -q "^area_mm2,heterogeneous-SP_us,heterogeneous-S_us,rram-SP_us" ||
  { echo "FAIL CSV header: $(head -1 "$work/one.csv")"; failures=$((failures + 1)); }
[ "$(wc -l <"$work/one.csv")" -eq 4 ] || { echo "FAIL CSV rows"; failures=$((failures + 1)); }
expect_output "too small budgets are marked" "0\.100 +- +- .*\(too small\)" \
  "$pimhls" sweep "$vgg8" --area 0.1mm2:8.1mm2:8mm2
expect_error "no feasible budget" "no area of the sweep fits a design of 'vgg8'.*smallest feasible budget" \
  "$pimhls" sweep "$vgg8" --area 0.1mm2:0.3mm2:0.1mm2
expect_error "bad range" "invalid area range '8mm2:4mm2:1mm2': STOP is below START" \
  "$pimhls" sweep "$vgg8" --area 8mm2:4mm2:1mm2
finish
