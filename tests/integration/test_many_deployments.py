# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Three MinIO deployments on one authentik, from the example inventory playbooks/inventory/many_deployments.yml.

One authentik double, three MinIO doubles, the collection's playbook with forks=3. Then, one step at a time:
tearing down one deployment leaves the other two field by field as they were and their logins working; a group two
deployments share on purpose survives the first teardown and goes with the second; rotating one deployment's client
secret leaves another's login working and the old secret refused. On one deployment: a run killed inside its login
check leaves nothing behind once its deployment is removed; objects it does not own stop the run before any write.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
import requests
import yaml
from minio import Minio, MinioAdmin
from minio.credentials import StaticProvider

from harness import wait_until
from playbook_runner import ansible_env, messages, playbook_command, recaps, run_playbook

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "playbooks", "inventory", "many_deployments.yml")
TOKEN = "many-deployments-token-0123456789"
ROOT_USER = "many-root"
ROOT_PASSWORD = "many-root-password-0123456789"
SHARED_GROUP = "Storage admins"
SLUGS = ("minio-prod", "minio-staging", "minio-tenant")
KILL_DELAY = 60  # the probe read that the killed run waits on; the kill comes long before


class Authentik:
    def __init__(self, double):
        self.url = double.url
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + TOKEN

    def all(self, path, **params):
        params.setdefault("page_size", 1000)
        response = self.session.get(self.url + "/api/v3/" + path, params=params, timeout=10)
        response.raise_for_status()
        return response.json()["results"]

    def deployment(self, slug):
        """Every authentik object of one deployment, whole, as authentik returns it."""
        app = [a for a in self.all("core/applications/", superuser_full_list="true") if a["slug"] == slug]
        return dict(
            application=app,
            provider=self.all("providers/oauth2/", name="MinIO (%s)" % slug),
            scope_mapping=self.all("propertymappings/provider/scope/", name="MinIO policy (%s)" % slug),
            bindings=self.all("policies/bindings/", target=app[0]["pk"]) if app else [],
            manifest=self.all("core/groups/", name="sso.authentik_minio/" + slug),
        )

    def group(self, name):
        found = self.all("core/groups/", name=name)
        return found[0] if found else None

    def accounts(self):
        return sorted(u["username"] for u in self.all("core/users/") if u["username"].startswith("minio-sso-login-check"))


@pytest.fixture
def world(start_double, tmp_path):
    authentik = start_double("authentik", "--token", TOKEN, "--api-version", "2025.12")
    minios = {slug: start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD,
                                 "--data-dir", str(tmp_path / slug), "--restart-outage", "0.3") for slug in SLUGS}
    with open(EXAMPLE, encoding="utf-8") as handle:
        inventory = yaml.safe_load(handle)
    group = inventory["all"]["children"]["minio_deployments"]
    group["vars"].update(minio_sso_authentik_url=authentik.url, minio_sso_authentik_token=TOKEN,
                         ansible_python_interpreter=sys.executable)
    for slug, host in group["hosts"].items():
        host.update(minio_sso_minio_url=minios[slug].url, minio_sso_minio_access_key=ROOT_USER,
                    minio_sso_minio_secret_key=ROOT_PASSWORD,
                    minio_sso_console_url=minios[slug].url.replace("127.0.0.1", "localhost"))
    path = tmp_path / "inventory.yml"
    path.write_text(yaml.safe_dump(inventory))
    return authentik, minios, str(path)


PLAY = ("sso.authentik_minio.minio_sso", ("-e", "minio_sso_target=minio_deployments", "--forks", "3"))


def command(inventory, *args):
    return playbook_command(PLAY[0], args=PLAY[1] + args, inventory=inventory)


def run(inventory, *args, expect_rc=0):
    result = run_playbook(PLAY[0], args=PLAY[1] + args, inventory=inventory, check=False)
    assert result.rc == expect_rc, result.output[-6000:]
    assert TOKEN not in result.output and ROOT_PASSWORD not in result.output
    return result.stdout


def logins(stdout):
    """Host -> the login check's result line."""
    return {host: line for host in recaps(stdout) for line in messages(stdout, host) if line.startswith("MinIO granted")}


