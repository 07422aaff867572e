# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""minio_sso_login_check on the doubles: the discovery document MinIO uses must agree with the application (issuer,
JWKS, token endpoint, the expected scope and claim, a signing algorithm MinIO can verify) in both modes, and a login
that finds it disagreeing ends with cause ``discovery`` before its temporary user is made.

Its temporary user: removed and forgotten in the deployment's manifest by the module itself with ``owner``, which
RV(temporary_user) reports, so that the role sweeps only when it does not; a refused DELETE is reported as such.

The document is made to disagree the way a server would: by the configuration (a scope that is not offered, a
claim that depends on the user's groups), or by the authentik double answering another document once (a fault with
a body), as a proxy in front of authentik could.
"""

from __future__ import annotations

import json

import pytest
import requests
from authentik.login_fixture import LoginSetup
from login_check_support import configured_play

AUTHENTIK_TOKEN = "discovery-check-token-0123456789"
ROOT_USER = "discovery-root"
ROOT_PASSWORD = "discovery-root-password-0123"
CLIENT_SECRET = "discovery-client-secret-" + "d" * 30
REDIRECT = "https://console.example.test/oauth_callback"
APPLICATION = "minio"
GROUP = "minio-users"
PREFIX = "minio-sso-login-check-"


@pytest.fixture(scope="module")
def world():
    """Both doubles, an application whose static mapping sets the policy claim, MinIO configured for it."""
    from harness import RunningDouble  # tests/doubles, on sys.path through tests/conftest.py

    with RunningDouble("authentik", ["--token", AUTHENTIK_TOKEN]) as authentik, \
            RunningDouble("minio", ["--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD, "--restart-outage", "0.2"]) as minio:
        setup = LoginSetup(authentik.url, AUTHENTIK_TOKEN, slug=APPLICATION, client_id=APPLICATION, secret=CLIENT_SECRET,
                           redirect=REDIRECT)
        setup.bind_group(GROUP)
        play, config_url = configured_play(authentik, AUTHENTIK_TOKEN, minio, ROOT_USER, ROOT_PASSWORD, APPLICATION, APPLICATION,
                                           CLIENT_SECRET, REDIRECT, groups=[GROUP], policies=["readwrite"],
                                           expect_scopes=["minio"], expect_claims=["policy"])
        document = requests.get(config_url, timeout=10).json()
        yield dict(authentik=authentik, minio=minio, setup=setup, play=play, config_url=config_url, document=document)


def temporary_users(world):
    users = world["setup"].get("core/users/", page_size=100)["results"]
    return [user["username"] for user in users if user["username"].startswith(PREFIX)]


def failed_with_discovery(result, world, *words):
    assert result.get("failed") is True and result["cause"] == "discovery", result
    assert result["msg"].startswith("the discovery document at %s does not agree with application minio: "
                                    % world["config_url"]), result["msg"]
    for word in words:
        assert word in result["msg"], (word, result["msg"])


def test_the_document_that_agrees_passes_both_modes(world):
    play = world["play"]
    assert play("minio_sso_login_check")["proof"] == "login"
    consistency = play("minio_sso_login_check", mode="consistency")
    assert consistency["proof"] == "consistency" and "the discovery document agrees" in consistency["msg"]
    play.assert_no_warnings()


@pytest.mark.parametrize("changes, words", [
    (dict(issuer="https://authentik.elsewhere.test/application/o/minio/"),
     ["issuer https://authentik.elsewhere.test/application/o/minio/ (expected "]),
    (dict(id_token_signing_alg_values_supported=["HS256"]), ["id_token_signing_alg_values_supported HS256 has no algorithm"]),
    (dict(token_endpoint="https://authentik.elsewhere.test/application/o/token/"), ["token_endpoint https://authentik.elsewhere.test/"]),
])
def test_a_login_with_a_disagreeing_document_writes_nothing(world, changes, words):
    authentik, minio = world["authentik"], world["minio"]
    authentik.fault(method="GET", path="openid-configuration", status=200, count=1,
                    body=json.dumps(dict(world["document"], **changes)))
    marks = authentik.mark(), minio.mark()
    failed_with_discovery(world["play"].failing("minio_sso_login_check"), world, *words)
    authentik.clear_faults()
    assert authentik.writes_since(marks[0]) == [], "the temporary user was made although the document disagrees"
    assert minio.writes_since(marks[1]) == []
    assert temporary_users(world) == []


def test_a_scope_that_is_not_offered_and_a_claim_that_is_not_listed(world):
    play = world["play"]
    failed_with_discovery(play.failing("minio_sso_login_check", expect_scopes=["minio", "groups"]), world,
                          "lacks groups")
    failed_with_discovery(play.failing("minio_sso_login_check", mode="consistency", expect_claims=["policy", "tenant"]),
                          world, "claims_supported", "lacks tenant")


def test_a_claim_that_depends_on_the_group_is_not_listed(world):
    """With a mapping by group, authentik lists only what the anonymous user gets: the claim must not be expected."""
    setup = world["setup"]
    mapping = setup.get(setup.scope_path, name=APPLICATION + "-policy")["results"]
    assert mapping, "LoginSetup's scope mapping"
    detail = "%s%s/" % (setup.scope_path, mapping[0]["pk"])
    setup.patch(detail, {"expression": 'if ak_is_group_member(request.user, name="%s"):\n    return {"policy": "readwrite"}\n'
                                       'return None' % GROUP})
    try:
        failed_with_discovery(world["play"].failing("minio_sso_login_check", mode="consistency"), world,
                              "claims_supported", "lacks policy")
        assert world["play"]("minio_sso_login_check", mode="consistency", expect_claims=[])["proof"] == "consistency"
    finally:
        setup.patch(detail, {"expression": 'return {"policy": "readwrite"}'})


def recorded(world, account):
    """The role's first step: the login check's account listed in the deployment's manifest before the user exists."""
    return world["play"]("authentik_deployment", name=APPLICATION, login_check=dict(account=account))["login_checks"]


