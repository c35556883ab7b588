#!/usr/bin/env bash
# policy_cli.sh - `vigil policy check` and `vigil policy show` through the built binary: the
# real Wazuh policies and the every-kind fixture load with their counts, errors come out as
# "vigil policy check: error: FILE:LINE:COL: message" with exit 2, show lists and details
# checks as text and JSON.
. "$(dirname "$0")/lib.sh"

wazuh=$VG_SHARED_DATA/sca/wazuh
pol=$VG_TEST_DATA/policies

expect_out "check the wazuh directory" 0 "cis_debian12  207 checks  (wazuh)  categories: unscored 207
sca_distro_independent_linux  190 checks  (wazuh)  categories: unscored 190" -- "$VIGIL" policy check "$wazuh"
expect_out "check the fixture" 0 "test-all-kinds  6 checks  (vigil)  categories: Application 1, OS 1, Network 1, Accounts 1, Security controls 2" \
  -- "$VIGIL" policy check "$pol/all-kinds.yml"
expect_match "broken file" 2 "^vigil policy check: error: .*/policies/bad/b-broken.yml:9:13: 'impact' must be between 1 and 10, not 11$" stderr \
  -- "$VIGIL" policy check "$pol/bad"
expect_match "a broken directory still lists what loaded" 2 "^bad-first  1 check  \\(vigil\\)  categories: OS 1$" stdout \
  -- "$VIGIL" policy check "$pol/bad"
expect_match "duplicate policy id" 2 "policy id 'set-a' already loaded from .*/set/a.yml" stderr \
  -- "$VIGIL" policy check "$pol/set" "$pol/set-dup/a.yml"
expect_match "missing file" 2 "^vigil policy check: error: $TMP/none.yml: No such file" stderr \
  -- "$VIGIL" policy check "$TMP/none.yml"
printf 'policy:\n  format: vigil\n  id: x\n  name: X\nchecks:\n  - id: scid-1\n    titel: t\n' >"$TMP/typo.yml"
expect_match "unknown key" 2 "^vigil policy check: error: $TMP/typo.yml:7:5: unknown key 'titel' in a check$" stderr \
  -- "$VIGIL" policy check "$TMP/typo.yml"
expect_match "check without a path" 2 "give at least one PATH" stderr -- "$VIGIL" policy check
expect_match "unknown subcommand" 2 "unknown command 'lint'" stderr -- "$VIGIL" policy lint x
expect_match "option of show on check" 2 "option '--json' does not apply" stderr -- "$VIGIL" policy check --json x
expect_match "help" 0 "^usage: vigil policy check PATH" stdout -- "$VIGIL" policy --help

expect_match "show list header" 0 "^test-all-kinds: Every rule kind \\(vigil, 6 checks\\)$" stdout \
  -- "$VIGIL" policy show "$pol/all-kinds.yml"
expect_match "show list row" 0 "^  scid-3 +Security controls +10 +Value rules$" stdout \
  -- "$VIGIL" policy show "$pol/all-kinds.yml"
expect_match "show wazuh row" 0 "^  33301 +- +- +Ensure /etc/shadow password fields are not empty\\.$" stdout \
  -- "$VIGIL" policy show "$wazuh/cis_debian12.yml"
expect_match "show one vigil check" 0 "^  1\\. sshd PermitRootLogin == 'no' \\(any case\\) \\(default 'prohibit-password'\\)  \\[line 69\\]$" stdout \
  -- "$VIGIL" policy show "$pol/all-kinds.yml" --check scid-3
expect_match "show one wazuh check" 0 "^  1\\. not f:/etc/shadow -> r:\\^\\[\\\\w@-\\]\\+::  \\[line 9878\\]$" stdout \
  -- "$VIGIL" policy show --check 33301 "$wazuh/cis_debian12.yml"
expect_match "show unknown check" 1 "no check 'scid-9'" stderr -- "$VIGIL" policy show "$pol/all-kinds.yml" --check scid-9
expect_match "show two paths" 2 "give one PATH" stderr -- "$VIGIL" policy show "$pol/all-kinds.yml" "$pol/set"

"$VIGIL" policy show "$pol/all-kinds.yml" --json >"$TMP/list.json" 2>"$TMP/err"; rc=$?
if [ "$rc" -eq 0 ] && python3 - "$TMP/list.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 1 and d[0]["id"] == "test-all-kinds" and d[0]["format"] == "vigil"
ids = [c["id"] for c in d[0]["checks"]]
assert ids == ["scid-1", "scid-2", "scid-3", "scid-999999", "scid-42", "scid-43"], ids
assert d[0]["checks"][2] == {"id": "scid-3", "title": "Value rules", "category": "SecurityControls", "impact": 10}
PY
then ok; else not_ok "show --json list: exit $rc $(head -c 300 "$TMP/err")"; fi

"$VIGIL" policy show "$wazuh/sca_distro_independent_linux.yml" --check 36144 --json >"$TMP/one.json" 2>"$TMP/err"; rc=$?
if [ "$rc" -eq 0 ] && python3 - "$TMP/one.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))[0]["checks"]
assert len(c) == 1 and c[0]["id"] == "36144" and c[0]["impact"] is None and "category" not in c[0]
assert c[0]["rules"][0]["rule"] == "c:sshd -T -> !r:^# && n:^MaxAuthTries\\s*\\t*(\\d+) compare <= 4", c[0]["rules"][0]
assert c[0]["condition"] in ("all", "any", "none")
PY
then ok; else not_ok "show --check --json: exit $rc $(head -c 300 "$TMP/err")"; fi

# The shipped baseline loads (content/ is the server's default policy directory).
content=$(dirname "$0")/../../content
if ls "$content"/*.yml >/dev/null 2>&1; then
  expect_match "content loads" 0 "\\(vigil\\)" stdout -- "$VIGIL" policy check "$content"
fi

finish
