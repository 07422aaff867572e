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
0.3 to 0.6 s, and the suite starts about 210 of them. ansible-playbook itself (tests/playbook_runner.run_playbook)
goes through a third, ``--serve PATH playbook`` (PlaybookServer, WARM_PLAYBOOK), called with ``--server PATH``: an
ansible-playbook process spent about 1 s importing before its first task. ansible-core reads its configuration when
it is imported, so that server serves only runs whose configuration inputs are its own; it answers NOT_SERVED to
any other, and the caller then becomes the plain ``python <script>`` process itself.

Only the libraries are shared. The module and this collection's module_utils still come from the payload, as in any
run; a payload that lacks a file fails here as it would anywhere. What the module server keeps between its children
is the code compiled from the payloads' files (keep_compiled_payload_code), by the source's hash, and the keys
minio-py derived for MinIO's encrypted admin payloads (tests/madmin_keys.py), by secret and salt. If the caller dies
(a run killed in the middle of a task), the child is killed too. tests/ansible_playbook_cached.py points
ansible-playbook's local connection at the caller; the demo and tests/integration/test_module_payloads.py start plain
Python processes.
"""

from __future__ import annotations

import os
import sys

# Only os and sys at the top: the caller runs this file for every module task and every double and ansible-playbook
# run, so what it imports is paid each time. It sends its request with marshal and talks through _socket and _signal,
# the C modules under socket and signal (which import enum and selectors, and json imports re: 30 ms of a caller's
# 50 ms); the server's side imports what it needs in its functions.
ENV = "SSO_TEST_MODULE_SERVER"
HEADER = 4  # bytes of the request's length, big-endian, before the request (marshal's format)
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
# ``--serve PATH playbook``: what ansible-playbook imports for a run of the role before its first task: the CLI and
# executor, and the plugins it loads by their module names (listed from sys.modules at the end of a run). Another
# ansible-core release's missing names are skipped.
WARM_PLAYBOOK = (
    "ansible.cli.playbook",
    "ansible.executor.playbook_executor",
    "ansible.executor.task_queue_manager",
    "ansible.executor.process.worker",
    "ansible.executor.task_executor",
    "ansible.executor.module_common",
    "ansible.executor.interpreter_discovery",
    "ansible.plugins.strategy.linear",
    "ansible.plugins.action.normal",
    "ansible.plugins.cache.memory",
    "ansible.plugins.vars.host_group_vars",
) + tuple("ansible.plugins.%s" % name for name in (
    "become.runas", "become.su", "become.sudo",
    "callback.default", "callback.junit", "callback.minimal", "callback.oneline", "callback.tree",
    "connection.local", "connection.paramiko_ssh", "connection.psrp", "connection.ssh", "connection.winrm",
    "inventory.auto", "inventory.host_list", "inventory.ini", "inventory.script", "inventory.toml", "inventory.yaml",
    "shell.cmd", "shell.powershell", "shell.sh",
))
# the directory of the payload cache that holds the madmin keys derived so far (tests/madmin_keys.py)
MADMIN_KEYS = "madmin-keys"
# the signals a caller passes on to its child (the child's exit then ends the caller)
FORWARDED = ("SIGTERM", "SIGINT", "SIGHUP")
# a server's first answer when it does not serve a request (instead of the child's pid)
NOT_SERVED = b"-"


def call(argv, server=None):
    """The caller's side: run ``argv`` (a script and its arguments) in a child of the server (``server``, a socket's
    path, or the one ``SSO_TEST_MODULE_SERVER`` names); return its status. A server that does not serve the request
    answers NOT_SERVED, and this process then becomes ``python <script> ...`` itself."""
    import _socket  # pylint: disable=import-outside-toplevel
    import marshal  # pylint: disable=import-outside-toplevel

    request = marshal.dumps({"argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ)})
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.connect(server or os.environ[ENV])
        # the streams, on a byte of their own, as three C ints (socket.send_fds, without the array module's imports)
        fds = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2))
        conn.sendmsg([b"F"], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
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
            if done and not lines:
                if done[0] == NOT_SERVED:
                    os.execv(sys.executable, [sys.executable] + list(argv))
                forward_signals(int(done[0]))  # the pid: a signal to this process is now passed on to it
            lines += done
    finally:
        conn.close()
    if len(lines) < 2:
        sys.stderr.write("module_server: the server closed the connection without the module's status\n")
        return 1
    status = int(lines[1])
    if status < 0:  # killed by a signal: die of it too, as the process would have
        import _signal  # pylint: disable=import-outside-toplevel

        _signal.signal(-status, _signal.SIG_DFL)  # not passed on again (forward_signals)
        os.kill(os.getpid(), -status)
    return status


def forward_signals(pid):
    """A terminating signal sent to the caller goes to the child; the caller ends when the child has, with its status.
    (SIGKILL cannot be passed on: the child then dies with the connection, see run_child.)"""
    import _signal  # pylint: disable=import-outside-toplevel

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for name in FORWARDED:
        _signal.signal(getattr(_signal, name), forward)


class ModuleServer:
    """The server's side: a process with the libraries imported, that forks a child per request."""

    def __init__(self, path, warm=WARM, code_cache=None, key_cache=None):
        self.path = path
        self.warm = warm
        self.code_cache = code_cache
        self.key_cache = key_cache

    def serve(self):
        import contextlib  # pylint: disable=import-outside-toplevel
        import gc  # pylint: disable=import-outside-toplevel
        import importlib  # pylint: disable=import-outside-toplevel
        import selectors  # pylint: disable=import-outside-toplevel
        import socket  # pylint: disable=import-outside-toplevel

        for name in self.warm:
            try:
                importlib.import_module(name)
            except ImportError:  # a name another ansible-core release does not have
                pass
        if self.code_cache:
            keep_compiled_payload_code(self.code_cache)
        if self.key_cache:
            from madmin_keys import remember_derived_keys  # pylint: disable=import-outside-toplevel

            remember_derived_keys(lambda: self.key_cache)
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
                    if pid is None:  # not served: the caller runs it itself
                        conn.close()
                        continue
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

    def fork(self, listener, conn):
        """Fork a child for the request on ``conn`` -> its pid, or None when this server does not serve it."""
        import marshal  # pylint: disable=import-outside-toplevel
        import socket  # pylint: disable=import-outside-toplevel

        _byte, fds, _flags, _addr = socket.recv_fds(conn, 1, 3)
        size = int.from_bytes(conn.recv(HEADER, socket.MSG_WAITALL), "big")
        request = marshal.loads(conn.recv(size, socket.MSG_WAITALL))
        pid = os.fork() if self.serves(request) else None
        if pid != 0:
            for fd in fds:
                os.close(fd)
            try:
                conn.sendall(b"%d\n" % pid if pid else NOT_SERVED + b"\n")
            except OSError:  # the caller is gone; the child goes with it
                pass
            return pid
        try:
            listener.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
                os.close(fd)
            run_child(request, conn, self.prepare_child)
        finally:
            os._exit(70)  # only reached if run_child itself failed

    def serves(self, _request):
        """Whether this server runs the request (otherwise the caller does, in a fresh Python)."""
        return True

    @staticmethod
    def prepare_child():
        """The child's standard streams and SIGINT, before its script runs (the descriptors are the caller's)."""
        import signal  # pylint: disable=import-outside-toplevel

        signal.signal(signal.SIGINT, signal.SIG_DFL)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with


