#!/usr/bin/env python3
"""feeds_server.py - a small HTTP server for tests/integration/feeds_cli.sh.

Serves a directory like `python3 -m http.server` (files and HTML directory
listings), plus what `vigil feeds sync` must cope with and the standard
server does not do:

  * validators: every file has an ETag ("size-mtime") and Last-Modified;
    If-None-Match / If-Modified-Since answer 304 when they match;
  * byte ranges: "Range: bytes=N-" (or N-M) answers 206 with Content-Range,
    unless an If-Range validator no longer matches (then 200, whole file);
    a start past the end answers 416;
  * failures on demand, read from the JSON control file on every request:
        {"fail": {"/url/path": 500},          answer that status
         "truncate": {"/url/path": 1000},     announce the whole length, send
                                              1000 bytes, close the connection
         "nvd": "/path/of/an/nvd/api/response.json",
         "nvd_page_max": 30}                  serve the NVD CVE API 2.0 from it
  * the NVD API: GET .../rest/json/cves/2.0?startIndex=N&resultsPerPage=M
    answers a page of the "vulnerabilities" of the control's "nvd" file,
    at most nvd_page_max per page, with totalResults set.

Every request is appended to the log file as one line:
    METHOD PATH?QUERY STATUS range=... if-none-match=... if-modified-since=... if-range=...

Usage: feeds_server.py --root DIR --control FILE --log FILE --port-file FILE
The chosen port (the OS picks a free one) is written to --port-file.
"""
import argparse
import email.utils
import http.server
import json
import os
import socketserver
import sys
import urllib.parse


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the request log is the record
        pass

    def control(self):
        try:
            with open(self.server.control_path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def log_request_line(self, status):
        h = self.headers
        line = "%s %s %d range=%s if-none-match=%s if-modified-since=%s if-range=%s\n" % (
            self.command, self.path, status, h.get("Range", "-"), h.get("If-None-Match", "-"),
            h.get("If-Modified-Since", "-"), h.get("If-Range", "-"))
        with open(self.server.log_path, "a") as f:
            f.write(line)

    def send_plain(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.log_request_line(status)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        ctl = self.control()
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        if path in ctl.get("fail", {}):
            return self.send_plain(int(ctl["fail"][path]), b"failing on purpose\n")
        if path.endswith("/rest/json/cves/2.0") and ctl.get("nvd"):
            return self.nvd(ctl, urllib.parse.parse_qs(url.query))
        fs = self.translate_path(self.path)
        if os.path.isdir(fs):
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return self.log_request_line(301)
            page = self.list_directory(fs)  # sends its own headers
            if page:
                self.copyfile(page, self.wfile)
                page.close()
            return self.log_request_line(200)
        if not os.path.isfile(fs):
            return self.send_plain(404, b"not found\n")
        self.serve_file(fs, path, ctl)

    def serve_file(self, fs, path, ctl):
        st = os.stat(fs)
        size = st.st_size
        etag = '"%x-%x"' % (size, st.st_mtime_ns)
        lastmod = email.utils.formatdate(int(st.st_mtime), usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            if etag in [t.strip() for t in inm.split(",")]:
                return self.not_modified(etag, lastmod)
        elif ims is not None:
            try:
                if int(st.st_mtime) <= email.utils.parsedate_to_datetime(ims).timestamp():
                    return self.not_modified(etag, lastmod)
            except (TypeError, ValueError):
                pass
        start, end, status = 0, size - 1, 200
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and (if_range is None or if_range in (etag, lastmod)):
            spec = rng.strip()
            if spec.startswith("bytes=") and "," not in spec:
                a, _, b = spec[6:].partition("-")
                if a.isdigit():
                    start = int(a)
                    if b.isdigit():
                        end = min(int(b), size - 1)
                    if start >= size:
                        return self.send_plain(416)
                    status = 206
        length = end - start + 1
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lastmod)
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        cut = ctl.get("truncate", {}).get(path)
        if cut is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        self.log_request_line(status)
        if self.command == "HEAD":
            return
        with open(fs, "rb") as f:
            f.seek(start)
            left = length if cut is None else min(length, int(cut))
            while left > 0:
                chunk = f.read(min(65536, left))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)
        if cut is not None:
            self.wfile.flush()
            self.close_connection = True

    def not_modified(self, etag, lastmod):
        self.send_response(304)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lastmod)
        self.end_headers()
        self.log_request_line(304)

    def nvd(self, ctl, query):
        with open(ctl["nvd"]) as f:
            doc = json.load(f)
        vulns = doc.get("vulnerabilities", [])
        start = int(query.get("startIndex", ["0"])[0])
        per = min(int(query.get("resultsPerPage", ["2000"])[0]), int(ctl.get("nvd_page_max", 2000)))
        page = vulns[start:start + per]
        doc["vulnerabilities"] = page
        doc["resultsPerPage"] = len(page)
        doc["startIndex"] = start
        doc["totalResults"] = len(vulns)
        body = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.log_request_line(200)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--control", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()
    control, log = os.path.abspath(args.control), os.path.abspath(args.log)
    os.chdir(args.root)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.control_path, srv.log_path = control, log
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
