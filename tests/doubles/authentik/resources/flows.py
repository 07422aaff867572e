# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""flows/instances (detail lookup by slug) and crypto/certificatekeypairs."""

from __future__ import annotations

import uuid

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from _double_server import Response

from .. import crypto
from .. import fields as f
from .. import serializers as ser
from ..web import not_found, validation_error
from .common import API, boolean, exact, listing, search

DESIGNATIONS = ["authentication", "authorization", "invalidation", "enrollment", "unenrollment", "recovery",
                "stage_configuration"]
AUTHENTICATION = ["none", "require_authenticated", "require_unauthenticated", "require_superuser", "require_redirect",
                  "require_outpost"]


def _flow_or_404(ctx, slug):
    flow = ctx.store.flow_by_slug(slug)
    if flow is None:
        raise not_found("Flow")
    return flow


def _unique_slug(value, ctx):
    for flow in ctx.store.flows.values():
        if flow["slug"] == value and flow is not getattr(ctx, "instance", None):
            return "Flow with this slug already exists."
    return None


def flow_fields():
    return {
        "name": f.Str(required=True),
        "slug": f.Slug(required=True, max_length=50, unique=_unique_slug),
        "title": f.Str(required=True),
        "designation": f.Choice(DESIGNATIONS, required=True),
        "background": f.Str(allow_blank=True),
        "policy_engine_mode": f.Choice(["all", "any"]),
        "compatibility_mode": f.Bool(),
        "layout": f.Choice(["stacked", "content_left", "content_right", "sidebar_left", "sidebar_right"]),
        "denied_action": f.Choice(["message_continue", "message", "continue"]),
        "authentication": f.Choice(AUTHENTICATION),
    }


def flows_list(ctx):
    ctx.require_superuser()
    items = sorted(ctx.store.flows.values(), key=lambda fl: fl["slug"])
    for name in ("slug", "name", "designation", "denied_action"):
        items = exact(items, ctx, name, lambda fl, n=name: fl[n])
    items = exact(items, ctx, "flow_uuid", lambda fl: fl["pk"])
    items = search(items, ctx, [lambda fl: fl["name"], lambda fl: fl["slug"], lambda fl: fl["title"]])
    return listing(ctx, items, ser.flow)


def flows_create(ctx):
    ctx.require_superuser()
    clean = f.validate(flow_fields(), ctx.data, ctx)
    flow = {"pk": str(uuid.uuid4()), "pbm_uuid": str(uuid.uuid4()), "stages": [], "background": "",
            "policy_engine_mode": "any", "compatibility_mode": False, "layout": "stacked",
            "denied_action": "message_continue", "authentication": "none", "seq": ctx.store.seq()}
    flow.update(clean)
    ctx.store.flows[flow["pk"]] = flow
    return ctx.json(ser.flow(flow), 201)


def flow_detail(ctx, slug):
    ctx.require_superuser()
    return ctx.json(ser.flow(_flow_or_404(ctx, slug)))


def _flow_update(ctx, slug, partial):
    ctx.require_superuser()
    flow = _flow_or_404(ctx, slug)
    ctx.instance = flow
    flow.update(f.validate(flow_fields(), ctx.data, ctx, partial=partial))
    return ctx.json(ser.flow(flow))


def flow_delete(ctx, slug):
    ctx.require_superuser()
    store = ctx.store
    flow = _flow_or_404(ctx, slug)
    del store.flows[flow["pk"]]
    # authorization_flow (and invalidation_flow) are CASCADE foreign keys: the providers go too
    for provider in [p for p in store.providers.values()
                     if flow["pk"] in (p["authorization_flow"], p["invalidation_flow"])]:
        store.delete_provider(provider["pk"])
    for provider in store.providers.values():
        if provider["authentication_flow"] == flow["pk"]:
            provider["authentication_flow"] = None
    for bind in [b for b in store.bindings.values() if b["target"] == flow["pbm_uuid"]]:
        del store.bindings[bind["pk"]]
    return ctx.empty()


# certificate keypairs ------------------------------------------------------------------------
def _keypair_or_404(ctx, pk):
    keypair = ctx.store.keypairs.get(pk)
    if keypair is None or keypair["managed"] == "goauthentik.io/crypto/jwt-managed":
        raise not_found("CertificateKeyPair")
    return keypair


def _unique_kp_name(value, ctx):
    for keypair in ctx.store.keypairs.values():
        if keypair["name"] == value and keypair is not getattr(ctx, "instance", None):
            return "Certificate-Key Pair with this name already exists."
    return None


def _check_pem(clean):
    errors = {}
    if "certificate_data" in clean:
        try:
            x509.load_pem_x509_certificate(clean["certificate_data"].encode("utf-8"))
        except ValueError:
            errors["certificate_data"] = ["Unable to load certificate."]
    if clean.get("key_data"):
        try:
            serialization.load_pem_private_key(clean["key_data"].encode("utf-8"), None)
        except (ValueError, TypeError):
            errors["key_data"] = ["Unable to load private key (possibly encrypted?)."]
    if errors:
        raise validation_error(errors)


