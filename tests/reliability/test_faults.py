# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults injected through the doubles' controls: reads retried, writes never repeated blindly, restarts waited
out, an IdP that is gone when MinIO restarts named, and two concurrent role runs that converge.

The role-level "MinIO unreachable after the authentik objects were made" case lives in test_secrets_and_check_mode.py,
whose role runs it shares.
"""

from __future__ import annotations

import json
import re
import threading
import time

from harness import wait_until  # tests/doubles, put on sys.path by tests/conftest.py
from reliability_support import (
    AUTHENTIK_TOKEN,
    ONE_SET,
    ROOT_PASSWORD,
    ROOT_USER,
    AuthentikApi,
    inventory,
    role_playbook,
    run_playbook,
    write_playbook,
)

FLOW = "default-provider-authorization-implicit-consent"
SCOPE_PATH = "/api/v3/propertymappings/provider/scope/"
# How long MinIO stays away after the restart: longer than the module's down grace (5 s, after which a 200 is trusted
# even if the server was never seen down) and its read retries, so the wait is the module waiting the outage out.
LONG_OUTAGE = 8


def save_results(tasks, out, names):
    tasks.append({"name": "Save the results", "ansible.builtin.copy": {
        "content": "{{ %s | to_json }}" % ("{" + ", ".join("'%s': %s" % (n, n) for n in names) + "}"), "dest": str(out)}})
    return tasks


def statuses(double, method, path_start):
    return [r["status"] for r in double.requests() if r["method"] == method and r["path"].startswith(path_start)]


def test_authentik_reads_retried_writes_checked_before_repeating(start_double, tmp_path):
    authentik = start_double("authentik", "--token", AUTHENTIK_TOKEN)
    authentik.fault(method="GET", path="^" + SCOPE_PATH, count=2, status=503)  # the lookup: 503 twice, then served
    authentik.fault(method="PATCH", path="^" + SCOPE_PATH, drop=True, after=True)  # applied, answer lost
    authentik.fault(method="POST", path="^/api/v3/core/groups/", drop=True, after=True)  # created, answer lost
    authentik.fault(method="POST", path="^/api/v3/core/groups/", status=503)  # not created: refused once
    mapping = dict(name="Reliability mapping", scope_name="rel", expression="return {}")
    tasks = [
        {"name": "Lookup answered 503 twice", "sso.authentik_minio.authentik_scope_mapping": mapping, "register": "lookup"},
        {"name": "PATCH whose connection drops", "sso.authentik_minio.authentik_scope_mapping": dict(mapping, description="after"),
         "register": "patch_dropped", "ignore_errors": True},
        {"name": "Rerun", "sso.authentik_minio.authentik_scope_mapping": dict(mapping, description="after"), "register": "rerun"},
        {"name": "Once more", "sso.authentik_minio.authentik_scope_mapping": dict(mapping, description="after"), "register": "again"},
        {"name": "Create whose answer is lost", "sso.authentik_minio.authentik_group": {"name": "Lost answer"}, "register": "lost"},
        {"name": "Create refused with 503 once", "sso.authentik_minio.authentik_group": {"name": "Refused once"}, "register": "refused"},
    ]
    out = tmp_path / "results.json"
    path = write_playbook(tmp_path / "authentik_faults.yml", save_results(tasks, out, ["lookup", "patch_dropped", "rerun", "again", "lost", "refused"]),
                          module_defaults={"group/sso.authentik_minio.authentik": {"url": authentik.url, "token": AUTHENTIK_TOKEN}})
    run = run_playbook(path)
    results = json.loads(out.read_text())

    assert results["lookup"]["changed"] and not results["lookup"].get("failed")
    assert statuses(authentik, "GET", SCOPE_PATH)[:3] == [503, 503, 200]

    msg = results["patch_dropped"]["msg"]
    assert results["patch_dropped"]["failed"]
    assert "could not reach authentik at %s (PATCH " % authentik.url in msg and "may or may not have been applied" in msg, msg
    assert statuses(authentik, "PATCH", SCOPE_PATH) == [200, "dropped"]  # served, then the answer dropped: no second PATCH
    assert not results["rerun"].get("failed") and results["again"]["changed"] is False
    api = AuthentikApi(authentik)
    found = [m for m in api.all(SCOPE_PATH[len("/api/v3/"):]) if m["name"] == "Reliability mapping"]
    assert len(found) == 1 and found[0]["description"] == "after"

    # Lost answer: the module looked, found its object and went on, without a second POST.
    assert results["lost"]["changed"] and not results["lost"].get("failed")
    # Refused with 503: the module looked, found nothing, and created it with one more POST.
    assert results["refused"]["changed"] and not results["refused"].get("failed")
    assert statuses(authentik, "POST", "/api/v3/core/groups/") == [201, "dropped", 503, 201]
    groups = [g["name"] for g in api.all("core/groups/")]
    assert groups.count("Lost answer") == 1 and groups.count("Refused once") == 1
    assert AUTHENTIK_TOKEN not in run.output


def oidc_application(authentik):
    """A provider and application made directly in the authentik double -> the discovery URL MinIO fetches."""
    api = AuthentikApi(authentik)
    provider = api.post("providers/oauth2/", {
        "name": "MinIO", "client_id": "minio", "client_secret": "fault-test-secret-" + "x" * 30,
        "authorization_flow": api.get("flows/instances/%s/" % FLOW)["pk"],
        "invalidation_flow": api.get("flows/instances/default-provider-invalidation-flow/")["pk"],
        "redirect_uris": [{"matching_mode": "strict", "url": "http://localhost:9001/oauth_callback"}],
        "signing_key": api.all("crypto/certificatekeypairs/", name="authentik Self-signed Certificate")[0]["pk"],
    })
    api.post("core/applications/", {"name": "MinIO", "slug": "minio", "provider": provider["pk"]})
    return authentik.url + "/application/o/minio/.well-known/openid-configuration"


def openid_playbook(tmp_path, name, minio, config_url, display_name, restart_timeout):
    task = {"name": "Configure identity_openid", "sso.authentik_minio.minio_identity_openid": dict(
        url=minio.url, access_key=ROOT_USER, secret_key=ROOT_PASSWORD, config_url=config_url, client_id="minio",
        client_secret="fault-test-secret-" + "x" * 30, display_name=display_name, restart_timeout=restart_timeout),
        "register": "openid", "ignore_errors": True}
    out = tmp_path / (name + ".json")
    return write_playbook(tmp_path / (name + ".yml"), save_results([task], out, ["openid"])), out


def test_minio_restart_outage_waited_out_and_iam_offline_named(start_double, tmp_path):
    authentik = start_double("authentik", "--token", AUTHENTIK_TOKEN)
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD,
                         "--restart-outage", str(LONG_OUTAGE))
    config_url = oidc_application(authentik)

    # The export read is answered 503 twice (retried), then MinIO stays away LONG_OUTAGE seconds after the restart.
    minio.fault(method="GET", path="^/minio/admin/v3/config", count=2, status=503)
    path, out = openid_playbook(tmp_path, "outage", minio, config_url, "authentik", 60)
    run_playbook(path)
    result = json.loads(out.read_text())["openid"]
    assert not result.get("failed"), result["msg"]
    assert result["restarted"] and result["waited"] >= LONG_OUTAGE - 1, result
    assert "MinIO restarted and /minio/health/cluster answered 200 after" in result["msg"], result["msg"]
    assert statuses(minio, "GET", "/minio/admin/v3/config")[:3] == [503, 503, 200]

    # IdP unreachable when MinIO restarts: authentik stops right after MinIO validated the new setting (its JWKS
    # fetch), so the set call succeeds and the boot after the restart cannot load OpenID (IAM offline).
    minio._control("POST", "/_double/minio/outage", {"seconds": 1})  # pylint: disable=protected-access
    jwks_fetches = len(statuses(authentik, "GET", "/application/o/minio/jwks/"))

    def stop_authentik_after_validation():
        wait_until(lambda: len(statuses(authentik, "GET", "/application/o/minio/jwks/")) > jwks_fetches, 60, 0.05, "MinIO's JWKS fetch")
        # The log entry is written just before the answer leaves; MinIO boots again only after the set call, the
        # restart call and a 1 s outage, so stopping 0.3 s later lets the answer out and still precedes the boot.
        time.sleep(0.3)
        authentik.stop()

    stopper = threading.Thread(target=stop_authentik_after_validation, daemon=True)
    stopper.start()
    path, out = openid_playbook(tmp_path, "iam_offline", minio, config_url, "authentik SSO", 6)
    run_playbook(path)
    stopper.join(10)
    result = json.loads(out.read_text())["openid"]
    assert result["failed"] and result["restarted"], result
    msg = result["msg"]
    assert "iam-offline" in msg and "cannot reach config_url %s" % config_url in msg and minio.url in msg, msg


def test_two_role_runs_at_once_converge_to_one_set(doubles, tmp_path):
    authentik, minio = doubles()
    # Hold each create for a moment, so that both runs look before either creates: one create loses the race.
    # The first create is held longest: it must cover the start-up skew of the two ansible-playbook processes.
    for endpoint, delay in (("propertymappings/provider/scope/", 5), ("providers/oauth2/", 3), ("core/applications/", 3)):
        authentik.fault(method="POST", path="^/api/v3/%s$" % endpoint, delay=delay, count=2)
    playbook = role_playbook(tmp_path)
    # with the full login proof: each run must log in with its own temporary user
    variables = inventory(authentik, minio, minio_sso_verify_login="always")
    results = [None, None]

    def run(index):
        results[index] = run_playbook(playbook, variables, check=False)

    threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    assert all(r is not None for r in results), "a role run did not finish within %.0f s" % (time.monotonic() - start)
    # The secret is never read back, so the run whose provider create lost the race has none to give MinIO: it keeps
    # the winner's secret in authentik and, if it reaches MinIO before the winner has configured it, stops there with
    # MinIO's refusal and the way out. Nothing is half-written: a later run converges.
    lost = [r for r in results if r.rc != 0]
    assert len(lost) <= 1, [r.output[-3000:] for r in lost]
    for result in lost:
        assert "creating it needs client_secret" in result.output and "run the role again" in result.output, \
            result.output[-5000:]
        results.remove(result)
        results.append(run_playbook(playbook, variables, check=False))
    for result in results:
        assert result.rc == 0, result.output[-5000:]
    assert AuthentikApi(authentik).role_objects() == ONE_SET
    creates = [r["status"] for r in authentik.requests() if r["method"] == "POST" and r["path"].startswith(
        ("/api/v3/propertymappings/", "/api/v3/providers/", "/api/v3/core/applications/"))]
    assert 400 in creates, creates  # at least one create lost the race and the run went on with the winner's object
    logins = [line for result in results for line in result.output.splitlines() if '"msg": "MinIO granted' in line]
    accounts = {re.search(r"to (minio-sso-login-check-\w+) ", line).group(1) for line in logins}
    assert len(logins) == 2 and len(accounts) == 2, logins
    assert all("MinIO granted policy readonly" in line for line in logins), logins
    users = [u["username"] for u in AuthentikApi(authentik).all("core/users/") if u["username"].startswith("minio-sso")]
    assert users == [], users  # each run removed its own account, and only its own
