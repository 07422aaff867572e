# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Service restart, health endpoints, IAM offline when the IdP is away, persistence."""

from __future__ import annotations

import io
import json
import time

import pytest
import requests
from botocore.exceptions import ClientError

from minio_helpers import CLIENT_ID, CLIENT_SECRET, ROOT_PASSWORD, admin_call

pytest_plugins = ["conftest_minio"]


def openid(issuer):
    return {"config_url": issuer.config_url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


def health(double, name):
    return requests.get(double.url + "/minio/health/" + name, timeout=5)


def sts_error(double, token):
    with pytest.raises(ClientError) as exc_info:
        double.boto3("sts").assume_role_with_web_identity(
            RoleArn="arn:aws:iam::123456789012:role/ignored", RoleSessionName="session", WebIdentityToken=token
        )
    return exc_info.value.response


def test_restart_answers_then_goes_away_then_comes_back(minio_double, oidc_issuer):
    minio_double.set_outage(3)  # long enough to be observed even on a loaded CI machine
    admin = minio_double.admin()
    admin.config_set("identity_openid", openid(oidc_issuer))
    before = minio_double.state()["boots"]
    assert admin.service_restart() == ""
    with pytest.raises(requests.exceptions.ConnectionError):
        health(minio_double, "live")  # the connection is dropped while the server is out
    minio_double.wait_booted(before, timeout=10)
    for name in ("live", "ready", "cluster"):
        assert health(minio_double, name).status_code == 200
    # After the boot the OpenID provider was initialised from discovery and JWKS.
    assert oidc_issuer.hits.count("/jwks") >= 2  # once when set, once at boot
    assert minio_double.state()["providers"] == ["_"]


def test_restart_v2_answers_json_and_unknown_action_is_refused(minio_double):
    admin = minio_double.admin()
    body = json.loads(admin_call(admin, "POST", "service", {"action": "restart", "type": "2", "dry-run": "true"}).data)
    assert body == {"action": "restart", "dryRun": True, "results": [{"host": minio_double.endpoint}]}
    with pytest.raises(Exception) as exc_info:
        admin_call(admin, "POST", "service", {"action": "explode"})
    assert json.loads(exc_info.value._body)["Code"] == "MalformedPOSTRequest"  # pylint: disable=protected-access


def test_idp_unreachable_at_boot_keeps_iam_offline_until_it_returns(minio_double, oidc_issuer):
    admin = minio_double.admin()
    admin.config_set("identity_openid", openid(oidc_issuer))
    oidc_issuer.discovery_status = 503
    before = minio_double.state()["boots"]
    admin.service_restart()
    minio_double.wait_booted(before)
    response = health(minio_double, "cluster")
    assert response.status_code == 503 and response.headers["x-minio-server-status"] == "iam-offline"
    assert health(minio_double, "live").status_code == 200 and health(minio_double, "ready").status_code == 200
    error = sts_error(minio_double, oidc_issuer.token())
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 503 and error["Error"]["Code"] == "STSIAMNotInitialized"
    # Root still works, so the config could be repaired.
    assert "config_url=%s " % oidc_issuer.config_url in admin.config_get("identity_openid")
    oidc_issuer.discovery_status = 200  # the IdP is back: MinIO's retry loop initialises IAM
    deadline = time.monotonic() + 10
    while health(minio_double, "cluster").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert health(minio_double, "cluster").status_code == 200
    creds = minio_double.boto3("sts").assume_role_with_web_identity(
        RoleArn="arn:aws:iam::123456789012:role/ignored", RoleSessionName="session", WebIdentityToken=oidc_issuer.token()
    )["Credentials"]
    assert len(creds["AccessKeyId"]) == 20


def test_stopped_idp_gives_iam_offline(minio_double, oidc_issuer):
    minio_double.admin().config_set("identity_openid", openid(oidc_issuer))
    oidc_issuer.stop()
    before = minio_double.state()["boots"]
    minio_double.admin().service_restart()
    minio_double.wait_booted(before)
    assert health(minio_double, "cluster").status_code == 503
    assert "connection refused" in minio_double.state()["iam_error"]


def test_config_policies_and_buckets_survive_a_process_restart(minio_factory, oidc_issuer, tmp_path):
    data_dir = tmp_path / "persist"
    first = minio_factory(data_dir=data_dir)
    first.admin().config_set("identity_openid", openid(oidc_issuer))
    first.admin().policy_add("keep-me", policy={
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::kept/*"]}]})
    first.s3().make_bucket("kept")
    first.s3().put_object("kept", "dir/file.txt", io.BytesIO(b"persisted"), 9)
    first.running.stop()
    second = minio_factory(data_dir=data_dir)
    text = second.admin().config_get("identity_openid")  # boot reads the stored config
    assert "config_url=%s " % oidc_issuer.config_url in text
    assert json.loads(second.admin().policy_info("keep-me"))["Statement"][0]["Resource"] == ["arn:aws:s3:::kept/*"]
    assert [b.name for b in second.s3().list_buckets()] == ["kept"]
    assert second.s3().get_object("kept", "dir/file.txt").read() == b"persisted"
    assert health(second, "cluster").status_code == 200


def test_default_root_credentials_and_custom_ones(minio_factory):
    custom = minio_factory("--root-user", "admin-user", "--root-password", "admin-password-123")
    assert "readwrite" in json.loads(custom.admin("admin-user", "admin-password-123").policy_list())
    with pytest.raises(Exception) as exc_info:
        custom.admin("minioadmin", ROOT_PASSWORD).policy_list()
    assert json.loads(exc_info.value._body)["Code"] == "InvalidAccessKeyId"  # pylint: disable=protected-access


def test_tls_serves_https_with_the_same_api(minio_factory, tmp_path, monkeypatch):
    import datetime  # pylint: disable=import-outside-toplevel
    import ipaddress  # pylint: disable=import-outside-toplevel

    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel
    from minio import MinioAdmin  # pylint: disable=import-outside-toplevel
    from minio.credentials import StaticProvider  # pylint: disable=import-outside-toplevel

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    double = minio_factory("--tls-cert", str(cert_file), "--tls-key", str(key_file))
    assert double.url.startswith("https://127.0.0.1:")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # minio-py's PoolManager trusts this CA file
    admin = MinioAdmin(endpoint=double.endpoint, credentials=StaticProvider("minioadmin", ROOT_PASSWORD), secure=True)
    assert "identity_openid " in admin.config_get("identity_openid")
    assert requests.get(double.url + "/minio/health/live", verify=str(cert_file), timeout=5).status_code == 200
