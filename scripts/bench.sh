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

# ---- knowledge base: import time and peak RSS per feed (a fresh store each run) ----
kb=$(mktemp -d)
trap 'rm -rf "$kb"' EXIT
import_runs=${BENCH_IMPORT_RUNS:-5}
echo
echo "== feed imports ($import_runs runs each, fresh store each run; release build)"
imp() {
  local label=$1; shift
  "$bin/measure" --label "$label" "$import_runs" -- \
    sh -c 'rm -f "$0"*; exec "$@" >/dev/null 2>&1' "$kb/bench.db" "$bin/vigil" feeds import --db "$kb/bench.db" "$@"
}
d=$VG_SHARED_DATA
imp "EPSS (360,142 rows, CSV)" "$d/epss/epss_scores-2026-08-16.csv"
gzip -c "$d/epss/epss_scores-2026-08-16.csv" >"$kb/epss.csv.gz"
imp "EPSS (same, gzip)" "$kb/epss.csv.gz"
imp "KEV (1,404 entries)" "$d/kev/known_exploited_vulnerabilities.json"
imp "DSA + DLA lists (8,940 advisories)" "$d/debian-security-tracker/salsa-format_2023-04/data/DSA/list" \
  "$d/debian-security-tracker/salsa-format_2023-04/data/DLA/list"
imp "NVD 2.0 merged sample (86 CVEs)" "$d/nvd/nvd-api-2.0_merged-sample.json"
imp "NVD 1.1 legacy sample (669 CVEs)" "$d/nvd/nvd-feed-1.1_legacy/osv.dev_nvdcve-1.1-test-data.json"
imp "OSV: all 479 files" "$d/osv"
"$bin/measure" --label "feeds sync --mirror (everything)" "$import_runs" -- \
  sh -c 'rm -rf "$0"; mkdir -p "$0"; exec "$@" >/dev/null 2>&1' "$kb/full" "$bin/vigil" feeds sync \
  --db "$kb/full/vigil.db" --mirror "$d"

# ---- scanning: this host end to end, against the full knowledge base ----
"$bin/vigil" feeds sync --db "$kb/vigil.db" --mirror "$d" >/dev/null 2>&1 || true
echo
echo "== vigil scan ($runs runs each; the knowledge base from feeds sync --mirror)"
"$bin/measure" --label "vigil scan (this host)" "$runs" -- "$bin/vigil" scan --db "$kb/vigil.db"
"$bin/measure" --label "vigil scan --format json" "$runs" -- "$bin/vigil" scan --db "$kb/vigil.db" --format json
"$bin/measure" --label "vigil scan (Debian 11 fixture)" "$runs" -- \
  "$bin/vigil" scan --db "$kb/vigil.db" --root tests/data/roots/scan-debian11

# ---- matching: a simulated fleet; work grows with distinct software ----
echo
echo "== matching a simulated fleet (bench_match)"
"$bin/bench_match" "$kb/vigil.db" "$VG_SHARED_DATA"

# ---- the fleet: vigild ingest (simulated agents), /api latency under wrk, peak RSS ----
echo
echo "== fleet: vigild ingest and API (bench/fleet_api.sh)"
BIN=$bin bench/fleet_api.sh

echo
echo "== Secure Score for devices at 10,000 devices (bench/config_score.sh)"
BIN=$bin bench/config_score.sh

echo
BIN=$bin bench/config_lynis.sh
