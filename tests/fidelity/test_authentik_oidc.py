# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OIDC behaviour of the authentik double: the machine-to-machine login path the role's login check
uses, real JWTs (RS256 with kid / HS256 with the client secret), scope mappings that really run, and
the access rules of the token endpoint."""

from __future__ import annotations

import itertools

import jwt
import pytest
from authentik_helpers import AuthentikSession, start_authentik

_names = itertools.count(1)

MINIO_EXPRESSION = (
    'if ak_is_group_member(request.user, name="minio-admins"):\n'
    '    return {"policy": "consoleAdmin"}\n'
    'return {"policy": "readonly"}\n'
)


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def make_app(ak, expression=MINIO_EXPRESSION, scope_name="minio", **provider_extra):
    """Scope mapping + provider (RS256 with the self-signed key) + application; returns (provider, app slug)."""
    n = next(_names)
    mapping = _ok(ak.api("POST", "propertymappings/provider/scope/", json={
        "name": "mapping-%d" % n, "scope_name": scope_name, "expression": expression}), 201)
    body = {
        "name": "Provider %d" % n, "client_id": "client-%d" % n, "client_secret": "secret-%d-0123456789abcdef0123456789abcdef" % n,
        "authorization_flow": ak.flow_pk("default-provider-authorization-implicit-consent"),
        "invalidation_flow": ak.flow_pk("default-provider-invalidation-flow"),
        "redirect_uris": [{"matching_mode": "strict", "url": "https://minio.example/oauth_callback"}],
        "signing_key": ak.self_signed_pk(),
        "property_mappings": ak.mapping_pks("openid", "email", "profile") + [mapping["pk"]],
    }
    body.update(provider_extra)
    provider = _ok(ak.api("POST", "providers/oauth2/", json=body), 201)
    slug = "app-%d" % n
    _ok(ak.api("POST", "core/applications/", json={"name": "App %d" % n, "slug": slug, "provider": provider["pk"]}), 201)
    return provider, slug


def login_user(ak, group_names=(), name=None):
    """The role's login check: service account, groups, an app-password token read back via view_key."""
    name = name or "sa-%d" % next(_names)
    account = _ok(ak.api("POST", "core/users/service_account/", json={
        "name": name, "create_group": False, "expiring": False}))
    for group_name in group_names:
        found = _ok(ak.api("GET", "core/groups/", params={"name": group_name}))["results"]
        group = found[0] if found else _ok(ak.api("POST", "core/groups/", json={"name": group_name}), 201)
        ak.api("POST", "core/groups/%s/add_user/" % group["pk"], json={"pk": account["user_pk"]}).raise_for_status()
    identifier = "%s-app-password" % name
    body = {"identifier": identifier, "intent": "app_password", "user": account["user_pk"], "expiring": False}
    _ok(ak.api("POST", "core/tokens/", json=body), 201)
    key = _ok(ak.api("GET", "core/tokens/%s/view_key/" % identifier))["key"]
    return account, key


def token(ak, client_id, username, password, scope="openid profile email minio", grant="client_credentials"):
    data = {"grant_type": grant, "client_id": client_id, "username": username, "password": password}
    if scope is not None:
        data["scope"] = scope
    return ak.oidc("POST", "token/", data=data)


def verify_rs256(ak, slug, id_token, audience):
    config = _ok(ak.oidc("GET", "%s/.well-known/openid-configuration" % slug))
    jwks = _ok(ak.oidc("GET", "%s/jwks/" % slug))
    header = jwt.get_unverified_header(id_token)
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    signing_key = jwt.PyJWK.from_dict(key)
    return jwt.decode(id_token, signing_key.key, algorithms=config["id_token_signing_alg_values_supported"],
                      audience=audience, issuer=config["issuer"])


