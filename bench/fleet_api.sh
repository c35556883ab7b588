#!/usr/bin/env bash
# fleet_api.sh - the fleet benchmarks of vigild (part of `make bench`, scripts/bench.sh):
#
#   1. ingest: simulated devices (bench/ingest_load.c) enroll, send one full report each and
#      FLEET_DELTAS rounds of delta reports, at concurrency 1, 4 and 16 (FLEET_DEVICES new
#      devices per run) - reports/s; then at concurrency 1 and 16 with the "configuration"
#      section too (the fixture roots assessed against content/, --policies);
#   2. the store is filled up to FLEET_TOTAL devices, and its size on disk is reported;
#   3. API latency under wrk (-t2 -c16, FLEET_WRK_SECONDS s, FLEET_WRK_RUNS runs, median run
#      by p50) of /api/machines, /api/vulnerabilities and /api/exposureScore, with the HTTP
#      statuses received - a 404 or 401 is shown as such, never as a fast endpoint;
#   4. peak RSS: vigild's VmHWM after all that, and vigil-agent --once (a full report of this
#      host's / and of a fixture root, fresh state each run) through bench/measure.c.
#
# vigild runs on 127.0.0.1 with --threads 2 and --log-level warn (no per-request log line),
# on a temporary store whose knowledge base is `vigil feeds sync --mirror ../shared/data`.
# Release binaries of build/release/bin (`make build`; scripts/bench.sh runs this).
# Without wrk (scripts/deps.sh bench) the API latency part is skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
export VG_SHARED_DATA=${VG_SHARED_DATA:-$(cd ../shared/data 2>/dev/null && pwd)}
bin=${BIN:-build/release/bin}
devices=${FLEET_DEVICES:-500}
total=${FLEET_TOTAL:-10000}
deltas=${FLEET_DELTAS:-1}
wrk_runs=${FLEET_WRK_RUNS:-3}
wrk_seconds=${FLEET_WRK_SECONDS:-10}
roots=(tests/data/roots/scan-debian10 tests/data/roots/scan-debian11 tests/data/roots/scan-kali
  tests/data/roots/scan-alpine315)

for b in vigil vigild vigil-agent ingest_load measure; do
  [ -x "$bin/$b" ] || { echo "fleet_api.sh: $bin/$b missing: run 'make build' first" >&2; exit 1; }
done

T=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
db=$T/vigil.db

echo "code: $(git log --oneline -1 2>/dev/null || echo unknown)$(git status --porcelain src 2>/dev/null | grep -q . && echo ' (+ uncommitted changes under src/)')"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"

"$bin/vigil" feeds sync --mirror "$VG_SHARED_DATA" --db "$db" >"$T/sync.log" 2>&1 ||
  { echo "fleet_api.sh: feeds sync failed: $(tail -3 "$T/sync.log")" >&2; exit 1; }
enroll=$("$bin/vigil" token create --db "$db" --role enroll 2>/dev/null | head -1)
analyst=$("$bin/vigil" token create --db "$db" --role analyst 2>/dev/null | head -1)
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null 2>&1 || true
kb_bytes=$(du -cb "$db"* | tail -1 | cut -f1)

# A free port: the first one nothing answers on.  vigild at --log-level warn does not log
# the port it picked with port 0.
port=
for p in $(shuf -i 20000-60000 -n 50); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "fleet_api.sh: no free port" >&2; exit 1; }
base=http://127.0.0.1:$port
# --rate-limit off: wrk is one token sending thousands of requests a second, which the
# reference's budgets (machines: 100 a minute) would answer with 429.
"$bin/vigild" --listen "127.0.0.1:$port" --db "$db" --threads 2 --log-level warn \
  --rate-limit off 2>"$T/vigild.log" &
PID=$!
for _ in $(seq 100); do
  curl -sf "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$base/healthz" >/dev/null || { echo "vigild did not start: $(head -c 500 "$T/vigild.log")" >&2; exit 1; }

