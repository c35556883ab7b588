#!/usr/bin/env bash
# vigild_http.sh - the HTTP core of vigild from outside: routing and JSON
# errors, /healthz and /metrics, body limits and gzip, hostile clients,
# graceful shutdown and start-up failures.
source "$(dirname "$0")/lib.sh"
: "${VIGILD:?run through ctest (VIGILD is not set)}"

command -v curl >/dev/null || { echo "curl not installed: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 77; }

PID=
cleanup() { [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT


# check DESC WANT_STATUS BODY_REGEX -- CURL_ARGS...: one request, its status and body.
check() {
  local desc=$1 want=$2 regex=$3 code; shift 4
  code=$(curl -s -o "$TMP/body" -w '%{http_code}' "$@")
  if [ "$code" != "$want" ]; then
    not_ok "$desc: status $code, want $want (body: $(head -c 300 "$TMP/body"))"
  elif ! grep -qE -- "$regex" "$TMP/body"; then
    not_ok "$desc: body does not match /$regex/: $(head -c 300 "$TMP/body")"
  else
    ok
  fi
}

alive() {
  check "alive after $1" 200 '^\{"status":"ok"\}$' -- "$BASE/healthz"
}

start_vigild "$TMP/vigild.log" "$TMP/kb.db" --test-routes --threads 2 --timeout 2 --max-body 1048576

# --- routing, health, metrics ------------------------------------------------
check "healthz" 200 '^\{"status":"ok"\}$' -- "$BASE/healthz"
check "paths are case-insensitive" 200 '"status":"ok"' -- "$BASE/HealthZ/"
check "unknown path is a JSON 404" 404 '^\{"error":\{"code":"NotFound","message":"[^"]+"\}\}$' \
  -- "$BASE/api/nothing"
check "wrong method is a JSON 405" 405 '^\{"error":\{"code":"MethodNotAllowed","message":"[^"]+"\}\}$' \
  -- -X DELETE "$BASE/healthz"
if curl -s -D - -o /dev/null -X POST "$BASE/healthz" | grep -qi '^Allow: GET, HEAD'; then ok; else
  not_ok "405 has no 'Allow: GET, HEAD' header"; fi
check "path parameter and query" 200 '^\{"id":"Ab c","method":"GET","top":"5"\}$' \
  -- "$BASE/API/Items/Ab%20c?%24top=5"
check "second route method" 200 '"method":"PUT"' -- -X PUT "$BASE/api/items/7"
check "405 lists both methods" 405 'MethodNotAllowed' -- -X POST "$BASE/api/items/7"
check "HEAD answers like GET" 200 "Content-Length: 15" -- -I "$BASE/healthz"

curl -s "$BASE/metrics" >"$TMP/metrics"
for re in '^# TYPE vigild_http_requests_total counter$' \
  '^vigild_http_requests_total\{method="GET",code="200"\} [0-9]+$' \
  '^vigild_http_requests_total\{method="GET",code="404"\} 1$' \
  '^vigild_http_requests_total\{method="DELETE",code="405"\} 1$' \
  '^# TYPE vigild_http_request_duration_seconds histogram$' \
  '^vigild_http_request_duration_seconds_bucket\{le="0.005"\} [0-9]+$' \
  '^vigild_http_request_duration_seconds_bucket\{le="\+Inf"\} [0-9]+$' \
  '^vigild_http_request_duration_seconds_sum [0-9.]+$' \
  '^vigild_http_request_duration_seconds_count [0-9]+$' \
  '^# TYPE vigild_http_requests_in_flight gauge$' \
  '^vigild_http_requests_in_flight 1$' \
  '^vigild_build_info\{version="[^"]+"\} 1$'; do
  if grep -qE -- "$re" "$TMP/metrics"; then ok; else not_ok "metrics lack /$re/"; fi
done
if curl -s -D - -o /dev/null "$BASE/metrics" | grep -qi '^Content-Type: text/plain; version=0.0.4'; then
  ok; else not_ok "metrics content type"; fi

# --- bodies --------------------------------------------------------------------
check "small body" 200 '^\{"length":5,"body":"hello"\}$' -- --data-binary hello "$BASE/api/echo"
printf 'gzipped hello' | gzip >"$TMP/ok.gz"
check "gzip body decoded" 200 '^\{"length":13,"body":"gzipped hello"\}$' \
  -- --data-binary @"$TMP/ok.gz" -H 'Content-Encoding: gzip' "$BASE/api/echo"
check "malformed gzip is a JSON 400" 400 '^\{"error":\{"code":"BadRequest","message":"malformed gzip' \
  -- --data-binary 'plainly not gzip' -H 'Content-Encoding: gzip' "$BASE/api/echo"
head -c 20 "$TMP/ok.gz" >"$TMP/trunc.gz"
check "truncated gzip is a JSON 400" 400 '"code":"BadRequest"' \
  -- --data-binary @"$TMP/trunc.gz" -H 'Content-Encoding: gzip' "$BASE/api/echo"
check "unknown encoding is a JSON 415" 415 '"code":"UnsupportedMediaType"' \
  -- --data-binary x -H 'Content-Encoding: br' "$BASE/api/echo"
head -c 1048577 /dev/zero >"$TMP/big"
check "oversized body (Content-Length) is a JSON 413" 413 \
  '^\{"error":\{"code":"PayloadTooLarge","message":"[^"]+"\}\}$' \
  -- --data-binary @"$TMP/big" "$BASE/api/echo"
check "oversized chunked body is a JSON 413" 413 '"code":"PayloadTooLarge"' \
  -- -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big" "$BASE/api/echo"
head -c 1048576 /dev/zero >"$TMP/exact"
check "body at the cap is accepted" 200 '^\{"length":1048576,' -- --data-binary @"$TMP/exact" "$BASE/api/echo"
# 100 MiB of zeros is ~100 KiB of gzip: must stop at the inflate cap, not allocate it all.
head -c 104857600 /dev/zero | gzip -9 >"$TMP/bomb.gz"
check "gzip bomb is a JSON 413" 413 '"code":"PayloadTooLarge"' \
  -- --data-binary @"$TMP/bomb.gz" -H 'Content-Encoding: gzip' "$BASE/api/echo"
alive "bodies"

# --- hostile clients -----------------------------------------------------------
long=$(head -c 100000 /dev/zero | tr '\0' a)
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/$long")
case $code in 414 | 431 | 000) ok ;; *) not_ok "very long URL: status $code" ;; esac
alive "a very long URL"
hdrs=()
for i in $(seq 3000); do hdrs+=(-H "X-Flood-$i: value-$i"); done
code=$(curl -s -o /dev/null -w '%{http_code}' "${hdrs[@]}" "$BASE/healthz")
case $code in 413 | 431 | 000) ok ;; *) not_ok "many headers: status $code" ;; esac
alive "many headers"
# Slowloris: a request that never finishes its headers is closed by the 2 s timeout.
port=${BASE##*:}
python3 - "$port" >"$TMP/slow" 2>&1 <<'EOF'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
s.settimeout(10)
t = time.monotonic()
try:
    data = s.recv(4096)
except (socket.timeout, ConnectionResetError):
    data = b"timeout"
print("closed" if data == b"" else "open:%r" % data[:40], round(time.monotonic() - t, 1))
EOF
if grep -qE '^closed [1-5]\.' "$TMP/slow"; then ok; else not_ok "slowloris not closed by timeout: $(cat "$TMP/slow")"; fi
# Garbage instead of HTTP.
python3 - "$port" <<'EOF' >/dev/null 2>&1
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"\x00\xff\x16\x03\x01 garbage \r\n\r\n" * 100)
s.settimeout(3)
try: s.recv(100)
except Exception: pass
EOF
alive "garbage bytes"

