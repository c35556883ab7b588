#!/usr/bin/env bash
# api_software.sh - the Software, Recommendation and exposure-score resources of /api
# (docs/api.md "Software", "Recommendations", "Exposure score") against a real vigild with
# four devices enrolled by the real agent.  Every expected number is derived independently:
# the organization score and the impacts recomputed in Python from the store's rows with the
# formula of docs/scoring.md, the recommended version from `vigil scan` and
# `dpkg --compare-versions`, the counts from SQL.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"
api_fleet
sqlj() { sqlite3 -json "$DB" "$1"; }

# org_py [SOFTWARE STATUS_SQL [GROUP]]: the organization score recomputed from the store
# (docs/scoring.md), with SOFTWARE's findings matching STATUS_SQL removed from each device.
org_py() {
  local sw=${1:-} cond=${2:-1} grp=${3:-}
  sqlj "select id, value, risk_sum, group_name from device
        where last_seen >= strftime('%s','now') - 2592000" >"$TMP/dev.json"
  sqlj "select dv.device_id dev, sum(dv.risk) r from device_vuln dv
        join tuple t on t.id = dv.tuple_id
        join tuple_vuln tv on tv.tuple_id = dv.tuple_id and tv.vuln_id = dv.vuln_id
        where t.software_id = '$sw' and ($cond) group by dv.device_id" >"$TMP/rm.json"
  python3 - "$TMP/dev.json" "$TMP/rm.json" "$grp" <<'PY'
import json, math, sys
devs = json.load(open(sys.argv[1]))
rm = {r["dev"]: r["r"] for r in json.loads(open(sys.argv[2]).read() or "[]")}
g = sys.argv[3]
if g == "-":
    devs = [d for d in devs if d["group_name"] is None]
elif g:
    devs = [d for d in devs if d["group_name"] == g]
n = len(devs)
def org(removed):
    num = den = 0.0
    for d in devs:
        w = {"Low": 0.75, "Normal": 1.0, "High": max(1.0, n / 10)}[d["value"]]
        r = max(d["risk_sum"] - removed.get(d["id"], 0.0), 0.0)
        num += w * 100 * (1 - math.exp(-r / 2.4))
        den += w
    return num / den if den else 0.0
print(repr(org({}) - org(rm)) if rm else repr(org({})))
PY
}
# close A B: A and B agree to 1e-9.
close() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; print (a != "" && d < 1e-9) ? "ok" : a " != " b }'; }
FIX="tv.status = 'fixAvailable'"
# sj PATH EXPR: the status of GET PATH and EXPR over its JSON body.
sj() { local st; st=$(get "$1"); echo "$st $(jq_ "$2" 2>/dev/null)"; }

# ---- Software -----------------------------------------------------------------------
expect_out "software: 200" 0 "200" -- get "/api/Software"
expect_out "software: context" 0 "$BASE/api/\$metadata#Software" -- jq_ 'd["@odata.context"]'
expect_out "software: properties" 0 \
  "activeAlert exposedMachines id impactScore installedMachines name publicExploit vendor versions weaknesses" \
  -- jq_ '" ".join(sorted(d["value"][0].keys()))'
expect_out "software: one per software id installed" 0 \
  "$(sql "select group_concat(s, ',') from (select distinct t.software_id s from device_tuple dt join tuple t on t.id = dt.tuple_id order by 1)")" \
  -- jq_ '",".join(s["id"] for s in d["value"])'
expect_out "software: non-vulnerable software listed" 0 "True" -- \
  jq_ 'any(s["id"] == "alpine-_-busybox" and s["weaknesses"] == 0 and s["exposedMachines"] == 0 and s["impactScore"] == 0 for s in d["value"])'
get "/api/Software/debian-_-openssl" >/dev/null
expect_out "openssl: entity" 0 "$BASE/api/\$metadata#Software/\$entity openssl debian False" -- \
  jq_ '" ".join(map(str, [d["@odata.context"], d["name"], d["vendor"], d["activeAlert"]]))'
expect_out "openssl: weaknesses, exposed, installed, versions" 0 \
  "$(sql "select count(distinct dv.vuln_id), count(distinct dv.device_id) from device_vuln dv join tuple t on t.id = dv.tuple_id where t.software_id = 'debian-_-openssl'") $(sql "select count(distinct dt.device_id), count(distinct t.version) from device_tuple dt join tuple t on t.id = dt.tuple_id where t.software_id = 'debian-_-openssl'")" \
  -- jq_ '"%d|%d %d|%d" % (d["weaknesses"], d["exposedMachines"], d["installedMachines"], d["versions"])'
