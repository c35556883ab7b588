#!/usr/bin/env bash
# bench.sh - `make bench`: the benchmarks of bench/, on the release build.
# Figures are medians over several runs; see docs/benchmarks.md for how to read them.
set -euo pipefail
cd "$(dirname "$0")/.."
export VG_SHARED_DATA=${VG_SHARED_DATA:-$(cd ../shared/data 2>/dev/null && pwd)}
build/release/bin/bench_core "$VG_SHARED_DATA"
