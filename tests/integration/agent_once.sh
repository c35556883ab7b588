#!/usr/bin/env bash
# agent_once.sh - vigil-agent (--once, and the long-running mode) against a mock of
# vigild's /agent/v1 endpoints (agent_mock_server.py): enrollment, FULL then DELTA by
# section hashes, nothing sent when nothing changed, the spool across an outage (exit 75,
# delivered exactly once later), 409 fullReportRequired, 401, 429, the state directory's
# permissions, and the loop mode
# (a delta after a dpkg status change, a periodic full report, SIGTERM).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${VIGIL_AGENT:?run through ctest (VIGIL_AGENT is not set)}"
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }

unset VIGIL_ENROLL_TOKEN
ETOK=enr_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
ROOT=$TMP/root
STATE=$TMP/state
MOCK_PID=
cp -r "$VG_TEST_DATA/roots/scan-debian11" "$ROOT"
printf '%s\n' "$ETOK" >"$TMP/etok"
trap '[ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null; rm -rf "$TMP"' EXIT

# start_mock [PORT]: start the mock (on PORT, else any free port) and set $PORT.
start_mock() {
  rm -f "$TMP/port"
  python3 "$here/agent_mock_server.py" --port "${1:-0}" --port-file "$TMP/port" \
    --log "$TMP/log" --mode "$TMP/mode" --state "$TMP/mock-state" --enroll-token "$ETOK" \
    2>>"$TMP/mock-stderr" &
  MOCK_PID=$!
  for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
  PORT=$(cat "$TMP/port" 2>/dev/null)
  [ -n "$PORT" ] || { echo "mock server did not start: $(cat "$TMP/mock-stderr")"; exit 1; }
}
stop_mock() { kill "$MOCK_PID"; wait "$MOCK_PID" 2>/dev/null; MOCK_PID=; }
mode() { printf '%s\n' "$1" >"$TMP/mode"; }

# --no-policies: the mock knows the five inventory sections only (the configuration section
# is covered by config_agent.sh against the real vigild).
agent() {
  "$VIGIL_AGENT" --server "http://127.0.0.1:$PORT" --root "$ROOT" --state-dir "$STATE" \
    --once --no-policies --timeout "${TIMEOUT:-10}" "$@"
}
# Log lines appended since the mark.
mark() { MARK=$(wc -l <"$TMP/log" 2>/dev/null || echo 0); }
since() { tail -n +"$((MARK + 1))" "$TMP/log"; }
# since_field PYEXPR: evaluate PYEXPR over the new log entries (list `e`).
since_py() {
  since | python3 -c 'import json,sys; e=[json.loads(l) for l in sys.stdin]; print('"$1"')'
}
spooled() { find "$STATE/spool" -name '*.rpt' | wc -l; }
bump_package() { # change one installed package's version in the root's dpkg status
  sed -i "0,/^Version: .*/s//Version: $1/" "$ROOT/var/lib/dpkg/status"
}

start_mock
mode ok

# --- usage ---
expect_match "help" 0 'vigil-agent --server URL' stdout -- "$VIGIL_AGENT" --help
expect_match "bad interval" 2 'bad --interval' stderr -- \
  "$VIGIL_AGENT" --server "http://127.0.0.1:$PORT" --state-dir "$STATE" --interval 0
expect_match "no server" 2 'server URL is required' stderr -- "$VIGIL_AGENT" --once
expect_match "not enrolled, no token" 1 'not enrolled yet' stderr -- agent
expect_match "bad enroll token" 1 'enroll token was refused' stderr -- agent --enroll-token wrong

# --- first run: enroll, then a gzip FULL whose sections match `vigil inventory` ---
mark
expect_match "first run" 0 'delivered full report' stderr -- agent --enroll-token-file "$TMP/etok"
want=$(since_py '[(x["path"], x["status"], x.get("kind"), x.get("encoding")) for x in e]')
[ "$want" = "[('/agent/v1/enroll', 201, None, None), ('/agent/v1/report', 200, 'full', 'gzip')]" ] \
  && ok || not_ok "first run requests: $want"
full_sent=$(since_py 'e[1]["sent"]')
[ "$full_sent" = "['device', 'packages', 'processes', 'listeners', 'accounts']" ] && ok ||
  not_ok "full report sections: $full_sent"
inv_sections=$("$VIGIL" inventory --root "$ROOT" --compact |
  python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["sections"], sort_keys=True))')
last=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))' \
  "$STATE/last-sections")
[ "$inv_sections" = "$last" ] && ok || not_ok "last-sections differ from vigil inventory's"
case "$(stat -c %a "$STATE/identity")" in 600) ok ;; *) not_ok "identity mode $(stat -c %a "$STATE/identity")" ;; esac
case "$(stat -c %a "$STATE")" in 700) ok ;; *) not_ok "state dir mode $(stat -c %a "$STATE")" ;; esac
if grep -rqF "$ETOK" "$STATE"; then not_ok "enroll token stored in the state dir"; else ok; fi
grep -q '"deviceId": *"dev-' "$STATE/identity" && ok || not_ok "identity has no deviceId"

# --- second run, nothing changed: nothing sent, no enroll token needed ---
mark
expect_out "no change" 0 "no change since the last report" -- agent
[ "$(since | wc -l)" -eq 0 ] && ok || not_ok "requests sent without a change: $(since)"

