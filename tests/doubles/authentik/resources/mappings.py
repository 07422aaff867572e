# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scope mappings (propertymappings/provider/scope/, or propertymappings/scope/ before 2024.8) and the
generic propertymappings/all/ listing with its ``test`` action."""

from __future__ import annotations

import json
import traceback

from .. import expressions
from .. import fields as f
from .. import serializers as ser
from ..web import not_found, validation_error
from .common import API, any_of, boolean, exact, listing, search

SCOPE_MODEL = "authentik_providers_oauth2.scopemapping"


def _is_scope(mapping):
    return mapping["meta_model_name"] == SCOPE_MODEL


def _unique_name(value, ctx):
    for mapping in ctx.store.mappings.values():
        if mapping["name"] == value and mapping is not getattr(ctx, "instance", None):
            return "Property Mapping with this name already exists."
    return None


class _Expression(f.Str):
    def clean(self, value, ctx):
        value = super().clean(value, ctx)
        error = expressions.syntax_error(value)
        if error:
            raise f.FieldError(error)
        return value


def scope_fields():
    return {
        "managed": f.Str(allow_null=True),
        "name": f.Str(required=True, unique=_unique_name),
        "expression": _Expression(required=True, trim=False),
        "scope_name": f.Str(required=True),
        "description": f.Str(allow_blank=True),
    }


def _scope_or_404(ctx, pk):
    mapping = ctx.store.mappings.get(pk)
    if mapping is None or not _is_scope(mapping):
        raise not_found("ScopeMapping")
    return mapping


def _managed_filters(items, ctx):
    items = any_of(items, ctx, "managed", lambda m: m["managed"])
    if ctx.dialect.managed_isnull_filter:
        items = boolean(items, ctx, "managed__isnull", lambda m: m["managed"] is None)
    return items


def scope_list(ctx):
    ctx.require_superuser()
    items = sorted((m for m in ctx.store.mappings.values() if _is_scope(m)), key=lambda m: (m["scope_name"], m["name"]))
    items = exact(items, ctx, "name", lambda m: m["name"])
    items = exact(items, ctx, "scope_name", lambda m: m["scope_name"])
    items = _managed_filters(items, ctx)
    items = search(items, ctx, [lambda m: m["name"], lambda m: m["scope_name"]])
    return listing(ctx, items, ser.scope_mapping)


def scope_create(ctx):
    ctx.require_superuser()
    clean = f.validate(scope_fields(), ctx.data, ctx)
    mapping = ctx.store.new_mapping(
        managed=clean.get("managed"), name=clean["name"], expression=clean["expression"],
        component="ak-property-mapping-provider-scope-form" if ctx.dialect.scope_mapping_path.endswith("provider/scope")
        else "ak-property-mapping-scope-form",
        verbose_name="Scope Mapping", verbose_name_plural="Scope Mappings", meta_model_name=SCOPE_MODEL,
        scope_name=clean["scope_name"], description=clean.get("description", ""))
    return ctx.json(ser.scope_mapping(mapping), 201)


def scope_detail(ctx, pk):
    ctx.require_superuser()
    return ctx.json(ser.scope_mapping(_scope_or_404(ctx, pk)))


def _scope_update(ctx, pk, partial):
    ctx.require_superuser()
    mapping = _scope_or_404(ctx, pk)
    ctx.instance = mapping
    mapping.update(f.validate(scope_fields(), ctx.data, ctx, partial=partial))
    return ctx.json(ser.scope_mapping(mapping))


def _delete_mapping(ctx, mapping):
    del ctx.store.mappings[mapping["pk"]]
    for provider in ctx.store.providers.values():
        if mapping["pk"] in provider["property_mappings"]:
            provider["property_mappings"].remove(mapping["pk"])
    return ctx.empty()


def scope_delete(ctx, pk):
    ctx.require_superuser()
    return _delete_mapping(ctx, _scope_or_404(ctx, pk))


# propertymappings/all/ -----------------------------------------------------------------------
def _any_or_404(ctx, pk):
    mapping = ctx.store.mappings.get(pk)
    if mapping is None:
        raise not_found("PropertyMapping")
    return mapping


def all_list(ctx):
    ctx.require_superuser()
    items = sorted(ctx.store.mappings.values(), key=lambda m: m["name"])
    if ctx.dialect.pm_all_name_filter:
        items = exact(items, ctx, "name", lambda m: m["name"])
        items = _managed_filters(items, ctx)
    items = search(items, ctx, [lambda m: m["name"]])
    return listing(ctx, items, ser.mapping_generic)


def all_detail(ctx, pk):
    ctx.require_superuser()
    return ctx.json(ser.mapping_generic(_any_or_404(ctx, pk)))


def all_delete(ctx, pk):
    ctx.require_superuser()
    return _delete_mapping(ctx, _any_or_404(ctx, pk))


def all_test(ctx, pk):
    """Evaluate a mapping for a user: ``{"result": <JSON text>, "successful": bool}``."""
    ctx.require_superuser()
    mapping = _any_or_404(ctx, pk)
    clean = f.validate({"user": f.Int(allow_null=True), "context": f.JSONDict(), "group": f.Str(allow_null=True)},
                       ctx.data, ctx)
    user = ctx.store.users.get(clean.get("user")) if clean.get("user") is not None else None
    if clean.get("user") is not None and user is None:
        raise validation_error({"user": ["Invalid pk \"%s\" - object does not exist." % clean["user"]]})
    pretty = str(ctx.param("format_result", "false")).lower() == "true"
    try:
        result = expressions.evaluate(ctx.store, mapping["expression"], user or ctx.user,
                                      http_request=ctx.request, mapping=mapping, extra=clean.get("context") or None)
        body = {"result": json.dumps(result, indent=4 if pretty else None, default=str), "successful": True}
    except expressions.ExpressionError as exc:
        body = {"result": "".join(traceback.format_exception_only(type(exc), exc)), "successful": False}
    return ctx.json(body, 200)


def register(router):
    path = router.store.dialect.scope_mapping_path
    router.add(API + path + "/", {"GET": scope_list, "POST": scope_create})
    router.add(API + path + r"/(?P<pk>[^/]+)/", {
        "GET": scope_detail, "PUT": lambda ctx, pk: _scope_update(ctx, pk, False),
        "PATCH": lambda ctx, pk: _scope_update(ctx, pk, True), "DELETE": scope_delete})
    router.add(API + "propertymappings/all/", {"GET": all_list})
    router.add(API + r"propertymappings/all/(?P<pk>[^/]+)/", {"GET": all_detail, "DELETE": all_delete})
    router.add(API + r"propertymappings/all/(?P<pk>[^/]+)/test/", {"POST": all_test})
