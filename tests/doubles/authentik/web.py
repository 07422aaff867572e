# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP answers in the shapes a real authentik 2025.12.4 sends (see the recordings).

* REST (DRF) JSON: ``application/json; charset=utf-8`` plus an ``allow`` header naming the endpoint's
  methods; OIDC endpoints: ``application/json`` without charset (token/userinfo add no-store).
* Unknown paths and paths without their trailing slash: Django's HTML 404 page for GET/HEAD, and an
  empty 405 (``Allow: GET, HEAD, OPTIONS``) for other methods, because the catch-all route is GET-only.
"""

from __future__ import annotations

import json
import os
import uuid

from _double_server import Response

_HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(_HERE, "not_found.html"), encoding="utf-8") as _page:
    _NOT_FOUND_TEMPLATE = _page.read()

DRF_METHOD_ORDER = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def allow_header(methods):
    ordered = [m for m in DRF_METHOD_ORDER if m in methods]
    if "GET" in methods:
        ordered.append("HEAD")
    ordered.append("OPTIONS")
    return ", ".join(ordered)


def _common_headers():
    return [
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-authentik-id", uuid.uuid4().hex),
        ("vary", "Accept-Language, Cookie"),
        ("content-language", "en"),
    ]


class ApiError(Exception):
    """Raised inside a handler to answer with a DRF-shaped error."""

    def __init__(self, status, body):
        super().__init__(status)
        self.status = status
        self.body = body


def validation_error(errors):
    return ApiError(400, errors)


def not_found(model):
    return ApiError(404, {"detail": "No %s matches the given query." % model})


def permission_denied():
    return ApiError(403, {"detail": "You do not have permission to perform this action."})


def api_json(data, status=200, methods=("GET",)):
    body = json.dumps(data).encode("utf-8")
    headers = [("Content-Type", "application/json; charset=utf-8"), ("allow", allow_header(methods))]
    return Response(status, body, headers + _common_headers())


def api_empty(status=204, methods=("GET",)):
    return Response(status, b"", [("allow", allow_header(methods))] + _common_headers())


def html_not_found(version_string, method="GET"):
    if method not in ("GET", "HEAD"):
        # The catch-all is a GET-only Django view: other methods get an empty 405.
        return Response(405, b"", [("Content-Type", "text/html; charset=utf-8"), ("allow", "GET, HEAD, OPTIONS")]
                        + _common_headers())
    page = _NOT_FOUND_TEMPLATE.replace("2025.12.4", version_string)
    return Response(404, page.encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")] + _common_headers())


def oidc_json(data, status=200, no_store=False, extra=()):
    headers = [("Content-Type", "application/json")]
    if no_store:
        headers += [("cache-control", "no-store"), ("pragma", "no-cache")]
    headers += list(extra)
    return Response(status, json.dumps(data).encode("utf-8"), headers + _common_headers())
