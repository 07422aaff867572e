# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""core/applications (lookup by slug) and policies/bindings.

The application list is filtered by access like the real server: only applications the requesting
user (or ``for_user``) passes the policies of, unless a superuser asks for ``superuser_full_list``.
"""

from __future__ import annotations

import uuid

from .. import fields as f
from .. import policy
from .. import serializers as ser
from ..web import ApiError, not_found, validation_error
from .common import API, any_of, boolean, exact, listing, search

RESERVED_SLUGS = ["authorize", "token", "device", "userinfo", "introspect", "revoke"]


def _provider_lookup(key, ctx):
    return ctx.store.providers.get(key)


def _unique_slug(value, ctx):
    for app in ctx.store.applications.values():
        if app["slug"] == value and app is not getattr(ctx, "instance", None):
            return "Application with this slug already exists."
    if ctx.dialect.reserved_slugs and value in RESERVED_SLUGS:
        return "The slug '%s' is reserved and cannot be used for applications." % value
    return None


def _unique_provider(value, ctx):
    for app in ctx.store.applications.values():
        if app["provider"] == value and app is not getattr(ctx, "instance", None):
            return "Application with this provider already exists."
    return None


def app_fields(ctx):
    d = ctx.dialect
    out = {
        "name": f.Str(required=True),
        "slug": f.Slug(required=True, max_length=50 if d.app_slug_max_50 else None, unique=_unique_slug),
        "provider": f.IntRef(_provider_lookup, allow_null=True, unique=_unique_provider),
        "backchannel_providers": f.RefList(f.IntRef(_provider_lookup)),
        "open_in_new_tab": f.Bool(),
        "meta_launch_url": f.Str(allow_blank=True),
    }
    if d.meta_icon_writable:
        out["meta_icon"] = f.Str(allow_blank=True)
    out.update({"meta_description": f.Str(allow_blank=True), "meta_publisher": f.Str(allow_blank=True)})
    if d.meta_hide:
        out["meta_hide"] = f.Bool()
    out.update({"policy_engine_mode": f.Choice(["all", "any"]), "group": f.Str(allow_blank=True)})
    return out


def _app_or_404(ctx, slug):
    app = ctx.store.application_by_slug(slug)
    if app is None:
        raise not_found("Application")
    return app


def _visible(ctx, app):
    user = ctx.user
    for_user = ctx.param("for_user")
    if for_user is not None and ctx.superuser:
        try:
            user = ctx.store.users.get(int(for_user)) or user
        except ValueError:
            pass
    return policy.passes(ctx.store, app["pk"], user, app["policy_engine_mode"])


def apps_list(ctx):
    store = ctx.store
    items = sorted(store.applications.values(), key=lambda a: a["name"])
    full = str(ctx.param("superuser_full_list", "")).lower() == "true" and ctx.superuser
    if not full:
        items = [a for a in items if _visible(ctx, a)]
    for name in ("name", "slug", "group", "meta_launch_url", "meta_description", "meta_publisher"):
        items = exact(items, ctx, name, lambda a, n=name: a[n])
    if str(ctx.param("only_with_launch_url", "")).lower() == "true":
        items = [a for a in items if ser.launch_url(store, a)]
    items = search(items, ctx, [lambda a: a["name"], lambda a: a["slug"], lambda a: a["meta_publisher"],
                                lambda a: a["meta_description"], lambda a: a["group"]])
    return listing(ctx, items, lambda a: ser.application(store, a))


def apps_create(ctx):
    ctx.require_superuser()
    clean = f.validate(app_fields(ctx), ctx.data, ctx)
    app = {"pk": str(uuid.uuid4()), "provider": None, "backchannel_providers": [], "open_in_new_tab": False,
           "meta_launch_url": "", "meta_icon": "", "meta_description": "", "meta_publisher": "", "meta_hide": False,
           "policy_engine_mode": "any", "group": "", "seq": ctx.store.seq()}
    app.update(clean)
    ctx.store.applications[app["pk"]] = app
    return ctx.json(ser.application(ctx.store, app), 201)


def app_detail(ctx, slug):
    app = _app_or_404(ctx, slug)
    if not ctx.superuser and not _visible(ctx, app):
        raise not_found("Application")
    return ctx.json(ser.application(ctx.store, app))


def _app_update(ctx, slug, partial):
    ctx.require_superuser()
    app = _app_or_404(ctx, slug)
    ctx.instance = app
    app.update(f.validate(app_fields(ctx), ctx.data, ctx, partial=partial))
    return ctx.json(ser.application(ctx.store, app))


def app_delete(ctx, slug):
    ctx.require_superuser()
    app = _app_or_404(ctx, slug)
    del ctx.store.applications[app["pk"]]
    for bind in [b for b in ctx.store.bindings.values() if b["target"] == app["pk"]]:
        del ctx.store.bindings[bind["pk"]]
    return ctx.empty()


def app_check_access(ctx, slug):
    app = _app_or_404(ctx, slug)
    user = ctx.user
    if ctx.param("for_user") is not None:
        ctx.require_superuser()
        try:
            user = ctx.store.users[int(ctx.param("for_user"))]
        except (KeyError, ValueError):
            raise ApiError(400, {"for_user": ["User not found"]}) from None
    passing = policy.passes(ctx.store, app["pk"], user, app["policy_engine_mode"])
    return ctx.json({"passing": passing, "messages": [], "log_messages": []})


# policy bindings -----------------------------------------------------------------------------
def _target_lookup(key, ctx):
    return ctx.store.binding_targets().get(key)


def _group_lookup(key, ctx):
    return ctx.store.groups.get(key)


def _user_lookup(key, ctx):
    return ctx.store.users.get(key)


def binding_fields():
    return {
        "policy": f.UUIDRef(lambda key, ctx: None, allow_null=True),  # no expression policies in the double
        "group": f.UUIDRef(_group_lookup, allow_null=True),
        "user": f.IntRef(_user_lookup, allow_null=True),
        "target": f.UUIDRef(_target_lookup, required=True),
        "negate": f.Bool(),
        "enabled": f.Bool(),
        "order": f.Int(required=True, minimum=-2147483648, maximum=2147483647),
        "timeout": f.Int(minimum=0, maximum=2147483647),
        "failure_result": f.Bool(),
    }


def _check_one_of(values):
    count = sum(1 for key in ("policy", "group", "user") if values.get(key) not in (None, ""))
    if count > 1:
        raise validation_error({"non_field_errors": ["Only one of 'policy', 'group' or 'user' can be set."]})
    if count < 1:
        raise validation_error({"non_field_errors": ["One of 'policy', 'group' or 'user' must be set."]})


def _binding_or_404(ctx, pk):
    binding = ctx.store.bindings.get(pk)
    if binding is None:
        raise not_found("PolicyBinding")
    return binding


def bindings_list(ctx):
    ctx.require_superuser()
    items = sorted(ctx.store.bindings.values(), key=lambda b: (b["target"], b["order"], b["seq"]))
    items = exact(items, ctx, "target", lambda b: b["target"])
    items = any_of(items, ctx, "target_in", lambda b: b["target"])
    items = exact(items, ctx, "policy", lambda b: b["policy"])
    items = boolean(items, ctx, "policy__isnull", lambda b: b["policy"] is None)
    items = boolean(items, ctx, "enabled", lambda b: b["enabled"])
    items = exact(items, ctx, "order", lambda b: b["order"])
    items = exact(items, ctx, "timeout", lambda b: b["timeout"])
    return listing(ctx, items, lambda b: ser.binding(ctx.store, b))


def bindings_create(ctx):
    ctx.require_superuser()
    clean = f.validate(binding_fields(), ctx.data, ctx)
    _check_one_of(clean)
    binding = {"pk": str(uuid.uuid4()), "policy": None, "group": None, "user": None, "negate": False,
               "enabled": True, "timeout": 30, "failure_result": False, "seq": ctx.store.seq()}
    binding.update(clean)
    ctx.store.bindings[binding["pk"]] = binding
    return ctx.json(ser.binding(ctx.store, binding), 201)


def binding_detail(ctx, pk):
    ctx.require_superuser()
    return ctx.json(ser.binding(ctx.store, _binding_or_404(ctx, pk)))


def _binding_update(ctx, pk, partial):
    ctx.require_superuser()
    binding = _binding_or_404(ctx, pk)
    clean = f.validate(binding_fields(), ctx.data, ctx, partial=partial)
    merged = dict(binding)
    merged.update(clean)
    _check_one_of(merged)
    binding.update(clean)
    return ctx.json(ser.binding(ctx.store, binding))


def binding_delete(ctx, pk):
    ctx.require_superuser()
    binding = _binding_or_404(ctx, pk)
    del ctx.store.bindings[binding["pk"]]
    return ctx.empty()


def register(router):
    router.add(API + "core/applications/", {"GET": apps_list, "POST": apps_create})
    router.add(API + r"core/applications/(?P<slug>[^/]+)/", {
        "GET": app_detail, "PUT": lambda ctx, slug: _app_update(ctx, slug, False),
        "PATCH": lambda ctx, slug: _app_update(ctx, slug, True), "DELETE": app_delete})
    router.add(API + r"core/applications/(?P<slug>[^/]+)/check_access/", {"GET": app_check_access})
    router.add(API + "policies/bindings/", {"GET": bindings_list, "POST": bindings_create})
    router.add(API + r"policies/bindings/(?P<pk>[^/]+)/", {
        "GET": binding_detail, "PUT": lambda ctx, pk: _binding_update(ctx, pk, False),
        "PATCH": lambda ctx, pk: _binding_update(ctx, pk, True), "DELETE": binding_delete})
