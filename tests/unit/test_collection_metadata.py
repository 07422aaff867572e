# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's metadata agrees with its contents: action groups, versions, dependencies."""

from __future__ import annotations

import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GROUPS = {"authentik": "authentik_", "minio": "minio_"}


def _load(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _modules():
    folder = os.path.join(ROOT, "plugins", "modules")
    if not os.path.isdir(folder):
        return []
    return sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py") and name != "__init__.py")


def test_every_module_is_in_its_action_group_and_documents_it():
    groups = _load("meta/runtime.yml")["action_groups"]
    for group, prefix in GROUPS.items():
        members = sorted(groups.get(group) or [])
        expected = [m for m in _modules() if m.startswith(prefix)]
        assert members == expected, "action group %s lists %s, modules are %s" % (group, members, expected)
        for module in expected:
            with open(os.path.join(ROOT, "plugins", "modules", module + ".py"), encoding="utf-8") as handle:
                source = handle.read()
            fragment = "sso.authentik_minio.attributes.%s_GROUP" % group.upper()
            assert fragment in source, "%s does not use the %s doc fragment" % (module, fragment)


def test_every_module_belongs_to_a_group():
    for module in _modules():
        assert any(module.startswith(prefix) for prefix in GROUPS.values()), module


def test_requires_ansible_and_galaxy_metadata():
    assert _load("meta/runtime.yml")["requires_ansible"] == ">=2.16.0"
    galaxy = _load("galaxy.yml")
    assert (galaxy["namespace"], galaxy["name"]) == ("sso", "authentik_minio")
    assert galaxy["license"] == ["GPL-3.0-or-later"]
    assert re.match(r"^\d+\.\d+\.\d+$", galaxy["version"])
    assert "tests/output" in galaxy["build_ignore"]


def test_runtime_requirements_are_declared_once_and_used_by_the_ee_and_the_tests():
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as handle:
        runtime = [line.split(">=")[0].strip() for line in handle if line.strip() and not line.startswith("#")]
    assert runtime == ["requests", "jmespath", "minio"]
    assert _load("meta/execution-environment.yml")["dependencies"]["python"] == "requirements.txt"
    with open(os.path.join(ROOT, "requirements-test.txt"), encoding="utf-8") as handle:
        assert "-r requirements.txt" in handle.read()
