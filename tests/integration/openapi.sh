#!/usr/bin/env bash
# openapi.sh - keeps docs/openapi.yaml true:
#   1. the document parses and is sane: every $ref resolves, every operation has responses
#      and a unique operationId, every {param} of a path is declared;
#   2. its (method, path) set equals the routes vigild registers (read from the
#      vg_router_add() calls of src/server/*.c, without the --test-routes ones), and each
#      schema with x-vigil-fields has exactly the properties and kinds of those field tables;
#   3. live, against a fleet (api_lib.sh): every GET path answers 200 with exactly the
#      documented properties, JSON types, nullability and enum values.
# shellcheck disable=SC2016  # OData options ($top, $format) are literal in single quotes
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"

SRC=$(cd "$(dirname "$0")/../.." && pwd)
DOC=$SRC/docs/openapi.yaml
python3 -c 'import yaml' 2>/dev/null || { echo "skip: python3 has no PyYAML"; exit 77; }
CHECKER=$TMP/openapi_check.py

cat >"$CHECKER" <<'EOF'
import json, re, sys, glob, os
import yaml

KINDS = {"VG_API_STRING": ("string", None), "VG_API_INT": ("integer", None),
         "VG_API_NUMBER": ("number", None), "VG_API_BOOL": ("boolean", None),
         "VG_API_DATETIME": ("string", "date-time"), "VG_API_ARRAY": ("array", None)}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def out(ok, msg):
    print(("OK " if ok else "FAIL ") + msg.replace("\n", " "))


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def deref(doc, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        seen += 1
        if seen > 50:
            raise ValueError("$ref loop at " + ref)
    return node


def merged(doc, schema):
    """A schema with its allOf parts merged (properties, required, nullable)."""
    schema = deref(doc, schema)
    if "allOf" not in schema:
        return schema
    res = {"type": "object", "properties": {}, "required": []}
    for part in schema["allOf"]:
        part = merged(doc, part)
        res["properties"].update(part.get("properties", {}))
        res["required"] += part.get("required", [])
        for k in ("x-vigil-fields",):
            if k in part:
                res[k] = part[k]
    return res


# ---- C source: string literals, comments, calls -------------------------------------------
TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/|.', re.S)


def strip_comments(text):
    return "".join(t for t in TOKEN.findall(text) if not t.startswith(("//", "/*")))


def literal(arg):
    """The value of a (possibly concatenated) C string literal argument, or None."""
    parts = re.findall(r'"((?:\\.|[^"\\])*)"', arg)
    rest = re.sub(r'"(?:\\.|[^"\\])*"', "", arg).strip()
    if not parts or rest:
        return None
    return "".join(parts)


def split_args(text, start):
    """Top-level arguments of the call whose '(' is at text[start]; and the index after ')'."""
    depth, args, cur, i = 0, [], "", start
    for tok in TOKEN.finditer(text, start):
        t = tok.group(0)
        if t in "([{":
            depth += 1
            if depth == 1:
                continue
        elif t in ")]}":
            depth -= 1
            if depth == 0:
                args.append(cur.strip())
                return args, tok.end()
        elif t == "," and depth == 1:
            args.append(cur.strip())
            cur = ""
            continue
        cur += t
    raise ValueError("unterminated call")


def braced(text, start):
    """The text inside the braces that open at text[start]."""
    depth = 0
    for tok in TOKEN.finditer(text, start):
        t = tok.group(0)
        if t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:tok.start()]
    raise ValueError("unterminated braces")


def entries(body):
    """The top-level {...} groups of an array initialiser body."""
    res, i = [], 0
    while True:
        j = body.find("{", i)
        if j < 0:
            return res
        inner = braced(body, j)
        res.append(inner)
        i = j + len(inner) + 2


def table_literals(text, name):
    """Per entry of the array `name[] = {...}`: its string literals."""
    m = re.search(r"\b" + re.escape(name) + r"\s*\[\s*\]\s*=\s*\{", text)
    if not m:
        raise ValueError("no table '%s'" % name)
    body = braced(text, m.end() - 1)
    return [[literal(s) for s in re.findall(r'"(?:\\.|[^"\\])*"', e)] for e in entries(body)]


