#!/usr/bin/env bash
# feeds_cli.sh - `vigil feeds import|status|sync` end to end, on the real feed files of
# ../shared/data and against a local web server (feeds_server.py): the official-URL path
# runs unchanged with the hosts rewritten to the test server (VIGIL_FEEDS_BASE_URL, an
# undocumented override), since the tests have no internet.
#
# Counts are checked against numbers computed here from the files themselves (python3,
# grep) or from the database directly (sqlite3), not against Vigil's own output.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing: skipped"; exit 77; }

D=$VG_SHARED_DATA
KEV=$D/kev/known_exploited_vulnerabilities.json
EPSS=$D/epss/epss_scores-2026-08-16.csv
DSA=$D/debian-security-tracker/salsa-format_2023-04/data/DSA/list
DLA=$D/debian-security-tracker/salsa-format_2023-04/data/DLA/list
GO=$D/osv/go-vulndb
SERVER=$(dirname "$0")/feeds_server.py
export VIGIL_DB=$TMP/unused-default.db # never the user's own store
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT

# Independent counts.
n_kev=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["vulnerabilities"]))' "$KEV")
n_epss=$(grep -c '^CVE-' "$EPSS")
n_go=$(find "$GO" -name '*.json' | wc -l)
kev_version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["catalogVersion"])' "$KEV")
[ "$n_kev" -eq 1404 ] && [ "$n_epss" -eq 360142 ] && [ "$n_go" -eq 210 ] && ok ||
  not_ok "independent counts: kev $n_kev epss $n_epss go $n_go"

# field DB SOURCE KEY: one field of one source in `feeds status --format json` ("" if absent).
field() {
  "$VIGIL" feeds status --db "$1" --format json |
    python3 -c 'import json,sys
d=json.load(sys.stdin); s=[x for x in d["sources"] if x["name"]==sys.argv[1]]
v=s[0].get(sys.argv[2]) if s else None
print("" if v is None else v)' "$2" "$3"
}
# total DB KEY: a total of `feeds status --format json`.
total() {
  "$VIGIL" feeds status --db "$1" --format json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"][sys.argv[1]])' "$2"
}
# check DESC GOT WANT
check() { if [ "$2" == "$3" ]; then ok; else not_ok "$1: got '$2', want '$3'"; fi; }
sql() { sqlite3 "$1" "$2"; }
# Rows a source holds, straight from the database: vulns + affected + kev + epss.
rows_of() {
  sql "$1" "select (select count(*) from vuln where source=s.id)+(select count(*) from affected
    where source=s.id)+(select count(*) from kev where source=s.id)+(select count(*) from epss
    where source=s.id) from source s where name='$2'"
}

# ---- usage errors ------------------------------------------------------------------------
expect_match "feeds without command" 2 "usage: vigil feeds" stderr -- "$VIGIL" feeds
expect_match "feeds help" 0 "vigil feeds sync" stdout -- "$VIGIL" feeds --help
expect_match "unknown feeds command" 2 "did you mean 'sync'" stderr -- "$VIGIL" feeds synk
expect_match "import of a missing path" 1 "^vigil: $TMP/no-such-file: No such file" stderr -- \
  "$VIGIL" feeds import --db "$TMP/x.db" "$TMP/no-such-file"
expect_match "import without paths" 2 "no file or directory" stderr -- "$VIGIL" feeds import --db "$TMP/x.db"
expect_match "status of a missing store" 2 "no knowledge base at '$TMP/none.db'" stderr -- \
  "$VIGIL" feeds status --db "$TMP/none.db"
[ ! -e "$TMP/none.db" ] && ok || not_ok "status created the missing store"
expect_match "unknown source" 2 "unknown source 'kevv'; did you mean 'kev'" stderr -- \
  "$VIGIL" feeds sync --db "$TMP/x.db" --source kevv
expect_match "status format" 2 "unknown format 'xml'" stderr -- "$VIGIL" feeds status --format xml
expect_match "option of another command" 2 "does not apply" stderr -- \
  "$VIGIL" feeds import --mirror /tmp "$KEV"
