#!/usr/bin/env bash
# cli_vectors.sh - every vector table, checked from outside through the
# CLI's batch mode (one process per table): the answers `vigil` prints
# must equal the reference tools' answers recorded in ../shared/data/vectors.
. "$(dirname "$0")/lib.sh"
V=$VG_SHARED_DATA/vectors

# rows TABLE COLS...: the table's data rows, selected columns, TAB-separated.
rows() {
  local table=$1; shift
  awk -F'\t' -v cols="$*" '
    /^#/ { next }
    !header { for (i = 1; i <= NF; i++) idx[$i] = i; header = 1; next }
    { n = split(cols, c, " "); out = ""
      for (i = 1; i <= n; i++) out = out (i > 1 ? "\t" : "") $(idx[c[i]])
      print out }' "$table"
}

# check NAME INPUT_FILE EXPECTED_FILE COMMAND...: run the batch, compare line by line.
check() {
  local name=$1 input=$2 expected=$3; shift 3
  local n bad
  "$@" <"$input" >"$TMP/got" 2>/dev/null
  n=$(wc -l <"$expected")
  if [ "$n" -eq 0 ]; then not_ok "$name: no rows"; return; fi
  if [ "$(wc -l <"$TMP/got")" -ne "$n" ]; then
    not_ok "$name: $(wc -l <"$TMP/got") answers for $n rows"; return
  fi
  bad=$(paste "$input" "$expected" "$TMP/got" | awk -F'\t' '{ if ($(NF-1) != $NF) print }' | head -5)
  if [ -n "$bad" ]; then
    not_ok "$name: rows disagree (input, expected, got):"$'\n'"$bad"
  else
    ok; printf '%-28s %5d rows agree\n' "$name" "$n"
  fi
}

sign() { awk -F'\t' '{ print ($NF == -1 ? "<" : $NF == 0 ? "=" : ">") }'; }

rows "$V/dpkg_version_compare.tsv" v1 v2 >"$TMP/in"
rows "$V/dpkg_version_compare.tsv" expected | sign >"$TMP/want"
check "dpkg_version_compare" "$TMP/in" "$TMP/want" "$VIGIL" vercmp dpkg -

rows "$V/rpm_evr_compare.tsv" evr1 evr2 >"$TMP/in"
rows "$V/rpm_evr_compare.tsv" expected | sign >"$TMP/want"
check "rpm_evr_compare" "$TMP/in" "$TMP/want" "$VIGIL" vercmp rpm -

rows "$V/semver_precedence.tsv" v1 v2 >"$TMP/in"
rows "$V/semver_precedence.tsv" expected | sign >"$TMP/want"
check "semver_precedence" "$TMP/in" "$TMP/want" "$VIGIL" vercmp semver -

# apk: the compare rows with a plain <, > or = operator ("~" is fuzzy matching, a unit-test matter).
rows "$V/apk_version.tsv" kind v1 op v2 expected | awk -F'\t' '$1 == "compare" && ($3 == "<" || $3 == ">" || $3 == "=")' >"$TMP/apk"
cut -f2,4 "$TMP/apk" >"$TMP/in"
awk -F'\t' '{ want = $3; if ($5 == "false") want = "!" $3; print want }' "$TMP/apk" >"$TMP/want"
"$VIGIL" vercmp apk - <"$TMP/in" >"$TMP/got" 2>/dev/null
bad=$(paste "$TMP/apk" "$TMP/got" | awk -F'\t' '{ holds = ($3 == $6); if ((($5 == "true") != holds)) print }' | head -5)
if [ "$(wc -l <"$TMP/got")" -ne "$(wc -l <"$TMP/apk")" ] || [ ! -s "$TMP/apk" ]; then
  not_ok "apk_version: answer count"
elif [ -n "$bad" ]; then not_ok "apk_version rows disagree:"$'\n'"$bad"
else ok; printf '%-28s %5d rows agree\n' apk_version "$(wc -l <"$TMP/apk")"; fi

# npm ranges: the one row whose range holds a literal TAB cannot travel in a TAB-separated batch.
rows "$V/semver_npm_range.tsv" range version expected | grep -v '\\t' >"$TMP/npm"
cut -f1,2 "$TMP/npm" >"$TMP/in"; cut -f3 "$TMP/npm" >"$TMP/want"
check "semver_npm_range" "$TMP/in" "$TMP/want" "$VIGIL" vercmp --range npm -

# CVSS: score column(s) against the first field of "SCORE SEVERITY".
for t in v2 v3; do
  rows "$V/cvss_${t}_scores.tsv" vector >"$TMP/in"
  rows "$V/cvss_${t}_scores.tsv" base >"$TMP/want"
  check "cvss_${t}_scores (base)" "$TMP/in" "$TMP/want" bash -c '"$VIGIL" cvss - | cut -d" " -f1'
done
rows "$V/cvss_v4_scores.tsv" vector >"$TMP/in"
rows "$V/cvss_v4_scores.tsv" score >"$TMP/want"
check "cvss_v4_scores" "$TMP/in" "$TMP/want" bash -c '"$VIGIL" cvss - | cut -d" " -f1'

rows "$V/cpe23_matching.tsv" source target >"$TMP/in"
rows "$V/cpe23_matching.tsv" name_relation >"$TMP/want"
check "cpe23_matching" "$TMP/in" "$TMP/want" "$VIGIL" cpe match -

finish
