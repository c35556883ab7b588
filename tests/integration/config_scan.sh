#!/usr/bin/env bash
# config_scan.sh - `vigil scan`'s configuration assessment (issue 6): --config-only
# with the fixture policy tests/data/config-scan/baseline.yml against the fixture roots
# config-noncompliant and config-compliant (table lines, JSON with the Secure Score
# recomputed here), a policy that does not load, a missing root, command rules off by
# default, and the configuration block after the vulnerabilities of a normal scan.
. "$(dirname "$0")/lib.sh"

R=$VG_TEST_DATA/roots
P=$VG_TEST_DATA/config-scan
NON=$R/config-noncompliant
export VIGIL_DB=$TMP/default-unused.db # never the user's own store

cfg() { "$VIGIL" scan --config-only --policy "$P/baseline.yml" "$@"; }

# has_line FILE LINE DESC: FILE has exactly this line.
has_line() {
  if grep -qxF -- "$2" "$1"; then ok; else not_ok "$3: no line '$2' in: $(head -c 1500 "$1")"; fi
}

# ---- the table, non-compliant root -------------------------------------------------------
if cfg --root "$NON" >"$TMP/non.txt" 2>"$TMP/err"; then ok; else not_ok "config-only scan: exit $? $(cat "$TMP/err")"; fi
has_line "$TMP/non.txt" "Vigil configuration assessment of $NON" "title"
has_line "$TMP/non.txt" "Configuration  test-scan 1.0: Scan test baseline" "policy line"
has_line "$TMP/non.txt" "Policy file    $P/baseline.yml" "policy file line"
has_line "$TMP/non.txt" "Checks         6: 2 passed, 3 failed, 1 not applicable, 0 errors" "counts"
# passed: scid-104 (4) + scid-105 (3); applicable: those + scid-101 (8), -102 (5), -103 (6)
has_line "$TMP/non.txt" "Secure Score   7 / 26 points (26.9%)" "score"
has_line "$TMP/non.txt" "  Accounts           0 / 13 points (0.0%)" "accounts score"
has_line "$TMP/non.txt" "  OS                 4 / 4 points (100.0%)" "OS score"
has_line "$TMP/non.txt" "  Network            0 / 6 points (0.0%)" "network score"
has_line "$TMP/non.txt" "  Application        3 / 3 points (100.0%)" "application score"
# scid-106 applies to Debian only (no os-release under the root): not applicable, not scored.
if grep -q "Security controls" "$TMP/non.txt"; then not_ok "a category without an applicable check is listed"; else ok; fi
has_line "$TMP/non.txt" "  ID        IMPACT  CATEGORY  TITLE                           REASON" "failed header"
has_line "$TMP/non.txt" "  scid-101       8  Accounts  Disable SSH root login          PermitRootLogin is 'yes' (/etc/ssh/sshd_config:3), want 'no'" "failed scid-101"
has_line "$TMP/non.txt" "  scid-102       5  Accounts  Passwords expire within a year  PASS_MAX_DAYS is '99999' (/etc/login.defs:2), want <= 365" "failed scid-102"
# Failed checks by impact, highest first: 101 (8), 103 (6), 102 (5).
order=$(grep -oE '^  scid-[0-9]+' "$TMP/non.txt" | tr -d ' ' | tr '\n' ' ')
[ "$order" = "scid-101 scid-103 scid-102 " ] && ok || not_ok "failed order: '$order'"
if grep -qE ' +$' "$TMP/non.txt"; then not_ok "trailing blanks in the table"; else ok; fi

# ---- compliant root: everything applicable passes -------------------------------------------
if cfg --root "$R/config-compliant" >"$TMP/comp.txt" 2>"$TMP/err"; then ok; else not_ok "compliant scan: exit $?"; fi
has_line "$TMP/comp.txt" "Checks         6: 5 passed, 0 failed, 1 not applicable, 0 errors" "compliant counts"
has_line "$TMP/comp.txt" "Secure Score   26 / 26 points (100.0%)" "compliant score"
if grep -q '^  ID ' "$TMP/comp.txt"; then not_ok "failed-checks table without failures"; else ok; fi

# ---- JSON: every result, and the score recomputed from them -----------------------------------
if cfg --root "$NON" --json >"$TMP/non.json" 2>"$TMP/err"; then ok; else not_ok "config-only json: exit $?"; fi
cfg --root "$NON" --format json --compact >"$TMP/non-compact.json" 2>/dev/null
[ "$(wc -l <"$TMP/non-compact.json")" -eq 1 ] && ok || not_ok "--compact is not one line"
if /usr/bin/python3 - "$TMP/non.json" "$TMP/non-compact.json" "$NON" >"$TMP/py.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
compact = json.load(open(sys.argv[2]))
errors = []
def check(cond, what):
    if not cond:
        errors.append(what)