def routes(srcdir):
    """{(METHOD, path)} of every vg_router_add() call not behind test_routes."""
    res, problems = set(), []
    for path in sorted(glob.glob(os.path.join(srcdir, "src/server/*.c"))):
        text = strip_comments(open(path).read())
        base = os.path.basename(path)
        for m in re.finditer(r"\bvg_router_add\s*\(", text):
            if base == "router.c" and re.match(r"\s*\(\s*struct", text[m.end() - 1:]):
                continue  # the definition
            # The statement's guard: from the previous statement's end to the call.
            prev = max(text.rfind(c, 0, m.start()) for c in ";{}")
            if "test_routes" in text[prev:m.start()]:
                continue
            args, _ = split_args(text, m.end() - 1)
            if len(args) < 3:
                problems.append("%s: vg_router_add with %d arguments" % (base, len(args)))
                continue
            meth, pat = literal(args[1]), literal(args[2])
            tab = re.match(r"(\w+)\s*\[\s*\w+\s*\]\s*\.\s*\w+$", args[2])
            if pat is not None and meth is not None:
                res.add((meth, pat))
            elif pat is None and tab and base == "api.c" and tab.group(1) == "routes" and \
                    re.search(r"^vg_api_add_gets\s*\(", text, re.M):
                continue  # the generic helper's own call: its tables are read at the callers
            elif pat is None and tab:
                for lits in table_literals(text, tab.group(1)):
                    p = [s for s in lits if s and s.startswith("/")]
                    ms = [s for s in lits if s in ("GET", "POST", "PUT", "PATCH", "DELETE")]
                    mm = meth if meth is not None else (ms[0] if ms else None)
                    if len(p) != 1 or mm is None:
                        problems.append("%s: cannot read route entry %r" % (base, lits))
                    else:
                        res.add((mm, p[0]))
            else:
                problems.append("%s: cannot read vg_router_add(%s)" % (base, ", ".join(args[1:3])))
        # vg_api_add_gets(api, r, TABLE, n, err): every entry of TABLE is a GET route.
        for m in re.finditer(r"\bvg_api_add_gets\s*\(", text):
            if re.match(r"\s*\(\s*struct", text[m.end() - 1:]):
                continue  # the definition
            args, _ = split_args(text, m.end() - 1)
            if len(args) < 3 or not re.match(r"\w+$", args[2]):
                problems.append("%s: cannot read vg_api_add_gets(%s)" % (base, ", ".join(args)))
                continue
            for lits in table_literals(text, args[2]):
                p = [x for x in lits if x and x.startswith("/")]
                if len(p) != 1:
                    problems.append("%s: cannot read route entry %r" % (base, lits))
                else:
                    res.add(("GET", p[0]))
    # A file's routes count only when its registration function is used elsewhere (api.c's
    # resource table, main.c).
    texts = {os.path.basename(p): strip_comments(open(p).read())
             for p in glob.glob(os.path.join(srcdir, "src/server/*.c"))}
    for base, text in texts.items():
        for fn in re.findall(r"^(vg_\w+_add_routes)\s*\(", text, re.M):
            if not any(re.search(r"\b%s\b" % fn, t) for b, t in texts.items() if b != base):
                problems.append("%s: %s is defined but never registered" % (base, fn))
    return res, problems


def field_table(srcdir, spec):
    """[(name, kind, flags)] of `file array` (a struct vg_api_field array)."""
    fname, array = spec.split()
    text = strip_comments(open(os.path.join(srcdir, "src/server", fname)).read())
    m = re.search(r"struct\s+vg_api_field\s+" + re.escape(array) + r"\s*\[\s*\]\s*=\s*\{", text)
    if not m:
        raise ValueError("no field table '%s' in %s" % (array, fname))
    res = []
    for e in entries(braced(text, m.end() - 1)):
        name = literal(re.findall(r'"(?:\\.|[^"\\])*"', e)[0])
        code = re.sub(r'"(?:\\.|[^"\\])*"', '""', e)
        kind = re.search(r"\bVG_API_(STRING|INT|NUMBER|BOOL|DATETIME|ARRAY)\b", code)
        res.append((name, "VG_API_" + kind.group(1) if kind else None, code))
    return res