def test_login_check_path_gives_a_verified_rs256_id_token_with_the_group_claim(authentik):
    provider, slug = make_app(authentik)
    group = _ok(authentik.api("POST", "core/groups/", json={"name": "minio-admins"}), 201)
    _ok(authentik.api("POST", "policies/bindings/", json={
        "target": authentik.api("GET", "core/applications/%s/" % slug).json()["pk"], "group": group["pk"],
        "order": 0}), 201)
    account, key = login_user(authentik, ["minio-admins"])
    answer = _ok(token(authentik, provider["client_id"], account["username"], key))
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 3600
    assert sorted(answer["scope"].split()) == ["email", "minio", "openid", "profile"]
    claims = verify_rs256(authentik, slug, answer["id_token"], provider["client_id"])
    assert claims["iss"].endswith("/application/o/%s/" % slug)
    assert claims["aud"] == provider["client_id"] and claims["exp"] - claims["iat"] == 3600
    assert claims["sub"] == account["user_uid"]
    assert claims["policy"] == "consoleAdmin" and claims["groups"] == ["minio-admins"]
    assert claims["preferred_username"] == account["username"] and claims["email_verified"] is False
    userinfo = _ok(authentik.oidc("GET", "userinfo/", headers={"Authorization": "Bearer " + answer["access_token"]}))
    assert userinfo["policy"] == "consoleAdmin" and userinfo["sub"] == claims["sub"]
    # the same user outside the bound group is refused by the application's policy
    other, other_key = login_user(authentik)
    refused = token(authentik, provider["client_id"], other["username"], other_key)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_group_membership_decides_the_mapping_branch(authentik):
    provider, slug = make_app(authentik)
    del slug
    account, key = login_user(authentik)
    claims = jwt.decode(_ok(token(authentik, provider["client_id"], account["username"], key))["id_token"],
                        options={"verify_signature": False})
    assert claims["policy"] == "readonly" and claims["groups"] == []


def test_password_grant_and_base64_client_secret_behave_like_client_credentials(authentik):
    provider, _slug = make_app(authentik)
    account, key = login_user(authentik)
    by_password = _ok(token(authentik, provider["client_id"], account["username"], key, grant="password"))
    import base64  # pylint: disable=import-outside-toplevel

    secret = base64.b64encode(("%s:%s" % (account["username"], key)).encode()).decode()
    by_secret = _ok(authentik.oidc("POST", "token/", data={
        "grant_type": "client_credentials", "client_id": provider["client_id"], "client_secret": secret,
        "scope": "openid minio"}))
    for answer in (by_password, by_secret):
        assert jwt.decode(answer["id_token"], options={"verify_signature": False})["sub"] == account["user_uid"]


def test_provider_secret_logs_in_the_generated_client_credentials_account(authentik):
    provider, _slug = make_app(authentik)
    answer = _ok(authentik.oidc("POST", "token/", data={
        "grant_type": "client_credentials", "client_id": provider["client_id"],
        "client_secret": provider["client_secret"], "scope": "openid profile minio"}))
    claims = jwt.decode(answer["id_token"], options={"verify_signature": False})
    assert claims["preferred_username"] == "ak-%s-client_credentials" % provider["name"]
    users = _ok(authentik.api("GET", "core/users/", params={"username": claims["preferred_username"]}))["results"]
    assert users[0]["type"] == "service_account" and users[0]["name"].startswith("Autogenerated user from application")
    form = {"grant_type": "client_credentials", "client_id": provider["client_id"], "client_secret": "nope"}
    wrong = authentik.oidc("POST", "token/", data=form)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_client"


def test_wrong_credentials_and_unknown_clients_are_refused(authentik):
    provider, _slug = make_app(authentik)
    account, key = login_user(authentik)
    cases = [
        (token(authentik, provider["client_id"], account["username"], "wrong"), "invalid_grant"),
        (token(authentik, provider["client_id"], "akadmin", authentik.token), "invalid_grant"),  # api token
        (token(authentik, provider["client_id"], "akadmin", key), "invalid_grant"),  # someone else's app password
        (token(authentik, "no-such-client", account["username"], key), "invalid_client"),
    ]
    for response, error in cases:
        assert response.status_code == 400 and response.json()["error"] == error
        assert response.headers["content-type"] == "application/json" and response.headers["cache-control"] == "no-store"


def test_failing_expressions_drop_only_their_claims(authentik):
    provider, slug = make_app(authentik, expression='raise ValueError("boom")')
    extra = _ok(authentik.api("POST", "propertymappings/provider/scope/", json={
        "name": "not-a-dict", "scope_name": "zz", "expression": 'return ["not", "a", "dict"]'}), 201)
    _ok(authentik.api("PATCH", "providers/oauth2/%d/" % provider["pk"], json={
        "property_mappings": provider["property_mappings"] + [extra["pk"]]}))
    account, key = login_user(authentik)
    answer = _ok(token(authentik, provider["client_id"], account["username"], key, scope="openid profile minio zz"))
    claims = jwt.decode(answer["id_token"], options={"verify_signature": False})
    assert "policy" not in claims and claims["preferred_username"] == account["username"]
    config = _ok(authentik.oidc("GET", "%s/.well-known/openid-configuration" % slug))
    assert "policy" not in config["claims_supported"] and "minio" in config["scopes_supported"]


