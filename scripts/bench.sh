#!/usr/bin/env bash
# Runs every benchmark in bench/ and writes its report to bench/results/<name>.txt. Benchmarks
# measure speed against the targets of reference/numbers.md; they never run under ctest (the
# machine is shared and noisy; the reports give ratios to the targets).
#   scripts/bench.sh            all benchmarks
#   scripts/bench.sh opt float  only these
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
mkdir -p bench/results
names=("$@")
if ((${#names[@]} == 0)); then
  for binary in build/bench/bench_*; do names+=("${binary#build/bench/bench_}"); done
fi
for name in "${names[@]}"; do
  binary="build/bench/bench_$name"
  [ -x "$binary" ] || { echo "bench: no benchmark named '$name' (build/bench/bench_*)" >&2; exit 1; }
  echo "== $name"
  case "$name" in
    cost) "$binary" "bench/results/$name.txt" ;;
    *) "$binary" --output "bench/results/$name.txt" ;;
  esac
done