expect_match "missing mirror" 2 "not a directory or http" stderr -- \
  "$VIGIL" feeds sync --db "$TMP/x.db" --mirror "$TMP/no-such-mirror"
expect_match "top-level help lists feeds" 0 "feeds +import and sync" stdout -- "$VIGIL" --help
expect_match "dry run lists the official URLs" 0 \
  "kev: would download https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json" \
  stdout -- "$VIGIL" feeds sync --db "$TMP/dry/k.db" --dry-run
[ ! -e "$TMP/dry" ] && ok || not_ok "dry run created files"

# ---- import -------------------------------------------------------------------------------
DB=$TMP/a/k.db
start=$(date +%s%N)
expect_match "import KEV, EPSS, DSA, OSV dir" 0 "imported 213 files \\($((n_kev + n_epss + 28873 + n_go)) records" \
  stdout -- "$VIGIL" feeds import --db "$DB" "$KEV" "$EPSS" "$DSA" "$GO"
grep -q "^$KEV: kev-json, $n_kev records" "$TMP/stdout" && ok || not_ok "KEV line: $(head -1 "$TMP/stdout")"
grep -q "^$EPSS: epss-csv, $n_epss records" "$TMP/stdout" && ok || not_ok "EPSS line"
[ "$(grep -c "^$GO/GO-.*: osv-json, 1 records" "$TMP/stdout")" -eq "$n_go" ] && ok || not_ok "OSV lines"
check "kev records" "$(field "$DB" kev records)" "$n_kev"
check "kev version" "$(field "$DB" kev version)" "$kev_version"
check "epss records" "$(field "$DB" epss records)" "$n_epss"
check "epss snapshot" "$(field "$DB" epss snapshot)" "2026-08-16"
check "dsa records = its rows in the database" "$(field "$DB" debian-dsa records)" "$(rows_of "$DB" debian-dsa)"
check "osv vulns in the database" "$(sql "$DB" "select count(*) from vuln v join source s on s.id=v.source where s.name='osv'")" "$n_go"
check "kev total" "$(total "$DB" kev)" "$n_kev"
check "epss total" "$(total "$DB" epss)" "$n_epss"
check "epss rows in the database" "$(sql "$DB" 'select count(*) from epss')" "$n_epss"
check "kev rows in the database" "$(sql "$DB" 'select count(*) from kev')" "$n_kev"
expect_match "status table" 0 "^kev +kev-json +$kev_version" stdout -- "$VIGIL" feeds status --db "$DB"
grep -q "^Totals: .* $n_kev KEV entries, $n_epss EPSS scores" "$TMP/stdout" && ok || not_ok "status totals line"
before=$("$VIGIL" feeds status --db "$DB" --format json | python3 -c 'import json,sys
d=json.load(sys.stdin); print(d["totals"], [(s["name"], s["records"], s["version"], s["snapshot"]) for s in d["sources"]])')

# Re-import: the same counts.
expect_match "re-import" 0 "imported 213 files" stdout -- "$VIGIL" feeds import --db "$DB" "$KEV" "$EPSS" "$DSA" "$GO"
after=$("$VIGIL" feeds status --db "$DB" --format json | python3 -c 'import json,sys
d=json.load(sys.stdin); print(d["totals"], [(s["name"], s["records"], s["version"], s["snapshot"]) for s in d["sources"]])')
check "re-import is idempotent" "$after" "$before"

# Unrecognised files are skipped, not failures; LICENSE/README in a directory are not even tried.
expect_match "unrecognised file" 0 "kev/LICENSE: skipped \\(unrecognised format\\)" stdout -- \
  "$VIGIL" feeds import --db "$DB" "$D/kev/LICENSE"
expect_match "directory walk skips LICENSE" 0 "imported 1 file .*; 1 skipped, 0 failed" stdout -- \
  "$VIGIL" feeds import --db "$DB" "$D/kev"

# A corrupted KEV catalog: exit 1, named, and the previous KEV data stays.
head -c 600000 "$KEV" >"$TMP/kev-corrupt.json"
expect_match "corrupted KEV fails" 1 "^vigil: $TMP/kev-corrupt.json:[0-9]*:? " stderr -- \
  "$VIGIL" feeds import --db "$DB" "$TMP/kev-corrupt.json"
grep -q "0 failed" "$TMP/stdout" && not_ok "summary does not count the failure" || ok
check "KEV intact after a failed import" "$(field "$DB" kev records)/$(field "$DB" kev version)" "$n_kev/$kev_version"
check "KEV rows intact" "$(sql "$DB" 'select count(*) from kev')" "$n_kev"
after=$("$VIGIL" feeds status --db "$DB" --format json | python3 -c 'import json,sys
d=json.load(sys.stdin); print(d["totals"], [(s["name"], s["records"], s["version"], s["snapshot"]) for s in d["sources"]])')
check "status unchanged after the failure" "$after" "$before"
# A good file next to a bad one: the good one is imported, exit 1.
expect_match "mixed good and bad" 1 "imported 1 file " stdout -- \
  "$VIGIL" feeds import --db "$DB" "$TMP/kev-corrupt.json" "$KEV"

# kill -9 in the middle of the EPSS import: the database stays consistent, old data intact.
t0=$(date +%s%N)
"$VIGIL" feeds import --db "$DB" "$EPSS" >/dev/null 2>&1
ms=$((($(date +%s%N) - t0) / 1000000))
killed=0
for frac in 50 30 15; do
  "$VIGIL" feeds import --db "$DB" "$EPSS" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v ms="$ms" -v f="$frac" 'BEGIN { printf "%.3f", ms * f / 100000 }')"
  kill -9 "$pid" 2>/dev/null
  wait "$pid"
  if [ $? -eq 137 ]; then killed=1; break; fi
done
[ "$killed" -eq 1 ] && ok || not_ok "could not kill the EPSS import in flight (it takes $ms ms)"
check "integrity after kill -9" "$(sql "$DB" 'pragma integrity_check')" "ok"
check "EPSS intact after kill -9" "$(field "$DB" epss records)/$(sql "$DB" 'select count(*) from epss')" "$n_epss/$n_epss"
check "KEV intact after kill -9" "$(sql "$DB" 'select count(*) from kev')" "$n_kev"

# ---- sync from a mirror directory ----------------------------------------------------------------
M=$TMP/m/k.db
expect_match "sync --mirror shared/data" 0 "sync: 9 sources current \\(0 unchanged\\), 0 failed" stdout -- \
  "$VIGIL" feeds sync --db "$M" --mirror "$D"
for s in kev epss debian-dsa debian-dla debian-tracker alpine-secdb:v3.15/main alpine-secdb:v3.15/community \
  wolfi-secdb osv nvd cve5; do
  r=$(field "$M" "$s" records)
  [ -n "$r" ] && [ "$r" -gt 0 ] && ok || not_ok "mirror sync: source $s has no records ('$r')"
done
check "mirror: kev" "$(field "$M" kev records)" "$n_kev"
check "mirror: epss (newest dated file, not fixtures/)" "$(field "$M" epss snapshot)/$(field "$M" epss records)" "2026-08-16/$n_epss"
check "mirror: dsa same as the import" "$(field "$M" debian-dsa records)" "$(field "$DB" debian-dsa records)"
grep -q "epss/fixtures" "$TMP/stdout" && not_ok "mirror sync read epss/fixtures" || ok
grep -q "dependency-track_nvdcve-2.0-2022.meta: skipped (unrecognised format)" "$TMP/stdout" && ok ||
  not_ok "mirror sync: the NVD .meta file is not reported as skipped"
check "mirror: OSV records in the database" \
  "$(sql "$M" "select count(*) > 400 from vuln v join source s on s.id=v.source where s.name='osv'")" 1
expect_match "second mirror sync: nothing changed" 0 "sync: 9 sources current \\(9 unchanged\\), 0 failed; 0 files imported" \
  stdout -- "$VIGIL" feeds sync --db "$M" --mirror "$D"
expect_match "--force imports again" 0 "kev-json, $n_kev records" stdout -- \
  "$VIGIL" feeds sync --db "$M" --mirror "$D" --source kev --force

# ---- sync from the official URLs, served by the local test server ------------------------------
W=$TMP/www
mkdir -p "$W/www.cisa.gov/sites/default/files/feeds" "$W/epss.empiricalsecurity.com" \
  "$W/salsa.debian.org/security-tracker-team/security-tracker/-/raw/main/data/DSA" \
  "$W/salsa.debian.org/security-tracker-team/security-tracker/-/raw/main/data/DLA" \
  "$W/packages.wolfi.dev/os" "$W/secdb.alpinelinux.org" "$W/osv-vulnerabilities.storage.googleapis.com" \
  "$W/security-tracker.debian.org/tracker/data"
cp "$KEV" "$W/www.cisa.gov/sites/default/files/feeds/"
gzip -c "$EPSS" >"$W/epss.empiricalsecurity.com/epss_scores-current.csv.gz"
cp "$DSA" "$W/salsa.debian.org/security-tracker-team/security-tracker/-/raw/main/data/DSA/list"
cp "$DLA" "$W/salsa.debian.org/security-tracker-team/security-tracker/-/raw/main/data/DLA/list"
cp "$D/alpine-secdb/vunnel_wolfi_security.json" "$W/packages.wolfi.dev/os/security.json"
cp "$D/debian-security-tracker/tracker-json_fixture_vunnel/debian.json" "$W/security-tracker.debian.org/tracker/data/json"
# Alpine: the index lists v3.9 .. v3.16; only the 4 newest are fetched (JSON made from the YAML).
for b in 9 12 13 14 15 16; do mkdir -p "$W/secdb.alpinelinux.org/v3.$b"; done
for repo in main community; do
  for b in 13 14 15 16; do
    python3 -c 'import json,sys,yaml; d=yaml.safe_load(open(sys.argv[1])); d["distroversion"]=sys.argv[3]
json.dump(d, open(sys.argv[2], "w"))' "$D/alpine-secdb/vunnel_alpine_v3.15_$repo.yaml" \
      "$W/secdb.alpinelinux.org/v3.$b/$repo.json" "v3.$b" 2>/dev/null ||
      cp "$D/alpine-secdb/vunnel_wolfi_security.json" "$W/secdb.alpinelinux.org/v3.$b/$repo.json"
  done
done
# OSV: Go/all.zip holds the Go records; the other ecosystems are empty archives.
python3 - "$W/osv-vulnerabilities.storage.googleapis.com" "$GO" <<'EOF'
import os, sys, zipfile
root, go = sys.argv[1], sys.argv[2]
for eco in ["PyPI", "npm", "Go", "Maven", "crates.io", "NuGet", "Packagist", "RubyGems", "Ubuntu"]:
    os.makedirs(os.path.join(root, eco), exist_ok=True)
    with zipfile.ZipFile(os.path.join(root, eco, "all.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        if eco == "Go":
            for name in sorted(os.listdir(go)):
                if name.endswith(".json"):
                    z.write(os.path.join(go, name), name)
EOF
echo '{"nvd": "'"$D"'/nvd/nvd-api-2.0_merged-sample.json", "nvd_page_max": 30}' >"$TMP/control.json"
n_nvd=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["vulnerabilities"]))' "$D/nvd/nvd-api-2.0_merged-sample.json")
python3 "$SERVER" --root "$W" --control "$TMP/control.json" --log "$TMP/requests.log" --port-file "$TMP/port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || { not_ok "test server did not start"; finish; exit; }
export VIGIL_FEEDS_BASE_URL="http://127.0.0.1:$(cat "$TMP/port")/" VIGIL_FEEDS_NVD_DELAY_MS=0
H=$TMP/h/k.db
C=$TMP/h/feeds-cache
KEVURL=/www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json
EPSSURL=/epss.empiricalsecurity.com/epss_scores-current.csv.gz
log_has() { grep -qE "$1" "$TMP/requests.log"; }

expect_match "official sync (local server)" 0 "sync: 9 sources current \\(0 unchanged\\), 0 failed" stdout -- \
  "$VIGIL" feeds sync --db "$H"
log_has "^GET $KEVURL 200 " && ok || not_ok "KEV not downloaded with 200"
check "official: kev" "$(field "$H" kev records)" "$n_kev"
check "official: epss from the .gz" "$(field "$H" epss records)" "$n_epss"
check "official: dsa" "$(field "$H" debian-dsa records)" "$(field "$DB" debian-dsa records)"
check "official: osv:Go vulns" "$(sql "$H" "select count(*) from vuln v join source s on s.id=v.source where s.name='osv:Go'")" "$n_go"
check "official: nvd vulns" "$(sql "$H" "select count(*) from vuln v join source s on s.id=v.source where s.name='nvd'")" "$n_nvd"
check "NVD paged by 30" "$(grep -cE '^GET /services.nvd.nist.gov/rest/json/cves/2.0\?resultsPerPage=2000&startIndex=(0|30|60) 200' "$TMP/requests.log")" 3
log_has "^GET /secdb.alpinelinux.org/v3.12/main.json" && not_ok "an old Alpine branch was fetched" || ok
check "alpine: 4 newest branches x 2 repositories" \
  "$(grep -cE '^GET /secdb.alpinelinux.org/v3.1[3-6]/(main|community).json 200' "$TMP/requests.log")" 8
[ -f "$C/kev/known_exploited_vulnerabilities.json" ] && [ -f "$C/kev/.known_exploited_vulnerabilities.json.meta" ] &&
  ok || not_ok "cache layout"
[ ! -e "$C/nvd/.nvd-page.json" ] && [ -f "$C/nvd/.nvd-sync.meta" ] && ok || not_ok "NVD page left or no NVD state"

# Second sync: 304 for the files, nothing imported again; NVD asks only for changes.
: >"$TMP/requests.log"
expect_match "second official sync" 0 "^kev: up to date \\(not modified since the last sync\\)" stdout -- \
  "$VIGIL" feeds sync --db "$H"
log_has "^GET $KEVURL 304 .*if-none-match=\"" && ok || not_ok "no conditional request / 304 for KEV"
log_has "^GET $EPSSURL 304 " && ok || not_ok "no 304 for EPSS"
grep -q "kev-json" "$TMP/stdout" && not_ok "KEV imported again after a 304" || ok
log_has "^GET /services.nvd.nist.gov/rest/json/cves/2.0\?resultsPerPage=2000&startIndex=0&lastModStartDate=[0-9T:.-]+%2B00:00&lastModEndDate=" &&
  ok || not_ok "NVD sync not incremental"

# An interrupted download, then resumed with Range/If-Range.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["catalogVersion"]="9999.01.01"
json.dump(d, open(sys.argv[2], "w"), indent=1)' "$KEV" "$W$KEVURL"
size=$(stat -c %s "$W$KEVURL")
echo '{"truncate": {"'$KEVURL'": 400000}}' >"$TMP/control.json"
: >"$TMP/requests.log"
expect_match "interrupted download fails" 1 "^vigil: kev: cannot download .* \\(its previous data is kept\\)" stderr -- \
  "$VIGIL" feeds sync --db "$H" --source kev
check "partial file kept" "$(stat -c %s "$C/kev/.known_exploited_vulnerabilities.json.part" 2>/dev/null)" 400000
check "KEV intact after the interruption" "$(field "$H" kev version)/$(field "$H" kev records)" "$kev_version/$n_kev"
field "$H" kev last_error | grep -q "cannot download" && ok || not_ok "status does not show the KEV failure"
echo '{}' >"$TMP/control.json"
expect_match "resumed download" 0 "kev: resumed the interrupted download" stdout -- \
  "$VIGIL" feeds sync --db "$H" --source kev
log_has "^GET $KEVURL 206 range=bytes=400000- .*if-range=\"" && ok || not_ok "no Range request answered 206"
check "resumed file complete" "$(stat -c %s "$C/kev/known_exploited_vulnerabilities.json")" "$size"
check "KEV from the resumed file" "$(field "$H" kev version)/$(field "$H" kev records)/$(field "$H" kev last_error)" "9999.01.01/$n_kev/"

# Interrupted again, and the server's file changes before the retry: If-Range no longer
# matches, the server sends the whole new file (200) and the partial one is dropped.
kev_edit() { # VERSION INDENT: a new KEV file on the server
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["catalogVersion"]=sys.argv[3]
json.dump(d, open(sys.argv[2], "w"), indent=int(sys.argv[4]))' "$KEV" "$W$KEVURL" "$1" "$2"
}
kev_edit 9999.02.02 2
echo '{"truncate": {"'$KEVURL'": 300000}}' >"$TMP/control.json"
expect_match "second interruption" 1 "cannot download" stderr -- "$VIGIL" feeds sync --db "$H" --source kev
echo '{}' >"$TMP/control.json"
kev_edit 9999.03.03 3
: >"$TMP/requests.log"
expect_match "changed file after an interruption" 0 "kev-json, $n_kev records" stdout -- \
  "$VIGIL" feeds sync --db "$H" --source kev
log_has "^GET $KEVURL 200 range=bytes=300000- " && ok || not_ok "stale partial download not restarted with 200"
check "KEV from the new file" "$(field "$H" kev version)" "9999.03.03"
[ ! -e "$C/kev/.known_exploited_vulnerabilities.json.part" ] && ok || not_ok ".part left behind"

# A server error keeps the source's data and marks it failed.
echo '{"fail": {"'$EPSSURL'": 500}}' >"$TMP/control.json"
expect_match "HTTP 500" 1 "^vigil: epss: cannot download '.*': HTTP 500" stderr -- \
  "$VIGIL" feeds sync --db "$H" --source epss --source kev
grep -q "1 failed" "$TMP/stdout" && ok || not_ok "summary: $(cat "$TMP/stdout" | tail -1)"
check "EPSS intact after HTTP 500" "$(field "$H" epss records)" "$n_epss"
field "$H" epss last_error | grep -q "HTTP 500" && ok || not_ok "status does not show the EPSS failure"
expect_match "status table shows the error" 0 "^epss .*HTTP 500" stdout -- "$VIGIL" feeds status --db "$H"
echo '{}' >"$TMP/control.json"

# ---- sync from web mirrors -----------------------------------------------------------------------
# The cache of the official sync is itself a mirror (here served over HTTP by the test server).
cp -r "$C" "$W/cache-mirror"
unset VIGIL_FEEDS_BASE_URL
expect_match "web mirror (the cache)" 0 "sync: 2 sources current" stdout -- \
  "$VIGIL" feeds sync --db "$TMP/c/k.db" --mirror "http://127.0.0.1:$(cat "$TMP/port")/cache-mirror" \
  --source kev --source epss
check "web mirror: kev, epss" "$(field "$TMP/c/k.db" kev records)/$(field "$TMP/c/k.db" epss records)" "$n_kev/$n_epss"
# shared/data served by python3 -m http.server.
port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$D" "$port2" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
    "http://127.0.0.1:$port2/" 2>/dev/null && break
  sleep 0.1
done
expect_match "web mirror (http.server)" 0 "sync: 4 sources current" stdout -- \
  "$VIGIL" feeds sync --db "$TMP/w/k.db" --mirror "http://127.0.0.1:$port2/" \
  --source kev --source epss --source debian-dsa --source alpine
check "http.server mirror: kev/epss/dsa" \
  "$(field "$TMP/w/k.db" kev records)/$(field "$TMP/w/k.db" epss snapshot)/$(field "$TMP/w/k.db" debian-dsa records)" \
  "$n_kev/2026-08-16/$(field "$DB" debian-dsa records)"
check "http.server mirror: alpine v3.15/main" "$(field "$TMP/w/k.db" alpine-secdb:v3.15/main records)" \
  "$(field "$M" alpine-secdb:v3.15/main records)"

# Two files of one REPLACE source in one run: the later replaces the earlier, and says so.
expect_match "replaced source warned" 0 "warning: .*fixture_vuln-list-update/data/DSA/list replaced source 'debian-dsa' imported from .*salsa-format_2023-04/data/DSA/list" stderr -- \
  "$VIGIL" feeds import --db "$TMP/replace.db" "$D/debian-security-tracker/salsa-format_2023-04/data/DSA/list" \
  "$D/debian-security-tracker/salsa-format_fixture_vuln-list-update/data/DSA/list"

finish
