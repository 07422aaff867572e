# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MinIO double's console login API (``--console-port``): the authorize URL the console hands out (redirect URI
precedence, scopes, state) and the code exchange behind ``/api/v1/login/oauth2/auth``, against the authentik
double's interactive login."""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authentik.login_fixture import LoginSetup
from harness import free_ports
from minio import MinioAdmin
from minio.credentials import StaticProvider

TOKEN = "console-token-0123456789"
ROOT, ROOT_PASSWORD = "console-root", "console-root-password-0123"
SECRET = "console-secret-" + "x" * 30


@pytest.fixture
def pair(start_double):
    def start(openid, env=None):
        api_port, port = free_ports(2)  # distinct: the double cannot serve its API and its console on one port
        authentik = start_double("authentik", "--token", TOKEN)
        minio = start_double("minio", "--root-user", ROOT, "--root-password", ROOT_PASSWORD, "--restart-outage", "0.3",
                             "--console-port", str(port), env=env, port=api_port)
        setup = LoginSetup(authentik.url, TOKEN, slug="minio", client_id="minio", secret=SECRET,
                           redirect="http://127.0.0.1:%d/oauth_callback" % port)
        admin = MinioAdmin(endpoint=minio.url.split("://")[1], credentials=StaticProvider(ROOT, ROOT_PASSWORD), secure=False)
        values = {"config_url": authentik.url + "/application/o/minio/.well-known/openid-configuration",
                  "client_id": "minio", "client_secret": SECRET}
        values.update(openid)
        admin.config_set("identity_openid", values)
        admin.service_restart()
        console = "http://127.0.0.1:%d" % port
        for _attempt in range(100):
            try:
                if requests.get(console + "/api/v1/login", timeout=2).json()["redirectRules"]:
                    break
            except (requests.exceptions.RequestException, ValueError):
                pass
            time.sleep(0.1)
        return setup, console

    return start


def rule(console, **headers):
    details = requests.get(console + "/api/v1/login", headers=headers, timeout=10).json()
    assert details["loginStrategy"] == "redirect" and details["isK8S"] is False
    found = details["redirectRules"][0]
    assert found["displayName"] == "Login with SSO"
    return found["redirect"], {k: v[-1] for k, v in parse_qs(urlsplit(found["redirect"]).query).items()}


def login(setup, url):
    browser = requests.Session()
    first = browser.get(url, allow_redirects=False, timeout=10)
    executor = "%s/api/v3/flows/executor/default-authentication-flow/?%s" % (
        setup.url, urlencode({"query": urlsplit(first.headers["Location"]).query}))
    challenge = setup.run_executor(browser, executor, setup.username, setup.password)
    back = browser.get(setup.url + challenge["to"], allow_redirects=False, timeout=10)
    return parse_qs(urlsplit(back.headers["Location"]).query)["code"][-1]


def test_redirect_uri_precedence_and_scopes(pair):
    setup, console = pair({"redirect_uri": "https://stored.example.test/oauth_callback", "scopes": "openid,minio"})
    url, query = rule(console)
    assert list(query) == ["client_id", "redirect_uri", "response_type", "scope", "state"]  # Go's sorted encoding
    assert query["redirect_uri"] == "https://stored.example.test/oauth_callback"
    assert query["scope"] == "openid minio openid"
    state = json.loads(base64.b64decode(query["state"]))
    assert state["idp_name"] == "_" and ":" in state["state"]
    assert url.startswith(setup.url + "/application/o/authorize/?")


def test_dynamic_redirect_wins_and_follows_the_request(pair):
    setup, console = pair({"redirect_uri": "https://stored.example.test/oauth_callback", "redirect_uri_dynamic": "on"})
    dummy, query = rule(console, Host="console.example.test:9443", **{"X-Forwarded-Proto": "https"})
    assert query["redirect_uri"] == "https://console.example.test:9443/oauth_callback"
    del setup
    # no scopes stored: the provider's scopes_supported, then openid
    assert query["scope"].split()[-1] == "openid" and "minio" in query["scope"].split()


def test_browser_redirect_url_then_own_address(pair):
    setup, console = pair({}, env={"MINIO_BROWSER_REDIRECT_URL": "https://minio.example.test/console"})
    assert rule(console)[1]["redirect_uri"] == "https://minio.example.test/console/oauth_callback"
    del setup


def test_console_own_address_and_the_code_exchange(pair):
    setup, console = pair({})
    url, query = rule(console)
    assert query["redirect_uri"] == console + "/oauth_callback"
    code = login(setup, url)
    tampered = base64.b64encode(json.dumps({"state": "0:0", "idp_name": "_"}).encode()).decode()
    refused = requests.post(console + "/api/v1/login/oauth2/auth", json={"code": code, "state": tampered}, timeout=10)
    assert refused.status_code == 401 and refused.json()["detailedMessage"] == "invalid state"
    done = requests.post(console + "/api/v1/login/oauth2/auth", json={"code": code, "state": query["state"]}, timeout=10)
    assert done.status_code == 204 and done.headers["Set-Cookie"].startswith("token=")
    again = requests.post(console + "/api/v1/login/oauth2/auth", json={"code": code, "state": query["state"]}, timeout=10)
    assert again.status_code == 401 and "invalid_grant" in again.json()["detailedMessage"]


def test_console_with_another_secret_than_authentik(pair):
    setup, console = pair({})
    setup.patch("providers/oauth2/%s/" % setup.provider["pk"], {"client_secret": "authentik-has-another-" + "y" * 30})
    url, query = rule(console)
    refused = requests.post(console + "/api/v1/login/oauth2/auth",
                            json={"code": login(setup, url), "state": query["state"]}, timeout=10)
    assert refused.status_code == 401 and "invalid_client" in refused.json()["detailedMessage"]
    assert SECRET not in refused.text
