# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""madmin payload encryption (argon2id + AES-GCM / ChaCha20-Poly1305 in sio framing) via minio-py's ``minio.crypto``.

The double encrypts answers the way MinIO does on an AES-NI machine (AEAD id 0), with the secret key of
the credential that signed the request, and decrypts ids 0 and 1 (minio-py's own decrypter) and 2 (the
FIPS-only PBKDF2 variant, from hashlib + minio.crypto's AES-GCM).
"""

from __future__ import annotations

import hashlib
import io
import os
import threading

from minio import crypto

from .errors import ApiError

MAX_ECONFIG_SIZE = 262272  # cmd/admin-handlers-config-kv.go: maxEConfigJSONSize
HEADER_LEN = 41
CHUNK = 16384  # sio BufSize


class _Body(io.BytesIO):
    """The file-like object minio.crypto.DecryptReader expects from an HTTP response."""

    def release_conn(self):
        pass


def decrypt(data, secret_key):
    """Decrypt a request body; any failure is MinIO's fixed XMinioAdminConfigBadJSON."""
    if len(data) <= HEADER_LEN or data[32] not in (0, 1, 2):
        raise ApiError("XMinioAdminConfigBadJSON")
    try:
        if data[32] == 2:
            return _decrypt_fips(data, secret_key)
        return crypto.decrypt(_Body(data), secret_key)
    except (ValueError, IOError, KeyError) as exc:
        raise ApiError("XMinioAdminConfigBadJSON") from exc


def _decrypt_fips(data, secret_key):
    """Id 2 (FIPS builds): PBKDF2-HMAC-SHA256, 8192 rounds, then the same AES-GCM sio stream as id 0.

    minio.crypto only knows ids 0 and 1, so the key comes from hashlib and the fragments are opened with
    minio.crypto's AES-GCM cipher factory.
    """
    # pylint: disable=protected-access
    salt, nonce, stream = data[:32], data[33:41], data[41:]
    key = hashlib.pbkdf2_hmac("sha256", secret_key.encode(), salt, 8192, 32)
    additional = crypto._generate_additional_data(0, key, nonce + b"\x00\x00\x00\x00")
    fragment = CHUNK + 16
    pieces = [stream[i:i + fragment] for i in range(0, len(stream), fragment)]
    out = []
    for index, piece in enumerate(pieces, start=1):
        if len(piece) < 16:
            raise ValueError("truncated fragment")
        aad = crypto._mark_as_last(additional) if index == len(pieces) else additional
        cipher = crypto._get_cipher(0, key, crypto._update_nonce_id(nonce, index))
        cipher.update(aad)
        out.append(cipher.decrypt_and_verify(piece[:-16], piece[-16:]))
    return b"".join(out)


_KEYS = {}  # secret -> (salt, derived key): see encrypt()
_KEYS_LOCK = threading.Lock()


def _salt_and_key(secret_key):
    # Argon2id with 64 MiB costs ~0.3 s here. MinIO derives a key from a fresh salt for every answer; the
    # double reuses one salt per secret (each answer still gets a fresh random stream nonce, so the AEAD
    # stays sound). Clients cannot tell: they read the salt from every message and derive the key again.
    with _KEYS_LOCK:
        if secret_key not in _KEYS:
            salt = os.urandom(32)
            _KEYS[secret_key] = (salt, crypto._generate_key(secret_key.encode(), salt))  # pylint: disable=protected-access
        return _KEYS[secret_key]


def encrypt(plaintext, secret_key):
    """madmin.EncryptData with AEAD id 0, built from minio.crypto's primitives (same framing as crypto.encrypt).

    Unlike minio-py <= 7.2.20, an empty plaintext gets its final empty fragment (a bare tag), as Go's sio writes.
    """
    # pylint: disable=protected-access
    salt, key = _salt_and_key(secret_key)
    nonce = os.urandom(8)
    additional = crypto._generate_additional_data(0, key, nonce + b"\x00\x00\x00\x00")
    chunks = [plaintext[i:i + CHUNK] for i in range(0, len(plaintext), CHUNK)] or [b""]
    out = [salt, b"\x00", nonce]
    for index, chunk in enumerate(chunks, start=1):
        aad = crypto._mark_as_last(additional) if index == len(chunks) else additional
        cipher = crypto._get_cipher(0, key, crypto._update_nonce_id(nonce, index))
        cipher.update(aad)
        sealed, tag = cipher.encrypt_and_digest(chunk)
        out += [sealed, tag]
    return b"".join(out)


def check_length(request):
    """Config bodies need a known Content-Length within MinIO's limit (chunked bodies are refused)."""
    length = request.header("content-length")
    if length is None or int(length) > MAX_ECONFIG_SIZE:
        raise ApiError("XMinioAdminConfigTooLarge")
