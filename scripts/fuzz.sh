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
