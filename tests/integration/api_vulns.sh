#!/usr/bin/env bash
# api_vulns.sh - the vulnerabilities resource and the by-machine export assessments of /api
# (docs/api.md "Vulnerabilities", "Export assessments") against a real vigild and fleet.
#
# Expected values come from elsewhere than the API: `vigil scan` of the same roots with the
# same store (which vulnerabilities each device has, their scores, severities, fixed versions),
# and Python re-filtering the unfiltered collection for the $filter checks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"

api_fleet
ROOTS="scan-debian11 scan-debian10 scan-alpine315 scan-python"
# Two scans at a time (the scans dominate the run time).
scan() {
  "$VIGIL" scan --root "$VG_TEST_DATA/roots/$1" --db "$DB" --format json >"$TMP/scan-$1.json" \
    2>"$TMP/scan-$1.err" || echo "scan $1: $(tail -3 "$TMP/scan-$1.err")" >"$TMP/scan-$1.fail"
}
scan scan-debian11 & S1=$!; scan scan-debian10 & S2=$!; wait $S1 $S2
scan scan-alpine315 & S1=$!; scan scan-python & S2=$!; wait $S1 $S2
for root in $ROOTS; do [ -e "$TMP/scan-$root.fail" ] && not_ok "$(cat "$TMP/scan-$root.fail")"; done
declare -A DEV=([scan-debian11]=$D11 [scan-debian10]=$D10 [scan-alpine315]=$A315 [scan-python]=$PY)
printf '{"scan-debian11":"%s","scan-debian10":"%s","scan-alpine315":"%s","scan-python":"%s"}' \
  "$D11" "$D10" "$A315" "$PY" >"$TMP/devices.json"

# check EXPR: a Python expression over the body `d`, the scans `scans` (root -> findings),
# `dev` (root -> device id) and `s11` (the Debian 11 findings) that must be True.
check() {
  python3 - "$TMP" "$1" <<'EOF'
import json, sys
tmp, expr = sys.argv[1], sys.argv[2]
dev = json.load(open(tmp + "/devices.json"))
scans = {r: json.load(open("%s/scan-%s.json" % (tmp, r)))["findings"] for r in dev}
s11 = scans["scan-debian11"]
try:
    d = json.load(open(tmp + "/body"))
except (OSError, ValueError):
    d = None
ok = eval(expr)
print(ok if ok is True else "False: %r" % (ok,))
EOF
}
# pyget OUT PATH: GET PATH into $TMP/OUT.json.
pyget() { get "$2" >/dev/null; cp "$TMP/body" "$TMP/$1.json"; }

# Sanity of the independent source: the Debian 11 scan has findings, log4shell among them.
expect_out "scan: Debian 11 has log4shell" 0 "True" -- \
  check 'any(f["cveId"] == "CVE-2021-44228" for f in s11) and len(s11) > 10'

# ---- GET /api/machines/{id}/vulnerabilities against the scan -------------------------------
expect_out "machine vulns: 200" 0 "200" -- get "/api/machines/$D11/vulnerabilities"
expect_out "machine vulns: context" 0 "$BASE/api/\$metadata#Vulnerabilities" -- jq_ 'd["@odata.context"]'
expect_out "machine vulns: Vulnerability properties" 0 \
  "cveId cveSupportability cvssV3 cvssVector description epss exploitInKit exploitTypes exploitUris exploitVerified exposedMachines firstDetected id kev name publicExploit publishedOn severity updatedOn" \
  -- jq_ '" ".join(sorted(d["value"][0].keys()))'
expect_out "machine vulns: the scan's set of ids" 0 "True" -- \
  check 'sorted(v["id"] for v in d["value"]) == sorted({f["id"] for f in s11})'
expect_out "machine vulns: the scan's CVE ids" 0 "True" -- \
  check '(lambda a, b: a == b or (a ^ b))({(v["id"], v["cveId"]) for v in d["value"]}, {(f["id"], f["cveId"]) for f in s11})'
