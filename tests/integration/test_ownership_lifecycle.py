# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ownership on the authentik double (2025.12): authentik_deployment and authentik_group with owner.

One ansible-playbook run (tests/integration/playbooks/authentik_ownership.yml) saves every result, the request log
and the log's length around each step; the steps that must not write are checked against their slice of the log.
"""

from __future__ import annotations

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "ownership-token-0123456789abcdef"
DEPLOYMENT = "minio-own"
MARK_KEY = "sso.authentik_minio"
ACCOUNT = "minio-sso-login-check-x1y2z3w4"


def writes_between(results, step):
    start, end = (int(mark) for mark in results["marks"][step])
    assert end > start, "step %s made no request at all: its log slice proves nothing" % step
    return [(e["method"], e["path"], e["status"]) for e in results["log"][start:end] if e["method"] != "GET"]


def test_ownership_lifecycle(start_double, playbook, tmp_path):
    double = start_double("authentik", "--token", TOKEN, "--api-version", "2025.12")
    out = tmp_path / "results.json"
    run = playbook(os.path.join(HERE, "playbooks", "authentik_ownership.yml"),
                   dict(url=double.url, token=TOKEN, deployment=DEPLOYMENT, out_file=str(out)))
    assert TOKEN not in run.output
    results = json.loads(out.read_text())
    group = DEPLOYMENT + "-admins"

    # every object absent: nothing to refuse, nothing written
    all_absent = results["all_absent"]
    assert all_absent["changed"] is False and not all_absent.get("failed")
    assert all_absent["objects"] == {
        "scope_mapping": {"MinIO policy (minio-own)": "absent"},
        "oauth2_provider": {"MinIO (minio-own)": "absent"},
        "application": {DEPLOYMENT: "absent"},
        "groups": {group: "absent"},
        "bindings": {group: "absent"},
    }
    assert all_absent["manifest"] == "sso.authentik_minio/" + DEPLOYMENT and all_absent["login_checks"] == []
    assert writes_between(results, "all_absent") == []

    # a group made by hand stops the run before any write, named in the message
    unmarked = results["unmarked"]
    assert unmarked["failed"] is True
    assert "group '%s' exists and does not carry the ownership mark of deployment '%s'" % (group, DEPLOYMENT) \
        in unmarked["msg"]
    assert "nothing was written" in unmarked["msg"] and "adopt" in unmarked["msg"]
    assert writes_between(results, "unmarked") == []
    adopted = results["adopted"]
    assert adopted["changed"] is False and adopted["objects"]["groups"] == {group: "unmarked"}
    assert writes_between(results, "adopted") == []

    # login check: check mode predicts the record and writes nothing; the real run records it
    assert results["login_check_check"]["changed"] is True
    assert writes_between(results, "login_check_check") == []
    recorded = results["login_check_recorded"]
    assert recorded["changed"] is True
    assert {"account": ACCOUNT, "bucket": ACCOUNT} in recorded["login_checks"]
    manifest, = results["manifest_recorded"]["objects"]
    assert manifest["name"] == "sso.authentik_minio/" + DEPLOYMENT
    assert manifest["attributes"][MARK_KEY]["objects"]["user"] == [
        {"key": ACCOUNT, "pk": None, "login_check": True, "bucket": ACCOUNT}]

    # an account that exists already is never the login check's
    existing = results["login_check_existing"]
    assert existing["failed"] is True
    assert "login_check: user 'someone-elses-account' exists already" in existing["msg"]
    assert writes_between(results, "login_check_existing") == []

    # forgotten once; the manifest then goes, once
    assert results["login_check_forgotten"]["changed"] is True
    assert results["login_check_forgotten"]["login_checks"] == []
    assert results["login_check_forgotten_again"]["changed"] is False
    assert results["manifest_absent"]["changed"] is True
    assert results["manifest_gone"]["objects"] == []
    assert results["manifest_absent_again"]["changed"] is False
    assert writes_between(results, "manifest_absent_again") == []

    # authentik_group with owner: created and marked, repeat and check mode write nothing, diff shows the mark
    create = results["group_create"]
    mark = {"deployments": [DEPLOYMENT], "created": True}
    assert create["changed"] is True
    assert create["group"]["attributes"] == {"minio_policy": "readonly", MARK_KEY: mark}
    assert create["diff"]["before"] == {"state": "absent"}
    assert create["diff"]["after"]["attributes"] == {"minio_policy": "readonly", MARK_KEY: mark}
    assert results["group_repeat"]["changed"] is False
    assert writes_between(results, "group_repeat") == []
    check = results["group_check"]
    assert check["changed"] is True and writes_between(results, "group_check") == []
    assert check["diff"]["after"]["attributes"] == {"minio_policy": "readwrite", MARK_KEY: mark}
    update = results["group_update"]
    assert update["changed"] is True
    assert update["diff"]["before"]["attributes"] == {"minio_policy": "readonly", MARK_KEY: mark}
    assert update["diff"]["after"]["attributes"] == {"minio_policy": "readwrite", MARK_KEY: mark}
    assert update["group"]["attributes"] == {"minio_policy": "readwrite", MARK_KEY: mark}
    assert results["group_delete"]["changed"] is True and results["group_delete"]["group"] is None
    assert results["group_delete_again"]["changed"] is False
    assert writes_between(results, "group_delete_again") == []

    # what the run wrote, in order: the hand-made group and account, the record, its removal, the manifest's
    # deletion, then the owned group's create, update and delete; never a PUT
    writes = [(e["method"], e["path"].split("?")[0]) for e in results["log"] if e["method"] != "GET"]
    assert [w for w in writes if w[0] == "PUT"] == []
    assert [w[0] for w in writes if w[1].startswith("/api/v3/core/groups/")] == [
        "POST",  # the hand-made group
        "POST",  # the manifest, created by the login check's record
        "PATCH",  # the login check forgotten
        "DELETE",  # the manifest
        "POST", "PATCH", "DELETE",  # the owned group
    ]
