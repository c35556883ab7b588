#!/usr/bin/env python3
"""config_lynis.py - pair Lynis' verdicts with Vigil's on the controls both assess.

Usage: config_lynis.py VIGIL_JSON LYNIS_LOG LYNIS_REPORT

VIGIL_JSON is `vigil scan --config-only --json`; LYNIS_LOG and LYNIS_REPORT are the log and
report files of `lynis audit system` run on the same machine (bench/config_lynis.sh).

Lynis' verdict on a test: "skipped" when its log says "Skipped test ID" (or never performed
it), "fail" when its report has a suggestion or warning of that test (matching the text
given, for tests that cover several controls), else "pass".  For KRNL-6000 the log has one
line per sysctl key ("contains equal expected and current value" / "has a different
value").  Vigil's verdict is its result for the check whose rule decides the same thing,
found in the shipped policies (content/*.yml) by rule, not by id, so the pairing survives
renumbering.  Both sides not applicable or skipped: listed as such, not as an agreement.
"""
import glob
import json
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def load_checks():
    """(policy id, check id) -> list of (kind, argument, rule) for every shipped check."""
    checks = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "content", "*.yml"))):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        pol = doc["policy"]["id"]
        for c in doc["checks"]:
            rules = []
            for r in c["rules"]:
                kind = next(iter(r))
                rules.append((kind, r[kind], r))
            checks[(pol, c["id"])] = rules
    return checks