def test_expression_context_and_helpers(authentik):
    expression = "\n".join([
        'ak_logger.info("evaluating", user=request.user.username)',
        'groups = [g.name for g in request.user.groups.all()]',
        'return {',
        '    "who": request.user.username, "pk": request.user.pk, "same": user.pk == request.user.pk,',
        '    "attr": request.user.attributes.get("team"), "mfa": ak_user_has_authenticator(request.user),',
        '    "admin": ak_user_by(username="akadmin").name, "client": provider.client_id,',
        '    "app": provider.application.slug, "groups_seen": groups, "flat": list_flatten(["a", "b"]),',
        '    "sa": request.user.type, "ip": str(ip_address("127.0.0.1")), "member": ak_is_group_member(',
        '        request.user, name__in=["team-a", "x"]),',
        '}',
    ])
    provider, slug = make_app(authentik, expression=expression, scope_name="ctx")
    account, key = login_user(authentik, ["team-a"])
    _ok(authentik.api("PATCH", "core/users/%d/" % account["user_pk"], json={"attributes": {"team": "storage"}}))
    claims = jwt.decode(_ok(token(authentik, provider["client_id"], account["username"], key, scope="openid ctx"))[
        "id_token"], options={"verify_signature": False})
    assert claims == dict(claims, who=account["username"], pk=account["user_pk"], same=True, attr="storage", mfa=False,
                          admin="authentik Default Admin", client=provider["client_id"], app=slug,
                          groups_seen=["team-a"], flat="a", sa="service_account", ip="127.0.0.1", member=True)


def test_include_claims_in_id_token_false_keeps_claims_in_userinfo_only(authentik):
    provider, _slug = make_app(authentik, include_claims_in_id_token=False)
    account, key = login_user(authentik)
    answer = _ok(token(authentik, provider["client_id"], account["username"], key))
    claims = jwt.decode(answer["id_token"], options={"verify_signature": False})
    assert sorted(claims) == ["acr", "aud", "auth_time", "exp", "iat", "iss", "sub"]
    userinfo = _ok(authentik.oidc("POST", "userinfo/", headers={"Authorization": "Bearer " + answer["access_token"]}))
    assert userinfo["policy"] == "readonly"


def test_no_signing_key_means_hs256_with_the_client_secret_and_an_empty_jwks(authentik):
    provider, slug = make_app(authentik, signing_key=None)
    assert _ok(authentik.oidc("GET", "%s/jwks/" % slug)) == {}
    config = _ok(authentik.oidc("GET", "%s/.well-known/openid-configuration" % slug))
    assert config["id_token_signing_alg_values_supported"] == ["HS256"]
    account, key = login_user(authentik)
    id_token = _ok(token(authentik, provider["client_id"], account["username"], key))["id_token"]
    assert "kid" not in jwt.get_unverified_header(id_token)
    claims = jwt.decode(id_token, provider["client_secret"], algorithms=["HS256"], audience=provider["client_id"])
    assert claims["policy"] == "readonly"


@pytest.mark.parametrize("mode,field", [("user_username", "username"), ("user_id", "user_pk"),
                                        ("user_email", "email"), ("user_uuid", "uuid")])
def test_sub_mode(authentik, mode, field):
    provider, _slug = make_app(authentik, sub_mode=mode)
    account, key = login_user(authentik)
    user = _ok(authentik.api("GET", "core/users/%d/" % account["user_pk"]))
    expected = {"username": user["username"], "user_pk": str(user["pk"]), "email": user["email"], "uuid": user["uuid"]}
    claims = jwt.decode(_ok(token(authentik, provider["client_id"], account["username"], key))["id_token"],
                        options={"verify_signature": False})
    assert claims["sub"] == expected[field]


def test_without_scope_there_are_no_claims_and_unknown_scopes_are_dropped(authentik):
    provider, _slug = make_app(authentik)
    account, key = login_user(authentik)
    bare = _ok(token(authentik, provider["client_id"], account["username"], key, scope=None))
    assert bare["scope"] == ""
    assert "policy" not in jwt.decode(bare["id_token"], options={"verify_signature": False})
    odd = _ok(token(authentik, provider["client_id"], account["username"], key, scope="openid nosuchscope"))
    assert odd["scope"] == "openid"


