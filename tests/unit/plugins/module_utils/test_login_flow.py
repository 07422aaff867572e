# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The console's login, derived and driven: redirect URI precedence, scopes, authentik's redirect URI matching and
the one-line causes of the login flow against scripted answers."""

from __future__ import annotations

import json

import pytest
import requests

from ansible_collections.sso.authentik_minio.plugins.module_utils._login_flow import (  # noqa: E402
    LoginFlow,
    LoginFlowError,
    console_callback,
    console_login_rule,
    console_redirect,
    console_scopes,
    redirect_allowed,
)

REDIRECT = "https://console.example.test/oauth_callback"
AUTHORIZE = "https://ak.example.test/application/o/authorize/"


def test_redirect_precedence():
    # redirect_uri_dynamic wins over a stored redirect_uri: the console builds it from the browser's request
    assert console_redirect({"redirect_uri_dynamic": "on", "redirect_uri": "https://x/cb"}, "https://c.test/")[0] == \
        "https://c.test/oauth_callback"
    assert console_redirect({"redirect_uri": "https://x/cb"}, "https://c.test")[0] == "https://x/cb"
    assert console_redirect({"redirect_uri_dynamic": "off"}, "https://c.test")[0] == "https://c.test/oauth_callback"
    for values in ({}, {"redirect_uri_dynamic": "on", "redirect_uri": "https://x/cb"}):
        with pytest.raises(LoginFlowError) as caught:
            console_redirect(values, None)
        assert caught.value.cause == "redirect_uri" and "console_url" in caught.value.message


def test_scopes_fall_back_to_discovery_and_always_add_openid():
    assert console_scopes({"scopes": "openid, profile,minio"}, {}) == ["openid", "profile", "minio", "openid"]
    assert console_scopes({"scopes": ""}, {"scopes_supported": ["email", "openid"]}) == ["email", "openid", "openid"]


@pytest.mark.parametrize("uris, uri, allowed", [
    ([{"matching_mode": "strict", "url": REDIRECT}], REDIRECT, True),
    ([{"matching_mode": "strict", "url": REDIRECT}], REDIRECT + "/", False),
    ([{"matching_mode": "regex", "url": r"https://console\.example\.test/.*"}], REDIRECT, True),
    ([{"matching_mode": "regex", "url": r"https://console\.example\.test/"}], REDIRECT, False),  # a full match
    ([{"matching_mode": "strict", "url": REDIRECT, "redirect_uri_type": "logout"}], REDIRECT, False),
    (REDIRECT + "\nhttps://other/cb", REDIRECT, True),  # the string era: each line a regular expression
    ("", REDIRECT, False),
    ([{"matching_mode": "regex", "url": "("}], REDIRECT, False),
])
def test_redirect_allowed(uris, uri, allowed):
    assert redirect_allowed(uris, uri) is allowed


class Answer:
    def __init__(self, status, body=None, location=None, content_type=None):
        self.status_code = status
        self.headers = {}
        if location:
            self.headers["Location"] = location
        if isinstance(body, dict):
            self.headers["Content-Type"] = "application/json"
            self.text = json.dumps(body)
        else:
            self.headers["Content-Type"] = content_type or "text/html; charset=utf-8"
            self.text = body or ""
        self._body = body

    def json(self):
        if not isinstance(self._body, dict):
            raise ValueError("not JSON")
        return self._body


class Script:
    """A fake requests.Session answering in order; records what was sent."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.sent = []

    def request(self, method, url, **kwargs):
        self.sent.append((method, url, kwargs.get("json"), kwargs.get("data")))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def flow_for(answers):
    return LoginFlow(timeout=5, session=Script(answers))


def login(flow):
    return flow.authorize_code(AUTHORIZE, "minio", REDIRECT, ["openid", "minio"], "user", "pw-0123456789", "how")


def interface():
    return Answer(302, location="/if/flow/default-authentication-flow/?response_type=code&next=%2Fapplication%2Fo%2Fauthorize%2F")


def test_happy_path_answers_each_stage_and_checks_the_state():
    script = Script([])
    flow = LoginFlow(timeout=5, session=script)

    def back(method, url, **kwargs):  # authorize again, logged in: back to the console with the first state
        del method, url, kwargs
        return Answer(302, location=REDIRECT + "?code=abc&state=" + script.sent[0][1].split("state=")[1])

    script.answers = [interface(), Answer(200, {"component": "ak-stage-identification"}), Answer(302, location="x"),
                      Answer(200, {"component": "ak-stage-password"}), Answer(302, location="x"), Answer(302, location="x"),
                      Answer(200, {"component": "xak-flow-redirect", "to": "/application/o/authorize/?state=s"})]
    real = script.request

    def request(method, url, **kwargs):
        if not script.answers:
            return back(method, url, **kwargs)
        return real(method, url, **kwargs)

    script.request = request
    code = flow.authorize_code(AUTHORIZE, "minio", REDIRECT, ["openid"], "user", "pw-0123456789", "how")
    assert code == "abc"
    posted = [s[2] for s in script.sent if s[0] == "POST"]
    assert posted == [{"component": "ak-stage-identification", "uid_field": "user"},
                      {"component": "ak-stage-password", "password": "pw-0123456789"}]
    assert "/api/v3/flows/executor/default-authentication-flow/?query=" in script.sent[1][1]


