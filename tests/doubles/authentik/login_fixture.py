# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper (used by tests, never by the double): what an interactive login needs, set up through the REST API
of any dialect, plus a small browser-like client for the login itself.

``LoginSetup(url, token)`` creates a scope mapping (scope ``minio`` -> ``{"policy": ...}``), a confidential OAuth2
provider with a strict redirect URI, its application and an internal user with a password; every call is the
public API's, with the body the dialect wants (redirect URIs as a string before 2024.8.5/2024.10.3, no
invalidation flow before 2024.10, ``grant_types`` from 2026.5).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import requests

REDIRECT = "https://console.example.test/oauth_callback"
SCOPES = "openid profile email minio"
MAX_HOPS = 12


class LoginSetup:
    def __init__(self, url, token, slug="rec-minio", client_id="rec-minio", secret="s3cret-" + "x" * 40,
                 redirect=REDIRECT, policy_expression='return {"policy": "readwrite"}', username="rec-user",
                 password="rec-password-0123456789"):
        self.url = url
        self.http = requests.Session()
        self.http.trust_env = False
        self.http.headers["Authorization"] = "Bearer " + token
        self.slug, self.client_id, self.secret, self.redirect = slug, client_id, secret, redirect
        self.username, self.password = username, password
        self.version = tuple(int(p) for p in self.get("admin/version/")["version_current"].split("."))
        self.scope_path = "propertymappings/provider/scope/" if self.version >= (2024, 8) else "propertymappings/scope/"
        mapping = self.post(self.scope_path, {"name": slug + "-policy", "scope_name": "minio",
                                              "expression": policy_expression})
        managed = [m["pk"] for m in self.get(self.scope_path, page_size=100)["results"]
                   if m.get("managed") and m["scope_name"] in ("openid", "email", "profile")]
        body = {"name": slug, "client_type": "confidential", "client_id": client_id, "client_secret": secret,
                "authorization_flow": self.flow_pk("default-provider-authorization-implicit-consent"),
                "redirect_uris": self.redirect_uris([redirect]), "property_mappings": managed + [mapping["pk"]],
                "signing_key": self.get("crypto/certificatekeypairs/", name="authentik Self-signed Certificate")[
                    "results"][0]["pk"], "include_claims_in_id_token": True}
        if self.version >= (2024, 10):
            body["invalidation_flow"] = self.flow_pk("default-provider-invalidation-flow")
        if self.version >= (2026, 5):
            body["grant_types"] = ["authorization_code"]
        self.provider = self.post("providers/oauth2/", body)
        self.application = self.post("core/applications/", {"name": slug, "slug": slug,
                                                            "provider": self.provider["pk"]})
        self.user = self.post("core/users/", {"username": username, "name": "Rec User",
                                              "email": username + "@example.test"})
        self.set_password(self.user["pk"], password)

    # REST --------------------------------------------------------------------------------------------
    def call(self, method, path, body=None, expect=(200, 201, 204), **params):
        response = self.http.request(method, self.url + "/api/v3/" + path, json=body, params=params or None,
                                     timeout=10)
        assert response.status_code in expect, "%s %s: %s %s" % (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def get(self, path, **params):
        return self.call("GET", path, **params)

    def post(self, path, body):
        return self.call("POST", path, body)

    def patch(self, path, body):
        return self.call("PATCH", path, body)

    def flow_pk(self, slug):
        return self.get("flows/instances/%s/" % slug)["pk"]

    def redirect_uris(self, urls):
        v = self.version
        if v >= (2024, 10, 3) or (2024, 8, 5) <= v < (2024, 10, 0):
            return [{"matching_mode": "strict", "url": url} for url in urls]
        return "\n".join(urls)

    def set_password(self, pk, password):
        self.post("core/users/%s/set_password/" % pk, {"password": password})

    def bind_group(self, name):
        """The application admits members of a new group ``name`` only; returns the group."""
        group = self.post("core/groups/", {"name": name})
        self.post("policies/bindings/", {"target": self.application["pk"], "group": group["pk"], "order": 0})
        return group

    def add_user(self, group, user_pk):
        self.post("core/groups/%s/add_user/" % group["pk"], {"pk": user_pk})

    # a browser-like login ----------------------------------------------------------------------------
    def authorize_url(self, redirect=None, state="STATE123", client_id=None):
        return self.url + "/application/o/authorize/?" + urlencode({
            "response_type": "code", "client_id": client_id or self.client_id, "redirect_uri": redirect or self.redirect,
            "scope": SCOPES, "state": state})

    def login(self, username=None, password=None, redirect=None, jar=None):
        """Follow authorize -> executor -> authorize; returns ``(last response, browser session, last challenge)``."""
        browser = jar or requests.Session()
        browser.trust_env = False
        response = browser.get(self.authorize_url(redirect), allow_redirects=False, timeout=10)
        challenge = None
        for dummy in range(MAX_HOPS):
            location = response.headers.get("Location", "") if response.status_code == 302 else ""
            if not location.startswith("/if/flow/"):
                return response, browser, challenge
            parts = urlsplit(location)
            slug = parts.path.split("/")[3]
            executor = "%s/api/v3/flows/executor/%s/?%s" % (self.url, slug, urlencode({"query": parts.query}))
            challenge = self.run_executor(browser, executor, username or self.username, password or self.password)
            if challenge.get("component") != "xak-flow-redirect":
                return response, browser, challenge
            response = browser.get(self.url + challenge["to"], allow_redirects=False, timeout=10)
        raise AssertionError("no end after %d hops" % MAX_HOPS)

    @staticmethod
    def run_executor(browser, executor, username, password):
        response = browser.get(executor, allow_redirects=False, timeout=10)
        for dummy in range(MAX_HOPS):
            if response.status_code == 302:
                response = browser.get(executor, allow_redirects=False, timeout=10)
                continue
            challenge = response.json()
            component = challenge.get("component")
            if component == "ak-stage-identification":
                response = browser.post(executor, json={"component": component, "uid_field": username},
                                        allow_redirects=False, timeout=10)
            elif component == "ak-stage-password" and "response_errors" not in challenge:
                response = browser.post(executor, json={"component": component, "password": password},
                                        allow_redirects=False, timeout=10)
            else:
                return challenge
        raise AssertionError("executor did not settle")

    def token(self, code, secret=None, redirect=None, basic=False):
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect or self.redirect}
        auth = None
        if basic:
            auth = (self.client_id, secret or self.secret)
        else:
            form.update(client_id=self.client_id, client_secret=secret or self.secret)
        return requests.post(self.url + "/application/o/token/", data=form, auth=auth, timeout=10)


def code_of(response):
    query = parse_qs(urlsplit(response.headers.get("Location", "")).query)
    return (query.get("code") or [None])[-1]