check(d["schemaVersion"] == "1.0" and d["tool"]["name"] == "vigil", "envelope")
check(d["root"] == sys.argv[3], "root")
check("findings" not in d, "findings in a --config-only report")
c = d["configuration"]
res = {r["id"]: r for r in c["results"]}
check([r["id"] for r in c["results"]] == ["scid-101", "scid-102", "scid-103", "scid-104", "scid-105", "scid-106"], "results in the policy's order")
want = {"scid-101": "failed", "scid-102": "failed", "scid-103": "failed", "scid-104": "passed",
        "scid-105": "passed", "scid-106": "notApplicable"}
check({k: r["result"] for k, r in res.items()} == want, "results: %s" % {k: r["result"] for k, r in res.items()})
r = res["scid-101"]
check(r["policy"] == "test-scan" and r["title"] == "Disable SSH root login" and r["category"] == "Accounts"
      and r["subcategory"] == "SSH" and r["impact"] == 8, "scid-101 fields: %s" % r)
check(r["reason"] == "PermitRootLogin is 'yes' (/etc/ssh/sshd_config:3), want 'no'", "scid-101 reason: %s" % r["reason"])
check(r["evidence"] is not None and "/etc/ssh/sshd_config:3" in r["evidence"] and "PermitRootLogin yes" in r["evidence"],
      "scid-101 evidence: %s" % r["evidence"])
check(res["scid-106"]["reason"].startswith("does not apply: distro"), "scid-106 reason: %s" % res["scid-106"]["reason"])
check("subcategory" not in res["scid-102"], "subcategory written when unset")
# The Secure Score of eval.h: sum of passed impacts over sum of applicable (passed, failed, error).
applicable = [r for r in c["results"] if r["result"] in ("passed", "failed", "error") and r["impact"] > 0]
points = sum(r["impact"] for r in applicable if r["result"] == "passed")
mx = sum(r["impact"] for r in applicable)
s = c["score"]
check((s["points"], s["max"]) == (points, mx) == (7, 26), "score %s, recomputed %d/%d" % (s, points, mx))
check(abs(s["percent"] - 100.0 * points / mx) < 0.01, "percent %s" % s["percent"])
cats = {x["category"]: (x["points"], x["max"]) for x in s["categories"]}
want_cats = {}
for r in applicable:
    p, m = want_cats.get(r["category"], (0, 0))
    want_cats[r["category"]] = (p + (r["impact"] if r["result"] == "passed" else 0), m + r["impact"])
check(cats == want_cats == {"Accounts": (0, 13), "Network": (0, 6), "OS": (4, 4), "Application": (3, 3)},
      "categories %s, recomputed %s" % (cats, want_cats))
check((c["checks"], c["passed"], c["failed"], c["notApplicable"], c["error"]) == (6, 2, 3, 1, 0), "counts")
pol = c["policies"]
check(len(pol) == 1 and pol[0]["id"] == "test-scan" and pol[0]["format"] == "vigil" and pol[0]["version"] == "1.0"
      and pol[0]["score"] == s, "policies: %s" % pol)
check(compact["configuration"]["results"] == c["results"], "compact and pretty differ")
print("\n".join(errors))
sys.exit(1 if errors else 0)
PY
then ok; else not_ok "json: $(cat "$TMP/py.out")"; fi

# A policy for another distribution is one line, not an empty score block (the shipped Alpine
# baseline on a Debian 12 root).
"$VIGIL" scan --config-only --color never --policy "$VG_TEST_DATA/../../content/vigil-alpine.yml" \
  --root "$R/baseline-debian-hardened" >"$TMP/alpine.txt" 2>"$TMP/err"
has_line "$TMP/alpine.txt" "Checks         15, none applicable (does not apply: distro 'debian' is not alpine)" \
  "policy for another distribution"
if grep -q "^Secure Score" "$TMP/alpine.txt"; then not_ok "empty score block printed"; else ok; fi

# A Wazuh policy's checks carry no impact: its block says so instead of a 0 / 0 score.
"$VIGIL" scan --config-only --color never --policy "$VG_SHARED_DATA/sca/wazuh/cis_debian12.yml" \
  --root "$R/config-debian12" >"$TMP/wazuh.txt" 2>"$TMP/err"
has_line "$TMP/wazuh.txt" "Secure Score   not scored (its checks have no impact: docs/policy-format.md)" \
  "unscored policy"

# ---- errors --------------------------------------------------------------------------------------
expect_match "a policy that does not load: exit 2, the loader's message" 2 \
  "^vigil scan: error: .*/broken\.yml:14:[0-9]+: .*impact" stderr -- \
  "$VIGIL" scan --config-only --policy "$P/broken.yml" --root "$NON"
expect_match "a missing policy file: exit 2" 2 "nope\.yml" stderr -- \
  "$VIGIL" scan --config-only --policy "$TMP/nope.yml" --root "$NON"
expect_match "a missing root: exit 2" 2 "cannot read root directory '$TMP/none'" stderr -- \
  cfg --root "$TMP/none"
