# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Measure the collection against the doubles' request logs: shared by tests/bench (short form) and
hacking/bench.py (the full table in docs/performance.md).

A *module run* is one module process fed its arguments on stdin, exactly what Ansible runs on the
target, without the playbook around it: request counts are the same, and the benchmark stays fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import requests

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
TESTS_DIR = os.path.dirname(BENCH_DIR)
ROOT = os.path.dirname(TESTS_DIR)
for _path in (TESTS_DIR, os.path.join(TESTS_DIR, "doubles")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from collection_tree import collection_tree  # noqa: E402  pylint: disable=wrong-import-position
from harness import READS, RunningDouble  # noqa: E402  pylint: disable=wrong-import-position

AUTHENTIK_TOKEN = "bench-token-0123456789abcdef"
ROOT_USER = "bench-root"
ROOT_PASSWORD = "bench-root-password-0123456789"
MODULE_TIMEOUT = 300
SEED_KINDS = ("group", "scope_mapping", "oauth2_provider", "application", "user")


def collections_path():
    """The working tree exposed as the collection (tests/collection_tree.py)."""
    return collection_tree()


class Stack:
    """Both doubles, started fresh; ``stop()`` ends them."""

    def __init__(self, tmp_dir, restart_outage=0.3):
        self.authentik = RunningDouble("authentik", ["--token", AUTHENTIK_TOKEN]).start()
        try:
            self.minio = RunningDouble("minio", ["--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD,
                                                 "--data-dir", os.path.join(tmp_dir, "minio"),
                                                 "--restart-outage", str(restart_outage)]).start()
        except Exception:
            self.authentik.stop()
            raise
        self.env = dict(os.environ, PYTHONPATH=collections_path())

    def stop(self):
        self.authentik.stop()
        self.minio.stop()

    def connection(self, double):
        if double == "minio":
            return {"url": self.minio.url, "access_key": ROOT_USER, "secret_key": ROOT_PASSWORD}
        return {"url": self.authentik.url, "token": AUTHENTIK_TOKEN}

    def clear(self):
        self.authentik.clear_requests()
        self.minio.clear_requests()

    def log(self):
        return self.authentik.requests() + self.minio.requests()

    def run_module(self, module, args, double="authentik"):
        """One module run -> (result, seconds, requests it made on both doubles)."""
        self.clear()
        payload = {"ANSIBLE_MODULE_ARGS": dict(self.connection(double), **args)}
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "ansible_collections.sso.authentik_minio.plugins.modules." + module],
                              input=json.dumps(payload), capture_output=True, text=True, env=self.env,
                              timeout=MODULE_TIMEOUT, check=False)
        elapsed = time.monotonic() - started
        try:
            result = json.loads(proc.stdout)
        except ValueError:
            raise RuntimeError("%s printed no result (rc=%d): %s" % (module, proc.returncode, proc.stderr[-2000:]))
        if result.get("failed"):
            raise RuntimeError("%s failed: %s" % (module, result.get("msg")))
        return result, elapsed, self.log()


def request_line(entry):
    return "%s %s" % (entry["method"], entry["path"])


def writes(log):
    return [entry for entry in log if entry["method"] not in READS]


# scenarios: create, no-op (same arguments again), update ------------------------------------------
REDIRECT = ["https://minio.example.com/oauth_callback"]
FLOW = "default-provider-authorization-implicit-consent"
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}]}


