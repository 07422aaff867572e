# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Claims and tokens as authentik's OAuth2 provider builds them (userinfo.py, id_token.py, models.py).

* claims: every scope mapping of the provider whose ``scope_name`` was granted, ordered by
  scope_name, deep-merged into one dict at the top level; a mapping that raises or returns a
  non-dict is skipped (the claim just disappears).
* ID token: ``iss`` (per-provider issuer with its trailing slash), ``sub`` per ``sub_mode``,
  ``aud`` = client_id, ``exp``/``iat``/``auth_time``, ``acr``, then the claims when
  ``include_claims_in_id_token``.
* signing: RS256/ES* with the signing keypair and its ``kid``; HS256 keyed with the client secret
  when the provider has no signing key.
"""

from __future__ import annotations

import time
import warnings

import jwt

from . import expressions
from .store import generate_key

ACR = "goauthentik.io/providers/oauth2/default"


class AppView:
    def __init__(self, app):
        self.pk = app["pk"]
        self.name = app["name"]
        self.slug = app["slug"]


class ProviderView:
    """What an expression sees as ``provider``."""

    def __init__(self, store, provider):
        self.pk = provider["pk"]
        self.name = provider["name"]
        self.client_id = provider["client_id"]
        self.client_type = provider["client_type"]
        self.sub_mode = provider["sub_mode"]
        app = store.application_for_provider(provider["pk"])
        self.application = AppView(app) if app else None


def issuer(base_url, provider, app):
    if provider["issuer_mode"] == "global":
        return base_url + "/"
    return "%s/application/o/%s/" % (base_url, app["slug"] if app else "")


def subject(store, provider, user):
    mode = provider["sub_mode"]
    if mode == "user_id":
        return str(user["pk"])
    if mode == "user_uuid":
        return user["uuid"]
    if mode == "user_email":
        return user["email"]
    if mode == "user_username":
        return user["username"]
    if mode == "user_upn":
        return user["attributes"].get("upn", store.uid(user))
    return store.uid(user)


def deep_merge(base, extra):
    """deepmerge's always_merger: dicts recurse, lists append, anything else is replaced."""
    for key, value in extra.items():
        if isinstance(base.get(key), dict) and isinstance(value, dict):
            deep_merge(base[key], value)
        elif isinstance(base.get(key), list) and isinstance(value, list):
            base[key] = base[key] + value
        else:
            base[key] = value
    return base


def provider_scope_mappings(store, provider):
    found = [store.mappings[m] for m in provider["property_mappings"] if m in store.mappings]
    return [m for m in found if m["meta_model_name"] == "authentik_providers_oauth2.scopemapping"]


def granted_scopes(store, provider, requested):
    """Requested scopes that the provider has a mapping for (unknown scopes are dropped)."""
    names = {m["scope_name"] for m in provider_scope_mappings(store, provider)}
    out = []
    for scope in requested:
        if scope in names and scope not in out:
            out.append(scope)
    return out


def get_claims(store, provider, user, scopes, http_request=None, token=None):
    data = {}
    mappings = sorted((m for m in provider_scope_mappings(store, provider) if m["scope_name"] in scopes),
                      key=lambda m: (m["scope_name"], m["seq"]))
    provider_view = ProviderView(store, provider)
    for mapping in mappings:
        try:
            value = expressions.evaluate(store, mapping["expression"], user, provider=provider_view, token=token,
                                         http_request=http_request, mapping=mapping)
        except expressions.ExpressionError as exc:
            expressions.log_failure(mapping, exc)
            continue
        if value is None or not isinstance(value, dict):
            continue
        deep_merge(data, value)
    return data


def id_token_payload(store, provider, user, scopes, base_url, validity_seconds, http_request=None,
                     include_claims=None):
    app = store.application_for_provider(provider["pk"])
    moment = int(time.time())
    payload = {"iss": issuer(base_url, provider, app), "sub": subject(store, provider, user),
               "aud": provider["client_id"], "exp": moment + int(validity_seconds), "iat": moment,
               "auth_time": moment, "acr": ACR}
    if include_claims is None:
        include_claims = provider["include_claims_in_id_token"]
    if include_claims:
        payload.update(get_claims(store, provider, user, scopes, http_request))
    return payload


def signing_material(store, provider):
    keypair = store.keypairs.get(provider["signing_key"]) if provider["signing_key"] else None
    if keypair is None or not keypair["material"].key_pem:
        return None
    return keypair["material"]


def jwt_alg(store, provider):
    material = signing_material(store, provider)
    return material.jwt_alg if material else "HS256"


def encode(store, provider, payload):
    material = signing_material(store, provider)
    if material is None:
        with warnings.catch_warnings():
            # authentik signs with whatever secret the provider has, short ones included
            warnings.simplefilter("ignore")
            return jwt.encode(payload, provider["client_secret"], algorithm="HS256")
    return jwt.encode(payload, material.key, algorithm=material.jwt_alg, headers={"kid": material.kid})


def token_answer(store, provider, user, scopes, validity, id_payload):
    """The token endpoint's body for a user's grant: an access token carrying the ID token's claims plus ``azp``,
    ``uid`` and ``scope`` (remembered for userinfo and introspection), and the signed ID token."""
    access_payload = dict(id_payload, azp=provider["client_id"], uid=generate_key(40), scope=" ".join(scopes))
    access_token = encode(store, provider, access_payload)
    store.remember_access_token(access_token, {"user": user["pk"], "provider": provider["pk"], "scopes": scopes,
                                               "expires": time.time() + validity})
    return {"access_token": access_token, "token_type": "Bearer", "scope": " ".join(scopes),
            "expires_in": int(validity), "id_token": encode(store, provider, id_payload)}
