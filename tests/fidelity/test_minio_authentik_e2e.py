# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end: ID tokens minted by the authentik double, accepted by the MinIO double's STS, used for S3.

authentik is set up through its REST API with plain requests, as a human would following the calls recorded
from a real authentik 2025.12.4 and kept in tests/fidelity/recordings/ (scope mapping, OAuth2 provider, application).
"""

from __future__ import annotations

import io

import pytest
import requests
from botocore.exceptions import ClientError
from minio import Minio
from minio.credentials import WebIdentityProvider

from harness import RunningDouble
from minio_helpers import CLIENT_SECRET

pytest_plugins = ["conftest_minio"]

AK_TOKEN = "e2e-bootstrap-token-0123456789"
SLUG = "minio"


class Authentik:
    def __init__(self, url):
        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + AK_TOKEN

    def get(self, path, **params):
        response = self.session.get(self.url + path, params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, path, body):
        response = self.session.post(self.url + path, json=body, timeout=10)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def first(self, path, **params):
        return self.get(path, **params)["results"][0]["pk"]


def setup_minio_app(ak, policy_expression):
    mapping = ak.post("/api/v3/propertymappings/provider/scope/", {
        "name": "minio-policy", "scope_name": "minio", "description": "MinIO policy claim", "expression": policy_expression})
    managed = [ak.first("/api/v3/propertymappings/provider/scope/", managed="goauthentik.io/providers/oauth2/scope-" + s)
               for s in ("openid", "email", "profile")]
    provider = ak.post("/api/v3/providers/oauth2/", {
        "name": "MinIO",
        "authorization_flow": ak.first("/api/v3/flows/instances/", slug="default-provider-authorization-implicit-consent"),
        "invalidation_flow": ak.first("/api/v3/flows/instances/", slug="default-provider-invalidation-flow"),
        "client_type": "confidential", "client_id": "minio", "client_secret": CLIENT_SECRET,
        "redirect_uris": [{"matching_mode": "strict", "url": "https://minio.example/oauth_callback"}],
        "signing_key": ak.first("/api/v3/crypto/certificatekeypairs/", name="authentik Self-signed Certificate", has_key="true"),
        "property_mappings": managed + [mapping["pk"]],
        "include_claims_in_id_token": True,
    })
    ak.post("/api/v3/core/applications/", {"name": "MinIO", "slug": SLUG, "provider": provider["pk"]})


def mint(ak):
    response = requests.post(ak.url + "/application/o/token/", data={
        "grant_type": "client_credentials", "client_id": "minio", "client_secret": CLIENT_SECRET,
        "scope": "openid profile email minio"}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def authentik():
    with RunningDouble("authentik", ["--token", AK_TOKEN]) as running:
        ak = Authentik(running.url)
        setup_minio_app(ak, 'return {"policy": ["readonly", "e2e-writer"]}')
        yield ak


@pytest.fixture
def federated(minio_double, authentik):
    admin = minio_double.admin()
    admin.config_set("identity_openid", {
        "config_url": "%s/application/o/%s/.well-known/openid-configuration" % (authentik.url, SLUG),
        "client_id": "minio", "client_secret": CLIENT_SECRET, "claim_name": "policy",
        "scopes": "openid,profile,email,minio", "display_name": "authentik SSO"})
    before = minio_double.state()["boots"]
    admin.service_restart()
    minio_double.wait_booted(before, iam=True)
    return minio_double


def test_authentik_id_token_gives_s3_access_limited_by_policy(federated, authentik):
    admin = federated.admin()
    admin.policy_add("e2e-writer", policy={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:PutObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::shared", "arn:aws:s3:::shared/*"]}]})
    federated.s3().make_bucket("shared")
    federated.s3().make_bucket("private")
    tokens = mint(authentik)
    result = federated.boto3("sts").assume_role_with_web_identity(
        RoleArn="arn:aws:iam::123456789012:role/any", RoleSessionName="e2e", WebIdentityToken=tokens["id_token"])
    creds = result["Credentials"]
    s3 = federated.boto3("s3", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"])
    s3.put_object(Bucket="shared", Key="from-sso.txt", Body=b"sso")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="shared")["Contents"]] == ["from-sso.txt"]
    assert s3.get_object(Bucket="shared", Key="from-sso.txt")["Body"].read() == b"sso"  # readonly grants GetObject
    with pytest.raises(ClientError) as exc_info:
        s3.put_object(Bucket="private", Key="x.txt", Body=b"x")
    assert exc_info.value.response["Error"]["Code"] == "AccessDenied"
    # The subject is authentik's hashed user id.
    assert len(result["SubjectFromWebIdentityToken"]) == 64


def test_minio_py_web_identity_provider_with_authentik_access_token(federated, authentik):
    federated.s3().make_bucket("readable")
    federated.s3().put_object("readable", "hello.txt", io.BytesIO(b"hi"), 2)
    provider = WebIdentityProvider(jwt_provider_func=lambda: mint(authentik), sts_endpoint=federated.url)
    client = Minio(federated.endpoint, credentials=provider, secure=False, region="us-east-1")
    assert client.get_object("readable", "hello.txt").read() == b"hi"


def test_minio_sees_the_authentik_config_after_restart(federated, authentik):
    text = federated.admin().config_get("identity_openid")
    assert 'display_name="authentik SSO" ' in text
    assert "config_url=%s/application/o/%s/.well-known/openid-configuration " % (authentik.url, SLUG) in text
    assert CLIENT_SECRET not in text
