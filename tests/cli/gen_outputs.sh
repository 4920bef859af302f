# pimhls gen: design.json, report.json and report.html, byte-identical whatever --jobs is; the chosen design
# is within the budget and never slower than a homogeneous one; the analog model reads it.
source "$(dirname "$0")/lib.sh"

expect_output "VGG-8 at 16 mm2" "^vgg8: 8 weight layers under 16.000 mm2" \
  "$pimhls" gen "$src/examples/vgg8.onnx" --area 16mm2 --no-rtl -o "$work/one" --jobs 1
expect_output "the same with 2 threads and 16 mm^2" "wrote .*/two/design.json" \
  "$pimhls" gen "$src/examples/vgg8.onnx" --area "16 mm^2" --no-rtl -o "$work/two" --jobs 2
for file in design.json report.json report.html; do
  if cmp -s "$work/one/$file" "$work/two/$file"; then echo "ok   $file identical across --jobs"
  else echo "FAIL $file differs between --jobs 1 and 2"; failures=$((failures + 1)); fi
done
expect_output "ResNet-18 in um2" "chosen: heterogeneous-SP" \
  "$pimhls" gen "$src/examples/resnet18.onnx" --area 40000000um2 --no-rtl -o "$work/resnet"
# A second run over the same directory replaces the files.
expect_output "rerun into the same directory" "wrote" \
  "$pimhls" gen "$src/examples/resnet18.onnx" --area 40mm2 --no-rtl -o "$work/resnet"

python3 - "$work" <<'PY' || failures=$((failures + 1))
import json, sys
work = sys.argv[1]
for run in ("one", "resnet"):
    design = json.load(open(f"{work}/{run}/design.json"))
    report = json.load(open(f"{work}/{run}/report.json"))
    assert design["schema"] == "pimhls-design" and report["schema"] == "pimhls-report"
    assert design["latency_cycles"] == report["latency"]["cycles"]
    assert report["area"]["within_budget"] and report["area"]["total_mm2"] <= report["area_budget_mm2"]
    keys = {d["key"]: d for d in report["designs"]}
    chosen = keys["heterogeneous-SP"]["latency"]["cycles"]
    for tech in report["technologies"]:
        assert chosen <= keys[tech + "-SP"]["latency"]["cycles"], tech
        assert keys[tech + "-baseline"]["area_mm2"] > 0
    # every unit appears in exactly one group, and copies fit the tile sets
    units = [m["unit"] for g in design["groups"] for m in g["mapping"]]
    assert units == list(range(len(design["units"]))), units
    tiles = sum(t["tiles"] for t in design["technologies"])
    assert sum(s["tiles"] for s in design["tile_sets"]) == tiles
    for g in design["groups"]:
        used = sorted((c["first_tile"], c["first_tile"] + c["tiles"]) for m in g["mapping"] for c in m["copies"])
        assert all(a[1] <= b[0] for a, b in zip(used, used[1:])), "overlapping copies"
        assert used[-1][1] <= tiles
        assert g["end_cycle"] == g["start_cycle"] + g["reload_cycles"] + g["compute_cycles"] + g["spill_cycles"]
    assert design["groups"][-1]["end_cycle"] == design["latency_cycles"]
    assert all("array" in layer for layer in design["layers"])
print("ok   report and design are consistent")
PY

expect_output "the analog model runs on the design's arrays" "layer\(s\) from .*design.json" \
  "$pimhls" run "$src/examples/tiny_cnn.onnx" --mode analog --design "$work/one/design.json"
finish
