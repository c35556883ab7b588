#!/usr/bin/env python3
"""agent_mock_server.py - a stand-in for vigild's /agent/v1 endpoints (docs/agent-protocol.md).

Used by agent_once.sh.  Listens on 127.0.0.1 (port 0 = any free port, written to
--port-file), validates what vigil-agent sends (gzip, JSON, schema version, section
hashes recomputed from the sent sections, the delta rule) and appends one JSON line per
request to --log.  Its device state survives a restart (--state).  The file --mode
switches behaviour on the fly:

  ok       normal answers (also when the file is absent or empty)
  500      answer every request 500
  429      answer 429 with Retry-After: 1
  close    close the connection without an answer
  401      answer 401 (token refused)
  forget   drop the stored device state once (the next delta gets 409), then ok
"""
import argparse
import gzip
import hashlib
import http.server
import json
import os
import re
import secrets
import sys
import threading

SECTIONS = ["device", "packages", "processes", "listeners", "accounts"]
ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
LOCK = threading.Lock()


def section_hash(value):
    # The agent hashes the compact serialisation written by the C document writer.
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


class State:
    def __init__(self, path, enroll_token):
        self.path = path
        self.enroll_token = enroll_token
        self.data = {"devices": {}, "tokens": {}, "reports": {}}
        if os.path.exists(path):
            with open(path) as f:
                self.data = json.load(f)

    def save(self):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.data, f)
        os.replace(tmp, self.path)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, entry):
        with open(self.server.args.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def mode(self):
        try:
            with open(self.server.args.mode) as f:
                return f.read().strip() or "ok"
        except FileNotFoundError:
            return "ok"

    def answer(self, status, body, entry, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        entry["status"] = status
        self.record(entry)

    def error(self, status, code, message, entry, headers=None):
        entry["error"] = code
        self.answer(status, {"error": {"code": code, "message": message}}, entry, headers)

    def do_POST(self):
        with LOCK:
            self.handle_post()

    def handle_post(self):
        st = self.server.state
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        entry = {"path": self.path, "encoding": self.headers.get("Content-Encoding"),
                 "reportId": self.headers.get("X-Vigil-Report-Id"),
                 "kind": self.headers.get("X-Vigil-Report-Kind")}
        mode = self.mode()
        if mode == "close":
            entry["status"] = "closed"
            self.record(entry)
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if mode == "500":
            return self.error(500, "internal", "switched to fail", entry)
        if mode == "429":
            return self.error(429, "rateLimited", "slow down", entry, {"Retry-After": "1"})
        if mode == "401":
            return self.error(401, "unauthorized", "token refused", entry)
        if mode == "forget":
            for dev in st.data["devices"].values():
                dev["sections"] = None
            with open(self.server.args.mode, "w") as f:
                f.write("ok\n")
        body = raw
        if entry["encoding"] == "gzip":
            try:
                body = gzip.decompress(raw)
            except OSError as e:
                return self.error(400, "badRequest", "bad gzip: %s" % e, entry)
        try:
            doc = json.loads(body)
        except ValueError as e:
            return self.error(400, "badRequest", "bad JSON: %s" % e, entry)
        if self.path == "/agent/v1/enroll":
            return self.enroll(st, token, doc, entry)
        if self.path == "/agent/v1/report":
            return self.report(st, token, doc, entry)
        return self.error(404, "notFound", "no such endpoint", entry)

    def enroll(self, st, token, doc, entry):
        if token != st.enroll_token:
            return self.error(401, "unauthorized", "bad enroll token", entry)
        for key in ("machineId", "hostname", "os"):
            if key not in doc:
                return self.error(400, "badRequest", "missing %s" % key, entry)
        entry["hostname"] = doc["hostname"]
        device_id = "dev-" + hashlib.sha256(
            (doc["machineId"] + "/" + str(doc["hostname"])).encode()).hexdigest()[:12]
        # Re-enrolling revokes the device's previous agent tokens.
        st.data["tokens"] = {t: d for t, d in st.data["tokens"].items() if d != device_id}
        agent_token = "agt_" + secrets.token_hex(16)
        st.data["tokens"][agent_token] = device_id
        st.data["devices"].setdefault(device_id, {"sections": None})
        st.save()
        entry["deviceId"] = device_id
        self.answer(201, {"deviceId": device_id, "token": agent_token}, entry)

    def report(self, st, token, doc, entry):
        device_id = st.data["tokens"].get(token)
        if device_id is None:
            return self.error(401, "unauthorized", "unknown agent token", entry)
        rid, kind = entry["reportId"], entry["kind"]
        if not rid or not ID_RE.match(rid) or kind not in ("full", "delta"):
            return self.error(400, "badRequest", "bad report headers", entry)
        entry["sent"] = [s for s in SECTIONS if s in doc]
        entry["keys"] = sorted(doc.keys())
        if rid in st.data["reports"]:
            entry["duplicate"] = True
            return self.answer(200, {"reportId": rid, "duplicate": True, "applied": []}, entry)
        if doc.get("schemaVersion") != "1.0":
            return self.error(400, "badRequest", "schemaVersion", entry)
        smap = doc.get("sections")
        if not isinstance(smap, dict) or sorted(smap) != sorted(SECTIONS):
            return self.error(400, "badRequest", "sections map incomplete", entry)
        for s in entry["sent"]:
            if section_hash(doc[s]) != smap[s]["hash"]:
                return self.error(400, "badRequest", "hash mismatch in %s" % s, entry)
        dev = st.data["devices"][device_id]
        if kind == "full":
            if entry["sent"] != SECTIONS:
                return self.error(400, "badRequest", "full report lacks sections", entry)
        else:
            stored = dev["sections"]
            unsent = [s for s in SECTIONS if s not in entry["sent"]]
            if stored is None or any(stored[s] != smap[s]["hash"] for s in unsent):
                return self.error(409, "fullReportRequired", "send a full report", entry)
        dev["sections"] = {s: smap[s]["hash"] for s in SECTIONS}
        st.data["reports"][rid] = device_id
        st.save()
        self.answer(200, {"reportId": rid, "duplicate": False, "applied": entry["sent"]}, entry)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--mode", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--enroll-token", required=True)
    args = p.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.args = args
    srv.state = State(args.state, args.enroll_token)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
