# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ownership on the authentik double (2025.12): authentik_deployment and authentik_group with owner.

The modules run in this process (tests/module_runner.py), as the tasks of a play with module_defaults would run
them; the steps that must not write are checked against their part of the double's request log.
"""

from __future__ import annotations

from module_runner import Play  # tests/, put on sys.path by tests/conftest.py

TOKEN = "ownership-token-0123456789abcdef"
DEPLOYMENT = "minio-own"
MARK_KEY = "sso.authentik_minio"
ACCOUNT = "minio-sso-login-check-x1y2z3w4"
GROUP = DEPLOYMENT + "-admins"
OBJECTS = {
    "scope_mapping": "MinIO policy (%s)" % DEPLOYMENT,
    "oauth2_provider": "MinIO (%s)" % DEPLOYMENT,
    "application": DEPLOYMENT,
    "groups": [GROUP],
    "bindings": [GROUP],
}
LOGIN_CHECK = {"account": ACCOUNT, "bucket": ACCOUNT}
READERS = dict(name=DEPLOYMENT + "-readers", owner=DEPLOYMENT)


def test_ownership_lifecycle(start_double):
    double = start_double("authentik", "--token", TOKEN, "--api-version", "2025.12")
    play = Play({"authentik_": dict(url=double.url, token=TOKEN, timeout=10)})

    # -- authentik_deployment ---------------------------------------------------------------------------------------
    # every object absent: nothing to refuse, nothing written
    mark = double.mark()
    all_absent = play("authentik_deployment", name=DEPLOYMENT, objects=OBJECTS)
    assert double.writes_since(mark) == []
    assert all_absent["changed"] is False
    assert all_absent["objects"] == {
        "scope_mapping": {"MinIO policy (minio-own)": "absent"},
        "oauth2_provider": {"MinIO (minio-own)": "absent"},
        "application": {DEPLOYMENT: "absent"},
        "groups": {GROUP: "absent"},
        "bindings": {GROUP: "absent"},
    }
    assert all_absent["manifest"] == "sso.authentik_minio/" + DEPLOYMENT and all_absent["login_checks"] == []

    # a group made by hand stops the run before any write, named in the message
    play("authentik_group", name=GROUP, attributes={"made_by": "hand"})
    mark = double.mark()
    unmarked = play.failing("authentik_deployment", name=DEPLOYMENT, objects=OBJECTS)
    assert double.writes_since(mark) == []
    assert "group '%s' exists and does not carry the ownership mark of deployment '%s'" % (GROUP, DEPLOYMENT) \
        in unmarked["msg"]
    assert "nothing was written" in unmarked["msg"] and "adopt" in unmarked["msg"]
    # adopt accepts it, and writes nothing either
    mark = double.mark()
    adopted = play("authentik_deployment", name=DEPLOYMENT, objects=OBJECTS, adopt=True)
    assert double.writes_since(mark) == []
    assert adopted["changed"] is False and adopted["objects"]["groups"] == {GROUP: "unmarked"}

    # login check: check mode predicts the record and writes nothing; the real run records it
    mark = double.mark()
    login_check_check = play("authentik_deployment", check_mode=True, name=DEPLOYMENT, login_check=LOGIN_CHECK)
    assert double.writes_since(mark) == []
    assert login_check_check["changed"] is True
    recorded = play("authentik_deployment", name=DEPLOYMENT, login_check=LOGIN_CHECK)
    assert recorded["changed"] is True
    assert {"account": ACCOUNT, "bucket": ACCOUNT} in recorded["login_checks"]
    manifest, = play("authentik_info", kind="group", name="sso.authentik_minio/" + DEPLOYMENT)["objects"]
    assert manifest["name"] == "sso.authentik_minio/" + DEPLOYMENT
    assert manifest["attributes"][MARK_KEY]["objects"]["user"] == [
        {"key": ACCOUNT, "pk": None, "login_check": True, "bucket": ACCOUNT}]

    # an account that exists already is never the login check's
    play("authentik_service_account", name="someone-elses-account")
    mark = double.mark()
    existing = play.failing("authentik_deployment", name=DEPLOYMENT,
                            login_check={"account": "someone-elses-account", "bucket": "someone-elses-account"})
    assert double.writes_since(mark) == []
    assert "login_check: user 'someone-elses-account' exists already" in existing["msg"]

    # forgotten once; the manifest then goes, once
    forgotten = play("authentik_deployment", name=DEPLOYMENT, login_check=LOGIN_CHECK, state="absent")
    forgotten_again = play("authentik_deployment", name=DEPLOYMENT, login_check=LOGIN_CHECK, state="absent")
    assert forgotten["changed"] is True
    assert forgotten["login_checks"] == []
    assert forgotten_again["changed"] is False
    manifest_absent = play("authentik_deployment", name=DEPLOYMENT, state="absent")
    assert manifest_absent["changed"] is True
    assert play("authentik_info", kind="group", name="sso.authentik_minio/" + DEPLOYMENT)["objects"] == []
    mark = double.mark()
    manifest_absent_again = play("authentik_deployment", name=DEPLOYMENT, state="absent")
    assert double.writes_since(mark) == []
    assert manifest_absent_again["changed"] is False

    # -- authentik_group with owner: created and marked, repeat and check mode write nothing, diff shows the mark ---
    mark_value = {"deployments": [DEPLOYMENT], "created": True}
    create = play("authentik_group", diff=True, attributes={"minio_policy": "readonly"}, **READERS)
    assert create["changed"] is True
    assert create["group"]["attributes"] == {"minio_policy": "readonly", MARK_KEY: mark_value}
    assert create["diff"]["before"] == {"state": "absent"}
    assert create["diff"]["after"]["attributes"] == {"minio_policy": "readonly", MARK_KEY: mark_value}
    mark = double.mark()
    repeat = play("authentik_group", attributes={"minio_policy": "readonly"}, **READERS)
    assert double.writes_since(mark) == []
    assert repeat["changed"] is False
    mark = double.mark()
    check = play("authentik_group", check_mode=True, diff=True, attributes={"minio_policy": "readwrite"}, **READERS)
    assert double.writes_since(mark) == []
    assert check["changed"] is True
    assert check["diff"]["after"]["attributes"] == {"minio_policy": "readwrite", MARK_KEY: mark_value}
    update = play("authentik_group", diff=True, attributes={"minio_policy": "readwrite"}, **READERS)
    assert update["changed"] is True
    assert update["diff"]["before"]["attributes"] == {"minio_policy": "readonly", MARK_KEY: mark_value}
    assert update["diff"]["after"]["attributes"] == {"minio_policy": "readwrite", MARK_KEY: mark_value}
    assert update["group"]["attributes"] == {"minio_policy": "readwrite", MARK_KEY: mark_value}
    delete = play("authentik_group", state="absent", **READERS)
    assert delete["changed"] is True and delete["group"] is None
    mark = double.mark()
    delete_again = play("authentik_group", state="absent", **READERS)
    assert double.writes_since(mark) == []
    assert delete_again["changed"] is False

    # what the run wrote, in order: the hand-made group and account, the record, its removal, the manifest's
    # deletion, then the owned group's create, update and delete; never a PUT
    writes = double.writes_since(0)
    assert [write for write in writes if write[0] == "PUT"] == []
    assert [method for method, path, _status in writes if path.startswith("/api/v3/core/groups/")] == [
        "POST",  # the hand-made group
        "POST",  # the manifest, created by the login check's record
        "PATCH",  # the login check forgotten
        "DELETE",  # the manifest
        "POST", "PATCH", "DELETE",  # the owned group
    ]
    play.assert_not_returned(TOKEN)
