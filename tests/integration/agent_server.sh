#!/usr/bin/env bash
# agent_server.sh - the agent protocol from outside (docs/agent-protocol.md):
# enrollment with an enroll token, full, duplicate, delta and stale reports,
# gzip bodies, and the 400/401/403/409 answers; the stored state is then
# checked with sqlite3 against the document posted.
source "$(dirname "$0")/lib.sh"
: "${VIGILD:?run through ctest (VIGILD is not set)}"

for c in curl python3 sqlite3 gzip; do
  command -v $c >/dev/null || { echo "$c not installed: skipped"; exit 77; }
done

PID=
cleanup() { [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
DB=$TMP/kb.db


# check DESC WANT_STATUS BODY_REGEX -- CURL_ARGS...
check() {
  local desc=$1 want=$2 regex=$3 code; shift 4
  code=$(curl -s -o "$TMP/body" -w '%{http_code}' "$@")
  if [ "$code" != "$want" ]; then
    not_ok "$desc: status $code, want $want (body: $(head -c 300 "$TMP/body"))"
  elif ! grep -qE -- "$regex" "$TMP/body"; then
    not_ok "$desc: body does not match /$regex/: $(head -c 300 "$TMP/body")"
  else
    ok
  fi
}

# sql_is DESC WANT SQL
sql_is() {
  local got
  got=$(sqlite3 "$DB" "$3" 2>&1)
  if [ "$got" = "$2" ]; then ok; else not_ok "$1: '$got', want '$2'"; fi
}

# rcheck DESC WANT_STATUS BODY_REGEX ID KIND FILE [CURL_ARGS...]: POST a report with the agent token.
rcheck() {
  local desc=$1 want=$2 regex=$3 id=$4 kind=$5 file=$6; shift 6
  check "$desc" "$want" "$regex" -- -X POST "$BASE/agent/v1/report" -H "Authorization: Bearer $AGENT" \
    -H "X-Vigil-Report-Id: $id" -H "X-Vigil-Report-Kind: $kind" --data-binary "@$file" "$@"
}

"$VIGIL" inventory --root "$VG_TEST_DATA/roots/scan-debian11" --compact >"$TMP/full.json" ||
  { echo "vigil inventory failed"; exit 1; }
gzip -c "$TMP/full.json" >"$TMP/full.json.gz"
# Distinct (source, version) pairs of the document, counted independently.
pairs() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(len({(p.get("sourceName") or p["name"], p.get("sourceVersion") or p["version"]) for p in d["packages"]}))' "$1"
}
# A delta: the last package removed, its packages hash changed (the server keeps the agent's).
python3 - "$TMP/full.json" "$TMP/delta.json" "$TMP/stale.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
pk = d["packages"][:-1]
sec = dict(d["sections"])
sec["packages"] = {"hash": "sha256:" + "ab" * 32, "count": len(pk)}
json.dump({"schemaVersion": "1.0", "sections": sec, "packages": pk}, open(sys.argv[2], "w"))
sec = dict(sec)
sec["accounts"] = {"hash": "sha256:" + "cd" * 32, "count": 0}
json.dump({"schemaVersion": "1.0", "sections": sec, "packages": pk}, open(sys.argv[3], "w"))
PY

ENROLL=$("$VIGIL" token create --db "$DB" --role enroll 2>"$TMP/tok.err") ||
  { echo "token create failed: $(cat "$TMP/tok.err")"; exit 1; }
ANALYST=$("$VIGIL" token create --db "$DB" --role analyst 2>>"$TMP/tok.err")
start_vigild "$TMP/vigild.log" "$DB" --threads 2

# --- enrollment ----------------------------------------------------------------
BODY='{"machineId":"0123456789abcdef0123456789abcdef","hostname":"scan-bullseye","os":{"namespace":"debian:11"}}'
check "enroll" 201 '^\{"deviceId":"dev_[0-9a-f]{32}","token":"vgt_[A-Za-z0-9_-]{43}"\}$' \
  -- -X POST "$BASE/agent/v1/enroll" -H "Authorization: Bearer $ENROLL" -d "$BODY"
DEV=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["deviceId"])' "$TMP/body")
OLD=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$TMP/body")
check "enroll again: same device" 201 "\"deviceId\":\"$DEV\"" \
  -- -X POST "$BASE/agent/v1/enroll" -H "Authorization: Bearer $ENROLL" -d "$BODY"
AGENT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$TMP/body")
check "enroll without token" 401 '"code":"Unauthorized"' -- -X POST "$BASE/agent/v1/enroll" -d "$BODY"
check "enroll with an analyst token" 403 '"code":"Forbidden"' \
  -- -X POST "$BASE/agent/v1/enroll" -H "Authorization: Bearer $ANALYST" -d "$BODY"
check "enroll without machineId" 400 "machineId" \
  -- -X POST "$BASE/agent/v1/enroll" -H "Authorization: Bearer $ENROLL" -d '{"hostname":"x"}'
check "enroll with malformed JSON" 400 '"code":"BadRequest"' \
  -- -X POST "$BASE/agent/v1/enroll" -H "Authorization: Bearer $ENROLL" -d '{"machineId":'