expect_out "machine vulns: cvssV3 as the scan's" 0 "True" -- \
  check '{v["id"]: v["cvssV3"] for v in d["value"]} == {f["id"]: (f["cvssV3"] or {}).get("score") for f in s11}'
expect_out "machine vulns: name = id, constants" 0 "True" -- \
  check 'all(v["name"] == v["id"] and v["exploitInKit"] is False and v["exploitTypes"] == [] and v["cveSupportability"] == "Supported" and isinstance(v["exploitUris"], list) for v in d["value"])'
get "/api/vulnerabilities/CVE-2021-44228" >/dev/null
expect_out "log4shell: KEV, verified, critical 10.0" 0 "True True True Critical 10 CVE-2021-44228 1" -- \
  jq_ '" ".join(map(str, [d["kev"], d["exploitVerified"], d["publicExploit"], d["severity"], d["cvssV3"], d["cveId"], d["exposedMachines"]]))'
expect_match "log4shell: dates" 0 '^2021-12-1[0-9]T[0-9:]{8}Z [0-9]{4}-[0-9-]{5}T[0-9:]{8}Z 20[0-9]{2}-' stdout -- \
  jq_ 'd["publishedOn"] + " " + d["updatedOn"] + " " + d["firstDetected"]'
expect_out "machine vulns by computer name" 0 "200 True" -- bash -c 'printf "%s %s" "$1" "$2"' _ \
  "$(get /api/machines/scan-bullseye/vulnerabilities)" \
  "$(check 'sorted(v["id"] for v in d["value"]) == sorted({f["id"] for f in s11})')"
expect_out "machine vulns: unknown device 404" 0 "404 NotFound" -- bash -c 'printf "%s %s" "$1" "$2"' _ \
  "$(get /api/machines/nosuch/vulnerabilities)" "$(jq_ 'd["error"]["code"]')"
expect_out "machine vulns: \$top" 0 "200 2" -- bash -c 'printf "%s %s" "$1" "$2"' _ \
  "$(get "/api/machines/$D10/vulnerabilities?\$top=2")" "$(jq_ 'len(d["value"])')"

# ---- GET /api/vulnerabilities: the fleet --------------------------------------------------
pyget all "/api/vulnerabilities"
expect_out "list: union of the four scans" 0 "True" -- \
  check 'sorted(v["id"] for v in d["value"]) == sorted({f["id"] for s in scans.values() for f in s})'
expect_out "list: exposedMachines = scans that have it" 0 "True" -- \
  check 'all(v["exposedMachines"] == sum(any(f["id"] == v["id"] for f in s) for s in scans.values()) for v in d["value"])'
expect_out "list: some on both Debian devices" 0 "True" -- \
  check 'any(v["exposedMachines"] == 2 for v in d["value"])'
expect_out "list: default order exposedMachines desc, id" 0 "True" -- \
  check '[v["id"] for v in d["value"]] == [v["id"] for v in sorted(d["value"], key=lambda v: (-v["exposedMachines"], v["id"]))]'
# A CVE both Debian scans report and no other.
BOTH=$(check 'sorted({f["id"] for f in s11} & {f["id"] for f in scans["scan-debian10"]} - {f["id"] for f in scans["scan-alpine315"] + scans["scan-python"]})[0]' | sed 's/^False: //;s/^.//;s/.$//')
expect_match "a CVE on both Debian devices" 0 '^CVE-' stdout -- echo "$BOTH"
expect_out "entity: exposedMachines 2" 0 "200 $BOTH 2" -- bash -c 'printf "%s %s" "$1" "$2"' _ \
  "$(get "/api/vulnerabilities/$BOTH")" "$(jq_ 'd["id"] + " " + str(d["exposedMachines"])')"