# --- shutdown ------------------------------------------------------------------
kill -TERM "$PID"
start=$(date +%s%N)
wait "$PID"; rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
PID=
if [ "$rc" -eq 0 ] && [ "$ms" -lt 1000 ]; then ok; else not_ok "SIGTERM: exit $rc after $ms ms"; fi
if grep -q '"msg":"http method=GET path=\\"/healthz\\" status=200 bytes=15 duration_ms=' "$TMP/vigild.log"; then
  ok; else not_ok "no JSON access log line: $(tail -c 300 "$TMP/vigild.log")"; fi
if grep -qv '^{"ts":"[^"]*","level":"[a-z]*","msg":".*"}$' "$TMP/vigild.log"; then
  not_ok "log has non-JSON lines: $(grep -v '^{' "$TMP/vigild.log" | head -3)"; else ok; fi

# Wait (up to 20 s) until vigild's log FILE has a line matching PATTERN: start-up loads the
# configuration policies first, which takes a while under the sanitizers.
wait_log() {
  local i
  for i in $(seq 1 200); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Config file values, with a flag overriding one; SIGINT also stops cleanly.
printf '# vigild test\nlisten = 127.0.0.1:1\nthreads = 3\nlog-level = warn\n' >"$TMP/vigild.conf"
"$VIGILD" --config "$TMP/vigild.conf" --listen 127.0.0.1:0 --log-level info --db "$TMP/kb.db" \
  2>"$TMP/conf.log" &
PID=$!
if wait_log "$TMP/conf.log" "port [0-9]* (http, 3 threads)"; then ok; else
  not_ok "config file not applied: $(head -c 300 "$TMP/conf.log")"; fi
kill -INT "$PID"; wait "$PID"; rc=$?; PID=
[ "$rc" -eq 0 ] && ok || not_ok "SIGINT: exit $rc"

# --- start-up failures -----------------------------------------------------------
echo "not a database" >"$TMP/bad.db"
expect_match "--db not SQLite" 2 "cannot open the knowledge base.*not a SQLite database" stderr \
  -- "$VIGILD" --listen 127.0.0.1:0 --db "$TMP/bad.db"
expect_match "--db in an impossible directory" 2 "cannot open the knowledge base" stderr \
  -- "$VIGILD" --listen 127.0.0.1:0 --db /proc/vigil-nonexistent/kb.db
expect_match "bad --listen" 2 "invalid listen address" stderr \
  -- "$VIGILD" --listen nonsense --db "$TMP/kb.db"
expect_match "unknown option" 2 "unknown option '--bogus'" stderr -- "$VIGILD" --bogus
expect_match "bad config key" 2 "unknown key 'colour'" stderr \
  -- "$VIGILD" --config <(echo 'colour = red') --db "$TMP/kb.db"
expect_match "TLS cert without key" 2 "needs both" stderr \
  -- "$VIGILD" --listen 127.0.0.1:0 --db "$TMP/kb.db" --tls-cert /etc/hostname
expect_match "--help" 0 "--tls-cert FILE" stdout -- "$VIGILD" --help

# --- IPv6 and TLS, when the machine has them ----------------------------------
if python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null; then
  "$VIGILD" --listen '[::1]:0' --db "$TMP/kb.db" 2>"$TMP/v6.log" &
  PID=$!
  wait_log "$TMP/v6.log" "port [0-9]*" || true
  port=$(grep -o "port [0-9]*" "$TMP/v6.log" | head -1 | cut -d' ' -f2)
  check "IPv6 listener" 200 '"status":"ok"' -- -g "http://[::1]:$port/healthz"
  kill -TERM "$PID"; wait "$PID"; PID=
fi
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" \
    -days 1 -subj /CN=localhost >/dev/null 2>&1
  "$VIGILD" --listen 127.0.0.1:0 --db "$TMP/kb.db" --tls-cert "$TMP/cert.pem" \
    --tls-key "$TMP/key.pem" 2>"$TMP/tls.log" &
  PID=$!
  wait_log "$TMP/tls.log" "port [0-9]*" || true
  port=$(grep -o "port [0-9]*" "$TMP/tls.log" | head -1 | cut -d' ' -f2)
  check "HTTPS with --tls-cert/--tls-key" 200 '"status":"ok"' -- -k "https://127.0.0.1:$port/healthz"
  kill -TERM "$PID"; wait "$PID"; rc=$?; PID=
  [ "$rc" -eq 0 ] && ok || not_ok "TLS server exit $rc"
fi

finish
