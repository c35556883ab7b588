#!/usr/bin/env bash
# bench.sh - `make bench`: the benchmarks of bench/, on the release build.
# Figures are medians over several runs; docs/benchmarks.md says how to read them.
set -euo pipefail
cd "$(dirname "$0")/.."
export VG_SHARED_DATA=${VG_SHARED_DATA:-$(cd ../shared/data 2>/dev/null && pwd)}
bin=build/release/bin
runs=${BENCH_RUNS:-10}

echo "== core library"
"$bin/bench_core" "$VG_SHARED_DATA"

echo
echo "== inventory of this machine ($runs runs each; peer: dpkg-query -W in the same run)"
"$bin/measure" --label "vigil inventory (all)" "$runs" -- "$bin/vigil" inventory --compact
"$bin/measure" --label "dpkg-query -W" "$runs" -- dpkg-query -W
v=$("$bin/measure" --machine --label v "$runs" -- "$bin/vigil" inventory --compact)
d=$("$bin/measure" --machine --label d "$runs" -- dpkg-query -W)
awk -v v="$v" -v d="$d" 'BEGIN {
  split(v, a, " "); split(d, b, " ")
  printf "ratio vigil/dpkg-query: wall %.2fx, peak RSS %.2fx (vigil collects packages, processes, sockets, accounts; dpkg-query lists packages)\n", a[2] / b[2], a[3] / b[3]
}'
