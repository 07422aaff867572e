# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-playbook, with ansible-core's module payload cache kept across the runs of one test session.

Before a module runs, ansible-core builds its payload: the module and every module_utils it imports, found by parsing
them (about 11,000 lines for this collection's modules). It caches each payload under the run's own temporary
directory (``DEFAULT_LOCAL_TMP``, a new ``mkdtemp`` for every process), so every run builds every payload anew. The
suite runs the role about a hundred times with the same code, and these builds were about a fifth of a role run's CPU.
This entry point links the run's cache directory to one directory for the whole session (``SSO_TEST_PAYLOAD_CACHE``,
set by tests/playbook_runner.py): each payload is built once per session, by ansible-core's own code, under its own
lock. The run keeps its own temporary directory for everything else, and nothing else differs from
``ansible-playbook``. The molecule test runs the real ``ansible-playbook`` binary.
"""

from __future__ import annotations

import os
import sys


def main():
    from ansible import constants

    cache = os.environ.get("SSO_TEST_PAYLOAD_CACHE")
    if cache:
        os.makedirs(cache, exist_ok=True)
        # the directory ansible.executor.module_common caches payloads in; the run's temporary directory is removed at
        # exit, and a symbolic link in it goes without what it points to
        os.symlink(cache, os.path.join(constants.DEFAULT_LOCAL_TMP, "ansiballz_cache"))
    from ansible.cli.playbook import main as playbook_main

    sys.argv[0] = "ansible-playbook"
    return playbook_main()


if __name__ == "__main__":
    sys.exit(main())
