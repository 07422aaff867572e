# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A warm Python for the modules that the test suite's ansible-playbook runs start.

Each module task starts a Python process that runs the module's payload. Most of that process's CPU goes into
importing the same libraries every time: ansible-core's module_utils (compiled from the payload's zip, which keeps no
byte code), requests, minio and their dependencies. The suite starts about 700 such processes.

This file is both ends of a fork server:
- ``ModuleServer`` (one per test process, started by tests/playbook_runner.py) imports those libraries once, then
  listens on a Unix socket. For each request it forks; the child takes the caller's standard streams, working
  directory, environment and arguments, and runs the payload script as ``python <script>`` would, with
  ``runpy.run_path``. The server reports the child's exit status back.
- run as a script (``python -S module_server.py <script>``), it is the caller: it sends its own streams, directory,
  environment and arguments to the server named by ``SSO_TEST_MODULE_SERVER``, waits, and exits with the module's
  status (or dies of the signal that killed it). The server sends the child's pid first: a SIGTERM, SIGINT or SIGHUP
  to the caller is passed on to the child, and the caller ends when the child has.

The doubles the tests start (tests/doubles/harness.py) go through a second server of each test process, ``--serve
PATH doubles``, which preloads the doubles' own modules instead (WARM_DOUBLES): a double's process imports for about
0.3 to 0.6 s, and the suite starts about 210 of them.

Only the libraries are shared. The module and this collection's module_utils still come from the payload, as in any
run; a payload that lacks a file fails here as it would anywhere. If the caller dies (a run killed in the middle of a
task), the child is killed too. tests/ansible_playbook_cached.py points ansible-playbook's local connection at the
caller; the demo and tests/integration/test_module_payloads.py start plain Python processes.
"""

from __future__ import annotations

import json
import os
import socket
import sys

ENV = "SSO_TEST_MODULE_SERVER"
HEADER = 4  # bytes of the request's length, big-endian, before the JSON request
# What a module process imports besides this collection's own code (found with python -X importtime on each module).
WARM = (
    "ansible.module_utils.basic",
    "ansible.module_utils.urls",
    "ansible.module_utils._internal._ansiballz._loader",
    "ansible.module_utils._internal._json._profiles._module_legacy_m2c",
    "ansible.module_utils._internal._json._profiles._module_legacy_c2m",
    "ansible.module_utils._internal._json._profiles._module_modern_m2c",
    "ansible.module_utils._internal._json._profiles._module_modern_c2m",
    "requests",
    "jmespath",
    "minio",
    "minio.minioadmin",
    "minio.credentials",
)
# ``--serve PATH doubles``: what the doubles import (tests/doubles/*_double.py), for the test processes' doubles
# server. A server of its own, so that no module process can import a double's code.
DOUBLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "doubles")
WARM_DOUBLES = (
    "_double_server",
    "authentik.app",
    "authentik.dialects",
    "authentik.seeding",
    "minio_emu.app",
    "minio_emu.console",
    "minio_emu.state",
)
# the signals a caller passes on to its child (the child's exit then ends the caller)
FORWARDED = ("SIGTERM", "SIGINT", "SIGHUP")


def call(argv):
    """The caller's side: run ``argv`` (a script and its arguments) in a child of the server; return its status."""
    request = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(os.environ[ENV])
        socket.send_fds(conn, [b"F"], [0, 1, 2])  # the streams, on a byte of their own
        conn.sendall(len(request).to_bytes(HEADER, "big") + request)
        # two lines: the child's pid, then its status. The status ends the wait, not the end of the connection: the
        # server's other children hold copies of its end (they were forked while it was open).
        answer = b""
        lines = []
        while len(lines) < 2:
            chunk = conn.recv(64)
            if not chunk:
                break
            *done, answer = (answer + chunk).split(b"\n")
            if done and not lines:  # the pid: a signal to this process is now passed on to it
                forward_signals(int(done[0]))
            lines += done
    if len(lines) < 2:
        sys.stderr.write("module_server: the server closed the connection without the module's status\n")
        return 1
    status = int(lines[1])
    if status < 0:  # killed by a signal: die of it too, as the process would have
        import signal  # pylint: disable=import-outside-toplevel

        signal.signal(-status, signal.SIG_DFL)  # not passed on again (forward_signals)
        os.kill(os.getpid(), -status)
    return status


