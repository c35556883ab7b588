#!/usr/bin/env bash
# fuzz.sh - run every libFuzzer target for FUZZ_SECONDS (default 20) each.
#
# Seed corpora are generated from the vector tables in ../shared/data/vectors
# into build/fuzz/corpus/<target>/ (the tables are read, never copied into
# the repository), plus the hand-written seeds in fuzz/corpus/<target>/.
# New inputs that libFuzzer finds go to build/fuzz/corpus/<target>/; a crash
# leaves its reproducer in build/fuzz/artifacts/ and fails this script.
#
# Usage: FUZZ_SECONDS=60 scripts/fuzz.sh [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
shared=${VG_SHARED_DATA:-../shared/data}
vectors=$shared/vectors
bin=build/fuzz/bin
corpus=build/fuzz/corpus
artifacts=build/fuzz/artifacts
mkdir -p "$corpus" "$artifacts"

# seed TARGET TABLE COLUMN [COLUMN]: one seed file per table row, columns joined by a newline.
seed() {
  local target=$1 table=$2; shift 2
  mkdir -p "$corpus/$target"
  awk -F'\t' -v dir="$corpus/$target" -v tag="$(basename "$table" .tsv)" -v cols="$*" '
    /^#/ { next }
    !header { for (i = 1; i <= NF; i++) idx[$i] = i; header = 1; next }
    {
      n = split(cols, c, " "); out = ""
      for (i = 1; i <= n; i++) out = out (i > 1 ? "\n" : "") $(idx[c[i]])
      printf "%s", out > (dir "/" tag "-" NR); close(dir "/" tag "-" NR)
    }' "$table"
}

seed version_dpkg    "$vectors/dpkg_version_compare.tsv" v1 v2
seed version_rpm     "$vectors/rpm_evr_compare.tsv" evr1 evr2
seed version_rpm     "$vectors/rpm_rpmvercmp.tsv" v1 v2
seed version_apk     "$vectors/apk_version.tsv" v1 v2
seed version_semver  "$vectors/semver_precedence.tsv" v1 v2
seed npm_range       "$vectors/semver_npm_range.tsv" range version
seed version_generic "$vectors/dpkg_version_compare.tsv" v1 v2
seed version_generic "$vectors/rpm_evr_compare.tsv" evr1 evr2
seed version_pep440  "$vectors/semver_precedence.tsv" v1 v2
seed cvss            "$vectors/cvss_v2_scores.tsv" vector
seed cvss            "$vectors/cvss_v3_scores.tsv" vector
seed cvss            "$vectors/cvss_v4_scores.tsv" vector
seed cpe             "$vectors/cpe23_matching.tsv" source target

# seed_files TARGET FILE...: whole files as seeds (real inventories); split_seeds cuts
# big listings into 8-line pieces so that each execution stays fast.
seed_files() {
  local t=$1 i=0; shift; mkdir -p "$corpus/$t"
  for f in "$@"; do i=$((i + 1)); cp "$f" "$corpus/$t/$i-$(basename "$f")"; done
}
split_seeds() {
  local t=$1; shift; mkdir -p "$corpus/$t"
  for f in "$@"; do split -l 8 -d -a 4 "$f" "$corpus/$t/$(basename "$f")."; done
}
inv=$shared/inventories
seed_files dpkg_status "$inv"/dpkg/*.status
seed_files apk_installed "$inv"/apk/*.installed
split_seeds rpm_text "$inv"/rpm/*.txt "$inv"/rpm/*.json
seed_files os_release tests/data/roots/*/etc/os-release

# Feeds: whole small files, and big ones cut into a few records per seed.
seed_files jstream "$shared"/osv/ghsa-multi_from-trivy-db-testdata/*.json "$shared"/nvd/cve-json-5/*.json
seed_files feed_detect $(find "$shared" -type f -size -8k \( -name '*.json' -o -name '*.yaml' -o -name '*.csv' -o -name list \) | sort | head -200)
seed_files feed_osv $(find "$shared/osv" -type f \( -name '*.json' -o -name '*.yaml' \) -size -64k | sort) tests/data/osv/*.json
seed_files feed_cve5 "$shared"/nvd/cve-json-5/*.json
seed_files feed_nvd "$shared"/nvd/nvd-api-2.0_single/*.json "$shared"/nvd/nvd-feed-2.0/*.json
# split_records TARGET PER FILE...: cut text lists at their header lines, PER records a seed.
split_records() {
  local t=$1 per=$2 i=0; shift 2; mkdir -p "$corpus/$t"
  for f in "$@"; do
    i=$((i + 1))
    awk -v dir="$corpus/$t" -v tag="$i-$(basename "$(dirname "$f")")" -v per="$per" '
      /^[^ \t]/ { if (k++ % per == 0) { if (out) close(out); out = sprintf("%s/%s-%05d", dir, tag, ++n) } }
      out { print > out }' "$f"
  done
}
dst=$shared/debian-security-tracker
split_records feed_debian_list 4 "$dst"/salsa-format_2023-04/data/DSA/list \
  "$dst"/salsa-format_2023-04/data/DLA/list "$dst"/salsa-format_fixture_vuln-list-update/data/*/list \
  "$dst"/tracker-json_fixture_vunnel/DSA
