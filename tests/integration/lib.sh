# lib.sh - helpers for the integration scripts (sourced, not run).
#
# Each script runs under ctest with $VIGIL etc. pointing at the built
# binaries.  Checks are counted; the script ends with the plain summary line
# "N passed, N failed" and exits non-zero if anything failed.
set -uo pipefail

: "${VIGIL:?run through ctest (VIGIL is not set)}"
: "${VG_SHARED_DATA:?run through ctest (VG_SHARED_DATA is not set)}"
: "${VG_TEST_DATA:?run through ctest (VG_TEST_DATA is not set)}"

passed=0
failed=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok() { passed=$((passed + 1)); }
not_ok() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }

# expect_out DESCRIPTION EXPECTED_STATUS EXPECTED_STDOUT -- COMMAND...
expect_out() {
  local desc=$1 want_rc=$2 want_out=$3; shift 4
  local out rc
  out=$("$@" 2>"$TMP/stderr"); rc=$?
  if [ "$rc" -ne "$want_rc" ]; then
    not_ok "$desc: exit $rc, want $want_rc (stderr: $(head -c 300 "$TMP/stderr"))"
  elif [ "$out" != "$want_out" ]; then
    not_ok "$desc: stdout '$out', want '$want_out'"
  else
    ok
  fi
}

# expect_match DESCRIPTION EXPECTED_STATUS REGEX STREAM -- COMMAND...   (STREAM: stdout|stderr)
expect_match() {
  local desc=$1 want_rc=$2 regex=$3 stream=$4; shift 5
  local rc
  "$@" >"$TMP/stdout" 2>"$TMP/stderr"; rc=$?
  if [ "$rc" -ne "$want_rc" ]; then
    not_ok "$desc: exit $rc, want $want_rc (stderr: $(head -c 300 "$TMP/stderr"))"
  elif ! grep -qE -- "$regex" "$TMP/$stream"; then
    not_ok "$desc: $stream does not match /$regex/: $(head -c 300 "$TMP/$stream")"
  else
    ok
  fi
}

finish() {
  printf '%d passed, %d failed\n' "$passed" "$failed"
  [ "$failed" -eq 0 ]
}

# start_vigild LOG DB [ARGS...]: vigild in the background on 127.0.0.1, on port $VIGILD_PORT
# or one of its choice; waits for /healthz.  Sets PID, PORT and BASE; exits if it does not start.
start_vigild() {
  local log=$1 db=$2 i; shift 2
  : "${VIGILD:?run through ctest (VIGILD is not set)}"
  "$VIGILD" --listen "127.0.0.1:${VIGILD_PORT:-0}" --db "$db" "$@" 2>"$log" &
  PID=$!
  PORT=
  for i in $(seq 100); do
    PORT=$(grep -o "port [0-9]*" "$log" 2>/dev/null | head -1 | cut -d' ' -f2)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  BASE=http://127.0.0.1:$PORT
  for i in $(seq 50); do
    curl -sf "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "vigild did not start: $(head -c 500 "$log")"
  exit 1
}
