# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the MinIO console's "Login with SSO", done headless against authentik.

What the console does, from what MinIO runs with: it sends the browser to the provider's authorization endpoint
(``response_type=code``, MinIO's client ID, its redirect URI, its scopes plus ``openid``, a state), takes the
``code`` from the redirect back to ``/oauth_callback``, exchanges it at the token endpoint with MinIO's stored
client secret and the same redirect URI, and hands the ID token to MinIO's STS (AssumeRoleWithWebIdentity).

The browser's part is authentik's flow executor: ``/application/o/authorize/`` answers 302 to
``/if/flow/<authentication flow>/?<query>``; ``/api/v3/flows/executor/<slug>/?query=<that query>`` answers a JSON
challenge per stage (identification, password), a bare 302 to itself after each accepted answer, and at the end
``xak-flow-redirect`` back to the authorize URL, which then answers 302 to the redirect URI with the code. Every
``Set-Cookie`` is kept: the session id rotates when the user logs in.

Every failure is a ``LoginFlowError`` with a ``cause`` (a short name for the role to switch on) and one line that
names the cause and what to do. No message carries a secret: the client secret, the password, the code and the
tokens stay in this file's locals.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import re
import secrets
import traceback

from ansible.module_utils.six.moves.urllib.parse import parse_qs, urlencode, urljoin, urlsplit

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:  # pragma: no cover - requests is a dependency of the collection
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

CALLBACK_PATH = "/oauth_callback"
# Bounds on every loop: redirects followed in one login, executor answers read per stage.
MAX_HOPS = 20
# Challenges a headless login answers; anything else ends the login with the component's name.
IDENTIFICATION = "ak-stage-identification"
PASSWORD = "ak-stage-password"
ACCESS_DENIED = "ak-stage-access-denied"
FLOW_REDIRECT = "xak-flow-redirect"
# The words of authentik's HTML error pages (authorize answers HTML, not JSON, for these).
REDIRECT_URI_ERROR = "Redirect URI Error"
CLIENT_ID_ERROR = "Client ID Error"
PERMISSION_DENIED = "Permission denied"


class LoginFlowError(Exception):
    """One line naming the cause; ``cause`` is a short name, stable for callers."""

    def __init__(self, cause, message):
        super(LoginFlowError, self).__init__(message)
        self.cause = cause
        self.message = message


# --- what the console derives from MinIO's configuration ----------------------------------------------------


def is_on(value):
    return str(value or "").strip().lower() in ("on", "true", "yes", "1", "enable", "enabled")


def console_redirect(values, console_url):
    """``(redirect URI, how MinIO got it)`` as MinIO hands it to its console.

    MinIO's precedence: with ``redirect_uri_dynamic=on`` the console builds ``<scheme>://<Host of the browser's
    request>/oauth_callback`` from each request; otherwise the target's ``redirect_uri`` when set; otherwise
    ``MINIO_BROWSER_REDIRECT_URL`` + ``/oauth_callback``; otherwise the console's first own address. The last two and
    the dynamic case are not in MinIO's configuration, so ``console_url`` (the URL users open) stands for them.
    """
    base = (console_url or "").rstrip("/")
    if is_on(values.get("redirect_uri_dynamic")):
        if not base:
            raise LoginFlowError("redirect_uri", "MinIO derives its redirect URI from each request (redirect_uri_dynamic=on): "
                                 "set console_url to the URL users open the console at")
        return base + CALLBACK_PATH, "redirect_uri_dynamic=on, from console_url"
    if values.get("redirect_uri"):
        return values["redirect_uri"], "MinIO's redirect_uri"
    if not base:
        raise LoginFlowError("redirect_uri", "MinIO has no redirect_uri, so its console sends MINIO_BROWSER_REDIRECT_URL or its own "
                             "address + /oauth_callback: set console_url to that URL")
    return base + CALLBACK_PATH, "console_url + /oauth_callback (MinIO has no redirect_uri)"


def console_scopes(values, discovery):
    """MinIO's ``scopes`` (comma separated) or, when empty, the provider's ``scopes_supported``; the console always
    adds ``openid``."""
    scopes = [s.strip() for s in (values.get("scopes") or "").split(",") if s.strip()]
    if not scopes:
        scopes = [s for s in (discovery.get("scopes_supported") or []) if isinstance(s, str)]
    return scopes + ["openid"]


def redirect_allowed(redirect_uris, uri):
    """authentik's check: a list of ``{matching_mode, url}`` (strict: equal; regex: full match; 2026.5 entries of type
    ``logout`` do not count), or, before 2024.8.5/2024.10.3, a newline separated string of regular expressions."""
    if isinstance(redirect_uris, str):
        entries = [{"matching_mode": "regex", "url": line.strip()} for line in redirect_uris.splitlines() if line.strip()]
    else:
        entries = [e for e in (redirect_uris or []) if isinstance(e, dict)]
    for entry in entries:
        if entry.get("redirect_uri_type", "authorization") != "authorization":
            continue
        url = entry.get("url") or ""
        if entry.get("matching_mode") == "strict" and url == uri:
            return True
        if entry.get("matching_mode") == "regex":
            try:
                if re.match("(?:%s)\\Z" % url, uri):
                    return True
            except re.error:
                continue
    return False


def allowed_list(redirect_uris):
    if isinstance(redirect_uris, str):
        return ", ".join(line.strip() for line in redirect_uris.splitlines() if line.strip()) or "none"
    return ", ".join("%s (%s)" % (e.get("url"), e.get("matching_mode")) for e in (redirect_uris or [])
                     if isinstance(e, dict)) or "none"


def jwt_payload(token):
    """The claims of a JWT, unverified (MinIO verifies the signature; this only reads what it will see)."""
    try:
        part = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8"))
    except (IndexError, ValueError, TypeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


# --- HTTP ---------------------------------------------------------------------------------------------------


class LoginFlow(object):
    """One browser: a cookie jar, no automatic redirects, bounded hops, and no secret in any message."""

    def __init__(self, timeout=30, verify=True, session=None):
        self.session = session or requests.Session()
        self.timeout = timeout
        self.verify = verify

    def _send(self, method, url, what, cause, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        try:
            return self.session.request(method, url, timeout=self.timeout, verify=self.verify, **kwargs)
        except requests.exceptions.RequestException as exc:
            raise LoginFlowError(cause, "%s at %s did not answer: %s" % (what, url.split("?")[0], type(exc).__name__))

    def fetch_json(self, url, what, cause):
        response = self._send("GET", url, what, cause)
        if response.status_code != 200:
            raise LoginFlowError(cause, "%s at %s answered HTTP %s" % (what, url, response.status_code))
        try:
            return response.json()
        except ValueError:
            raise LoginFlowError(cause, "%s at %s answered something that is not JSON" % (what, url))

    def discovery(self, config_url):
        """MinIO's config_url and the JWKS it names: both must answer, as MinIO needs them to verify a login."""
        doc = self.fetch_json(config_url, "the discovery document MinIO uses (config_url)", "discovery")
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri", "issuer"):
            if not isinstance(doc.get(key), str):
                raise LoginFlowError("discovery", "the discovery document at %s has no %s" % (config_url, key))
        jwks = self.fetch_json(doc["jwks_uri"], "the JWKS of the discovery document", "jwks")
        if not isinstance(jwks, dict) or not jwks.get("keys"):
            raise LoginFlowError("jwks", "the JWKS at %s holds no key: MinIO cannot verify an ID token "
                                 "(give the provider a signing key)" % doc["jwks_uri"])
        return doc

    # the login -------------------------------------------------------------------------------------------
    def authorize_code(self, authorize_endpoint, client_id, redirect_uri, scopes, username, password, how,
                       provider_hint=""):
        """Authorize as the console would and log in through the flow executor; returns the code."""
        state = secrets.token_urlsafe(24)
        query = urlencode([("response_type", "code"), ("client_id", client_id), ("redirect_uri", redirect_uri),
                           ("scope", " ".join(scopes)), ("state", state)])
        url = authorize_endpoint + ("&" if "?" in authorize_endpoint else "?") + query
        return self.follow(url, client_id, redirect_uri, state, username, password, how, provider_hint)

    def follow(self, url, client_id, redirect_uri, state, username, password, how, provider_hint=""):
        """From an authorize URL (built here or handed out by MinIO's console) to the code."""
        response = self._send("GET", url, "authentik's authorization endpoint", "authorize")
        for _hop in range(MAX_HOPS):
            location = response.headers.get("Location", "") if response.status_code in (301, 302, 303, 307) else ""
            if location.startswith(redirect_uri.split("?")[0]) and redirect_uri:
                return self._code_from(location, state)
            if response.status_code in (301, 302, 303, 307) and "/if/flow/" in location:
                target = urljoin(url, location)
                next_url = self._run_flow(target, username, password, provider_hint)
                url = urljoin(target, next_url)
                response = self._send("GET", url, "authentik's authorization endpoint", "authorize")
                continue
            self._authorize_refusal(response, client_id, redirect_uri, how, provider_hint, username)
        raise LoginFlowError("authorize", "authentik's authorization endpoint did not come back to %s within %d redirects"
                             % (redirect_uri, MAX_HOPS))

    @staticmethod
    def _authorize_refusal(response, client_id, redirect_uri, how, provider_hint, username):
        text = response.text if "html" in response.headers.get("Content-Type", "") else ""
        if response.status_code == 400 and REDIRECT_URI_ERROR in text:
            raise LoginFlowError("redirect_uri", "the redirect URI MinIO's console sends, %s (%s), is not one %s allows: "
                                 "add it to the provider's redirect URIs or correct MinIO's redirect URL" % (
                                     redirect_uri, how, provider_hint or "the provider"))
        if response.status_code == 400 and CLIENT_ID_ERROR in text:
            raise LoginFlowError("client_id", "authentik has no OAuth2 provider with MinIO's client ID %s: "
                                 "MinIO's client_id does not match the provider's" % client_id)
        if response.status_code == 200 and PERMISSION_DENIED in text:
            raise LoginFlowError("access_denied", "authentik logged %s in but denied access to the application: "
                                 "the user is in none of the application's access groups (policy bindings)" % username)
        raise LoginFlowError("authorize", "authentik's authorization endpoint answered HTTP %s%s" % (
            response.status_code, " to %s" % response.headers.get("Location").split("?")[0]
            if response.headers.get("Location") else ""))

    @staticmethod
    def _code_from(location, state):
        query = parse_qs(urlsplit(location).query)
        if query.get("error"):
            raise LoginFlowError("authorize", "authentik sent the browser back with error %s: %s" % (
                query["error"][-1], (query.get("error_description") or [""])[-1]))
        if (query.get("state") or [None])[-1] != state:
            raise LoginFlowError("authorize", "authentik sent the browser back with a state that is not the console's")
        code = (query.get("code") or [None])[-1]
        if not code:
            raise LoginFlowError("authorize", "authentik sent the browser back without a code")
        return code

    def _run_flow(self, interface_url, username, password, provider_hint):
        """Answer the executor's challenges; returns where ``xak-flow-redirect`` points."""
        parts = urlsplit(interface_url)
        slug = [p for p in parts.path.split("/") if p][-1]
        executor = "%s://%s/api/v3/flows/executor/%s/?%s" % (parts.scheme, parts.netloc, slug,
                                                             urlencode({"query": parts.query}))
        what = "authentik's flow executor (flow %s)" % slug
        response = self._send("GET", executor, what, "flow")
        answered = set()
        for _hop in range(MAX_HOPS):
            if response.status_code in (301, 302, 303, 307):
                response = self._send("GET", urljoin(executor, response.headers.get("Location", "")), what, "flow")
                continue
            try:
                challenge = response.json()
            except ValueError:
                raise LoginFlowError("flow", "%s answered HTTP %s with something that is not JSON" % (what, response.status_code))
            if not isinstance(challenge, dict):
                raise LoginFlowError("flow", "%s answered HTTP %s without a challenge" % (what, response.status_code))
            component = challenge.get("component")
            if component == FLOW_REDIRECT:
                return challenge.get("to") or "/"
            if component == ACCESS_DENIED:
                raise LoginFlowError("login_refused", "authentik's flow %s denied the login of %s: %s" % (
                    slug, username, challenge.get("error_message") or "access denied"))
            if challenge.get("response_errors") or component in answered:
                errors = challenge.get("response_errors") or {}
                words = "; ".join("%s" % e.get("string") for items in errors.values() if isinstance(items, list)
                                  for e in items if isinstance(e, dict)) or "the same challenge again"
                raise LoginFlowError("login_refused", "authentik's flow %s refused %s at %s: %s (the user must exist, be "
                                     "active and have this password)" % (slug, username, component, words))
            if component == IDENTIFICATION:
                body = {"component": component, "uid_field": username}
            elif component == PASSWORD:
                body = {"component": component, "password": password}
            else:
                raise LoginFlowError("unsupported_stage", "authentik's flow %s asks for %s, which a headless login cannot "
                                     "answer: give %s a dedicated authentication flow with only identification and "
                                     "password stages for the check" % (slug, component, provider_hint or "the provider"))
            answered.add(component)
            response = self._send("POST", executor, what, "flow", json=body)
        raise LoginFlowError("flow", "%s did not finish within %d answers" % (what, MAX_HOPS))

    def exchange(self, token_endpoint, client_id, client_secret, code, redirect_uri, provider_hint=""):
        """The code at the token endpoint with MinIO's secret; returns the token answer."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "client_id": client_id, "client_secret": client_secret}
        response = self._send("POST", token_endpoint, "authentik's token endpoint", "token", data=form,
                              headers={"Accept": "application/json"})
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code == 200 and isinstance(body, dict) and body.get("id_token"):
            return body
        error = body.get("error") if isinstance(body, dict) else None
        if error == "invalid_client":
            raise LoginFlowError("client_secret", "authentik refused MinIO's client secret for client ID %s (invalid_client): "
                                 "MinIO's client_secret differs from %s's; set MinIO's to the provider's" % (
                                     client_id, provider_hint or "the provider"))
        if error == "invalid_grant":
            raise LoginFlowError("grant", "authentik refused the authorization code (invalid_grant): on authentik 2026.5 "
                                 "and newer %s must allow the authorization_code grant" % (provider_hint or "the provider"))
        detail = (" %s" % error) if error else " without an ID token"
        raise LoginFlowError("token", "authentik's token endpoint answered HTTP %s%s" % (response.status_code, detail))


# --- MinIO's console, driven instead of imitated ---------------------------------------------------------------


def console_login_rule(flow, console_url, client_id, verify=None):
    """The console's own authorize URL for ``client_id`` from ``GET <console>/api/v1/login``, or None when the
    console does not answer there or offers no SSO login for that client (then the imitation runs). ``verify``:
    what the console's certificate is checked against (MinIO's TLS choice; the flow's own by default)."""
    try:
        response = flow.session.request("GET", console_url.rstrip("/") + "/api/v1/login", timeout=flow.timeout,
                                        verify=flow.verify if verify is None else verify, allow_redirects=False)
        details = response.json() if response.status_code == 200 else None
    except (requests.exceptions.RequestException, ValueError):
        return None
    if not isinstance(details, dict) or details.get("loginStrategy") != "redirect":
        return None
    for rule in details.get("redirectRules") or []:
        url = rule.get("redirect") if isinstance(rule, dict) else None
        query = parse_qs(urlsplit(url or "").query)
        if (query.get("client_id") or [None])[-1] == client_id:
            return {"url": url, "redirect_uri": (query.get("redirect_uri") or [""])[-1],
                    "state": (query.get("state") or [""])[-1], "scopes": (query.get("scope") or [""])[-1].split()}
    return None


def console_callback(flow, console_url, code, state, verify=None):
    """``POST <console>/api/v1/login/oauth2/auth`` with the code and state, as the console's page does after the
    redirect; returns None on success (204), else the console's own words."""
    try:
        response = flow.session.request("POST", console_url.rstrip("/") + "/api/v1/login/oauth2/auth",
                                        json={"code": code, "state": state}, timeout=flow.timeout,
                                        verify=flow.verify if verify is None else verify, allow_redirects=False)
    except requests.exceptions.RequestException as exc:
        return "MinIO's console did not answer: %s" % type(exc).__name__
    if response.status_code in (200, 204):
        return None
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detailedMessage") or body.get("message") if isinstance(body, dict) else None
    return "HTTP %s%s" % (response.status_code, ": %s" % detail if detail else "")
