#!/usr/bin/python3
"""Reference computation of what the OSV importers must produce (test_osv.c).

An implementation of the rules of docs/feeds/osv.md independent of the C
code: PEP 440 through python3-packaging, Debian ordering through
python3-apt (the same algorithm as dpkg --compare-versions), SemVer and the
generic order written out below.  It prints one line per vuln ("VULN id
naliases") and per statement ("AFF id ns package scheme status introduced
fixed last_affected exact note", "-" for absent), which is how the counts
hard-coded in tests/unit/feeds/test_osv.c were obtained:

    /usr/bin/python3 tests/data/osv/expected.py ../shared/data/osv/go-vulndb/*.json | grep -c ^AFF
"""
import functools
import json
import re
import sys

import apt_pkg
import yaml
from packaging.version import InvalidVersion, Version

apt_pkg.init()

LANG = {"PyPI": "pep440", "npm": "semver", "Go": "semver", "crates.io": "semver",
        "SwiftURL": "semver", "Maven": "generic", "NuGet": "generic", "Packagist": "generic",
        "RubyGems": "generic", "Hex": "generic", "Pub": "generic", "GitHub Actions": "generic",
        "Hackage": "generic", "CRAN": "generic", "Bioconductor": "generic",
        "ConanCenter": "generic", "opam": "generic", "Julia": "generic", "VSCode": "generic"}
GITHUB = {"PIP": "PyPI", "NPM": "npm", "GO": "Go", "MAVEN": "Maven", "RUBYGEMS": "RubyGems",
          "NUGET": "NuGet", "COMPOSER": "Packagist", "RUST": "crates.io", "PUB": "Pub",
          "SWIFT": "SwiftURL", "ERLANG": "Hex", "ACTIONS": "GitHub Actions"}


def ecosystem(eco):
    if eco in LANG:
        return eco, LANG[eco]
    for base in ("Maven", "Packagist", "VSCode"):
        if eco.startswith(base + ":"):
            return base, LANG[base]
    m = re.fullmatch(r"Debian:(\d{1,8})", eco)
    if m:
        return "debian:" + m.group(1), "dpkg"
    m = re.fullmatch(r"Ubuntu:(?:Pro:)?(\d{1,8}\.\d{1,8})(?::LTS)?", eco)
    if m:
        return "ubuntu:" + m.group(1), "dpkg"
    m = re.fullmatch(r"Alpine:v?(\d{1,8}\.\d{1,8})", eco)
    if m:
        return "alpine:" + m.group(1), "apk"
    return None, None


SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
                    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?")


def normalize(scheme, v):
    """The version as statements carry it, or None when the scheme rejects it."""
    v = v.strip()
    if scheme == "semver":
        if len(v) > 1 and v[0] == "v" and v[1].isdigit():
            v = v[1:]
        if re.fullmatch(r"\d{1,8}", v):
            v += ".0.0"
        elif re.fullmatch(r"\d{1,8}\.\d{1,8}", v):
            v += ".0"
        return v if SEMVER.fullmatch(v) else None
    if scheme == "pep440":
        try:
            Version(v)
            return v
        except InvalidVersion:
            return None
    if scheme == "dpkg":
        return v if re.fullmatch(r"(\d+:)?\d[A-Za-z0-9.+~:-]*", v) else None
    if scheme == "apk":
        return v if re.fullmatch(r"\d+(\.\d+)*[a-z]?(_[a-z]+\d*)*(-r\d+)?", v) else None
    return v if v and not re.search(r"\s", v) else None


def semver_key(v):
    m = SEMVER.fullmatch(v)
    pre = m.group(4)
    ids = [(0, int(x), "") if x.isdigit() else (1, 0, x) for x in pre.split(".")] if pre else []
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))), ids


