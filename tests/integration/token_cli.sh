#!/usr/bin/env bash
# token_cli.sh - `vigil token` round trip through the built binary: create
# prints only the token, list never shows it, revoke by number and public id,
# usage errors exit 2, the store file never holds the token in clear.
. "$(dirname "$0")/lib.sh"

db="$TMP/vigil.db"

expect_match "create without --role" 2 "--role is required" stderr -- "$VIGIL" token create --db "$db"
expect_match "unknown role" 2 "unknown role 'root'" stderr -- "$VIGIL" token create --db "$db" --role root
expect_match "bad expiry" 2 "--expires '0'" stderr -- "$VIGIL" token create --db "$db" --role analyst --expires 0
expect_match "device on non-agent" 2 "agent tokens only" stderr -- "$VIGIL" token create --db "$db" --role admin --device d1
expect_match "unknown subcommand" 2 "unknown command 'make'" stderr -- "$VIGIL" token make
expect_match "list of a missing store" 2 "no store" stderr -- "$VIGIL" token list --db "$TMP/none.db"

tok=$("$VIGIL" token create --db "$db" --role analyst --name "ci reader" --expires 30 2>"$TMP/create.err"); rc=$?
if [ "$rc" -eq 0 ] && [[ "$tok" =~ ^vgt_[A-Za-z0-9_-]{43}$ ]]; then ok; else not_ok "create: exit $rc, stdout '$tok'"; fi
if grep -q "role analyst, name 'ci reader', expires" "$TMP/create.err" && ! grep -qF "$tok" "$TMP/create.err"; then
  ok; else not_ok "create details on stderr: $(cat "$TMP/create.err")"; fi
agent=$("$VIGIL" token create --db "$db" --role agent --device dev-01 2>/dev/null)
pub=${tok:0:12}

expect_match "list table" 0 "^1 +$pub +ci reader +analyst .* active$" stdout -- "$VIGIL" token list --db "$db"
expect_match "list agent row" 0 "^2 +${agent:0:12} +- +agent \\(dev-01\\)" stdout -- "$VIGIL" token list --db "$db"
expect_match "list json" 0 "\"public_id\": \"$pub\"" stdout -- "$VIGIL" token list --db "$db" --format json
for fmt in table json; do
  out=$("$VIGIL" token list --db "$db" --format $fmt 2>&1)
  if grep -qF -e "$tok" -e "${tok:12}" -e "${agent:12}" <<<"$out"; then not_ok "list $fmt shows a token"; else ok; fi
done
if grep -qaF -e "${tok:12}" -e "${agent:12}" "$db"*; then not_ok "a token is in the store in clear"; else ok; fi

expect_match "revoke by public id" 0 "revoked token 1 \\($pub, analyst\\)" stdout -- "$VIGIL" token revoke --db "$db" "$pub"
expect_match "revoked in list" 0 "^1 +$pub .* revoked$" stdout -- "$VIGIL" token list --db "$db"
expect_match "revoke by number" 0 "revoked token 2 " stdout -- "$VIGIL" token revoke --db "$db" 2
expect_match "revoke unknown" 1 "no token '42'" stderr -- "$VIGIL" token revoke --db "$db" 42
expect_match "revoke garbage" 2 "is not a token number" stderr -- "$VIGIL" token revoke --db "$db" "x'--"
expect_match "revoke without id" 2 "give one token" stderr -- "$VIGIL" token revoke --db "$db"
expect_match "list --format bad" 2 "unknown format 'xml'" stderr -- "$VIGIL" token list --db "$db" --format xml

finish
