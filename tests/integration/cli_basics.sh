#!/usr/bin/env bash
# cli_basics.sh - the vigil command line from a user's side: help, version,
# errors, single and batch forms of vercmp / cvss / cpe, and scan on fixture roots.
. "$(dirname "$0")/lib.sh"

# Help, version, unknown commands.
expect_match "vigil --help lists commands" 0 '^  vercmp ' stdout -- "$VIGIL" --help
expect_match "vigil --version" 0 '^vigil [0-9]+\.[0-9]+\.[0-9]+$' stdout -- "$VIGIL" --version
for c in scan vercmp cvss cpe; do
  expect_match "vigil $c --help" 0 "^usage: vigil $c" stdout -- "$VIGIL" "$c" --help
  expect_match "vigil help $c" 0 "^usage: vigil $c" stdout -- "$VIGIL" help "$c"
done
expect_match "no command shows usage" 2 '^usage: vigil' stderr -- "$VIGIL"
expect_match "unknown command suggests" 2 'most similar command is' stderr -- "$VIGIL" vercpm
expect_match "unknown command named" 2 "'frobnicate' is not a vigil command" stderr -- "$VIGIL" frobnicate
expect_match "unknown global option" 2 "unknown option '--frob'" stderr -- "$VIGIL" --frob
expect_match "vigild --version" 0 '^vigild [0-9.]+$' stdout -- "$VIGILD" --version
expect_match "vigil-agent --version" 0 '^vigil-agent [0-9.]+$' stdout -- "$VIGIL_AGENT" --version

# vercmp: every scheme, single form.
expect_out "dpkg tilde" 0 "<" -- "$VIGIL" vercmp dpkg 1.0~rc1-1 1.0-1
expect_out "dpkg epoch" 0 ">" -- "$VIGIL" vercmp dpkg 1:0.1 2.0
expect_out "dpkg equal zero epoch" 0 "=" -- "$VIGIL" vercmp dpkg 0:1.0-1 1.0-1
expect_out "rpm caret" 0 ">" -- "$VIGIL" vercmp rpm 1.0^git1-1 1.0-1
expect_out "rpm tilde" 0 "<" -- "$VIGIL" vercmp rpm 1.0~rc1-1 1.0-1
expect_out "apk suffix" 0 "<" -- "$VIGIL" vercmp apk 1.0_alpha1-r0 1.0-r0
expect_out "apk revision" 0 ">" -- "$VIGIL" vercmp apk 1.2.3-r10 1.2.3-r9
expect_out "semver prerelease" 0 "<" -- "$VIGIL" vercmp semver 1.0.0-alpha 1.0.0
expect_out "semver build ignored" 0 "=" -- "$VIGIL" vercmp semver 1.0.0+a 1.0.0+b
expect_out "pep440 dev/pre/final/post" 0 "<" -- "$VIGIL" vercmp pep440 1.0.dev1 1.0a1
expect_out "pep440 implicit post" 0 "=" -- "$VIGIL" vercmp pep440 1.0-1 1.0.post1
expect_out "generic numeric runs" 0 "<" -- "$VIGIL" vercmp generic 1.9 1.10
expect_out "npm caret" 0 "true" -- "$VIGIL" vercmp --range npm '^1.2.3 || 2.x' 2.4.0
expect_out "npm prerelease excluded" 0 "false" -- "$VIGIL" vercmp --range npm '^1.2.3' 1.3.0-beta.1

# vercmp: errors.
expect_match "invalid dpkg version exits 2" 2 'invalid dpkg version' stderr -- "$VIGIL" vercmp dpkg 1: 1.0
expect_match "invalid semver exits 2" 2 'semver' stderr -- "$VIGIL" vercmp semver 1.0 1.0.0
expect_match "invalid pep440 exits 2" 2 'pep440' stderr -- "$VIGIL" vercmp pep440 'not a version' 1.0
expect_match "invalid apk exits 2" 2 'apk' stderr -- "$VIGIL" vercmp apk 1.0_foo 1.0
expect_match "unknown scheme" 2 "unknown scheme 'deb'" stderr -- "$VIGIL" vercmp deb 1 2
expect_match "missing operand" 2 'expected SCHEME V1 V2' stderr -- "$VIGIL" vercmp dpkg 1.0
expect_match "range for other scheme" 2 "'npm' only" stderr -- "$VIGIL" vercmp --range pypi '>1' 2
expect_match "invalid npm range" 2 'range' stderr -- "$VIGIL" vercmp --range npm '>=1.0.0 <foo' 1.0.0

