# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The interactive login on the authentik double: authorize, the flow executor, the authorization code grant.

1. Replay: every recorded login conversation of a real 2025.12.4 (recordings/authentik-2025.12.4-flows/, secrets
   as placeholders) is sent again to a double set up the same way; status, content type, the redirect target,
   the cookies set, the JSON challenge (keys and values, generated ones by type) and the HTML page's words must
   be what the real server answered.
2. On every dialect the double supports: the happy path and each refusal a login check must tell apart.
"""

from __future__ import annotations

import glob
import json
import os
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from authentik.dialects import LATEST_PATCH
from authentik.login_fixture import LoginSetup, code_of
from authentik_helpers import AUTHENTIK_TOKEN, start_authentik

RECORDINGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "recordings", "authentik-2025.12.4-flows")
RECORDED_PASSWORD = "placeholder-password"
RECORDED_SECRET = "placeholder-client-secret"
WRONG_SECRET = "WRONG-secret-0000000000000000000000000000"
# generated per install or per request: compared by type only
VOLATILE = {"request_id", "token", "access_token", "id_token", "sub", "sid", "exp", "iat", "auth_time", "uid"}
DIALECTS = ["%d.%d" % line for line in sorted(LATEST_PATCH)]


def recordings():
    found = sorted(glob.glob(os.path.join(RECORDINGS, "[0-9][0-9]-*.json")))
    assert found, "no recordings in %s" % RECORDINGS
    # 00 (discovery and JWKS) is the OIDC tests' subject; these are the login conversations
    return [os.path.basename(path) for path in found if not os.path.basename(path).startswith("00-")]


def load(name):
    with open(os.path.join(RECORDINGS, name), encoding="utf-8") as handle:
        return json.load(handle)


def compare(recorded, actual, where="$"):
    """Differences between a recorded JSON body and the double's, values of VOLATILE keys by type only."""
    problems = []
    if isinstance(recorded, dict):
        if not isinstance(actual, dict):
            return ["%s: expected an object, got %r" % (where, actual)]
        if list(recorded) != list(actual):
            problems.append("%s: keys %s, double has %s" % (where, list(recorded), list(actual)))
        for key in recorded:
            if key in actual:
                if key in VOLATILE:
                    expected, got = type(recorded[key]).__name__, type(actual[key]).__name__
                    if expected != got:
                        problems.append("%s.%s: type %s, double has %s" % (where, key, expected, got))
                else:
                    problems += compare(recorded[key], actual[key], "%s.%s" % (where, key))
        return problems
    if where.endswith(".scope") and isinstance(recorded, str) and isinstance(actual, str):
        # authentik joins a set of scopes: the order is the set's, not the request's
        recorded, actual = sorted(recorded.split()), sorted(actual.split())
    if recorded != actual:
        problems.append("%s: %r, double has %r" % (where, recorded, actual))
    return problems


