#!/usr/bin/env bash
# api_config.sh - the secure configuration assessment of /api (docs/api.md "Secure
# configuration", "Recommendations", "Export assessments") against a real vigild.
#
# Four devices are enrolled by the real agent (full reports); then each device's
# "configuration" section is replaced by deltas built here (docs/agent-protocol.md: only that
# section, the others' stored hashes), with results chosen so every number is known: a
# pattern over scored checks of the loaded catalog (Vigil's content/ and the Wazuh fixture
# tests/data/config-api/wazuh-scored.yml), an unscored check and a check no policy has.
# Every expected value is recomputed in Python from the store's raw rows with the formula of
# docs/scoring.md "Secure Score for devices"; the API must agree to 1e-9.
# shellcheck disable=SC2016  # OData options ($top, $filter) are literal in single quotes
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"

SRC=$(cd "$(dirname "$0")/../.." && pwd)
WAZUH=$VG_TEST_DATA/config-api/wazuh-scored.yml
LISTS=$VG_SHARED_DATA/debian-security-tracker/salsa-format_2023-04/data
PYCHK=$TMP/api_config_check.py

# ---- the fleet --------------------------------------------------------------------------
# The Debian DSA list gives software recommendations to mix with the configuration ones.
if ! "$VIGIL" feeds import --db "$DB" "$LISTS/DSA/list" >"$TMP/import.out" 2>&1; then
  not_ok "feeds import: $(tail -3 "$TMP/import.out")"
  finish
  exit
fi
start_vigild "$TMP/vigild.log" "$DB" --threads 2 --rate-limit off --policies "$SRC/content" --policies "$WAZUH"
ENROLL=$("$VIGIL" token create --db "$DB" --role enroll --name cfg 2>/dev/null)
ADMIN=$("$VIGIL" token create --db "$DB" --role admin --name cfg-admin 2>/dev/null)
ANALYST=$("$VIGIL" token create --db "$DB" --role analyst --name cfg-analyst 2>/dev/null)
ROOTS="scan-debian11 scan-debian10 config-compliant config-noncompliant"
for root in $ROOTS; do
  cp -r "$VG_TEST_DATA/roots/$root" "$TMP/$root"
  "$VIGIL_AGENT" --server "$BASE" --root "$TMP/$root" --state-dir "$TMP/state-$root" \
    --once --timeout 20 --enroll-token "$ENROLL" >"$TMP/agent-$root.log" 2>&1 ||
    not_ok "agent $root: $(tail -3 "$TMP/agent-$root.log")"
done
AGENT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' \
  "$TMP/state-scan-debian11/identity" 2>/dev/null)
if [ "$(sql 'select count(*) from device')" != 4 ] ||
  [ "$(sql "select count(*) from config_check where policy = 'vigil_test_wazuh'")" != 3 ]; then
  not_ok "setup: devices $(sql 'select count(*) from device'), catalog: $(sql 'select policy, count(*) from config_check group by 1')"
  finish
  exit
fi

cat >"$PYCHK" <<'EOF'
import hashlib, json, math, os, sqlite3, sys, time, urllib.error, urllib.parse, urllib.request

BASE, DB, TMP = os.environ["BASE"], os.environ["DB"], os.environ["TMP"]
ADMIN = os.environ["ADMIN"]
DAY = 86400
CATS = ["Application", "OS", "Network", "Accounts", "Security controls"]
API_CAT = {"Security controls": "SecurityControls"}
APPLICABLE = ("passed", "failed", "error")


def out(ok, msg):
    print(("OK " if ok else "FAIL ") + msg.replace("\n", " ")[:600])


def close(a, b):
    return isinstance(a, (int, float)) and abs(a - b) < 1e-9


def db():
    c = sqlite3.connect(DB)
    c.row_factory = sqlite3.Row
    return c