# ---- 1 and 2: static -------------------------------------------------------------------
def walk_refs(doc, node, where, bad):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                try:
                    if not v.startswith("#/"):
                        raise KeyError(v)
                    deref(doc, {"$ref": v})
                except (KeyError, TypeError, ValueError):
                    bad.append("%s: $ref '%s' does not resolve" % (where, v))
            else:
                walk_refs(doc, v, where + "/" + str(k), bad)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk_refs(doc, v, "%s/%d" % (where, i), bad)


def static(docpath, srcdir):
    try:
        doc = load(docpath)
    except Exception as e:  # noqa: BLE001 - any parse error is the finding
        out(False, "docs/openapi.yaml does not parse: %s" % e)
        return
    out(isinstance(doc, dict) and str(doc.get("openapi", "")).startswith("3.0"),
        "openapi is 3.0.x")
    info = doc.get("info", {})
    out(info.get("version") == "0.1.0" and bool(info.get("title")), "info has title and version 0.1.0")
    try:  # the full OpenAPI 3.0 meta-schema, where the validator is installed
        from openapi_spec_validator import validate
    except ImportError:
        validate = None
    if validate is not None:
        try:
            validate(doc)
            out(True, "openapi-spec-validator")
        except Exception as e:  # noqa: BLE001 - any validation error is the finding
            out(False, "openapi-spec-validator: %s" % str(e)[:300])
    bad = []
    walk_refs(doc, doc, "#", bad)
    out(not bad, "every $ref resolves: %s" % "; ".join(bad[:5]))
    ops, ids, dup, noresp, params = set(), set(), [], [], []
    for path, item in doc.get("paths", {}).items():
        for meth in METHODS:
            op = item.get(meth)
            if op is None:
                continue
            ops.add((meth.upper(), path))
            oid = op.get("operationId")
            if not oid or oid in ids:
                dup.append("%s %s: operationId %r" % (meth, path, oid))
            ids.add(oid)
            if not op.get("responses"):
                noresp.append("%s %s" % (meth, path))
            declared = {deref(doc, p)["name"] for p in op.get("parameters", []) + item.get("parameters", [])
                        if deref(doc, p).get("in") == "path"}
            wanted = set(re.findall(r"\{(\w+)\}", path))
            if declared != wanted:
                params.append("%s %s: path parameters %s, declared %s" % (meth, path, sorted(wanted), sorted(declared)))
    out(not dup, "operationIds present and unique: %s" % "; ".join(dup))
    out(not noresp, "every operation has responses: %s" % "; ".join(noresp))
    out(not params, "path parameters declared: %s" % "; ".join(params))

    got, problems = routes(srcdir)
    out(not problems, "routes readable from src/server: %s" % "; ".join(problems))
    norm = lambda s: {(m, re.sub(r"\{\w+\}", "{}", p).lower()) for m, p in s}
    out(len(got) >= 2, "routes found in src/server (%d)" % len(got))
    missing = sorted(norm(got) - norm(ops))
    extra = sorted(norm(ops) - norm(got))
    out(not missing, "every route vigild registers is documented; undocumented: %s" % missing)
    out(not extra, "every documented operation is a route of vigild; not routes: %s" % extra)

    tables = set()
    for path in glob.glob(os.path.join(srcdir, "src/server/*.c")):
        text = strip_comments(open(path).read())
        for m in re.finditer(r"struct\s+vg_api_field\s+(\w+)\s*\[\s*\]\s*=", text):
            tables.add("%s %s" % (os.path.basename(path), m.group(1)))
    used = set()
    for sname, schema in doc.get("components", {}).get("schemas", {}).items():
        specs = schema.get("x-vigil-fields")
        if specs is None:
            continue
        for spec in [specs] if isinstance(specs, str) else specs:
            used.add(spec)
            try:
                fields = field_table(srcdir, spec)
            except (OSError, ValueError, IndexError) as e:
                out(False, "%s: x-vigil-fields '%s': %s" % (sname, spec, e))
                continue
            props = schema.get("properties", {})
            names = [f[0] for f in fields]
            out(names == list(props), "%s properties are %s's, in order: schema %s, code %s"
                % (sname, spec, list(props), names))
            for name, kind, code in fields:
                p = props.get(name)
                if p is None:
                    continue
                want = KINDS.get(kind)
                ok = want is not None and p.get("type") == want[0] and (want[1] is None or p.get("format") == want[1])
                out(ok, "%s.%s: %s is %s, schema says %s/%s" % (sname, name, spec, kind, p.get("type"), p.get("format")))
                hidden = "VG_API_HIDDEN" in code
                out(hidden == bool(p.get("x-vigil-select-only")),
                    "%s.%s: VG_API_HIDDEN %s, x-vigil-select-only %s" % (sname, name, hidden, p.get("x-vigil-select-only")))
    out(not (tables - used), "every vg_api_field table is some schema's x-vigil-fields: missing %s" % sorted(tables - used))


