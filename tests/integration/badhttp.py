#!/usr/bin/python3
"""An HTTP/1.1 server that misbehaves on purpose, for the HTTP client tests.

usage: badhttp.py PORT_FILE LOG_FILE
Listens on 127.0.0.1 (a port of the kernel's choice, written to PORT_FILE
once listening) and answers by path:
  /redirect       302 to /elsewhere (a client must not follow it)
  /continue       100 Continue, then 200 "final"
  /interim        100 Continue and 103 Early Hints, then 200 "final"
  /stall-headers  reads the request, then sends nothing
  /stall-body     headers promising 100 bytes, 10 bytes, then nothing
  /cut            headers promising 100 bytes, 10 bytes, then closes
  /chunked        a chunked 200 "hello" with a trailer
  anything else   200 "ok"
Each request is logged to LOG_FILE as "METHOD PATH", one line.
"""
import os
import socket
import socketserver
import sys
import threading

PORT_FILE, LOG = sys.argv[1:3]
lock = threading.Lock()


def log(line):
    with lock:
        with open(LOG, "a") as f:
            f.write(line + "\n")


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            line = self.rfile.readline()
            if not line:
                return
            parts = line.decode("latin-1").split()
            if len(parts) < 2:
                return
            method, path = parts[0], parts[1]
            length = 0
            while True:
                h = self.rfile.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                name, _, value = h.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if length:
                self.rfile.read(length)
            log("%s %s" % (method, path))
            if not self.answer(method, path):
                return

    def send(self, data):
        self.wfile.write(data)
        self.wfile.flush()

    def hang(self):
        # Hold the connection open until the client goes away.
        self.request.settimeout(60)
        try:
            while self.request.recv(4096):
                pass
        except OSError:
            pass

    def answer(self, method, path):
        body = b"" if method == "HEAD" else None
        if path == "/redirect":
            self.send(b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n")
        elif path in ("/continue", "/interim"):
            self.send(b"HTTP/1.1 100 Continue\r\n\r\n")
            if path == "/interim":
                self.send(b"HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n")
            self.send(b"HTTP/1.1 200 OK\r\nX-Final: yes\r\nContent-Length: 5\r\n\r\n" + (body if body is not None else b"final"))
        elif path == "/stall-headers":
            self.hang()
            return False
        elif path == "/stall-body":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
            self.hang()
            return False
        elif path == "/cut":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
            self.request.shutdown(socket.SHUT_RDWR)
            return False
        elif path == "/chunked":
            self.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Trailer\r\n\r\n"
                      b"5\r\nhello\r\n0\r\nX-Trailer: late\r\n\r\n")
        else:
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + (body if body is not None else b"ok"))
        return True


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = Server(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
srv.serve_forever()