# vercmp: batch form, errors answered in place, order kept.
printf '1.0\t1.1\n2:1\t1:9\nbad version\t1\n1.0-1\t1.0-1\nonly-one-operand\n' >"$TMP/in"
expect_out "dpkg batch" 2 $'<\n>\nerror\n=\nerror' -- bash -c '"$VIGIL" vercmp dpkg - <"$1"' _ "$TMP/in"
printf '^1.0.0\t1.5.0\n~1.2\t1.3.0\n' >"$TMP/in"
expect_out "npm batch" 0 $'true\nfalse' -- bash -c '"$VIGIL" vercmp --range npm - <"$1"' _ "$TMP/in"
head -c 70000 /dev/zero | tr '\0' 'x' >"$TMP/long"; printf '\t1\n1\t2\n' >>"$TMP/long"
expect_out "overlong batch line answered error" 2 $'error\n<' -- bash -c '"$VIGIL" vercmp dpkg - <"$1"' _ "$TMP/long"
expect_out "empty batch input" 0 "" -- bash -c '"$VIGIL" vercmp dpkg - </dev/null'

# cvss.
expect_out "cvss 3.1 critical" 0 "9.8 CRITICAL" -- "$VIGIL" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
expect_out "cvss 3.1 scope changed" 0 "10.0 CRITICAL" -- "$VIGIL" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H
expect_out "cvss 3.0" 0 "5.3 MEDIUM" -- "$VIGIL" cvss CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N
expect_out "cvss 2.0" 0 "7.5 HIGH" -- "$VIGIL" cvss AV:N/AC:L/Au:N/C:P/I:P/A:P
expect_out "cvss 4.0" 0 "9.3 CRITICAL" -- "$VIGIL" cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
expect_out "cvss none" 0 "0.0 NONE" -- "$VIGIL" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N
expect_out "cvss --all" 0 "9.8 CRITICAL 9.0 9.0" -- "$VIGIL" cvss --all CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:W
expect_match "cvss malformed" 2 'AV' stderr -- "$VIGIL" cvss CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
expect_match "cvss missing metric" 2 'PR' stderr -- "$VIGIL" cvss CVSS:3.1/AV:N/AC:L/UI:N/S:U/C:H/I:H/A:H
printf 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\nnonsense\nAV:L/AC:H/Au:M/C:N/I:N/A:C\n' >"$TMP/in"
expect_out "cvss batch" 2 $'9.8 CRITICAL\nerror\n3.7 LOW' -- bash -c '"$VIGIL" cvss - <"$1"' _ "$TMP/in"

# cpe.
nvd='cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*'
inst='cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*'
expect_out "cpe superset" 0 "SUPERSET" -- "$VIGIL" cpe match "$nvd" "$inst"
expect_out "cpe subset" 0 "SUBSET" -- "$VIGIL" cpe match "$inst" "$nvd"
expect_out "cpe equal" 0 "EQUAL" -- "$VIGIL" cpe match "$inst" "$inst"
expect_out "cpe disjoint" 0 "DISJOINT" -- "$VIGIL" cpe match "$inst" 'cpe:2.3:a:openssl:openssl:1.1.1:*:*:*:*:*:*:*'
expect_match "cpe invalid" 2 '^INVALID$' stdout -- "$VIGIL" cpe match 'cpe:2.3:x:bad' "$inst"
expect_match "cpe --attrs" 0 'SUPERSET part=EQUAL,vendor=EQUAL,product=EQUAL,version=SUPERSET' stdout -- "$VIGIL" cpe match --attrs "$nvd" "$inst"
expect_out "cpe bind uri to fs" 0 $'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*\ncpe:/a:microsoft:internet_explorer:8.0.6001:beta' -- "$VIGIL" cpe bind 'cpe:/a:microsoft:internet_explorer:8.0.6001:beta'
expect_match "cpe unknown verb" 2 "unknown subcommand 'frob'" stderr -- "$VIGIL" cpe frob x
printf '%s\t%s\nnot-a-cpe\t%s\n' "$nvd" "$inst" "$inst" >"$TMP/in"
expect_out "cpe batch" 0 $'SUPERSET\nINVALID' -- bash -c '"$VIGIL" cpe match - <"$1"' _ "$TMP/in"