expect_match "--config-only with --no-config" 2 "exclude each other" stderr -- \
  cfg --root "$NON" --no-config
expect_match "--config-only with csv" 2 "config-only" stderr -- cfg --root "$NON" --format csv
expect_match "bad --command-timeout" 2 "bad --command-timeout 'soon'" stderr -- \
  cfg --root "$NON" --command-timeout soon
expect_match "no knowledge base needed" 0 "^Checks " stdout -- \
  env VIGIL_DB="$TMP/none.db" "$VIGIL" scan --config-only --policy "$P/baseline.yml" --root "$NON"

# ---- command rules: off by default, then notApplicable --------------------------------------------
W=$P/wazuh-command.yml
"$VIGIL" scan --config-only --policy "$W" --root / --json >"$TMP/cmd-off.json" 2>"$TMP/err"
got=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["configuration"]["results"][0]; print(r["id"], r["result"])' "$TMP/cmd-off.json" 2>&1)
[ "$got" = "90001 notApplicable" ] && ok || not_ok "c: rule without --commands: $got"
"$VIGIL" scan --config-only --policy "$W" --root / --commands --json >"$TMP/cmd-on.json" 2>"$TMP/err"
got=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["configuration"]["results"][0]; print(r["id"], r["result"])' "$TMP/cmd-on.json" 2>&1)
[ "$got" = "90001 passed" ] && ok || not_ok "c: rule with --commands: $got"
# Never for a root other than "/", even with --commands.
"$VIGIL" scan --config-only --policy "$W" --root "$NON" --commands --json >"$TMP/cmd-root.json" 2>"$TMP/err"
got=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["configuration"]["results"][0]; print(r["id"], r["result"])' "$TMP/cmd-root.json" 2>&1)
[ "$got" = "90001 notApplicable" ] && ok || not_ok "c: rule on another root: $got"
# Two policies: one block each and an Overall line.
"$VIGIL" scan --config-only --policy "$P/baseline.yml" --policy "$W" --root "$NON" >"$TMP/two.txt" 2>"$TMP/err"
[ "$(grep -c '^Configuration  ' "$TMP/two.txt")" -eq 2 ] && ok || not_ok "two policies: $(grep '^Configuration' "$TMP/two.txt")"
has_line "$TMP/two.txt" "Overall        7 / 26 points (26.9%)" "overall line"

# ---- a normal scan: the configuration after the vulnerabilities -------------------------------------
DB=$TMP/kb.db
if "$VIGIL" feeds import --db "$DB" "$VG_SHARED_DATA/kev/known_exploited_vulnerabilities.json" >"$TMP/import.out" 2>&1; then ok
else not_ok "feeds import: $(tail -3 "$TMP/import.out")"; fi
scan() { "$VIGIL" scan --db "$DB" --root "$NON" --policy "$P/baseline.yml" "$@"; }
scan >"$TMP/full.txt" 2>"$TMP/err" && ok || not_ok "normal scan: exit $? $(cat "$TMP/err")"
vuln=$(grep -n '^Exposure ' "$TMP/full.txt" | head -1 | cut -d: -f1)
conf=$(grep -n '^Configuration  test-scan' "$TMP/full.txt" | head -1 | cut -d: -f1)
[ -n "$vuln" ] && [ -n "$conf" ] && [ "$vuln" -lt "$conf" ] && ok ||
  not_ok "configuration block not after the vulnerabilities (Exposure line ${vuln:-none}, Configuration ${conf:-none})"
has_line "$TMP/full.txt" "Secure Score   7 / 26 points (26.9%)" "normal scan score"
if grep -qE ' +$' "$TMP/full.txt"; then not_ok "trailing blanks in the normal table"; else ok; fi
scan --no-config >"$TMP/novuln.txt" 2>/dev/null
if grep -q '^Configuration' "$TMP/novuln.txt"; then not_ok "--no-config printed a configuration block"; else ok; fi
for mode in "" --compact; do
  scan --format json $mode >"$TMP/full.json" 2>"$TMP/err" && ok || not_ok "normal json $mode: exit $?"
  got=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["configuration"]; print(len(d["findings"]), "summary" in d, c["score"]["points"], c["score"]["max"], len(c["results"]))' "$TMP/full.json" 2>&1)
  [ "$got" = "0 True 7 26 6" ] && ok || not_ok "normal json $mode: $got"
done
scan --format json --no-config >"$TMP/nc.json" 2>/dev/null
got=$(/usr/bin/python3 -c 'import json,sys; print("configuration" in json.load(open(sys.argv[1])))' "$TMP/nc.json" 2>&1)
[ "$got" = "False" ] && ok || not_ok "--no-config json: $got"
scan --format csv >"$TMP/full.csv" 2>/dev/null
if grep -q 'scid-' "$TMP/full.csv"; then not_ok "configuration in CSV"; else ok; fi
finish