def http(path, token=ADMIN, method="GET", body=None, headers=None):
    """(status, parsed JSON or text, headers) of one request."""
    url = path if path.startswith("http") else BASE + urllib.parse.quote(path, safe="/?&=$,'()")
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    if data is not None:
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, raw, hdr = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, raw, hdr = e.code, e.read(), e.headers
    try:
        return status, json.loads(raw), hdr
    except ValueError:
        return status, raw.decode("utf-8", "replace"), hdr


def devices():
    with db() as c:
        return [dict(r) for r in c.execute("SELECT id, hostname FROM device ORDER BY id")]


# ---- seeding: the configuration sections ------------------------------------------------
RESULTS = ["passed", "failed", "notApplicable", "error", "passed", "failed", "passed"]


def plan(round_):
    """{device id: [items]}: a fixed pattern over a slice of the scored catalog (all five
    categories, the Wazuh checks), an unscored check and one no policy has."""
    with db() as c:
        scored = [dict(r) for r in c.execute(
            "SELECT policy, check_id, category FROM config_check WHERE impact > 0 "
            "ORDER BY category, policy, check_id")]
    picked, per = [], {}
    for ch in scored:  # four of each category, then the Wazuh ones
        k = ch["category"]
        if per.get(k, 0) < 4 or ch["policy"] == "vigil_test_wazuh":
            per[k] = per.get(k, 0) + 1
            picked.append(ch)
    picked.append({"policy": "vigil_test_wazuh", "check_id": "91003"})  # unscored
    picked.append({"policy": "zz-gone", "check_id": "x-1"})  # no such policy
    res = {}
    for i, d in enumerate(devices()):
        items = []
        for j, ch in enumerate(picked):
            r = RESULTS[(i * 3 + j + round_ * (j % 2)) % len(RESULTS)]
            it = {"policy": ch["policy"], "id": ch["check_id"], "result": r}
            if r == "failed":
                it["reason"] = "round %d: %s is not compliant" % (round_, ch["check_id"])
                it["evidence"] = "/etc/test:%d: value" % j
            items.append(it)
        items.sort(key=lambda x: (x["policy"].encode(), x["id"].encode()))
        res[d["id"]] = items
    return res


def post_delta(dev, items, seq):
    """A delta carrying only the configuration section, the other sections' stored hashes."""
    with db() as c:
        secs = {r["name"]: {"hash": r["hash"], "count": r["count"]} for r in c.execute(
            "SELECT name, hash, count FROM device_section WHERE device_id = ?", (dev,))}
    secs.pop("configuration", None)
    text = json.dumps(items, separators=(",", ":"))
    secs["configuration"] = {"hash": "sha256:" + hashlib.sha256(text.encode()).hexdigest(),
                             "count": len(items)}
    doc = {"schemaVersion": "1.0", "sections": secs, "configuration": items}
    ident = json.load(open(os.path.join(TMP, "identity-" + dev)))
    return http("/agent/v1/report", token=ident["token"], method="POST", body=doc,
                headers={"X-Vigil-Report-Id": "cfg-test-%s-%d" % (dev[-8:], seq),
                         "X-Vigil-Report-Kind": "delta"})


def seed(round_):
    ok = True
    for dev, items in plan(round_).items():
        st, body, _ = post_delta(dev, items, round_)
        if st != 200:
            out(False, "delta round %d for %s: %s %s" % (round_, dev, st, body))
            ok = False
            continue
        with db() as c:
            got = sorted((r[0], r[1], r[2], r[3], r[4]) for r in c.execute(
                "SELECT policy, check_id, result, reason, evidence FROM device_config "
                "WHERE device_id = ?", (dev,)))
        want = sorted((i["policy"], i["id"], i["result"], i.get("reason"), i.get("evidence"))
                      for i in items)
        if got != want:
            out(False, "round %d: %s's device_config is not its delta's section" % (round_, dev))
            ok = False
    out(ok, "round %d: every delta applied and stored as sent" % round_)


