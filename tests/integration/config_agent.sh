#!/usr/bin/env bash
# config_agent.sh - vigil-agent's configuration assessment against the real vigild
# (issue 6): the first full report carries the "configuration" section (stored in
# device_section and device_config), an edit of the root's etc/ssh/sshd_config is seen
# by inotify and sent within 10 s as a delta with only the changed configuration
# section, an unrelated file in etc/ sends nothing, --no-policies then sends a full
# report without the section (the server drops the device's results), and a policy
# that does not load stops the agent with exit 2.
. "$(dirname "$0")/lib.sh"
: "${VIGILD:?}" "${VIGIL_AGENT:?}"

PID=
AGENT=
cleanup() {
  [ -n "$AGENT" ] && kill -KILL "$AGENT" 2>/dev/null
  [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
DB=$TMP/vigil.db
POLICY=$VG_TEST_DATA/config-scan/baseline.yml
schema=$(cd "$(dirname "$0")/../../docs/schemas" && pwd)/inventory.schema.json

sql() { sqlite3 "$DB" "$1"; }
# wait_for FILE REGEX SECONDS: until FILE has a line matching REGEX; false on timeout.
wait_for() {
  local i
  for i in $(seq $(($3 * 10))); do
    grep -qE -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

cp -r "$VG_TEST_DATA/roots/config-noncompliant" "$TMP/root"
start_vigild "$TMP/log" "$DB" --threads 2
TOKEN=$("$VIGIL" token create --db "$DB" --role enroll --name cfg 2>/dev/null)

# ---- a policy that does not load: exit 2 before anything else --------------------------------
expect_match "bad policy: exit 2 with the loader's message" 2 "broken\.yml:14:[0-9]+: .*impact" stderr -- \
  "$VIGIL_AGENT" --server "$BASE" --root "$TMP/root" --state-dir "$TMP/state-bad" --once \
  --timeout 3 --enroll-token "$TOKEN" --policies "$VG_TEST_DATA/config-scan/broken.yml"
expect_match "--no-policies with --policies" 2 "exclude each other" stderr -- \
  "$VIGIL_AGENT" --server "$BASE" --no-policies --policies "$POLICY"
expect_match "bad --command-timeout" 2 "bad --command-timeout" stderr -- \
  "$VIGIL_AGENT" --server "$BASE" --command-timeout 0

# ---- long-running agent: the first full report ----------------------------------------------------
"$VIGIL_AGENT" --server "$BASE" --root "$TMP/root" --state-dir "$TMP/state" --interval 3600 \
  --timeout 5 --enroll-token "$TOKEN" --policies "$POLICY" 2>"$TMP/agent.log" &
AGENT=$!
if wait_for "$TMP/agent.log" "delivered full report" 20; then ok
else not_ok "no full report: $(head -c 800 "$TMP/agent.log")"; fi
grep -qE "collected .*, 6 configuration results" "$TMP/agent.log" && ok ||
  not_ok "collection line: $(grep collected "$TMP/agent.log")"
expect_out "full report applied the configuration section" 0 \
  "full|device,packages,processes,listeners,accounts,configuration" -- \
  sql "select kind, applied from device_report"
expect_out "stored configuration section: 6 items" 0 "6" -- \
  sql "select count from device_section where name = 'configuration'"
expect_out "device_config rows" 0 $'scid-101|failed\nscid-102|failed\nscid-103|failed\nscid-104|passed\nscid-105|passed\nscid-106|notApplicable' -- \
  sql "select check_id, result from device_config where policy = 'test-scan' order by check_id"
expect_out "scid-101 reason and evidence" 0 \
  "PermitRootLogin is 'yes' (/etc/ssh/sshd_config:3), want 'no'|/etc/ssh/sshd_config:3: PermitRootLogin yes" -- \
  sql "select reason, evidence from device_config where check_id = 'scid-101'"
# The stored section is what the agent sent: it matches the document's schema, sorted by (policy, id).
if /usr/bin/python3 - "$schema" "$DB" >"$TMP/py.out" 2>&1 <<'PY'
import json, sqlite3, sys, zlib
import jsonschema
schema = json.load(open(sys.argv[1]))
enc, raw = sqlite3.connect(sys.argv[2]).execute(
    "select enc, body from device_section where name = 'configuration'").fetchone()
if isinstance(raw, str):
    raw = raw.encode()
body = json.loads(zlib.decompress(raw) if enc == "zlib" else raw)
sub = dict(schema["properties"]["configuration"])
jsonschema.Draft202012Validator(sub).validate(body)
keys = [(x["policy"], x["id"]) for x in body]
assert keys == sorted(keys), keys
assert "reason" not in body[5] or body[5]["reason"].startswith("does not apply"), body[5]
assert "evidence" not in body[5], body[5]
PY
then ok; else not_ok "stored configuration section: $(cat "$TMP/py.out")"; fi

# ---- an unrelated file under etc/ changes nothing ---------------------------------------------------
echo hello >"$TMP/root/etc/motd"
sleep 3
if grep -q "changed" "$TMP/agent.log"; then not_ok "etc/motd triggered a run: $(grep changed "$TMP/agent.log")"; else ok; fi

# ---- editing sshd_config: a delta with the configuration section within 10 s ---------------------
sed -i 's/^PermitRootLogin yes$/PermitRootLogin no/' "$TMP/root/etc/ssh/sshd_config"
if wait_for "$TMP/agent.log" "delivered delta report" 10; then ok
else not_ok "no delta within 10 s: $(tail -c 800 "$TMP/agent.log")"; fi
grep -q "configuration changed" "$TMP/agent.log" && ok || not_ok "no 'configuration changed' in the log"
expect_out "the delta carried only the configuration" 0 "delta|configuration" -- \
  sql "select kind, applied from device_report where kind = 'delta'"
expect_out "scid-101 now passes" 0 "passed" -- \
  sql "select result from device_config where check_id = 'scid-101'"
expect_out "its history row" 0 "passed|failed" -- \
  sql "select result, previous from device_config_history where check_id = 'scid-101' and previous is not null"
expect_out "the other results unchanged" 0 "failed" -- \
  sql "select result from device_config where check_id = 'scid-102'"

kill -TERM "$AGENT"
wait "$AGENT"
rc=$?
AGENT=
[ "$rc" -eq 0 ] && ok || not_ok "agent exit on SIGTERM: $rc"

# ---- --once: nothing changed, nothing sent; --no-policies: a full report without the section ------
agent() { "$VIGIL_AGENT" --server "$BASE" --root "$TMP/root" --state-dir "$TMP/state" --once --timeout 3 "$@"; }
expect_match "nothing changed, nothing sent" 0 "no change since the last report" stdout -- agent --policies "$POLICY"
expect_match "--no-policies: a full report" 0 "delivered full report" stderr -- agent --no-policies
expect_out "the server dropped the device's results" 0 "0" -- sql "select count(*) from device_config"
expect_out "and the section" 0 "0" -- sql "select count(*) from device_section where name = 'configuration'"
expect_match "--no-policies again: nothing sent" 0 "no change since the last report" stdout -- agent --no-policies
expect_match "policies again: a delta with the section" 0 "delivered delta report" stderr -- agent --policies "$POLICY"
expect_out "results back" 0 "6" -- sql "select count(*) from device_config"

kill -TERM "$PID"; wait "$PID"; PID=
finish
