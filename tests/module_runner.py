# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one of the collection's modules inside the test process, as Ansible hands it its arguments.

The module's ``main()`` reads the arguments a task would pass (check mode and diff mode included), and its JSON
result is read from its standard output, exactly what ansible-playbook would receive. A run costs milliseconds; a
module task of ansible-playbook costs about 0.5 s of CPU (the payload built, a fork, a new interpreter that imports
and compiles the payload again; see docs/performance.md). So the tests of a module's own logic (lifecycles, bad
input, failure reasons, the login check's causes) run here, and ansible-playbook runs what only Ansible shows: the
role, the EXAMPLES blocks, the output at each verbosity.

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
    out, err = io.StringIO(), io.StringIO()
    try:
        with patch_module_args(params), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            module.main()
    except SystemExit:
        pass
    except Exception:  # pylint: disable=broad-exception-caught
        return {"failed": True, "msg": "MODULE FAILURE", "crash": traceback.format_exc(), "module_stderr": err.getvalue()}
    text = out.getvalue()
    try:
        result = json.loads(text)
    except ValueError:
        return {"failed": True, "msg": "MODULE FAILURE", "crash": "no JSON result on stdout: %r" % text[-2000:],
                "module_stderr": err.getvalue()}
    result.setdefault("changed", False)
    # What the module wrote to its standard error (a library's warning, say) is kept, so that a search for secrets
    # sees it as it sees the output of ansible-playbook.
    if err.getvalue():
        result["module_stderr"] = err.getvalue()
    # A module hands each warning over with its details; the task registers the message alone.
    if result.get("warnings"):
        result["warnings"] = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    return result


def module_runner(defaults):
    """``module_defaults`` for in-process runs: -> ``run(module_name, check_mode=False, diff=False, **args)``.

    ``defaults`` maps a module name prefix (``"authentik_"``, ``"minio_"``) to the connection arguments the modules
    of that group get unless the call gives its own.
    """
    # module_name is positional only and named as no module's option is: many modules have a ``name`` option
    def run(module_name, /, check_mode=False, diff=False, **args):
        merged = {}
        for prefix, values in defaults.items():
            if module_name.startswith(prefix):
                merged.update(values)
        merged.update(args)
        return run_module(module_name, merged, check_mode=check_mode, diff=diff)

    return run


class Play:
    """Module runs as the tasks of one play with ``module_defaults``: ``play(module_name, check_mode, diff, **args)``.

    A task that fails stops a play: ``play(...)`` asserts that it did not. ``play.failing(...)`` is a task with
    ``ignore_errors`` whose failure is the point: it asserts that it failed. ``play.no_log(...)`` is a task whose
    result the play would not show (``no_log: true``). Every result is kept, so that a test can check the whole run:
    no secret in what it shows, no warning.
    """

    def __init__(self, defaults):
        self._run = module_runner(defaults)
        self.tasks = []  # (module name, result, shown)

    def _task(self, module_name, check_mode, diff, args, shown=True):
        result = self._run(module_name, check_mode=check_mode, diff=diff, **args)
        self.tasks.append((module_name, result, shown))
        return result

    def __call__(self, module_name, /, check_mode=False, diff=False, **args):
        result = self._task(module_name, check_mode, diff, args)
        assert not result.get("failed"), (module_name, result)
        return result

    def no_log(self, module_name, /, check_mode=False, diff=False, **args):
        result = self._task(module_name, check_mode, diff, args, shown=False)
        assert not result.get("failed"), (module_name, "a no_log task failed: its result is not shown")
        return result

    def failing(self, module_name, /, check_mode=False, diff=False, **args):
        result = self._task(module_name, check_mode, diff, args)
        assert result.get("failed") is True, (module_name, result)
        return result

    def assert_not_shown(self, *secrets):
        """None of ``secrets`` is in the result of a task the play shows (every task but ``no_log`` ones)."""
        self._assert_absent(secrets, [task for task in self.tasks if task[2]])

    def assert_not_returned(self, *secrets):
        """None of ``secrets`` is in any result, ``no_log`` tasks' included."""
        self._assert_absent(secrets, self.tasks)

    @staticmethod
    def _assert_absent(secrets, tasks):
        for number, (name, result, dummy) in enumerate(tasks):
            text = json.dumps(result)
            for index, secret in enumerate(secrets):
                assert secret not in text, "secret #%d is in the result of task #%d (%s)" % (index, number, name)

    def assert_no_warnings(self):
        """No task warned or announced a deprecation (what a play would print as [WARNING])."""
        for name, result, dummy in self.tasks:
            assert not result.get("warnings") and not result.get("deprecations"), (name, result.get("warnings"),
                                                                                   result.get("deprecations"))