def test_three_deployments_on_one_authentik(world):
    authentik_double, minios, inventory = world
    authentik = Authentik(authentik_double)

    first = run(inventory)
    assert sorted(logins(first)) == sorted(SLUGS), first[-4000:]
    assert "MinIO granted policy consoleAdmin" in logins(first)["minio-prod"]
    assert "MinIO granted policy readwrite" in logins(first)["minio-staging"]
    assert "MinIO granted policy readwrite" in logins(first)["minio-tenant"]
    second = run(inventory)
    assert all(counts["changed"] == 0 for counts in recaps(second).values()), second[-4000:]
    shared = authentik.group(SHARED_GROUP)
    assert shared["attributes"]["sso.authentik_minio"] == {"deployments": ["minio-prod", "minio-tenant"], "created": True}
    for slug in SLUGS:
        assert "[sso.authentik_minio: %s]" % slug in authentik.deployment(slug)["scope_mapping"][0]["description"]

    # one run: the teardown of deployment 2 and the rotation of deployment 1's secret (per-host variables). The
    # teardown leaves the others' objects as they were field by field (deployment 1's but for the client secret its
    # rotation set); authentik takes the new secret and refuses the old one
    before = dict((slug, authentik.deployment(slug)) for slug in ("minio-prod", "minio-tenant"))
    shared_before = authentik.group(SHARED_GROUP)
    old_secret = before["minio-prod"]["provider"][0]["client_secret"]
    both = run(with_host_vars(inventory, {"minio-staging": {"minio_sso_state": "absent"},
                                          "minio-prod": {"minio_sso_rotate_client_secret": True}}),
               "--limit", "minio-staging,minio-prod")
    assert authentik.deployment("minio-staging") == dict(application=[], provider=[], scope_mapping=[], bindings=[],
                                                         manifest=[])
    assert authentik.group("Staging testers") is None
    provider = authentik.deployment("minio-prod")["provider"][0]
    new_secret = provider["client_secret"]
    assert authentik.deployment("minio-tenant") == before["minio-tenant"]
    prod = authentik.deployment("minio-prod")
    assert dict(prod, provider=None) == dict(before["minio-prod"], provider=None)
    old_provider = before["minio-prod"]["provider"][0]
    changed_fields = sorted(key for key in set(provider) | set(old_provider) if provider.get(key) != old_provider.get(key))
    assert changed_fields == ["client_secret"], dict((key, (old_provider.get(key), provider.get(key))) for key in changed_fields)
    assert authentik.group(SHARED_GROUP) == shared_before
    assert "authentik accepts the client secret this run set (a provider holds one secret: the old one is refused)" in both
    assert recaps(both)["minio-prod"]["changed"] == 2, both[-4000:]  # the provider and MinIO's identity_openid
    assert "MinIO granted policy consoleAdmin" in logins(both)["minio-prod"]  # the run changed it, so it logged in
    assert new_secret != old_secret and new_secret not in both and old_secret not in both
    # the old secret is refused (authentik checks the client before the code)
    answers = [requests.post(authentik.url + "/application/o/token/", timeout=10, data=dict(
        grant_type="authorization_code", code="never-issued", redirect_uri="https://minio.test/oauth_callback",
        client_id=provider["client_id"], client_secret=secret)).json().get("error") for secret in (new_secret, old_secret)]
    assert answers == ["invalid_grant", "invalid_client"]
    # MinIO holds the new secret too: minio_identity_openid compares the stored secret, and finds nothing to change
    # (the login with it was the rotation run's own; the other deployment's login comes after the next teardown)
    after_rotation = run(inventory, "--limit", "minio-prod")
    assert recaps(after_rotation)["minio-prod"]["changed"] == 0, after_rotation[-4000:]
    assert "MinIO's identity_openid target agrees with" in after_rotation, after_rotation[-4000:]

    # teardown of deployment 1: the shared group stays for deployment 3, which still logs in (after the teardowns of
    # 2 and 1 and the rotation of 1)
    run(inventory, "--limit", "minio-prod", "-e", "minio_sso_state=absent")
    assert authentik.deployment("minio-prod")["provider"] == []
    assert authentik.group(SHARED_GROUP)["attributes"]["sso.authentik_minio"]["deployments"] == ["minio-tenant"]
    assert "MinIO granted policy readwrite" in logins(run(inventory, "--limit", "minio-tenant", "-e", "minio_sso_verify_login=always"))["minio-tenant"]

    # teardown of deployment 3 (a run killed inside its login check, and the teardown that sweeps what it left, is a
    # test of its own on one deployment)
    run(inventory, "--limit", "minio-tenant", "-e", "minio_sso_state=absent")
    assert authentik.accounts() == []
    assert authentik.deployment("minio-tenant") == dict(application=[], provider=[], scope_mapping=[], bindings=[],
                                                        manifest=[])
    assert authentik.group(SHARED_GROUP) is None  # it went with the last deployment that used it


