# api_lib.sh - a fleet behind a real vigild for the /api tests (sourced after lib.sh).
#
# api_fleet: imports the real feeds of ../shared/data the scan test uses (Debian DSA/DLA
# lists, Alpine 3.15 secdb, PYSEC, NVD samples, KEV, EPSS) into a temporary store, starts
# vigild on it, creates tokens ($ENROLL, $ADMIN, $ANALYST, $ITADMIN) and enrolls the fixture
# roots scan-debian11, scan-debian10, scan-alpine315 and scan-python with the real agent
# (--once); their device ids are in $D11 $D10 $A315 $PY.  Then:
#   call METHOD PATH [CURL ARGS]  status on stdout, body in $TMP/body, headers in $TMP/hdr
#   get PATH [CURL ARGS]          call GET with the admin token
#   jq_ EXPR                      a Python expression over the JSON body `d`
#   sql SQL                       sqlite3 on the store
: "${VIGILD:?}" "${VIGIL_AGENT:?}" "${VIGIL:?}"

PID=
cleanup() { [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
DB=$TMP/vigil.db
sql() { sqlite3 "$DB" "$1"; }
call() {
  local method=$1 path=${2// /%20}; shift 2
  curl -s -g -o "$TMP/body" -D "$TMP/hdr" -w '%{http_code}' -X "$method" "$@" "$BASE$path"
}
get() { call GET "$1" -H "Authorization: Bearer $ADMIN" "${@:2}"; }
jq_() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$TMP/body" "$1"; }

# device_of ROOT: the device id the agent of ROOT was given (its state dir's identity).
device_of() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["deviceId"])' \
    "$TMP/state-$1/identity" 2>/dev/null
}

api_fleet() {
  local D=$VG_SHARED_DATA LISTS=$VG_SHARED_DATA/debian-security-tracker/salsa-format_2023-04/data root
  if ! "$VIGIL" feeds import --db "$DB" "$LISTS/DSA/list" "$LISTS/DLA/list" \
    "$D/alpine-secdb/vunnel_alpine_v3.15_main.yaml" "$D/alpine-secdb/vunnel_alpine_v3.15_community.yaml" \
    "$D/osv/pypa-pysec" "$D/nvd/nvd-api-2.0_single/CVE-2023-4863.json" \
    "$D/nvd/nvd-api-2.0_merged-sample.json" "$D/nvd/cve-json-5/CVE-2021-44228.json" \
    "$D/kev/known_exploited_vulnerabilities.json" "$D/epss/epss_scores-2026-08-16.csv" \
    >"$TMP/import.out" 2>&1; then
    not_ok "feeds import failed: $(tail -5 "$TMP/import.out")"
    finish; exit
  fi
  start_vigild "$TMP/vigild.log" "$DB" --threads 2
  ENROLL=$("$VIGIL" token create --db "$DB" --role enroll --name api 2>/dev/null)
  ADMIN=$("$VIGIL" token create --db "$DB" --role admin --name api-admin 2>/dev/null)
  ANALYST=$("$VIGIL" token create --db "$DB" --role analyst --name api-analyst 2>/dev/null)
  ITADMIN=$("$VIGIL" token create --db "$DB" --role itAdmin --name api-itadmin 2>/dev/null)
  for root in scan-debian11 scan-debian10 scan-alpine315 scan-python; do
    cp -r "$VG_TEST_DATA/roots/$root" "$TMP/$root"
    "$VIGIL_AGENT" --server "$BASE" --root "$TMP/$root" --state-dir "$TMP/state-$root" \
      --once --timeout 10 --enroll-token "$ENROLL" >"$TMP/agent-$root.log" 2>&1 ||
      not_ok "enroll $root: $(tail -3 "$TMP/agent-$root.log")"
  done
  D11=$(device_of scan-debian11) D10=$(device_of scan-debian10)
  A315=$(device_of scan-alpine315) PY=$(device_of scan-python)
}