def scenarios(stack):
    """Each module: prerequisites, then create/no-op/update arguments, and the hand-written minimum per run.

    ``minimum``: what a careful client written by hand for this one job needs (version read included: every
    module must know the server's dialect before it builds a path or payload). ``extra``: why a run makes more.
    """
    config_url = stack.authentik.url + "/application/o/bench-minio/.well-known/openid-configuration"
    provider = dict(name="bench provider", client_id="bench-minio", client_secret="bench-client-secret-" + "x" * 30,
                    authorization_flow=FLOW, redirect_uris=REDIRECT, property_mappings=["bench mapping"])
    return [
        dict(module="authentik_group", create=dict(name="bench group", attributes={"a": 1}),
             update=dict(name="bench group", attributes={"a": 2}),
             minimum=dict(create=3, noop=2, update=3),
             why="version, lookup by name, then POST/PATCH"),
        dict(module="authentik_scope_mapping",
             create=dict(name="bench mapping", scope_name="bench", expression="return {}"),
             update=dict(name="bench mapping", scope_name="bench", expression="return {'a': 1}"),
             minimum=dict(create=3, noop=2, update=3),
             why="version, lookup by name, then POST/PATCH"),
        dict(module="authentik_oauth2_provider", create=provider,
             update=dict(provider, access_token_validity="minutes=10"),
             minimum=dict(create=8, noop=6, update=7),
             why="version, provider by name, authorization flow, signing key (default: the self-signed one), the named"
                 " mapping, authentik's 3 default mappings in one filtered list; create: the default invalidation flow"),
        dict(module="authentik_application", create=dict(slug="bench-minio", name="bench app", provider="bench provider"),
             update=dict(slug="bench-minio", name="bench app", provider="bench provider", meta_launch_url="https://m.example.com"),
             minimum=dict(create=4, noop=3, update=4),
             why="version, lookup by slug, provider by name, then POST/PATCH"),
        dict(module="authentik_policy_binding", pre=[("authentik_group", dict(name="bench group"))],
             create=dict(application="bench-minio", group="bench group", order=10),
             update=dict(application="bench-minio", group="bench group", order=20),
             minimum=dict(create=5, noop=4, update=5),
             why="version, application by slug, group by name, the application's bindings, then POST/PATCH"),
        dict(module="authentik_service_account", create=dict(name="bench-sa", groups=["bench group"]),
             update=dict(name="bench-sa", groups=["bench group", "bench group 2"]),
             pre_update=[("authentik_group", dict(name="bench group 2"))],
             minimum=dict(create=5, noop=4, update=6),
             why="version, user by username, each group, the app password (view_key); create: service_account"
                 " (answers with the password), add_user; update adds a second group"),
        dict(module="authentik_info", create=dict(kind="application", name="bench-minio"),
             update=None, minimum=dict(create=2, noop=2, update=0), why="version, one filtered list"),
        dict(module="minio_policy", double="minio", create=dict(name="bench-policy", policy=POLICY),
             update=dict(name="bench-policy", policy=dict(POLICY, Statement=[dict(POLICY["Statement"][0], Action=["s3:*"])])),
             minimum=dict(create=2, noop=1, update=2),
             why="policy info, then add-canned-policy",
             extra="create/update read the policy back: add-canned-policy answers with an empty body, and the"
                   " module returns what MinIO stored"),
        dict(module="minio_identity_openid", double="minio",
             # the OIDC application MinIO fetches config_url from (as the earlier scenarios leave it)
             pre=[("authentik_scope_mapping", dict(name="bench mapping", scope_name="bench", expression="return {'a': 1}")),
                  ("authentik_oauth2_provider", provider),
                  ("authentik_application", dict(slug="bench-minio", name="bench app", provider="bench provider"))],
             create=dict(config_url=config_url, client_id="bench-minio", client_secret="bench-client-secret-" + "x" * 30,
                         scopes=["openid", "profile", "email"], claim_name="policy", restart_timeout=60),
             update=dict(config_url=config_url, client_id="bench-minio", client_secret="bench-client-secret-" + "x" * 30,
                         scopes=["openid", "email"], claim_name="policy", restart_timeout=60),
             minimum=dict(create=5, noop=2, update=5),
             why="config export (what MinIO stores), get-config-kv (what it runs with: a change stored without a"
                 " restart shows only there), set-config-kv, restart, one health poll",
             extra="health polls while MinIO is away after the restart (0.3 s outage in the double, polled every 0.5 s"
                   " as madmin does); the GETs of discovery and JWKS on authentik are MinIO's own, on set and on boot"),
    ]


