# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OIDC endpoints under /application/o/: discovery and JWKS per application slug, token, userinfo.

The token endpoint implements the non-interactive grants of authentik's views/token.py:
``client_credentials`` and ``password`` (handled identically) with (1) ``username`` + an
``app_password`` token key as ``password``, (2) ``client_secret = base64("user:app password")``,
(3) the provider's own client secret, which logs in the generated account
``ak-<provider name>-client_credentials``. The user must pass the application's policies.
On 2026.5+ the grant type must be listed in the provider's ``grant_types``.
"""

from __future__ import annotations

import base64
import binascii
import time
import uuid
from urllib.parse import parse_qs

from . import claims, policy
from .fields import parse_duration
from .store import now
from .web import html_not_found, oidc_json

INVALID_GRANT = ("The provided authorization grant or refresh token is invalid, expired, revoked, does not match the "
                 "redirection URI used in the authorization request, or was issued to another client")
INVALID_CLIENT = ("Client authentication failed (e.g., unknown client, no client authentication included, or "
                  "unsupported authentication method)")
UNSUPPORTED_GRANT = "The authorization grant type is not supported by the authorization server."
INVALID_TOKEN = "The access token provided is expired, revoked, malformed, or invalid for other reasons."
BASE_CLAIMS = ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce"]
GRANT_TYPES_SUPPORTED = ["authorization_code", "refresh_token", "implicit", "client_credentials", "password",
                         "urn:ietf:params:oauth:grant-type:device_code"]
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # 2026.8 (not emulated: answered invalid_grant)


def grant_types_supported(dialect):
    return GRANT_TYPES_SUPPORTED + ([TOKEN_EXCHANGE] if dialect.token_exchange else [])


class TokenError(Exception):
    def __init__(self, error):
        super().__init__(error)
        self.error = error


def _error(error):
    description = {"invalid_grant": INVALID_GRANT, "invalid_client": INVALID_CLIENT,
                   "unsupported_grant_type": UNSUPPORTED_GRANT}.get(error, "")
    return oidc_json({"error": error, "error_description": description, "request_id": uuid.uuid4().hex},
                     400, no_store=True)


class OIDC:
    def __init__(self, store, router):
        self.store = store
        self.router = router
        self.code_grant = None  # flow_executor.FlowExecutor.code_grant, the codes it issued

    def register(self):
        add = self.router.add
        add(r"/application/o/(?P<slug>[^/]+)/\.well-known/openid-configuration",
            {"GET": self.discovery}, auth=False)
        add(r"/application/o/(?P<slug>[^/]+)/jwks/", {"GET": self.jwks}, auth=False)
        add("/application/o/token/", {"POST": self.token}, auth=False)
        add("/application/o/userinfo/", {"GET": self.userinfo, "POST": self.userinfo}, auth=False)

    # discovery / JWKS ------------------------------------------------------------------------
    def _app_provider(self, slug):
        app = self.store.application_by_slug(slug)
        if app is None or app["provider"] is None or app["provider"] not in self.store.providers:
            return None, None
        return app, self.store.providers[app["provider"]]

    def discovery(self, ctx, slug):
        store = self.store
        app, provider = self._app_provider(slug)
        if provider is None:
            return html_not_found(store.dialect.version_string)
        base = ctx.base_url + "/application/o/"
        mappings = claims.provider_scope_mappings(store, provider)
        supported = list(BASE_CLAIMS)
        anonymous = store.users[1]
        for mapping in sorted(mappings, key=lambda m: (m["scope_name"], m["seq"])):
            for key in claims.get_claims(store, provider, anonymous, [mapping["scope_name"]]):
                if key not in supported:
                    supported.append(key)
        scopes = []
        for mapping in sorted(mappings, key=lambda m: m["seq"]):
            if mapping["scope_name"] not in scopes:
                scopes.append(mapping["scope_name"])
        body = {
            "issuer": claims.issuer(ctx.base_url, provider, app),
            "authorization_endpoint": base + "authorize/",
            "token_endpoint": base + "token/",
            "userinfo_endpoint": base + "userinfo/",
            "end_session_endpoint": base + "%s/end-session/" % slug,
            "introspection_endpoint": base + "introspect/",
            "revocation_endpoint": base + "revoke/",
            "device_authorization_endpoint": base + "device/",
            "backchannel_logout_supported": True,
            "backchannel_logout_session_supported": True,
            "response_types_supported": ["code", "id_token", "id_token token", "code token", "code id_token",
                                         "code id_token token"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "jwks_uri": base + "%s/jwks/" % slug,
            "grant_types_supported": grant_types_supported(store.dialect),
            "id_token_signing_alg_values_supported": [claims.jwt_alg(store, provider)],
            "subject_types_supported": ["public"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "acr_values_supported": [claims.ACR],
            "scopes_supported": scopes,
            "request_parameter_supported": False,
            "claims_supported": supported,
            "claims_parameter_supported": False,
            "code_challenge_methods_supported": ["plain", "S256"],
        }
        return oidc_json(body)

    def jwks(self, ctx, slug):  # pylint: disable=unused-argument
        app, provider = self._app_provider(slug)
        if provider is None:
            return html_not_found(self.store.dialect.version_string)
        del app
        material = claims.signing_material(self.store, provider)
        body = {"keys": [material.jwk()]} if material else {}
        return oidc_json(body, extra=[("access-control-allow-origin", "*")])

    # token -----------------------------------------------------------------------------------
    def token(self, ctx):
        request = ctx.request
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        try:
            return self._token(ctx, form)
        except TokenError as exc:
            return _error(exc.error)

    def _client_auth(self, request, form):
        header = request.header("authorization") or ""
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip()).decode("utf-8")
                client_id, dummy, secret = decoded.partition(":")
                return client_id, secret
            except (binascii.Error, UnicodeDecodeError):
                pass
        return form.get("client_id", ""), form.get("client_secret", "")

    def _token(self, ctx, form):
        store = self.store
        grant_type = form.get("grant_type", "")
        client_id, client_secret = self._client_auth(ctx.request, form)
        provider = next((p for p in store.providers.values() if p["client_id"] == client_id), None)
        if provider is None:
            raise TokenError("invalid_client")
        if grant_type in ("authorization_code", "refresh_token"):
            # authentik's TokenParams: from 2026.5 the grant type must be configured (checked first); then a
            # confidential client must send its secret, before the code or refresh token is even looked at. The
            # double issues neither codes nor refresh tokens, so a right secret ends at invalid_grant.
            if store.dialect.grant_types and grant_type not in provider["grant_types"]:
                raise TokenError("invalid_grant")
            if provider["client_type"] == "confidential" and client_secret != provider["client_secret"]:
                raise TokenError("invalid_client")
            if grant_type == "authorization_code" and self.code_grant is not None:
                return self.code_grant(ctx, form, provider, TokenError)
            raise TokenError("invalid_grant")
        if grant_type not in ("client_credentials", "password"):
            # the device code grant is not emulated
            raise TokenError("unsupported_grant_type" if grant_type not in grant_types_supported(store.dialect)
                             else "invalid_grant")
        if store.dialect.grant_types and grant_type not in provider["grant_types"]:
            raise TokenError("invalid_grant")
        app = store.application_for_provider(provider["pk"])
        if app is None:
            raise TokenError("invalid_grant")
        user = self._grant_user(form, provider, app, client_secret)
        if not user["is_active"] or not policy.passes(store, app["pk"], user, app["policy_engine_mode"]):
            raise TokenError("invalid_grant")
        user["last_login"] = now()
        requested = form.get("scope", "").split()
        scopes = claims.granted_scopes(store, provider, requested)
        validity = parse_duration(provider["access_token_validity"]).total_seconds()
        id_payload = claims.id_token_payload(store, provider, user, scopes, ctx.base_url, validity,
                                             http_request=ctx.request)
        return oidc_json(claims.token_answer(store, provider, user, scopes, validity, id_payload), no_store=True)

    def _grant_user(self, form, provider, app, client_secret):
        store = self.store
        username, password = form.get("username"), form.get("password")
        if not username and not password:
            try:
                decoded = base64.b64decode(client_secret, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                decoded = ""
            if ":" in decoded:
                username, dummy, password = decoded.partition(":")
            else:
                if not client_secret or client_secret != provider["client_secret"]:
                    raise TokenError("invalid_client")
                return self._generated_user(provider, app)
        user = store.user_by_name(username or "")
        token = store.valid_token(password or "", "app_password")
        if user is None or token is None or token["user"] != user["pk"]:
            raise TokenError("invalid_grant")
        return user

    def _generated_user(self, provider, app):
        store = self.store
        username = "ak-%s-client_credentials" % provider["name"]
        user = store.user_by_name(username)
        if user is None:
            user = store.new_user(username, user_type="service_account", path="goauthentik.io/apps/%s" % app["slug"])
        user["name"] = "Autogenerated user from application %s (client credentials)" % app["name"]
        user["attributes"] = {"goauthentik.io/user/generated": True}
        return user

    # userinfo --------------------------------------------------------------------------------
    def userinfo(self, ctx):
        store = self.store
        request = ctx.request
        header = request.header("authorization") or ""
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not token and request.method == "POST":
            form = parse_qs(request.body.decode("utf-8", "replace"))
            token = (form.get("access_token") or [""])[-1]
        record = store.issued_tokens.get(token)
        if record is None or record["expires"] < time.time() or record["provider"] not in store.providers \
                or record["user"] not in store.users:
            return oidc_json({"error": "invalid_token", "error_description": INVALID_TOKEN}, 401,
                             extra=[("www-authenticate", 'error="invalid_token"')])
        provider = store.providers[record["provider"]]
        user = store.users[record["user"]]
        body = {"sub": claims.subject(store, provider, user)}
        body.update(claims.get_claims(store, provider, user, record["scopes"], http_request=request))
        return oidc_json(body, no_store=True)
