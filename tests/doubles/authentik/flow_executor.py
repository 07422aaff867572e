# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The interactive login: ``/application/o/authorize/``, the flow executor and the authorization code grant.

Follows the recorded conversation of a real 2025.12.4 (tests/fidelity/recordings/authentik-2025.12.4-flows/);
where it is silent, authentik's own code (providers/oauth2/views/authorize.py, flows/views/executor.py,
stages/identification, stages/password, stages/authenticator_validate, stages/consent) decides.

* ``GET /application/o/authorize/``: the client and redirect URI are checked first (an unknown client or a
  redirect URI the provider does not allow is a 400 HTML error page, before any login, and authentik never
  redirects to a URI it does not allow). Without an authenticated session it plans the brand's authentication
  flow (``default-authentication-flow``), keeps the application in the session and answers 302 to
  ``/if/flow/<slug>/?<the authorize parameters>&next=<the authorize path and query>``. Logged in, the
  application's policy bindings decide: refused is a 200 HTML "Permission denied" page; allowed, the provider's
  authorization flow runs: the implicit-consent flow has no stage, so the answer is at once a 302 to the
  redirect URI with ``code`` and ``state``; the explicit-consent flow is planned and shows ``ak-stage-consent``.
* ``/api/v3/flows/executor/<slug>/?query=<the interface's query string>``: GET answers the current stage's
  challenge as JSON; a stage that needs no input (MFA validation for a user without devices) and every
  successful POST answer a bare 302 to the same URL; the end of the flow is ``xak-flow-redirect`` to ``next``.
  Stages of the authentication flow: identification (any uid is accepted, unknown ones too), password (wrong,
  inactive or unknown: the same challenge with ``response_errors.password``; the fifth failure is
  ``ak-stage-access-denied`` and drops the plan), MFA validation (skipped without devices, otherwise the
  ``ak-stage-authenticator-validate`` challenge, which a headless client cannot answer), user login. Stage
  bindings are not emulated: every authentication flow (the provider's own ``authentication_flow`` when set, else
  ``default-authentication-flow``) runs these four stages.
* The session cookie ``authentik_session`` carries the plan; its id rotates when the user logs in, and an old
  value no longer authenticates.
* ``POST /application/o/token/`` with ``grant_type=authorization_code`` (hooked into oidc.py): client
  authentication first (``invalid_client``), then the code (``invalid_grant`` when unknown, expired or used),
  then the redirect URI, which must be the one of the authorize request (``invalid_client``, as recorded).
  Failed client authentication or a wrong redirect URI do not burn the code; a code is deleted when used.
* Test support, as on the real server: ``POST /api/v3/core/users/<pk>/set_password/`` and
  ``POST /api/v3/authenticators/admin/totp/`` (a confirmed TOTP device for a user, so that MFA validation asks).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from urllib.parse import parse_qs, quote, urlencode

import jwt

from _double_server import Response

from . import claims, policy
from .fields import parse_duration
from .store import generate_key, now
from .web import ApiError, _common_headers, not_found, oidc_json, validation_error

AUTHENTICATION_FLOW = "default-authentication-flow"
IMPLICIT_CONSENT = "default-provider-authorization-implicit-consent"
EXPLICIT_CONSENT = "default-provider-authorization-explicit-consent"
COOKIE = "authentik_session"
COOKIE_ATTRIBUTES = "HttpOnly; Path=/; SameSite=Lax"
EXECUTOR = "/api/v3/flows/executor/"
FAILED_ATTEMPTS_BEFORE_CANCEL = 5
AVATAR = "/static/dist/assets/images/user_default.png"
BACKGROUND = "/static/dist/assets/images/flow_background.jpg"
INVALID_PASSWORD = "Invalid password"
STAGES = ("identification", "password", "mfa", "login")
PAGE = ("\n\n\n\n\n<!DOCTYPE html>\n<html\n    lang=\"en\"\n    data-theme=\"light\"\n    data-theme-choice=\"auto\"\n>\n"
        "    <head>\n        <meta charset=\"UTF-8\">\n        <title>%s</title>\n    </head>\n    <body>\n%s\n"
        "    </body>\n</html>\n")


def _html(status, title, text, extra=()):
    body = PAGE % (title, text)
    headers = [("Content-Type", "text/html; charset=utf-8")] + list(extra) + _common_headers()
    return Response(status, body.encode("utf-8"), [h for h in headers if h[0] != "x-frame-options"]
                    + [("X-Frame-Options", "DENY")])


