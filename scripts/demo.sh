#!/usr/bin/env bash
# Sets everything up (packages, build, examples) and runs the main job on the VGG-8 example:
# the heterogeneous design at 16 mm2 with its RTL, the analog PIM model of that design on a sample
# input, and the Verilator check of the RTL against the golden emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
pimhls=build/generator/cli/pimhls
out=out/vgg8
$pimhls gen examples/vgg8.onnx --area 16mm2 -o "$out"
$pimhls run examples/vgg8.onnx --input examples/vgg8_input.pb --mode analog --design "$out/design.json"
$pimhls sim "$out" --input examples/vgg8_input.pb
