# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one of the collection's modules inside the test process, as Ansible hands it its arguments.

The module's ``main()`` reads the arguments a task would pass (check mode and diff mode included), and its JSON
result is read from its standard output, exactly what ansible-playbook would receive. A run costs milliseconds; a
module task of ansible-playbook costs about 0.3 s of CPU (a fork, a new interpreter, the module's payload imported
and compiled again). So the tests of a module's own logic (lifecycles, bad input, failure reasons) run here, and
ansible-playbook runs what only Ansible shows: the role, the EXAMPLES blocks, the output at each verbosity.

tests/ is on sys.path through tests/conftest.py, and the working tree is importable as the collection.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import traceback

from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args

MODULES_PACKAGE = "ansible_collections.sso.authentik_minio.plugins.modules."


def run_module(name, args, check_mode=False, diff=False):
    """Run module ``name`` (e.g. ``"authentik_group"``) with ``args`` -> its result, as a task would register it.

    A module that raises instead of exiting through exit_json/fail_json is a crash: the result then has
    ``failed``, ``crash`` (the traceback) and ``msg`` "MODULE FAILURE", what ansible-playbook would report.
    """
    module = importlib.import_module(MODULES_PACKAGE + name)
    params = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    # Warnings and deprecations are kept in module-level lists for the one run a module process lives for: a run
    # here must not carry the previous run's.
    ansible_warnings._global_warnings.clear()  # pylint: disable=protected-access
    ansible_warnings._global_deprecations.clear()  # pylint: disable=protected-access
    out = io.StringIO()
    try:
        with patch_module_args(params), contextlib.redirect_stdout(out):
            module.main()
    except SystemExit:
        pass
    except Exception:  # pylint: disable=broad-exception-caught
        return {"failed": True, "msg": "MODULE FAILURE", "crash": traceback.format_exc()}
    text = out.getvalue()
    try:
        result = json.loads(text)
    except ValueError:
        return {"failed": True, "msg": "MODULE FAILURE", "crash": "no JSON result on stdout: %r" % text[-2000:]}
    result.setdefault("changed", False)
    return result


def module_runner(defaults):
    """``module_defaults`` for in-process runs: -> ``run(name, check_mode=False, diff=False, **args)``.

    ``defaults`` maps a module name prefix (``"authentik_"``, ``"minio_"``) to the connection arguments the modules
    of that group get unless the call gives its own.
    """
    def run(name, check_mode=False, diff=False, **args):
        merged = {}
        for prefix, values in defaults.items():
            if name.startswith(prefix):
                merged.update(values)
        merged.update(args)
        return run_module(name, merged, check_mode=check_mode, diff=diff)

    return run
