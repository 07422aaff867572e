# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pieces of the reliability suite: secrets, the role's inventory, generated playbooks, direct API reads.

``start_double`` comes from tests/conftest.py; ``run_playbook`` from tests/playbook_runner.py.
"""

from __future__ import annotations

import json
import os
import threading
import time

import requests

from playbook_runner import run_playbook

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)

# Every secret of the suite is long and distinctive, so a search of the output cannot miss one or hit by chance.
AUTHENTIK_TOKEN = "rel-authentik-token-Q7w2Xk9pL4mN8vB3"
ROOT_USER = "rel-minio-root"
ROOT_PASSWORD = "rel-minio-secret-key-H5t8Zc1rV6yJ0dF2"
CLIENT_SECRET = "rel-client-secret-W3e6Ru9iO2pA5sD8fG1hJ4kL7zX0cV3b"


def inventory(authentik, minio, **extra):
    """The role's six required variables (console URL a name MinIO does not serve), plus ``extra``."""
    variables = dict(
        minio_sso_authentik_url=authentik.url,
        minio_sso_authentik_token=AUTHENTIK_TOKEN,
        minio_sso_minio_url=minio.url,
        minio_sso_minio_access_key=ROOT_USER,
        minio_sso_minio_secret_key=ROOT_PASSWORD,
        minio_sso_console_url=minio.url.replace("127.0.0.1", "localhost"),
        minio_sso_restart_timeout=30,
    )
    variables.update(extra)
    return variables


def write_playbook(path, tasks, play_vars=None, module_defaults=None):
    """A one-play playbook on localhost (JSON is YAML) -> its path."""
    play = {"name": "Reliability", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    if play_vars:
        play["vars"] = play_vars
    if module_defaults:
        play["module_defaults"] = module_defaults
    with open(str(path), "w") as handle:
        json.dump([play], handle, indent=1)
    return str(path)


def role_task(**role_vars):
    task = {"name": "Run the role", "ansible.builtin.include_role": {"name": "sso.authentik_minio.minio_sso"}}
    if role_vars:
        task["vars"] = role_vars
    return task


def role_playbook(tmp_path, name="role.yml"):
    return write_playbook(tmp_path / name, [role_task()])


class AuthentikApi:
    """Direct reads (and test set-up writes) on the authentik double, outside the module under test."""

    def __init__(self, double):
        self.api = double.url + "/api/v3/"
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + AUTHENTIK_TOKEN
        if double.url.startswith("https://"):
            self.session.verify = False

    def get(self, path, **params):
        response = self.session.get(self.api + path, params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def all(self, path, **params):
        return self.get(path, page_size=100, **params)["results"]

    def post(self, path, payload):
        response = self.session.post(self.api + path, json=payload, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()

    def role_objects(self):
        """Names of the objects the role makes, as lists (a duplicate shows as a repeated name)."""
        return dict(
            scope_mappings=sorted(m["name"] for m in self.all("propertymappings/provider/scope/") if m["name"] == "MinIO policy (minio)"),
            providers=sorted(p["name"] for p in self.all("providers/oauth2/")),
            applications=sorted(a["slug"] for a in self.all("core/applications/", superuser_full_list="true")),
        )


ONE_SET = dict(scope_mappings=["MinIO policy (minio)"], providers=["MinIO (minio)"], applications=["minio"])


def writes(*doubles_):
    return ["%s %s -> %s" % (r["method"], r["path"], r["status"]) for d in doubles_ for r in d.writes()]


def run_side_by_side(runs):
    """Run every run's playbook (``run["path"]``) at once, one thread each; sets ``run["result"]`` and ``run["seconds"]``."""
    def play(run):
        begin = time.monotonic()
        run["result"] = run_playbook(run["path"], check=False)
        run["seconds"] = time.monotonic() - begin

    threads = [threading.Thread(target=play, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
