#!/usr/bin/env bash
# config_lynis.sh - peer comparison of the configuration assessment (issue 6; part of
# `make bench`): `lynis audit system` and `vigil scan --config-only` on this machine, in the
# same run.
#
#   1. wall time and peak RSS, medians over LYNIS_RUNS (default 3) runs of Lynis and
#      VIGIL_RUNS (default 11) runs of vigil (bench/measure.c), and their ratio;
#   2. verdicts on the controls both assess (SSH root login, password aging, umask, core
#      dumps, each sysctl of Lynis' KRNL-6000 profile, unused protocol and storage modules,
#      /tmp partition, firewall, auditing, AppArmor, time synchronisation, file integrity,
#      automatic updates, password quality): bench/config_lynis.py pairs each Lynis test
#      (its log and report file) with the Vigil check that makes the same decision, found
#      by the check's rule (a sysctl key, a login.defs item...) rather than by id, and lists
#      every disagreement with the reason (docs/benchmarks.md "Configuration assessment").
#
# Lynis is a Debian package (scripts/deps.sh bench installs it); it runs as root here with
# --quick (no pauses) and its own log and report files in a temporary directory.  vigil is
# the release build (build/release/bin, BIN=... to change) with the shipped baseline
# (content/).  LYNIS_RUNS=1 for a quick look (Lynis takes minutes per run).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build/release/bin}
lynis_runs=${LYNIS_RUNS:-3}
vigil_runs=${VIGIL_RUNS:-11}

for b in vigil measure; do
  [ -x "$bin/$b" ] || { echo "config_lynis.sh: no $bin/$b (make build)" >&2; exit 1; }
done
if ! command -v lynis >/dev/null; then
  echo "config_lynis.sh: lynis is not installed (scripts/deps.sh bench): comparison skipped"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "config_lynis.sh: Lynis audits a system as root only: comparison skipped"
  exit 0
fi

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

echo "== configuration assessment: vigil scan --config-only vs lynis audit system ($(lynis --version))"
v=$("$bin/measure" --machine --label vigil "$vigil_runs" -- "$bin/vigil" scan --config-only --color never)
l=$("$bin/measure" --machine --label lynis "$lynis_runs" -- \
  lynis audit system --quick --no-colors --log-file "$T/lynis.log" --report-file "$T/lynis-report.dat")
"$bin/vigil" scan --config-only --json >"$T/vigil.json"
tests=$(grep -c 'Performing test ID' "$T/lynis.log" || true)
checks=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["configuration"]["checks"])' "$T/vigil.json")
awk -v v="$v" -v l="$l" -v vr="$vigil_runs" -v lr="$lynis_runs" -v tests="$tests" -v checks="$checks" 'BEGIN {
  split(v, a, " "); split(l, b, " ")
  printf "vigil scan --config-only  %3d checks  median %8.3f s  peak RSS %7.1f MiB  (%d runs)\n", checks, a[2] / 1000, a[3] / 1024, vr
  printf "lynis audit system        %3d tests   median %8.3f s  peak RSS %7.1f MiB  (%d runs)\n", tests, b[2] / 1000, b[3] / 1024, lr
  printf "wall-time ratio lynis/vigil: %.0fx\n", b[2] / a[2]
}'
echo
python3 bench/config_lynis.py "$T/vigil.json" "$T/lynis.log" "$T/lynis-report.dat"
