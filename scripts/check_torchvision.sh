#!/usr/bin/env bash
# Networks we did not write: torchvision's CNNs and segmentation models (FCN, DeepLabV3, LR-ASPP:
# bilinear upsampling; random weights, seeded) exported by PyTorch's own exporter, through
# `pimhls gen --no-verify` at two budgets. Writes
# bench/results/torchvision.txt: per network and budget, whether it imports, the optimizer's and
# the RTL emission's time, and the emulator's cycles against the cost model's estimate
# (program.json expected_cycles vs latency_cycles less activation spills; the RTL matches the
# emulator cycle for cycle). Not under ctest: it needs python3-torch and python3-torchvision
# (Debian 12: apt-get install python3-torch python3-torchvision), and takes ~15 minutes.
#   scripts/check_torchvision.sh [SIZE]   (input SIZE x SIZE, default 64; Inception-v3: 299)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
size=${1:-64}
pimhls=build/generator/cli/pimhls
results=bench/results/torchvision.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p bench/results

/usr/bin/python3 - "$work" "$size" <<'PY' || { echo "needs python3-torch and python3-torchvision"; exit 1; }
import sys
import torch
import torchvision.models as m
import torchvision.models.segmentation as seg


class Segmentation(torch.nn.Module):
    """A segmentation model's "out" map (torchvision returns a dict)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)["out"]


def segmentation(make):
    return lambda: Segmentation(make(weights=None, weights_backbone=None, num_classes=21))


out, size = sys.argv[1], int(sys.argv[2])
torch.manual_seed(0)
nets = {
    "resnet18": m.resnet18, "resnet50": m.resnet50, "resnext50_32x4d": m.resnext50_32x4d,
    "mobilenet_v2": m.mobilenet_v2, "mobilenet_v3_small": m.mobilenet_v3_small,
    "mnasnet0_5": m.mnasnet0_5, "efficientnet_b0": m.efficientnet_b0,
    "regnet_x_400mf": m.regnet_x_400mf, "squeezenet1_1": m.squeezenet1_1,
    "densenet121": m.densenet121, "shufflenet_v2_x0_5": m.shufflenet_v2_x0_5,
    "googlenet": lambda: m.googlenet(aux_logits=False, init_weights=True),
    "inception_v3": lambda: m.inception_v3(aux_logits=False, init_weights=True),
    "convnext_tiny": m.convnext_tiny,
    "fcn_resnet50": segmentation(seg.fcn_resnet50),
    "deeplabv3_mobilenet": segmentation(seg.deeplabv3_mobilenet_v3_large),
    "lraspp_mobilenet": segmentation(seg.lraspp_mobilenet_v3_large),
}
for name, make in nets.items():
    side = 299 if name == "inception_v3" else size
    torch.onnx.export(make().eval(), torch.randn(1, 3, side, side), f"{out}/{name}.onnx",
                      opset_version=13)
PY

{
  echo "# torchvision CNNs through pimhls gen --no-verify ($(date -u +%Y-%m-%d), $(nproc) cores," \
    "input ${size}x${size}, Inception-v3 299x299, random weights, opset 13)"
  echo "# agreement: program.json expected_cycles vs design latency_cycles less spill cycles"
  printf '%-20s %-7s %-9s %9s %9s %12s %12s %9s\n' network area status optimize rtl emulator \
    estimate agreement
  for onnx in "$work"/*.onnx; do
    name=$(basename "$onnx" .onnx)
    for area in 20mm2 80mm2; do
      if ! "$pimhls" gen "$onnx" --area "$area" --no-verify -o "$work/out" >"$work/log" 2>&1; then
        printf '%-20s %-7s error: %s\n' "$name" "$area" "$(tail -1 "$work/log" | cut -c1-160)"
        continue
      fi
      read -r optimize rtl < <(sed -n 's/.*optimized in \([0-9.]*\) s, RTL in \([0-9.]*\) s.*/\1 \2/p' \
        "$work/log")
      /usr/bin/python3 - "$work/out/program.json" "$name" "$area" "$optimize" "$rtl" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
estimate = p["design_latency_cycles"] - p["design_spill_cycles"]
emulator = p["expected_cycles"]
print(f"{sys.argv[2]:<20} {sys.argv[3]:<7} {'ok':<9} {sys.argv[4]:>8}s {sys.argv[5]:>8}s "
      f"{emulator:>12} {estimate:>12} {100.0 * (emulator - estimate) / estimate:>+8.2f}%")
PY
    done
  done
} | tee "$results"
