# pimhls estimate: the homogeneous baselines of the PIM-HLS paper on the example networks.
source "$(dirname "$0")/lib.sh"

# The paper's example: layers 1-3 of VGG-8 hold 3.6 Mb, layer 4 holds 4.7 Mb (8-bit weights).
expect_output "VGG-8 layers 1-3: 3.6 Mb" "conv3 +Conv +rram +2\.359 +3\.567 " "$pimhls" estimate "$src/examples/vgg8.onnx"
expect_output "VGG-8 layer 4: 4.7 Mb" "conv4 +Conv +rram +4\.719 " "$pimhls" estimate "$src/examples/vgg8.onnx"
expect_output "both baselines compared" "sram 128x128, 16 adder trees/array +[0-9.]+" "$pimhls" estimate "$src/examples/vgg8.onnx"
expect_output "area breakdown" "^area +[0-9.]+ mm2 = arrays [0-9.]+ \+ ADC [0-9.]+ \+ DAC [0-9.]+ \+ digital [0-9.]+ \+ buffers [0-9.]+ \+ NoC" \
  "$pimhls" estimate "$src/examples/vgg8.onnx" --tech rram
expect_output "throughput line" "^throughput +[0-9.]+ TOPS, [0-9.]+ TOPS/W, [0-9.]+ FPS" \
  "$pimhls" estimate "$src/examples/resnet18.onnx" --tech sram
expect_output "other array size" "rram 128x128, 8 ADCs/array" \
  "$pimhls" estimate "$src/examples/vgg8.onnx" --tech rram --array 128 --adcs 8
expect_output "TOML-only technology" "fefet 128x128, 8 ADCs/array" \
  "$pimhls" estimate "$src/examples/vgg8.onnx" --hw "$src/examples/hw/fefet.toml"

"$pimhls" estimate --json "$src/examples/vgg8.onnx" >"$work/vgg8.json"
if python3 - "$work/vgg8.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
designs = {d["tech"]: d for d in out["designs"]}
assert set(designs) == {"rram", "sram"}, designs.keys()
layers = designs["rram"]["layers"]
assert layers[2]["cumulative_weight_bits"] == 3566592 and layers[3]["weight_bits"] == 4718592
# Same order of magnitude as the paper's baselines (VGG-8: RRAM 39 mm2, SRAM 47 mm2).
for tech, paper in (("rram", 39), ("sram", 47)):
    ratio = designs[tech]["area_mm2"]["total"] / paper
    assert 1 / 3 < ratio < 3, (tech, ratio)
# Fig. 1(a): SRAM faster, RRAM denser.
assert designs["sram"]["latency"]["cycles"] < designs["rram"]["latency"]["cycles"]
assert designs["sram"]["area_mm2"]["total"] > designs["rram"]["area_mm2"]["total"]
PY
then echo "ok   estimate --json"; else echo "FAIL estimate --json"; failures=$((failures + 1)); fi

expect_error "unknown technology" "no tile type 'srm'; did you mean 'sram'\?" "$pimhls" estimate "$src/examples/vgg8.onnx" --tech srm
expect_error "array size not in the library" "--array 100: tile type 'rram' builds arrays of 64, 128, 256, 512 only" \
  "$pimhls" estimate "$src/examples/vgg8.onnx" --tech rram --array 100
expect_error "ADC count not in the library" "--adcs 3: tile type 'sram' allows" \
  "$pimhls" estimate "$src/examples/vgg8.onnx" --tech sram --adcs 3
expect_error "more ADCs than columns" "--adcs 128: more readout units than the 64 columns" \
  "$pimhls" estimate "$src/examples/vgg8.onnx" --tech sram --array 64 --adcs 128
printf '[chip]\nclock_gz = 1.0\n' >"$work/typo.toml"
expect_error "bad library" "typo\.toml:2: chip\.clock_gz: unknown key; did you mean 'clock_ghz'\?" \
  "$pimhls" estimate "$src/examples/vgg8.onnx" --hw "$work/typo.toml"
finish
