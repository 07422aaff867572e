# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The minio_sso role end to end against both doubles.

Per authentik dialect: a first run configures everything and proves a login, a second run reports changed=0 and
writes nothing, a run with the full login proof writes nothing but the login check's own temporary objects, and
state=absent leaves nothing behind. The dialects are the hosts of one inventory, each with its own pair of doubles,
so one ansible-playbook run serves them all (a role run's start and its modules' payloads are paid once, and the
hosts run side by side). The group mapping test logs in as members of each group, and of none, and checks what
MinIO grants.
"""

from __future__ import annotations

import json
import os
import re
import sys

import pytest
import requests
import yaml
from minio import Minio, MinioAdmin
from minio.credentials import StaticProvider

from dialects import AUTHENTIK_DIALECTS  # tests/, put on sys.path by tests/conftest.py

HERE = os.path.dirname(os.path.abspath(__file__))
ROLE_PLAYBOOK = os.path.join(HERE, "playbooks", "role_minio_sso.yml")
LOGIN_PLAYBOOK = os.path.join(HERE, "playbooks", "role_login_as.yml")
AUTHENTIK_TOKEN = "role-test-token-0123456789"
ROOT_USER = "role-root"
ROOT_PASSWORD = "role-root-password-0123456789"
SECRETS = (AUTHENTIK_TOKEN, ROOT_PASSWORD)
CUSTOM_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::my-bucket/*"]}],
}
# What a run with the full login proof writes besides the configuration: the temporary user (created, given its
# password, added to its group, removed), its login through the flow executor, the code exchange, the manifest entry,
# and MinIO's STS call and probe objects.
LOGIN_CHECK_WRITES = re.compile(
    r"^(POST /api/v3/core/users/|POST /api/v3/core/users/\d+/set_password/|DELETE /api/v3/core/users/\d+/"
    r"|POST /api/v3/core/groups/[^/]+/add_user/|POST /api/v3/flows/executor/[^/]+/|POST /application/o/token/)$"
)
# The login check's account and probe bucket are named anew for each run: minio-sso-login-check-<8 characters>.
CHECK_NAME = r"minio-sso-login-check-[a-z0-9]{8}"
# Every dialect gets the first run (configure + the full login proof), the second (nothing written) and the removal.
# state=verify repeats the first run's proof on the same API calls, so the oldest and the newest dialect are enough
# for it (each host's role run costs seconds of CPU); the proof on demand runs on 2025.12.
PROOF_ON_DEMAND_DIALECTS = (AUTHENTIK_DIALECTS[0], AUTHENTIK_DIALECTS[-1])


@pytest.fixture
def doubles(start_double, tmp_path):
    def _start(version, data_dir="minio"):
        authentik = start_double("authentik", "--token", AUTHENTIK_TOKEN, "--api-version", version)
        minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD,
                             "--data-dir", str(tmp_path / data_dir), "--restart-outage", "0.3")
        return authentik, minio

    return _start


def inventory(authentik, minio, **extra):
    """The smallest inventory: the six variables the role needs (the console URL a name MinIO does not serve)."""
    variables = dict(
        minio_sso_authentik_url=authentik.url,
        minio_sso_authentik_token=AUTHENTIK_TOKEN,
        minio_sso_minio_url=minio.url,
        minio_sso_minio_access_key=ROOT_USER,
        minio_sso_minio_secret_key=ROOT_PASSWORD,
        minio_sso_console_url=minio.url.replace("127.0.0.1", "localhost"),
    )
    variables.update(extra)
    return variables


def assert_no_secret(result):
    for secret in SECRETS:
        assert secret not in result.output


def authentik_objects(authentik, version, path, **params):
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + AUTHENTIK_TOKEN
    response = session.get(authentik.url + "/api/v3/" + path, params=params, timeout=10)
    response.raise_for_status()
    return response.json()["results"]


def check_accounts(authentik, version):
    """Usernames of login check accounts in authentik (each run's own, minio-sso-login-check-<suffix>)."""
    users = authentik_objects(authentik, version, "core/users/", page_size=1000)
    return [u["username"] for u in users if u["username"].startswith("minio-sso-login-check")]


def member_token_request(authentik, version, group):
    """A service account in ``group`` -> a function that asks the provider for a token as that account."""
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + AUTHENTIK_TOKEN
    created = session.post(authentik.url + "/api/v3/core/users/service_account/", timeout=10,
                           json={"name": "role-test-member-of-" + group.replace(" ", "-"), "create_group": False}).json()
    group_pk = authentik_objects(authentik, version, "core/groups/", name=group)[0]["pk"]
    session.post(authentik.url + "/api/v3/core/groups/%s/add_user/" % group_pk, json={"pk": created["user_pk"]},
                 timeout=10).raise_for_status()
    client_id = authentik_objects(authentik, version, "providers/oauth2/", name="MinIO (minio)")[0]["client_id"]
    return lambda: requests.post(authentik.url + "/application/o/token/", timeout=10, data={
        "grant_type": "client_credentials", "client_id": client_id, "username": created["username"],
        "password": created["token"], "scope": "openid"})


def scope_mapping_path(version):
    """Scope mappings moved under provider/ in 2024.8."""
    line = tuple(int(part) for part in version.split(".")[:2])
    return "propertymappings/scope/" if line < (2024, 8) else "propertymappings/provider/scope/"


def minio_admin(minio):
    return MinioAdmin(endpoint=minio.url.split("//", 1)[1], credentials=StaticProvider(ROOT_USER, ROOT_PASSWORD), secure=False)


def identity_openid(minio):
    return minio_admin(minio).config_get("identity_openid")


def login_line(output):
    lines = [line for line in output.splitlines() if '"msg": "MinIO granted' in line]
    assert len(lines) == 1, output[-5000:]
    return lines[0]


@pytest.fixture
def dialect_world(doubles, tmp_path):
    """One inventory host per authentik dialect, each with its own pair of doubles: one ansible-playbook run configures
    (or checks, or removes) them all side by side. Host name -> (version, authentik, minio)."""
    return {"authentik-" + version: (version,) + doubles(version, "minio-" + version) for version in AUTHENTIK_DIALECTS}


def run_hosts(playbook, world, path, limit=None, extra_vars=None, args=(), host_vars=None):
    """Run the role on the world's hosts (all, or those in ``limit``); ``host_vars`` adds variables to some hosts.

    The inventory file is written anew for each run, so a host's extra variables hold for that run only."""
    hosts = {}
    for host, (_version, authentik, minio) in world.items():
        hosts[host] = inventory(authentik, minio, **(host_vars or {}).get(host, {}))
    path.write_text(yaml.safe_dump({"all": {"vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
                                            "hosts": hosts}}))
    limit_args = ("--limit", ",".join(limit)) if limit else ()
    return playbook(ROLE_PLAYBOOK, extra_vars, args=tuple(args) + limit_args, inventory=str(path))


def host_login_line(result, host):
    lines = [m for m in result.messages(host) if m.startswith("MinIO granted")]
    assert len(lines) == 1, (host, result.stdout[-5000:])
    return lines[0]


def test_role_configures_verifies_is_idempotent_and_removes_on_every_dialect(dialect_world, playbook, tmp_path):
    """Every dialect: the first run configures and proves a login, the second writes nothing, removal leaves nothing.
    On 2025.12 between them: --check --diff is the plan (a moved console shows the redirect URI before and after on
    both sides, the client secret only as a hidden marker, nothing written) and -e passes booleans as strings (its
    second run). The proof on demand (2025.12) and state=verify (the oldest and the newest dialect) share a run."""
    world = dialect_world
    inventory_file = tmp_path / "inventory.yml"

    first = run_hosts(playbook, world, inventory_file)
    assert_no_secret(first)
    check_users = {}
    for host in world:
        assert first.recap(host)["changed"] == 4, (host, first.stdout[-3000:])  # mapping, provider, application, identity_openid
        assert any("MinIO restarted" in message for message in first.messages(host)), host
        check = re.search(r"^MinIO granted policy readonly to (%s) \(group none\); S3 probe in bucket (%s): "
                          r"read allowed, write denied" % (CHECK_NAME, CHECK_NAME), host_login_line(first, host))
        assert check and check.group(1) == check.group(2), (host, host_login_line(first, host))  # bucket named after the account
        check_users[host] = check.group(1)

    # the second run (2025.12's is the run with booleans as strings below; its consistency check is the one of the
    # group mapping test's second run, on 2025.12 too)
    plan_host = "authentik-2025.12"
    second_hosts = [host for host in world if host != plan_host]
    for _version, authentik, minio in world.values():
        authentik.clear_requests()
        minio.clear_requests()
    second = run_hosts(playbook, world, inventory_file, limit=second_hosts)
    for host in second_hosts:
        _version, authentik, minio = world[host]
        assert second.recap(host)["changed"] == 0, (host, second.stdout[-5000:])
        messages = second.messages(host)
        assert any("identity_openid is up to date" in message for message in messages), (host, messages)
        # nothing changed, so the login proof is the read-only consistency check: not one write on either side
        assert not any(message.startswith("MinIO granted") for message in messages), (host, messages)
        assert any("MinIO's identity_openid target agrees with" in message for message in messages), (host, messages)
        assert authentik.writes() + minio.writes() == [], (host, authentik.writes() + minio.writes())
        assert "restart" not in json.dumps(minio.requests()), host

    # the plan on 2025.12
    _version, authentik, minio = world[plan_host]
    variables = inventory(authentik, minio)
    secret = authentik_objects(authentik, "2025.12", "providers/oauth2/", name="MinIO (minio)")[0]["client_secret"]
    old_redirect = variables["minio_sso_console_url"] + "/oauth_callback"
    plan = run_hosts(playbook, world, inventory_file, limit=[plan_host],
                     extra_vars={"minio_sso_console_url": "https://console.example.test"}, args=("--check", "--diff"))
    assert authentik.writes() == [] and minio.writes() == [], authentik.writes() + minio.writes()
    assert plan.stdout.count("https://console.example.test/oauth_callback") >= 2, plan.stdout[-6000:]  # both sides
    assert plan.stdout.count(old_redirect) >= 2, plan.stdout[-6000:]
    # MinIO's identity_openid, as a unified diff of its keys (the secret only ever as a marker)
    assert re.search(r'^-\s+"redirect_uri": "%s",?$' % re.escape(old_redirect), plan.stdout, re.M), plan.stdout[-6000:]
    assert re.search(r'^\+\s+"redirect_uri": "https://console.example.test/oauth_callback",?$', plan.stdout, re.M)
    assert secret not in plan.output

    # booleans as the command line passes them (strings); false/no must not read as true
    strings = ("-e", "minio_sso_verify=true", "-e", "minio_sso_verify_login=false", "-e", "minio_sso_adopt=no",
               "-e", "minio_sso_rotate_client_secret=false", "-e", "minio_sso_authentik_validate_certs=yes",
               "-e", "minio_sso_minio_validate_certs=true", "-e", "minio_sso_verify_expect_write=false")
    quiet = run_hosts(playbook, world, inventory_file, limit=[plan_host], args=strings)
    assert quiet.recap(plan_host)["changed"] == 0 and "The client secret rotates" not in quiet.stdout
    assert '"MinIO granted' not in quiet.stdout and "identity_openid target agrees with" not in quiet.stdout  # never
    assert any("identity_openid is up to date" in message for message in quiet.messages(plan_host)), quiet.stdout[-3000:]
    assert authentik.writes() + minio.writes() == [], authentik.writes() + minio.writes()
    assert "restart" not in json.dumps(minio.requests())

    # the full proof on demand (-e minio_sso_verify_login=true, a string) on 2025.12, and minio_sso_state=verify (the
    # same proof, nothing configured) on the oldest and the newest dialect, in one run: each writes only the login
    # check's temporary objects, lists its user in the manifest before it exists and forgets it after, and draws a
    # user of its own
    verify_hosts = ["authentik-" + version for version in PROOF_ON_DEMAND_DIALECTS]
    for host in verify_hosts + [plan_host]:
        world[host][1].clear_requests()
    proven = run_hosts(playbook, world, inventory_file, limit=[plan_host] + verify_hosts,
                       args=strings[:2] + ("-e", "minio_sso_verify_login=true") + strings[4:],
                       host_vars={host: {"minio_sso_state": "verify"} for host in verify_hosts})
    for host in verify_hosts + [plan_host]:
        version, authentik, _minio = world[host]
        assert proven.recap(host)["changed"] == 0, (host, proven.stdout[-3000:])
        line = host_login_line(proven, host)
        assert re.search(r"^MinIO granted policy readonly to %s \(group none\); S3 probe in bucket %s: read allowed, "
                         r"write denied" % (CHECK_NAME, CHECK_NAME), line), (host, line)
        assert check_users[host] not in line, (host, line)  # each run has a user of its own
        writes = ["%s %s" % (r["method"], r["path"]) for r in authentik.writes()]
        manifest = authentik_objects(authentik, version, "core/groups/", name="sso.authentik_minio/minio")[0]
        manifest_write = "PATCH /api/v3/core/groups/%s/" % manifest["pk"]
        assert [w for w in writes if not LOGIN_CHECK_WRITES.match(w) and w != manifest_write] == [], (host, writes)
        assert any(w.startswith("POST /api/v3/flows/executor/") for w in writes), host  # the check really logged in
        assert writes.count(manifest_write) == 2, (host, writes)  # the user is listed, then forgotten
        assert re.search(CHECK_NAME, line).group(0) not in json.dumps(manifest), (host, manifest)

    for host, (version, authentik, minio) in world.items():
        config = identity_openid(minio)
        assert "client_id=" in config and "claim_name=policy" in config, host
        # an account that only looks like a login check's (not in the deployment's manifest) is not the role's to
        # remove: leftovers are found by the mark, never by the name's prefix alone
        lookalike = requests.post(authentik.url + "/api/v3/core/users/service_account/", timeout=10,
                                  headers={"Authorization": "Bearer " + AUTHENTIK_TOKEN},
                                  json={"name": "minio-sso-login-check-lookalike", "create_group": False})
        assert lookalike.status_code == 200, (host, lookalike.text)
        assert check_accounts(authentik, version) == ["minio-sso-login-check-lookalike"], host

    removed = run_hosts(playbook, world, inventory_file, extra_vars={"minio_sso_state": "absent"})
    assert_no_secret(removed)
    for host, (version, authentik, minio) in world.items():
        assert removed.recap(host)["changed"] >= 5, (host, removed.stdout[-3000:])
        assert authentik_objects(authentik, version, "providers/oauth2/", name="MinIO (minio)") == [], host
        assert authentik_objects(authentik, version, "core/applications/", slug="minio", superuser_full_list="true") == [], host
        mappings = authentik_objects(authentik, version, scope_mapping_path(version))
        assert [m["name"] for m in mappings if m["name"] == "MinIO policy (minio)"] == [], host
        assert authentik_objects(authentik, version, "core/groups/", name="sso.authentik_minio/minio") == [], host
        assert check_accounts(authentik, version) == ["minio-sso-login-check-lookalike"], host
        assert "config_url=https" not in identity_openid(minio) and "/application/o/minio/" not in identity_openid(minio), host
        s3 = Minio(endpoint=minio.url.split("//", 1)[1], access_key=ROOT_USER, secret_key=ROOT_PASSWORD, secure=False)
        assert [b.name for b in s3.list_buckets() if b.name.startswith("minio-sso-login-check")] == [], host

    # removal is idempotent too (one dialect is enough: the same modules' absent paths)
    again = run_hosts(playbook, world, inventory_file, limit=[plan_host], extra_vars={"minio_sso_state": "absent"})
    assert again.recap(plan_host)["changed"] == 0


def test_group_mapping_grants_each_group_its_policies_and_none_to_others(doubles, playbook, tmp_path):
    authentik, minio = doubles("2025.12")
    groups = [
        {"group": "Minio admins", "policies": ["consoleAdmin"]},
        {"group": "Minio users", "policies": ["readonly", "my-custom-policy"]},
    ]
    variables = inventory(
        authentik, minio,
        minio_sso_group_policies=groups,
        minio_sso_minio_policies=[{"name": "my-custom-policy", "policy": CUSTOM_POLICY}],
        minio_sso_access_groups=[],
    )
    first = playbook(ROLE_PLAYBOOK, variables)
    # the role's own check logs in as a member of the first group
    assert re.search(r"MinIO granted policy consoleAdmin to %s \(group Minio admins\); S3 probe in bucket %s: "
                     r"read allowed, write allowed" % (CHECK_NAME, CHECK_NAME), login_line(first.stdout))
    authentik.clear_requests()
    minio.clear_requests()
    second = playbook(ROLE_PLAYBOOK, variables)
    assert second.recap()["changed"] == 0, second.stdout[-5000:]
    # nothing changed, so the login proof is the read-only consistency check: not one write on either side
    assert "identity_openid is up to date" in second.stdout and "MinIO's identity_openid target agrees with" in second.stdout
    assert '"MinIO granted' not in second.stdout, second.stdout[-3000:]
    assert authentik.writes() + minio.writes() == [], authentik.writes() + minio.writes()
    assert "restart" not in json.dumps(minio.requests())

    result_file = tmp_path / "logins.json"
    cases = [
        {"name": "role-test-admin", "groups": ["Minio admins"]},
        {"name": "role-test-user", "groups": ["Minio users"]},
        {"name": "role-test-both", "groups": ["Minio admins", "Minio users"]},
        {"name": "role-test-outsider", "groups": []},
    ]
    playbook(LOGIN_PLAYBOOK, dict(variables, role_login_cases=cases, role_login_result_file=str(result_file)))
    logins = json.loads(result_file.read_text())
    assert logins["role-test-admin"]["policies"] == ["consoleAdmin"]
    assert logins["role-test-admin"]["can_write"] is True
    assert logins["role-test-user"]["policies"] == ["my-custom-policy", "readonly"]
    assert logins["role-test-user"]["can_read"] is True and logins["role-test-user"]["can_write"] is False
    assert logins["role-test-both"]["policies"] == ["consoleAdmin", "my-custom-policy", "readonly"]
    outsider = logins["role-test-outsider"]
    assert outsider["granted"] is False and outsider["policies"] == []
    assert "policy claim missing" in outsider["sts_error"]["message"]

    removed = playbook(ROLE_PLAYBOOK, dict(variables, minio_sso_state="absent"))
    assert_no_secret(removed)
    assert authentik_objects(authentik, "2025.12", "core/groups/", name="Minio admins") == []
    assert authentik_objects(authentik, "2025.12", "core/groups/", name="Minio users") == []
    assert "my-custom-policy" not in minio_admin(minio).policy_list()


def test_access_groups_and_a_verify_group_outside_the_mapping(doubles, playbook):
    """An access binding lets members in; a check account whose group maps no policy must be refused by MinIO."""
    authentik, minio = doubles("2024.10")
    # a group the mapping does not name (made elsewhere; the role refuses a mapping entry without policies)
    guests = requests.post(authentik.url + "/api/v3/core/groups/", json={"name": "Minio guests"}, timeout=10,
                           headers={"Authorization": "Bearer " + AUTHENTIK_TOKEN})
    guests.raise_for_status()
    guests = guests.json()
    variables = inventory(
        authentik, minio,
        minio_sso_group_policies=[{"group": "Minio writers", "policies": ["readwrite"]}],
        minio_sso_access_groups=["Minio writers", "Minio guests"],
        minio_sso_verify_group="Minio guests",
    )
    first = playbook(ROLE_PLAYBOOK, variables)
    assert re.search(r"MinIO granted no policy \(the ID token of %s has no policy claim" % CHECK_NAME, login_line(first.stdout))
    bindings = authentik_objects(authentik, "2024.10", "policies/bindings/")
    assert len(bindings) == 2

    # revocation: the access groups are the whole truth, so a member of a dropped group is refused afterwards, and
    # the binding of the group still listed stays
    guest_token = member_token_request(authentik, "2024.10", "Minio guests")
    assert guest_token().status_code == 200
    narrowed = playbook(ROLE_PLAYBOOK, dict(variables, minio_sso_access_groups=["Minio writers"],
                                            minio_sso_verify_group="Minio writers"))
    assert narrowed.recap()["changed"] == 1, narrowed.stdout[-3000:]  # the binding of Minio guests, removed
    assert [b["pk"] for b in authentik_objects(authentik, "2024.10", "policies/bindings/")] == \
        [b["pk"] for b in bindings if b["group"] != guests["pk"]]
    refused = guest_token()
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant", refused.text
    # an empty list lifts the restriction this deployment made, and the run says so
    opened = playbook(ROLE_PLAYBOOK, dict(variables, minio_sso_access_groups=[], minio_sso_verify_group="Minio writers"))
    assert "minio_sso_access_groups is empty: the bindings this deployment made are removed" in opened.stdout
    assert authentik_objects(authentik, "2024.10", "policies/bindings/") == []
    assert guest_token().status_code == 200

    # restricted again (the binding made anew), with a writer that must be granted readwrite and be able to write:
    # demanding the opposite fails the role after the binding, and the role still removes its temporary account
    wrong = playbook(ROLE_PLAYBOOK, dict(variables, minio_sso_access_groups=["Minio writers"],
                                         minio_sso_verify_group="Minio writers", minio_sso_verify_expect_write=False,
                                         minio_sso_verify_login="always"), check=False)
    assert wrong.rc != 0
    assert re.search(r"MinIO granted policy readwrite to %s \(group Minio writers\); S3 probe in bucket %s: "
                     r"read allowed, write allowed" % (CHECK_NAME, CHECK_NAME), login_line(wrong.stdout))
    assert "should grant readwrite (without write access)" in wrong.output
    assert wrong.recap()["changed"] == 1 and wrong.recap()["failed"] == 1  # the binding of Minio writers
    assert check_accounts(authentik, "2024.10") == []
    assert len(authentik_objects(authentik, "2024.10", "policies/bindings/")) == 1
    assert guest_token().status_code == 400

    # the removal takes the deployment's binding with it, and leaves the group made elsewhere
    playbook(ROLE_PLAYBOOK, dict(variables, minio_sso_state="absent"))
    assert authentik_objects(authentik, "2024.10", "policies/bindings/") == []
    assert authentik_objects(authentik, "2024.10", "core/groups/", name="Minio guests") != []


def test_a_failed_s3_probe_is_reported_with_its_reason(doubles, playbook):
    """A failed S3 probe ends the login check with its reason (minio_sts_login once crashed there, losing it)."""
    authentik, minio = doubles("2025.12")
    minio.fault(method="PUT", path=r"^/minio-sso-login-check-[a-z0-9]{8}$", status=403,
                body="<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>")
    failed = playbook(ROLE_PLAYBOOK, inventory(authentik, minio), check=False)
    assert failed.rc != 0
    # the double's fault answer is not S3's XML, so minio-py reports it as an invalid response: the reason all the same
    assert re.search(r"MinIO granted readonly, but the S3 probe in bucket %s failed: InvalidResponseError" % CHECK_NAME,
                     failed.output), failed.output[-3000:]
    assert "Module failed: 'msg'" not in failed.output and "Traceback" not in failed.output
    assert check_accounts(authentik, "2025.12") == []  # the account went in the always section all the same
