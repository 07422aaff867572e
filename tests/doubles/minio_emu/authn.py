# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who is calling: root, an STS session (access key + session token) or nobody, after the SigV4 checks."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from . import sigv4
from .errors import ApiError


@dataclass
class Caller:
    access_key: str
    secret_key: str
    is_root: bool
    session: dict = None  # the STS credential record for temporary credentials

    @property
    def anonymous(self):
        return self.access_key == ""


ANONYMOUS = Caller("", "", False)


def authenticate(state, request, admin):
    """Mirror validateAdminSignature / checkRequestAuthType: raise ApiError, or return a Caller."""
    header = request.header("authorization") or ""
    if not header:
        if admin:
            raise ApiError("AccessDenied")
        return ANONYMOUS
    if admin and request.header("x-amz-content-sha256") is None:
        # validateAdminSignature only looks at signed requests that carry X-Amz-Content-Sha256.
        raise ApiError("AccessDenied")
    auth = sigv4.parse_authorization(header)
    if auth["service"] != "s3":
        raise ApiError(
            "AuthorizationParametersError",
            'Error parsing the Credential/X-Amz-Credential parameter; incorrect service "%s". This endpoint belongs to "s3".'
            % auth["service"],
            status=400,
        )
    secret, session = state.secret_for(auth["access_key"])
    if secret is None:
        raise ApiError("InvalidAccessKeyId")
    if session is not None:
        if not state.iam_ready:
            raise ApiError("XMinioServerNotInitialized")
        token = request.header("x-amz-security-token") or ""
        if not hmac.compare_digest(token, session["session_token"]):
            raise ApiError("InvalidToken")
    sigv4.verify(request, secret, auth)
    sigv4.check_payload(request)
    return Caller(auth["access_key"], secret, session is None, session)