def with_host_vars(inventory, host_vars):
    """A copy of an inventory file with variables added to some hosts (extra vars would hold for every host)."""
    with open(inventory, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for group in data["all"]["children"].values():
        for host, variables in group["hosts"].items():
            variables.update(host_vars.get(host, {}))
    path = os.path.join(os.path.dirname(inventory), "inventory-%s.yml" % "-".join(sorted(host_vars)))
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle)
    return path


def one_deployment(start_double, tmp_path, hosts=None):
    """One authentik and one MinIO double, and an inventory of one deployment (or of ``hosts``: name -> variables)."""
    authentik = start_double("authentik", "--token", TOKEN, "--api-version", "2025.12")
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD,
                         "--data-dir", str(tmp_path / "minio"), "--restart-outage", "0.3")
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"children": {"minio_deployments": {
        "vars": dict(ansible_connection="local", ansible_python_interpreter=sys.executable,
                     minio_sso_authentik_url=authentik.url, minio_sso_authentik_token=TOKEN,
                     minio_sso_minio_url=minio.url, minio_sso_minio_access_key=ROOT_USER,
                     minio_sso_minio_secret_key=ROOT_PASSWORD,
                     minio_sso_console_url=minio.url.replace("127.0.0.1", "localhost")),
        "hosts": hosts or {"minio-one": {}}}}}}))
    return authentik, minio, str(inventory)


