#!/usr/bin/env bash
# dpkg_agreement.sh - `vigil vercmp dpkg` agrees with `dpkg --compare-versions`
# on pairs of real version strings from this machine's dpkg database.
#
# Pairs are of two kinds: random pairs of any two versions, and neighbours
# in sorted order (close versions such as 2.36-9 / 2.36-9+deb12u4, where
# comparators actually go wrong).  The seed is printed so that a failure can
# be replayed with VG_SEED=N.
. "$(dirname "$0")/lib.sh"

status=${VG_DPKG_STATUS:-/var/lib/dpkg/status}
pairs=${VG_PAIRS:-1500}
seed=${VG_SEED:-$RANDOM}
command -v dpkg >/dev/null || { not_ok "dpkg is not installed"; finish; exit; }
[ -r "$status" ] || { not_ok "cannot read $status"; finish; exit; }

# Versions of binary packages and of their sources ("Source: name (version)").
{ sed -n 's/^Version: //p' "$status"; sed -n 's/^Source: [^ ]* (\(.*\))$/\1/p' "$status"; } |
  sort -u >"$TMP/versions"
nv=$(wc -l <"$TMP/versions")
[ "$nv" -ge 10 ] || { not_ok "only $nv versions in $status"; finish; exit; }
echo "seed $seed: $nv distinct versions in $status"

rng() { openssl enc -aes-128-ctr -pass "pass:$seed" -nosalt </dev/zero 2>/dev/null; }
shuf -n "$pairs" --random-source=<(rng) "$TMP/versions" >"$TMP/a"
shuf -n "$pairs" --random-source=<(rng | tail -c +4097) "$TMP/versions" >"$TMP/b"
paste "$TMP/a" "$TMP/b" >"$TMP/pairs"
sort -V "$TMP/versions" | awk 'NR > 1 { print prev "\t" $0 } { prev = $0 }' |
  shuf -n "$pairs" --random-source=<(rng) >>"$TMP/pairs"

"$VIGIL" vercmp dpkg - <"$TMP/pairs" >"$TMP/vigil"
n=0; bad=0
while IFS=$'\t' read -r a b <&3 && read -r got <&4; do
  n=$((n + 1))
  if dpkg --compare-versions "$a" lt "$b"; then want='<'
  elif dpkg --compare-versions "$a" eq "$b"; then want='='
  else want='>'; fi
  if [ "$got" != "$want" ]; then
    bad=$((bad + 1)); [ "$bad" -le 10 ] && not_ok "'$a' vs '$b': vigil '$got', dpkg '$want'"
  fi
done 3<"$TMP/pairs" 4<"$TMP/vigil"
[ "$n" -gt 0 ] || not_ok "no pairs compared"
if [ "$bad" -eq 0 ] && [ "$n" -gt 0 ]; then ok; echo "$n pairs agree with dpkg --compare-versions"; fi
finish
