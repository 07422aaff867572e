# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""STS AssumeRoleWithWebIdentity through boto3 and minio-py, with our own small issuer."""

from __future__ import annotations

import datetime
import time
import warnings

import jwt
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import rsa
from minio.credentials import WebIdentityProvider

from minio_helpers import CLIENT_ID, CLIENT_SECRET, ROOT_PASSWORD

pytest_plugins = ["conftest_minio"]

DUMMY_ARN = "arn:aws:iam::123456789012:role/ignored-by-minio"


def assume(double, token, **extra):
    return double.boto3("sts").assume_role_with_web_identity(
        RoleArn=extra.pop("RoleArn", DUMMY_ARN), RoleSessionName="session", WebIdentityToken=token, **extra
    )


def sts_error(double, token, **extra):
    with pytest.raises(ClientError) as exc_info:
        assume(double, token, **extra)
    response = exc_info.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def session_policy(creds):
    # The session token is MinIO's own HS512 JWT, keyed with the root secret, carrying the policy claim.
    return session_claims(creds)["policy"]


def session_claims(creds):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MinIO keys the session token with the root secret, however short
        return jwt.decode(creds["SessionToken"], ROOT_PASSWORD, algorithms=["HS512"], options={"verify_exp": False, "verify_aud": False})


@pytest.mark.parametrize(
    "claim, granted",
    [
        ("readwrite", "readwrite"),
        ("readonly, no-such-policy", "readonly"),
        (["writeonly", "readonly,no-such-policy", 5], "readonly,writeonly"),
    ],
)
def test_policy_claim_forms(sso, sso_issuer, claim, granted):
    result = assume(sso, sso_issuer.token(policy=claim))
    creds = result["Credentials"]
    assert len(creds["AccessKeyId"]) == 20 and creds["AccessKeyId"].isalnum() and creds["AccessKeyId"].upper() == creds["AccessKeyId"]
    assert len(creds["SecretAccessKey"]) == 40 and "/" not in creds["SecretAccessKey"]
    assert result["SubjectFromWebIdentityToken"] == "user-1"
    assert session_policy(creds) == granted


def test_credentials_expire_with_the_token_unless_duration_is_given(sso, sso_issuer):
    exp = int(time.time()) + 1234
    creds = assume(sso, sso_issuer.token(exp=exp))["Credentials"]
    assert creds["Expiration"] == datetime.datetime.fromtimestamp(exp, datetime.timezone.utc)
    before = datetime.datetime.now(datetime.timezone.utc)
    creds = assume(sso, sso_issuer.token(exp=exp), DurationSeconds=3600)["Credentials"]
    assert abs((creds["Expiration"] - before).total_seconds() - 3600) < 5
    status, code, message = sts_error(sso, sso_issuer.token(), DurationSeconds=31536001)
    assert (status, code, message) == (400, "InvalidParameterValue", "invalid token expiry")


@pytest.mark.parametrize(
    "claims, message",
    [
        ({"exp": -5}, "Token is expired"),
        ({"nbf": 300}, "Token is not valid yet"),
        ({"iat": 300}, "Token used before issued"),
        ({"aud": "someone-else"}, "STS JWT Token has `azp` claim invalid, `azp` must match configured OpenID Client ID"),
        ({"aud": None}, "STS JWT Token has `aud` claim invalid, `aud` must match configured OpenID Client ID"),
        ({"sub": None}, "STS JWT Token has `sub` claim missing, `sub` claim is mandatory"),
        ({"policy": None}, "policy claim missing from the JWT token, credentials will not be generated"),
        ({"policy": 7}, "policy claim missing from the JWT token, credentials will not be generated"),
        ({"policy": "nope,nada"}, "None of the given policies (`nada,nope`) are defined, credentials will not be generated"),
        ({"policy": ""}, "None of the given policies (``) are defined, credentials will not be generated"),
    ],
)
def test_token_checks(sso, sso_issuer, claims, message):
    # exp, nbf and iat are seconds from now, when the test runs: collection may be many minutes earlier
    claims = dict((k, int(time.time()) + v if k in ("exp", "nbf", "iat") else v) for k, v in claims.items())
    assert sts_error(sso, sso_issuer.token(**claims)) == (400, "InvalidParameterValue", message)


def test_azp_is_accepted_when_aud_does_not_match(sso, sso_issuer):
    assert assume(sso, sso_issuer.token(aud=["other", "another"], azp=CLIENT_ID))["Credentials"]["AccessKeyId"]


