# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""minio_sso_login_check in-process on the MinIO module base: MinIO's failures through the base's one failure path
with their cause, and the S3 probe of the granted credentials (what it returns, what it leaves behind).

authentik's side is a fake LoginFlow (the flow itself is covered by test_login_flow.py and the integration tests);
MinIO's admin and S3 sides are the fakes of test_minio_modules.py, the STS goes through the real transport with a
fake urllib3 pool.
"""

from __future__ import annotations

import json
from unittest import mock

import pytest

from ansible_collections.sso.authentik_minio.plugins.module_utils import _login_check_module
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import MinioError
from ansible_collections.sso.authentik_minio.plugins.modules import minio_sso_login_check
from test_minio_modules import (  # pylint: disable=import-error,unused-import
    MINIO,
    POLICY,
    PROVIDER,
    REFUSED,
    Answer,
    FakeAdmin,
    FakePool,
    FakeS3,
    jwt,
    no_earlier_warnings,  # noqa: F401  an autouse fixture
    run,
    warnings_of,
)

REDIRECT = "https://console.example.test/oauth_callback"
OPTIONS = dict(authentik_url="http://127.0.0.1:9", authentik_token="authentik-token-0123456789", application="minio",
               username="alice", password="alice-password-0123456789", policies=["readwrite"])
ID_TOKEN = jwt({"sub": "alice", "policy": "readwrite"})
SESSION_TOKEN = jwt({"policy": "readwrite"})
GRANTED = ("<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>TEMPKEY0123</AccessKeyId>"
           "<SecretAccessKey>temp-secret-0123456789</SecretAccessKey><SessionToken>%s</SessionToken>"
           "<Expiration>2026-12-01T00:15:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
           "</AssumeRoleWithWebIdentityResponse>" % SESSION_TOKEN)
# The document authentik serves at MinIO's config_url (PROVIDER's, on https://idp.example): it agrees with application minio.
IDP = "https://idp.example/application/o/"
DISCOVERY = {"authorization_endpoint": IDP + "authorize/", "token_endpoint": IDP + "token/", "jwks_uri": IDP + "minio/jwks/",
             "issuer": IDP + "minio/", "scopes_supported": ["openid", "minio"], "claims_supported": ["sub", "policy"],
             "id_token_signing_alg_values_supported": ["RS256"]}
HIDDEN = ("temp-secret-0123456789", "TEMPKEY0123", SESSION_TOKEN, ID_TOKEN, PROVIDER["client_secret"], OPTIONS["password"])


class FakeFlow:
    """LoginFlow's calls as a login that authentik grants: discovery, the code, the tokens."""

    document = DISCOVERY  # what authentik serves at MinIO's config_url; a test patches it

    def __init__(self, timeout=30, verify=True, session=None):
        self.verify = verify

    def discovery(self, config_url):
        del config_url
        return self.document

    @staticmethod
    def authorize_code(*args, **kwargs):
        return "code-0123456789"

    @staticmethod
    def exchange(*args, **kwargs):
        return {"id_token": ID_TOKEN}


def admin_with_target():
    admin = FakeAdmin({"_": dict(PROVIDER, redirect_uri=REDIRECT, scopes="openid,minio")})
    admin.policies["readwrite"] = POLICY
    return admin


def check(options, capsys, admin=None, s3=None, pool=None, check_mode=False):
    with mock.patch.object(_login_check_module, "LoginFlow", FakeFlow):
        result = run(minio_sso_login_check, dict(OPTIONS, **options), capsys, admin=admin or admin_with_target(), s3=s3,
                     pool=pool or FakePool(Answer(200, GRANTED)), check=check_mode)
    out = json.dumps(result)
    for secret in HIDDEN:
        assert secret not in out, "a secret leaked (%s...)" % secret[:6]
    return result


