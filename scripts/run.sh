#!/usr/bin/env bash
# run.sh - `make run`: show Vigil on this host with what is built so far.
#
# Fills the knowledge base (var/vigil.db) from the feeds mirror — here the
# real data in ../shared/data, since these machines have no internet; with
# internet, `vigil feeds sync` alone downloads from the official sources —
# then scans this host and a sample Debian 11 device, and shows where every
# figure comes from.  Then starts vigild on the same store (left running;
# var/vigild.pid, var/vigild.log), enrolls this host and three sample
# devices with vigil-agent, and shows the Defender-compatible API with an
# analyst token (var/analyst.token).
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

# ---- the server ---------------------------------------------------------------------
listen=${VIGILD_LISTEN:-127.0.0.1:8080}
base=http://$listen
vigild=build/vigild
agent=build/vigil-agent
if [ -f var/vigild.pid ] && kill -0 "$(cat var/vigild.pid)" 2>/dev/null; then
  echo; echo "== Stopping the vigild a previous make run started (pid $(cat var/vigild.pid))"
  kill -TERM "$(cat var/vigild.pid)"
  for _ in $(seq 100); do kill -0 "$(cat var/vigild.pid)" 2>/dev/null || break; sleep 0.1; done
fi
echo
echo "== vigild on $base (store $VIGIL_DB, log var/vigild.log)"
"$vigild" --listen "$listen" --db "$VIGIL_DB" --log-level warn 2>var/vigild.log &
echo $! >var/vigild.pid
for _ in $(seq 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
if ! curl -fsS "$base/healthz" >/dev/null 2>&1; then
  echo "run.sh: vigild did not start (is $listen in use? set VIGILD_LISTEN=ADDR:PORT):" >&2
  tail -5 var/vigild.log >&2
  exit 1
fi
umask 077
enroll=$("$vigil" token create --role enroll --name "make run" --expires 1)
[ -s var/analyst.token ] && "$vigil" token list --format json | grep -q '"name": *"make run analyst"' ||
  "$vigil" token create --role analyst --name "make run analyst" >var/analyst.token
token=$(cat var/analyst.token)
umask 022
echo
echo "== Enrolling this host and three sample devices with vigil-agent --once"
mkdir -p var/agents
for root in / tests/data/roots/scan-debian11 tests/data/roots/scan-debian10 tests/data/roots/scan-alpine315; do
  name=$(basename "$root"); [ "$root" = / ] && name=this-host
  if "$agent" --server "$base" --enroll-token "$enroll" --root "$root" \
    --state-dir "var/agents/$name" --once >"var/agents-$name.log" 2>&1; then
    echo "  $name: reported"
  else
    echo "  $name: failed (var/agents-$name.log)"
  fi
done
api() { curl -fsS -H "Authorization: Bearer $token" "$base$1"; }
echo
echo "== The API (Defender paths and fields; docs/api.md, docs/openapi.yaml)"
echo "  token: var/analyst.token (role analyst, read-only)"
echo "  \$ curl -H \"Authorization: Bearer \$(cat var/analyst.token)\" $base/api/exposureScore"
echo "    $(api /api/exposureScore 2>&1)"
echo "  \$ curl ... '$base/api/machines?\$select=computerDnsName,osPlatform,version,exposureLevel,exposureScore'"
api '/api/machines?$select=computerDnsName,osPlatform,version,exposureLevel,exposureScore' 2>&1 |
  python3 -c 'import json,sys
for m in json.load(sys.stdin)["value"]:
    print("    %-16s %-8s %-6s %-7s %5.1f" % (m["computerDnsName"] or "-", m["osPlatform"] or "-", m["version"] or "-", m["exposureLevel"], m["exposureScore"]))' || true
echo "  \$ curl ... $base/api/configurationScore   (Secure Score for devices; docs/scoring.md)"
api /api/configurationScore 2>&1 | python3 -c 'import json,sys
d=json.load(sys.stdin)
print("    %.1f of %.1f points (%.1f%%)" % (d["score"], d["maxScore"], d["scorePercentage"]))
for c in d["categories"]:
    print("    %-17s %6.1f / %6.1f" % (c["category"], c["score"], c["maxScore"]))' || true
echo "  \$ curl ... '$base/api/recommendations?\$filter=remediationType eq '\''ConfigurationChange'\''&\$top=5'"
api "/api/recommendations?%24filter=remediationType%20eq%20%27ConfigurationChange%27&%24top=5" 2>&1 |
  python3 -c 'import json,sys
for r in json.load(sys.stdin)["value"]:
    print("    %-12s +%5.2f  %d/%d devices  %s" % (r["id"], r["configScoreImpact"], r["exposedMachinesCount"], r["totalMachineCount"], r["recommendationName"]))' || true
echo "  More: /api/vulnerabilities, /api/recommendations, /api/Software, /api/machines/SoftwareVulnerabilitiesByMachine,"
echo "        /api/machines/{id}/configurations, /api/machines/SecureConfigurationsAssessmentByMachine"
echo "  vigild keeps running (pid $(cat var/vigild.pid)); stop it with: kill \$(cat var/vigild.pid)"
echo
echo "Binaries: build/vigil, build/vigild, build/vigil-agent.  Tests: make check."