def redirect_uri_error():
    return _html(400, "authentik", "<h1>Redirect URI Error</h1><p>The request fails due to a missing, invalid, or "
                 "mismatching redirection URI (redirect_uri).</p><a href=\"/\">Go home</a><p>Powered by authentik</p>")


def client_id_error():
    return _html(400, "authentik", "<h1>Client ID Error</h1><p>The client identifier (client_id) is missing or "
                 "invalid.</p><a href=\"/\">Go home</a><p>Powered by authentik</p>")


def permission_denied_page(username):
    return _html(200, "Permission denied - authentik", "<h1>Permission denied</h1><p>%s</p><a>Not you?</a>"
                 "<p>Request has been denied.</p><a href=\"/\">Go home</a><p>Powered by authentik</p>" % username)


def redirect_allowed(store, provider, redirect_uri):
    """OAuth2Provider's redirect URI check: strict entries compare equal, regex entries must fullmatch (every entry
    of the string era is a regex); entries of another type (2026.5: logout) do not count."""
    for entry in provider["redirect_uris"]:
        if store.dialect.redirect_uri_type and entry.get("redirect_uri_type", "authorization") != "authorization":
            continue
        if entry["matching_mode"] == "strict" and entry["url"] == redirect_uri:
            return True
        if entry["matching_mode"] == "regex":
            try:
                if re.fullmatch(entry["url"], redirect_uri):
                    return True
            except re.error:
                continue
    return False


class Sessions:
    """Server-side sessions behind the ``authentik_session`` cookie (an HS256 JWT naming the session id)."""

    def __init__(self):
        self.key = secrets.token_hex(32)
        self.by_sid = {}

    def load(self, request):
        raw = ""
        for part in (request.header("cookie") or "").split(";"):
            name, dummy, value = part.strip().partition("=")
            if name == COOKIE:
                raw = value
        try:
            sid = jwt.decode(raw, self.key, algorithms=["HS256"], issuer="authentik")["sid"]
        except jwt.PyJWTError:
            sid = None
        return self.by_sid.get(sid)

    def new(self):
        session = {"sid": secrets.token_hex(32), "user": None, "authenticated": False, "plan": None,
                   "application": None, "auth_time": None}
        self.by_sid[session["sid"]] = session
        if len(self.by_sid) > 10000:  # bounded: drop the oldest
            del self.by_sid[next(iter(self.by_sid))]
        return session

    def rotate(self, session):
        """A new id for a session whose user just logged in: the old cookie no longer finds it."""
        self.by_sid.pop(session["sid"], None)
        session["sid"] = secrets.token_hex(32)
        self.by_sid[session["sid"]] = session

    def cookie(self, store, session):
        user = store.users.get(session["user"]) if session["user"] else None
        value = jwt.encode({"sid": session["sid"], "iss": "authentik", "sub": store.uid(user) if user else "",
                            "authenticated": session["authenticated"], "acr": "goauthentik.io/core/default"},
                           self.key, algorithm="HS256")
        return ("Set-Cookie", "%s=%s; %s" % (COOKIE, value, COOKIE_ATTRIBUTES))


