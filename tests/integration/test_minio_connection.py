# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MinIO connection options against the double: https with ca_path / validate_certs, wrong keys, no server.

Calls the collection's client directly (no ansible-playbook start-up): these are the options every
MinIO module shares through minio_argument_spec().
"""

from __future__ import annotations


import pytest

from certificates import self_signed  # tests/doubles, put on sys.path by tests/conftest.py
from harness import free_port


from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_admin import MinioAdminClient, MinioError  # noqa: E402

ROOT_USER = "minio-root"
ROOT_PASSWORD = "minio-root-password-0123"


def test_https_with_ca_path_or_without_verification_and_not_otherwise(start_double, tmp_path, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    cert, key = self_signed(tmp_path)
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD, "--tls-cert", cert, "--tls-key", key)
    assert minio.url.startswith("https://")

    trusted = MinioAdminClient(minio.url, ROOT_USER, ROOT_PASSWORD, ca_path=cert, timeout=10)
    assert trusted.policy_info("readwrite")["Statement"]
    unverified = MinioAdminClient(minio.url, ROOT_USER, ROOT_PASSWORD, validate_certs=False, timeout=10)
    assert unverified.policy_info("no-such-policy") is None

    with pytest.raises(MinioError) as err:
        MinioAdminClient(minio.url, ROOT_USER, ROOT_PASSWORD, timeout=10).policy_info("readwrite")
    assert "cannot reach MinIO at %s" % minio.url in str(err.value)
    assert "CERTIFICATE_VERIFY_FAILED" in str(err.value)


def test_wrong_secret_key_and_no_server_are_reported_in_minios_words(start_double):
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD)
    with pytest.raises(MinioError) as err:
        MinioAdminClient(minio.url, ROOT_USER, "not-the-password", timeout=10).policy_info("readwrite")
    assert err.value.status == "403" and err.value.code == "SignatureDoesNotMatch"
    assert "not-the-password" not in str(err.value)

    nobody = "http://127.0.0.1:%d" % free_port()
    with pytest.raises(MinioError) as err:
        MinioAdminClient(nobody, ROOT_USER, ROOT_PASSWORD, timeout=5).get_config_export()
    assert "cannot reach MinIO at %s" % nobody in str(err.value)