expect_out "entity: context" 0 "$BASE/api/\$metadata#Vulnerabilities/\$entity" -- jq_ 'd["@odata.context"]'
get "/api/vulnerabilities/$BOTH/machineReferences" >/dev/null
expect_out "machineReferences: both Debian devices" 0 "$(printf '%s\n' "$D11" "$D10" | sort | paste -sd,)" -- \
  jq_ '",".join(sorted(m["id"] for m in d["value"]))'
expect_out "machineReferences: context and properties" 0 "MachineReferences computerDnsName,id,osPlatform,rbacGroupName Debian" -- \
  jq_ 'd["@odata.context"].split("#")[1] + " " + ",".join(sorted(d["value"][0])) + " " + d["value"][0]["osPlatform"]'
get "/api/vulnerabilities/$BOTH/machineReferences?\$filter=computerDnsName eq 'scan-buster'" >/dev/null
expect_out "machineReferences: \$filter" 0 "$D10" -- jq_ '",".join(m["id"] for m in d["value"])'
get "/api/vulnerabilities/$BOTH/machineReferences?\$format=csv&\$select=computerDnsName&\$orderby=computerDnsName" >/dev/null
expect_out "machineReferences: CSV" 0 $'computerDnsName\r\nscan-bullseye\r\nscan-buster\r' -- cat "$TMP/body"

# ---- $filter: the server's rows = Python's filter of the whole list --------------------------
# fcheck DESC FILTER PYPRED: GET with $filter and compare with all.json filtered by PYPRED(v).
fcheck() {
  local st
  st=$(get "/api/vulnerabilities?\$filter=$2")
  expect_out "filter $1" 0 "200 True" -- bash -c 'printf "%s %s" "$1" "$2"' _ "$st" "$(check \
    "(lambda all_: sorted(v['id'] for v in d['value']) == sorted(v['id'] for v in all_ if ($3)) and len(d['value']) > 0)(json.load(open(tmp + '/all.json'))['value'])")"
}
fcheck "severity eq 'Critical'" "severity eq 'Critical'" "v['severity'] == 'Critical'"
fcheck "cvssV3 ge 9" "cvssV3 ge 9" "v['cvssV3'] is not None and v['cvssV3'] >= 9"
fcheck "publishedOn gt 2022-06-01" "publishedOn gt 2022-06-01T00:00:00Z" "v['publishedOn'] is not None and v['publishedOn'] > '2022-06-01T00:00:00Z'"
fcheck "startswith(id,'CVE-2021')" "startswith(id,'CVE-2021')" "v['id'].startswith('CVE-2021')"
fcheck "id in (...)" "id in ('CVE-2021-44228','$BOTH','CVE-1999-0001')" "v['id'] in ('CVE-2021-44228', '$BOTH')"
fcheck "exposedMachines eq 2 and kev eq false" "exposedMachines eq 2 and not (kev eq true)" "v['exposedMachines'] == 2 and not v['kev']"
fcheck "cvssV3 eq null" "cvssV3 eq null" "v['cvssV3'] is None"
fcheck "contains(description,'openssl')" "contains(description,'OpenSSL')" "'openssl' in (v['description'] or '').lower()"
fcheck "updatedOn, name, cveId, firstDetected" \
  "updatedOn ge 2000-01-01 and name ne 'x' and cveId ne null and firstDetected gt 2001-01-01" \
  "v['updatedOn'] is not None and v['updatedOn'] >= '2000-01-01' and v['cveId'] is not None"
get "/api/vulnerabilities?\$filter=severity eq 'Critical' and cvssV3 ge 9" >/dev/null
expect_out "filter: log4shell among critical >= 9" 0 "True" -- check '"CVE-2021-44228" in [v["id"] for v in d["value"]]'
expect_out "filter: exploitTypes not filterable" 0 "400" -- get "/api/vulnerabilities?\$filter=exploitTypes eq '[]'"
expect_out "filter: ODataError" 0 "ODataError" -- jq_ 'd["error"]["code"]'