expect_out "openssl: publicExploit" 0 \
  "$(sql "select max(vs.public_exploit) = 1 from device_vuln dv join tuple t on t.id = dv.tuple_id join vuln_summary vs on vs.id = dv.vuln_id where t.software_id = 'debian-_-openssl'" | sed 's/1/True/;s/0/False/')" \
  -- jq_ 'd["publicExploit"]'
expect_out "openssl: impactScore = org - org without its findings" 0 "ok" -- \
  close "$(jq_ 'd["impactScore"]')" "$(org_py debian-_-openssl 1)"
get "/api/Software/debian-_-openssl/distributions" >/dev/null
expect_out "openssl: distributions" 0 \
  "$(sql "select group_concat(x, ' ') from (select t.version || ':' || count(distinct dt.device_id) || ':' || (select count(distinct tv.vuln_id) from tuple t2 join tuple_vuln tv on tv.tuple_id = t2.id where t2.software_id = t.software_id and t2.version = t.version) x from device_tuple dt join tuple t on t.id = dt.tuple_id where t.software_id = 'debian-_-openssl' group by t.version order by t.version)")" \
  -- jq_ '" ".join("%s:%d:%d" % (v["version"], v["installations"], v["vulnerabilities"]) for v in d["value"])'
expect_out "openssl: two versions, one device each" 0 "2 [1, 1]" -- \
  jq_ '"%d %s" % (len(d["value"]), [v["installations"] for v in d["value"]])'
get "/api/Software/debian-_-openssl/machineReferences" >/dev/null
expect_out "openssl: machineReferences" 0 "$(printf '%s\n' "$D10" "$D11" | sort | tr '\n' ' ')" -- \
  jq_ '"".join(m["id"] + " " for m in sorted(d["value"], key=lambda m: m["id"]))'
get "/api/Software/debian-_-openssl/vulnerabilities" >/dev/null
expect_out "openssl: vulnerabilities" 0 \
  "$(sql "select group_concat(v, ',') from (select distinct dv.vuln_id v from device_vuln dv join tuple t on t.id = dv.tuple_id where t.software_id = 'debian-_-openssl' order by 1)")" \
  -- jq_ '",".join(sorted(v["id"] for v in d["value"]))'
expect_out "openssl: vulnerability entities" 0 "$BASE/api/\$metadata#Vulnerabilities True" -- \
  jq_ '"%s %s" % (d["@odata.context"], all("cvssV3" in v and "exposedMachines" in v for v in d["value"]))'
get "/api/machines/$D11/software" >/dev/null
expect_out "machine software: the device's products" 0 \
  "$(sql "select group_concat(s, ',') from (select distinct t.software_id s from device_tuple dt join tuple t on t.id = dt.tuple_id where dt.device_id = '$D11' order by 1)")" \
  -- jq_ '",".join(s["id"] for s in d["value"])'
expect_out "machine software: by computer name" 0 "200 True" -- \
  sj /api/machines/scan-bullseye/software 'len(d["value"]) > 0'

# OData options and CSV.
get "/api/Software?\$filter=vendor eq 'alpine'" >/dev/null
expect_out "filter vendor" 0 "$(sql "select count(distinct software_id) from tuple where vendor = 'alpine'") True" -- \
  jq_ '"%d %s" % (len(d["value"]), all(s["vendor"] == "alpine" for s in d["value"]))'
get "/api/Software?\$filter=name eq 'apache2' and exposedMachines gt 0&\$select=id,weaknesses" >/dev/null
expect_out "filter name + select" 0 "[{'id': 'debian-_-apache2', 'weaknesses': $(sql "select count(distinct dv.vuln_id) from device_vuln dv join tuple t on t.id = dv.tuple_id where t.software_id = 'debian-_-apache2'")}]" -- jq_ 'd["value"]'
get "/api/Software?\$orderby=weaknesses desc,id&\$top=2" >/dev/null
expect_out "orderby + top" 0 "2 $(sql "select max(c) from (select count(distinct dv.vuln_id) c from device_vuln dv join tuple t on t.id = dv.tuple_id group by t.software_id)")" -- \
  jq_ '"%d %d" % (len(d["value"]), d["value"][0]["weaknesses"])'
