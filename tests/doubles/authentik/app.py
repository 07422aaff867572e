# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Assemble the double: store + routes + API authentication."""

from __future__ import annotations

import time

from _double_server import Response

from . import flow_executor
from .dialects import Dialect
from .oidc import OIDC
from .resources import applications, core, flows, mappings, providers
from .router import INVALID_TOKEN, NO_CREDENTIALS, Router
from .store import Store
from .web import ApiError

API_SCOPE = "goauthentik.io/api"


def make_authenticator(store):
    """authentik/api/authentication.py: Bearer <api token key>, or an OAuth access token carrying the
    goauthentik.io/api scope. Every failure is a 403 (DRF sends no WWW-Authenticate header)."""

    def authenticate(request):
        header = request.header("authorization")
        if not header:
            raise ApiError(403, {"detail": NO_CREDENTIALS})
        scheme, dummy, credentials = header.partition(" ")
        if scheme.lower() != "bearer":
            raise ApiError(403, {"detail": NO_CREDENTIALS})
        if credentials == "":
            raise ApiError(403, {"detail": "Malformed header"})
        token = store.valid_token(credentials, "api")
        user = store.users.get(token["user"]) if token else None
        if user is None:
            record = store.issued_tokens.get(credentials)
            if record and API_SCOPE in record["scopes"] and record["expires"] > time.time():
                user = store.users.get(record["user"])
        if user is None or not user["is_active"]:
            raise ApiError(403, {"detail": INVALID_TOKEN})
        return user

    return authenticate


def _health(ctx):  # pylint: disable=unused-argument
    """/-/health/live/ and /-/health/ready/: an empty 200 (a readiness probe's target)."""
    return Response(200, b"", [("Content-Type", "text/html; charset=utf-8")])


def build_app(api_version, token, scheme="http"):
    """Return ``(app, store)``; ``app(request) -> Response`` for _double_server.serve."""
    store = Store(Dialect(api_version), token)
    router = Router(store, make_authenticator(store), scheme=scheme)
    for module in (core, flows, mappings, providers, applications):
        module.register(router)
    oidc = OIDC(store, router)
    oidc.register()
    flow_executor.register(router, store, oidc)
    router.add("/-/health/live/", {"GET": _health}, auth=False)
    router.add("/-/health/ready/", {"GET": _health}, auth=False)
    return router, store