# ---- $top, $skip, $select, $orderby ------------------------------------------------------------
get "/api/vulnerabilities?\$top=2&\$skip=1" >/dev/null
expect_out "top and skip: a window of the default order" 0 "True" -- \
  check '[v["id"] for v in d["value"]] == [v["id"] for v in json.load(open(tmp + "/all.json"))["value"][1:3]]'
get "/api/vulnerabilities?\$select=id,exposedMachines&\$top=1" >/dev/null
expect_out "select" 0 "id,exposedMachines" -- jq_ '",".join(d["value"][0].keys())'
get "/api/vulnerabilities?\$orderby=cvssV3 desc,id" >/dev/null
expect_out "orderby cvssV3 desc (nulls last)" 0 "True" -- \
  check '[v["id"] for v in d["value"]] == [v["id"] for v in sorted(d["value"], key=lambda v: (v["cvssV3"] is None, -(v["cvssV3"] or 0), v["id"]))]'
expect_out "top above 8000 is lowered" 0 "200" -- get "/api/vulnerabilities?\$top=9000"
expect_out "bad top: 400" 0 "400" -- get "/api/vulnerabilities?\$top=x"
get "/api/vulnerabilities?\$format=csv&\$select=id,exposedMachines,exploitUris" >/dev/null
expect_out "CSV: header and one line per vulnerability" 0 "True" -- python3 -c '
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
want = json.load(open(sys.argv[2]))["value"]
print(rows[0] == ["id", "exposedMachines", "exploitUris"] and [r[:2] for r in rows[1:]] == [[v["id"], str(v["exposedMachines"])] for v in want])' \
  "$TMP/body" "$TMP/all.json"
expect_match "CSV: attachment" 0 'filename="Vulnerabilities.csv"' stdout -- cat "$TMP/hdr"

# ---- entities not on any device, unknown ids ---------------------------------------------------
# CVE-2023-4863 (libwebp) is in the NVD sample and KEV, and on none of the roots.
expect_out "kb-only: not in the scans" 0 "True" -- \
  check 'all(f["cveId"] != "CVE-2023-4863" for s in scans.values() for f in s)'
get "/api/vulnerabilities/CVE-2023-4863" >/dev/null
expect_out "kb-only: entity from the knowledge base" 0 "CVE-2023-4863 0 8.8 True True None" -- \
  jq_ '" ".join(map(str, [d["id"], d["exposedMachines"], d["cvssV3"], d["kev"], d["exploitVerified"], d["firstDetected"]]))'
expect_out "kb-only: NVD's vector and date" 0 "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H 2023-09-12T15:15:24Z" -- \
  jq_ 'd["cvssVector"] + " " + d["publishedOn"]'
expect_out "kb-only: machineReferences empty" 0 "200 0" -- bash -c 'printf "%s %s" "$1" "$2"' _ \
  "$(get /api/vulnerabilities/CVE-2023-4863/machineReferences)" "$(jq_ 'len(d["value"])')"
expect_out "unknown vulnerability: 404" 0 "404 NotFound" -- bash -c 'printf "%s %s" "$1" "$2"' _ \
  "$(get /api/vulnerabilities/CVE-1999-99999)" "$(jq_ 'd["error"]["code"]')"
expect_out "unknown vulnerability machineReferences: 404" 0 "404" -- \
  get /api/vulnerabilities/CVE-1999-99999/machineReferences

# ---- machinesVulnerabilities -------------------------------------------------------------------
pyget mv "/api/vulnerabilities/machinesVulnerabilities"
expect_out "machinesVulnerabilities: context" 0 "PublicAssetVulnerabilityDto" -- jq_ 'd["@odata.context"].split("#")[1]'
expect_out "machinesVulnerabilities: one row per scan finding" 0 "True" -- \
  check 'sorted((v["machineId"], v["cveId"], v["productVersion"], v["severity"], v["fixedVersion"], v["status"]) for v in d["value"]) == sorted((dev[r], f["id"], f["sourceVersion"] or f["packageVersion"], f["severity"], f["fixedVersion"], f["status"]) for r, s in scans.items() for f in s)'
