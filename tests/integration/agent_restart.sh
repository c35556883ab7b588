#!/usr/bin/env bash
# agent_restart.sh - no report lost or applied twice across restarts of either side.
#
# Four long-running vigil-agents (inotify, a short --interval) report the package database
# changes of their own copies of fixture roots to the real vigild.  vigild is SIGKILLed while
# it holds a report it has read and not yet answered (more are waiting in its sockets), and
# stays down while the agents keep spooling; one agent is SIGKILLed with a non-empty spool and
# restarted on the same state directory; vigild comes back on the same port and store.
# Afterwards every report an agent queued is stored exactly once (or was superseded by a full
# report after a 409 and never stored), no other report is stored, every report the killed
# vigild had acknowledged is in the store it left, and each device's stored sections are those
# of a fresh `vigil inventory` of its root.  Every step waits for something observable (logs,
# spool directories, sockets), never for a fixed time.
. "$(dirname "$0")/lib.sh"
: "${VIGILD:?}" "${VIGIL_AGENT:?}"
command -v ss >/dev/null || { echo "ss (iproute2) not found: skipped"; exit 77; }

ROOTS=(scan-debian11 scan-debian10 scan-kali scan-alpine315)
N=${#ROOTS[@]}
INTERVAL=6 # the agents' periodic full reports (seconds)
ATIMEOUT=6 # the agents' --timeout: a run gives up on an unreachable server after this
DB=$TMP/vigil.db
PID=
APID=()
GEN=()
unset VIGIL_ENROLL_TOKEN

cleanup() {
  local p
  for p in "${APID[@]}" "$PID"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

agents() { seq 0 $((N - 1)); }
# phase TEXT: where the test is, with the elapsed time (for the log of a failed run).
phase() { printf '[%3d s] %s\n' "$SECONDS" "$*"; }

# fail_now MESSAGE: a step the rest depends on did not happen; show the logs and stop.
fail_now() {
  local i f
  not_ok "$*"
  for i in $(agents); do
    echo "--- agent $i (${ROOTS[i]}), spool: $(spooled "$i")"
    tail -n 12 "$TMP/agent$i.log"
  done
  for f in "$TMP"/vigild*.log; do
    echo "--- $f"
    tail -n 4 "$f"
  done
  finish
  exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: run COMMAND every 0.2 s until it succeeds.
wait_for() {
  local secs=$1 desc=$2 end
  shift 2
  end=$((SECONDS + secs))
  until "$@"; do
    [ "$SECONDS" -lt "$end" ] || fail_now "timed out after ${secs} s waiting for: $desc"
    sleep 0.2
  done
}

# Counts of an agent's log lines (both of its runs write to the same log).
count() { grep -c -- "$2" "$TMP/agent$1.log" 2>/dev/null || true; }
queued() { count "$1" '^vigil-agent: queued '; }
delivered() { count "$1" '^vigil-agent: delivered '; }
unreachable() { count "$1" '^vigil-agent: server unreachable'; }
spooled() { find "$TMP/state$1/spool" -maxdepth 1 -name '*.rpt' 2>/dev/null | wc -l; }

# snap FUNC: FUNC's value for every agent, one a line (read into an array with mapfile).
snap() {
  local i
  for i in $(agents); do "$1" "$i"; done
}
# above FUNC BASE...: FUNC's value exceeds the agent's BASE for every agent.
above() {
  local f=$1 i=0 b
  shift
  for b in "$@"; do
    [ "$("$f" "$i")" -gt "$b" ] || return 1
    i=$((i + 1))
  done
}
above_pair() { [ "$(queued 1)" -gt "$1" ] && [ "$(queued 3)" -gt "$2" ]; }
# all_spooled MIN: every agent has at least MIN reports in its spool.
all_spooled() {
  local i
  for i in $(agents); do [ "$(spooled "$i")" -ge "$1" ] || return 1; done
}
all_spools_empty() { [ -z "$(find "$TMP"/state*/spool -name '*.rpt')" ]; }
# stop PID: SIGTERM, wait, and return its exit status (SIGKILLed if still there after 60 s).
stop() {
  local p=$1 w rc
  kill -TERM "$p"
  (
    sleep 60
    kill -KILL "$p"
  ) >/dev/null 2>&1 &
  w=$!
  wait "$p"
  rc=$?
  kill "$w" 2>/dev/null
  wait "$w" 2>/dev/null
  return "$rc"
}
# check DESCRIPTION COMMAND...: one check, passed when COMMAND succeeds.
check() {
  local desc=$1
  shift
  if "$@"; then ok; else not_ok "$desc"; fi
}

# in_flight: connections open to vigild's port from a client (the agents' side).
in_flight() {
  awk -v p=":$(printf '%04X' "$PORT")" 'substr($3, length($3) - 4) == p && $4 == "01"' \
    /proc/net/tcp | wc -l
}

# mid_request (vigild stopped): vigild has read a whole request and not answered it: a
# connection to it with bytes received, none left unread (the agent has had the time to
# hand the kernel the rest) and none sent back.
mid_request() {
  ss -tniH state established "( sport = :$PORT )" | awk '
    NF == 4 { q = $1; next }
    q == 0 && /bytes_received:[1-9]/ && !/bytes_sent:/ { found = 1 }
    END { exit !found }'
}

# spool_ids I: "id kind" of every report in agent I's spool (from the entry names).
spool_ids() {
  find "$TMP/state$1/spool" -maxdepth 1 -name '*.rpt' -printf '%f\n' |
    sed -E 's/^[0-9]{20}-F-(.*)\.rpt$/\1 full/; s/^[0-9]{20}-D-(.*)\.rpt$/\1 delta/'
}

dbfile() {
  if [ -f "$TMP/root$1/var/lib/dpkg/status" ]; then
    echo "$TMP/root$1/var/lib/dpkg/status"
  else
    echo "$TMP/root$1/lib/apk/db/installed"
  fi
}

# mutate I: a new version of a test package in root I's package database, replaced by
# rename as dpkg and apk do (the agent watches the directory).
mutate() {
  local i=$1 db
  GEN[i]=$((GEN[i] + 1))
  db=$(dbfile "$i")
  if [ "${db##*/}" = status ]; then
    { cat "$TMP/orig$i"; printf 'Package: vigil-restart-test\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-%d\nDescription: agent_restart.sh\n' "${GEN[i]}"; } >"$db.new"
  else
    { cat "$TMP/orig$i"; printf 'P:vigil-restart-test\nV:1.0-%d\nA:x86_64\no:vigil-restart-test\n' "${GEN[i]}"; } >"$db.new"
  fi
  mv "$db.new" "$db"
}
mutate_all() {
  local i
  for i in $(agents); do mutate "$i"; done
}

start_agent() {
  # --no-policies: the sections are compared with `vigil inventory`'s, which has no
  # configuration section (config_agent.sh covers it).
  "$VIGIL_AGENT" --server "$BASE" --root "$TMP/root$1" --state-dir "$TMP/state$1" --no-policies \
    --enroll-token-file "$TMP/etok" --interval "$INTERVAL" --timeout "$ATIMEOUT" \
    >>"$TMP/agent$1.out" 2>>"$TMP/agent$1.log" &
  APID[$1]=$!
}

# ---- Setup: the roots, vigild, the agents and their first full reports ----
phase "setup"
for i in $(agents); do
  cp -r "$VG_TEST_DATA/roots/${ROOTS[i]}" "$TMP/root$i"
  printf '%s\n\n' "$(cat "$(dbfile "$i")")" >"$TMP/orig$i"
  # One larger device: its reports take vigild a while to apply.
  if [ "$i" -eq 1 ]; then
    for k in $(seq 300); do
      printf 'Package: vigil-bulk-%d\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.%d-1\nDescription: agent_restart.sh\n\n' "$k" "$k"
    done >>"$TMP/orig$i"
  fi
  GEN[i]=0
  mutate "$i"
done
VLOG=$TMP/vigild1.log
start_vigild "$VLOG" "$DB" --threads 2
"$VIGIL" token create --db "$DB" --role enroll --name restart >"$TMP/etok" 2>/dev/null ||
  fail_now "cannot create an enroll token"
for i in $(agents); do start_agent "$i"; done
mapfile -t b < <(for i in $(agents); do echo 0; done)
wait_for 120 "every agent enrolled and delivered a full report" above delivered "${b[@]}"

# ---- vigild up: two rounds of changes, each delivered ----
phase "vigild up: two rounds of changes"
for _ in 1 2; do
  mapfile -t b < <(snap delivered)
  mutate_all
  wait_for 60 "every agent delivered a report after a change" above delivered "${b[@]}"
done

# ---- vigild dies in the middle of a report ----
phase "a burst of reports; vigild SIGKILLed in the middle of one"
# vigild is stopped every 50 ms of its run time and looked at; once it holds a report it
# has read in full and not answered yet, more reports pile up in its sockets, then SIGKILL.
caught=
end=$((SECONDS + 90))
next=0
while [ -z "$caught" ]; do
  [ "$SECONDS" -lt "$end" ] || fail_now "timed out waiting for vigild in the middle of a report"
  if [ "$SECONDS" -ge "$next" ]; then
    mutate_all
    next=$((SECONDS + 8))
  fi
  kill -STOP "$PID"
  sleep 0.1
  if mid_request; then
    caught=1
  else
    kill -CONT "$PID"
    sleep 0.05
  fi
done
ok
mutate_all
for _ in $(seq 20); do [ "$(in_flight)" -ge "$N" ] && break; sleep 0.2; done
inflight=$(in_flight)
kill -KILL "$PID"
wait "$PID" 2>/dev/null
PID=
# What the killed vigild left: every report it answered 200 must be in it.
cat "$TMP"/agent*.log | sed -nE 's/^vigil-agent: delivered [a-z]+ report ([^ ]+)$/\1/p' |
  sort -u >"$TMP/answered-before-kill"
mkdir "$TMP/at-kill"
for f in "$DB" "$DB-wal"; do [ -f "$f" ] && cp "$f" "$TMP/at-kill/"; done
mapfile -t b_unreach < <(snap unreachable)

# ---- vigild down: the agents keep spooling; one agent is SIGKILLed and restarted ----
phase "vigild down: the agents spool; agent 0 SIGKILLed and restarted"
wait_for 60 "every agent spooled a report" all_spooled 1
mapfile -t b < <(snap queued)
mutate_all
wait_for 60 "every agent queued a report with vigild down" above queued "${b[@]}"
# Agent 0 now holds at least two reports; it dies wherever it is (queueing, retrying).
kill -KILL "${APID[0]}"
wait "${APID[0]}" 2>/dev/null
APID[0]=
spool_ids 0 >"$TMP/killed-spool"
killed=$(wc -l <"$TMP/killed-spool")
check "agent 0 had $killed reports spooled when killed, want >= 2" [ "$killed" -ge 2 ]
start_agent 0
mapfile -t b < <(snap queued)
mutate_all
wait_for 60 "every agent (agent 0 restarted) queued a report with vigild down" above queued "${b[@]}"
for i in $(agents); do spool_ids "$i"; done | sort -u >"$TMP/down-ids"
# The restarted agent 0 kept what its predecessor had spooled, and added to it.
missing=$(sort "$TMP/killed-spool" | comm -23 - <(spool_ids 0 | sort))
check "agent 0's spool lost across its restart: $missing" [ -z "$missing" ]
check "agent 0 spooled nothing after its restart" [ "$(spooled 0)" -gt "$killed" ]

# ---- vigild back on the same port and store ----
phase "restarting vigild on port $PORT, same store"
VLOG=$TMP/vigild2.log
VIGILD_PORT=$PORT start_vigild "$VLOG" "$DB" --threads 2
mapfile -t b < <(snap delivered)
mutate_all
# Another process opening and closing the store while reports are applied (an operator's
# `vigil token create`) must not make vigild's commits go astray (docs/internals/fleet.md).
for _ in 1 2 3; do
  "$VIGIL" token create --db "$DB" --role enroll --name restart-busy >/dev/null 2>&1 ||
    not_ok "vigil token create failed while vigild was ingesting"
done
wait_for 90 "every agent delivered after vigild came back" above delivered "${b[@]}"
# Two roots change once more (one twice, coalesced by the debounce), with the backlog
# perhaps still being delivered; wait until both agents have queued again.
q1=$(queued 1) q3=$(queued 3)
mutate 1
mutate 3
mutate 1
wait_for 60 "agents 1 and 3 queued the last change" above_pair "$q1" "$q3"

# ---- Quiesce: spools empty, agents stopped, a last --once run delivers anything left ----
phase "waiting for the spools to empty"
wait_for 90 "every spool empty" all_spools_empty
for i in $(agents); do
  stop "${APID[i]}"
  rc=$?
  APID[i]=
  check "agent $i exited $rc on SIGTERM" [ "$rc" -eq 0 ]
done
for i in $(agents); do
  "$VIGIL_AGENT" --server "$BASE" --root "$TMP/root$i" --state-dir "$TMP/state$i" --once \
    --no-policies --timeout 60 >>"$TMP/agent$i.out" 2>>"$TMP/agent$i.log"
  rc=$?
  check "agent $i: the final --once run exited $rc" [ "$rc" -eq 0 ]
done
check "spools not empty after the final runs: $(snap spooled | tr '\n' ' ')" all_spools_empty
stop "$PID"
rc=$?
PID=
check "vigild exited $rc on SIGTERM" [ "$rc" -eq 0 ]

# ---- Every report exactly once ----
phase "checking the store"
sql() { sqlite3 "$DB" "$1"; }
cat "$TMP"/agent*.log | sed -nE 's/^vigil-agent: queued (full|delta) report ([^ ]+) .*/\2 \1/p' |
  cat - "$TMP/killed-spool" | sort -u >"$TMP/created"
cat "$TMP"/agent*.log | sed -nE 's/^vigil-agent: dropped report ([^ ]+) .*/\1/p' |
  sort -u >"$TMP/dropped"
sql "select report_id || ' ' || kind from device_report" | sort >"$TMP/stored"
cut -d' ' -f1 "$TMP/stored" | sort >"$TMP/stored-ids"
ncreated=$(wc -l <"$TMP/created")
ndropped=$(wc -l <"$TMP/dropped")
ndown=$(wc -l <"$TMP/down-ids")

expect_out "no report id stored twice" 0 "" -- \
  sql "select report_id from device_report group by report_id having count(*) > 1"
lost=$(cut -d' ' -f1 "$TMP/created" | sort | comm -23 - "$TMP/stored-ids" | comm -23 - "$TMP/dropped")
check "reports queued but never stored: $lost" [ -z "$lost" ]
unknown=$(cut -d' ' -f1 "$TMP/created" | sort | comm -13 - "$TMP/stored-ids")
check "reports stored that no agent queued: $unknown" [ -z "$unknown" ]
both=$(comm -12 "$TMP/dropped" "$TMP/stored-ids")
check "reports dropped by an agent yet stored: $both" [ -z "$both" ]
wrong_kind=$(comm -13 "$TMP/created" "$TMP/stored")
check "reports stored with another kind than queued: $wrong_kind" [ -z "$wrong_kind" ]
down_lost=$(cut -d' ' -f1 "$TMP/down-ids" | sort | comm -23 - "$TMP/stored-ids")
check "reports spooled while vigild was down never stored: $down_lost" [ -z "$down_lost" ]
check "only $ndown reports spooled while vigild was down" [ "$ndown" -ge $((2 * N)) ]
check "only $ncreated reports queued" [ "$ncreated" -ge $((6 * N)) ]
ATKILL=$TMP/at-kill/${DB##*/}
expect_out "the store the killed vigild left is intact" 0 "ok" -- \
  sqlite3 "$ATKILL" "pragma integrity_check"
sqlite3 "$ATKILL" "select report_id from device_report" | sort >"$TMP/stored-at-kill"
unsaved=$(comm -23 "$TMP/answered-before-kill" "$TMP/stored-at-kill")
check "reports answered 200 by the killed vigild but not in its store: $unsaved" [ -z "$unsaved" ]
# Applied by the killed vigild, never answered: the agents resent them (duplicates).
unanswered=$(cut -d' ' -f1 "$TMP/down-ids" | sort | comm -12 - "$TMP/stored-at-kill" | wc -l)
# Agents 1.. began a run after their run that queued with vigild down had ended.
for i in $(seq 1 $((N - 1))); do
  check "agent $i never gave up on the dead vigild" [ "$(unreachable "$i")" -gt "${b_unreach[i]}" ]
done
failed_sends=$(cat "$TMP"/agent*.log | grep -c '^vigil-agent: report .*http://' || true)
check "no agent saw a failed delivery" [ "$failed_sends" -gt 0 ]

# ---- The store: one device per root, each with its root's current sections ----
expect_out "integrity" 0 "ok" -- sql "pragma integrity_check"
expect_out "one device per root" 0 "$N" -- sql "select count(*) from device"
for i in $(agents); do
  expect_out "agent $i enrolled once" 0 1 -- count "$i" '^vigil-agent: enrolled as device'
  dev=$(sqlite3 :memory: "select json_extract(readfile('$TMP/state$i/identity'), '\$.deviceId')")
  "$VIGIL" inventory --root "$TMP/root$i" --compact >"$TMP/inv$i.json" 2>/dev/null
  want=$(sqlite3 :memory: "select key || ' ' || json_extract(value, '\$.hash') || ' ' ||
    json_extract(value, '\$.count') from json_each(readfile('$TMP/inv$i.json'), '\$.sections')
    order by key")
  check "agent $i: no sections map in: $want" [ "$(echo "$want" | wc -l)" -eq 5 ]
  expect_out "agent $i (${ROOTS[i]}): stored sections are the root's" 0 "$want" -- \
    sql "select name || ' ' || hash || ' ' || count from device_section
         where device_id = '$dev' order by name"
  expect_out "agent $i: last-sections is the root's" 0 "$want" -- \
    sqlite3 :memory: "select key || ' ' || json_extract(value, '\$.hash') || ' ' ||
      json_extract(value, '\$.count') from json_each(readfile('$TMP/state$i/last-sections'))
      order by key"
  expect_out "agent $i: its reports are its device's" 0 "" -- \
    sql "select report_id from device_report where device_id = '$dev'
         and substr(report_id, 1, length('$dev') + 1) != '$dev' || '-'"
  expect_out "agent $i: the last test package version is a stored tuple" 0 "1.0-${GEN[i]}" -- \
    sql "select t.version from device_tuple d join tuple t on t.id = d.tuple_id
         where d.device_id = '$dev' and t.package = 'vigil-restart-test'"
done
printf 'reports: %d queued, %d stored, %d dropped after a 409, %d spooled while vigild was down, %d in flight at the kill (%d of them applied, unanswered), %d failed sends\n' \
  "$ncreated" "$(wc -l <"$TMP/stored")" "$ndropped" "$ndown" "$inflight" "$unanswered" "$failed_sends"
finish
