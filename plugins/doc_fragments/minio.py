# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options of every MinIO module (admin API v3), declared once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the MinIO server (S3 API port), for example V(https://minio.example.com:9000).
      - The server's base URL, scheme, host and port only; C(http) and C(https) are accepted. A URL with a path is
        refused before any request, by every MinIO module.
      - If not set, the value of the E(MINIO_URL) environment variable is used.
      - Plain C(http) to a host that is not this machine (C(localhost), 127.0.0.0/8, C(::1)) makes the task warn,
        because the admin API's payloads (sealed with nothing but O(secret_key)), ID tokens and temporary credentials
        (M(sso.authentik_minio.minio_sts_login)) would cross the network unencrypted.
    type: str
    required: true
  access_key:
    description:
      - Access key of a MinIO identity allowed to use the admin API (the root user, or one whose policy
        grants the C(admin:*) actions the module needs).
      - If not set, the value of the E(MINIO_ACCESS_KEY) environment variable is used.
    type: str
    required: true
  secret_key:
    description:
      - Secret key of O(access_key). It signs the requests and encrypts the admin payloads.
      - If not set, the value of the E(MINIO_SECRET_KEY) environment variable is used.
    type: str
    required: true
  validate_certs:
    description:
      - Verify the server's TLS certificate when O(url) uses C(https). V(false) makes the task warn.
      - O(ca_path) wins over V(false); see O(ca_path) for the whole order.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file (or directory of hashed certificates) of the certificate authorities to trust for O(url).
      - 'The certificate is verified against the first of these that applies, the same for the admin API, STS and S3
        calls and for authentik: O(ca_path); nothing, when O(validate_certs=false); the first of E(REQUESTS_CA_BUNDLE),
        E(CURL_CA_BUNDLE) and E(SSL_CERT_FILE) that is set and not empty; the C(certifi) bundle.'
      - With an C(https) URL, a file named by O(ca_path) or by one of those variables must exist, or the task fails
        before any request.
    type: path
  timeout:
    description:
      - Seconds to wait for each answer of the admin API. Must be greater than 0.
      - Changing C(identity_openid) makes MinIO fetch the OpenID discovery document and JWKS before
        it answers, so allow for the provider's response time too.
    type: int
    default: 30
requirements:
  - minio >= 7.2.17 (minio-py, which brings argon2-cffi, pycryptodome and urllib3)
notes:
  - The modules talk to MinIO's admin API directly and do not need the C(mc) binary.
  - Reads (of the admin API, of S3, and the STS login, which stores nothing) are retried on connection errors and
    HTTP 429, 502, 503 and 504 (3 more tries, 0.5, 1 and 2 s apart); changes are sent once, because MinIO may have
    applied one whose answer was lost. Running the task again is safe.
    M(sso.authentik_minio.minio_identity_openid) goes further; after a set or restart call without an answer (for
    example while another run restarts MinIO) it waits for MinIO, reads what is stored, sends only what is missing,
    and restarts once more.
"""
