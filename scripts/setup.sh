#!/usr/bin/env bash
# Installs every Debian 12 package pimhls needs (only those missing), then builds pimhls and
# the example networks. Safe to run again: it does only what is not done yet.
#   scripts/setup.sh            packages + build + examples
#   scripts/setup.sh --packages packages only
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config git
  libfmt-dev libtomlplusplus-dev libonnx-dev libprotobuf-dev protobuf-compiler
  libeigen3-dev catch2 libcli11-dev nlohmann-json3-dev
  verilator yosys iverilog libkainjow-mustache-dev
  python3 python3-onnx python3-numpy libonnx-testdata
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
[ "${1:-}" = "--packages" ] && exit 0

cmake --preset default >/dev/null
cmake --build --preset default
/usr/bin/python3 scripts/make_examples.py examples