def forward_signals(pid):
    """A terminating signal sent to the caller goes to the child; the caller ends when the child has, with its status.
    (SIGKILL cannot be passed on: the child then dies with the connection, see run_child.)"""
    import signal  # pylint: disable=import-outside-toplevel

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for name in FORWARDED:
        signal.signal(getattr(signal, name), forward)


class ModuleServer:
    """The server's side: a process with the libraries imported, that forks a child per request."""

    def __init__(self, path, warm=WARM):
        self.path = path
        self.warm = warm

    def serve(self):
        import contextlib  # pylint: disable=import-outside-toplevel
        import gc  # pylint: disable=import-outside-toplevel
        import importlib  # pylint: disable=import-outside-toplevel
        import selectors  # pylint: disable=import-outside-toplevel

        for name in self.warm:
            try:
                importlib.import_module(name)
            except ImportError:  # a name another ansible-core release does not have
                pass
        gc.freeze()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        listener.listen(64)
        selector = selectors.DefaultSelector()
        selector.register(listener, selectors.EVENT_READ, "accept")
        selector.register(sys.stdin, selectors.EVENT_READ, "parent")
        print("module server ready", flush=True)
        while True:
            for key, _events in selector.select():
                if key.data == "parent":  # the process that started this one closed the pipe, or is gone
                    if not sys.stdin.read(1):
                        # the parent's exit handlers may have removed the directory, socket and all, already
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(self.path)
                        return
                elif key.data == "accept":
                    conn, _addr = listener.accept()
                    pid = self.fork(listener, conn)
                    pidfd = os.pidfd_open(pid)
                    selector.register(pidfd, selectors.EVENT_READ, (pid, conn))
                else:
                    pid, conn = key.data
                    selector.unregister(key.fd)
                    os.close(key.fd)
                    _pid, status = os.waitpid(pid, 0)
                    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
                    try:
                        conn.sendall(b"%d\n" % code)
                    except OSError:  # the caller is gone
                        pass
                    conn.close()

    @staticmethod
    def fork(listener, conn):
        _byte, fds, _flags, _addr = socket.recv_fds(conn, 1, 3)
        size = int.from_bytes(conn.recv(HEADER, socket.MSG_WAITALL), "big")
        data = conn.recv(size, socket.MSG_WAITALL)
        pid = os.fork()
        if pid:
            for fd in fds:
                os.close(fd)
            try:
                conn.sendall(b"%d\n" % pid)
            except OSError:  # the caller is gone; the child goes with it
                pass
            return pid
        try:
            listener.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
                os.close(fd)
            run_child(data, conn)
        finally:
            os._exit(70)  # only reached if run_child itself failed


def run_child(data, conn):
    import atexit  # pylint: disable=import-outside-toplevel
    import runpy  # pylint: disable=import-outside-toplevel
    import signal  # pylint: disable=import-outside-toplevel
    import threading  # pylint: disable=import-outside-toplevel
    import traceback  # pylint: disable=import-outside-toplevel

    request = json.loads(data)
    # the server's own exit handlers are not the module's
    atexit._clear()  # pylint: disable=protected-access
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = list(request["argv"])

    def die_with_the_caller():
        conn.recv(1)  # the caller sends nothing: this returns when its end closes
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=die_with_the_caller, daemon=True).start()
    code = 0
    try:
        runpy.run_path(sys.argv[0], run_name="__main__")
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            sys.stderr.write("%s\n" % exc.code)
            code = 1
    except BaseException:  # pylint: disable=broad-except
        # as the interpreter would: print it, exit 1
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()  # pylint: disable=protected-access
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        if sys.argv[3:4] == ["doubles"]:
            sys.path.insert(0, DOUBLES)
            ModuleServer(sys.argv[2], WARM_DOUBLES).serve()
        else:
            ModuleServer(sys.argv[2]).serve()
    else:
        sys.exit(call(sys.argv[1:]))
