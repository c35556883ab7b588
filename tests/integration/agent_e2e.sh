#!/usr/bin/env bash
# agent_e2e.sh - the real vigil-agent against the real vigild: enrollment,
# a full report, nothing sent when nothing changed, a delta after a package
# upgrade, and a report spooled while vigild is down then delivered once
# it is back (agent_once.sh covers the agent's cases against a mock server,
# agent_server.sh the server's cases with curl).
. "$(dirname "$0")/lib.sh"
: "${VIGILD:?}" "${VIGIL_AGENT:?}"

PID=
cleanup() { [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
DB=$TMP/vigil.db

sql() { sqlite3 "$DB" "$1"; }

cp -r "$VG_TEST_DATA/roots/scan-debian11" "$TMP/root"
start_vigild "$TMP/log" "$DB" --threads 2
TOKEN=$("$VIGIL" token create --db "$DB" --role enroll --name e2e 2>/dev/null)
agent() { "$VIGIL_AGENT" --server "$BASE" --root "$TMP/root" --state-dir "$TMP/state" \
  --once --timeout 3 "$@"; }

expect_match "enroll and full report" 0 "delivered full report" stderr -- agent --enroll-token "$TOKEN"
expect_out "one device" 0 "1" -- sql "select count(*) from device"
expect_out "its 14 software tuples" 0 "14" -- sql "select count(*) from device_tuple"
expect_match "nothing changed, nothing sent" 0 "no change since the last report" stdout -- agent
sed -i 's/^Version: 1.9.5p2-3$/Version: 1.9.5p2-3+deb11u1/' "$TMP/root/var/lib/dpkg/status"
expect_match "upgrade sent as a delta" 0 "delivered delta report" stderr -- agent
expect_out "reports: one full, one delta" 0 $'delta|1\nfull|1' -- \
  sql "select kind, count(*) from device_report group by kind order by kind"
expect_out "the new sudo version is stored" 0 "1" -- \
  sql "select count(*) from tuple where package = 'sudo' and version = '1.9.5p2-3+deb11u1'"

# vigild down: the report waits in the spool (exit 75), and arrives once vigild is back.
kill -TERM "$PID"; wait "$PID"; PID=
sed -i 's/^Version: 1.9.5p2-3+deb11u1$/Version: 1.9.5p2-3+deb11u2/' "$TMP/root/var/lib/dpkg/status"
expect_out "server down: spooled" 75 "" -- agent
expect_out "one report in the spool" 0 "1" -- bash -c 'find "$1/state/spool" -name "*.rpt" | wc -l' _ "$TMP"
VIGILD_PORT=$PORT start_vigild "$TMP/log" "$DB" --threads 2
expect_match "delivered when vigild is back" 0 "delivered delta report" stderr -- agent
expect_out "delivered exactly once" 0 "3" -- sql "select count(*) from device_report"
expect_out "spool empty" 0 "0" -- bash -c 'find "$1/state/spool" -name "*.rpt" | wc -l' _ "$TMP"
kill -TERM "$PID"; wait "$PID"; PID=
finish
