# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reaching admin APIs minio-py has no method for, still through minio-py's own request machinery.

``MinioAdmin._url_open`` signs, sends and raises ``MinioAdminException`` exactly as the public methods do;
it only needs an object with a ``value`` (the API path after /minio/admin/v3/). botocore's signer covers
the two requests no official client would ever send (no X-Amz-Content-Sha256, another API version).
"""

from __future__ import annotations

import hashlib
import io
from types import SimpleNamespace

import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from minio import crypto


ROOT_USER = "minioadmin"
ROOT_PASSWORD = "minioadmin"
CLIENT_ID = "minio-client"
CLIENT_SECRET = "test-client-secret-for-minio"


def config_get_error(admin, key):
    """minio-py 7.2.20's config_get hides a failed request behind UnboundLocalError: return the real error."""
    try:
        admin.config_get(key)
    except UnboundLocalError as exc:
        return exc.__context__
    raise AssertionError("config_get(%r) unexpectedly succeeded" % key)


def admin_call(admin, method, api, query=None, body=None):
    """-> urllib3 response (status 200/204/206) or raise MinioAdminException."""
    return admin._url_open(  # pylint: disable=protected-access
        method=method, command=SimpleNamespace(value=api), query_params=query, body=body
    )


class _Body(io.BytesIO):
    def release_conn(self):
        pass


def decrypt(data, secret):
    return crypto.decrypt(_Body(data), secret)


def encrypt_chacha(payload, password):
    """madmin's AEAD id 1 (Argon2id + ChaCha20-Poly1305), what Go clients send on CPUs without AES-NI."""
    return _encrypt_with(payload, password, 1)


def encrypt_fips(payload, password):
    """madmin's id 2 (FIPS builds): PBKDF2-HMAC-SHA256 with 8192 rounds, then AES-256-GCM."""
    return _encrypt_with(payload, password, 2)


def _encrypt_with(payload, password, aead_id):
    import hashlib as _hashlib  # pylint: disable=import-outside-toplevel
    import os  # pylint: disable=import-outside-toplevel

    # pylint: disable=protected-access
    nonce, salt = os.urandom(8), os.urandom(32)
    if aead_id == 2:
        key, cipher_id = _hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 8192, 32), 0
    else:
        key, cipher_id = crypto._generate_key(password.encode(), salt), aead_id
    additional = crypto._generate_additional_data(cipher_id, key, nonce + b"\x00\x00\x00\x00")
    out = salt + bytes([aead_id]) + nonce
    chunks = [payload[i:i + 16384] for i in range(0, len(payload), 16384)] or [b""]
    for index, chunk in enumerate(chunks, start=1):
        aad = crypto._mark_as_last(additional) if index == len(chunks) else additional
        cipher = crypto._get_cipher(cipher_id, key, crypto._update_nonce_id(nonce, index))
        cipher.update(aad)
        sealed, tag = cipher.encrypt_and_digest(chunk)
        out += sealed + tag
    return out


def botocore_signed(method, url, access_key, secret_key, body=b"", content_sha=True, service="s3"):
    """Send a request signed by botocore's generic SigV4 signer (which adds no X-Amz-Content-Sha256 itself)."""
    request = AWSRequest(method=method, url=url, data=body)
    if content_sha:
        request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    SigV4Auth(Credentials(access_key, secret_key), service, "us-east-1").add_auth(request)
    return requests.request(method, url, headers=dict(request.headers.items()), data=body, timeout=10)