# --- reports -------------------------------------------------------------------
check "previous agent token revoked" 401 '"code":"Unauthorized"' \
  -- -X POST "$BASE/agent/v1/report" -H "Authorization: Bearer $OLD" \
  -H "X-Vigil-Report-Id: r0" -H "X-Vigil-Report-Kind: full" --data-binary "@$TMP/full.json"
rcheck "full report" 200 \
  '^\{"reportId":"r1","duplicate":false,"applied":\["device","packages","processes","listeners","accounts"\]\}$' r1 full "$TMP/full.json"
rcheck "same report again" 200 '^\{"reportId":"r1","duplicate":true,"applied":\["device",' r1 full "$TMP/full.json"
rcheck "gzip full report, nothing changed" 200 '^\{"reportId":"r2","duplicate":false,"applied":\[\]\}$' \
  r2 full "$TMP/full.json.gz" -H "Content-Encoding: gzip"
sql_is "one device" 1 "SELECT count(*) FROM device"
sql_is "tuples of the full report" "$(pairs "$TMP/full.json")" \
  "SELECT count(*) FROM device_tuple WHERE device_id = '$DEV'"
sql_is "packages count" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["packages"]))' "$TMP/full.json")" \
  "SELECT count FROM device_section WHERE name = 'packages'"

rcheck "delta" 200 '^\{"reportId":"r3","duplicate":false,"applied":\["packages"\]\}$' r3 delta "$TMP/delta.json"
sql_is "tuples after the delta" "$(pairs "$TMP/delta.json")" \
  "SELECT count(*) FROM device_tuple WHERE device_id = '$DEV'"
rcheck "stale delta" 409 '^\{"error":\{"code":"fullReportRequired","message":"[^"]*accounts' \
  r4 delta "$TMP/stale.json"
sql_is "stale delta not recorded" 0 "SELECT count(*) FROM device_report WHERE report_id = 'r4'"

check "report without token" 401 '"code":"Unauthorized"' \
  -- -X POST "$BASE/agent/v1/report" -H "X-Vigil-Report-Id: r5" -H "X-Vigil-Report-Kind: full" \
  --data-binary "@$TMP/full.json"
check "report with a bad token" 401 '"code":"Unauthorized"' \
  -- -X POST "$BASE/agent/v1/report" -H "Authorization: Bearer vgt_nope" \
  -H "X-Vigil-Report-Id: r5" -H "X-Vigil-Report-Kind: full" --data-binary "@$TMP/full.json"
check "report with an analyst token" 403 '"code":"Forbidden"' \
  -- -X POST "$BASE/agent/v1/report" -H "Authorization: Bearer $ANALYST" \
  -H "X-Vigil-Report-Id: r5" -H "X-Vigil-Report-Kind: full" --data-binary "@$TMP/full.json"
check "report with the enroll token" 403 '"code":"Forbidden"' \
  -- -X POST "$BASE/agent/v1/report" -H "Authorization: Bearer $ENROLL" \
  -H "X-Vigil-Report-Id: r5" -H "X-Vigil-Report-Kind: full" --data-binary "@$TMP/full.json"
printf '{"schemaVersion":"1.0",' >"$TMP/bad.json"
rcheck "malformed JSON" 400 '"code":"BadRequest","message":"the report is not JSON' \
  r6 full "$TMP/bad.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["schemaVersion"]="2.0"; json.dump(d,open(sys.argv[2],"w"))' \
  "$TMP/full.json" "$TMP/v2.json"
rcheck "wrong schema version" 400 "'schemaVersion'" r7 full "$TMP/v2.json"
rcheck "bad report id" 400 "X-Vigil-Report-Id" 'a b' full "$TMP/full.json"
rcheck "bad report kind" 400 "X-Vigil-Report-Kind" r8 partial "$TMP/full.json"
# An agent token's reports are rate-limited (60 a minute): resending r1 (a duplicate, so
# nothing is stored) soon gets 429 with Retry-After, which the agent honours.
limited=
for i in $(seq 70); do
  st=$(curl -s -o "$TMP/rl.body" -D "$TMP/rl.hdr" -w '%{http_code}' -X POST "$BASE/agent/v1/report" \
    -H "Authorization: Bearer $AGENT" -H "X-Vigil-Report-Id: r1" -H "X-Vigil-Report-Kind: full" \
    --data-binary "@$TMP/full.json")
  if [ "$st" = 429 ]; then limited=$i; break; fi
  [ "$st" = 200 ] || { not_ok "rate limit: request $i answered $st"; break; }
done
if [ -n "$limited" ] && [ "$limited" -le 61 ] && grep -qi '^Retry-After: [1-9]' "$TMP/rl.hdr" &&
  grep -q '"code":"TooManyRequests"' "$TMP/rl.body"; then ok; else
  not_ok "agent reports: no 429 with Retry-After within 61 requests (got '$limited')"; fi
sql_is "reports stored" "r1 r2 r3" \
  "SELECT group_concat(report_id, ' ') FROM (SELECT report_id FROM device_report ORDER BY report_id)"
sql_is "agent tokens: one active" 1 \
  "SELECT count(*) FROM api_token WHERE device_id = '$DEV' AND revoked_at IS NULL"

kill -TERM "$PID"
wait "$PID"; rc=$?
PID=
if [ "$rc" -eq 0 ]; then ok; else not_ok "vigild exit $rc after SIGTERM"; fi
finish
