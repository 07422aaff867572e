# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""providers/oauth2 (integer pks): CRUD with the dialect's fields, setup_urls and preview_user."""

from __future__ import annotations

import re

from .. import claims
from .. import fields as f
from .. import serializers as ser
from ..store import generate_key
from ..web import ApiError, not_found
from .common import API, boolean, exact, listing, search

GRANT_TYPES = ["authorization_code", "implicit", "hybrid", "refresh_token", "client_credentials", "password",
               "urn:ietf:params:oauth:grant-type:device_code"]
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # 2026.8


def grant_types(dialect):
    return GRANT_TYPES + ([TOKEN_EXCHANGE] if dialect.token_exchange else [])


SUB_MODES = ["hashed_user_id", "user_id", "user_uuid", "user_username", "user_email", "user_upn"]
LIST_ERROR = "Expected a list of items but got type \"%s\"."


def _flow_lookup(key, ctx):
    return ctx.store.flows.get(key)


def _mapping_lookup(key, ctx):
    return ctx.store.mappings.get(key)


def _signing_key_lookup(key, ctx):
    keypair = ctx.store.keypairs.get(key)
    return keypair if keypair is not None and keypair["material"].key_pem else None


def _provider_lookup(key, ctx):
    return ctx.store.providers.get(key)


def _unique(field, message):
    def check(value, ctx):
        for provider in ctx.store.providers.values():
            if provider[field] == value and provider is not getattr(ctx, "instance", None):
                return message
        return None
    return check


class RedirectURIList(f.Field):
    """The list era: ``[{"matching_mode": "strict"|"regex", "url": ...}]`` (a nested ListSerializer)."""

    def clean(self, value, ctx):
        if not isinstance(value, list):
            raise f.FieldError({"non_field_errors": [LIST_ERROR % type(value).__name__]})
        item_fields = {"matching_mode": f.Choice(["strict", "regex"], required=True), "url": f.Str(required=True)}
        if ctx.dialect.redirect_uri_type:
            item_fields["redirect_uri_type"] = f.Choice(["authorization", "logout"],
                                                        default=lambda: "authorization")
        errors, out = [], []
        for item in value:
            try:
                out.append(f.validate(item_fields, item, ctx))
                errors.append({})
            except ApiError as exc:
                errors.append(exc.body)
        if any(errors):
            raise f.FieldError(errors)
        bad = [entry["url"] for entry in out if entry["matching_mode"] == "regex" and not _compiles(entry["url"])]
        if bad:
            raise f.FieldError(["Invalid Regex Pattern: %s" % bad[0]])
        return out


class RedirectURIString(f.Str):
    """The string era: newline separated URIs, each used as a regular expression."""

    def clean(self, value, ctx):
        value = super().clean(value, ctx)
        return [{"matching_mode": "regex", "url": line.strip()} for line in value.splitlines() if line.strip()]


def _compiles(pattern):
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def provider_fields(ctx):
    d = ctx.dialect
    out = {
        "name": f.Str(required=True, unique=_unique("name", "provider with this name already exists.")),
        "authentication_flow": f.UUIDRef(_flow_lookup, allow_null=True),
        "authorization_flow": f.UUIDRef(_flow_lookup, required=True),
    }
    if d.invalidation_flow:
        out["invalidation_flow"] = f.UUIDRef(_flow_lookup, required=True)
    out.update({
        "property_mappings": f.RefList(f.UUIDRef(_mapping_lookup)),
        "client_type": f.Choice(["confidential", "public"]),
        "client_id": f.Str(max_length=255, unique=_unique(
            "client_id", "OAuth2/OpenID Provider with this Client ID already exists.")),
        "client_secret": f.Str(max_length=255, allow_blank=True),
        "access_code_validity": f.Duration(),
        "access_token_validity": f.Duration(),
        "refresh_token_validity": f.Duration(),
    })
    if d.refresh_token_threshold:
        out["refresh_token_threshold"] = f.Duration()
    out["include_claims_in_id_token"] = f.Bool()
    out["signing_key"] = f.UUIDRef(_signing_key_lookup, allow_null=True)
    if d.encryption_key:
        out["encryption_key"] = f.UUIDRef(_signing_key_lookup, allow_null=True)
    if d.redirect_uris_list:
        out["redirect_uris"] = RedirectURIList(required=True)
    else:
        out["redirect_uris"] = RedirectURIString(allow_blank=True)
    if d.backchannel_logout_uri:
        out["backchannel_logout_uri"] = f.Str(allow_blank=True)
    if d.logout_uri:
        out["logout_uri"] = f.Str(allow_blank=True)
        out["logout_method"] = f.Choice(["backchannel", "frontchannel"])
    out["sub_mode"] = f.Choice(SUB_MODES)
    out["issuer_mode"] = f.Choice(["global", "per_provider"])
    if d.jwt_federation:
        out["jwt_federation_sources"] = f.RefList(f.UUIDRef(lambda key, ctx: None))  # no OAuth sources exist here
        out["jwt_federation_providers"] = f.RefList(f.IntRef(_provider_lookup))
    else:
        out["jwks_sources"] = f.RefList(f.UUIDRef(lambda key, ctx: None))
    if d.grant_types:
        # the API rejects an empty list; an omitted value keeps the model default (an empty list)
        out["grant_types"] = f.ChoiceList(grant_types(d), allow_empty=False)
    return out