# ---- expectations from the store --------------------------------------------------------
def expected(now=None):
    """Per scored check: impact, category, subcategory, title, applicable, compliant,
    exposed devices, exposed devices of value High; over devices seen in the last 30 days."""
    now = now or int(time.time())
    with db() as c:
        rows = c.execute(
            "SELECT cc.policy, cc.check_id, cc.impact, cc.category, cc.subcategory, cc.title,"
            " dc.result, d.value, d.id FROM device_config dc JOIN config_check cc ON"
            " cc.policy = dc.policy AND cc.check_id = dc.check_id JOIN device d ON"
            " d.id = dc.device_id WHERE cc.impact > 0 AND d.last_seen >= ?",
            (now - 30 * DAY,)).fetchall()
    chk = {}
    for r in rows:
        k = (r["policy"], r["check_id"])
        e = chk.setdefault(k, {"impact": r["impact"], "category": r["category"],
                               "subcategory": r["subcategory"], "title": r["title"],
                               "app": 0, "comp": 0, "exposed": set(), "crit": 0})
        if r["result"] in APPLICABLE:
            e["app"] += 1
            if r["result"] == "passed":
                e["comp"] += 1
            else:
                e["exposed"].add(r["id"])
                e["crit"] += r["value"] == "High"
    return {k: v for k, v in chk.items() if v["app"] > 0}


def rec_id(policy, check):
    if check.startswith("scid-") and check[5:6].isdigit():
        return "sca-_-" + check
    return "sca-_-%s-%s" % (policy, check)


def score_of(chk):
    tot = {"score": 0.0, "max": 0.0}
    cats = {k: {"score": 0.0, "max": 0.0} for k in CATS}
    for e in chk.values():
        p = e["impact"] * e["comp"] / e["app"]
        for t in (tot, cats[e["category"]]):
            t["score"] += p
            t["max"] += e["impact"]
    return tot, cats


def pct(s, m):
    return 100.0 * s / m if m else 0.0


# ---- checks -----------------------------------------------------------------------------
def check_org_score(label):
    st, d, _ = http("/api/configurationScore")
    if st != 200:
        return out(False, "configurationScore: %s %s" % (st, d))
    tot, cats = score_of(expected())
    out(d.get("@odata.context") == BASE + "/api/$metadata#ConfigurationScore/$entity",
        "configurationScore context %r" % d.get("@odata.context"))
    out(tot["max"] > 0 and close(d.get("score"), tot["score"]),
        "%s: score %r, recomputed %r" % (label, d.get("score"), tot["score"]))
    out(close(d.get("maxScore"), tot["max"]) and
        close(d.get("scorePercentage"), pct(tot["score"], tot["max"])),
        "%s: maxScore %r / %r, percentage %r" % (label, d.get("maxScore"), tot["max"],
                                                 d.get("scorePercentage")))
    got = [c["category"] for c in d.get("categories", [])]
    out(got == [API_CAT.get(k, k) for k in CATS], "%s: categories %s" % (label, got))
    bad = [c["category"] for c, k in zip(d.get("categories", []), CATS)
           if not (close(c["score"], cats[k]["score"]) and close(c["maxScore"], cats[k]["max"])
                   and close(c["scorePercentage"], pct(cats[k]["score"], cats[k]["max"])))]
    out(not bad, "%s: per-category scores differ: %s" % (label, bad))
    out(sum(1 for k in CATS if cats[k]["max"] > 0) == 5,
        "%s: the plan scores all five categories" % label)


