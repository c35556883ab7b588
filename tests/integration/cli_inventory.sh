#!/usr/bin/env bash
# cli_inventory.sh - `vigil inventory` from outside: every format on the
# fixture roots and on this host, the documents validated against
# docs/schemas/inventory.schema.json, and this host's dpkg packages compared
# with dpkg-query's own listing.
. "$(dirname "$0")/lib.sh"
schema=$(cd "$(dirname "$0")/../../docs/schemas" && pwd)/inventory.schema.json
roots=$VG_TEST_DATA/roots

# validate FILE: the document matches the JSON Schema.
validate() {
  /usr/bin/python3 - "$schema" "$1" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)
for e in errors[:5]:
    print("schema:", "/".join(map(str, e.path)), e.message)
sys.exit(1 if errors else 0)
PY
}

# jq-free field access: py EXPR FILE prints EXPR evaluated with `d` the parsed document.
py() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"; }

for root in "$roots"/* /; do
  name=$(basename "$root"); [ "$root" = / ] && name=host
  if ! "$VIGIL" inventory --root "$root" >"$TMP/$name.json" 2>"$TMP/err"; then
    not_ok "inventory of $name failed: $(head -c 300 "$TMP/err")"; continue
  fi
  if validate "$TMP/$name.json" >"$TMP/schema.out" 2>&1; then ok
  else not_ok "inventory of $name does not match the schema: $(head -c 600 "$TMP/schema.out")"; fi
  for fmt in cyclonedx spdx; do
    if "$VIGIL" inventory --root "$root" --format $fmt >"$TMP/$name.$fmt" &&
       /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/$name.$fmt"; then ok
    else not_ok "$fmt export of $name is not JSON"; fi
  done
  expect_match "table of $name" 0 '^PACKAGES \([0-9]+\)' stdout -- "$VIGIL" inventory --root "$root" --format table
done

# The fixture roots' facts.
d=$TMP/debian12-min.json
[ "$(py 'd["device"]["os"]["namespace"]' "$d")" = "debian:12" ] && ok || not_ok "debian12-min namespace"
[ "$(py 'sorted(p["name"] for p in d["packages"])' "$d")" = "['libssl3', 'openssl']" ] && ok ||
  not_ok "debian12-min packages: $(py 'sorted(p["name"] for p in d["packages"])' "$d")"
[ "$(py '[p["sourceName"] for p in d["packages"] if p["name"]=="libssl3"][0]' "$d")" = "openssl" ] && ok ||
  not_ok "libssl3 source name"
a=$TMP/alpine318-min.json
[ "$(py 'd["device"]["os"]["namespace"]' "$a")" = "alpine:3.18" ] && ok || not_ok "alpine namespace: $(py 'd["device"]["os"]["namespace"]' "$a")"
[ "$(py 'len([p for p in d["packages"] if p["type"]=="apk"])' "$a")" = "2" ] && ok || not_ok "alpine package count"

# Section hashes are stable across collections of an unchanged root.
"$VIGIL" inventory --root "$roots/debian12-min" --compact >"$TMP/again.json"
[ "$(py 'd["sections"]' "$d")" = "$(py 'd["sections"]' "$TMP/again.json")" ] && ok || not_ok "section hashes changed between two runs"

# This host: the deb packages are exactly the ones whose files dpkg-query says are on disk
# (the installed rule of src/agent/collect_dpkg.h).
if command -v dpkg-query >/dev/null; then
  dpkg-query -W -f='${db:Status-Status} ${binary:Package} ${Version}\n' |
    awk '$1 ~ /^(installed|unpacked|half-configured|triggers-awaited|triggers-pending)$/ { sub(/:.*/, "", $2); print $2, $3 }' | sort -u >"$TMP/dpkg"
  py '"\n".join(sorted(set(p["name"] + " " + p["version"] for p in d["packages"] if p["type"] == "deb")))' \
    "$TMP/host.json" >"$TMP/vigil"
  if diff "$TMP/dpkg" "$TMP/vigil" >"$TMP/diff"; then ok; echo "host: $(wc -l <"$TMP/dpkg") deb packages agree with dpkg-query"
  else not_ok "host deb packages differ from dpkg-query: $(head -10 "$TMP/diff")"; fi
fi

# Errors.
expect_match "missing root" 2 "cannot read root directory" stderr -- "$VIGIL" inventory --root /nonexistent
expect_match "unknown format" 2 "unknown format 'xml'" stderr -- "$VIGIL" inventory --format xml
expect_match "extra argument" 2 "unexpected argument" stderr -- "$VIGIL" inventory extra

finish
