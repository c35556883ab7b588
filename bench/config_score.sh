#!/usr/bin/env bash
# config_score.sh - the organization's Secure Score for devices at fleet scale
# (docs/internals/config.md "Speed"): vg_config_score_org() behind
# GET /api/configurationScore, on CONFIG_DEVICES devices (default 10,000) x CONFIG_CHECKS
# scored checks (default 150).
#
#   1. a generated Vigil-format policy of CONFIG_CHECKS checks (impacts 1-10, the five
#      categories in turn) and a store whose devices each have one result per check
#      (about 60 % passed, 20 % failed, 15 % notApplicable, 5 % error; 2 % of the devices
#      last seen 40 days ago, outside the window), written with sqlite3 through the
#      schema's own triggers (config_tally);
#   2. vigild starts on it with --policies the generated file: the catalog sync scores
#      every device (its time is reported);
#   3. CONFIG_RUNS (default 5) timed requests after one warm-up; the median is reported,
#      with the score the endpoint returned.
#
# Release binaries of build/release/bin (BIN=... to change), sqlite3 and curl.
# CONFIG_KEEP=1 keeps the generated store (its path is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build/release/bin}
devices=${CONFIG_DEVICES:-10000}
checks=${CONFIG_CHECKS:-150}
runs=${CONFIG_RUNS:-5}

for b in vigil vigild; do
  [ -x "$bin/$b" ] || { echo "config_score.sh: no $bin/$b (make build)" >&2; exit 1; }
done
for t in sqlite3 curl; do
  command -v "$t" >/dev/null || { echo "config_score.sh: $t is needed" >&2; exit 1; }
done
T=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  if [ -n "${CONFIG_KEEP:-}" ]; then echo "store kept: $db"; else rm -rf "$T"; fi
}
trap cleanup EXIT
db=$T/vigil.db

# The policy: scid-1 .. scid-N, one cheap rule each (the server never evaluates them).
cats=(Application OS Network Accounts "Security controls")
{
  printf 'policy:\n  format: vigil\n  id: bench\n  name: "Bench"\n  version: "1"\nchecks:\n'
  for ((i = 1; i <= checks; i++)); do
    printf '  - id: scid-%d\n    title: "Check %d"\n    category: %s\n    impact: %d\n' \
      "$i" "$i" "${cats[$(( i % 5 ))]}" $(( 1 + i % 10 ))
    printf '    rationale: "r"\n    remediation: "m"\n    references: ["bench %d"]\n' "$i"
    printf '    rules:\n      - file: /etc/passwd\n'
  done
} >"$T/bench.yml"

# The schema (any vigil command that opens the store migrates it), then the fleet.
analyst=$("$bin/vigil" token create --db "$db" --role analyst 2>/dev/null | head -1)
now=$(date +%s)
t0=$SECONDS
sqlite3 "$db" <<EOF
PRAGMA foreign_keys = ON;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $devices - 1)
INSERT INTO device (id, machine_id, first_seen, last_seen, config_points, config_max)
SELECT printf('dev_%032x', i), 'bench-' || i, $now,
       CASE WHEN i % 50 = 0 THEN $now - 40 * 86400 ELSE $now END, 0, 0 FROM n;
WITH RECURSIVE c(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM c WHERE j < $checks)
INSERT INTO device_config (device_id, policy, check_id, result, reason, first_seen, changed_at)
SELECT d.id, 'bench', 'scid-' || c.j,
       CASE abs(random()) % 20 WHEN 0 THEN 'error' WHEN 1 THEN 'notApplicable'
            WHEN 2 THEN 'notApplicable' WHEN 3 THEN 'notApplicable' WHEN 4 THEN 'failed'
            WHEN 5 THEN 'failed' WHEN 6 THEN 'failed' WHEN 7 THEN 'failed'
            ELSE 'passed' END,
       'reason', $now, $now
FROM device d, c;
COMMIT;
ANALYZE;
EOF
echo "store: $devices devices x $checks results written in $((SECONDS - t0)) s" \
  "($(du -m "$db" | cut -f1) MiB)"

# A free port: the first one nothing answers on.
port=
for p in $(seq 18300 18400); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "config_score.sh: no free port" >&2; exit 1; }
base=http://127.0.0.1:$port
t0=$(date +%s.%N)
"$bin/vigild" --listen "127.0.0.1:$port" --db "$db" --threads 2 --log-level info \
  --rate-limit off --policies "$T/bench.yml" 2>"$T/vigild.log" &
pid=$!
for _ in $(seq 1 600); do
  curl -sf "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$base/healthz" >/dev/null || { echo "vigild did not start: $(head -c 500 "$T/vigild.log")" >&2; exit 1; }
echo "vigild start with the catalog sync (every device scored): $(echo "$(date +%s.%N) - $t0" | bc) s"
grep -o '"msg":"configuration catalog[^"]*"' "$T/vigild.log" || true

url="$base/api/configurationScore"
curl -sf -H "Authorization: Bearer $analyst" "$url" >"$T/score.json" ||
  { echo "config_score.sh: $url failed" >&2; exit 1; }
times=()
for ((r = 0; r < runs; r++)); do
  times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $analyst" "$url")")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {printf "%.1f", a[int((NR + 1) / 2)] * 1000}')
echo "GET /api/configurationScore: median $median ms over $runs runs" \
  "(each: $(printf '%s ' "${times[@]}")s)"
echo "score: $(head -c 300 "$T/score.json")"
sqlite3 "$db" "SELECT 'devices scored: ' || count(*) FROM device WHERE config_max > 0"