def check_recs(label):
    chk = expected()
    want = {rec_id(*k): (k, e) for k, e in chk.items() if e["app"] > e["comp"]}
    st, d, _ = http("/api/recommendations?$filter=remediationType eq 'ConfigurationChange'")
    if st != 200:
        return out(False, "config recommendations: %s %s" % (st, d))
    got = {r["id"]: r for r in d["value"]}
    out(set(got) == set(want) and len(got) == len(d["value"]),
        "%s: config recommendation ids: extra %s, missing %s" %
        (label, sorted(set(got) - set(want)), sorted(set(want) - set(got))))
    bad = []
    for i, ((pol, cid), e) in want.items():
        r = got.get(i)
        if r is None:
            continue
        exp = {"productName": "", "recommendationName": e["title"],
               "weaknesses": e["app"] - e["comp"], "vendor": "", "recommendedVersion": "",
               "recommendationCategory": API_CAT.get(e["category"], e["category"]),
               "subCategory": e["subcategory"] or "", "severityScore": e["impact"],
               "remediationType": "ConfigurationChange", "status": "Active",
               "exposureImpact": 0, "totalMachineCount": e["app"],
               "exposedMachinesCount": e["app"] - e["comp"], "publicExploit": False,
               "activeAlert": False, "associatedThreats": [], "tags": [],
               "relatedComponent": e["subcategory"] or e["category"],
               "nonProductivityImpactedAssets": 0, "exposedCriticalDevices": e["crit"]}
        diff = {k: (r.get(k), v) for k, v in exp.items() if r.get(k) != v}
        imp = e["impact"] * (e["app"] - e["comp"]) / e["app"]
        if not close(r.get("configScoreImpact"), imp):
            diff["configScoreImpact"] = (r.get("configScoreImpact"), imp)
        if diff:
            bad.append("%s %s" % (i, diff))
    out(not bad, "%s: recommendation properties: %s" % (label, "; ".join(bad[:3])))
    return want


def check_union(want):
    out(any(i.startswith("sca-_-vigil_test_wazuh-9100") for i in want) and
        any(i.startswith("sca-_-scid-") for i in want), "both recommendation id forms present")
    st, d, _ = http("/api/recommendations")
    st2, sw, _ = http("/api/recommendations?$filter=remediationType eq 'Update'&$select=id")
    ids = [r["id"] for r in d.get("value", [])] if st == 200 else []
    nsw = len(sw.get("value", [])) if st2 == 200 else -1
    out(nsw > 0 and len(ids) == nsw + len(want) and len(set(ids)) == len(ids),
        "union: %d rows = %d software + %d configuration" % (len(ids), nsw, len(want)))
    # Default order: exposureImpact desc, configScoreImpact desc, id.
    keys = [(-r["exposureImpact"], -r["configScoreImpact"], r["id"]) for r in d.get("value", [])]
    out(keys == sorted(keys), "union: default order")
    st, d, _ = http("/api/recommendations?$orderby=configScoreImpact desc,id&$top=3&$select=id,configScoreImpact")
    top = sorted(((-(e["impact"] * (e["app"] - e["comp"]) / e["app"]), i) for i, (k, e) in want.items()))[:3]
    out(st == 200 and [r["id"] for r in d["value"]] == [i for _, i in top],
        "union: $orderby configScoreImpact desc: %s, want %s" % (d.get("value"), top))
    st, d, _ = http("/api/recommendations?$filter=recommendationCategory eq 'SecurityControls' and configScoreImpact gt 0&$select=id")
    exp = sorted(i for i, (k, e) in want.items() if e["category"] == "Security controls")
    out(st == 200 and sorted(r["id"] for r in d["value"]) == exp and exp,
        "union: $filter on category and impact: %s, want %s" % (d.get("value"), exp))
    st, d, _ = http("/api/recommendations?$filter=startswith(id,'va-_-') or startswith(id,'sca-_-scid-')&$top=100000&$select=id")
    out(st == 200 and len(d["value"]) == nsw + sum(1 for i in want if i.startswith("sca-_-scid-")),
        "union: $filter startswith over both kinds")
    st, d, _ = http("/api/recommendations?$filter=weaknesses ge 1&$skip=1&$top=2&$select=id")
    out(st == 200 and len(d["value"]) == 2, "union: $skip/$top")
    st, d, _ = http("/api/recommendations?$format=csv&$filter=remediationType eq 'ConfigurationChange'&$select=id,configScoreImpact")
    out(st == 200 and isinstance(d, str) and d.count("\r\n") == len(want) + 1, "union: CSV")


