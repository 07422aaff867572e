# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The authentik double as a server: TLS, the request log, fault injection, routing and permissions."""

from __future__ import annotations


import pytest
import requests

from certificates import self_signed  # tests/doubles, on sys.path through tests/conftest.py
from authentik_helpers import AUTHENTIK_TOKEN, AuthentikSession, start_authentik


def test_tls_serves_https_and_builds_https_urls(tmp_path):
    cert, key = self_signed(tmp_path)
    double = start_authentik("--tls-cert", cert, "--tls-key", key)
    try:
        assert double.url.startswith("https://127.0.0.1:")
        answer = requests.get(double.url + "/api/v3/admin/version/", verify=cert, timeout=10,
                              headers={"Authorization": "Bearer " + AUTHENTIK_TOKEN})
        assert answer.status_code == 200 and answer.json()["version_current"] == "2025.12.4"
        session = AuthentikSession(double)
        flow = session.api("GET", "flows/instances/default-provider-authorization-implicit-consent/",
                           verify=cert).json()["pk"]
        provider = session.api("POST", "providers/oauth2/", verify=cert, json={
            "name": "tls", "authorization_flow": flow, "invalidation_flow": flow, "redirect_uris": []}).json()
        session.api("POST", "core/applications/", verify=cert,
                    json={"name": "tls", "slug": "tls", "provider": provider["pk"]})
        config = requests.get(double.url + "/application/o/tls/.well-known/openid-configuration", verify=cert,
                              timeout=10).json()
        assert config["issuer"] == double.url + "/application/o/tls/"
    finally:
        double.stop()


def test_request_log_and_faults(authentik):
    authentik.double.clear_requests()
    authentik.api("GET", "admin/version/")
    authentik.api("GET", "admin/version")
    assert [(r["method"], r["path"], r["status"]) for r in authentik.double.requests()] == [
        ("GET", "/api/v3/admin/version/", 200), ("GET", "/api/v3/admin/version", 404)]
    authentik.double.fault(path="^/api/v3/core/", status=503, count=1)
    assert authentik.api("GET", "core/users/me/").status_code == 503
    assert authentik.api("GET", "core/users/me/").status_code == 200
    authentik.double.fault(path="^/application/o/token/", drop=True)
    with pytest.raises(requests.ConnectionError):
        authentik.oidc("POST", "token/", data={"grant_type": "client_credentials"})
    assert authentik.double.writes()[-1] == {"method": "POST", "path": "/application/o/token/", "query": "",
                                             "status": "dropped"}


def test_routing_errors(authentik):
    wrong_method = authentik.api("DELETE", "admin/version/")
    assert wrong_method.status_code == 405 and wrong_method.json() == {"detail": "Method \"DELETE\" not allowed."}
    assert wrong_method.headers["allow"] == "GET, HEAD, OPTIONS"
    unknown = authentik.api("POST", "no/such/endpoint/", json={})
    assert unknown.status_code == 405 and unknown.content == b"" and unknown.headers["allow"] == "GET, HEAD, OPTIONS"
    assert authentik.api("GET", "no/such/endpoint/").headers["content-type"] == "text/html; charset=utf-8"
    broken = authentik.api("POST", "core/groups/", data="{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["detail"].startswith("JSON parse error - ")
    plain_text = authentik.api("POST", "core/groups/", data="x", headers={"Content-Type": "text/plain"})
    assert plain_text.status_code == 415
    assert plain_text.json() == {"detail": "Unsupported media type \"text/plain\" in request."}
    form = authentik.api("POST", "core/groups/", data={"name": "from-a-form"})
    assert form.status_code == 201 and form.json()["name"] == "from-a-form"
    multipart = authentik.api("POST", "core/groups/", files={"name": (None, "from-multipart")})
    assert multipart.status_code == 201 and multipart.json()["name"] == "from-multipart"
    token_get = authentik.oidc("GET", "token/")
    assert token_get.status_code == 405 and "POST" in token_get.headers["allow"]
    assert authentik.oidc("GET", "../../-/health/ready/").status_code == 200


def test_authentication_failures_are_403(authentik):
    url = authentik.url + "/api/v3/admin/version/"
    cases = {"": "Authentication credentials were not provided.", "Basic YWthZG1pbjp4": (
        "Authentication credentials were not provided."), "Bearer ": "Malformed header",
        "Bearer nope": "Token invalid/expired", "Token " + authentik.token: "Authentication credentials were not provided."}
    for header, detail in cases.items():
        answer = requests.get(url, headers={"Authorization": header} if header else {}, timeout=10)
        assert answer.status_code == 403 and answer.json() == {"detail": detail}, header
        assert "www-authenticate" not in answer.headers


def test_unknown_filters_and_fields_are_ignored(authentik):
    everything = authentik.api("GET", "flows/instances/").json()["pagination"]["count"]
    assert authentik.api("GET", "flows/instances/", params={"no_such_filter": "x"}).json()[
        "pagination"]["count"] == everything
    group = authentik.api("POST", "core/groups/", json={"name": "ignored-fields", "no_such_field": 1})
    assert group.status_code == 201 and "no_such_field" not in group.json()


def test_non_superuser_tokens(authentik):
    account = authentik.api("POST", "core/users/service_account/", json={"name": "plain-user"}).json()
    authentik.api("POST", "core/tokens/", json={"identifier": "plain-api", "intent": "api",
                                                "user": account["user_pk"], "expiring": False}).raise_for_status()
    key = authentik.api("GET", "core/tokens/plain-api/view_key/").json()["key"]
    plain = AuthentikSession(authentik.double, token=key)
    assert plain.api("GET", "core/users/me/").json()["user"]["username"] == "plain-user"
    assert plain.api("GET", "admin/version/").status_code == 200
    denied = plain.api("GET", "providers/oauth2/")
    assert denied.status_code == 403
    assert denied.json() == {"detail": "You do not have permission to perform this action."}
    assert [t["identifier"] for t in plain.api("GET", "core/tokens/").json()["results"]] == [
        "plain-api", "service-account-plain-user-password"]
    authentik.api("PATCH", "core/users/%d/" % account["user_pk"], json={"is_active": False}).raise_for_status()
    assert plain.api("GET", "core/users/me/").json() == {"detail": "Token invalid/expired"}