# ---- 3: live ---------------------------------------------------------------------------
def gets(docpath):
    doc = load(docpath)
    for path, item in doc["paths"].items():
        if "get" in item:
            print(path)


def check_value(doc, where, schema, v, errs):
    schema = deref(doc, schema)
    if v is None:
        if not schema.get("nullable"):
            errs.append("%s is null, not nullable" % where)
        return
    t = schema.get("type")
    ok = {"string": isinstance(v, str), "integer": isinstance(v, int) and not isinstance(v, bool),
          "number": isinstance(v, (int, float)) and not isinstance(v, bool),
          "boolean": isinstance(v, bool), "array": isinstance(v, list),
          "object": isinstance(v, dict), None: True}.get(t, False)
    if not ok:
        errs.append("%s is %s %r, schema type %s" % (where, type(v).__name__, v, t))
        return
    if schema.get("format") == "date-time" and not DATETIME.match(v):
        errs.append("%s %r is not a date-time" % (where, v))
    if "enum" in schema and v not in schema["enum"]:
        errs.append("%s %r not in enum %s" % (where, v, schema["enum"]))
    if t == "array" and "items" in schema:
        for i, x in enumerate(v[:20]):
            check_value(doc, "%s[%d]" % (where, i), schema["items"], x, errs)


def check_object(doc, where, schema, obj, errs):
    schema = merged(doc, schema)
    props = {k: p for k, p in schema.get("properties", {}).items() if not deref(doc, p).get("x-vigil-select-only")}
    if not isinstance(obj, dict):
        errs.append("%s is not an object" % where)
        return
    extra = sorted(set(obj) - set(props))
    missing = sorted(set(props) - set(obj) - ({"@odata.nextLink"} if "value" in props else set()))
    if extra:
        errs.append("%s has undocumented %s" % (where, extra))
    if missing:
        errs.append("%s lacks documented %s" % (where, missing))
    for k, v in obj.items():
        if k in props and not (k == "value" and "value" in props):
            check_value(doc, "%s.%s" % (where, k), props[k], v, errs)


def check(docpath, template, body):
    doc = load(docpath)
    op = doc["paths"][template]["get"]
    content = deref(doc, op["responses"]["200"]).get("content", {})
    if "application/json" not in content:
        out(True, template)
        return
    schema = merged(doc, content["application/json"]["schema"])
    try:
        d = json.load(open(body))
    except ValueError as e:
        out(False, "GET %s: body is not JSON: %s" % (template, e))
        return
    errs = []
    check_object(doc, "GET %s" % template, schema, d, errs)
    value = schema.get("properties", {}).get("value")
    if value is not None and isinstance(d, dict) and isinstance(d.get("value"), list):
        items = deref(doc, value).get("items", {})
        if not d["value"]:
            errs.append("GET %s: empty value, nothing to compare" % template)
        for i, row in enumerate(d["value"][:5]):
            check_object(doc, "GET %s value[%d]" % (template, i), items, row, errs)
    out(not errs, "; ".join(errs[:6]) or template)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "static":
        static(sys.argv[2], sys.argv[3])
    elif cmd == "gets":
        gets(sys.argv[2])
    elif cmd == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[4])
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
  done < <(python3 "$CHECKER" "$@" 2>&1)
}