# inventory summaries of fixture roots (installed packages only: config-files state is not counted).
roots=$VG_TEST_DATA/roots
expect_match "inventory debian root os" 0 'Debian GNU/Linux 12 \(bookworm\)  \[debian:12\]' stdout -- "$VIGIL" inventory --format table --root "$roots/debian12-min"
expect_match "inventory debian root packages" 0 '^Packages +2 \(deb 2\)$' stdout -- "$VIGIL" inventory --format table --root "$roots/debian12-min"
expect_match "inventory alpine root" 0 '^Packages +2 \(apk 2\)$' stdout -- "$VIGIL" inventory --format table --root "$roots/alpine318-min"
expect_match "inventory empty root" 0 '^Packages +0$' stdout -- "$VIGIL" inventory --format table --root "$TMP"

# scan needs a knowledge base; one source (KEV) is enough for the header (integration/scan
# checks the findings themselves).
mkdir -p "$TMP/empty"
"$VIGIL" feeds import --db "$TMP/kb.db" "$VG_SHARED_DATA/kev/known_exploited_vulnerabilities.json" >/dev/null
expect_match "scan debian root os" 0 'Debian GNU/Linux 12 \(bookworm\)  \[debian:12\]' stdout -- "$VIGIL" scan --db "$TMP/kb.db" --root "$roots/debian12-min"
expect_match "scan debian root software" 0 '^Software +2 packages, 1 distinct' stdout -- "$VIGIL" scan --db "$TMP/kb.db" --root "$roots/debian12-min"
expect_match "scan empty root" 0 '^Software +0 packages' stdout -- "$VIGIL" scan --db "$TMP/kb.db" --root "$TMP/empty"
# A store written by an older vigil (schema 1: the knowledge base alone) is upgraded by the
# read-only scan itself when the user may write it, instead of failing.
cp "$TMP/kb.db" "$TMP/old.db"
current=$(sqlite3 "$TMP/kb.db" 'PRAGMA user_version')
sqlite3 "$TMP/old.db" 'DROP TABLE config_tally; DROP TABLE device_config_history; DROP TABLE device_config; DROP TABLE config_check;
  DROP TABLE vuln_exposure; DROP TABLE event; DROP TABLE vuln_summary; DROP TABLE device_vuln;
  DROP TABLE tuple_vuln; DROP TABLE device_tuple; DROP TABLE tuple; DROP TABLE device_report;
  DROP TABLE device_section; DROP TABLE device; DROP TABLE api_token; PRAGMA user_version = 1'
expect_match "scan upgrades an older store" 0 '^Software +2 packages' stdout -- "$VIGIL" scan --db "$TMP/old.db" --root "$roots/debian12-min"
expect_out "older store now at the current schema" 0 "$current" -- sqlite3 "$TMP/old.db" 'PRAGMA user_version'
expect_match "scan without a knowledge base" 2 "no knowledge base at" stderr -- "$VIGIL" scan --db "$TMP/none.db" --root "$roots/debian12-min"
expect_match "scan missing root" 2 "cannot read root directory" stderr -- "$VIGIL" scan --root /nonexistent
expect_match "scan extra argument" 2 "unexpected argument" stderr -- "$VIGIL" scan extra

finish