def check_rec_entities(want):
    dev_ids = {d["id"] for d in devices()}
    with db() as c:
        sw = c.execute("SELECT 'va-_-' || t.software_id FROM device_vuln dv JOIN tuple t ON "
                       "t.id = dv.tuple_id JOIN tuple_vuln tv ON tv.tuple_id = dv.tuple_id AND "
                       "tv.vuln_id = dv.vuln_id WHERE tv.status = 'fixAvailable' LIMIT 1").fetchone()
    for i, (k, e) in sorted(want.items())[:6]:
        st, d, _ = http("/api/recommendations/" + i)
        out(st == 200 and d.get("id") == i and
            d.get("@odata.context") == BASE + "/api/$metadata#Recommendations/$entity",
            "GET /api/recommendations/%s: %s" % (i, st))
        st, d, _ = http("/api/recommendations/%s/machineReferences" % i)
        got = sorted(r["id"] for r in d.get("value", [])) if st == 200 else None
        out(got == sorted(e["exposed"]) and set(got) <= dev_ids,
            "%s machineReferences %s, want %s" % (i, got, sorted(e["exposed"])))
    if sw:
        st, d, _ = http("/api/recommendations/%s/machineReferences" % sw[0])
        out(st == 200 and d["value"], "software machineReferences still served: %s" % st)
    for bad in ("sca-_-scid-999999", "sca-_-nope", "va-_-nope-_-nope"):
        st, d, _ = http("/api/recommendations/" + bad)
        st2, d2, _ = http("/api/recommendations/%s/machineReferences" % bad)
        out(st == 404 and st2 == 404 and d["error"]["code"] == "NotFound",
            "unknown recommendation %s: %s %s" % (bad, st, st2))
    # A compliant scored check has no recommendation.
    with db() as c:
        comp = [rec_id(*k) for k, e in expected().items() if e["app"] == e["comp"]]
    if comp:
        st, _, _ = http("/api/recommendations/" + comp[0])
        out(st == 404, "a check every device complies with has no recommendation: %s" % st)


def check_machine_recs(want):
    for dv in devices():
        st, d, _ = http("/api/machines/%s/recommendations?$top=10000&$select=id" % dv["id"])
        got = {r["id"] for r in d.get("value", [])} if st == 200 else None
        cfg = {i for i in (got or ()) if i.startswith("sca-_-")}
        exp = {i for i, (k, e) in want.items() if dv["id"] in e["exposed"]}
        with db() as c:
            sw = {"va-_-" + r[0] for r in c.execute(
                "SELECT DISTINCT t.software_id FROM device_vuln dv JOIN tuple t ON t.id = "
                "dv.tuple_id JOIN tuple_vuln tv ON tv.tuple_id = dv.tuple_id AND tv.vuln_id = "
                "dv.vuln_id WHERE tv.status = 'fixAvailable' AND dv.device_id = ?", (dv["id"],))}
        out(st == 200 and cfg == exp and got - cfg == sw,
            "machine %s recommendations: config %s want %s; software %s want %s" %
            (dv["id"], sorted(cfg or ()), sorted(exp), sorted((got or set()) - cfg), sorted(sw)))