class PlaybookServer(ModuleServer):
    """``--serve PATH playbook``: ansible-playbook's controller with its imports done (WARM_PLAYBOOK).

    ansible-core reads its configuration when it is imported (ansible.constants: the variables its settings name, the
    ansible.cfg it finds from the working and home directories). A request whose inputs to that differ from the
    server's is therefore not served: its caller runs it in a fresh Python, where the configuration is its own."""

    def __init__(self, path):
        super().__init__(path, WARM_PLAYBOOK)
        self.config = None

    def serves(self, request):
        if self.config is None:  # the server's own, read after its imports
            self.config = config_inputs(os.environ, os.getcwd())
        return config_inputs(request["env"], request["cwd"]) == self.config

    @staticmethod
    def prepare_child():
        import signal  # pylint: disable=import-outside-toplevel

        from ansible import constants  # pylint: disable=import-outside-toplevel

        # as in a fresh Python; the standard streams stay the objects ansible's Display adapted when it was imported
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # ansible-core makes its local temporary directory, removed at exit, when it reads its configuration: the
        # server's is the server's, each run makes its own
        constants.DEFAULT_LOCAL_TMP = constants.config.get_config_value("DEFAULT_LOCAL_TMP", variables=vars(constants))


def keep_compiled_payload_code(directory):
    """zipimport compiles each module it imports from a payload's zip from source (a zip keeps no byte code): about a
    third of a module process here. Keep the code objects in ``directory``, by the source's hash, for every later
    process of this server. Only the file name differs between two payloads' copies of a file (each payload unpacks
    into a directory of its own), so a code object read back takes the importing file's name, as compiling it would
    have given it."""
    import hashlib  # pylint: disable=import-outside-toplevel
    import marshal  # pylint: disable=import-outside-toplevel
    import types  # pylint: disable=import-outside-toplevel
    import zipimport  # pylint: disable=import-outside-toplevel

    os.makedirs(directory, exist_ok=True)
    compile_source = zipimport._compile_source  # pylint: disable=protected-access

    def named(code, pathname):
        consts = tuple(named(const, pathname) if isinstance(const, types.CodeType) else const for const in code.co_consts)
        return code.replace(co_filename=pathname, co_consts=consts)

    def compile_or_read(pathname, source):
        kept = os.path.join(directory, hashlib.sha256(source).hexdigest())
        try:
            with open(kept, "rb") as handle:
                return named(marshal.load(handle), pathname)
        except (OSError, EOFError, ValueError, TypeError):
            code = compile_source(pathname, source)
            write_whole(kept, marshal.dumps(code))
            return code

    zipimport._compile_source = compile_or_read  # pylint: disable=protected-access


