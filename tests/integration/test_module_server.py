# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module server (tests/module_server.py) runs a script as ``python <script>`` would: with the caller's streams,
working directory, environment and arguments, its exit status and its death by a signal passed back; this
collection's code is not preloaded, and a child dies with its caller. And ansible-playbook's module tasks really go
through it (the payload cache test shows they are still built by ansible-core). ansible-playbook itself runs forked
from a server of its own, unless its ansible configuration differs from that server's."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

from harness import wait_until  # tests/doubles, on sys.path through tests/conftest.py
import pytest
import yaml

from playbook_runner import ansible_env, module_server, playbook_command, playbook_server, run_playbook, start_module_server

HERE = os.path.dirname(os.path.abspath(__file__))
CALLER = [sys.executable, "-S", os.path.join(os.path.dirname(HERE), "module_server.py")]

SCRIPT = """
import os, sys
print("args", sys.argv[1:], "cwd", os.getcwd(), "env", os.environ.get("MODULE_SERVER_PROBE"))
print("stdin", sys.stdin.read().strip())
print("preloaded", "requests" in sys.modules, sorted(m for m in sys.modules if m.startswith("ansible_collections")))
sys.stderr.write("to stderr\\n")
sys.exit(int(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of these tests' own: they hold whether or not the suite uses one (SSO_TEST_MODULE_SERVER=off)."""
    path, process = start_module_server(str(tmp_path_factory.mktemp("server") / "server.sock"))
    yield path
    process.stdin.close()
    process.wait(timeout=10)


def call(server, script, *args, **kwargs):
    env = dict(os.environ, SSO_TEST_MODULE_SERVER=server, MODULE_SERVER_PROBE="probe-value")
    return subprocess.run(CALLER + [str(script)] + list(args), env=env, capture_output=True, text=True, timeout=30,
                          check=False, **kwargs)


def test_a_script_runs_as_python_would_run_it(server, tmp_path):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    done = call(server, script, "3", "second", cwd=str(tmp_path), input="from stdin\n")
    assert done.returncode == 3, done
    assert done.stdout.splitlines() == [
        "args ['3', 'second'] cwd %s env probe-value" % tmp_path,
        "stdin from stdin",
        "preloaded True []",  # the libraries are warm; this collection's code comes from the payload
    ], done
    assert done.stderr == "to stderr\n"
    assert call(server, script, "0").returncode == 0
    raised = tmp_path / "raised.py"
    raised.write_text("raise ValueError('as the interpreter prints it')\n")
    failed = call(server, raised)
    assert failed.returncode == 1 and "ValueError: as the interpreter prints it" in failed.stderr, failed


def test_a_signal_that_kills_the_child_kills_the_caller_and_a_killed_caller_takes_its_child(server, tmp_path):
    killed = tmp_path / "killed.py"
    killed.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n")
    assert call(server, killed).returncode == -signal.SIGTERM

    pid_file = tmp_path / "pid"
    waiting = tmp_path / "waiting.py"
    waiting.write_text("import os, sys, time\nopen(sys.argv[1], 'w').write(str(os.getpid()))\ntime.sleep(60)\n")
    env = dict(os.environ, SSO_TEST_MODULE_SERVER=server)
    caller = subprocess.Popen(CALLER + [str(waiting), str(pid_file)], env=env)  # pylint: disable=consider-using-with
    wait_until(lambda: pid_file.exists() and pid_file.read_text(), timeout=20, what="the child's pid")
    child = int(pid_file.read_text())
    caller.kill()
    caller.wait(timeout=10)
    wait_until(lambda: gone_or_zombie(child), timeout=20, what="the child to die with its caller")


def gone_or_zombie(pid):
    """Whether process ``pid`` has ended (reaped, or a zombie not reaped yet). The server reaps its children: the
    process can go between a look at /proc and the read of its stat file."""
    try:
        with open("/proc/%d/stat" % pid, encoding="utf-8") as handle:
            return " Z " in handle.read()
    except FileNotFoundError:
        return True


def test_a_sigterm_to_the_caller_reaches_the_child_and_the_caller_ends_with_it(server, tmp_path):
    ready = tmp_path / "ready"
    handles = tmp_path / "handles.py"
    handles.write_text(
        "import signal, sys, time\n"
        "def stop(signum, frame):\n    print('child got', signal.Signals(signum).name, flush=True)\n    sys.exit(3)\n"
        "signal.signal(signal.SIGTERM, stop)\nopen(sys.argv[1], 'w').write('ready')\ntime.sleep(60)\n")
    env = dict(os.environ, SSO_TEST_MODULE_SERVER=server)
    caller = subprocess.Popen(CALLER + [str(handles), str(ready)], env=env,  # pylint: disable=consider-using-with
                              stdout=subprocess.PIPE, text=True)
    wait_until(ready.exists, timeout=20, what="the child to install its handler")
    caller.terminate()
    out, _err = caller.communicate(timeout=20)
    assert (caller.returncode, out) == (3, "child got SIGTERM\n")