expect_out "machinesVulnerabilities: id format" 0 "True" -- \
  check 'all(v["id"] == "-_-".join([v["machineId"], v["cveId"], v["productVendor"], v["productName"], v["productVersion"], ""]) and v["fixingKbId"] is None for v in d["value"])'
get "/api/vulnerabilities/machinesVulnerabilities?\$filter=machineId eq '$D11' and cveId eq 'CVE-2021-44228'" >/dev/null
expect_out "machinesVulnerabilities: log4shell row" 0 "apache-log4j2 debian 2.13.3-1 Critical 2.15.0-1~deb11u1" -- \
  jq_ '" ".join(d["value"][0][k] for k in ["productName", "productVendor", "productVersion", "severity", "fixedVersion"])'
mvf() {
  local st
  st=$(get "/api/vulnerabilities/machinesVulnerabilities?\$filter=$2")
  expect_out "machinesVulnerabilities filter $1" 0 "200 True" -- bash -c 'printf "%s %s" "$1" "$2"' _ "$st" "$(check \
    "(lambda all_: sorted(v['id'] for v in d['value']) == sorted(v['id'] for v in all_ if ($3)) and len(d['value']) > 0)(json.load(open(tmp + '/mv.json'))['value'])")"
}
mvf "productName, productVendor" "productName eq 'openssl' and productVendor eq 'debian'" "v['productName'] == 'openssl' and v['productVendor'] == 'debian'"
mvf "severity in" "severity in ('High','Critical')" "v['severity'] in ('High', 'Critical')"
mvf "productVersion, fixingKbId" "startswith(productVersion,'1.1.1') and fixingKbId eq null" "v['productVersion'].startswith('1.1.1')"
mvf "id contains" "contains(id,'-_-zlib-_-')" "'-_-zlib-_-' in v['id']"
get "/api/vulnerabilities/machinesVulnerabilities?\$top=3&\$skip=2" >/dev/null
expect_out "machinesVulnerabilities: top/skip" 0 "True" -- \
  check '[v["id"] for v in d["value"]] == [v["id"] for v in json.load(open(tmp + "/mv.json"))["value"][2:5]]'

# ---- export: SoftwareVulnerabilitiesByMachine ----------------------------------------------------
pyget svm "/api/machines/SoftwareVulnerabilitiesByMachine"
expect_out "svm: context, no nextLink for one page" 0 "AssetVulnerability False" -- \
  jq_ 'd["@odata.context"].split("#")[1] + " " + str("@odata.nextLink" in d)'
expect_out "svm: one row per scan finding" 0 "True" -- \
  check 'sorted((v["deviceId"], v["cveId"], v["softwareVersion"], v["vulnerabilitySeverityLevel"], v["recommendedSecurityUpdateId"]) for v in d["value"]) == sorted((dev[r], f["id"], f["sourceVersion"] or f["packageVersion"], f["severity"], f["fixedVersion"] or None) for r, s in scans.items() for f in s)'
expect_out "svm: derived fields" 0 "True" -- \
  check 'all(v["id"] == "%s_%s_%s_%s_" % (v["deviceId"], v["softwareName"], v["softwareVersion"], v["cveId"]) and v["securityUpdateAvailable"] == (v["recommendedSecurityUpdateId"] is not None) and v["recommendedSecurityUpdate"] == (v["recommendedSecurityUpdateId"] and "Update %s to %s" % (v["softwareName"], v["recommendedSecurityUpdateId"])) and v["recommendationReference"] == "va-_-%s-_-%s" % (v["softwareVendor"], v["softwareName"]) and v["diskPaths"] == [] and v["registryPaths"] == [] and v["recommendedSecurityUpdateUrl"] is None for v in d["value"])'