def check_export():
    with db() as c:
        rows = {(r["device_id"], r["policy"], r["check_id"]): dict(r) for r in c.execute(
            "SELECT dc.device_id, dc.policy, dc.check_id, dc.result, cc.impact, cc.category,"
            " cc.subcategory, cc.title, d.hostname, d.os_platform, d.os_version, d.last_seen"
            " FROM device_config dc JOIN device d ON d.id = dc.device_id LEFT JOIN config_check"
            " cc ON cc.policy = dc.policy AND cc.check_id = dc.check_id")}
    url, seen, pages = "/api/machines/SecureConfigurationsAssessmentByMachine?pageSize=25", [], 0
    while url and pages < 1000:
        st, d, _ = http(url)
        if st != 200:
            return out(False, "export page %d: %s %s" % (pages, st, d))
        pages += 1
        if pages == 1:
            out(d.get("@odata.context") == BASE + "/api/$metadata#AssetConfiguration",
                "export context %r" % d.get("@odata.context"))
        seen += d["value"]
        url = d.get("@odata.nextLink")
        if url and len(d["value"]) != 25:
            out(False, "export: a page of %d rows with a nextLink" % len(d["value"]))
    keys = [(r["deviceId"], r["policy"], r["configurationId"]) for r in seen]
    out(len(keys) == len(rows) and set(keys) == set(rows) and len(set(keys)) == len(keys),
        "export: %d rows over %d pages, device_config has %d, distinct %d" %
        (len(keys), pages, len(rows), len(set(keys))))
    out(keys == sorted(keys, key=lambda k: tuple(x.encode() for x in k)),
        "export: ordered by device, policy, check")
    bad = []
    for r in seen:
        e = rows.get((r["deviceId"], r["policy"], r["configurationId"]))
        if e is None:
            continue
        scored = e["impact"] is not None and e["impact"] > 0
        exp = {"deviceName": e["hostname"], "osPlatform": e["os_platform"],
               "osVersion": e["os_version"],
               "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(e["last_seen"])),
               "configurationCategory": e["category"] or None,
               "configurationSubcategory": e["subcategory"],
               "configurationImpact": e["impact"], "configurationName": e["title"],
               "isCompliant": e["result"] == "passed", "isApplicable": e["result"] in APPLICABLE,
               "isExpectedUserImpact": False,
               "recommendationReference": rec_id(e["policy"], e["check_id"]) if scored else None}
        diff = {k: (r.get(k), v) for k, v in exp.items() if r.get(k) != v}
        if diff:
            bad.append("%s %s" % (e["check_id"], diff))
    out(not bad, "export rows: %s" % "; ".join(bad[:3]))
    st, d, _ = http("/api/machines/SecureConfigurationsAssessmentByMachine?$top=5")
    out(st == 200 and len(d["value"]) == 5 and "@odata.nextLink" not in d, "export: $top, no link")
    st, d, _ = http("/api/machines/SecureConfigurationsAssessmentByMachine?$filter=isCompliant eq false and isApplicable eq true")
    want = sum(1 for e in rows.values() if e["result"] in ("failed", "error"))
    out(st == 200 and len(d["value"]) == want, "export: $filter non-compliant %d, want %d" %
        (len(d.get("value", [])), want))
    st, d, _ = http("/api/machines/SecureConfigurationsAssessmentByMachine?pageSize=0")
    out(st == 400 and d["error"]["code"] == "BadRequest", "export: pageSize=0 is 400: %s" % st)


