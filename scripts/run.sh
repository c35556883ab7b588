#!/usr/bin/env bash
# run.sh - `make run`: show Vigil on this host with what is built so far.
#
# Later stages start vigild with the embedded store, enroll this host with
# vigil-agent, import the feeds and print the dashboard URL; today Vigil is
# the core library and the CLI, so this scans the host and demonstrates the
# comparators a finding is explained with.
set -euo pipefail
cd "$(dirname "$0")/.."
vigil=build/vigil

echo
"$vigil" --version
echo
"$vigil" scan
echo
echo "Everything collected: $vigil inventory --format table (or --format json, cyclonedx, spdx)"
echo
echo "Try the tools a finding is explained with:"
show() { printf '  $'; printf ' %q' "$@"; printf '\n    %s\n' "$("$@" 2>&1)"; }
show "$vigil" vercmp dpkg 3.0.11-1~deb12u2 3.0.15-1~deb12u1
show "$vigil" vercmp rpm 1:1.1.1k-9.el8_7 1:1.1.1k-12.el8_9
show "$vigil" vercmp --range npm '>=4.0.0 <4.17.21' 4.17.20
show "$vigil" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H
show "$vigil" cpe match 'cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*' 'cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*'
echo
echo "Binaries: build/vigil, build/vigild, build/vigil-agent.  Tests: make check."