expect_out "filter on id" 0 "200 1" -- sj "/api/Software?\$filter=id eq 'debian-_-sudo'" 'len(d["value"])'
expect_out "bad filter: 400" 0 "400 ODataError" -- sj "/api/Software?\$filter=nosuch eq 1" 'd["error"]["code"]'
expect_out "csv: 200" 0 "200" -- get "/api/Software?\$format=csv&\$select=id,name,weaknesses&\$filter=id eq 'debian-_-openssl'"
expect_out "csv: body" 0 "id,name,weaknesses|debian-_-openssl,openssl,$(sql "select count(distinct dv.vuln_id) from device_vuln dv join tuple t on t.id = dv.tuple_id where t.software_id = 'debian-_-openssl'")" -- \
  bash -c "tr -d '\r' <'$TMP/body' | paste -sd'|'"
expect_match "csv: file name" 0 'filename="Software.csv"' stdout -- cat "$TMP/hdr"

# ---- Recommendations ----------------------------------------------------------------
# The software updates (the configuration changes, "sca-_-...", are api_config.sh's).
expect_out "recommendations: 200" 0 "200" -- get "/api/recommendations?\$filter=remediationType eq 'Update'"
expect_out "recommendations: one per software with a fixable finding" 0 \
  "$(sql "select group_concat('va-_-' || s, ',') from (select distinct t.software_id s from device_vuln dv join tuple t on t.id = dv.tuple_id join tuple_vuln tv on tv.tuple_id = dv.tuple_id and tv.vuln_id = dv.vuln_id where $FIX order by 1)")" \
  -- jq_ '",".join(sorted(r["id"] for r in d["value"]))'
expect_out "recommendations: exposureImpact desc" 0 "True" -- \
  jq_ 'all(a["exposureImpact"] >= b["exposureImpact"] for a, b in zip(d["value"], d["value"][1:]))'
cp "$TMP/body" "$TMP/recs.json"
# Every recommendation's impact against the Python recomputation (one run for all).
sqlj "select id, value, risk_sum from device where last_seen >= strftime('%s','now') - 2592000" >"$TMP/dev.json"
sqlj "select t.software_id sw, dv.device_id dev, sum(dv.risk) r from device_vuln dv
      join tuple t on t.id = dv.tuple_id
      join tuple_vuln tv on tv.tuple_id = dv.tuple_id and tv.vuln_id = dv.vuln_id
      where $FIX group by 1, 2" >"$TMP/fix.json"
bad=$(python3 - "$TMP/dev.json" "$TMP/fix.json" "$TMP/recs.json" <<'PY'
import json, math, sys
devs = json.load(open(sys.argv[1]))
fix = json.load(open(sys.argv[2]))
n = len(devs)
def org(removed):
    num = den = 0.0
    for d in devs:
        w = {"Low": 0.75, "Normal": 1.0, "High": max(1.0, n / 10)}[d["value"]]
        r = max(d["risk_sum"] - removed.get(d["id"], 0.0), 0.0)
        num += w * 100 * (1 - math.exp(-r / 2.4))
        den += w
    return num / den
bad = []
for rec in json.load(open(sys.argv[3]))["value"]:
    sw = rec["id"][len("va-_-"):]
    want = org({}) - org({f["dev"]: f["r"] for f in fix if f["sw"] == sw})
    if not abs(rec["exposureImpact"] - want) < 1e-9 or want <= 0:
        bad.append("%s %r != %r" % (rec["id"], rec["exposureImpact"], want))
print(";".join(bad))
PY
)
expect_out "recommendations: exposureImpact = org - org without the fixable risk" 0 "" -- echo "$bad"
get "/api/recommendations/va-_-debian-_-apache2" >/dev/null
expect_out "apache2: entity" 0 \
  "$BASE/api/\$metadata#Recommendations/\$entity apache2 debian Application  0 False Update Active 0 0 apache2 [] [] 0" -- \
  jq_ '" ".join(map(str, [d["@odata.context"], d["productName"], d["vendor"], d["recommendationCategory"], d["subCategory"], d["severityScore"], d["activeAlert"], d["remediationType"], d["status"], d["configScoreImpact"], d["nonProductivityImpactedAssets"], d["relatedComponent"], d["associatedThreats"], d["tags"], d["exposedCriticalDevices"]]))'