def test_the_module_removes_its_user_and_forgets_it_in_the_manifest(world):
    play, account = world["play"], PREFIX + "owned0001"
    assert [entry["account"] for entry in recorded(world, account)] == [account]
    result = play("minio_sso_login_check", username=account, owner=APPLICATION)
    assert result["temporary_user"] == dict(name=account, removed=True, forgotten=True)
    assert temporary_users(world) == []
    assert play("authentik_deployment", name=APPLICATION)["login_checks"] == [], "the manifest still lists the user"
    # a login that fails after the user was made: the result of the failure says that it is gone and forgotten too
    account = PREFIX + "denied001"
    recorded(world, account)
    denied = play.failing("minio_sso_login_check", username=account, owner=APPLICATION, groups=[])
    assert denied["cause"] == "access_denied" and denied["temporary_user"] == dict(name=account, removed=True, forgotten=True)
    assert temporary_users(world) == [] and play("authentik_deployment", name=APPLICATION)["login_checks"] == []
    # without owner the manifest is not touched, and the result says so
    result = play("minio_sso_login_check", username=PREFIX + "unowned01")
    assert result["temporary_user"] == dict(name=PREFIX + "unowned01", removed=True, forgotten=None)
    play.assert_no_warnings()


def test_a_refused_delete_is_reported_and_the_manifest_keeps_the_user(world):
    play, authentik, account = world["play"], world["authentik"], PREFIX + "refused01"
    recorded(world, account)
    authentik.fault(method="DELETE", path="^/api/v3/core/users/", status=503)
    result = play("minio_sso_login_check", username=account, owner=APPLICATION)
    authentik.clear_faults()
    assert result["temporary_user"] == dict(name=account, removed=False, forgotten=False)
    assert any("the temporary user %s could not be removed" % account in warning for warning in result["warnings"])
    assert temporary_users(world) == [account]
    assert [entry["account"] for entry in play("authentik_deployment", name=APPLICATION)["login_checks"]] == [account]
    # the role's sweep: removes the user and forgets it
    play("authentik_service_account", name=account, owner=APPLICATION, state="absent")
    assert temporary_users(world) == [] and play("authentik_deployment", name=APPLICATION)["login_checks"] == []
    play.tasks.clear()  # the warning above was the point