def test_the_doubles_start_in_a_server_of_their_own_and_stop_as_a_process_would(start_double, tmp_path):
    before = set(os.listdir(tempfile.gettempdir()))
    minio = start_double("minio", "--root-user", "server-test", "--root-password", "server-test-password")
    if module_server():
        assert "module_server.py" in " ".join(minio.process.args), minio.process.args
        with open("/proc/%d/environ" % minio.process.pid, encoding="utf-8", errors="replace") as handle:
            environ = dict(item.split("=", 1) for item in handle.read().split("\0") if "=" in item)
        assert environ["SSO_TEST_MODULE_SERVER"].endswith("double-server.sock")
        assert environ["SSO_TEST_MODULE_SERVER"] != module_server()
    else:  # SSO_TEST_MODULE_SERVER=off: a plain process
        assert "module_server.py" not in " ".join(minio.process.args), minio.process.args
    data_dirs = set(os.listdir(tempfile.gettempdir())) - before
    assert [name for name in data_dirs if name.startswith("minio-double-")], data_dirs
    # a double started later is forked while the first one's connection is open: it must not hold the first one's
    # stop up
    start_double("authentik", "--token", "server-test-token-0123456789")
    # SIGTERM reaches the double, whose handler removes its temporary data directory (a SIGKILL would leave it)
    started = time.monotonic()
    minio.stop()
    assert time.monotonic() - started < 5 and minio.process.returncode == 0, minio.output
    assert not [name for name in set(os.listdir(tempfile.gettempdir())) - before if name.startswith("minio-double-")]


def test_ansible_playbook_starts_its_modules_in_the_server(server, tmp_path):
    playbook = tmp_path / "ping.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n")
    started = time.time()
    result = run_playbook(str(playbook), args=("-vvv",), env={"SSO_TEST_MODULE_SERVER": server})
    assert "module_server.py /" in result.stdout and "AnsiballZ_ping.py" in result.stdout, result.stdout[-3000:]
    assert time.time() - started < 60
    # without the server's socket, the same command is the plain interpreter's
    plain = run_playbook(str(playbook), args=("-vvv",), env={"SSO_TEST_MODULE_SERVER": ""})
    assert "module_server.py" not in plain.stdout and "AnsiballZ_ping.py" in plain.stdout, plain.stdout[-3000:]


def test_the_server_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("SSO_TEST_MODULE_SERVER", "off")
    assert module_server() == "" and ansible_env()["SSO_TEST_MODULE_SERVER"] == "" and playbook_server() == []


# the controller's parent: the worker that templates the message runs the pipe lookup's shell, so $PPID is the worker
# and the worker's parent the controller
CONTROLLER_PARENT = "awk '/^PPid/ {print $2}' /proc/$(awk '/^PPid/ {print $2}' /proc/$PPID/status)/status"
PARENT_PLAYBOOK = [{"hosts": "localhost", "gather_facts": False, "tasks": [
    {"ansible.builtin.ping": None},
    {"ansible.builtin.debug": {"msg": "controller's parent {{ lookup('ansible.builtin.pipe', %r) }}" % CONTROLLER_PARENT}},
]}]


def test_ansible_playbook_runs_forked_from_its_server_unless_its_configuration_differs(tmp_path):
    path, process = start_module_server(str(tmp_path / "playbook.sock"), kind="playbook", env=ansible_env())
    try:
        playbook = tmp_path / "parent.yml"
        playbook.write_text(yaml.safe_dump(PARENT_PLAYBOOK))
        command = CALLER + ["--server", path] + playbook_command(str(playbook), args=("-vvv",))[1:]

        def run(**env):
            done = subprocess.run(command, env=ansible_env(env), capture_output=True, text=True, timeout=120, check=False)
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
            return done.stdout, int(re.search(r"controller's parent (\d+)", done.stdout).group(1))

        # each run forked from the server, each with a local temporary directory of its own (the server made one of
        # its own when it read its configuration), removed when the run ends
        runs = [run(), run()]
        assert [parent for _out, parent in runs] == [process.pid, process.pid]
        local_tmps = [re.search(r"PUT (\S+)/tmp\w+ TO ", out).group(1) for out, _parent in runs]
        assert local_tmps[0] != local_tmps[1], local_tmps
        assert all("ansible-local-%d" % process.pid not in local_tmp for local_tmp in local_tmps), local_tmps
        assert not any(os.path.exists(local_tmp) for local_tmp in local_tmps), local_tmps
        # a configuration the server did not read (forced colours) is followed, in a fresh Python: the caller's own
        out, parent = run(ANSIBLE_NOCOLOR="0", ANSIBLE_FORCE_COLOR="1")
        assert parent == os.getpid() and "\x1b[" in out, (parent, out[-2000:])
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def test_a_payload_file_is_compiled_once_per_server_and_keeps_the_importing_file_name(tmp_path):
    (tmp_path / "server").mkdir()
    path, process = start_module_server(str(tmp_path / "server" / "server.sock"))
    try:
        source = b"def fail():\n    raise ValueError('compiled from the payload')\n"
        script = tmp_path / "script.py"
        script.write_text("import sys\nsys.path.insert(0, sys.argv[1])\nimport failing\nfailing.fail()\n")

        def run(name):
            payload = tmp_path / name / "payload.zip"  # a directory of its own, as each payload unpacks into
            payload.parent.mkdir()
            with zipfile.ZipFile(payload, "w") as archive:
                archive.writestr("failing.py", source)
            done = call(path, script, str(payload))
            assert done.returncode == 1, done
            return done.stderr, str(payload / "failing.py")

        stderr, file_name = run("first")
        assert 'File "%s", line 2' % file_name in stderr and "compiled from the payload" in stderr, stderr
        kept = tmp_path / "server" / "payload-code" / hashlib.sha256(source).hexdigest()
        assert kept.exists(), os.listdir(kept.parent)
        # a later process reads the kept code (here replaced, to tell it from a new compilation), under its own name
        kept.write_bytes(marshal.dumps(compile(source.replace(b"compiled from the payload", b"read back"), "elsewhere", "exec")))
        stderr, file_name = run("second")
        assert 'File "%s", line 2' % file_name in stderr and "read back" in stderr, stderr
    finally:
        process.stdin.close()
        process.wait(timeout=10)
