#!/usr/bin/python3
"""A test stand-in between wcr and the test registry.

It forwards requests to the real registry and, as a plan file says, can:
  - demand Bearer tokens that its own /token endpoint hands out for a user
    and password (a token server, as Docker Hub has),
  - answer 500 to the first N requests of a kind,
  - cut a blob off after some bytes (once), or corrupt it (always),
  - send blobs slowly (to interrupt a pull while it runs; slow_min_size:
    only blobs at least that large),
  - redirect blob downloads to another host name (127.0.0.2) on the same
    proxy, to check that credentials are not sent there.
Every request is logged, one line, with the Range and Authorization scheme.

usage: regproxy.py UPSTREAM_HOST:PORT PLAN_FILE LOG_FILE PORT_FILE
The plan file (JSON) is read at each request, so tests change it on the fly.
"""
import base64
import http.client
import http.server
import json
import urllib.parse
import re
import sys
import threading
import time

UPSTREAM, PLAN, LOG, PORT_FILE = sys.argv[1:5]
TOKEN = "t0ken-for-tests"
lock = threading.Lock()
counters = {}


def plan():
    try:
        with open(PLAN) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def log(line):
    with lock:
        with open(LOG, "a") as f:
            f.write(line + "\n")


def count(key):
    with lock:
        counters[key] = counters.get(key, 0) + 1
        return counters[key]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def auth_ok(self, p):
        if not p.get("token_auth"):
            return True
        return self.headers.get("Authorization", "") == "Bearer " + TOKEN

    def token(self, p):
        want = "Basic " + base64.b64encode(
            ("%s:%s" % (p.get("user", ""), p.get("password", ""))).encode()).decode()
        if self.headers.get("Authorization", "") != want:
            self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}')
            return
        self.reply(200, json.dumps({"token": TOKEN, "expires_in": 300}).encode(),
                   {"Content-Type": "application/json"})

    def do_POST(self):
        """The OAuth2 token endpoint: a refresh token (an identity token
        from `docker login`/`az acr login`) traded for an access token."""
        p = plan()
        n = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(n).decode())
        log("POST %s grant=%s" % (self.path, ",".join(form.get("grant_type", []))))
        if not self.path.startswith("/token"):
            return self.reply(404, b"")
        if (form.get("grant_type") != ["refresh_token"] or not p.get("refresh_token") or
                form.get("refresh_token") != [p["refresh_token"]]):
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"bad refresh token"}]}')
        self.reply(200, json.dumps({"access_token": TOKEN, "expires_in": 300}).encode(),
                   {"Content-Type": "application/json"})

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        p = plan()
        auth = self.headers.get("Authorization", "")
        log("%s %s host=%s range=%s auth=%s" % (self.command, self.path, self.headers.get("Host", ""),
                                                self.headers.get("Range", "-"), auth.split(" ")[0] or "-"))
        if self.path.startswith("/token"):
            return self.token(p)
        is_blob = "/blobs/" in self.path
        if self.headers.get("Host", "").startswith("127.0.0.2"):
            if auth:  # credentials must never follow a redirect to another host
                return self.reply(400, b"credentials sent to the blob store")
        elif not self.auth_ok(p):
            port = self.server.server_address[1]
            challenge = ('Bearer realm="http://127.0.0.1:%d/token",service="test-registry",'
                         'scope="repository:%s:pull"' % (port, p.get("repo", "")))
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
                              {"WWW-Authenticate": challenge, "Content-Type": "application/json"})
        kind = "blob" if is_blob else "manifest" if "/manifests/" in self.path else "other"
        fail = p.get("fail_%s" % kind, 0)
        if fail and count("fail_" + kind) <= fail:
            return self.reply(500, b'{"errors":[{"code":"UNKNOWN","message":"injected failure"}]}')
        if is_blob and p.get("redirect_blobs") and not self.headers.get("Host", "").startswith("127.0.0.2"):
            port = self.server.server_address[1]
            return self.reply(307, b"", {"Location": "http://127.0.0.2:%d%s" % (port, self.path)})
        self.forward(p, is_blob)

    def forward(self, p, is_blob):
        conn = http.client.HTTPConnection(UPSTREAM, timeout=60)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() in ("accept", "range")}
        conn.request(self.command, self.path, headers=headers)
        resp = conn.getresponse()
        body = resp.read() if self.command != "HEAD" else b""
        length = int(resp.getheader("Content-Length", len(body)))
        cut = p.get("cut_blob_after")
        if is_blob and p.get("corrupt_blobs") and len(body) >= p.get("corrupt_min_size", 1024):
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command == "HEAD":
            return
        if is_blob and cut and resp.status == 200 and len(body) > cut and count("cut") == 1:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        slow = p.get("slow_blob_bytes_per_second") if is_blob else None
        if slow and len(body) >= p.get("slow_min_size", 0):
            step = max(1, slow // 10)
            for i in range(0, len(body), step):
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
srv2 = None
try:
    # The same handler on 127.0.0.2 stands for a blob store on another host.
    srv2 = Server(("127.0.0.2", srv.server_address[1]), Handler)
    threading.Thread(target=srv2.serve_forever, daemon=True).start()
except OSError:
    pass
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(PORT_FILE + ".tmp", PORT_FILE)
srv.serve_forever()
