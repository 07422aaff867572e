# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MinIO's embedded console, the two calls of its "Login with SSO": ``GET /api/v1/login`` and
``POST /api/v1/login/oauth2/auth``, served on the console port (``--console-port``).

From MinIO's source (cmd/common-main.go buildOpenIDConsoleConfig, console pkg/auth/idp/oauth2 and api/user_login.go):

* each enabled ``identity_openid`` target becomes one redirect rule ``{redirect, displayName, serviceType}`` of
  ``{"loginStrategy": "redirect", "redirectRules": [...], "isK8S": false, "animatedLogin": true}``; with none the
  strategy is ``form``;
* ``redirect`` is the provider's ``authorization_endpoint`` + Go oauth2's ``AuthCodeURL`` query (keys sorted:
  ``client_id``, ``redirect_uri``, ``response_type=code``, ``scope``, ``state``);
* the redirect URI: with ``redirect_uri_dynamic=on`` ``<scheme>://<Host of this request>/oauth_callback`` (scheme
  from ``X-Forwarded-Proto``, else the connection); otherwise the target's ``redirect_uri``; otherwise
  ``MINIO_BROWSER_REDIRECT_URL`` + ``/oauth_callback``; otherwise the console's own first address;
* the scopes: the target's ``scopes`` (they replace the discovery document's ``scopes_supported``), else
  ``scopes_supported``, then ``openid`` appended;
* the state: base64 of ``{"state": "<nonce>:<HMAC>", "idp_name": <target>}``, the HMAC keyed from the client ID and
  the deployment id;
* ``/api/v1/login/oauth2/auth`` with ``{code, state}`` checks the state, exchanges the code at the token endpoint
  with the stored client secret and the same redirect URI (Go's auto-detected client authentication: HTTP Basic,
  then the form), hands the ID token to the STS, and answers 204 with the session cookie ``token``. A refusal is
  401 ``{"code", "message", "detailedMessage"}`` whose detailed message carries the token endpoint's or the STS's
  words (the wording of ``message`` is the double's).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from urllib.parse import urlencode

import requests

from _double_server import Request, Response

from . import configkv, openid, sts
from .errors import StsError, request_id

CALLBACK = "/oauth_callback"
TIMEOUT = 10


def _error(status, message, detail):
    return Response.json({"code": status, "message": message, "detailedMessage": detail}, status=status)


class ConsoleApp:
    def __init__(self, state, console_url):
        self.state = state
        self.console_url = console_url  # http://127.0.0.1:<console port>, the console's own first address
        self.deployment_id = secrets.token_hex(16)
        self.sessions = {}

    def _key(self, client_id):
        return hashlib.pbkdf2_hmac("sha1", client_id.encode(), self.deployment_id.encode(), 4096, 32)

    def _targets(self):
        config = self.state.boot_config or {}
        out = {}
        for target, values in configkv.openid_targets(config, use_env=True).items():
            if target in self.state.providers:
                out[target] = values
        return out

    def _redirect(self, values, request):
        if values.get("redirect_uri_dynamic") == "on":
            scheme = request.header("x-forwarded-proto") or "http"
            return "%s://%s%s" % (scheme, request.host, CALLBACK)
        if values.get("redirect_uri"):
            return values["redirect_uri"]
        browser = os.environ.get("MINIO_BROWSER_REDIRECT_URL", "").rstrip("/")
        return (browser or self.console_url) + CALLBACK

    @staticmethod
    def _scopes(values, discovery):
        scopes = [s.strip() for s in (values.get("scopes") or "").split(",") if s.strip()]
        return (scopes or list(discovery.get("scopes_supported") or [])) + ["openid"]

    def __call__(self, request):
        if self.state.is_down():
            return Response(drop=True)
        if request.path == "/api/v1/login" and request.method == "GET":
            return self.login_details(request)
        if request.path == "/api/v1/login/oauth2/auth" and request.method == "POST":
            return self.oauth2_auth(request)
        return _error(404, "not found", "path %s not found" % request.path)

    def login_details(self, request):
        rules = []
        for target, values in sorted(self._targets().items()):
            try:
                discovery = openid.fetch_discovery(values["config_url"])
            except openid.OpenIDError:
                continue
            nonce = secrets.token_hex(16)
            signed = "%s:%s" % (nonce, hmac.new(self._key(values["client_id"]), nonce.encode(), "sha256").hexdigest())
            state = base64.b64encode(json.dumps({"state": signed, "idp_name": target}).encode()).decode()
            query = urlencode(sorted({"client_id": values["client_id"], "redirect_uri": self._redirect(values, request),
                                      "response_type": "code", "scope": " ".join(self._scopes(values, discovery)),
                                      "state": state}.items()))
            rules.append({"redirect": discovery["authorization_endpoint"] + "?" + query,
                          "displayName": values.get("display_name") or "Login with SSO", "serviceType": ""})
        strategy = "redirect" if rules else "form"
        return Response.json({"loginStrategy": strategy, "redirectRules": rules, "isK8S": False, "animatedLogin": True})

    def oauth2_auth(self, request):
        try:
            body = request.json() or {}
            outer = json.loads(base64.b64decode(body["state"]).decode())
            code, target, signed = body["code"], outer["idp_name"], outer["state"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "invalid request", "code and state are required")
        values = self._targets().get(target)
        if values is None:
            return _error(500, "an error occurred", "selected IDP %s does not exist" % target)
        nonce, dummy, mac = signed.partition(":")
        expected = hmac.new(self._key(values["client_id"]), nonce.encode(), "sha256").hexdigest()
        if not hmac.compare_digest(mac, expected):
            return _error(401, "invalid login", "invalid state")
        try:
            discovery = openid.fetch_discovery(values["config_url"])
        except openid.OpenIDError as exc:
            return _error(500, "an error occurred", str(exc))
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self._redirect(values, request)}
        try:
            answer = requests.post(discovery["token_endpoint"], data=form, timeout=TIMEOUT,
                                   auth=(values["client_id"], values["client_secret"]))
            if answer.status_code != 200:  # Go's auto-detection tries the form next
                answer = requests.post(discovery["token_endpoint"], timeout=TIMEOUT, data=dict(
                    form, client_id=values["client_id"], client_secret=values["client_secret"]))
        except requests.exceptions.RequestException as exc:
            return _error(500, "an error occurred", "oauth2: %s" % exc)
        try:
            tokens = answer.json()
        except ValueError:
            tokens = {}
        if answer.status_code != 200 or "id_token" not in tokens:
            words = 'oauth2: "%s" "%s"' % (tokens.get("error", answer.status_code), tokens.get("error_description", ""))
            return _error(401, "invalid login", words)
        sts_form = {"Action": "AssumeRoleWithWebIdentity", "Version": sts.API_VERSION, "WebIdentityToken": tokens["id_token"]}
        if values.get("claim_userinfo") == "on":
            sts_form["WebIdentityAccessToken"] = tokens.get("access_token", "")
        inner = Request(method="POST", path="/", raw_query="", query={},
                        headers={"content-type": "application/x-www-form-urlencoded"},
                        body=urlencode(sts_form).encode(), client="127.0.0.1", host=request.host)
        try:
            sts.assume_role_with_web_identity(self.state, inner, request_id())
        except StsError as exc:
            return _error(401, "invalid login", str(getattr(exc, "message", exc)))
        session = secrets.token_urlsafe(32)
        self.sessions[session] = target
        return Response(204, b"", [("Set-Cookie", "token=%s; Path=/; HttpOnly; SameSite=Lax" % session)])