# ---- ingest ----
echo
echo "== ingest: $devices new devices per run, 1 full + $deltas delta report(s) each (gzip)"
printf '%-12s %10s %10s %10s %10s %10s %10s %8s\n' concurrency "full/s" "p50 ms" "p99 ms" \
  "delta/s" "p50 ms" "p99 ms" failed
first=0
ingest() { # CONCURRENCY DEVICES DELTAS [OPTION...] -> the JSON line in $T/ingest.json
  "$bin/ingest_load" --server "$base" --enroll-token "$enroll" --devices "$2" --first "$first" \
    --concurrency "$1" --deltas "$3" --shared "$VG_SHARED_DATA" "${@:4}" --roots "${roots[@]}" \
    >"$T/ingest.json" 2>"$T/ingest.err" || {
    echo "fleet_api.sh: ingest_load failed (concurrency $1):" >&2
    cat "$T/ingest.err" "$T/ingest.json" >&2
    exit 1
  }
  first=$((first + $2))
}
field() { # KEY.SUBKEY from $T/ingest.json
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); k=sys.argv[2].split(".")
v=d
for x in k: v=v[x]
print(v)' "$T/ingest.json" "$1"
}
sq0() { sqlite3 "$db" "$1" 2>/dev/null || echo "n/a"; }
start=$SECONDS
for c in 1 4 16; do
  ingest "$c" "$devices" "$deltas"
  printf '%-12s %10s %10s %10s %10s %10s %10s %8s\n' "$c" "$(field full.perSecond)" \
    "$(field full.p50Ms)" "$(field full.p99Ms)" "$(field delta.perSecond)" "$(field delta.p50Ms)" \
    "$(field delta.p99Ms)" "$(field failed)"
done
echo "report size: full $(field full.avgJsonBytes) B JSON / $(field full.avgGzipBytes) B gzip," \
  "delta $(field delta.avgJsonBytes) B / $(field delta.avgGzipBytes) B;" \
  "$(field distinctTuples) distinct tuples in the last run's $devices devices"
# The same with the configuration section: each root assessed against the shipped baseline
# (content/, the catalog vigild loads), each device its root's results with some flipped.
for c in 1 16; do
  ingest "$c" "$devices" "$deltas" --policies content
  printf '%-12s %10s %10s %10s %10s %10s %10s %8s\n' "$c +config" "$(field full.perSecond)" \
    "$(field full.p50Ms)" "$(field full.p99Ms)" "$(field delta.perSecond)" "$(field delta.p50Ms)" \
    "$(field delta.p99Ms)" "$(field failed)"
done
echo "report size with the configuration section: full $(field full.avgJsonBytes) B JSON /" \
  "$(field full.avgGzipBytes) B gzip; $(sq0 'select count(*) from device_config') results stored"

if [ "$first" -lt "$total" ]; then
  t0=$SECONDS
  ingest 16 $((total - first)) 0
  echo "filled to $first devices in $((SECONDS - t0)) s: $(field full.perSecond) full reports/s at concurrency 16"
fi
sq() { sqlite3 "$db" "$1" 2>/dev/null || echo "n/a"; }
echo "store: $(sq 'select count(*) from device') devices, $(sq 'select count(*) from device_tuple') device tuples," \
  "$(sq 'select count(*) from tuple') distinct tuples, $(sq 'select count(*) from device_vuln') device findings (device_vuln)," \
  "$(sq 'select count(*) from tuple_vuln') tuple findings (tuple_vuln)"
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null 2>&1 || true
store_bytes=$(du -cb "$db"* | tail -1 | cut -f1)
awk -v s="$store_bytes" -v k="$kb_bytes" -v n="$first" 'BEGIN {
  printf "store size on disk: %.1f MiB after %d devices (knowledge base alone %.1f MiB: %.1f KiB per device)\n",
    s / 1048576, n, k / 1048576, (s - k) / 1024 / n }'

# ---- API latency ----
echo
if ! command -v wrk >/dev/null; then
  echo "== API latency: SKIPPED, wrk is not installed (scripts/deps.sh bench)"
