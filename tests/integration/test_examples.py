# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's EXAMPLES block runs, as written, against freshly started doubles.

The examples are the tasks of one play; the connection comes from the environment (AUTHENTIK_URL and
AUTHENTIK_TOKEN for authentik_* modules; MINIO_URL, MINIO_ACCESS_KEY and MINIO_SECRET_KEY for minio_*
modules, which also get an authentik double with the provider and application ``minio`` their examples
point MinIO at). Examples must therefore be self-contained and run in order against a fresh install.
Traffic is kept on this machine: HTTP(S) proxies point at a closed local port for anything but 127.0.0.1.
"""

from __future__ import annotations

import ast
import os

import pytest
import requests
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODULES_DIR = os.path.join(ROOT, "plugins", "modules")
AUTHENTIK_TOKEN = "examples-token-0123456789abcdef"
MINIO_USER = "examples-root"
MINIO_PASSWORD = "examples-root-password-0123"
CLOSED_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, so a stray request fails at once


def module_names():
    return sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.endswith(".py") and not name.startswith("_"))


def examples_of(module):
    """The EXAMPLES string of a module, read without importing it."""
    with open(os.path.join(MODULES_DIR, module + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "EXAMPLES" for target in node.targets):
            return ast.literal_eval(node.value)
    return None


def play_text(module, examples):
    body = "\n".join(("    " + line) if line.strip() else "" for line in examples.splitlines())
    return "---\n- name: EXAMPLES of %s\n  hosts: localhost\n  gather_facts: false\n  tasks:\n%s\n" % (module, body)


def seed_minio_application(authentik):
    """The OAuth2 provider and application ``minio`` that the MinIO examples' config_url names."""
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + AUTHENTIK_TOKEN
    session.trust_env = False
    api = authentik.url + "/api/v3"

    def first(path, **params):
        response = session.get(api + path, params=params, timeout=10)
        response.raise_for_status()
        return response.json()["results"][0]["pk"]

    provider = session.post(api + "/providers/oauth2/", timeout=10, json={
        "name": "MinIO",
        "authorization_flow": first("/flows/instances/", slug="default-provider-authorization-implicit-consent"),
        "invalidation_flow": first("/flows/instances/", slug="default-provider-invalidation-flow"),
        "client_id": "minio",
        "redirect_uris": [{"matching_mode": "strict", "url": "http://127.0.0.1:9001/oauth_callback"}],
        "signing_key": first("/crypto/certificatekeypairs/", name="authentik Self-signed Certificate"),
    })
    assert provider.status_code == 201, provider.text
    app = session.post(api + "/core/applications/", timeout=10,
                       json={"name": "MinIO", "slug": "minio", "provider": provider.json()["pk"]})
    assert app.status_code == 201, app.text


def test_every_module_has_examples():
    assert module_names(), "no modules found"
    for module in module_names():
        examples = examples_of(module)
        assert examples and isinstance(yaml.safe_load(examples), list), "%s has no EXAMPLES list of tasks" % module


@pytest.mark.parametrize("module", module_names())
def test_examples_run(module, start_double, playbook, tmp_path):
    examples = examples_of(module)
    tasks = yaml.safe_load(examples)
    path = tmp_path / ("examples_%s.yml" % module)
    path.write_text(play_text(module, examples), encoding="utf-8")

    authentik = start_double("authentik", "--token", AUTHENTIK_TOKEN)
    env = {
        "AUTHENTIK_URL": authentik.url,
        "AUTHENTIK_TOKEN": AUTHENTIK_TOKEN,
        "HTTP_PROXY": CLOSED_PROXY, "HTTPS_PROXY": CLOSED_PROXY, "http_proxy": CLOSED_PROXY, "https_proxy": CLOSED_PROXY,
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
    }
    if module.startswith("minio_"):
        minio = start_double("minio", "--root-user", MINIO_USER, "--root-password", MINIO_PASSWORD, "--restart-outage", "0.2")
        seed_minio_application(authentik)
        env.update(MINIO_URL=minio.url, MINIO_ACCESS_KEY=MINIO_USER, MINIO_SECRET_KEY=MINIO_PASSWORD)

    run = playbook(str(path), env=env)
    recap = run.recap()
    assert recap.get("failed") == 0, run.output[-5000:]
    assert recap.get("ok", 0) >= len(tasks) - recap.get("skipped", 0), "not every example task ran:\n" + run.output[-5000:]
    assert AUTHENTIK_TOKEN not in run.output and MINIO_PASSWORD not in run.output
