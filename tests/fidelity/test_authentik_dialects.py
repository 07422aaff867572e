# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The documented differences between authentik releases, one double
per dialect: paths, redirect_uris as a string or a list, whether invalidation_flow exists and is
required, grant_types enforced at the token endpoint, pagination defaults and field renames."""

from __future__ import annotations

import datetime
import itertools
import subprocess
import sys

import jwt
import pytest
import requests

from authentik_helpers import AuthentikSession, start_authentik
from harness import DOUBLES_DIR

REDIRECT_LIST = [{"matching_mode": "strict", "url": "https://minio.example/cb"}]


@pytest.fixture(scope="module")
def dialects():
    started = {}

    def get(version):
        if version not in started:
            started[version] = AuthentikSession(start_authentik("--api-version", version))
        return started[version]

    yield get
    for session in started.values():
        session.double.stop()


def _provider_body(ak, redirect_uris, with_invalidation=True, **extra):
    body = {"name": "MinIO", "client_id": "minio", "client_secret": "s" * 40,
            "authorization_flow": ak.flow_pk("default-provider-authorization-implicit-consent"),
            "redirect_uris": redirect_uris}
    if with_invalidation:
        body["invalidation_flow"] = ak.flow_pk("default-provider-invalidation-flow")
    body.update(extra)
    return body


def test_2024_6_old_scope_path_string_redirects_no_invalidation_flow(dialects):
    ak = dialects("2024.6")
    assert ak.api("GET", "admin/version/").json()["version_current"] == "2024.6.4"
    assert "outpost_outdated" not in ak.api("GET", "admin/version/").json()
    old = ak.api("GET", "propertymappings/scope/", params={"managed": "goauthentik.io/providers/oauth2/scope-openid"})
    assert old.status_code == 200 and old.json()["results"][0]["scope_name"] == "openid"
    assert "autocomplete" not in old.json()
    new = ak.api("GET", "propertymappings/provider/scope/")
    assert new.status_code == 404 and new.headers["content-type"].startswith("text/html")
    # the generic listing has no name filter before 2024.8: the filter is ignored
    unfiltered = ak.api("GET", "propertymappings/all/", params={"name": "nothing-has-this-name"}).json()
    assert unfiltered["pagination"]["count"] > 20 and len(unfiltered["results"]) == unfiltered["pagination"]["count"]
    assert ak.api("GET", "flows/instances/", params={"slug": "default-provider-invalidation-flow"}).json()[
        "pagination"]["count"] == 0
    as_list = ak.api("POST", "providers/oauth2/", json=_provider_body(ak, REDIRECT_LIST, with_invalidation=False))
    assert as_list.status_code == 400 and as_list.json() == {"redirect_uris": ["Not a valid string."]}
    created = ak.api("POST", "providers/oauth2/", json=_provider_body(
        ak, "https://minio.example/cb\nhttps://other.example/cb", with_invalidation=False))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["redirect_uris"] == "https://minio.example/cb\nhttps://other.example/cb"
    for absent in ("invalidation_flow", "encryption_key", "logout_uri", "refresh_token_threshold", "grant_types",
                   "jwt_federation_sources"):
        assert absent not in body
    assert body["jwks_sources"] == []
    keypair = ak.api("GET", "crypto/certificatekeypairs/").json()["results"][0]
    assert keypair["private_key_type"] == "rsa" and "key_type" not in keypair
    group = ak.api("GET", "core/groups/").json()["results"][0]
    assert "parent" in group and "parents" not in group


def test_2024_6_email_scope_still_says_verified(dialects):
    ak = dialects("2024.6")
    email = ak.api("GET", "propertymappings/scope/", params={
        "managed": "goauthentik.io/providers/oauth2/scope-email"}).json()["results"][0]
    assert '"email_verified": True' in email["expression"]


def test_2024_10_new_path_list_redirects_invalidation_required(dialects):
    ak = dialects("2024.10")
    assert ak.api("GET", "admin/version/").json()["version_current"] == "2024.10.5"
    assert ak.api("GET", "propertymappings/provider/scope/").status_code == 200
    assert ak.api("GET", "propertymappings/scope/").status_code == 404
    assert ak.api("POST", "propertymappings/scope/", json={}).status_code == 405
    missing = ak.api("POST", "providers/oauth2/", json=_provider_body(ak, REDIRECT_LIST, with_invalidation=False))
    assert missing.status_code == 400 and missing.json() == {"invalidation_flow": ["This field is required."]}
    as_string = ak.api("POST", "providers/oauth2/", json=_provider_body(ak, "https://minio.example/cb"))
    assert as_string.json() == {"redirect_uris": {"non_field_errors": ["Expected a list of items but got type \"str\"."]}}
    created = ak.api("POST", "providers/oauth2/", json=_provider_body(ak, REDIRECT_LIST))
    assert created.status_code == 201 and created.json()["redirect_uris"] == REDIRECT_LIST
    assert "jwks_sources" in created.json() and "logout_uri" not in created.json()
    page = ak.api("GET", "propertymappings/all/").json()
    assert page["pagination"]["count"] == len(page["results"])  # page size 100 before 2025.12


def test_2024_10_before_the_cve_patch_still_uses_the_string(dialects):
    ak = dialects("2024.10.1")
    created = ak.api("POST", "providers/oauth2/", json=_provider_body(ak, "https://minio.example/cb"))
    assert created.status_code == 201 and created.json()["redirect_uris"] == "https://minio.example/cb"
    assert "invalidation_flow" in created.json()


_ACCOUNTS = itertools.count(1)


def _login(ak, provider, grant):
    account = ak.api("POST", "core/users/service_account/", json={"name": "sa-%d" % next(_ACCOUNTS)}).json()
    form = {"grant_type": grant, "client_id": provider["client_id"], "username": account["username"],
            "password": account["token"], "scope": "openid profile"}
    return ak.oidc("POST", "token/", data=form)


def test_2026_5_grant_types_are_stored_and_enforced(dialects):
    ak = dialects("2026.5")
    assert ak.api("GET", "admin/version/").json()["version_current"] == "2026.5.8"
    empty = ak.api("POST", "providers/oauth2/", json=_provider_body(ak, REDIRECT_LIST, grant_types=[]))
    assert empty.status_code == 400 and empty.json() == {"grant_types": ["This list may not be empty."]}
    bad = ak.api("POST", "providers/oauth2/", json=_provider_body(ak, REDIRECT_LIST, grant_types=["magic"]))
    assert bad.status_code == 400 and "grant_types" in bad.json()
    scopes = [m["pk"] for m in ak.api("GET", "propertymappings/provider/scope/").json()["results"]
              if m["scope_name"] in ("openid", "profile")]
    created = ak.api("POST", "providers/oauth2/", json=_provider_body(
        ak, REDIRECT_LIST, grant_types=["client_credentials"], property_mappings=scopes,
        signing_key=ak.self_signed_pk()))
    provider = created.json()
    assert created.status_code == 201 and provider["grant_types"] == ["client_credentials"]
    assert provider["redirect_uris"] == [dict(REDIRECT_LIST[0], redirect_uri_type="authorization")]
    ak.api("POST", "core/applications/", json={"name": "MinIO", "slug": "minio", "provider": provider["pk"]})
    allowed = _login(ak, provider, "client_credentials")
    assert allowed.status_code == 200, allowed.text
    assert jwt.decode(allowed.json()["id_token"], options={"verify_signature": False})["aud"] == "minio"
    refused = _login(ak, provider, "password")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    patched = ak.api("PATCH", "providers/oauth2/%d/" % provider["pk"], json={"grant_types": [
        "client_credentials", "password"]})
    assert patched.json()["grant_types"] == ["client_credentials", "password"]
    assert _login(ak, provider, "password").status_code == 200


def test_2026_5_provider_without_grant_types_refuses_every_grant(dialects):
    ak = dialects("2026.5")
    body = _provider_body(ak, REDIRECT_LIST, name="Bare", client_id="bare")
    provider = ak.api("POST", "providers/oauth2/", json=body).json()
    assert provider["grant_types"] == []
    ak.api("POST", "core/applications/", json={"name": "Bare", "slug": "bare", "provider": provider["pk"]})
    assert _login(ak, provider, "client_credentials").json()["error"] == "invalid_grant"
    app = ak.api("GET", "core/applications/bare/").json()
    assert app["meta_hide"] is False


def test_2026_8_shapes_in_the_serializers_order(dialects):
    ak = dialects("2026.8")
    assert ak.api("GET", "admin/version/").json()["version_current"] == "2026.8.5"
    exchange = "urn:ietf:params:oauth:grant-type:token-exchange"
    provider = ak.api("POST", "providers/oauth2/", json=_provider_body(
        ak, REDIRECT_LIST, grant_types=["authorization_code", exchange])).json()
    assert provider["grant_types"] == ["authorization_code", exchange]
    keys = list(provider)
    assert keys[keys.index("client_type") + 1] == "grant_types"  # not last: right after client_type
    app = ak.api("POST", "core/applications/", json={"name": "MinIO", "slug": "minio", "provider": provider["pk"]}).json()
    assert list(app)[:2] == ["pk", "pbm_uuid"] and app["pbm_uuid"] == app["pk"] and list(app)[-2:] == ["group", "meta_hide"]
    group = ak.api("POST", "core/groups/", json={"name": "minio-users"}).json()
    sent = {"target": app["pk"], "group": group["pk"], "order": 0, "expires": "2030-01-01T00:00:00Z", "expiring": True}
    binding = ak.api("POST", "policies/bindings/", json=sent).json()
    # expires/expiring are read-only: a plain API binding never expires
    assert list(binding)[-2:] == ["expires", "expiring"] and (binding["expires"], binding["expiring"]) == (None, False)
    urls = ak.api("GET", "providers/oauth2/%d/setup_urls/" % provider["pk"]).json()
    assert list(urls)[-1] == "dcr_registration" and urls["dcr_registration"] is None
    me = ak.api("GET", "core/users/me/").json()
    assert list(me) == ["user", "users"] and me["users"][0]["is_current"] is True
    assert list(me["user"])[4:6] == ["is_superuser", "is_current"]
    discovery = ak.oidc("GET", "minio/.well-known/openid-configuration").json()
    assert exchange in discovery["grant_types_supported"]


def test_2026_8_expired_temporary_bindings_no_longer_count(dialects):
    ak = dialects("2026.8")
    app = ak.api("POST", "core/applications/", json={"name": "Temp", "slug": "temp"}).json()
    other = ak.api("POST", "core/groups/", json={"name": "nobody-here"}).json()
    ak.api("POST", "policies/bindings/", json={"target": app["pk"], "group": other["pk"], "order": 0})
    admin = ak.api("GET", "core/users/me/").json()["user"]["pk"]

    def passing():
        return ak.api("GET", "core/applications/temp/check_access/", params={"for_user": admin}).json()["passing"]

    assert passing() is False
    for expires_in, passes in ((3600, True), (-60, False)):
        made = requests.post(ak.url + "/_double/temporary_binding", timeout=10, json={
            "application": "temp", "user": "akadmin", "expires_in": expires_in})
        assert made.status_code == 201
        listed = ak.api("GET", "policies/bindings/", params={"target": app["pk"]}).json()["results"]
        assert [b["expiring"] for b in listed if b["pk"] == made.json()["pk"]] == [True]
        assert passing() is passes
        ak.api("DELETE", "policies/bindings/%s/" % made.json()["pk"])


def test_2026_8_1_fresh_installs_default_tokens_to_one_day(dialects):
    for version, minutes in (("2026.8.0", 30), ("2026.8", 24 * 60)):
        ak = dialects(version)
        sent = {"identifier": "t-%s" % version.replace(".", "-"), "intent": "api"}
        token = ak.api("POST", "core/tokens/", json=sent).json()
        expires = datetime.datetime.fromisoformat(token["expires"].replace("Z", "+00:00"))
        left = (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 60
        assert minutes - 2 < left <= minutes


def test_unknown_versions_are_refused_at_start():
    result = subprocess.run([sys.executable, DOUBLES_DIR + "/authentik_double.py", "--port", "1", "--api-version",
                             "2019.1"], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2 and "unknown authentik release line 2019.1" in result.stderr