def keypairs_list(ctx):
    ctx.require_superuser()
    items = [k for k in sorted(ctx.store.keypairs.values(), key=lambda k: k["name"])
             if k["managed"] != "goauthentik.io/crypto/jwt-managed"]
    items = exact(items, ctx, "name", lambda k: k["name"])
    items = exact(items, ctx, "managed", lambda k: k["managed"])
    items = boolean(items, ctx, "has_key", lambda k: bool(k["material"].key_pem))
    types = [t for t in ctx.params("key_type") if t]
    if types and ctx.dialect.key_type:
        items = [k for k in items if k["material"].key_type in types]
    items = search(items, ctx, [lambda k: k["name"]])
    return listing(ctx, items, lambda k: ser.keypair(ctx.store, k))


def keypair_fields():
    return {"name": f.Str(required=True, unique=_unique_kp_name), "certificate_data": f.Str(required=True),
            "key_data": f.Str(allow_blank=True)}


def keypairs_create(ctx):
    ctx.require_superuser()
    clean = f.validate(keypair_fields(), ctx.data, ctx)
    _check_pem(clean)
    keypair = ctx.store.new_keypair(clean["name"], clean["certificate_data"], clean.get("key_data", ""))
    return ctx.json(ser.keypair(ctx.store, keypair), 201)


def keypairs_generate(ctx):
    ctx.require_superuser()
    clean = f.validate({"common_name": f.Str(required=True, unique=_unique_kp_name),
                        "subject_alt_name": f.Str(allow_blank=True), "validity_days": f.Int(required=True),
                        "alg": f.Choice(["rsa", "ecdsa", "ed25519", "ed448"])}, ctx.data, ctx)
    cert_pem, key_pem = crypto.generate(clean["common_name"], clean["validity_days"], clean.get("alg", "rsa"),
                                        subject_alt_name=clean.get("subject_alt_name") or None)
    keypair = ctx.store.new_keypair(clean["common_name"], cert_pem, key_pem)
    return ctx.json(ser.keypair(ctx.store, keypair), 200)


def keypair_detail(ctx, pk):
    ctx.require_superuser()
    return ctx.json(ser.keypair(ctx.store, _keypair_or_404(ctx, pk)))


def _keypair_update(ctx, pk, partial):
    ctx.require_superuser()
    keypair = _keypair_or_404(ctx, pk)
    ctx.instance = keypair
    clean = f.validate(keypair_fields(), ctx.data, ctx, partial=partial)
    _check_pem(clean)
    if "name" in clean:
        keypair["name"] = clean["name"]
    if "certificate_data" in clean or "key_data" in clean:
        keypair["material"] = crypto.KeyMaterial(clean.get("certificate_data", keypair["material"].cert_pem),
                                                 clean.get("key_data", keypair["material"].key_pem))
    return ctx.json(ser.keypair(ctx.store, keypair))


def keypair_delete(ctx, pk):
    ctx.require_superuser()
    keypair = _keypair_or_404(ctx, pk)
    del ctx.store.keypairs[keypair["pk"]]
    for provider in ctx.store.providers.values():  # SET_NULL foreign keys
        for key in ("signing_key", "encryption_key"):
            if provider[key] == keypair["pk"]:
                provider[key] = None
    return ctx.empty()


def keypair_view(ctx, pk, what):
    ctx.require_superuser()
    keypair = _keypair_or_404(ctx, pk)
    data = keypair["material"].cert_pem if what == "certificate" else keypair["material"].key_pem
    if "download" in ctx.query:
        name = "%s_%s.pem" % (keypair["name"], "certificate" if what == "certificate" else "private_key")
        return Response(200, data.encode("utf-8"), [("Content-Type", "text/plain"),
                                                    ("Content-Disposition", 'attachment; filename="%s"' % name)])
    return ctx.json({"data": data})


def register(router):
    router.add(API + "flows/instances/", {"GET": flows_list, "POST": flows_create})
    router.add(API + r"flows/instances/(?P<slug>[^/]+)/", {
        "GET": flow_detail, "PUT": lambda ctx, slug: _flow_update(ctx, slug, False),
        "PATCH": lambda ctx, slug: _flow_update(ctx, slug, True), "DELETE": flow_delete})
    router.add(API + "crypto/certificatekeypairs/", {"GET": keypairs_list, "POST": keypairs_create})
    router.add(API + "crypto/certificatekeypairs/generate/", {"POST": keypairs_generate})
    router.add(API + r"crypto/certificatekeypairs/(?P<pk>[^/]+)/", {
        "GET": keypair_detail, "PUT": lambda ctx, pk: _keypair_update(ctx, pk, False),
        "PATCH": lambda ctx, pk: _keypair_update(ctx, pk, True), "DELETE": keypair_delete})
    router.add(API + r"crypto/certificatekeypairs/(?P<pk>[^/]+)/view_certificate/",
               {"GET": lambda ctx, pk: keypair_view(ctx, pk, "certificate")})
    router.add(API + r"crypto/certificatekeypairs/(?P<pk>[^/]+)/view_private_key/",
               {"GET": lambda ctx, pk: keypair_view(ctx, pk, "private_key")})
