# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every authentik module (declared once, see _authentik_module.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of authentik, for example V(https://auth.example.com).
      - The API is reached under C(<url>/api/v3/); a trailing C(/api/v3) in the value is accepted too.
      - If not set, the value of the E(AUTHENTIK_URL) environment variable is used.
      - Plain C(http) to a host that is not this machine (C(localhost), 127.0.0.0/8, C(::1)) makes the task warn,
        because the token would cross the network unencrypted.
    type: str
    required: true
  token:
    description:
      - An authentik API token (intent C(api)), sent in an C(Authorization) header as a bearer token.
      - The token's user needs the rights on the objects the module manages; a superuser token works.
      - If not set, the value of the E(AUTHENTIK_TOKEN) environment variable is used. An empty or white-space value is
        refused before any call.
    type: str
    required: true
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. V(false) on an C(https) URL makes the task warn.
      - O(ca_path) wins over V(false); see O(ca_path) for the whole order.
      - If not set, E(AUTHENTIK_INSECURE) is used, inverted (V(true) there means V(false) here), as in the
        authentik Terraform provider.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM file, or a directory of hashed certificates) to verify the server's certificate with.
      - 'The certificate is verified against the first of these that applies, the same for every module of the
        collection and for MinIO: O(ca_path); nothing, when O(validate_certs=false); the first of E(REQUESTS_CA_BUNDLE),
        E(CURL_CA_BUNDLE) and E(SSL_CERT_FILE) that is set and not empty; the C(certifi) bundle.'
      - With an C(https) URL, a file named by O(ca_path) or by one of those variables must exist, or the task fails
        before any request.
    type: path
  timeout:
    description:
      - Seconds to wait for each answer of authentik. Must be greater than 0.
    type: float
    default: 30
requirements:
  - requests
notes:
  - The authentik release is read once per task (C(GET /api/v3/admin/version/)); paths and payloads follow it.
    authentik 2024.6 to 2026.8 is supported and verified. A newer release is used with a warning naming the newest
    verified release; an older release than 2024.6 is refused before anything is written.
  - Reads are retried with a bounded backoff on connection errors and HTTP 429, 502, 503 and 504 (3 more tries,
    0.5, 1 and 2 s apart; a C(Retry-After) of up to 5 s is honoured). An untrusted certificate is not retried.
  - Changes are never repeated blindly. An update whose answer was lost fails the task; running it again is safe.
    A create that got no clear answer, or that was refused because another run created the same object first, is
    followed by a lookup. An object found then is used (and updated if needed); only when none exists is the
    create sent once more, and only if the server did not refuse its content.
"""