class Replay:
    def __init__(self, setup, name):
        self.setup = setup
        self.name = name
        self.browser = requests.Session()
        self.browser.trust_env = False
        self.codes = {}
        self.saved_cookies = None

    def location(self, text):
        """A recorded Location in the double's terms (codes learnt from earlier answers)."""
        return re.sub(r"placeholder-code-\d+", lambda m: self.codes.get(m.group(0), m.group(0)), text)

    def password_for(self, step):
        """The recorder masked every password, right and wrong alike; what the real server answered says which
        one was sent (the inactive user's login was sent the right one and still refused)."""
        if "inactive" in self.name or step["response"]["status"] == 302:
            return self.setup.password
        return "definitely-wrong-password"

    def send(self, step):
        request = step["request"]
        method, url, headers = request["method"], request["url"], request.get("headers", {})
        body = request.get("body")
        if url.startswith("/api/v3/core/groups/"):  # the admin's add_user in between
            self.setup.add_user(self.group, self.setup.user["pk"])
            return None
        kwargs = {"allow_redirects": False, "timeout": 10}
        jar = self.browser
        names = headers.get("Cookie (names)")
        if "BEFORE" in step["step"]:
            jar = requests.Session()
            jar.cookies.update(self.saved_cookies)
        elif names == [] and len(self.browser.cookies) and "/application/o/token/" not in url and "userinfo" not in url:
            jar = requests.Session()
        if "userinfo" in url:
            kwargs["headers"] = {"Authorization": "Bearer " + self.access_token}
        if isinstance(body, dict) and body.get("_encoding") == "application/x-www-form-urlencoded":
            form = {k: v for k, v in body.items() if k != "_encoding"}
            if form.get("code") in self.codes:
                form["code"] = self.codes[form["code"]]
            if form.get("client_secret") == RECORDED_SECRET:
                # masked as well: the step says when the recorder sent its deliberately wrong secret
                form["client_secret"] = WRONG_SECRET if "wrong" in step["step"] else self.setup.secret
            if headers.get("Authorization", "").startswith("Basic"):
                secret = WRONG_SECRET if "wrong" in step["step"] else self.setup.secret
                kwargs["auth"] = (self.setup.client_id, secret)
            kwargs["data"] = form
        elif isinstance(body, dict):
            body = dict(body)
            if body.get("password") == RECORDED_PASSWORD:
                body["password"] = self.password_for(step)
            if body.get("component") == "ak-stage-password" and "(correct password" not in step["step"]:
                self.saved_cookies = self.browser.cookies.copy()
            kwargs["json"] = body
        if method == "POST" and "password" in (body or {}) and self.saved_cookies is None:
            self.saved_cookies = self.browser.cookies.copy()
        response = jar.request(method, self.setup.url + self.location(url), **kwargs)
        return response

    def check(self, step, response):
        recorded = step["response"]
        title = "%s step %s" % (self.name, step["step"])
        problems = []
        if response.status_code != recorded["status"]:
            problems.append("status %s, double has %s" % (recorded["status"], response.status_code))
        headers = recorded["headers"]
        content_type = headers.get("Content-Type", "")
        if content_type and response.headers.get("Content-Type", "").split(";")[0] != content_type.split(";")[0]:
            problems.append("content type %s, double has %s" % (content_type, response.headers.get("Content-Type")))
        if "Location" in headers:
            actual = response.headers.get("Location", "")
            got_code = code_of(response)
            expected = headers["Location"]
            match = re.search(r"placeholder-code-\d+", expected)
            if match and got_code:
                self.codes[match.group(0)] = got_code
            if self.location(expected) != actual:
                problems.append("Location %s, double has %s" % (self.location(expected), actual))
        set_names = sorted(set(headers.get("Set-Cookie (names)", [])))
        actual_names = sorted({c.split("=", 1)[0].strip() for c in _set_cookies(response)})
        if set_names != actual_names:
            problems.append("Set-Cookie %s, double has %s" % (set_names, actual_names))
        body = recorded.get("body")
        if isinstance(body, dict):
            answer = response.json()
            problems += compare(body, answer)
            if "access_token" in answer:
                self.access_token = answer["access_token"]
        excerpt = recorded.get("body_text_excerpt")
        if excerpt:
            for words in ("Redirect URI Error", "Permission denied", "Request has been denied."):
                if words in excerpt and words not in response.text:
                    problems.append("the page lacks %r" % words)
        assert not problems, "%s:\n  %s" % (title, "\n  ".join(problems))


def _set_cookies(response):
    raw = response.raw.headers
    return raw.getlist("Set-Cookie") if hasattr(raw, "getlist") else []


@pytest.fixture(scope="module")
def replay_double():
    double = start_authentik()
    yield double
    double.stop()


@pytest.mark.parametrize("name", recordings())
def test_replay_recorded_login(replay_double, name):
    recording = load(name)
    slug = "rec-minio-%s" % name[:2]  # one double for all: each recording gets its own application and user
    setup = LoginSetup(replay_double.url, AUTHENTIK_TOKEN, slug=slug, client_id=slug, username="rec-user-" + name[:2])
    replay = Replay(setup, name)
    text = json.dumps(recording)
    text = text.replace("rec-minio", slug).replace("rec-user", setup.username)
    recording = json.loads(text)
    if "group-policy" in name:
        replay.group = setup.bind_group("rec-allowed-" + name[:2])
    if "inactive" in name:
        setup.patch("core/users/%s/" % setup.user["pk"], {"is_active": False})
    for step in recording["steps"]:
        response = replay.send(step)
        if response is not None:
            replay.check(step, response)


# --- every dialect -------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=DIALECTS)
def dialect_setup(request):
    double = start_authentik("--api-version", request.param)
    try:
        yield LoginSetup(double.url, AUTHENTIK_TOKEN)
    finally:
        double.stop()


