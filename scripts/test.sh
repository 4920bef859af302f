#!/usr/bin/env bash
# Sets everything up (packages, build, examples) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --preset default "$@"