# --- a package changed: a DELTA with only packages (and the envelope) ---
bump_package 9.9.9-1
mark
expect_match "delta" 0 'delivered delta report' stderr -- agent
got=$(since_py '[(x["kind"], x["status"], x["sent"]) for x in e]')
[ "$got" = "[('delta', 200, ['device', 'packages'])]" ] && ok || not_ok "delta: $got"
keys=$(since_py 'e[0]["keys"]')
[ "$keys" = "['collectedAt', 'device', 'generator', 'packages', 'schemaVersion', 'sections']" ] &&
  ok || not_ok "delta keys: $keys"

# --- server failing (500, then connection closed, then down): exit 75, kept in the spool ---
bump_package 9.9.9-2
mode 500
mark
TIMEOUT=2 expect_match "500 -> tempfail" 75 'kept in the spool' stderr -- agent
[ "$(spooled)" -eq 1 ] && ok || not_ok "spool after 500: $(spooled) entries"
[ "$(since | wc -l)" -ge 1 ] && ok || not_ok "no attempt made"
mode close
TIMEOUT=2 expect_match "closed -> tempfail" 75 'kept in the spool' stderr -- agent
[ "$(spooled)" -eq 1 ] && ok || not_ok "spool after close: $(spooled) entries (no duplicate)"
stop_mock
OLDPORT=$PORT
TIMEOUT=2 expect_match "down -> tempfail" 75 'kept in the spool' stderr -- agent
[ "$(spooled)" -eq 1 ] && ok || not_ok "spool while down: $(spooled) entries"
queued_id=$(basename "$(find "$STATE/spool" -name '*.rpt')" .rpt | cut -d- -f3-)
start_mock "$OLDPORT"
mode ok
mark
expect_match "back up" 0 'delivered delta report' stderr -- agent
got=$(since_py '[(x["reportId"], x["status"]) for x in e]')
[ "$got" = "[('$queued_id', 200)]" ] && ok || not_ok "after the outage: $got (want $queued_id once)"
[ "$(spooled)" -eq 0 ] && ok || not_ok "spool not empty after delivery"

# --- 429 with Retry-After, then success within the timeout ---
bump_package 9.9.9-3
mode 429
( sleep 1.5; mode ok ) &
flip=$!
mark
TIMEOUT=20 expect_match "429 then ok" 0 'delivered delta report' stderr -- agent
wait "$flip"
got=$(since_py '[x["status"] for x in e]')
case "$got" in "[429, "*"200]") ok ;; *) not_ok "429 sequence: $got" ;; esac

# --- the server lost the device state: 409 on the delta, then a FULL ---
bump_package 9.9.9-4
mode forget
mark
expect_match "409 -> full" 0 'delivered full report' stderr -- agent
got=$(since_py '[(x["kind"], x["status"]) for x in e]')
[ "$got" = "[('delta', 409), ('full', 200)]" ] && ok || not_ok "409 sequence: $got"
[ "$(spooled)" -eq 0 ] && ok || not_ok "spool not empty after the full report"
mark
expect_out "no change after 409" 0 "no change since the last report" -- agent

# --- agent token refused: exit 1, the report stays queued, delivered once accepted again ---
bump_package 9.9.9-5
mode 401
expect_match "401" 1 'agent token was refused' stderr -- agent
[ "$(spooled)" -eq 1 ] && ok || not_ok "spool after 401: $(spooled) entries"
mode ok
mark
expect_match "after 401" 0 'delivered delta report' stderr -- agent
[ "$(since | wc -l)" -eq 1 ] && ok || not_ok "after 401: $(since)"

# --- long-running mode: a delta after a database change, a full every --interval, SIGTERM ---
"$VIGIL_AGENT" --server "http://127.0.0.1:$PORT" --root "$ROOT" --state-dir "$STATE" \
  --no-policies --interval 8 2>"$TMP/loop-stderr" >"$TMP/loop-stdout" &
loop_pid=$!
# wait_log PYEXPR: wait (up to 20 s) until PYEXPR holds over the log entries since the mark.
wait_log() {
  for _ in $(seq 200); do [ "$(since_py "$1")" = True ] && return 0; sleep 0.1; done
  return 1
}
mark
for _ in $(seq 100); do grep -q 'no change since' "$TMP/loop-stdout" && break; sleep 0.1; done
grep -q 'no change since' "$TMP/loop-stdout" && ok || not_ok "loop: first run: $(cat "$TMP/loop-stderr")"
bump_package 9.9.9-6
if wait_log 'any(x["kind"] == "delta" and x["status"] == 200 for x in e)'; then ok; else
  not_ok "loop: no delta after the change: $(since) $(tail -3 "$TMP/loop-stderr")"; fi
got=$(since_py '[(x["kind"], x["sent"]) for x in e if x["kind"] == "delta"]')
[ "$got" = "[('delta', ['device', 'packages'])]" ] && ok || not_ok "loop delta: $got"
if wait_log 'any(x["kind"] == "full" and x["status"] == 200 for x in e)'; then ok; else
  not_ok "loop: no periodic full report: $(since)"; fi
kill -TERM "$loop_pid"
wait "$loop_pid"; rc=$?
[ "$rc" -eq 0 ] && ok || not_ok "loop: exit $rc after SIGTERM: $(tail -3 "$TMP/loop-stderr")"
[ "$(spooled)" -eq 0 ] && ok || not_ok "loop: spool not empty"

finish