def made_by_hand(authentik):
    """What version 1.0.0 (or a person) made: the old default names, and no ownership mark."""
    api = Authentik(authentik)

    def post(path, body):
        response = api.session.post(authentik.url + "/api/v3/" + path, json=body, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()

    flow = api.all("flows/instances/", slug="default-provider-authorization-implicit-consent")[0]["pk"]
    invalidation = api.all("flows/instances/", slug="default-provider-invalidation-flow")[0]["pk"]
    key = api.all("crypto/certificatekeypairs/", name="authentik Self-signed Certificate")[0]["pk"]
    mapping = post("propertymappings/provider/scope/", {"name": "MinIO policy", "scope_name": "minio",
                                                        "expression": 'return {"policy": "readonly"}'})
    provider = post("providers/oauth2/", {"name": "MinIO", "authorization_flow": flow, "invalidation_flow": invalidation,
                                          "signing_key": key, "property_mappings": [mapping["pk"]],
                                          "redirect_uris": [{"matching_mode": "strict", "url": "https://x/oauth_callback"}]})
    post("core/applications/", {"name": "MinIO", "slug": "minio", "provider": provider["pk"]})


def test_unmarked_objects_stop_the_run_before_any_write_until_adopted(start_double, tmp_path):
    authentik, minio, inventory = one_deployment(start_double, tmp_path)
    api = Authentik(authentik)
    made_by_hand(authentik)
    old_names = ["-e", '{"minio_sso_provider_name": "MinIO", "minio_sso_scope_mapping_name": "MinIO policy"}']
    before = dict(provider=api.all("providers/oauth2/", name="MinIO"),
                  mapping=api.all("propertymappings/provider/scope/", name="MinIO policy"))
    authentik.clear_requests()
    minio.clear_requests()
    refused = run(inventory, *old_names, expect_rc=2)
    assert authentik.writes() == [] and minio.writes() == []
    for what in ("scope mapping 'MinIO policy'", "OAuth2 provider 'MinIO'", "application 'minio'"):
        assert "%s exists and does not carry the ownership mark of deployment 'minio'" % what in refused, refused[-3000:]
    assert dict(provider=api.all("providers/oauth2/", name="MinIO"),
                mapping=api.all("propertymappings/provider/scope/", name="MinIO policy")) == before

    # (authentik's own openid mapping is never taken over, not even with adopt: the first attempt of the neighbours test)

    adopted = run(inventory, *(old_names[:-1] + [old_names[-1][:-1] + ', "minio_sso_adopt": true}']))
    assert "MinIO granted policy readonly" in logins(adopted)["minio-one"]
    assert api.all("core/groups/", name="sso.authentik_minio/minio")  # the manifest now lists the adopted objects
    assert "[sso.authentik_minio: minio]" in api.all("propertymappings/provider/scope/", name="MinIO policy")[0]["description"]
    again = run(inventory, *old_names)
    assert recaps(again)["minio-one"]["changed"] == 0, again[-3000:]


def test_a_named_target_a_renamed_provider_a_planned_rotation_and_a_killed_login_check(start_double, tmp_path):
    """One deployment, one step at a time: configured on a named openid target without a login proof (the default
    target stays empty; the token endpoint takes the secret the run set); its provider renamed in place (same object,
    same secret; the run proves the login, through the named target); a rotation planned in check mode
    (said, nothing written); a run killed inside its login check; the removal, which removes the named target alone
    and sweeps what the killed run left."""
    authentik, minio, inventory = one_deployment(start_double, tmp_path)
    api = Authentik(authentik)
    admin = MinioAdmin(endpoint=minio.url.split("//", 1)[1], credentials=StaticProvider(ROOT_USER, ROOT_PASSWORD),
                       secure=False)
    named = ["-e", "minio_sso_openid_name=minio-one"]
    # without a login proof, the token endpoint is asked whether it takes the secret the run set
    first = run(inventory, *named, "-e", "minio_sso_verify_login=never")
    assert "authentik accepts the client secret this run set" in first and not logins(first), first[-3000:]
    config = admin.config_get("identity_openid")
    assert "identity_openid:minio-one " in config and "/application/o/minio/" in config
    assert not re.search(r"^identity_openid config_url=\S+", config, re.M)  # the default target stays empty

    before = api.all("providers/oauth2/", name="MinIO (minio)")[0]
    named += ["-e", "{\"minio_sso_provider_name\": \"MinIO storage\"}"]
    renamed = run(inventory, *named)
    assert recaps(renamed)["minio-one"]["changed"] == 1, renamed[-3000:]  # the provider's name alone
    # the run changed something, so the login is proven: through the named target
    assert "MinIO granted policy readonly" in logins(renamed)["minio-one"], renamed[-3000:]
    providers = api.all("providers/oauth2/")
    assert [p["name"] for p in providers] == ["MinIO storage"]  # none left behind holding a live secret
    after = providers[0]
    assert after["pk"] == before["pk"] and after["client_secret"] == before["client_secret"]
    assert dict(after, name=before["name"]) == before  # nothing else changed

    secret = after["client_secret"]
    authentik.clear_requests()
    minio.clear_requests()
    planned = run(inventory, *named, "--check", "--diff", "-e", "minio_sso_rotate_client_secret=true")
    assert "The client secret would rotate" in planned
    assert authentik.writes() == [] and minio.writes() == []
    assert secret not in planned
    assert api.all("providers/oauth2/", name="MinIO storage")[0]["client_secret"] == secret

    # a run killed inside its login check (the probe's read is held)
    minio.clear_requests()
    minio.fault(method="GET", path=r"^/minio-sso-login-check-\w+/minio-sso-login-check-\w+-read\.txt", delay=KILL_DELAY)
    proc = subprocess.Popen(command(inventory, *named, "-e", "minio_sso_verify_login=always"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=ansible_env(), start_new_session=True)
    try:
        wait_until(lambda: any(r["method"] == "PUT" and r["path"].endswith("-read.txt") for r in minio.requests()),
                   timeout=120, what="the killed run's probe object")
        time.sleep(1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    minio.clear_faults()
    s3 = Minio(minio.url.split("//", 1)[1], access_key=ROOT_USER, secret_key=ROOT_PASSWORD, secure=False)
    leftovers = [b.name for b in s3.list_buckets() if b.name.startswith("minio-sso-login-check-")]
    assert len(leftovers) == 1 and api.accounts() == leftovers  # the killed run's account and bucket

    run(inventory, *named, "-e", "minio_sso_state=absent")
    assert "/application/o/minio/" not in admin.config_get("identity_openid")  # the named target, removed alone
    assert api.all("providers/oauth2/") == []
    assert api.accounts() == []
    assert [b.name for b in s3.list_buckets() if b.name.startswith("minio-sso-login-check-")] == []
    assert api.deployment("minio") == dict(application=[], provider=[], scope_mapping=[], bindings=[], manifest=[])


def test_a_neighbours_objects_are_never_taken_over(start_double, tmp_path):
    """Each takeover attempt stops before any write on either server, and the neighbour's object stays as it was.

    The attempts are the hosts of one run, each with its own variables: each is refused with its own words, and the
    servers saw no write at all."""
    attempts = {
        "attempt-managed": ({"minio_sso_scope_mapping_name": "authentik default OAuth Mapping: OpenID 'openid'",
                             "minio_sso_adopt": True}, "is managed by authentik itself"),
        "attempt-provider": ({"minio_sso_provider_name": "Grafana"}, "OAuth2 provider 'Grafana' serves application 'grafana'"),
        "attempt-provider-adopt": ({"minio_sso_provider_name": "Grafana", "minio_sso_adopt": True},
                                   "OAuth2 provider 'Grafana' serves application 'grafana'"),
        "attempt-application": ({"minio_sso_application_slug": "grafana"},
                                "application 'grafana' exists and does not carry the ownership mark"),
        "attempt-account": ({"minio_sso_verify_account": "backup-robot"}, "user 'backup-robot' exists already"),
    }
    authentik, minio, inventory = one_deployment(start_double, tmp_path,
                                                 hosts={host: variables for host, (variables, _words) in attempts.items()})
    api = Authentik(authentik)
    flow = api.all("flows/instances/", slug="default-provider-authorization-implicit-consent")[0]["pk"]
    invalidation = api.all("flows/instances/", slug="default-provider-invalidation-flow")[0]["pk"]
    grafana = api.session.post(authentik.url + "/api/v3/providers/oauth2/", timeout=10, json={
        "name": "Grafana", "authorization_flow": flow, "invalidation_flow": invalidation,
        "redirect_uris": [{"matching_mode": "strict", "url": "https://grafana.example/login/generic_oauth"}]}).json()
    api.session.post(authentik.url + "/api/v3/core/applications/", timeout=10,
                     json={"name": "Grafana", "slug": "grafana", "provider": grafana["pk"]}).raise_for_status()
    account = api.session.post(authentik.url + "/api/v3/core/users/service_account/", timeout=10,
                               json={"name": "backup-robot", "create_group": False}).json()

    def neighbours():
        return dict(provider=api.all("providers/oauth2/", name="Grafana"),
                    application=[a for a in api.all("core/applications/", superuser_full_list="true") if a["slug"] == "grafana"],
                    openid=api.all("propertymappings/provider/scope/", managed="goauthentik.io/providers/oauth2/scope-openid"),
                    account=api.all("core/users/", username="backup-robot"))

    before = neighbours()
    authentik.clear_requests()
    minio.clear_requests()
    refused = run(inventory, "--forks", str(len(attempts)), expect_rc=2)
    for host, (variables, words) in attempts.items():
        assert recaps(refused)[host]["failed"] == 1, (host, refused[-6000:])
        failures = re.findall(r"^fatal: \[%s\]: FAILED! => (.*)$" % re.escape(host), refused, re.M)
        assert len(failures) == 1 and words in failures[0], (host, variables, failures, refused[-6000:])
    assert authentik.writes() == [] and minio.writes() == [], authentik.writes() + minio.writes()  # no attempt wrote
    assert neighbours() == before
    assert account["username"] == "backup-robot" and neighbours()["account"]