def vigil_results(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return {(r["policy"], r["id"]): r for r in doc["configuration"]["results"]}


def lynis_state(log_path, report_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    performed = set(re.findall(r"Performing test ID (\S+)", log))
    skipped = set(re.findall(r"Skipped test (\S+)", log))
    findings = []  # (test, text)
    with open(report_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"(suggestion|warning)\[\]=([^|]+)\|([^|]*)", line)
            if m:
                findings.append((m.group(2), m.group(3)))
    sysctl = {}
    for m in re.finditer(r"Result: sysctl key (\S+) (contains equal expected and current value \((.*?)\)|"
                         r"has a different value than expected in scan profile\. Expected=(\S+), Real=(\S+))", log):
        key = m.group(1)
        if m.group(3) is not None:
            sysctl[key] = ("pass", "expected value %s present" % m.group(3))
        else:
            sysctl[key] = ("fail", "expected %s, found %s" % (m.group(4), m.group(5)))
    return performed, skipped, findings, sysctl


def lynis_verdict(state, test, text=None):
    performed, skipped, findings, _ = state
    if test in skipped or test not in performed:
        return "skipped", "not performed (%s)" % ("skipped" if test in skipped else "absent")
    for t, msg in findings:
        if t == test and (text is None or text.lower() in msg.lower()):
            return "fail", msg
    return "pass", "no suggestion or warning"


def find_check(checks, pred):
    """The first shipped check (in policy order) one of whose rules satisfies pred."""
    for key, rules in checks.items():
        for kind, arg, rule in rules:
            if pred(kind, arg, rule):
                return key
    return None


def rule_is(kind_want, arg_want):
    def pred(kind, arg, rule):
        if kind != kind_want:
            return False
        args = arg if isinstance(arg, list) else [arg]
        return arg_want in args
    return pred


def mount_separate(path):
    # "is a separate file system": a mount rule on the path without options to check
    return lambda kind, arg, rule: kind == "mount" and arg == path and not rule.get("options")


# Lynis test (and report text for tests that cover several controls) -> the Vigil rule
# making the same decision.  Chosen by reading each Lynis test's code (include/tests_*).
PAIRS = [
    ("SSH-7408", "PermitRootLogin", "SSH root login", rule_is("sshd", "PermitRootLogin")),
    ("AUTH-9286", "maximum password age", "password maximum age", rule_is("login_defs", "PASS_MAX_DAYS")),
    ("AUTH-9286", "minimum password age", "password minimum age", rule_is("login_defs", "PASS_MIN_DAYS")),
    ("AUTH-9328", "umask", "default umask (login.defs)", rule_is("login_defs", "UMASK")),
    ("AUTH-9262", None, "password quality PAM module", rule_is("pam", "common-password")),
    ("KRNL-5820", None, "core dumps disabled", rule_is("limits", "core")),
    ("USB-1000", None, "usb-storage driver disabled", rule_is("module", "usb-storage")),
    ("NETW-3200", "'dccp'", "dccp protocol", rule_is("module", "dccp")),
    ("NETW-3200", "'sctp'", "sctp protocol", rule_is("module", "sctp")),
    ("NETW-3200", "'rds'", "rds protocol", rule_is("module", "rds")),
    ("NETW-3200", "'tipc'", "tipc protocol", rule_is("module", "tipc")),
    ("FILE-6310", "/tmp", "/tmp on its own file system", mount_separate("/tmp")),
    ("FIRE-4590", None, "host firewall", rule_is("unit", "nftables.service")),
    ("ACCT-9628", None, "auditing (auditd)", rule_is("package", "auditd")),
    ("FINT-4350", None, "file integrity tool", rule_is("package", "aide")),
    ("PKGS-7420", None, "automatic security updates", rule_is("package", "unattended-upgrades")),
    ("TIME-3104", None, "time synchronisation", rule_is("unit", "systemd-timesyncd.service")),
    ("MACF-6208", None, "AppArmor / MAC framework", rule_is("package", "apparmor")),
]


def vigil_verdict(results, key):
    r = results.get(key)
    if r is None:
        return "absent", ""
    return {"passed": "pass", "failed": "fail"}.get(r["result"], "na"), r.get("reason") or ""


def main():
    vjson, llog, lreport = sys.argv[1:4]
    checks = load_checks()
    results = vigil_results(vjson)
    state = lynis_state(llog, lreport)
    rows = []
    for test, text, label, pred in PAIRS:
        key = find_check(checks, pred)
        lv, lwhy = lynis_verdict(state, test, text)
        vv, vwhy = vigil_verdict(results, key) if key else ("absent", "no such check")
        rows.append((label, test, key[1] if key else "-", lv, vv, lwhy, vwhy))
    for skey, (lv, lwhy) in sorted(state[3].items()):
        key = find_check(checks, rule_is("sysctl", skey))
        if key is None:
            rows.append(("sysctl " + skey, "KRNL-6000", "-", lv, "absent", lwhy, "no Vigil check"))
            continue
        vv, vwhy = vigil_verdict(results, key)
        rows.append(("sysctl " + skey, "KRNL-6000", key[1], lv, vv, lwhy, vwhy))

    compared = [r for r in rows if r[3] in ("pass", "fail") and r[4] in ("pass", "fail")]
    agree = [r for r in compared if r[3] == r[4]]
    other = [r for r in rows if r not in compared]
    print("verdicts compared: %d controls both assessed; %d agree, %d disagree"
          % (len(compared), len(agree), len(compared) - len(agree)))
    print("%-44s %-10s %-11s %-6s %-6s" % ("control", "lynis", "vigil", "lynis", "vigil"))
    for r in compared:
        mark = "" if r[3] == r[4] else "  <-- disagree"
        print("%-44s %-10s %-11s %-6s %-6s%s" % (r[0][:44], r[1], r[2], r[3], r[4], mark))
    print()
    print("disagreements, with each side's reason:")
    for r in compared:
        if r[3] != r[4]:
            print("- %s (Lynis %s, Vigil %s): Lynis %s: %s | Vigil %s: %s"
                  % (r[0], r[1], r[2], r[3], r[5], r[4], r[6]))
    print()
    print("not compared (one side skipped, not applicable, or has no such control):")
    for r in other:
        print("- %s (Lynis %s: %s; Vigil %s: %s)" % (r[0], r[1], r[3], r[2], r[4]))


if __name__ == "__main__":
    main()
