# Helpers of the gen -> RTL -> sim tests (tests/cli/gen_rtl_*.sh), sourced after lib.sh.

# expect_success "what" -- command...: exit code 0 (the output is shown only on failure).
expect_success() {
  local what="$1" output status
  shift
  output=$("$@" 2>&1)
  status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL $what: exit code $status:"; printf '%s\n' "$output" | head -20
    failures=$((failures + 1))
  else
    echo "ok   $what"
  fi
}

# gen_and_sim "what" OUT gen-args...: pimhls gen (which simulates small designs by default) must
# print PASS, and the simulated cycles must be within 2% of design.json's latency_cycles.
gen_and_sim() {
  local what="$1" out="$2"
  shift 2
  local log="$out.log" status
  "$pimhls" gen "$@" -o "$out" --verify >"$log" 2>&1
  status=$?
  if [ "$status" -ne 0 ] || ! grep -q "^PASS" "$log"; then
    echo "FAIL $what: exit code $status:"; tail -15 "$log"; failures=$((failures + 1)); return 1
  fi
  check_cycles "$what" "$log"
}

# gen_and_sim_fixture "what" OUT FIXTURE gen-args...: gen_and_sim on FIXTURE/model.onnx (a
# tests/data directory), then pimhls sim with its input file, in the model's layout, must PASS.
gen_and_sim_fixture() {
  local what="$1" out="$2" fixture="$3"
  shift 3
  gen_and_sim "$what" "$out" "$fixture/model.onnx" "$@" || return 1
  expect_output "$what, with its input file" "^PASS" \
    "$pimhls" sim "$out" --input "$fixture/test_data_set_0/input_0.pb"
}

# check_cycles "what" LOG: "cycles: simulated S, emulator E, estimate D" with |S - D| <= 2% of D.
check_cycles() {
  local what="$1" log="$2" line
  line=$(grep -E "^cycles: simulated" "$log")
  if python3 - "$line" <<'PY'; then
import re, sys
s, e, d = map(int, re.match(r"cycles: simulated (\d+), emulator (\d+), estimate (\d+)", sys.argv[1]).groups())
print(f"     simulated {s}, emulator {e}, estimate {d} ({100 * (s - d) / d:+.2f}%)")
sys.exit(0 if s == e and abs(s - d) <= 0.02 * d else 1)
PY
    echo "ok   $what"
  else
    echo "FAIL $what: cycles not within 2% of the estimate: $line"; failures=$((failures + 1))
    grep -A20 "^note: more than 2%" "$log" | head -20
  fi
}

# design_shape OUT: "groups G dup D split S" of OUT/design.json.
design_shape() {
  python3 - "$1/design.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
dup = max(m["duplication"] for g in d["groups"] for m in g["mapping"])
split = sum(1 for u in d["units"] if u["column_pieces"] > 1 or u["row_pieces"] > 1)
techs = sorted({s["technology"] for s in d["tile_sets"]})
print(f"groups {len(d['groups'])} dup {dup} split {split} tech {','.join(techs)}")
PY
}