# ---- 1, 2: the document and the source ----------------------------------------------------
run_py static "$DOC" "$SRC"

# ---- 3: live --------------------------------------------------------------------------------
api_fleet
[ -n "$D11" ] || { not_ok "no device enrolled"; finish; exit; }
CVE=$(sql "select vuln_id from device_vuln where device_id = '$D11' and vuln_id like 'CVE-%' order by vuln_id limit 1")
# A software with findings (so its vulnerabilities and distributions are not empty).
SW=$(sql "select t.software_id from device_vuln dv join tuple t on t.id = dv.tuple_id
          where dv.device_id = '$D11' and t.software_id is not null order by t.software_id limit 1")
REC=
if [ "$(get '/api/recommendations?$top=1&$select=id')" = 200 ]; then
  REC=$(jq_ 'd["value"][0]["id"] if d["value"] else ""')
fi
if [ -z "$CVE" ] || [ -z "$SW" ] || [ -z "$REC" ]; then
  not_ok "fixture ids: CVE '$CVE' software '$SW' recommendation '$REC'"
fi
# A device with a fixable finding, for /api/machines/{id}/recommendations.
RECDEV=$(sql "select dv.device_id from device_vuln dv join tuple_vuln tv on tv.tuple_id = dv.tuple_id
              and tv.vuln_id = dv.vuln_id where tv.status = 'fixAvailable' order by dv.device_id limit 1")

skipped=
while read -r tmpl; do
  case $tmpl in
  /api/machines/\{id\}/recommendations) path=${tmpl/\{id\}/${RECDEV:-$D11}} ;;
  /api/machines/*) path=${tmpl/\{id\}/$D11} ;;
  /api/vulnerabilities/*) path=${tmpl/\{id\}/$CVE} ;;
  /api/Software/*) path=${tmpl/\{id\}/$SW} ;;
  /api/recommendations/*) path=${tmpl/\{id\}/$REC} ;;
  *) path=$tmpl ;;
  esac
  case $path in *\{*) not_ok "GET $tmpl: no id to substitute"; continue ;; esac
  st=$(get "$path")
  if [ "$st" = 404 ] && grep -q "no resource at" "$TMP/body"; then
    echo "skip: GET $tmpl is not a route of this vigild yet"
    skipped="$skipped $tmpl"
    continue
  fi
  if [ "$st" != 200 ]; then
    not_ok "GET $path: status $st: $(head -c 300 "$TMP/body")"
    continue
  fi
  ok
  run_py check "$DOC" "$tmpl" "$TMP/body"
done < <(python3 "$CHECKER" gets "$DOC")
[ -z "$skipped" ] || echo "skipped (no route yet):$skipped"

# The CSV variant and a paged export answer as documented.
st=$(get '/api/machines?$format=csv')
if [ "$st" = 200 ] && grep -qi '^content-type: text/csv' "$TMP/hdr"; then ok; else not_ok "CSV variant: $st"; fi
st=$(get '/api/machines/SoftwareInventoryByMachine?pageSize=2')
if [ "$st" = 200 ] && [ "$(jq_ '"@odata.nextLink" in d and len(d["value"]) == 2')" = True ]; then
  ok
else
  not_ok "export paging: $st $(head -c 200 "$TMP/body")"
fi
# An error body is the documented Error.
st=$(get /api/machines/no-such-device)
if [ "$st" = 404 ] && [ "$(jq_ 'sorted(d) == ["error"] and sorted(d["error"]) == ["code", "message"]')" = True ]; then
  ok
else
  not_ok "error body: $st $(head -c 200 "$TMP/body")"
fi

finish
