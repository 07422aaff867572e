# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's payload, as ansible-core builds it, runs in a fresh Python: the path a user's run takes.

The other tests run their modules in the tests' warm module server (tests/module_server.py), whose processes have
ansible-core and the third-party libraries already imported from the test virtualenv. This test runs the real
``ansible-playbook``, with no module server and no shared payload cache, and calls every module of the collection with
no arguments. Each one must get as far as its argument check ("missing required arguments"): by then it has imported
everything its payload must carry, so a module_utils that ansible-core's dependency scan leaves out of the payload
fails here with an ImportError. A module of a second, test-only collection, which imports a module_utils in a way the
scan cannot see, proves that such a payload is caught.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml

from playbook_runner import ansible_env

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BROKEN = "sso_test.payload.hidden_import"
# imports its module_utils by a computed name: ansible-core's scan reads import statements, so the payload lacks it
BROKEN_MODULE = '''#!/usr/bin/python
import importlib

from ansible.module_utils.basic import AnsibleModule

importlib.import_module("ansible_collections.sso_test.payload.plugins.module_utils." + "_hidden")


def main():
    AnsibleModule(argument_spec=dict(name=dict(type="str", required=True))).exit_json(changed=False)


if __name__ == "__main__":
    main()
'''


def collection_modules():
    return sorted("sso.authentik_minio." + name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                  if name.endswith(".py") and name != "__init__.py")


def broken_collection(tmp_path):
    """A second collection on the path, whose one module's payload misses a module_utils."""
    base = tmp_path / "collections" / "ansible_collections" / "sso_test" / "payload"
    (base / "plugins" / "modules").mkdir(parents=True)
    (base / "plugins" / "module_utils").mkdir()
    (base / "galaxy.yml").write_text("namespace: sso_test\nname: payload\nversion: 1.0.0\nreadme: README.md\nauthors: [test]\n")
    (base / "plugins" / "modules" / "hidden_import.py").write_text(BROKEN_MODULE)
    (base / "plugins" / "module_utils" / "_hidden.py").write_text("VALUE = 1\n")
    return str(tmp_path / "collections")


def run_every_module(tmp_path, modules):
    """name -> the result of that module called with no arguments, run by the real ansible-playbook."""
    results = str(tmp_path / "results.json")
    tasks = [{"name": name, name: {}, "register": "result_%d" % index, "ignore_errors": True}
             for index, name in enumerate(modules)]
    tasks.append({"name": "Keep the results", "ansible.builtin.copy": {
        "dest": results, "content": "{{ %s | to_json }}" % ("[" + ", ".join("result_%d" % i for i in range(len(modules))) + "]")}})
    playbook = tmp_path / "every_module.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    env = ansible_env({"SSO_TEST_MODULE_SERVER": "", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp")})
    env["ANSIBLE_COLLECTIONS_PATH"] += os.pathsep + broken_collection(tmp_path)
    playbook_bin = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    proc = subprocess.run([playbook_bin, "-i", "localhost,", "-c", "local", str(playbook)], env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    with open(results, encoding="utf-8") as handle:
        return dict(zip(modules, json.load(handle)))


def import_failure(result):
    """What went wrong before the module's argument check, or None if it got there."""
    if result.get("msg", "").startswith("missing required arguments: "):
        return None
    return " | ".join(str(result.get(key)) for key in ("msg", "module_stderr", "exception") if result.get(key))[-1500:] or repr(result)


def test_every_module_payload_runs_in_a_fresh_python(tmp_path):
    modules = collection_modules()
    assert len(modules) >= 14
    results = run_every_module(tmp_path, modules + [BROKEN])
    failures = dict((name, import_failure(results[name])) for name in modules if import_failure(results[name]))
    assert not failures, failures
    # the payload that misses a module_utils is caught, by its ImportError
    assert "No module named 'ansible_collections.sso_test.payload.plugins.module_utils" in (
        import_failure(results[BROKEN]) or ""), results[BROKEN]
