#!/usr/bin/env bash
# api.sh - the Defender-compatible /api against a real vigild with devices
# enrolled by the real agent (docs/api.md): the machines resource, the
# OData options, the CSV variant, errors and authentication.  Later
# resources append their sections before `finish`.
. "$(dirname "$0")/lib.sh"
: "${VIGILD:?}" "${VIGIL_AGENT:?}"

PID=
cleanup() { [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
DB=$TMP/vigil.db
sql() { sqlite3 "$DB" "$1"; }

start_vigild "$TMP/log" "$DB" --threads 2
ENROLL=$("$VIGIL" token create --db "$DB" --role enroll --name api 2>/dev/null)
ADMIN=$("$VIGIL" token create --db "$DB" --role admin --name api-admin 2>/dev/null)
ANALYST=$("$VIGIL" token create --db "$DB" --role analyst --name api-analyst 2>/dev/null)

# Three devices: two Debian roots with a hostname, one Alpine root without.
for root in scan-debian11 scan-debian10 scan-alpine315; do
  cp -r "$VG_TEST_DATA/roots/$root" "$TMP/$root"
  "$VIGIL_AGENT" --server "$BASE" --root "$TMP/$root" --state-dir "$TMP/state-$root" \
    --once --timeout 3 --enroll-token "$ENROLL" >/dev/null 2>&1 || not_ok "enroll $root"
done
expect_out "three devices enrolled" 0 "3" -- sql "select count(*) from device"
# Known ages for the lastSeen and healthStatus checks: buster seen 30 days ago.
NOW=$(date +%s)
sql "update device set last_seen = $NOW - 2592000, first_seen = 1600000000 where hostname = 'scan-buster'"
sql "update device set value = 'High', group_name = 'Servers', tags = '[\"prod\",\"web\"]' where hostname = 'scan-bullseye'"

# call METHOD PATH [CURL ARGS...] (spaces in PATH are encoded): status to stdout, body in $TMP/body, headers in $TMP/hdr.
call() {
  local method=$1 path=${2// /%20}; shift 2
  curl -s -g -o "$TMP/body" -D "$TMP/hdr" -w '%{http_code}' -X "$method" "$@" "$BASE$path"
}
get() { call GET "$1" -H "Authorization: Bearer $ADMIN" "${@:2}"; }
# jq_ EXPR: evaluate the Python expression EXPR over the JSON body `d`.
jq_() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$TMP/body" "$1"; }
# names PATH: status and the sorted computerDnsName values of a collection.
names() {
  local st; st=$(get "$1")
  printf '%s %s' "$st" "$(jq_ '",".join(sorted(str(m["computerDnsName"]) for m in d["value"]))' 2>/dev/null)"
}

# ---- envelope and fields ----------------------------------------------------------
expect_out "list: 200" 0 "200" -- get "/api/machines"
expect_out "list: context" 0 "$BASE/api/\$metadata#Machines" -- jq_ 'd["@odata.context"]'
expect_out "list: three machines" 0 "3" -- jq_ 'len(d["value"])'
expect_match "list: OData-Version header" 0 '^OData-Version: 4.0' stdout -- cat "$TMP/hdr"
expect_match "list: content type" 0 \
  '^Content-Type: application/json; odata.metadata=minimal; charset=utf-8' stdout -- cat "$TMP/hdr"
expect_out "list: Machine properties" 0 \
  "aadDeviceId computerDnsName deviceValue exposureLevel exposureScore firstSeen healthStatus id ipAddresses isAadJoined kernelVersion lastExternalIpAddress lastIpAddress lastSeen machineTags onboardingStatus osArchitecture osBuild osPlatform osProcessor osVersion rbacGroupId rbacGroupName riskScore version" \
  -- jq_ '" ".join(sorted(d["value"][0].keys()))'
get "/api/machines?\$filter=computerDnsName eq 'scan-bullseye'" >/dev/null
expect_out "bullseye: values and types" 0 \
  "True High Servers Servers ['prod', 'web'] Onboarded Active None [] False None" -- \
  jq_ '(lambda m: " ".join(map(str, [len(m["id"]) > 0, m["deviceValue"], m["rbacGroupName"], m["rbacGroupId"], m["machineTags"], m["onboardingStatus"], m["healthStatus"], m["riskScore"], m["ipAddresses"], m["isAadJoined"], m["lastIpAddress"]])))(d["value"][0])'
expect_match "bullseye: datetimes" 0 '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z [0-9]{4}-' stdout -- \
  jq_ 'd["value"][0]["firstSeen"] + " " + d["value"][0]["lastSeen"]'
expect_out "bullseye: exposure level of a score 0" 0 "None 0" -- \
  jq_ 'd["value"][0]["exposureLevel"] + " " + str(d["value"][0]["exposureScore"])'
BULLSEYE=$(sql "select id from device where hostname = 'scan-bullseye'")
BUSTER=$(sql "select id from device where hostname = 'scan-buster'")

# ---- $filter ---------------------------------------------------------------------
expect_out "filter eq" 0 "200 scan-buster" -- names "/api/machines?\$filter=computerDnsName eq 'scan-buster'"
expect_out "filter startswith" 0 "200 scan-bullseye,scan-buster" -- \
  names "/api/machines?\$filter=startswith(computerDnsName,'SCAN-bu')"
expect_out "filter in" 0 "200 scan-bullseye" -- \
  names "/api/machines?\$filter=deviceValue in ('High','Low')"
expect_out "filter lastSeen gt datetime" 0 "200 None,scan-bullseye" -- \
  names "/api/machines?\$filter=lastSeen gt $(date -u -d @$((NOW - 86400)) +%Y-%m-%dT%H:%M:%SZ)"
expect_out "filter firstSeen eq exact second" 0 "200 scan-buster" -- \
  names "/api/machines?\$filter=firstSeen eq 2020-09-13T12:26:40Z"
expect_out "filter healthStatus (computed)" 0 "200 scan-buster" -- \
  names "/api/machines?\$filter=healthStatus eq 'Inactive'"
expect_out "filter exposureLevel (computed)" 0 "200 None,scan-bullseye,scan-buster" -- \
  names "/api/machines?\$filter=exposureLevel eq 'None'"
expect_out "filter and/or/not with parentheses" 0 "200 scan-bullseye" -- \
  names "/api/machines?\$filter=(computerDnsName eq 'scan-buster' or deviceValue eq 'High') and not (healthStatus eq 'Inactive')"
expect_out "filter eq null" 0 "200 None" -- names "/api/machines?\$filter=computerDnsName eq null"
expect_out "filter id" 0 "200 scan-buster" -- names "/api/machines?\$filter=id eq '$BUSTER'"
expect_out "filter machineTags contains" 0 "200 scan-bullseye" -- \
  names "/api/machines?\$filter=contains(machineTags,'web')"
expect_out "filter rbacGroupId" 0 "200 scan-bullseye" -- names "/api/machines?\$filter=rbacGroupId eq 'Servers'"
expect_out "filter onboardingStatus, riskScore" 0 "200 None,scan-bullseye,scan-buster" -- \
  names "/api/machines?\$filter=onboardingStatus eq 'Onboarded' and riskScore eq 'None'"
expect_out "filter quote injection is a literal" 0 "200 " -- \
  names "/api/machines?\$filter=computerDnsName eq 'x'' or 1=1 --'"
expect_out "bad filter: 400" 0 "400" -- get "/api/machines?\$filter=computerDnsName eq"
expect_out "bad filter: ODataError with the column" 0 "ODataError True" -- \
  jq_ 'd["error"]["code"] + " " + str(d["error"]["message"].startswith("$filter: column"))'
expect_out "unknown field: 400" 0 "400" -- get "/api/machines?\$filter=nosuch eq 1"
expect_out "type mismatch: 400" 0 "400" -- get "/api/machines?\$filter=lastSeen eq 'x'"

# ---- $top, $skip, $select, $orderby -----------------------------------------------
get "/api/machines?\$orderby=computerDnsName desc" >/dev/null
expect_out "orderby desc (nulls last)" 0 "scan-buster,scan-bullseye,None" -- \
  jq_ '",".join(str(m["computerDnsName"]) for m in d["value"])'
get "/api/machines?\$orderby=computerDnsName&\$top=1&\$skip=1" >/dev/null
expect_out "top and skip" 0 "scan-bullseye" -- jq_ '",".join(str(m["computerDnsName"]) for m in d["value"])'
get "/api/machines?\$select=id,computerDnsName&\$filter=computerDnsName eq 'scan-buster'" >/dev/null
expect_out "select" 0 "id computerDnsName $BUSTER" -- \
  jq_ '" ".join(list(d["value"][0].keys()) + [d["value"][0]["id"]])'
expect_out "top above the maximum is lowered" 0 "200" -- get "/api/machines?\$top=20000"
expect_out "bad top: 400" 0 "400" -- get "/api/machines?\$top=-1"
expect_out "bad select: 400" 0 "400" -- get "/api/machines?\$select=nosuch"

# ---- single machine, paths ----------------------------------------------------------
expect_out "get by id: 200" 0 "200" -- get "/api/machines/$BUSTER"
expect_out "get by id: entity context" 0 "$BASE/api/\$metadata#Machines/\$entity scan-buster" -- \
  jq_ 'd["@odata.context"] + " " + d["computerDnsName"]'
expect_out "get by computer name" 0 "200 $BULLSEYE" -- bash -c 'printf "%s %s" "$1" "$2"' _ \
  "$(get /api/machines/scan-bullseye)" "$(jq_ 'd["id"]')"
expect_out "case-insensitive path" 0 "200" -- get "/api/Machines/$BUSTER"
# The reference's versioned form of every path, /api/v1.0/... (any case).
versioned() { local st; st=$(get "/api/V1.0/machines/$BUSTER"); printf '%s %s' "$st" "$(jq_ 'd["computerDnsName"]')"; }
expect_out "versioned path" 0 "200 scan-buster" -- versioned
expect_out "a version that does not exist" 0 "404" -- get "/api/v9.9/machines"
expect_out "case-insensitive collection path" 0 "200" -- get "/api/MACHINES"
expect_out "unknown machine: 404" 0 "404" -- get "/api/machines/nosuch"
expect_out "unknown machine: NotFound" 0 "NotFound" -- jq_ 'd["error"]["code"]'

# ---- setDeviceValue -------------------------------------------------------------------
setv() {
  call POST "/api/machines/$1/setDeviceValue" -H "Authorization: Bearer ${3:-$ADMIN}" \
    -H 'Content-Type: application/json' --data "$2"
}
expect_out "setDeviceValue: 200" 0 "200" -- setv "$BUSTER" '{"DeviceValue":"Low"}'
expect_out "setDeviceValue: updated Machine" 0 "Low $BUSTER" -- jq_ 'd["deviceValue"] + " " + d["id"]'
expect_out "setDeviceValue: stored" 0 "Low" -- sql "select value from device where id = '$BUSTER'"
expect_out "setDeviceValue: visible in the list" 0 "200 scan-buster" -- \
  names "/api/machines?\$filter=deviceValue eq 'Low'"
expect_out "setDeviceValue by name, path case" 0 "200" -- setv scan-buster '{"DeviceValue":"Normal"}'
expect_out "setDeviceValue: wrong case of the value" 0 "400" -- setv "$BUSTER" '{"DeviceValue":"high"}'
expect_out "setDeviceValue: InvalidRequestBody" 0 "InvalidRequestBody" -- jq_ 'd["error"]["code"]'
expect_out "setDeviceValue: property name is case-sensitive" 0 "400" -- setv "$BUSTER" '{"deviceValue":"High"}'
expect_out "setDeviceValue: not JSON" 0 "400" -- setv "$BUSTER" 'High'
expect_out "setDeviceValue: unknown machine" 0 "404" -- setv nosuch '{"DeviceValue":"High"}'
expect_out "setDeviceValue: analyst may not" 0 "403" -- setv "$BUSTER" '{"DeviceValue":"High"}' "$ANALYST"
expect_out "setDeviceValue: unchanged after 403" 0 "Normal" -- sql "select value from device where id = '$BUSTER'"

# ---- CSV ------------------------------------------------------------------------------
expect_out "csv: 200" 0 "200" -- \
  get "/api/machines?\$format=csv&\$select=computerDnsName,machineTags,deviceValue&\$orderby=computerDnsName"
expect_out "csv: body" 0 $'computerDnsName,machineTags,deviceValue\r\n,,Normal\r\nscan-bullseye,prod;web,High\r\nscan-buster,,Normal\r' -- \
  cat "$TMP/body"
expect_match "csv: content type" 0 '^Content-Type: text/csv' stdout -- cat "$TMP/hdr"
expect_match "csv: attachment" 0 'Content-Disposition: attachment; filename="Machines.csv"' stdout -- cat "$TMP/hdr"
expect_out "csv by Accept" 0 "200" -- get "/api/machines?\$select=id" -H 'Accept: text/csv'
expect_out "csv by Accept: header row" 0 "id" -- bash -c 'head -1 "$1" | tr -d "\r"' _ "$TMP/body"
sql "update device set hostname = 'a,\"b\"' where hostname = 'scan-buster'"
get "/api/machines?\$format=csv&\$select=computerDnsName&\$filter=startswith(computerDnsName,'a')" >/dev/null
expect_out "csv quoting" 0 $'computerDnsName\r\n"a,""b"""\r' -- cat "$TMP/body"
sql "update device set hostname = 'scan-buster' where hostname = 'a,\"b\"'"
expect_out "bad format: 400" 0 "400" -- get "/api/machines?\$format=xml"

# ---- authentication -------------------------------------------------------------------
expect_out "no token: 401" 0 "401" -- call GET /api/machines
expect_out "bad token: 401" 0 "401" -- call GET /api/machines -H "Authorization: Bearer vgt_nonsense"
expect_out "enroll token: 403" 0 "403" -- call GET /api/machines -H "Authorization: Bearer $ENROLL"
expect_out "analyst reads: 200" 0 "200" -- call GET /api/machines -H "Authorization: Bearer $ANALYST"

kill -TERM "$PID"; wait "$PID"; PID=
finish