@pytest.mark.parametrize("answers, cause, words", [
    ([Answer(400, "<h1>Redirect URI Error</h1>")], "redirect_uri", REDIRECT),
    ([Answer(400, "<h1>Client ID Error</h1>")], "client_id", "minio"),
    ([interface(), Answer(200, {"component": "ak-stage-identification"}), Answer(302, location="x"),
      Answer(200, {"component": "ak-stage-password"}), Answer(302, location="x"),
      Answer(200, {"component": "xak-flow-redirect", "to": "/application/o/authorize/"}),
      Answer(200, "<h1>Permission denied</h1>")], "access_denied", "access groups"),
    ([interface(), Answer(200, {"component": "ak-stage-identification"}), Answer(302, location="x"),
      Answer(200, {"component": "ak-stage-password"}),
      Answer(200, {"component": "ak-stage-password", "response_errors": {"password": [{"string": "Invalid password"}]}})],
     "login_refused", "Invalid password"),
    ([interface(), Answer(200, {"component": "ak-stage-identification"}), Answer(302, location="x"),
      Answer(200, {"component": "ak-stage-password"}), Answer(302, location="x"),
      Answer(200, {"component": "ak-stage-authenticator-validate"})], "unsupported_stage", "ak-stage-authenticator-validate"),
    ([interface(), Answer(200, {"component": "ak-stage-access-denied", "error_message": "Invalid password"})],
     "login_refused", "Invalid password"),
    ([requests.exceptions.ConnectionError("refused")], "authorize", "did not answer"),
])
def test_each_refusal_is_one_line_with_its_cause(answers, cause, words):
    with pytest.raises(LoginFlowError) as caught:
        login(flow_for(answers))
    assert caught.value.cause == cause and words in caught.value.message
    assert "\n" not in caught.value.message and "pw-0123456789" not in caught.value.message


def test_a_foreign_state_is_refused():
    with pytest.raises(LoginFlowError) as caught:
        login(flow_for([Answer(302, location=REDIRECT + "?code=abc&state=forged")]))
    assert caught.value.cause == "authorize" and "state" in caught.value.message


@pytest.mark.parametrize("status, body, cause", [
    (400, {"error": "invalid_client"}, "client_secret"),
    (400, {"error": "invalid_grant"}, "grant"),
    (500, "oops", "token"),
])
def test_token_refusals(status, body, cause):
    flow = flow_for([Answer(status, body)])
    with pytest.raises(LoginFlowError) as caught:
        flow.exchange("https://ak/token/", "minio", "the-secret-0123456789", "code-0123", REDIRECT)
    assert caught.value.cause == cause
    assert "the-secret-0123456789" not in caught.value.message and "code-0123" not in caught.value.message


def test_jwks_without_keys_and_unreachable_discovery():
    doc = {"authorization_endpoint": "a", "token_endpoint": "t", "jwks_uri": "https://ak/jwks/", "issuer": "i"}
    with pytest.raises(LoginFlowError) as caught:
        flow_for([Answer(200, doc), Answer(200, {"keys": []})]).discovery("https://ak/.well-known/openid-configuration")
    assert caught.value.cause == "jwks"
    with pytest.raises(LoginFlowError) as caught:
        flow_for([Answer(503, "down")]).discovery("https://ak/.well-known/openid-configuration")
    assert caught.value.cause == "discovery" and "503" in caught.value.message


def test_console_rule_for_minios_client_only():
    url = AUTHORIZE + "?client_id=minio&redirect_uri=https%3A%2F%2Fc%2Foauth_callback&response_type=code&scope=openid+minio&state=c3Q%3D"
    details = {"loginStrategy": "redirect", "redirectRules": [{"redirect": AUTHORIZE + "?client_id=other"}, {"redirect": url}]}
    found = console_login_rule(flow_for([Answer(200, details)]), "https://c/", "minio")
    assert found == {"url": url, "redirect_uri": "https://c/oauth_callback", "state": "c3Q=", "scopes": ["openid", "minio"]}
    for answers in ([Answer(200, {"loginStrategy": "form", "redirectRules": []})], [Answer(404, "<html>")],
                    [requests.exceptions.ConnectionError("refused")]):
        assert console_login_rule(flow_for(answers), "https://c", "minio") is None


def test_console_callback_words():
    assert console_callback(flow_for([Answer(204, "")]), "https://c", "code", "state") is None
    refusal = console_callback(flow_for([Answer(401, {"code": 401, "detailedMessage": 'oauth2: "invalid_client"'})]),
                               "https://c", "code", "state")
    assert refusal == 'HTTP 401: oauth2: "invalid_client"'
