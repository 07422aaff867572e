# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP plumbing both doubles share: serving, TLS, the request log and fault injection.

A double supplies one callable, ``app(request) -> Response``; this module owns everything a test
needs to observe or disturb it:

* ``GET /_double/requests`` -> JSON list of ``{"method", "path", "query", "status"}`` in order;
  ``DELETE /_double/requests`` clears it. Control calls are never logged.
* ``POST /_double/faults`` with a JSON object (or a list of them) arms faults::

      {"method": "PATCH",          # optional, "*" or absent = any method
       "path": "^/api/v3/core/",   # optional regular expression searched in the path (query included)
       "count": 2,                 # how many matching requests it applies to (default 1)
       "status": 503,              # answer this status instead of serving the request
       "body": "...",              # optional body for that answer (text)
       "delay": 1.5,               # seconds to sleep before anything else
       "drop": true,               # close the connection without an answer
       "after": true}              # serve the request first, then drop/replace the answer

  ``GET /_double/faults`` lists the armed faults, ``DELETE /_double/faults`` disarms them all.
* The ready line ``<name> double ready at <url>`` is printed (and flushed) once the socket listens.
"""

from __future__ import annotations

import json
import re
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_LOG = 100000  # a bound, so a long-running demo double cannot grow without limit


@dataclass
class Request:
    method: str
    path: str  # without the query string
    raw_query: str
    query: dict  # name -> list of values, in order, blanks kept
    headers: dict  # lower-cased names
    body: bytes
    client: str
    host: str

    def json(self):
        if not self.body:
            return None
        return json.loads(self.body.decode("utf-8"))

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list = field(default_factory=list)  # list of (name, value): repeated names are allowed
    drop: bool = False  # close the connection without answering

    @classmethod
    def json(cls, data, status=200, headers=None):
        body = json.dumps(data).encode("utf-8")
        return cls(status, body, [("Content-Type", "application/json")] + list(headers or []))

    @classmethod
    def text(cls, text, status=200, content_type="text/plain; charset=utf-8", headers=None):
        return cls(status, text.encode("utf-8"), [("Content-Type", content_type)] + list(headers or []))


class Faults:
    """Armed faults, consumed in the order they were armed."""

    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def arm(self, spec):
        specs = spec if isinstance(spec, list) else [spec]
        with self._lock:
            for one in specs:
                one = dict(one)
                one.setdefault("count", 1)
                re.compile(one.get("path", ""))  # fail early on a bad pattern
                self._faults.append(one)

    def clear(self):
        with self._lock:
            self._faults = []

    def listing(self):
        with self._lock:
            return [dict(f) for f in self._faults]

    def take(self, method, target):
        with self._lock:
            for fault in self._faults:
                if fault.get("method", "*") not in ("*", method):
                    continue
                if not re.search(fault.get("path", ""), target):
                    continue
                fault["count"] -= 1
                if fault["count"] <= 0:
                    self._faults.remove(fault)
                return dict(fault)
        return None


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    def add(self, method, path, query, status):
        with self._lock:
            if len(self._entries) < MAX_LOG:
                self._entries.append({"method": method, "path": path, "query": query, "status": status})

    def clear(self):
        with self._lock:
            self._entries = []

    def listing(self):
        with self._lock:
            return list(self._entries)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers offer: clients can reuse connections
    # Headers and body leave in two writes; with Nagle on, the body waits for the client's delayed ACK
    # (~40 ms per request on a reused connection). Real servers set TCP_NODELAY too.
    disable_nagle_algorithm = True
    server_version = "double"
    sys_version = ""

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), format % args))

    def _read_body(self):
        length = self.headers.get("Content-Length")
        if length:
            return self.rfile.read(int(length))
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        return b""

    def _handle(self):
        body = self._read_body()
        split = urlsplit(self.path)
        path, raw_query = split.path, split.query
        request = Request(
            method=self.command,
            path=path,
            raw_query=raw_query,
            query=parse_qs(raw_query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client=self.client_address[0],
            host=self.headers.get("Host", ""),
        )
        if path.startswith("/_double/"):
            self._send(self._control(request))
            return
        fault = self.server.faults.take(self.command, self.path)
        response = None
        if fault and fault.get("delay"):
            time.sleep(float(fault["delay"]))
        if fault and not fault.get("after") and (fault.get("drop") or fault.get("status")):
            response = self._faulted(fault)
        if response is None:
            try:
                response = self.server.app(request)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                # A bug in a double must be loud in the test output, and look like a 500 to the client.
                import traceback

                traceback.print_exc()
                response = Response.text("double internal error: %s" % exc, status=500)
            if fault and fault.get("after") and (fault.get("drop") or fault.get("status")):
                self.server.log.add(self.command, path, raw_query, response.status)
                response = self._faulted(fault)
                self.server.log.add(self.command, path, raw_query, "dropped" if response.drop else response.status)
                self._send(response)
                return
        self.server.log.add(self.command, path, raw_query, "dropped" if response.drop else response.status)
        self._send(response)

    @staticmethod
    def _faulted(fault):
        if fault.get("drop"):
            return Response(drop=True)
        return Response.text(fault.get("body", "injected fault"), status=int(fault["status"]))

    def _control(self, request):
        if request.path == "/_double/requests":
            if request.method == "GET":
                return Response.json(self.server.log.listing())
            if request.method == "DELETE":
                self.server.log.clear()
                return Response(204)
        if request.path == "/_double/faults":
            if request.method == "GET":
                return Response.json(self.server.faults.listing())
            if request.method == "POST":
                try:
                    self.server.faults.arm(request.json())
                except (ValueError, TypeError, re.error) as exc:
                    return Response.json({"error": str(exc)}, status=400)
                return Response.json(self.server.faults.listing(), status=201)
            if request.method == "DELETE":
                self.server.faults.clear()
                return Response(204)
        control = getattr(self.server, "control", None)
        if control is not None:
            answer = control(request)
            if answer is not None:
                return answer
        return Response.json({"error": "unknown control endpoint"}, status=404)

    def _send(self, response):
        if response.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        self.send_response(response.status)
        names = set()
        for name, value in response.headers:
            names.add(name.lower())
            self.send_header(name, value)
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class DoubleHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, app, control=None, verbose=False):
        super().__init__(address, _Handler)
        self.app = app
        self.control = control
        self.verbose = verbose
        self.log = RequestLog()
        self.faults = Faults()


def serve(name, app, port, host="127.0.0.1", tls_cert=None, tls_key=None, control=None, verbose=False):
    """Listen, print the ready line, serve until interrupted. ``app(request) -> Response``."""
    server = DoubleHTTPServer((host, port), app, control=control, verbose=verbose)
    scheme = "http"
    if tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls_cert, tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    # One write for the whole line: print() writes the text and the newline separately, and the MinIO double's console
    # thread prints its own ready line at the same moment, so two lines could be spliced into one the harness misses.
    sys.stdout.write("%s double ready at %s://%s:%d\n" % (name, scheme, host, server.server_address[1]))
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return server
