# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start a double as a subprocess on 127.0.0.1 and talk to its control endpoints.

Used by the pytest fixtures (tests/conftest.py), the demo and the benchmark, so that every caller
starts the doubles the same way and waits for the same ready line, within a stated timeout.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

DOUBLES_DIR = os.path.dirname(os.path.abspath(__file__))
# Generous: under a loaded 2-core machine (three test workers beside the lint gates) a double imports for a while.
READY_TIMEOUT = 90.0
# The methods that never write: anything else in a double's request log is a write.
READS = ("GET", "HEAD", "OPTIONS")


# How a double's process starts: ``python <script> ...`` unless a caller sets LAUNCHER, a function that returns the
# words to put between the interpreter and the script, and variables to add to the environment. The test processes
# start their doubles in a warm fork server this way (tests/conftest.py); the demo does not set it.
LAUNCHER = None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count):
    """``count`` distinct free ports: the sockets are held open together, so that no two are the same (two calls of
    free_port in a row may well return the same port)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for dummy in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class RunningDouble:
    """A double process. ``url`` is its base URL; the control helpers use plain urllib."""

    def __init__(self, kind, args=(), port=None, ready_timeout=READY_TIMEOUT, env=None):
        self.kind = kind
        self.port = port or free_port()
        self.args = list(args)
        self.ready_timeout = ready_timeout
        self.env = env
        self.process = None
        self.url = None
        self.output = []

    def start(self):
        script = os.path.join(DOUBLES_DIR, "%s_double.py" % self.kind)
        prefix, launch_env = LAUNCHER() if LAUNCHER else ([], {})
        cmd = [sys.executable] + prefix + [script, "--port", str(self.port)] + self.args
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ, **launch_env, **(self.env or {})),
        )
        ready = threading.Event()
        prefix = "%s double ready at " % self.kind

        def pump():
            for line in self.process.stdout:
                self.output.append(line)
                if line.startswith(prefix) and not ready.is_set():
                    self.url = line[len(prefix):].strip()
                    ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(self.ready_timeout):
            self.stop()
            raise RuntimeError(
                "the %s double did not print its ready line within %.0f s; its output:\n%s"
                % (self.kind, self.ready_timeout, "".join(self.output))
            )
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # control endpoints ------------------------------------------------------------------------
    def _control(self, method, path, data=None):
        body = None if data is None else json.dumps(data).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=body, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        context = None
        if self.url.startswith("https://"):
            import ssl

            context = ssl._create_unverified_context()  # pylint: disable=protected-access
        with urllib.request.urlopen(req, timeout=10, context=context) as resp:  # nosec - loopback only
            raw = resp.read()
        return json.loads(raw) if raw else None

    def requests(self):
        return self._control("GET", "/_double/requests")

    def writes(self):
        return [r for r in self.requests() if r["method"] not in READS]

    # A step that must not write: ``mark = double.mark()``, the step, then ``double.writes_since(mark) == []``.
    def mark(self):
        """The request log's length now: what the double logs from here on is ``log_since(mark)``."""
        return len(self.requests())

    def log_since(self, mark):
        """The requests logged after ``mark``. A step that sent nothing at all proves nothing: that fails the test."""
        log = self.requests()[mark:]
        assert log, "no request since the mark: a step that sent nothing proves nothing about its writes"
        return log

    def writes_since(self, mark):
        """The writes (any method but a read) logged after ``mark``, as (method, path, status)."""
        return [(r["method"], r["path"], r["status"]) for r in self.log_since(mark) if r["method"] not in READS]

    def clear_requests(self):
        self._control("DELETE", "/_double/requests")

    def fault(self, **spec):
        return self._control("POST", "/_double/faults", spec)

    def clear_faults(self):
        self._control("DELETE", "/_double/faults")


def wait_until(predicate, timeout, interval=0.2, what="condition"):
    """Bounded polling: returns the predicate's truthy value or raises after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError("gave up waiting for %s after %.1f s" % (what, timeout))
        time.sleep(interval)