class FlowExecutor:
    def __init__(self, store, router, oidc):
        self.store = store
        self.router = router
        self.sessions = Sessions()
        self.passwords = {}  # user pk -> password
        self.devices = {}  # user pk -> list of TOTP devices
        self.codes = {}  # code -> {provider, user, redirect_uri, scopes, expires, sid, auth_time}
        oidc.code_grant = self.code_grant

    def register(self):
        add = self.router.add
        add("/application/o/authorize/", {"GET": self.authorize, "POST": self.authorize}, auth=False)
        add(r"/if/flow/(?P<slug>[^/]+)/", {"GET": self.interface}, auth=False)
        add(EXECUTOR + r"(?P<slug>[^/]+)/", {"GET": self.executor_get, "POST": self.executor_post}, auth=False)
        add(r"/api/v3/core/users/(?P<pk>\d+)/set_password/", {"POST": self.set_password})
        add("/api/v3/authenticators/admin/totp/", {"POST": self.totp_create})

    # test support endpoints (authenticated API) --------------------------------------------------
    def set_password(self, ctx, pk):
        ctx.require_superuser()
        user = self.store.users.get(int(pk))
        if user is None:
            raise not_found("User")
        password = (ctx.data or {}).get("password")
        if not isinstance(password, str) or password == "":
            raise validation_error({"password": ["This field is required."]})
        self.passwords[user["pk"]] = password
        user["password_change_date"] = now()
        return ctx.empty(204)

    def totp_create(self, ctx):
        ctx.require_superuser()
        data = ctx.data or {}
        user = self.store.users.get(data.get("user")) if isinstance(data.get("user"), int) else None
        if user is None:
            raise validation_error({"user": ["Invalid pk \"%s\" - object does not exist." % data.get("user")]})
        device = {"pk": len(self.devices.get(user["pk"], [])) + 1, "name": str(data.get("name") or "totp"),
                  "confirmed": True, "user": user["pk"]}
        self.devices.setdefault(user["pk"], []).append(device)
        return ctx.json({"pk": device["pk"], "name": device["name"], "type": "authentik_stages_authenticator_totp.totpdevice",
                         "confirmed": True}, 201)

    # authorize ----------------------------------------------------------------------------------------
    def authorize(self, ctx):
        store = self.store
        request = ctx.request
        params = {k: v[-1] for k, v in request.query.items()}
        if request.method == "POST":
            params.update(ctx.data or {})
        provider = next((p for p in store.providers.values() if p["client_id"] == params.get("client_id", "")), None)
        app = store.application_for_provider(provider["pk"]) if provider else None
        if provider is None or app is None:
            return client_id_error()
        redirect_uri = params.get("redirect_uri", "")
        if not provider["redirect_uris"] and redirect_uri:
            # authentik saves the first redirect URI used when none is configured
            provider["redirect_uris"] = [{"matching_mode": "strict", "url": redirect_uri}]
        if not redirect_allowed(store, provider, redirect_uri):
            return redirect_uri_error()
        session = self.sessions.load(request)
        user = store.users.get(session["user"]) if session and session["authenticated"] else None
        if user is None or not user["is_active"]:
            session = self.sessions.new()
            session["application"] = app["slug"]
            query = request.raw_query
            # the provider's own authentication flow when it has one, else the brand's
            chosen = store.flows.get(provider["authentication_flow"]) if provider["authentication_flow"] else None
            slug = chosen["slug"] if chosen else AUTHENTICATION_FLOW
            session["plan"] = self._plan(slug, next_url="/application/o/authorize/?" + query)
            location = "/if/flow/%s/?%s&next=%s" % (slug, query,
                                                    quote("/application/o/authorize/?" + query, safe=""))
            return self._redirect(location, session, frame="DENY")
        if not policy.passes(store, app["pk"], user, app["policy_engine_mode"]):
            return permission_denied_page(user["username"])
        if params.get("response_type") != "code":
            return self._redirect(self._callback(redirect_uri, error="unsupported_response_type",
                                                 state=params.get("state")), session, frame="DENY")
        flow = store.flows.get(provider["authorization_flow"])
        grant = {"provider": provider["pk"], "redirect_uri": redirect_uri, "state": params.get("state"),
                 "scopes": params.get("scope", "").split()}
        if flow is not None and flow["slug"] == EXPLICIT_CONSENT:
            session["plan"] = self._plan(EXPLICIT_CONSENT, grant=grant)
            return self._redirect("/if/flow/%s/?%s" % (EXPLICIT_CONSENT, request.raw_query), session, frame="DENY")
        return self._redirect(self._issue_code(session, user, grant), session, frame="DENY")

    def _issue_code(self, session, user, grant):
        provider = self.store.providers[grant["provider"]]
        code = secrets.token_hex(16)
        validity = parse_duration(provider["access_code_validity"]).total_seconds()
        self.codes[code] = dict(grant, user=user["pk"], expires=time.time() + validity, sid=session["sid"],
                                auth_time=session["auth_time"] or int(time.time()))
        if len(self.codes) > 10000:
            del self.codes[next(iter(self.codes))]
        return self._callback(grant["redirect_uri"], code=code, state=grant["state"])

    @staticmethod
    def _callback(redirect_uri, **values):
        pairs = [(k, v) for k, v in values.items() if v is not None]
        return redirect_uri + ("&" if "?" in redirect_uri else "?") + urlencode(pairs)

    def interface(self, ctx, slug):
        """The single-page app's shell (what a browser loads; a headless client skips it)."""
        if self.store.flow_by_slug(slug) is None:
            return _html(404, "authentik", "<h1>Not Found</h1>")
        return _html(200, "authentik", "<ak-flow-executor flowSlug=\"%s\"></ak-flow-executor>" % slug)

    # the executor ----------------------------------------------------------------------------------
    @staticmethod
    def _plan(slug, next_url=None, grant=None):
        stages = ["consent"] if slug == EXPLICIT_CONSENT else list(STAGES)
        return {"flow": slug, "stages": stages, "index": 0, "pending_user": None, "uid": None, "failures": 0,
                "next": next_url, "grant": grant}

    def _redirect(self, location, session, frame="SAMEORIGIN", extra=()):
        headers = [("Location", location), ("Content-Type", "text/html; charset=utf-8")]
        headers += [h for h in _common_headers() if h[0] != "x-frame-options"] + [("X-Frame-Options", frame)]
        headers += list(extra)
        if session is not None:
            headers.append(self.sessions.cookie(self.store, session))
        return Response(302, b"", headers)

    def _json(self, data, session, extra=()):
        headers = [h for h in _common_headers() if h[0] != "x-frame-options"] + [("X-Frame-Options", "SAMEORIGIN")]
        headers += list(extra) + [self.sessions.cookie(self.store, session)]
        return oidc_json_with(data, headers)

    def _executor_session(self, ctx, slug):
        if self.store.flow_by_slug(slug) is None:
            raise ApiError(404, {"detail": "No Flow matches the given query."})
        session = self.sessions.load(ctx.request) or self.sessions.new()
        if session["plan"] is None or session["plan"]["flow"] != slug:
            # no plan from /authorize: a fresh plan, without the application (application_pre)
            session["application"] = None
            session["plan"] = self._plan(slug)
        query = parse_qs(ctx.param("query", "") or "")
        if session["plan"]["next"] is None and query.get("next"):
            session["plan"]["next"] = query["next"][-1]
        return session

    def _self_url(self, ctx):
        return ctx.request.path + ("?" + ctx.request.raw_query if ctx.request.raw_query else "")

    def _flow_info(self, ctx, session, cancelled=False):
        flow = self.store.flow_by_slug(session["plan"]["flow"])
        query = parse_qs(ctx.param("query", "") or "")
        nxt = query.get("next", [None])[-1]
        return {"title": flow.get("title") or flow["name"], "background": BACKGROUND, "background_themed_urls": None,
                "cancel_url": "/flows/-/cancel/" + ("" if cancelled or not nxt else "?next=" + quote(nxt, safe="")),
                "layout": flow.get("layout") or "stacked"}

    def _pending(self, plan):
        return {"pending_user": plan["uid"], "pending_user_avatar": AVATAR}

    def _challenge(self, ctx, session, errors=None):
        plan = session["plan"]
        stage = plan["stages"][plan["index"]]
        info = self._flow_info(ctx, session)
        if stage == "identification":
            body = {"flow_info": info, "component": "ak-stage-identification", "user_fields": ["email", "username"],
                    "password_fields": False, "allow_show_password": False}
            if session["application"]:
                body["application_pre"] = self._application_name(session["application"])
            body.update({"flow_designation": "authentication", "captcha_stage": None, "primary_action": "Log in",
                         "sources": [], "show_source_labels": False, "enable_remember_me": False,
                         "passkey_challenge": None})
            return body
        if stage == "password":
            body = {"flow_info": info, "component": "ak-stage-password"}
            if errors:
                body["response_errors"] = errors
            body.update(self._pending(plan))
            body["allow_show_password"] = False
            return body
        if stage == "mfa":
            body = {"flow_info": info, "component": "ak-stage-authenticator-validate"}
            body.update(self._pending(plan))
            body.update({"device_challenges": [{"device_class": "totp", "device_uid": str(d["pk"]), "challenge": {},
                                                "last_used": None} for d in self.devices.get(plan["pending_user"], [])],
                         "configuration_stages": []})
            return body
        if stage == "consent":
            provider = self.store.providers[plan["grant"]["provider"]]
            app = self.store.application_for_provider(provider["pk"])
            body = {"flow_info": info, "component": "ak-stage-consent"}
            body.update(self._pending(plan) if plan["uid"] else {"pending_user": self._username(session),
                                                                 "pending_user_avatar": AVATAR})
            body.update({"header_text": "", "permissions": [{"name": s, "id": s} for s in plan["grant"]["scopes"]],
                         "additional_permissions": [], "token": generate_key(30)})
            del app
            return body
        raise AssertionError(stage)

    def _application_name(self, slug):
        app = self.store.application_by_slug(slug)
        return app["name"] if app else slug

    def _username(self, session):
        user = self.store.users.get(session["user"]) if session["user"] else None
        return user["username"] if user else ""

    def executor_get(self, ctx, slug):
        session = self._executor_session(ctx, slug)
        plan = session["plan"]
        stage = plan["stages"][plan["index"]]
        if stage == "mfa" and not self.devices.get(plan["pending_user"]):
            plan["index"] += 1  # authenticator validation without devices: skipped (not_configured_action skip)
            return self._redirect(self._self_url(ctx), session)
        if stage == "login":
            return self._login(ctx, session)
        return self._json(self._challenge(ctx, session), session)

    def _login(self, ctx, session):
        plan = session["plan"]
        self.sessions.rotate(session)
        session.update(user=plan["pending_user"], authenticated=True, auth_time=int(time.time()), plan=None)
        self.store.users[plan["pending_user"]]["last_login"] = now()
        extra = [("Set-Cookie", "authentik_device=%s; expires=%s; Max-Age=2592000; Path=/; SameSite=Lax"
                  % (generate_key(20), _expires(2592000))),
                 ("Set-Cookie", "authentik_csrf=%s; expires=%s; Max-Age=31449600; Path=/; SameSite=Lax"
                  % (generate_key(32), _expires(31449600)))]
        return self._json({"component": "xak-flow-redirect", "to": plan["next"] or "/"}, session, extra=extra)

    def executor_post(self, ctx, slug):
        session = self._executor_session(ctx, slug)
        plan = session["plan"]
        stage = plan["stages"][plan["index"]]
        data = ctx.data if isinstance(ctx.data, dict) else {}
        if stage == "identification":
            uid = data.get("uid_field")
            if not isinstance(uid, str) or not uid:
                return self._json(dict(self._challenge(ctx, session), response_errors={
                    "uid_field": [{"string": "This field is required.", "code": "required"}]}), session)
            user = self.store.user_by_name(uid) or next(
                (u for u in self.store.users.values() if u["email"] and u["email"] == uid), None)
            # pretend_user_exists: an unknown uid goes on to the password stage like a real one
            plan.update(uid=uid, pending_user=user["pk"] if user else None, index=plan["index"] + 1)
            return self._redirect(self._self_url(ctx), session)
        if stage == "password":
            user = self.store.users.get(plan["pending_user"]) if plan["pending_user"] else None
            password = data.get("password")
            if user is not None and user["is_active"] and isinstance(password, str) \
                    and self.passwords.get(user["pk"]) == password:
                plan["index"] += 1
                self.sessions.rotate(session)
                return self._redirect(self._self_url(ctx), session)
            plan["failures"] += 1
            if plan["failures"] >= FAILED_ATTEMPTS_BEFORE_CANCEL:
                body = {"flow_info": self._flow_info(ctx, session, cancelled=True), "component": "ak-stage-access-denied"}
                body.update(self._pending(plan))
                body["error_message"] = INVALID_PASSWORD
                session["plan"] = None
                session["application"] = None
                return self._json(body, session)
            errors = {"password": [{"string": INVALID_PASSWORD, "code": "invalid"}]}
            return self._json(self._challenge(ctx, session, errors), session)
        if stage == "consent" and data.get("component") == "ak-stage-consent":
            user = self.store.users.get(session["user"])
            grant = plan["grant"]
            session["plan"] = None
            return self._json({"component": "xak-flow-redirect", "to": self._issue_code(session, user, grant)}, session)
        # a stage that takes no answer from this client (MFA validation): the same challenge again
        return self._json(self._challenge(ctx, session), session)

    # the authorization code grant (called from oidc.OIDC._token) ---------------------------------------
    def code_grant(self, ctx, form, provider, token_error):
        store = self.store
        record = self.codes.get(form.get("code", ""))
        if record is None or record["provider"] != provider["pk"] or record["expires"] < time.time():
            self.codes.pop(form.get("code", ""), None)
            raise token_error("invalid_grant")
        if form.get("redirect_uri", "") != record["redirect_uri"]:
            raise token_error("invalid_client")
        del self.codes[form["code"]]
        user = store.users.get(record["user"])
        if user is None or not user["is_active"]:
            raise token_error("invalid_grant")
        scopes = claims.granted_scopes(store, provider, record["scopes"])
        validity = parse_duration(provider["access_token_validity"]).total_seconds()
        id_payload = claims.id_token_payload(store, provider, user, scopes, ctx.base_url, validity,
                                             http_request=ctx.request)
        # as recorded: amr and sid follow acr, before the claims of the scope mappings
        head = {k: id_payload.pop(k) for k in ("iss", "sub", "aud", "exp", "iat", "auth_time", "acr")}
        head.update(auth_time=record["auth_time"], amr=["pwd"], sid=record["sid"])
        id_payload = dict(head, **id_payload)
        return oidc_json(claims.token_answer(store, provider, user, scopes, validity, id_payload), no_store=True)


def _expires(seconds):
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + seconds))


def oidc_json_with(data, headers):
    return Response(200, json.dumps(data).encode("utf-8"), [("Content-Type", "application/json")] + headers)


def register(router, store, oidc):
    executor = FlowExecutor(store, router, oidc)
    executor.register()
    return executor