def test_login_code_and_token(dialect_setup):
    setup = dialect_setup
    response, dummy, challenge = setup.login()
    assert challenge == {"component": "xak-flow-redirect", "to": urlsplit(setup.authorize_url()).path + "?"
                         + urlsplit(setup.authorize_url()).query}
    assert response.status_code == 302 and response.headers["Location"].startswith(setup.redirect + "?code=")
    assert parse_qs(urlsplit(response.headers["Location"]).query)["state"] == ["STATE123"]
    code = code_of(response)
    assert re.fullmatch(r"[0-9a-f]{32}", code)
    # a wrong secret (form or Basic) and a wrong redirect URI are invalid_client and do not burn the code
    for answer in (setup.token(code, secret="WRONG-secret"), setup.token(code, secret="WRONG", basic=True),
                   setup.token(code, redirect=setup.redirect + "/other")):
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_client", answer.text
    tokens = setup.token(code, basic=True)
    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["Cache-Control"] == "no-store"
    body = tokens.json()
    assert list(body) == ["access_token", "token_type", "scope", "expires_in", "id_token"]
    claims = jwt.decode(body["id_token"], options={"verify_signature": False})
    assert claims["aud"] == setup.client_id and claims["policy"] == "readwrite" and claims["amr"] == ["pwd"]
    assert "azp" not in claims
    assert claims["iss"] == setup.url + "/application/o/%s/" % setup.slug
    userinfo = requests.get(setup.url + "/application/o/userinfo/", timeout=10,
                            headers={"Authorization": "Bearer " + body["access_token"]})
    assert userinfo.status_code == 200 and userinfo.json()["preferred_username"] == setup.username
    reused = setup.token(code)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_unregistered_redirect_uri_before_and_after_login(dialect_setup):
    setup = dialect_setup
    anonymous = requests.get(setup.authorize_url(redirect="https://evil.example.test/oauth_callback"),
                             allow_redirects=False, timeout=10)
    assert anonymous.status_code == 400 and "Redirect URI Error" in anonymous.text
    assert "Location" not in anonymous.headers
    dummy, browser, dummy = setup.login()
    logged_in = browser.get(setup.authorize_url(redirect="https://evil.example.test/oauth_callback"),
                            allow_redirects=False, timeout=10)
    assert logged_in.status_code == 400 and "Redirect URI Error" in logged_in.text


def test_wrong_password_inactive_and_unknown_user(dialect_setup):
    setup = dialect_setup
    expected = {"password": [{"string": "Invalid password", "code": "invalid"}]}
    dummy, dummy, challenge = setup.login(password="definitely-wrong-password")
    assert challenge["component"] == "ak-stage-password" and challenge["response_errors"] == expected
    dummy, dummy, challenge = setup.login(username="nobody-has-this-name")
    assert challenge["component"] == "ak-stage-password" and challenge["response_errors"] == expected
    other = setup.post("core/users/", {"username": "inactive-user", "name": "Inactive"})
    setup.set_password(other["pk"], setup.password)
    setup.patch("core/users/%s/" % other["pk"], {"is_active": False})
    dummy, dummy, challenge = setup.login(username="inactive-user")
    assert challenge["response_errors"] == expected


def test_fifth_wrong_password_denies_and_drops_the_plan(dialect_setup):
    setup = dialect_setup
    browser = requests.Session()
    first = browser.get(setup.authorize_url(), allow_redirects=False, timeout=10)
    executor = "%s/api/v3/flows/executor/default-authentication-flow/?%s" % (
        setup.url, urlencode({"query": urlsplit(first.headers["Location"]).query}))
    browser.get(executor, timeout=10)
    browser.post(executor, json={"component": "ak-stage-identification", "uid_field": setup.username},
                 allow_redirects=False, timeout=10)
    answers = [browser.post(executor, json={"component": "ak-stage-password", "password": "wrong-%d" % n},
                            allow_redirects=False, timeout=10).json() for n in range(5)]
    assert [a["component"] for a in answers] == ["ak-stage-password"] * 4 + ["ak-stage-access-denied"]
    assert answers[-1]["error_message"] == "Invalid password"
    again = browser.get(executor, timeout=10).json()
    assert again["component"] == "ak-stage-identification" and "application_pre" not in again