def measure_modules(stack, rounds=("create", "noop", "update")):
    """Rows: module, run kind, total requests, writes, the request lines, seconds."""
    rows = []
    for scenario in scenarios(stack):
        double = scenario.get("double", "authentik")
        for module, args in scenario.get("pre", []):
            stack.run_module(module, args)
        for kind in rounds:
            if kind == "update":
                if not scenario["update"]:
                    continue
                for module, args in scenario.get("pre_update", []):
                    stack.run_module(module, args)
            args = scenario["update"] if kind == "update" else scenario["create"]
            result, elapsed, log = stack.run_module(scenario["module"], args, double)
            rows.append(dict(module=scenario["module"], kind=kind, requests=len(log), writes=len(writes(log)),
                             lines=[request_line(e) for e in log], seconds=elapsed, changed=result.get("changed"),
                             minimum=scenario["minimum"][kind], why=scenario["why"]))
    return rows


# seeding: many objects of each kind, through the REST API on one keep-alive session ----------------
def seed(authentik_url, count, kinds=SEED_KINDS, prefix="seeded"):
    """``count`` objects of each kind, created as a user would (POST), on one connection; returns seconds."""
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + AUTHENTIK_TOKEN
    api = authentik_url + "/api/v3/"
    started = time.monotonic()

    def get(path, **params):
        response = session.get(api + path, params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def post(path, body):
        response = session.post(api + path, json=body, timeout=30)
        if response.status_code != 201:
            raise RuntimeError("seeding %s: HTTP %d %s" % (path, response.status_code, response.text[:300]))
        return response.json()

    flow = get("flows/instances/%s/" % FLOW)["pk"]
    invalidation = get("flows/instances/default-provider-invalidation-flow/")["pk"]
    for i in range(count):
        name = "%s-%04d" % (prefix, i)
        if "group" in kinds:
            post("core/groups/", {"name": name})
        if "scope_mapping" in kinds:
            post("propertymappings/provider/scope/", {"name": name, "scope_name": name, "expression": "return {}"})
        if "oauth2_provider" in kinds:
            provider = post("providers/oauth2/", {"name": name, "authorization_flow": flow, "invalidation_flow": invalidation,
                                                  "client_id": name, "redirect_uris": []})
        if "application" in kinds:
            post("core/applications/", {"name": name, "slug": name,
                                        "provider": provider["pk"] if "oauth2_provider" in kinds else None})
        if "user" in kinds:
            post("core/users/", {"username": name, "name": name})
    session.close()
    return time.monotonic() - started


def seed_fast(authentik_url, count, kinds=SEED_KINDS, prefix="seeded"):
    """The same objects through the double's test-only ``POST /_double/seed`` (in-process creates); seconds."""
    started = time.monotonic()
    for kind in kinds:
        response = requests.post(authentik_url + "/_double/seed", json={"kind": kind, "count": count, "prefix": prefix},
                                 timeout=600)
        if response.status_code != 201:
            raise RuntimeError("seeding %s: HTTP %d %s" % (kind, response.status_code, response.text[:300]))
    return time.monotonic() - started


KIND_PATHS = dict(group="core/groups/", user="core/users/", scope_mapping="propertymappings/provider/scope/",
                  oauth2_provider="providers/oauth2/", application="core/applications/?superuser_full_list=true")


def object_counts(authentik_url):
    """How many objects of each seeded kind authentik holds (one page of one object each: the count only)."""
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + AUTHENTIK_TOKEN
    counts = {}
    for kind, path in KIND_PATHS.items():
        response = session.get(authentik_url + "/api/v3/" + path, params={"page_size": 1}, timeout=60)
        response.raise_for_status()
        counts[kind] = response.json()["pagination"]["count"]
    session.close()
    return counts


def noop_lookups(stack):
    """Request count and seconds of each no-op run, after measure_modules left every object in place."""
    found = {}
    for scenario in scenarios(stack):
        double = scenario.get("double", "authentik")
        args = scenario["update"] or scenario["create"]  # the state the measured runs left behind
        dummy, elapsed, log = stack.run_module(scenario["module"], args, double)
        found[scenario["module"]] = dict(requests=len(log), writes=len(writes(log)), seconds=elapsed,
                                         lines=[request_line(e) for e in log])
    return found