def test_without_probe_bucket_nothing_is_probed_and_both_answers_are_null(capsys):
    root = FakeS3()
    result = check({}, capsys, s3={"root": root})
    assert result["proof"] == "login" and result["policies"] == ["readwrite"] and not result.get("failed"), result
    assert result["can_read"] is None and result["can_write"] is None and root.calls == []
    assert result["msg"] == ("MinIO's console login works: alice logged in as MinIO's console would through authentik with "
                             "the redirect URI %s and MinIO granted readwrite" % REDIRECT)


def test_the_probe_makes_a_missing_bucket_and_removes_it_with_its_objects(capsys):
    root = FakeS3()
    user = FakeS3(root.buckets)
    user.errors["put_object"] = MinioError("AccessDenied Access Denied.", status="403", code="AccessDenied")
    result = check(dict(probe_bucket="probe"), capsys, s3={"root": root, "TEMPKEY0123": user})
    assert result["can_read"] is True and result["can_write"] is False and result["changed"] is False, result
    assert result["msg"].endswith("MinIO granted readwrite; probe in bucket probe: read allowed, write denied")
    assert root.buckets == {} and [call[0] for call in root.writes()] == [
        "make_bucket", "put_object", "remove_object", "remove_object", "remove_bucket"]


def test_the_probe_keeps_a_bucket_that_existed_and_removes_only_its_objects(capsys):
    root = FakeS3({"probe": {"kept.txt": b"1"}})
    result = check(dict(probe_bucket="probe"), capsys, s3={"root": root, "TEMPKEY0123": FakeS3(root.buckets)})
    assert result["can_read"] is True and result["can_write"] is True, result
    assert root.buckets == {"probe": {"kept.txt": b"1"}}
    assert "make_bucket" not in [call[0] for call in root.writes()] and "remove_bucket" not in [call[0] for call in root.writes()]


def test_a_failed_probe_ends_with_cause_probe_saying_what_was_granted(capsys):
    root = FakeS3()
    root.errors["make_bucket"] = MinioError("ConnectionResetError: [Errno 104] Connection reset by peer", transport=True)
    result = check(dict(probe_bucket="probe"), capsys, s3={"root": root, "TEMPKEY0123": FakeS3()})
    assert result["failed"] is True and result["cause"] == "probe" and result["policies"] == ["readwrite"], result
    assert result["msg"].endswith("MinIO granted readwrite, but the S3 probe in bucket probe failed: ConnectionResetError: "
                                  "[Errno 104] Connection reset by peer")


def test_check_mode_logs_in_with_a_password_but_does_not_probe(capsys):
    root = FakeS3()
    result = check(dict(probe_bucket="probe"), capsys, s3={"root": root}, check_mode=True)
    assert result["proof"] == "login" and result["can_write"] is None and root.calls == [], result


def test_a_bad_probe_bucket_is_refused_before_any_call(capsys):
    admin = admin_with_target()
    result = check(dict(probe_bucket="No_Such"), capsys, admin=admin)
    assert result["failed"] is True and result["msg"].startswith("probe_bucket: not a valid S3 bucket name") and admin.calls == []


@pytest.mark.parametrize("method, cause, start", [
    ("get_config_export", "minio_config", "reading MinIO's identity_openid configuration failed: HTTP 403 AccessDenied"),
    ("policy_info", "unknown_policy", "reading MinIO's policy readwrite failed: HTTP 403 AccessDenied"),
])
def test_minios_refusal_ends_through_the_base_with_the_cause_of_its_step(method, cause, start, capsys):
    admin = admin_with_target()
    admin.errors[method] = MinioError("HTTP 403 AccessDenied: Access Denied.", status="403", code="AccessDenied")
    result = check({}, capsys, admin=admin)
    assert result["failed"] is True and result["cause"] == cause and result["msg"].startswith(start), result
    assert result["environment_overrides"] == [] and "\n" not in result["msg"]