else
  echo "== API latency: wrk -t2 -c16 -d${wrk_seconds}s, $first devices, analyst token;" \
    "median of $wrk_runs runs (by p50)"
  printf '%-22s %8s %10s %10s %12s %12s  %s\n' endpoint status "p50 ms" "p99 ms" "requests/s" \
    "wrk non-2xx" "statuses counted by fleet_api.lua (all runs)"
  for ep in /api/machines /api/vulnerabilities /api/exposureScore; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $analyst" "$base$ep")
    : >"$T/wrk.txt"
    : >"$T/non2xx.txt"
    for _ in $(seq "$wrk_runs"); do
      VIGIL_TOKEN=$analyst wrk -t2 -c16 -d"${wrk_seconds}s" --latency -s bench/fleet_api.lua \
        "$base$ep" >"$T/wrk.out" 2>&1 || true
      grep '^RESULT' "$T/wrk.out" >>"$T/wrk.txt" || { echo "wrk failed: $(tail -3 "$T/wrk.out")"; }
      # wrk's own count of error answers, summed over the runs.
      n=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$T/wrk.out" | grep -o '[0-9]*$' || echo 0)
      echo "$n" >>"$T/non2xx.txt"
    done
    # The median run by p50: sorted on p50, the middle line.
    line=$(sed 's/.*p50_us=\([0-9]*\).*/\1 &/' "$T/wrk.txt" | sort -n | awk '{a[NR]=$0} END {print a[int((NR + 1) / 2)]}')
    p50=$(grep -o 'p50_us=[0-9]*' <<<"$line" | cut -d= -f2)
    p99=$(grep -o 'p99_us=[0-9]*' <<<"$line" | cut -d= -f2)
    reqs=$(grep -o 'requests=[0-9]*' <<<"$line" | cut -d= -f2)
    statuses=$(grep -o 'statuses=[^ ]*' "$T/wrk.txt" | cut -d= -f2 | tr ',' '\n' |
      awk -F: 'NF == 2 {n[$1] += $2} END {for (s in n) printf "%s:%d ", s, n[s]}')
    note=
    case "$status" in 2??) ;; *) note="  <- NOT 2xx: these are the times of an error answer" ;; esac
    non2xx=$(awk '{n += $1} END {print n + 0}' "$T/non2xx.txt")
    printf '%-22s %8s %10.2f %10.2f %12.0f %12s  %s%s\n' "$ep" "$status" \
      "$(awk -v v="${p50:-0}" 'BEGIN {print v / 1000}')" "$(awk -v v="${p99:-0}" 'BEGIN {print v / 1000}')" \
      "$(awk -v r="${reqs:-0}" -v s="$wrk_seconds" 'BEGIN {print r / s}')" "$non2xx" "$statuses" "$note"
  done
fi

# ---- peak RSS ----
echo
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
echo "== peak RSS"
echo "vigild (VmHWM after ingest and API runs, $first devices): $hwm KiB ($(awk -v k="$hwm" 'BEGIN {printf "%.1f MiB", k / 1024}'))"
agent() { # LABEL ROOT
  "$bin/measure" --label "$1" 3 -- sh -c 'rm -rf "$0"; mkdir -p "$0"; exec "$@" 2>/dev/null' "$T/agent-state" \
    "$bin/vigil-agent" --server "$base" --enroll-token "$enroll" --state-dir "$T/agent-state" \
    --root "$2" --timeout 30 --once
}
agent "vigil-agent --once, this host (/), full report" /
agent "vigil-agent --once, fixture scan-debian11" tests/data/roots/scan-debian11

kill "$PID"
wait "$PID" 2>/dev/null || true
PID=
echo "fleet bench: $((SECONDS - start)) s"
if grep -q '"level":"error"' "$T/vigild.log"; then
  echo "vigild logged errors:"
  grep '"level":"error"' "$T/vigild.log" | head -5
fi