def write_whole(path, data):
    """Write ``data`` to ``path`` whole, or not at all, for the processes beside this one that read it (a server's
    children keep what they made there for the next)."""
    with open("%s.%d" % (path, os.getpid()), "wb") as handle:
        handle.write(data)
    os.replace("%s.%d" % (path, os.getpid()), path)


def config_inputs(env, cwd):
    """What ansible-core's configuration depends on when it is read: the variables its settings name, where it looks
    for ansible.cfg (ANSIBLE_CONFIG, the working and home directories) and the locale (checked by ansible.cli)."""
    from ansible import constants  # pylint: disable=import-outside-toplevel

    names = {"ANSIBLE_CONFIG", "HOME", "PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE"}
    for definition in constants.config.get_configuration_definitions().values():
        names.update(entry["name"] for entry in definition.get("env") or ())
    found = constants.CONFIG_FILE
    return cwd, {name: env.get(name) for name in names}, found and os.stat(found).st_mtime_ns


def run_child(request, conn, prepare):
    import atexit  # pylint: disable=import-outside-toplevel
    import runpy  # pylint: disable=import-outside-toplevel
    import signal  # pylint: disable=import-outside-toplevel
    import threading  # pylint: disable=import-outside-toplevel
    import traceback  # pylint: disable=import-outside-toplevel

    # the server's own exit handlers are not the module's
    atexit._clear()  # pylint: disable=protected-access
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = list(request["argv"])
    prepare()

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
        elif sys.argv[3:4] == ["playbook"]:
            PlaybookServer(sys.argv[2]).serve()
        else:
            cache = os.path.dirname(sys.argv[2])
            ModuleServer(sys.argv[2], code_cache=os.path.join(cache, "payload-code"),
                         key_cache=os.path.join(cache, MADMIN_KEYS)).serve()
    elif sys.argv[1:2] == ["--server"]:
        sys.exit(call(sys.argv[3:], sys.argv[2]))
    else:
        sys.exit(call(sys.argv[1:]))
