#!/usr/bin/env bash
# run.sh - `make run`: show Vigil on this host with what is built so far.
#
# Fills the knowledge base (var/vigil.db) from the feeds mirror — here the
# real data in ../shared/data, since these machines have no internet; with
# internet, `vigil feeds sync` alone downloads from the official sources —
# then scans this host and a sample Debian 11 device, and shows where every
# figure comes from.  Later stages start vigild, enroll this host with
# vigil-agent and print the dashboard URL.
set -euo pipefail
cd "$(dirname "$0")/.."
vigil=build/vigil
mirror=${VIGIL_MIRROR:-../shared/data}
export VIGIL_DB=${VIGIL_DB:-var/vigil.db}
mkdir -p "$(dirname "$VIGIL_DB")"

echo
"$vigil" --version
echo
echo "== Knowledge base: $VIGIL_DB, from the mirror $mirror (log: var/feeds-sync.log)"
if ! "$vigil" feeds sync --mirror "$mirror" >var/feeds-sync.log 2>&1; then
  tail -5 var/feeds-sync.log
  echo "run.sh: feeds sync reported failures (above); going on with what was imported" >&2
fi
tail -1 var/feeds-sync.log
"$vigil" feeds status
echo
echo "== This host"
"$vigil" scan || true
echo
echo "== A sample Debian 11 device (tests/data/roots/scan-debian11), top findings"
"$vigil" scan --root tests/data/roots/scan-debian11 | head -24 || true
echo
echo "Why a finding is there: $vigil scan --format json (evidence per finding); docs/scoring.md"
echo "Other formats: --format csv, --format sarif; CI gate: --fail-on high (exit 3)."
echo
echo "Try the tools a finding is explained with:"
show() { printf '  $'; printf ' %q' "$@"; printf '\n    %s\n' "$("$@" 2>&1)"; }
show "$vigil" vercmp dpkg 3.0.11-1~deb12u2 3.0.15-1~deb12u1
show "$vigil" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H
echo
echo "Binaries: build/vigil, build/vigild, build/vigil-agent.  Tests: make check."