# The highest fixed version `vigil scan` reports for apache2 on the Debian 11 root.
"$VIGIL" scan --root "$VG_TEST_DATA/roots/scan-debian11" --db "$DB" --format json >"$TMP/scan.json" 2>/dev/null
best=
for v in $(python3 -c 'import json,sys; print(" ".join(sorted({f["fixedVersion"] for f in json.load(open(sys.argv[1]))["findings"] if f["package"] == "apache2" and f["status"] == "fixAvailable" and f["fixedVersion"]})))' "$TMP/scan.json"); do
  if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
done
expect_out "apache2: a fixed version from vigil scan" 0 "True" -- python3 -c "print(len('$best') > 0)"
expect_out "apache2: recommendedVersion and name" 0 "$best|Update apache2 to version $best" -- \
  jq_ 'd["recommendedVersion"] + "|" + d["recommendationName"]'
expect_out "apache2: weaknesses, exposed, total" 0 \
  "$(sql "select count(distinct dv.vuln_id) || ' ' || count(distinct dv.device_id) from device_vuln dv join tuple t on t.id = dv.tuple_id join tuple_vuln tv on tv.tuple_id = dv.tuple_id and tv.vuln_id = dv.vuln_id where t.software_id = 'debian-_-apache2' and $FIX") 1" -- \
  jq_ '"%d %d %d" % (d["weaknesses"], d["exposedMachinesCount"], d["totalMachineCount"])'
get "/api/recommendations/va-_-debian-_-openssl" >/dev/null
expect_out "openssl: two namespaces, no single version" 0 "|Update openssl|2|2" -- \
  jq_ '"%s|%s|%d|%d" % (d["recommendedVersion"], d["recommendationName"], d["exposedMachinesCount"], d["totalMachineCount"])'
get "/api/recommendations/va-_-debian-_-apache2/software" >/dev/null
expect_out "apache2: software" 0 "$BASE/api/\$metadata#Software/\$entity debian-_-apache2" -- \
  jq_ 'd["@odata.context"] + " " + d["id"]'
get "/api/recommendations/va-_-debian-_-apache2/machineReferences" >/dev/null
expect_out "apache2: machineReferences" 0 "$D11 scan-bullseye" -- \
  jq_ '" ".join(m["id"] + " " + m["computerDnsName"] for m in d["value"])'
get "/api/recommendations/va-_-debian-_-apache2/vulnerabilities" >/dev/null
expect_out "apache2: vulnerabilities" 0 \
  "$(sql "select group_concat(v, ',') from (select distinct dv.vuln_id v from device_vuln dv join tuple t on t.id = dv.tuple_id join tuple_vuln tv on tv.tuple_id = dv.tuple_id and tv.vuln_id = dv.vuln_id where t.software_id = 'debian-_-apache2' and $FIX order by 1)")" \
  -- jq_ '",".join(sorted(v["id"] for v in d["value"]))'
get "/api/machines/$D10/recommendations?\$filter=remediationType eq 'Update'" >/dev/null
expect_out "machine recommendations" 0 \
  "$(sql "select group_concat('va-_-' || s, ',') from (select distinct t.software_id s from device_vuln dv join tuple t on t.id = dv.tuple_id join tuple_vuln tv on tv.tuple_id = dv.tuple_id and tv.vuln_id = dv.vuln_id where $FIX and dv.device_id = '$D10' order by 1)")" \
  -- jq_ '",".join(sorted(r["id"] for r in d["value"]))'
get "/api/recommendations?\$filter=productName eq 'zlib' and vendor eq 'alpine' and recommendationCategory eq 'Application'&\$select=id,recommendedVersion" >/dev/null
expect_out "recommendations: filter + select" 0 "[{'id': 'va-_-alpine-_-zlib', 'recommendedVersion': '1.2.12-r2'}]" -- jq_ 'd["value"]'
get "/api/recommendations?\$top=1&\$skip=1&\$select=id" >/dev/null
expect_out "recommendations: top + skip" 0 \
  "$(python3 -c 'import json,sys; print([{"id": r["id"]} for r in json.load(open(sys.argv[1]))["value"][1:2]])' "$TMP/recs.json")" -- jq_ 'd["value"]'
expect_out "recommendations: csv" 0 "200" -- get "/api/recommendations?\$format=csv&\$select=id,tags"
expect_match "recommendations: csv file name" 0 'filename="Recommendations.csv"' stdout -- cat "$TMP/hdr"