get "/api/machines/SoftwareVulnerabilitiesByMachine?\$filter=deviceId eq '$D11' and cveId eq 'CVE-2021-44228'" >/dev/null
expect_out "svm: log4shell row" 0 "scan-bullseye Debian 64-bit apache-log4j2 10 Critical ExploitIsVerified Update apache-log4j2 to 2.15.0-1~deb11u1 True" -- \
  jq_ '" ".join(str(d["value"][0][k]) for k in ["deviceName", "osPlatform", "osArchitecture", "softwareName", "cvssScore", "vulnerabilitySeverityLevel", "exploitabilityLevel", "recommendedSecurityUpdate", "securityUpdateAvailable"])'
expect_out "svm: exploitabilityLevel values" 0 "True" -- \
  check '{v["exploitabilityLevel"] for v in d["value"]} <= {"NoExploit", "ExploitIsPublic", "ExploitIsVerified"}'

# follow PATH: follow @odata.nextLink from PATH; prints "pages rows distinct-ids" and writes the ids.
follow() {
  local path=$1 pages=0 next
  : >"$TMP/ids"
  while [ -n "$path" ] && [ $pages -lt 100 ]; do
    [ "$(get "$path")" = 200 ] || { echo "status $(cat "$TMP/body")"; return; }
    pages=$((pages + 1))
    jq_ '"\n".join(v.get("id") or "%s|%s|%s" % (v["deviceId"], v["softwareName"], v["softwareVersion"]) for v in d["value"])' >>"$TMP/ids"
    next=$(jq_ 'd.get("@odata.nextLink", "")')
    path=${next#"$BASE"}
  done
  printf '%s %s %s' "$pages" "$(wc -l <"$TMP/ids")" "$(sort -u "$TMP/ids" | wc -l)"
}
N=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["value"]))' "$TMP/svm.json")
expect_out "svm: pageSize=5 pages cover every row once" 0 "$(((N + 4) / 5)) $N $N" -- \
  follow "/api/machines/SoftwareVulnerabilitiesByMachine?pageSize=5"
expect_out "svm: the paged ids are the unpaged ones" 0 "True" -- python3 -c '
import json, sys
print(sorted(open(sys.argv[1]).read().split()) == sorted(v["id"] for v in json.load(open(sys.argv[2]))["value"]))' \
  "$TMP/ids" "$TMP/svm.json"
get "/api/machines/SoftwareVulnerabilitiesByMachine?pageSize=5" >/dev/null
expect_match "svm: nextLink keeps pageSize, adds \$skiptoken" 0 "^$BASE/api/machines/SoftwareVulnerabilitiesByMachine\\?pageSize=5&\\\$skiptoken=5\$" stdout -- \
  jq_ 'd["@odata.nextLink"]'
get "/api/machines/SoftwareVulnerabilitiesByMachine?\$top=3" >/dev/null
expect_out "svm: \$top gives one document without a link" 0 "3 False" -- jq_ 'str(len(d["value"])) + " " + str("@odata.nextLink" in d)'
expect_out "svm: pageSize above 200000" 0 "400 BadRequest" -- bash -c 'printf "%s %s" "$1" "$2"' _ \
  "$(get '/api/machines/SoftwareVulnerabilitiesByMachine?pageSize=200001')" "$(jq_ 'd["error"]["code"]')"
expect_out "svm: pageSize 200000 is allowed" 0 "200" -- get '/api/machines/SoftwareVulnerabilitiesByMachine?pageSize=200000'
expect_out "svm: bad \$skiptoken" 0 "400" -- get '/api/machines/SoftwareVulnerabilitiesByMachine?$skiptoken=x'
get "/api/machines/SoftwareVulnerabilitiesByMachine?\$format=csv&pageSize=4&\$select=id,cveId,diskPaths" >/dev/null
expect_out "svm: CSV page" 0 "True" -- python3 -c '
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
want = json.load(open(sys.argv[2]))["value"][:4]
print(rows == [["id", "cveId", "diskPaths"]] + [[v["id"], v["cveId"], ""] for v in want])' "$TMP/body" "$TMP/svm.json"
expect_match "svm: CSV attachment" 0 'filename="AssetVulnerability.csv"' stdout -- cat "$TMP/hdr"