def test_access_tokens_and_the_api(authentik):
    provider, _slug = make_app(authentik)
    api_scope = authentik.mapping_pks("goauthentik.io/api")
    _ok(authentik.api("PATCH", "providers/oauth2/%d/" % provider["pk"], json={
        "property_mappings": provider["property_mappings"] + api_scope}))
    account, key = login_user(authentik)
    plain = _ok(token(authentik, provider["client_id"], account["username"], key))["access_token"]
    with_api = _ok(token(authentik, provider["client_id"], account["username"], key,
                         scope="openid goauthentik.io/api"))["access_token"]
    url = authentik.url + "/api/v3/core/users/me/"
    import requests  # pylint: disable=import-outside-toplevel

    denied = requests.get(url, headers={"Authorization": "Bearer " + plain}, timeout=10)
    assert denied.status_code == 403 and denied.json() == {"detail": "Token invalid/expired"}
    me = requests.get(url, headers={"Authorization": "Bearer " + with_api}, timeout=10)
    assert me.status_code == 200 and me.json()["user"]["username"] == account["username"]
    # an app password is never an API token
    assert requests.get(url, headers={"Authorization": "Bearer " + key}, timeout=10).status_code == 403
    bad = authentik.oidc("GET", "userinfo/", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_token"


def test_preview_user_and_mapping_test_run_the_expression(authentik):
    provider, _slug = make_app(authentik)
    preview = _ok(authentik.api("GET", "providers/oauth2/%d/preview_user/" % provider["pk"], params={"for_user": 3}))
    assert preview["preview"]["policy"] == "readonly" and preview["preview"]["preferred_username"] == "akadmin"
    assert preview["preview"]["exp"] - preview["preview"]["iat"] == 1800
    mapping = provider["property_mappings"][-1]
    tested = _ok(authentik.api("POST", "propertymappings/all/%s/test/" % mapping, params={"format_result": "true"},
                               json={"user": 3}))
    assert tested == {"result": '{\n    "policy": "readonly"\n}', "successful": True}


def test_discovery_and_jwks_need_a_bound_application(authentik):
    for path in ("nope/.well-known/openid-configuration", "nope/jwks/"):
        response = authentik.oidc("GET", path)
        assert response.status_code == 404 and response.headers["content-type"] == "text/html; charset=utf-8"


# -- authorization_code at the token endpoint: the client secret before the code ---------------------------
def _code_exchange(ak, client_id, secret, basic=False):
    """authorization_code with a code that was never issued, the client authenticated by form or HTTP Basic."""
    form = {"grant_type": "authorization_code", "code": "never-issued-0123456789",
            "redirect_uri": "https://minio.example/oauth_callback"}
    if basic:
        return ak.oidc("POST", "token/", data=dict(form, client_id=client_id), auth=(client_id, secret))
    return ak.oidc("POST", "token/", data=dict(form, client_id=client_id, client_secret=secret))


@pytest.mark.parametrize("basic", [False, True], ids=["form", "basic"])
def test_authorization_code_checks_a_confidential_clients_secret_before_the_code(authentik, basic):
    provider, _slug = make_app(authentik)
    assert provider["client_type"] == "confidential"
    wrong = _code_exchange(authentik, provider["client_id"], "wrong-secret", basic=basic)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_client"
    assert wrong.headers["content-type"] == "application/json" and wrong.headers["cache-control"] == "no-store"
    right = _code_exchange(authentik, provider["client_id"], provider["client_secret"], basic=basic)
    assert right.status_code == 400 and right.json()["error"] == "invalid_grant"


def test_2026_5_checks_the_grant_type_before_the_client_secret():
    ak = AuthentikSession(start_authentik("--api-version", "2026.5"))
    try:
        without, _slug = make_app(ak, grant_types=["client_credentials"])
        assert without["grant_types"] == ["client_credentials"]
        for secret in ("wrong-secret", without["client_secret"]):
            for basic in (False, True):
                refused = _code_exchange(ak, without["client_id"], secret, basic=basic)
                assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant", (secret, basic)
        # with the grant type configured, the secret is checked again: the order, not a missing check
        with_code, _slug = make_app(ak, grant_types=["authorization_code", "client_credentials"])
        wrong = _code_exchange(ak, with_code["client_id"], "wrong-secret")
        assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_client"
        right = _code_exchange(ak, with_code["client_id"], with_code["client_secret"], basic=True)
        assert right.status_code == 400 and right.json()["error"] == "invalid_grant"
    finally:
        ak.double.stop()