def check_device(dev):
    with db() as c:
        rows = [dict(r) for r in c.execute(
            "SELECT dc.*, cc.impact, cc.category, cc.title FROM device_config dc LEFT JOIN"
            " config_check cc ON cc.policy = dc.policy AND cc.check_id = dc.check_id"
            " WHERE dc.device_id = ? ORDER BY dc.policy, dc.check_id", (dev,))]
        hist = [dict(r) for r in c.execute(
            "SELECT * FROM device_config_history WHERE device_id = ? ORDER BY time DESC, id DESC",
            (dev,))]
        dp = c.execute("SELECT config_points, config_max FROM device WHERE id = ?", (dev,)).fetchone()
    st, d, _ = http("/api/machines/%s/configurations" % dev)
    got = [(r["policy"], r["configurationId"], r["result"], r["reason"], r["evidence"],
            r["impact"], r["configurationName"]) for r in d.get("value", [])]
    want = [(r["policy"], r["check_id"], r["result"], r["reason"], r["evidence"], r["impact"],
             r["title"]) for r in rows]
    out(st == 200 and got == want and want, "%s configurations: %d rows, want %d" %
        (dev, len(got), len(want)))
    fmt = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    out(all(r["firstSeen"] == fmt(w["first_seen"]) and r["changedAt"] == fmt(w["changed_at"])
            for r, w in zip(d.get("value", []), rows)), "%s configurations: times" % dev)
    st, d, _ = http("/api/machines/%s/configurations?$filter=result eq 'failed' and impact ge 1&$orderby=impact desc,configurationId&$select=configurationId,impact" % dev)
    exp = sorted(((-r["impact"], r["check_id"]) for r in rows
                  if r["result"] == "failed" and (r["impact"] or 0) >= 1))
    out(st == 200 and [(-r["impact"], r["configurationId"]) for r in d["value"]] == exp,
        "%s configurations: $filter/$orderby %s" % (dev, st))
    st, d, _ = http("/api/machines/%s/configurations?$top=2" % dev)
    out(st == 200 and len(d["value"]) == 2, "%s configurations: $top" % dev)
    # History, newest first, paged with pageSize.
    url, got = "/api/machines/%s/configurations/history?pageSize=3" % dev, []
    while url:
        st, d, _ = http(url)
        if st != 200:
            break
        got += d["value"]
        url = d.get("@odata.nextLink")
    out(st == 200 and [r["id"] for r in got] == [h["id"] for h in hist] and len(hist) > 0 and
        all(r["result"] == h["result"] and r["previous"] == h["previous"] and
            r["time"] == fmt(h["time"]) for r, h in zip(got, hist)),
        "%s history: %d rows, want %d" % (dev, len(got), len(hist)))
    # The device's own score, from its rows and the catalog's impacts.
    sc = {k: [0.0, 0.0] for k in CATS}
    for r in rows:
        if (r["impact"] or 0) > 0 and r["result"] in APPLICABLE:
            sc[r["category"]][1] += r["impact"]
            sc[r["category"]][0] += r["impact"] if r["result"] == "passed" else 0
    pts, mx = sum(v[0] for v in sc.values()), sum(v[1] for v in sc.values())
    st, d, _ = http("/api/machines/%s/configurationScore" % dev)
    out(st == 200 and d["id"] == dev and close(d["score"], pts) and close(d["maxScore"], mx) and
        close(d["scorePercentage"], pct(pts, mx)) and
        all(close(c["score"], sc[k][0]) and close(c["maxScore"], sc[k][1])
            for c, k in zip(d["categories"], CATS)),
        "%s configurationScore %s, want %s/%s" % (dev, {k: d.get(k) for k in ("score", "maxScore")} if st == 200 else st, pts, mx))
    out(dp is not None and dp[0] is not None and close(dp[0], pts) and close(dp[1], mx),
        "%s: the stored device score %s equals the API's %s/%s" % (dev, tuple(dp or ()), pts, mx))


def check_catalog():
    now = int(time.time())
    with db() as c:
        cat = {(r["policy"], r["check_id"]): dict(r) for r in c.execute("SELECT * FROM config_check")}
        cnt = {}
        for r in c.execute("SELECT dc.policy, dc.check_id, dc.result FROM device_config dc JOIN"
                           " device d ON d.id = dc.device_id WHERE d.last_seen >= ?", (now - 30 * DAY,)):
            e = cnt.setdefault((r[0], r[1]), [0, 0])
            e[0] += r[2] in APPLICABLE
            e[1] += r[2] == "passed"
    st, d, _ = http("/api/configurations?$top=10000")
    got = {(r["policy"], r["configurationId"]): r for r in d.get("value", [])}
    out(st == 200 and set(got) == set(cat), "catalog: %d checks, store %d" % (len(got), len(cat)))
    bad = []
    for k, r in got.items():
        a, p = cnt.get(k, [0, 0])
        e = cat.get(k, {})
        exp = {"applicableMachines": a, "compliantMachines": p, "nonCompliantMachines": a - p,
               "impact": e.get("impact"), "configurationName": e.get("title"),
               "references": json.loads(e.get("refs", "[]")),
               "recommendationReference": rec_id(*k) if e.get("impact", 0) > 0 else None}
        diff = {x: (r.get(x), v) for x, v in exp.items() if r.get(x) != v}
        if diff:
            bad.append("%s %s" % (k, diff))
    out(not bad, "catalog rows: %s" % "; ".join(bad[:3]))
    st, d, _ = http("/api/configurations?$filter=nonCompliantMachines gt 0 and impact gt 0&$select=policy,configurationId")
    exp = sorted(k for k, v in cnt.items() if v[0] > v[1] and cat.get(k, {}).get("impact", 0) > 0)
    out(st == 200 and sorted((r["policy"], r["configurationId"]) for r in d["value"]) == exp,
        "catalog: $filter nonCompliantMachines")