def test_signing_key_is_found_by_kid_and_refetched_once(sso, sso_issuer):
    jwks_before = sso_issuer.hits.count("/jwks")
    assert sts_error(sso, sso_issuer.token(headers={"kid": "unknown-kid"}))[2] == "No public key found for kid unknown-kid"
    assert sso_issuer.hits.count("/jwks") == jwks_before + 1  # MinIO re-fetches the JWKS after a failed parse
    no_kid = jwt.encode({"sub": "u", "aud": CLIENT_ID, "policy": "readonly", "exp": int(time.time()) + 60},
                        sso_issuer.key, algorithm="RS256")
    assert sts_error(sso, no_kid)[2] == "Invalid kid value <nil>"
    forged = sso_issuer.token(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    assert sts_error(sso, forged)[2] == "crypto/rsa: verification error"


def test_key_rotation_at_the_idp_is_picked_up_by_the_refetch(minio_double, oidc_issuer):
    admin = minio_double.admin()
    admin.config_set("identity_openid", {"config_url": oidc_issuer.config_url, "client_id": CLIENT_ID,
                                         "client_secret": CLIENT_SECRET})
    before = minio_double.state()["boots"]
    admin.service_restart()
    minio_double.wait_booted(before, iam=True)
    oidc_issuer.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    oidc_issuer.kid = "rotated"
    assert assume(minio_double, oidc_issuer.token())["Credentials"]["SessionToken"]


def test_without_openid_the_role_arn_is_an_error(minio_double, oidc_issuer):
    # boto3 always sends a RoleArn; with no claim-based provider MinIO must resolve it, and an AWS ARN fails.
    assert sts_error(minio_double, oidc_issuer.token()) == (
        400, "InvalidParameterValue", "Error processing RoleArn parameter: RoleARN parse err: invalid ARN - bad partition field")
    assert sts_error(minio_double, oidc_issuer.token(), RoleArn="arn:minio:iam:::role/unknown")[2] == (
        "Error processing RoleArn parameter: RoleARN arn:minio:iam:::role/unknown is not defined.")


def test_without_openid_and_role_arn_the_dummy_role_does_not_exist(minio_double, oidc_issuer):
    from botocore.config import Config  # pylint: disable=import-outside-toplevel

    import boto3  # pylint: disable=import-outside-toplevel

    client = boto3.client("sts", endpoint_url=minio_double.url, region_name="us-east-1",
                          config=Config(parameter_validation=False, retries={"max_attempts": 1}))
    with pytest.raises(ClientError) as exc_info:
        client.assume_role_with_web_identity(RoleSessionName="session", WebIdentityToken=oidc_issuer.token())
    assert exc_info.value.response["Error"] == {
        "Type": None, "Code": "InvalidParameterValue", "Message": "Role arn:minio:iam:::role/dummy-internal does not exist"}


def test_role_policy_provider_is_chosen_by_role_arn(minio_double, oidc_issuer):
    import base64  # pylint: disable=import-outside-toplevel
    import hashlib  # pylint: disable=import-outside-toplevel

    admin = minio_double.admin()
    admin.config_set("identity_openid:roles", {"config_url": oidc_issuer.config_url, "client_id": "role-client",
                                               "client_secret": CLIENT_SECRET, "role_policy": "readonly"})
    before = minio_double.state()["boots"]
    admin.service_restart()
    minio_double.wait_booted(before, iam=True)
    arn = "arn:minio:iam:::role/" + base64.urlsafe_b64encode(hashlib.sha1(b"role-client").digest()).rstrip(b"=").decode()
    creds = assume(minio_double, oidc_issuer.token(aud="role-client", policy=None), RoleArn=arn)["Credentials"]
    assert session_claims(creds)["roleArn"] == arn
    # Only a role provider: an ARN that is not its own is an error, not ignored.
    assert sts_error(minio_double, oidc_issuer.token(aud="role-client"))[2] == (
        "Error processing RoleArn parameter: RoleARN parse err: invalid ARN - bad partition field")


def test_minio_py_web_identity_provider_uses_the_query_form(sso, sso_issuer):
    token = sso_issuer.token(policy="readonly")
    provider = WebIdentityProvider(jwt_provider_func=lambda: {"access_token": token, "expires_in": 600}, sts_endpoint=sso.url)
    creds = provider.retrieve()
    assert len(creds.access_key) == 20 and creds.session_token
    requests_seen = [r for r in sso.running.requests() if r["method"] == "POST" and r["path"] == "/"]
    assert "Action=AssumeRoleWithWebIdentity" in requests_seen[-1]["query"]
