# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-playbook, with ansible-core's module payload cache kept across the runs of one test session, and its
modules started by the test process's warm module server (tests/module_server.py).

Before a module runs, ansible-core builds its payload: the module and every module_utils it imports, found by parsing
them (about 11,000 lines for this collection's modules). It caches each payload under the run's own temporary
directory (``DEFAULT_LOCAL_TMP``, a new ``mkdtemp`` for every process), so every run builds every payload anew. The
suite runs the role about a hundred times with the same code, and these builds were about a fifth of a role run's CPU.
This entry point links the run's cache directory to one directory for the whole session (``SSO_TEST_PAYLOAD_CACHE``,
set by tests/playbook_runner.py): each payload is built once per session, by ansible-core's own code, under its own
lock. The run keeps its own temporary directory for everything else.

With ``SSO_TEST_MODULE_SERVER`` set to a socket (tests/playbook_runner.py sets it), the local connection's command
that runs a payload with this Python (``<python> .../AnsiballZ_<module>.py``) runs it through the module server
instead, which saves each module process its imports. Every other command, and a payload for another interpreter,
is unchanged. The same directory keeps the code Jinja compiled from the run's templates, for the later workers and
runs that compile the same template in the same environment (tests/jinja_compile_cache.py), and the controller loads
the filter and test plugins before it forks a task's worker, which each worker that templates did for itself (about
0.2 s of a role run's CPU per host). Nothing else differs from ``ansible-playbook``. The molecule test puts this
file first on molecule's PATH; the demo and tests/integration/test_module_payloads.py run the real
``ansible-playbook``.
"""

from __future__ import annotations

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# the directory of the payload cache that keeps the code Jinja compiled from templates (tests/jinja_compile_cache.py)
JINJA_CODE = "jinja-code"


def start_modules_in_the_module_server():
    """Module payloads run by this Python start in the warm module server instead (see tests/module_server.py)."""
    from ansible.plugins.connection import local

    run_payload = re.compile(r"%s (?=\S*/AnsiballZ_\w+\.py\b)" % re.escape(sys.executable))
    caller = "%s -S %s " % (sys.executable, os.path.join(HERE, "module_server.py"))
    exec_command = local.Connection.exec_command

    def exec_command_in_the_module_server(self, cmd, *args, **kwargs):
        if isinstance(cmd, str):
            cmd = run_payload.sub(caller, cmd, count=1)
        return exec_command(self, cmd, *args, **kwargs)

    local.Connection.exec_command = exec_command_in_the_module_server


def load_jinja_plugins_before_each_worker():
    """The controller loads the filter and test plugins found on its plugin paths (ansible.builtin's among them)
    before it forks a task's worker, so that the worker inherits them instead of loading them itself."""
    from ansible.executor.process import worker
    from ansible.plugins.loader import filter_loader, test_loader

    start = worker.WorkerProcess.start

    def start_with_jinja_plugins_loaded(self, *args, **kwargs):
        # once per path list: a directory added later (a role's filter_plugins) empties the loaders' caches, and the
        # next worker's start loads them again
        for loader in (filter_loader, test_loader):
            for _plugin in loader.all():
                pass
        return start(self, *args, **kwargs)

    worker.WorkerProcess.start = start_with_jinja_plugins_loaded


def main():
    from ansible import constants

    cache = os.environ.get("SSO_TEST_PAYLOAD_CACHE")
    if cache:
        os.makedirs(cache, exist_ok=True)
        # the directory ansible.executor.module_common caches payloads in; the run's temporary directory is removed at
        # exit, and a symbolic link in it goes without what it points to
        os.symlink(cache, os.path.join(constants.DEFAULT_LOCAL_TMP, "ansiballz_cache"))
        if HERE not in sys.path:  # tests/jinja_compile_cache.py and what it imports
            sys.path.insert(0, HERE)
        from jinja_compile_cache import install

        install(os.path.join(cache, JINJA_CODE))
        load_jinja_plugins_before_each_worker()
    if os.environ.get("SSO_TEST_MODULE_SERVER", "") not in ("", "off"):
        start_modules_in_the_module_server()
    from ansible.cli.playbook import main as playbook_main

    sys.argv[0] = "ansible-playbook"
    return playbook_main()


if __name__ == "__main__":
    sys.exit(main())