def test_access_group_binding_refuses_then_admits(dialect_setup):
    setup = dialect_setup
    other = setup.post("core/users/", {"username": "outsider", "name": "Outsider"})
    setup.set_password(other["pk"], setup.password)
    group = setup.bind_group("minio-users")
    try:
        response, browser, challenge = setup.login(username="outsider")
        assert challenge["component"] == "xak-flow-redirect"  # the login itself succeeds
        assert response.status_code == 200 and "Permission denied" in response.text
        assert response.headers["Content-Type"].startswith("text/html") and "Location" not in response.headers
        setup.add_user(group, other["pk"])
        again = browser.get(setup.authorize_url(), allow_redirects=False, timeout=10)
        assert again.status_code == 302 and code_of(again)
    finally:
        for binding in setup.get("policies/bindings/", target=setup.application["pk"])["results"]:
            setup.call("DELETE", "policies/bindings/%s/" % binding["pk"])


def test_stages_a_headless_login_cannot_do(dialect_setup):
    setup = dialect_setup
    other = setup.post("core/users/", {"username": "with-totp", "name": "TOTP"})
    setup.set_password(other["pk"], setup.password)
    setup.post("authenticators/admin/totp/", {"name": "phone", "user": other["pk"]})
    dummy, dummy, challenge = setup.login(username="with-totp")
    assert challenge["component"] == "ak-stage-authenticator-validate"
    assert challenge["device_challenges"][0]["device_class"] == "totp"
    setup.patch("providers/oauth2/%s/" % setup.provider["pk"],
                {"authorization_flow": setup.flow_pk("default-provider-authorization-explicit-consent")})
    try:
        dummy, dummy, challenge = setup.login()
        assert challenge["component"] == "ak-stage-consent"
        assert [p["id"] for p in challenge["permissions"]] == ["openid", "profile", "email", "minio"]
    finally:
        setup.patch("providers/oauth2/%s/" % setup.provider["pk"],
                    {"authorization_flow": setup.flow_pk("default-provider-authorization-implicit-consent")})


def test_session_cookie_rotates_at_login(dialect_setup):
    setup = dialect_setup
    browser = requests.Session()
    first = browser.get(setup.authorize_url(), allow_redirects=False, timeout=10)
    stale = browser.cookies.get("authentik_session")
    executor = "%s/api/v3/flows/executor/default-authentication-flow/?%s" % (
        setup.url, urlencode({"query": urlsplit(first.headers["Location"]).query}))
    challenge = setup.run_executor(browser, executor, setup.username, setup.password)
    assert challenge["component"] == "xak-flow-redirect"
    assert browser.cookies.get("authentik_session") != stale
    old = requests.get(setup.authorize_url(), cookies={"authentik_session": stale}, allow_redirects=False, timeout=10)
    assert old.status_code == 302 and old.headers["Location"].startswith("/if/flow/default-authentication-flow/")
    none = requests.get(setup.authorize_url(), allow_redirects=False, timeout=10)
    assert none.headers["Location"].startswith("/if/flow/default-authentication-flow/")
    current = browser.get(setup.authorize_url(), allow_redirects=False, timeout=10)
    assert code_of(current)


def test_grant_types_gate_the_code_exchange_from_2026_5(dialect_setup):
    setup = dialect_setup
    if setup.version < (2026, 5):
        response, dummy, dummy = setup.login()
        assert setup.token(code_of(response)).status_code == 200
        return
    setup.patch("providers/oauth2/%s/" % setup.provider["pk"], {"grant_types": ["client_credentials"]})
    try:
        response, dummy, dummy = setup.login()
        refused = setup.token(code_of(response))
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    finally:
        setup.patch("providers/oauth2/%s/" % setup.provider["pk"], {"grant_types": ["authorization_code"]})


def test_the_providers_own_authentication_flow_comes_first(dialect_setup):
    setup = dialect_setup
    flow = setup.post("flows/instances/", {"name": "MinIO check", "slug": "minio-check-login", "title": "MinIO check",
                                           "designation": "authentication"})
    setup.patch("providers/oauth2/%s/" % setup.provider["pk"], {"authentication_flow": flow["pk"]})
    try:
        first = requests.get(setup.authorize_url(), allow_redirects=False, timeout=10)
        assert first.status_code == 302 and first.headers["Location"].startswith("/if/flow/minio-check-login/?")
    finally:
        setup.patch("providers/oauth2/%s/" % setup.provider["pk"], {"authentication_flow": None})
    again = requests.get(setup.authorize_url(), allow_redirects=False, timeout=10)
    assert again.headers["Location"].startswith("/if/flow/default-authentication-flow/?")