def check_auth(agent, analyst):
    dev = devices()[0]["id"]
    paths = ["/api/configurationScore", "/api/configurations",
             "/api/machines/%s/configurations" % dev, "/api/machines/%s/configurations/history" % dev,
             "/api/machines/%s/configurationScore" % dev,
             "/api/machines/SecureConfigurationsAssessmentByMachine"]
    for p in paths:
        s1, d1, h1 = http(p, token=None)
        s2, d2, _ = http(p, token=agent)
        s3, _, _ = http(p, token=analyst)
        s4, _, _ = http(p, token="vgt_bogus_token_value")
        out(s1 == 401 and d1["error"]["code"] == "Unauthorized" and h1.get("WWW-Authenticate") and
            s2 == 403 and d2["error"]["code"] == "Forbidden" and s3 == 200 and s4 == 401,
            "auth %s: none %s, agent %s, analyst %s, bogus %s" % (p, s1, s2, s3, s4))
    for p in ("/api/machines/no-such-device/configurations",
              "/api/machines/no-such-device/configurations/history",
              "/api/machines/no-such-device/configurationScore",
              "/api/machines/no-such-device/recommendations"):
        st, d, _ = http(p)
        out(st == 404 and d == {"error": {"code": "NotFound", "message": "machine not found"}},
            "404 %s: %s %s" % (p, st, d))
    st, d, _ = http("/api/machines/%s/configurations?$filter=nope eq 1" % dev)
    out(st == 400 and d["error"]["code"] == "ODataError", "bad $filter is 400 ODataError: %s" % st)
    host = devices()[0]["hostname"]
    if host:
        st, d, _ = http("/api/machines/%s/configurationScore" % host)
        out(st == 200 and d["id"] == dev, "configurationScore by computer name: %s" % st)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "seed":
        seed(int(sys.argv[2]))
    elif cmd == "all":
        label = sys.argv[2]
        check_org_score(label)
        want = check_recs(label)
        if want:
            check_union(want)
            check_rec_entities(want)
            check_machine_recs(want)
        check_export()
        check_catalog()
        for d in devices():
            check_device(d["id"])
    elif cmd == "auth":
        check_auth(sys.argv[2], sys.argv[3])
    elif cmd == "score":
        check_org_score(sys.argv[2])
        check_recs(sys.argv[2])
        check_catalog()
EOF

# run_py ARGS...: the checker's OK/FAIL lines counted as checks.
run_py() {
  local st msg
  while IFS=' ' read -r st msg; do
    case $st in
    OK) ok ;;
    FAIL) not_ok "$msg" ;;
    *) not_ok "checker: $st $msg" ;;
    esac
  done < <(BASE=$BASE DB=$DB TMP=$TMP ADMIN=$ADMIN python3 "$PYCHK" "$@" 2>&1)
}

for root in $ROOTS; do
  id=$(device_of "$root")
  cp "$TMP/state-$root/identity" "$TMP/identity-$id"
done

# ---- round 1: the first configuration sections ------------------------------------------
run_py seed 1
# One device of value High (exposedCriticalDevices).
st=$(call POST "/api/machines/$(device_of config-noncompliant)/setDeviceValue" \
  -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"DeviceValue":"High"}')
if [ "$st" = 200 ]; then ok; else not_ok "setDeviceValue: $st"; fi
run_py all round1

# ---- round 2: results change (history, changedAt); the scores and recommendations follow --
sleep 1
run_py seed 2
run_py all round2

# ---- a device not seen for 40 days drops out of the organization's numbers (score,
# recommendations, the catalog's counts) ------------------------------------------------
sql "update device set last_seen = last_seen - 40 * 86400 where id = '$(device_of scan-debian10)'"
run_py score inactive

run_py auth "$AGENT" "$ANALYST"
finish