# ---- export: SoftwareInventoryByMachine -----------------------------------------------------------
pyget sim "/api/machines/SoftwareInventoryByMachine"
expect_out "sim: context and properties" 0 \
  "AssetSoftware deviceId deviceName diskPaths endOfSupportDate endOfSupportStatus numberOfWeaknesses osPlatform rbacGroupId rbacGroupName registryPaths softwareFirstSeenTimestamp softwareName softwareVendor softwareVersion" \
  -- jq_ 'd["@odata.context"].split("#")[1] + " " + " ".join(sorted(d["value"][0]))'
expect_out "sim: numberOfWeaknesses = the scan's findings of that software" 0 "True" -- \
  check 'all(v["numberOfWeaknesses"] == sum(1 for r, s in scans.items() if dev[r] == v["deviceId"] for f in s if (f["sourcePackage"] or f["package"]) == v["softwareName"] and (f["sourceVersion"] or f["packageVersion"]) == v["softwareVersion"]) for v in d["value"])'
expect_out "sim: weaknesses add up to the findings" 0 "True" -- \
  check 'sum(v["numberOfWeaknesses"] for v in d["value"]) == sum(len(s) for s in scans.values())'
expect_out "sim: the scan's vulnerable software is listed" 0 "True" -- \
  check '{(dev[r], f["sourcePackage"] or f["package"], f["sourceVersion"] or f["packageVersion"]) for r, s in scans.items() for f in s} <= {(v["deviceId"], v["softwareName"], v["softwareVersion"]) for v in d["value"]}'
expect_out "sim: endOfSupportStatus" 0 "True" -- \
  check 'all(v["endOfSupportStatus"] == ("EOS Version" if any(dev[r] == v["deviceId"] and (f["sourcePackage"] or f["package"]) == v["softwareName"] and f["status"] == "endOfLife" for r, s in scans.items() for f in s) else "None") and v["endOfSupportDate"] is None for v in d["value"])'
expect_out "sim: rows per device = device_tuple rows" 0 "True" -- \
  check "len(d['value']) == $(sql 'select count(*) from device_tuple')"
M=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["value"]))' "$TMP/sim.json")
expect_out "sim: pageSize=5 pages cover every row once" 0 "$(((M + 4) / 5)) $M $M" -- \
  follow "/api/machines/SoftwareInventoryByMachine?pageSize=5"
get "/api/machines/SoftwareInventoryByMachine?\$filter=deviceId eq '$D11' and softwareName eq 'apache-log4j2'" >/dev/null
expect_out "sim: log4j row" 0 "scan-bullseye Debian debian 2.13.3-1 True" -- \
  jq_ '" ".join(str(d["value"][0][k]) for k in ["deviceName", "osPlatform", "softwareVendor", "softwareVersion"]) + " " + str(d["value"][0]["numberOfWeaknesses"] >= 1)'

# ---- authentication -------------------------------------------------------------------------------
AGENT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$TMP/state-scan-debian11/identity")
for p in /api/vulnerabilities "/api/vulnerabilities/$BOTH" "/api/vulnerabilities/$BOTH/machineReferences" \
  /api/vulnerabilities/machinesVulnerabilities "/api/machines/$D11/vulnerabilities" \
  /api/machines/SoftwareInventoryByMachine /api/machines/SoftwareVulnerabilitiesByMachine; do
  expect_out "no token $p: 401" 0 "401" -- call GET "$p"
  expect_out "agent token $p: 403" 0 "403" -- call GET "$p" -H "Authorization: Bearer $AGENT"
  expect_out "analyst $p: 200" 0 "200" -- call GET "$p" -H "Authorization: Bearer $ANALYST"
done

kill -TERM "$PID"; wait "$PID"; PID=
finish
