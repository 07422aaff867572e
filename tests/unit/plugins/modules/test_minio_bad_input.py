# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input to the MinIO modules is refused before anything is written, with a message that names the option and
what is wrong with the value, and never shows a secret."""

from __future__ import annotations

import json
import time
from unittest import mock

import jwt
import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_module
from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_openid as oidc
from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_policy as pol
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_s3 import bucket_name_problem
from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import (
    check_bucket,
    check_id_token,
    check_role_arn,
)
from ansible_collections.sso.authentik_minio.plugins.modules import (
    minio_bucket,
    minio_identity_openid,
    minio_policy,
    minio_sts_login,
)

MINIO = dict(url="http://127.0.0.1:9", access_key="root", secret_key="root-secret-0123")
OPENID = dict(MINIO, config_url="https://idp.example/.well-known/openid-configuration", client_id="minio",
              client_secret="client-secret-0123")
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}]}
SIGNING_KEY = "unit-signing-key-not-a-real-one-0123456789"


def token(expires_in, **claims):
    now = int(time.time())
    payload = dict(iss="https://auth.example/", sub="unit", aud="minio", iat=now - 60, exp=now + expires_in, **claims)
    return jwt.encode(payload, SIGNING_KEY, algorithm="HS256")


def statement(**changes):
    return {"Version": "2012-10-17", "Statement": [dict(POLICY["Statement"][0], **changes)]}


def no_call(*_args, **_kwargs):
    raise AssertionError("a connection was made before the values were checked")


def run(module, options, capsys):
    # every MinIO call (admin, STS, S3) goes through the one transport: building it is the first step of any call
    with patch_module_args(options), mock.patch.object(_minio_module, "Transport", no_call):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


# -- refused before any call: (module, options, words the message must hold) ----------------------------------
CASES = [
    (minio_identity_openid, dict(OPENID, config_url="ftp://idp.example/.well-known/openid-configuration"),
     ["config_url", "http", "ftp://idp.example"]),
    (minio_identity_openid, dict(OPENID, config_url="idp.example/.well-known/openid-configuration"), ["config_url", "http"]),
    (minio_identity_openid, dict(OPENID, scopes=["profile", "email"]), ["scopes", "openid", "profile,email"]),
    (minio_identity_openid, dict(OPENID, vendor="okta"), ["vendor", "keycloak", "'okta'"]),
    (minio_identity_openid, dict(OPENID, vendor="Keycloak"), ["vendor", "keycloak", "'Keycloak'"]),
    (minio_identity_openid, dict(OPENID, redirect_uri="minio.example/oauth_callback"),
     ["redirect_uri", "http", "minio.example/oauth_callback"]),
    (minio_identity_openid, dict(OPENID, vendor="keycloak", keycloak_admin_url="keycloak.example/admin"),
     ["keycloak_admin_url", "http"]),
    (minio_policy, dict(MINIO, name="p", policy={"Statement": POLICY["Statement"]}), ["policy", "Version", "2012-10-17"]),
    (minio_policy, dict(MINIO, name="p", policy=dict(POLICY, Version="2020-01-01")), ["policy", "Version", "2020-01-01"]),
    (minio_policy, dict(MINIO, name="p", policy={"Version": "2012-10-17"}), ["policy", "Statement"]),
    (minio_policy, dict(MINIO, name="p", policy={"Version": "2012-10-17", "Statement": []}), ["policy", "Statement"]),
    (minio_policy, dict(MINIO, name="p", policy=statement(Effect="Maybe")), ["Effect", "Maybe", "Allow or Deny"]),
    (minio_policy, dict(MINIO, name="p", policy=statement(Action=["s4:GetObject"])), ["Action", "s4:GetObject"]),
    (minio_policy, dict(MINIO, name="p", policy=statement(Action="GetObject")), ["Action", "GetObject"]),
    (minio_policy, dict(MINIO, name="p", policy=statement(Action=[])), ["Action", "empty"]),
    (minio_policy, dict(MINIO, name="p", policy=statement(Resource=["b/*"])), ["Resource", "b/*", "arn:aws:s3:::"]),
    (minio_policy, dict(MINIO, name="p", policy=json.dumps(statement(Resource="arn:aws:s3:::"))), ["Resource", "arn:aws:s3:::"]),
    (minio_policy, dict(MINIO, name="", policy=POLICY), ["name", "must not be empty"]),
    (minio_sts_login, dict(MINIO, id_token="not-a-jwt"), ["id_token", "JWT"]),
    (minio_sts_login, dict(MINIO, id_token="a.b.c"), ["id_token", "JWT"]),
    (minio_sts_login, dict(MINIO, id_token=token(-3600)), ["id_token", "expired", "exp"]),
    (minio_sts_login, dict(MINIO, id_token=token(3600), role_arn="my-role"), ["role_arn", "arn:minio:iam:", "'my-role'"]),
    (minio_sts_login, dict(MINIO, id_token=token(3600), probe_bucket="Bad_Bucket"), ["probe_bucket", "Bad_Bucket"]),
    (minio_sts_login, dict(MINIO, id_token=token(3600), claim_name=""), ["claim_name", "empty"]),
    (minio_bucket, dict(MINIO, name="Bad_Bucket"), ["name", "Bad_Bucket", "invalid bucket name"]),
    (minio_bucket, dict(MINIO, name="ab"), ["name", "'ab'"]),
    (minio_bucket, dict(MINIO, name="192.168.1.1"), ["name", "IP address"]),
]


@pytest.mark.parametrize("module, options, words", CASES,
                         ids=["%s-%s" % (case[0].__name__.rsplit(".", 1)[-1], "-".join(case[2][:2])) for case in CASES])
def test_refused_before_any_call(module, options, words, capsys):
    result = run(module, options, capsys)
    assert result["failed"] is True, result
    assert all(word in result["msg"] for word in words), result["msg"]
    assert "(got " in result["msg"], result["msg"]
    for secret in (MINIO["secret_key"], OPENID["client_secret"], options.get("id_token", "\0")):
        assert secret not in result["msg"]


# -- the checks themselves, and what they let through ------------------------------------------------------
@pytest.mark.parametrize("policy", [
    POLICY,
    json.dumps(POLICY),
    statement(Action="s3:*", Resource="arn:aws:s3:::*"),
    statement(Action=["admin:ServerInfo", "kms:Status", "sts:AssumeRole"], Resource=[]),
    statement(Action="*", Resource="*"),
    statement(Effect="Deny", Action=None, NotAction=["s3:DeleteObject"], Resource=None, NotResource=["arn:aws:s3:::b"]),
    statement(Resource="arn:minio:kms:::key-1"),
])
def test_policies_minio_accepts_pass(policy):
    assert pol.load(policy)


@pytest.mark.parametrize("policy, words", [
    ({"Statement": POLICY["Statement"]}, ["Version", "no Version"]),
    (dict(POLICY, Statement=POLICY["Statement"][0]), ["Statement", "non-empty list"]),
    (dict(POLICY, Statement=["x"]), ["Statement 1", "object"]),
    (statement(Effect="allow"), ["Effect", "'allow'"]),
    (statement(Action=["s3:GetObject"], NotAction=["s3:PutObject"]), ["Action and NotAction"]),
    (statement(Action=[1]), ["Action", "list of strings"]),
    (statement(Action=["s3:"]), ["Action", "'s3:'"]),
    (statement(Resource=["arn:aws:s3:::b", "bucket"]), ["Resource", "'bucket'"]),
    (statement(Resource=["arn:aws:s3:::/b"]), ["Resource", "arn:aws:s3:::/b"]),
])
def test_policies_minio_refuses_are_refused(policy, words):
    with pytest.raises(pol.PolicyError) as info:
        pol.load(policy)
    assert str(info.value).startswith("policy: ")
    assert all(word in str(info.value) for word in words), str(info.value)


def test_openid_values():
    assert oidc.check_values({"config_url": "https://idp/.well-known/openid-configuration", "scopes": "openid,profile",
                              "vendor": "keycloak", "redirect_uri": "http://minio:9001/oauth_callback"}) is None
    assert oidc.check_values({"vendor": "", "redirect_uri": "", "scopes": "profile,openid"}) is None
    assert "scopes" in oidc.check_values({"scopes": "openidx,profile"})
    assert "config_url" in oidc.check_values({"config_url": "https:///no-host"})


def test_keycloak_needs_its_admin_url_stored_or_given():
    assert "keycloak_admin_url" in oidc.vendor_conflict({"vendor": "keycloak", "keycloak_realm": "r"})
    assert "needs" in oidc.vendor_conflict({"vendor": "keycloak", "keycloak_admin_url": ""})
    assert oidc.vendor_conflict({"vendor": "keycloak", "keycloak_admin_url": "https://kc/admin"}) is None
    assert oidc.vendor_conflict({"vendor": ""}) is None


def test_id_token_checks():
    fresh = token(3600)
    assert check_id_token(fresh) is None
    assert check_id_token(jwt.encode({"sub": "no-exp"}, SIGNING_KEY, algorithm="HS256")) is None
    expired = check_id_token(token(-10))
    assert "expired" in expired and "id_token" in expired
    assert "expired" in check_id_token(fresh, now=time.time() + 7200)
    for bad in ("", "abc", "a.b", "a.b.c.d", "e30.e30", "###.e30.sig", "W10.e30.sig"):
        problem = check_id_token(bad)
        assert problem and problem.startswith("id_token: "), bad
    secret = "eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.secret-signature"
    assert "secret-signature" not in check_id_token(secret)


def test_role_arn_and_bucket_checks():
    assert check_role_arn(None) is None
    assert check_role_arn("arn:minio:iam:us-east-1::role/dRTJ4lt4ukYlkVVeUzyTNT4dGqI") is None
    assert check_role_arn("arn:minio:iam:::role/idmp-authentik") is None
    for bad in ("my-role", "arn:aws:iam::123:role/x", "arn:minio:iam:us-east-1:123:role/x", "arn:minio:iam:us-east-1::user/x",
                "arn:minio:iam:us-east-1::role/"):
        assert check_role_arn(bad).startswith("role_arn: "), bad
    assert check_bucket("probe_bucket", "minio-sso-login-check") is None
    assert "'Bad_Bucket'" in check_bucket("probe_bucket", "Bad_Bucket")


def test_bucket_absent_takes_the_looser_rule():
    assert bucket_name_problem("name", "Legacy_Bucket", creating=False) is None
    assert bucket_name_problem("name", "Legacy_Bucket", creating=True).startswith("name: ")
    assert bucket_name_problem("name", "ab", creating=False).startswith("name: ")


class Refusal(Exception):
    def __init__(self, code, message):
        super().__init__(code)
        self.code, self.message = code, message


@pytest.mark.parametrize("code", ["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"])
def test_bucket_says_the_credentials_were_refused(code, capsys):
    from minio.error import S3Error

    class Client:
        def __init__(self, *_args, **_kwargs):
            pass

        def bucket_exists(self, _name):
            raise S3Error(None, code, "Access denied", "/b", "r", "h")

    with patch_module_args(dict(MINIO, access_key="nobody", name="b-1")), mock.patch("minio.Minio", Client):
        with pytest.raises(SystemExit):
            minio_bucket.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert "access_key" in result["msg"] and "secret_key" in result["msg"] and "denied" in result["msg"].lower()
    assert code in result["msg"]
    assert "nobody" not in result["msg"] and MINIO["secret_key"] not in result["msg"]


def test_a_policy_of_version_2008_is_refused_as_minio_refuses_it():
    from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_policy import PolicyError, load

    with pytest.raises(PolicyError, match="2008-10-17"):
        load(dict(POLICY, Version="2008-10-17"))
