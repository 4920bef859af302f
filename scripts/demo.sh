#!/usr/bin/env bash
# Sets everything up (packages, build, examples) and runs the main job on the VGG-8 example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build/generator/cli/pimhls inspect examples/vgg8.onnx