def semver_cmp(a, b):
    (ra, pa), (rb, pb) = semver_key(a), semver_key(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if not pa or not pb:
        return (not pa) - (not pb)
    for x, y in zip(pa, pb):
        if x != y:
            return -1 if x < y else 1
    return (len(pa) > len(pb)) - (len(pa) < len(pb))


def generic_key(v):
    return [(1, int(t), "") if t.isdigit() else (0, 0, t.lower())
            for t in re.findall(r"\d+|[A-Za-z]+", v)]


def cmp(scheme, a, b):
    if scheme == "semver":
        return semver_cmp(a, b)
    if scheme == "pep440":
        x, y = Version(a), Version(b)
    elif scheme == "dpkg":
        c = apt_pkg.version_compare(a, b)
        return (c > 0) - (c < 0)
    elif scheme == "generic":
        x, y = generic_key(a), generic_key(b)
    else:
        raise SystemExit("no %s comparison needed by the data" % scheme)
    return (x > y) - (x < y)


def out(rid, ns, pkg, scheme, intro=None, fixed=None, last=None, exact=None, note=None):
    status = "fixed" if fixed else "affected"
    vals = [x if x is not None else "-" for x in (intro, fixed, last, exact, note)]
    print("AFF", rid, ns, pkg, scheme, status, *vals)


def interval(rid, ns, pkg, scheme, intro, fixed, last, limit, ivs):
    if intro is not None and ((fixed and cmp(scheme, intro, fixed) >= 0)
                              or (last and cmp(scheme, intro, last) > 0)):
        return
    note = None
    if limit is not None:
        if intro is not None and cmp(scheme, intro, limit) >= 0:
            return
        if not fixed or cmp(scheme, fixed, limit) > 0:
            if not last or cmp(scheme, last, limit) >= 0:
                fixed, note = limit, "limit"
    ivs.append((scheme, intro, fixed, last))
    out(rid, ns, pkg, scheme, intro, fixed, last, None, note)


def osv_range(rid, ns, pkg, scheme, rng, ivs):
    events, limits, unlimited = [], [], False
    for e in rng.get("events") or []:
        keys = [k for k in ("introduced", "fixed", "last_affected", "limit") if k in e]
        if len(keys) != 1:
            continue
        k, v = keys[0], e[keys[0]]
        if k == "introduced" and v == "0":
            events.append((k, None))
            continue
        if k == "limit" and "*" in v:
            unlimited = True
            continue
        n = normalize(scheme, v)
        if n is None:
            continue
        if k == "limit":
            limits.append(n)
        else:
            events.append((k, n))
    limit = None
    if limits and not unlimited:
        limit = functools.reduce(lambda a, b: b if cmp(scheme, b, a) > 0 else a, limits)

    def ev_cmp(a, b):
        if a[1] is None or b[1] is None:
            return (b[1] is None) - (a[1] is None)
        return cmp(scheme, a[1], b[1])
    events.sort(key=functools.cmp_to_key(ev_cmp))
    intro, is_open = None, False
    for k, v in events:
        if k == "introduced":
            if not is_open:
                intro = v
            is_open = True
        elif is_open:
            is_open = False
            interval(rid, ns, pkg, scheme, intro, v if k == "fixed" else None,
                     v if k == "last_affected" else None, limit, ivs)
    if is_open:
        interval(rid, ns, pkg, scheme, intro, None, None, limit, ivs)


def covered(scheme, v, iv):
    s, intro, fixed, last = iv
    if s != scheme and normalize(s, v) != v:
        return False
    return ((intro is None or cmp(s, intro, v) <= 0) and (fixed is None or cmp(s, v, fixed) < 0)
            and (last is None or cmp(s, v, last) <= 0))


def osv_record(d):
    rid = d["id"]
    aliases = set(d.get("aliases") or [])
    if len(d.get("upstream") or []) == 1:
        aliases |= set(d["upstream"])
    aliases.discard(rid)
    print("VULN", rid, len(aliases), "withdrawn" if d.get("withdrawn") else "-")
    if d.get("withdrawn"):
        return
    for a in d.get("affected") or []:
        pkg = a.get("package") or {}
        ns, scheme = ecosystem(pkg.get("ecosystem", ""))
        if not ns or not pkg.get("name"):
            continue
        ivs = []
        for r in a.get("ranges") or []:
            if r.get("type") in ("SEMVER", "ECOSYSTEM"):
                osv_range(rid, ns, pkg["name"], "semver" if r["type"] == "SEMVER" else scheme,
                          r, ivs)
        for v in a.get("versions") or []:
            n = normalize(scheme, v)
            if n is not None and not any(covered(scheme, n, iv) for iv in ivs):
                out(rid, ns, pkg["name"], scheme, exact=n)


def ghsa_node(n):
    rid = n["ghsaId"]
    aliases = {i["value"] for i in n.get("identifiers") or []} - {rid}
    print("VULN", rid, len(aliases), "withdrawn" if n.get("withdrawnAt") else "-")
    if n.get("withdrawnAt"):
        return
    vulns = n["vulnerabilities"]
    for v in vulns.get("nodes") or [e["node"] for e in vulns.get("edges") or []]:
        ns, scheme = ecosystem(GITHUB.get(v["package"]["ecosystem"], "?"))
        bounds = {}
        for term in v["vulnerableVersionRange"].split(","):
            op, ver = re.fullmatch(r"\s*(>=|<=|<|=)\s*(\S+)\s*", term).groups()
            bounds[op] = None if (op == ">=" and ver == "0") else normalize(scheme, ver)
        if "=" in bounds:
            out(rid, ns, v["package"]["name"], scheme, exact=bounds["="])
            continue
        intro, fixed, last = bounds.get(">="), bounds.get("<"), bounds.get("<=")
        patched = (v.get("firstPatchedVersion") or {}).get("identifier")
        if not fixed and last and patched:
            p = normalize(scheme, patched)
            if p and cmp(scheme, p, last) > 0:
                fixed = p
        out(rid, ns, v["package"]["name"], scheme, intro, fixed, last)


def main():
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            if path.endswith(".yaml"):
                docs = [yaml.load(f, Loader=yaml.BaseLoader)]
            else:
                docs = json.load(f)
        if isinstance(docs, dict) and "data" in docs:
            for n in docs["data"]["securityAdvisories"]["nodes"]:
                ghsa_node(n)
            continue
        for d in docs if isinstance(docs, list) else [docs]:
            osv_record(d)


main()
