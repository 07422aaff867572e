# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dispatch: URL routing, authentication, body parsing and error answers, in Django/DRF's order.

Order on the real server: URL resolution first (no route -> HTML 404, whatever the credentials),
then DRF authentication (any failure -> 403 JSON), then the method check (405 JSON), then the view.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from urllib.parse import parse_qs

from _double_server import Response

from .web import ApiError, api_empty, api_json, html_not_found, oidc_json, permission_denied

NO_CREDENTIALS = "Authentication credentials were not provided."
INVALID_TOKEN = "Token invalid/expired"


class Context:
    """What a handler sees: the request, the store, the authenticated user and helpers to answer."""

    def __init__(self, request, store, methods, base_url):
        self.request = request
        self.store = store
        self.dialect = store.dialect
        self.query = request.query
        self.methods = methods
        self.base_url = base_url
        self.user = None
        self.data = None

    @property
    def superuser(self):
        return self.user is not None and self.store.is_superuser(self.user)

    def require_superuser(self):
        if not self.superuser:
            raise permission_denied()

    def param(self, name, default=None):
        values = self.query.get(name)
        return values[-1] if values else default

    def params(self, name):
        return list(self.query.get(name) or [])

    def json(self, data, status=200):
        return api_json(data, status, self.methods)

    def empty(self, status=204):
        return api_empty(status, self.methods)


class Route:
    def __init__(self, pattern, handlers, auth=True):
        self.regex = re.compile("^" + pattern + "$")
        self.handlers = handlers  # method -> callable(ctx, **groups)
        self.auth = auth


def parse_body(request):
    if not request.body:
        return None
    content_type = (request.header("content-type") or "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        return {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8"), keep_blank_values=True).items()}
    if content_type == "multipart/form-data":
        message = email.message_from_bytes(b"Content-Type: " + request.header("content-type").encode("latin-1")
                                           + b"\r\n\r\n" + request.body, policy=email.policy.HTTP)
        return {part.get_param("name", header="content-disposition"): part.get_content()
                for part in message.iter_parts()}
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        # DRF's parsers: JSON, form and multipart
        raise ApiError(415, {"detail": "Unsupported media type \"%s\" in request." % content_type})
    try:
        return json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, {"detail": "JSON parse error - %s" % exc}) from None


class Router:
    def __init__(self, store, authenticate, scheme="http"):
        self.store = store
        self.routes = []
        self.authenticate = authenticate  # (request) -> user dict, raises ApiError(403)
        self.scheme = scheme

    def add(self, pattern, handlers, auth=True):
        self.routes.append(Route(pattern, handlers, auth))

    def base_url(self, request):
        return "%s://%s" % (self.scheme, request.host or "127.0.0.1")

    def __call__(self, request):
        for route in self.routes:
            match = route.regex.match(request.path)
            if match:
                return self._serve(route, match, request)
        return html_not_found(self.store.dialect.version_string, request.method)

    def _serve(self, route, match, request):
        methods = list(route.handlers)
        ctx = Context(request, self.store, methods, self.base_url(request))
        method = "GET" if request.method == "HEAD" else request.method
        try:
            with self.store.lock:
                if route.auth:
                    ctx.user = self.authenticate(request)
                if method == "OPTIONS":
                    return ctx.json({"name": "authentik", "renders": ["application/json"],
                                     "parses": ["application/json", "application/x-www-form-urlencoded",
                                                "multipart/form-data"]})
                handler = route.handlers.get(method)
                if handler is None:
                    raise ApiError(405, {"detail": "Method \"%s\" not allowed." % request.method})
                if method in ("POST", "PUT", "PATCH"):
                    ctx.data = parse_body(request)
                return handler(ctx, **match.groupdict())
        except ApiError as exc:
            if route.auth:
                return api_json(exc.body, exc.status, methods)
            if exc.status == 405:  # a plain Django view: empty 405 naming the allowed methods
                return Response(405, b"", [("Content-Type", "text/html; charset=utf-8"),
                                           ("allow", ", ".join(methods + ["OPTIONS"]))])
            return oidc_json(exc.body, exc.status)