# ---- Exposure score ----------------------------------------------------------------------
expect_out "exposureScore: 200" 0 "200" -- get "/api/exposureScore"
expect_out "exposureScore: context and time" 0 "$BASE/api/\$metadata#ExposureScore/\$entity True" -- \
  jq_ 'd["@odata.context"] + " " + str(__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z", d["time"]) is not None)'
expect_out "exposureScore = the documented formula" 0 "ok" -- close "$(jq_ 'd["score"]')" "$(org_py)"
# Changing a device's value changes the score and the impacts at once (cache invalidation).
get "/api/recommendations/va-_-debian-_-apache2" >/dev/null
before=$(jq_ 'd["exposureImpact"]')
# (With four devices a High device weighs as a Normal one, max(1, N/10); Low changes it.)
setv() {
  call POST "/api/machines/$1/setDeviceValue" -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' -d "{\"DeviceValue\":\"$2\"}"
}
expect_out "setDeviceValue Low" 0 "200" -- setv "$D11" Low
get "/api/exposureScore" >/dev/null
expect_out "exposureScore after setDeviceValue" 0 "ok" -- close "$(jq_ 'd["score"]')" "$(org_py)"
get "/api/recommendations/va-_-debian-_-apache2" >/dev/null
expect_out "apache2: impact follows the device value" 0 "ok" -- \
  close "$(jq_ 'd["exposureImpact"]')" "$(org_py debian-_-apache2 "$FIX")"
expect_out "apache2: impact changed" 0 "True" -- jq_ 'd["exposureImpact"] != '"$before"
expect_out "setDeviceValue High" 0 "200" -- setv "$D11" High
get "/api/recommendations/va-_-debian-_-apache2" >/dev/null
expect_out "apache2: one critical device, impact as Normal again" 0 "1 ok" -- \
  jq_ '"%d %s" % (d["exposedCriticalDevices"], "ok" if abs(d["exposureImpact"] - '"$before"') < 1e-9 else d["exposureImpact"])'
sql "update device set exposed = 1 where id = '$D11'"
get "/api/recommendations/va-_-debian-_-apache2" >/dev/null
expect_out "apache2: internetFacing tag" 0 "['internetFacing']" -- jq_ 'd["tags"]'
sql "update device set group_name = 'Web' where id in ('$D11', '$D10')"
get "/api/exposureScore/ByMachineGroups" >/dev/null
expect_out "ByMachineGroups: context and groups" 0 "$BASE/api/\$metadata#ExposureScore Web:Web UnassignedGroup:None" -- \
  jq_ 'd["@odata.context"] + " " + " ".join("%s:%s" % (g["rbacGroupName"], g["rbacGroupId"]) for g in d["value"])'
expect_out "ByMachineGroups: Web score" 0 "ok" -- close "$(jq_ 'd["value"][0]["score"]')" "$(org_py "" 1 Web)"
expect_out "ByMachineGroups: unassigned score" 0 "ok" -- close "$(jq_ 'd["value"][1]["score"]')" "$(org_py "" 1 -)"

# ---- errors and authentication -----------------------------------------------------------
for p in /api/Software/nosuch-_-thing /api/Software/nosuch/distributions /api/Software/nosuch/machineReferences \
  /api/Software/nosuch/vulnerabilities /api/machines/nosuch/software /api/recommendations/va-_-nosuch \
  /api/recommendations/va-_-alpine-_-busybox /api/recommendations/debian-_-apache2/software \
  /api/recommendations/va-_-nosuch/machineReferences /api/recommendations/va-_-nosuch/vulnerabilities \
  /api/machines/nosuch/recommendations; do
  expect_out "404 $p" 0 "404 NotFound" -- sj "$p" 'd["error"]["code"]'
done
AGENT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$TMP/state-scan-debian11/identity" 2>/dev/null)
for p in /api/Software /api/recommendations /api/exposureScore /api/exposureScore/ByMachineGroups; do
  expect_out "analyst reads $p" 0 "200" -- call GET "$p" -H "Authorization: Bearer $ANALYST"
  expect_out "agent token: 403 $p" 0 "403" -- call GET "$p" -H "Authorization: Bearer $AGENT"
  expect_out "no token: 401 $p" 0 "401" -- call GET "$p"
done
finish
