# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Canned policies through minio-py's MinioAdmin policy_* calls."""

from __future__ import annotations

import json

import pytest
from minio.error import MinioAdminException
from urllib3.exceptions import MaxRetryError

from minio_helpers import admin_call

pytest_plugins = ["conftest_minio"]

CUSTOM = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}],
}


def error_of(exc_info):
    return int(exc_info.value._code), json.loads(exc_info.value._body)  # pylint: disable=protected-access


def test_builtins_are_listed_with_minio_definitions(minio_double):
    policies = json.loads(minio_double.admin().policy_list())
    assert sorted(policies) == ["consoleAdmin", "diagnostics", "readonly", "readwrite", "writeonly"]
    assert policies["readonly"] == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:GetObject"], "Resource": ["arn:aws:s3:::*"]}]}
    assert policies["writeonly"]["Statement"][0]["Action"] == ["s3:PutObject"]
    assert policies["consoleAdmin"]["Statement"][0] == {"Effect": "Allow", "Action": ["admin:*"]}
    assert "admin:OBDInfo" in policies["diagnostics"]["Statement"][0]["Action"]


def test_add_info_upsert_list_remove(minio_double):
    admin = minio_double.admin()
    assert admin.policy_add("my-custom-policy", policy=CUSTOM) == ""
    info = admin.policy_info("my-custom-policy")
    assert info.startswith('{\n "Version": "2012-10-17",\n "Statement": [\n  {\n')  # MarshalIndent with one space
    assert json.loads(info) == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::my-bucket/*"]}]}
    first = json.loads(admin_call(admin, "GET", "info-canned-policy", {"name": "my-custom-policy", "v": "2"}).data)
    assert first["PolicyName"] == "my-custom-policy" and first["CreateDate"] == first["UpdateDate"]
    changed = dict(CUSTOM, Statement=[dict(CUSTOM["Statement"][0], Action=["s3:PutObject", "s3:GetObject"])])
    admin.policy_add("my-custom-policy", policy=changed)  # an upsert: same name, new content
    second = json.loads(admin_call(admin, "GET", "info-canned-policy", {"name": "my-custom-policy", "v": "2"}).data)
    assert second["Policy"]["Statement"][0]["Action"] == ["s3:GetObject", "s3:PutObject"]
    assert second["CreateDate"] == first["CreateDate"] and second["UpdateDate"] > first["UpdateDate"]
    assert "my-custom-policy" in json.loads(admin.policy_list())
    assert admin.policy_remove("my-custom-policy") == ""
    with pytest.raises(MinioAdminException) as exc_info:
        admin.policy_info("my-custom-policy")
    status, body = error_of(exc_info)
    assert (status, body["Code"], body["Message"]) == (404, "XMinioAdminNoSuchPolicy", "The canned policy does not exist.")


@pytest.mark.parametrize(
    "name, body, status, code",
    [
        ("bad-json", b"{not json", 400, "XMinioMalformedIAMPolicy"),
        ("no-version", json.dumps({"Statement": CUSTOM["Statement"]}).encode(), 400, "MalformedPolicy"),
        ("a,b", json.dumps(CUSTOM).encode(), 400, "PolicyInvalidName"),
        ("bad-effect", json.dumps(dict(CUSTOM, Statement=[dict(CUSTOM["Statement"][0], Effect="Maybe")])).encode(),
         400, "XMinioMalformedIAMPolicy"),
    ],
)
def test_invalid_policies_are_refused(minio_double, name, body, status, code):
    with pytest.raises(MinioAdminException) as exc_info:
        admin_call(minio_double.admin(), "PUT", "add-canned-policy", {"name": name}, body=body)
    assert error_of(exc_info)[0] == status and error_of(exc_info)[1]["Code"] == code
    assert name not in json.loads(minio_double.admin().policy_list())


def test_missing_body_is_missing_content_length(minio_double):
    with pytest.raises(MinioAdminException) as exc_info:
        admin_call(minio_double.admin(), "PUT", "add-canned-policy", {"name": "empty"})
    assert error_of(exc_info)[:1] == (411,) and error_of(exc_info)[1]["Code"] == "MissingContentLength"


def test_several_names_at_once_is_invalid_and_builtins_cannot_be_removed(minio_double):
    admin = minio_double.admin()
    with pytest.raises(MinioAdminException) as exc_info:
        admin.policy_info("readonly,writeonly")
    assert error_of(exc_info)[1]["Code"] == "XMinioAdminInvalidRequest"
    # A plain Go error in the handler is a 500 InternalError, which minio-py retries before giving up.
    minio_double.running.clear_requests()
    with pytest.raises(MaxRetryError):
        admin.policy_remove("readwrite")
    assert {r["status"] for r in minio_double.running.requests()} == {500}
    assert "readwrite" in json.loads(admin.policy_list())
    with pytest.raises(MinioAdminException) as exc_info:
        admin.policy_remove("never-existed")
    assert error_of(exc_info)[:1] == (404,)


def test_sts_session_with_console_admin_may_use_the_admin_api_readonly_may_not(sso, sso_issuer):
    creds = {}
    for policy in ("consoleAdmin", "readonly"):
        result = sso.boto3("sts").assume_role_with_web_identity(
            RoleArn="arn:aws:iam::123456789012:role/x", RoleSessionName="session", WebIdentityToken=sso_issuer.token(policy=policy))
        creds[policy] = result["Credentials"]
    admin = sso.admin(creds["consoleAdmin"]["AccessKeyId"], creds["consoleAdmin"]["SecretAccessKey"],
                      creds["consoleAdmin"]["SessionToken"])
    assert "readwrite" in json.loads(admin.policy_list())
    assert "identity_openid " in admin.config_get("identity_openid")  # encrypted with the session's secret key
    denied = sso.admin(creds["readonly"]["AccessKeyId"], creds["readonly"]["SecretAccessKey"], creds["readonly"]["SessionToken"])
    with pytest.raises(MinioAdminException) as exc_info:
        denied.policy_list()
    assert error_of(exc_info)[0] == 403 and error_of(exc_info)[1]["Code"] == "AccessDenied"