DEFAULTS = {
    "authentication_flow": None, "invalidation_flow": None, "property_mappings": [], "client_type": "confidential",
    "access_code_validity": "minutes=1", "access_token_validity": "hours=1", "refresh_token_validity": "days=30",
    "refresh_token_threshold": "seconds=0", "include_claims_in_id_token": True, "signing_key": None,
    "encryption_key": None, "redirect_uris": [], "logout_uri": "", "logout_method": "backchannel",
    "sub_mode": "hashed_user_id", "issuer_mode": "per_provider", "jwt_federation_sources": [],
    "jwt_federation_providers": [], "grant_types": [],
}


def _apply(provider, clean):
    for key, value in clean.items():
        if key == "jwks_sources":
            key = "jwt_federation_sources"
        elif key == "backchannel_logout_uri":
            key = "logout_uri"
        provider[key] = list(value) if isinstance(value, list) else value


def _provider_or_404(ctx, pk):
    try:
        provider = ctx.store.providers.get(int(pk))
    except ValueError:
        provider = None
    if provider is None:
        raise not_found("OAuth2Provider")
    return provider


def providers_list(ctx):
    ctx.require_superuser()
    store = ctx.store
    items = sorted(store.providers.values(), key=lambda p: p["name"])
    for name in ("name", "client_id", "authorization_flow", "client_type", "access_code_validity",
                 "access_token_validity", "refresh_token_validity", "issuer_mode", "signing_key", "sub_mode"):
        items = exact(items, ctx, name, lambda p, n=name: p[n])
    items = exact(items, ctx, "application", lambda p: (store.application_for_provider(p["pk"]) or {}).get("pk"))
    items = boolean(items, ctx, "include_claims_in_id_token", lambda p: p["include_claims_in_id_token"])
    wanted = [v for v in ctx.params("property_mappings") if v]
    if wanted:
        items = [p for p in items if any(m in wanted for m in p["property_mappings"])]
    if not ctx.dialect.jwt_federation and ctx.param("redirect_uris"):
        items = [p for p in items if ser.redirect_uris_out(store, p) == ctx.param("redirect_uris")]
    items = search(items, ctx, [lambda p: p["name"]])
    return listing(ctx, items, lambda p: ser.provider_full(store, p))


def providers_create(ctx):
    ctx.require_superuser()
    clean = f.validate(provider_fields(ctx), ctx.data, ctx)
    store = ctx.store
    provider = dict(DEFAULTS, pk=next(store._provider_pk),  # pylint: disable=protected-access
                    client_id=generate_key(40), client_secret=generate_key(128), seq=store.seq())
    provider["property_mappings"] = []
    _apply(provider, clean)
    store.providers[provider["pk"]] = provider
    return ctx.json(ser.provider_full(store, provider), 201)


def provider_detail(ctx, pk):
    ctx.require_superuser()
    return ctx.json(ser.provider_full(ctx.store, _provider_or_404(ctx, pk)))


def _provider_update(ctx, pk, partial):
    ctx.require_superuser()
    provider = _provider_or_404(ctx, pk)
    ctx.instance = provider
    _apply(provider, f.validate(provider_fields(ctx), ctx.data, ctx, partial=partial))
    return ctx.json(ser.provider_full(ctx.store, provider))


def provider_delete(ctx, pk):
    ctx.require_superuser()
    ctx.store.delete_provider(_provider_or_404(ctx, pk)["pk"])
    return ctx.empty()


def setup_urls(ctx, pk):
    ctx.require_superuser()
    provider = _provider_or_404(ctx, pk)
    app = ctx.store.application_for_provider(provider["pk"])
    base = ctx.base_url + "/application/o/"
    body = {"issuer": claims.issuer(ctx.base_url, provider, app) if app else None,
            "authorize": base + "authorize/", "token": base + "token/", "user_info": base + "userinfo/",
            "provider_info": None, "logout": None}
    if app:
        body["provider_info"] = base + "%s/.well-known/openid-configuration" % app["slug"]
        body["logout"] = base + "%s/end-session/" % app["slug"]
        body["jwks"] = base + "%s/jwks/" % app["slug"]
    if ctx.dialect.dcr_registration:
        body["dcr_registration"] = None  # no dynamic client registration set up
    return ctx.json(body)


def preview_user(ctx, pk):
    ctx.require_superuser()
    provider = _provider_or_404(ctx, pk)
    raw = ctx.param("for_user")
    user = ctx.user  # without for_user: the requesting user
    if raw is not None:
        try:
            user = ctx.store.users.get(int(raw))
        except ValueError:
            user = None
        if user is None:
            raise ApiError(400, {"for_user": ["User not found"]})
    scopes = [ctx.store.mappings[m]["scope_name"] for m in provider["property_mappings"] if m in ctx.store.mappings]
    payload = claims.id_token_payload(ctx.store, provider, user, scopes, ctx.base_url, validity_seconds=1800,
                                      http_request=ctx.request)
    return ctx.json({"preview": payload})


def register(router):
    router.add(API + "providers/oauth2/", {"GET": providers_list, "POST": providers_create})
    router.add(API + r"providers/oauth2/(?P<pk>[^/]+)/", {
        "GET": provider_detail, "PUT": lambda ctx, pk: _provider_update(ctx, pk, False),
        "PATCH": lambda ctx, pk: _provider_update(ctx, pk, True), "DELETE": provider_delete})
    router.add(API + r"providers/oauth2/(?P<pk>[^/]+)/setup_urls/", {"GET": setup_urls})
    router.add(API + r"providers/oauth2/(?P<pk>[^/]+)/preview_user/", {"GET": preview_user})
