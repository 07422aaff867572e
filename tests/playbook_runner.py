# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's playbooks with ansible-playbook on localhost, the working tree exposed as the collection.

Shared by the integration, reliability and molecule tests (tests/ is on sys.path through tests/conftest.py).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

import pytest

from collection_tree import collection_tree

PLAYBOOK_TIMEOUT = 600
HERE = os.path.dirname(os.path.abspath(__file__))
# ansible-playbook, with the module payloads built once per test process instead of once per run (see the file)
ANSIBLE_PLAYBOOK = [sys.executable, os.path.join(HERE, "ansible_playbook_cached.py")]
_payload_cache = []
_servers = {}  # kind -> its socket's path, once started
SOCKETS = {"": "module-server.sock", "doubles": "double-server.sock", "playbook": "playbook-server.sock"}  # by kind
_starting = threading.RLock()  # tests that run playbooks from threads start each server once


def payload_cache():
    """This process's payload cache directory: new in every test session, so a changed module is always rebuilt."""
    with _starting:
        if not _payload_cache:
            _payload_cache.append(tempfile.mkdtemp(prefix="sso-test-payloads-"))
            atexit.register(shutil.rmtree, _payload_cache[0], True)
    return _payload_cache[0]


def servers_off():
    """No fork servers: SSO_TEST_MODULE_SERVER=off, or no Linux pidfd_open."""
    return os.environ.get("SSO_TEST_MODULE_SERVER") == "off" or not hasattr(os, "pidfd_open")


def module_server():
    """This process's module server (see tests/module_server.py): its socket's path. Started on first use; it stops
    when this process exits (its standard input, a pipe from here, closes). "" (every module task in a fresh Python,
    as ansible-playbook runs it) when servers_off()."""
    if servers_off():
        return ""
    return started_server("")


def double_launcher():
    """For tests/doubles/harness.py (LAUNCHER): this process's doubles start in a warm server of their own (the module
    server's code, with what the doubles import: see tests/module_server.py), started on first use. Plain processes
    when servers_off()."""
    if servers_off():
        return [], {}
    return ["-S", os.path.join(HERE, "module_server.py")], {"SSO_TEST_MODULE_SERVER": started_server("doubles")}


def playbook_server():
    """This process's ansible-playbook server (tests/module_server.py, ``playbook``): the command's prefix that starts
    an ansible-playbook run through it. Started on first use, with the environment ansible_env() gives: a run whose
    ansible configuration differs starts a fresh Python instead. [] when servers_off()."""
    if servers_off():
        return []
    path = started_server("playbook", ansible_env)
    return [sys.executable, "-S", os.path.join(HERE, "module_server.py"), "--server", path]


def started_server(kind, env=lambda: None):
    """This process's fork server of ``kind`` (see start_module_server): its socket's path, started on first use, with
    the environment ``env()`` gives (None: this process's)."""
    with _starting:
        if kind not in _servers:
            _servers[kind] = start_module_server(os.path.join(payload_cache(), SOCKETS[kind]), kind=kind, env=env())[0]
    return _servers[kind]


def start_module_server(path, kind="", env=None):
    """A module server listening on ``path`` -> (path, its process); ``kind`` "doubles" for the doubles' server,
    "playbook" for ansible-playbook's."""
    # it lives as long as the process that started it
    server = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, os.path.join(HERE, "module_server.py"), "--serve", path] + ([kind] if kind else []),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    ready = server.stdout.readline()
    if ready.strip() != "module server ready":
        raise RuntimeError("the module server did not start: %r (rc %s)" % (ready, server.poll()))
    return path, server


def ansible_env(extra=None):
    bindir = os.path.dirname(sys.executable)
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_COLLECTIONS_PATH": collection_tree(),
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "ANSIBLE_DEPRECATION_WARNINGS": "true",
            "SSO_TEST_PAYLOAD_CACHE": payload_cache(),
            "SSO_TEST_MODULE_SERVER": module_server(),
            "PATH": bindir + os.pathsep + env.get("PATH", ""),
        }
    )
    env.update(extra or {})
    return env


class PlaybookResult:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    @property
    def output(self):
        return self.stdout + self.stderr

    def recap(self, host="localhost"):
        """The PLAY RECAP counters of one host, e.g. {'ok': 5, 'changed': 0, 'failed': 0, ...}."""
        return recaps(self.stdout).get(host, {})

    def recaps(self):
        return recaps(self.stdout)

    def messages(self, host):
        return messages(self.stdout, host)


def recaps(stdout):
    """Host -> its PLAY RECAP counters."""
    return {m.group(1): {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
            for m in re.finditer(r"^(\S+)\s+:\s+(ok=.*)$", stdout, re.M)}


def messages(stdout, host):
    """The messages a run showed for one host (the debug tasks' msg), in order."""
    return [json.loads(m.group(1)) for m in re.finditer(
        r'^ok: \[%s\] => \{\n\s+"msg": ("(?:[^"\\]|\\.)*")\n\}' % re.escape(host), stdout, re.M)]


def playbook_command(playbook, extra_vars=None, args=(), inventory=None):
    """The ansible-playbook command line: on localhost, or on the hosts of an inventory file (which sets their
    connection)."""
    cmd = list(ANSIBLE_PLAYBOOK)
    cmd += ["-i", inventory] if inventory else ["-i", "localhost,", "-c", "local"]
    cmd.append(playbook)
    if extra_vars:
        cmd += ["-e", json.dumps(extra_vars)]
    return cmd + list(args)


def run_playbook(playbook, extra_vars=None, args=(), env=None, check=True, timeout=PLAYBOOK_TIMEOUT, inventory=None):
    """Run ``ansible-playbook`` on localhost, or on the hosts of an inventory file (which sets their connection);
    with check=True a non-zero rc fails the test with the output."""
    cmd = playbook_command(playbook, extra_vars, args, inventory)
    server = playbook_server()
    if server:  # the same command, its controller forked from the warm server
        cmd = server + cmd[1:]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ansible_env(env), timeout=timeout, check=False)
    result = PlaybookResult(proc)
    if check and result.rc != 0:
        pytest.fail("ansible-playbook %s failed (rc=%d):\n%s" % (os.path.basename(playbook), result.rc, result.output[-20000:]))
    return result