seed_files feed_debian_json "$dst"/tracker-json_fixture_*/*.json \
  $(find "$dst"/vuln-list-debian-format_fixture_trivy-db -name '*.json' | sort)
mkdir -p "$corpus/feed_kev" "$corpus/feed_epss" "$corpus/feed_secdb"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d["vulnerabilities"]
for n,i in enumerate(range(0,len(v),47)): open(f"{sys.argv[2]}/catalog-{n}","w").write(json.dumps(dict(d,count=3,vulnerabilities=v[i:i+3]),indent=4))' \
  "$shared/kev/known_exploited_vulnerabilities.json" "$corpus/feed_kev"
f=$shared/epss/epss_scores-2026-08-16.csv
for s in $(seq 3 9000 360144); do { head -2 "$f"; sed -n "${s},$((s+11))p" "$f"; } > "$corpus/feed_epss/day-$s"; done
seed_files feed_epss "$shared"/epss/fixtures/*.csv
seed_files feed_secdb "$shared"/alpine-secdb/*.json "$shared"/alpine-secdb/*.yaml
for y in "$shared"/alpine-secdb/*.yaml; do n=$(grep -c '^- pkg:' "$y"); for k in $(seq 1 "$n"); do
  awk -v k="$k" '/^- pkg:/ { if (++seen > k) exit } { print }' "$y" > "$corpus/feed_secdb/$(basename "$y" .yaml)-$k.yaml"; done; done

# Wazuh SCA policies: every rule string (requirements and checks) as one seed.
mkdir -p "$corpus/sca_rule"
python3 -c 'import sys, yaml
n = 0
for f in sys.argv[2:]:
    d = yaml.safe_load(open(f))
    for c in [d.get("requirements") or {}] + d["checks"]:
        for r in c.get("rules") or []: n += 1; open(f"{sys.argv[1]}/rule-{n:04d}", "w").write(r)' \
  "$corpus/sca_rule" "$shared"/sca/wazuh/*.yml

# OS_Regex patterns and c: commands of the Wazuh policies (osregex): the first byte picks the
# translator (odd, "o": OS_Regex; even, "p": command split), the rest is the pattern or command.
mkdir -p "$corpus/osregex"
python3 -c 'import re, sys, yaml
n = 0
for f in sys.argv[2:]:
    d = yaml.safe_load(open(f))
    for c in [d.get("requirements") or {}] + d["checks"]:
        for r in c.get("rules") or []:
            body = r[4:] if r.startswith("not ") else r
            if body.startswith("c:"):
                n += 1; open(f"{sys.argv[1]}/cmd-{n:04d}", "w").write("p" + body[2:].split(" -> ")[0])
            for p in re.findall(r"[rn]:(.*?)(?= && | compare |$)", r):
                n += 1; open(f"{sys.argv[1]}/re-{n:04d}", "w").write("o" + p)' \
  "$corpus/osregex" "$shared"/sca/wazuh/*.yml

# Policies (policy_load): each check of the Wazuh policies and of content/*.yml as a seed of
# its own (the header up to `checks:` plus that one check, under -max_len), and the fixtures.
mkdir -p "$corpus/policy_load"
for f in "$shared"/sca/wazuh/*.yml content/*.yml; do
  [ -f "$f" ] || continue
  awk -v dir="$corpus/policy_load" -v tag="$(basename "$f" .yml)" '
    !body { head = head $0 "\n"; if ($0 ~ /^checks:/) body = 1; next }
    /^  - id:/ { if (out) close(out); out = sprintf("%s/%s-%04d", dir, tag, ++n); printf "%s", head > out }
    out { print > out }' "$f"
done
seed_files policy_load tests/data/policies/*.yml tests/data/policies/*/*.yml tests/data/policies/*/*.yaml

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$bin"/fuzz_*; do targets+=("$(basename "$f" | sed 's/^fuzz_//')"); done
fi

failed=0
for t in "${targets[@]}"; do
  dirs=("$corpus/$t")
  [ -d "fuzz/corpus/$t" ] && dirs+=("fuzz/corpus/$t")
  mkdir -p "$corpus/$t"
  log=build/fuzz/$t.log
  if "$bin/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
       -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "${dirs[@]}" >"$log" 2>&1; then
    execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    printf 'fuzz %-16s ok    %10s executions in %ss\n' "$t" "${execs:-?}" "$seconds"
  else
    printf 'fuzz %-16s FAIL  (see %s)\n' "$t" "$log"
    grep -E 'ERROR|SUMMARY|violated' "$log" | head -5 || true
    failed=1
  fi
done
exit $failed