def test_sts_refusal_and_no_answer_both_end_with_cause_sts(capsys):
    result = check({}, capsys, pool=FakePool(Answer(400, REFUSED)))
    assert result["failed"] is True and result["cause"] == "sts", result
    assert result["msg"] == ("MinIO's STS refused the ID token of alice (HTTP 400 InvalidParameterValue: policy claim missing "
                             "from the JWT token, credentials will not be generated)")
    result = check({}, capsys, pool=FakePool(Answer(500, "<html>")))
    assert result["failed"] is True and result["cause"] == "sts", result
    assert result["msg"] == "MinIO's STS at %s answered HTTP 500 with something that is not XML" % MINIO["url"]


def test_plain_http_to_a_remote_authentik_warns_naming_what_would_cross(capsys):
    result = check(dict(authentik_url="http://authentik.example.test"), capsys, s3={"root": FakeS3()})
    warned = [w for w in warnings_of(result) if "http://authentik.example.test" in w]
    assert len(warned) == 1 and "the API token, the login's password" in warned[0], result


def test_plain_http_to_authentik_on_this_machine_does_not_warn(capsys):
    assert warnings_of(check({}, capsys, s3={"root": FakeS3()})) == []


# -- the discovery document MinIO uses must agree with the application, before anything is written ---------------------
@pytest.mark.parametrize("changes, options, words", [
    (dict(issuer="http://idp.example/application/o/minio/"), {},
     "issuer http://idp.example/application/o/minio/ (expected https://idp.example/application/o/minio/ or https://idp.example/)"),
    (dict(jwks_uri=IDP + "other/jwks/"), {}, "jwks_uri %sother/jwks/ (expected %sminio/jwks/)" % (IDP, IDP)),
    (dict(token_endpoint="https://proxy.example/application/o/token/"), {},
     "token_endpoint https://proxy.example/application/o/token/ (expected %stoken/)" % IDP),
    (dict(scopes_supported=["openid", "profile"]), dict(expect_scopes=["minio"]), "scopes_supported openid,profile lacks minio"),
    (dict(claims_supported=["sub"]), dict(expect_claims=["policy"]), "claims_supported sub lacks policy"),
    (dict(id_token_signing_alg_values_supported=["HS256"]), {},
     "id_token_signing_alg_values_supported HS256 has no algorithm MinIO can verify with the JWKS"),
    ({"id_token_signing_alg_values_supported": None}, {}, "id_token_signing_alg_values_supported (none) has no algorithm"),
])
def test_a_discovery_document_that_disagrees_ends_the_login_before_the_temporary_user_is_made(changes, options, words, capsys):
    admin = admin_with_target()
    document = dict(DISCOVERY, **changes)
    with mock.patch.object(FakeFlow, "document", document):
        # without a password the module would make a temporary user in authentik (nothing answers at authentik_url)
        result = check(dict(options, password=None, username=None), capsys, admin=admin)
    assert result["failed"] is True and result["cause"] == "discovery", result
    assert result["msg"].startswith("the discovery document at %s does not agree with application minio: "
                                    % PROVIDER["config_url"]), result["msg"]
    assert words in result["msg"] and "\n" not in result["msg"]
    assert admin.writes() == []


def test_every_disagreement_is_named_in_the_one_line(capsys):
    document = dict(DISCOVERY, issuer="https://other.example/", scopes_supported=[], id_token_signing_alg_values_supported=["HS512"])
    with mock.patch.object(FakeFlow, "document", document):
        result = check(dict(expect_scopes=["minio"], expect_claims=["policy"]), capsys)
    assert result["cause"] == "discovery"
    assert "issuer https://other.example/ (expected" in result["msg"] and "scopes_supported (none) lacks minio" in result["msg"]
    assert "HS512 has no algorithm" in result["msg"] and "claims_supported" not in result["msg"]


def test_the_global_issuer_and_the_expected_scopes_and_claims_listed_agree(capsys):
    with mock.patch.object(FakeFlow, "document", dict(DISCOVERY, issuer="https://idp.example/")):
        result = check(dict(expect_scopes=["minio"], expect_claims=["policy"]), capsys)
    assert result["proof"] == "login" and not result.get("failed"), result
