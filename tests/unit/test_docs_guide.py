# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The user guide keeps up with the collection: every role variable and module is covered, and antsibull-docs finds
every extra document (the lint and the site build check markup and links; this checks completeness)."""

from __future__ import annotations

import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCSITE = os.path.join(ROOT, "docs", "docsite")


def _read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as handle:
        return handle.read()


def test_guide_names_every_role_variable():
    options = yaml.safe_load(_read("roles", "minio_sso", "meta", "argument_specs.yml"))["argument_specs"]["main"]["options"]
    guide = _read("docs", "docsite", "rst", "guide.rst")
    missing = sorted(name for name in options if "``%s" % name not in guide)
    assert not missing, "docs/docsite/rst/guide.rst does not mention the role variables %s" % missing


def test_guide_links_every_module():
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                     if name.endswith(".py") and not name.startswith("_"))
    guide = _read("docs", "docsite", "rst", "guide.rst")
    missing = [name for name in modules if ":ansplugin:`sso.authentik_minio.%s#module`" % name not in guide]
    assert not missing, "docs/docsite/rst/guide.rst does not link the modules %s" % missing


def test_guide_covers_the_troubleshooting_topics_of_issue_10():
    guide = _read("docs", "docsite", "rst", "guide.rst")
    section = guide.split(".. _ansible_collections.sso.authentik_minio.docsite.troubleshooting:", 1)[1]
    for topic in ("HS256", "get-config-kv", "iam-offline", "grant_types", "2024.8.5", "2024.10.3", "matching_mode"):
        assert topic in section, topic


def test_every_extra_doc_is_listed_and_labelled():
    listed = [entry for section in yaml.safe_load(_read("docs", "docsite", "extra-docs.yml"))["sections"]
              for entry in section["toctree"]]
    files = sorted(name[:-4] for name in os.listdir(os.path.join(DOCSITE, "rst")) if name.endswith(".rst"))
    assert sorted(listed) == files
    for name in files:
        first = _read("docs", "docsite", "rst", name + ".rst").splitlines()[0]
        assert first == ".. _ansible_collections.sso.authentik_minio.docsite.%s:" % name, first


def test_example_inventory_in_the_guide_sets_every_required_variable():
    guide = _read("docs", "docsite", "rst", "guide.rst")
    block = guide.split("# inventory.yml", 1)[1].split("\nRun it,", 1)[0]
    inventory = yaml.safe_load("\n".join(line[3:] for line in block.splitlines()[1:]))
    options = yaml.safe_load(_read("roles", "minio_sso", "meta", "argument_specs.yml"))["argument_specs"]["main"]["options"]
    variables = inventory["all"]["vars"]
    assert {name for name, option in options.items() if option.get("required")} <= set(variables)
    assert set(variables) <= set(options), sorted(set(variables) - set(options))
    assert re.match(r"^https://", variables["minio_sso_console_url"])
