# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""admin/version, core/users (me, service_account), core/groups (add_user, remove_user), core/tokens."""

from __future__ import annotations

import datetime

from .. import expressions
from .. import fields as f
from .. import serializers as ser
from ..fields import parse_duration
from ..store import ANONYMOUS_USERNAME, now
from ..web import ApiError, not_found, validation_error
from .common import API, boolean, exact, listing, search

USER_TYPES = ["internal", "external", "service_account", "internal_service_account"]
TOKEN_INTENTS = ["verification", "api", "recovery", "app_password"]


# admin ---------------------------------------------------------------------------------------
def version(ctx):
    d = ctx.dialect
    body = {"version_current": d.version_string, "version_latest": "0.0.0"}
    if d.version_latest_valid:
        body["version_latest_valid"] = False
    body.update({"build_hash": "", "outdated": False})
    if d.outpost_outdated:
        body["outpost_outdated"] = False
    return ctx.json(body)


# users ---------------------------------------------------------------------------------------
def _user_or_404(ctx, pk):
    try:
        user = ctx.store.users.get(int(pk))
    except ValueError:
        user = None
    if user is None or user["username"] == ANONYMOUS_USERNAME:
        raise not_found("User")
    return user


def _group_lookup(key, ctx):
    return ctx.store.groups.get(key)


def _unique_username(value, ctx):
    for user in ctx.store.users.values():
        if user["username"] == value and user is not getattr(ctx, "instance", None):
            return "A user with that username already exists."  # AbstractUser.error_messages
    return None


def user_fields(ctx):
    return {
        "username": f.Str(required=True, max_length=150, unique=_unique_username),
        "name": f.Str(required=True, allow_blank=True),
        "is_active": f.Bool(),
        "groups": f.RefList(f.UUIDRef(_group_lookup)),
        "roles": f.RefList(f.Str()),
        "email": f.Str(max_length=254, allow_blank=True),
        "attributes": f.JSONDict(),
        "path": f.Str(),
        "type": f.Choice(USER_TYPES),
    }


def _apply_user(user, clean):
    for key, value in clean.items():
        if key == "roles":
            continue
        user[key] = value
    user["last_updated"] = now()


def users_list(ctx):
    store = ctx.store
    items = [u for u in sorted(store.users.values(), key=lambda u: u["username"]) if u["username"] != ANONYMOUS_USERNAME]
    if not ctx.superuser:
        items = [u for u in items if u is ctx.user]
    for name in ("username", "email", "name", "path", "uuid", "type"):
        items = exact(items, ctx, name, lambda u, n=name: u[n])
    items = boolean(items, ctx, "is_active", lambda u: u["is_active"])
    items = boolean(items, ctx, "is_superuser", store.is_superuser)
    names = ctx.params("groups_by_name")
    if names:
        items = [u for u in items if any(store.groups[g]["name"] in names for g in u["groups"] if g in store.groups)]
    pks = ctx.params("groups_by_pk")
    if pks:
        items = [u for u in items if any(g in pks for g in u["groups"])]
    items = search(items, ctx, [lambda u: u["username"], lambda u: u["name"], lambda u: u["email"]])
    return listing(ctx, items, lambda u: ser.user_full(store, u))


def users_create(ctx):
    ctx.require_superuser()
    clean = f.validate(user_fields(ctx), ctx.data, ctx)
    user = ctx.store.new_user(clean["username"], name=clean.get("name", ""))
    _apply_user(user, clean)
    return ctx.json(ser.user_full(ctx.store, user), 201)


def user_detail(ctx, pk):
    user = _user_or_404(ctx, pk)
    if not ctx.superuser and user is not ctx.user:
        raise not_found("User")
    return ctx.json(ser.user_full(ctx.store, user))


def _user_update(ctx, pk, partial):
    ctx.require_superuser()
    user = _user_or_404(ctx, pk)
    ctx.instance = user
    clean = f.validate(user_fields(ctx), ctx.data, ctx, partial=partial)
    _apply_user(user, clean)
    return ctx.json(ser.user_full(ctx.store, user))


def user_delete(ctx, pk):
    ctx.require_superuser()
    user = _user_or_404(ctx, pk)
    store = ctx.store
    del store.users[user["pk"]]
    for token in [t for t in store.tokens.values() if t["user"] == user["pk"]]:
        del store.tokens[token["pk"]]
    for bind in [b for b in store.bindings.values() if b["user"] == user["pk"]]:
        del store.bindings[bind["pk"]]
    return ctx.empty()


def users_me(ctx):
    body = {"user": ser.user_self(ctx.store, ctx.user)}
    if ctx.dialect.users_me_users:
        body["users"] = [ser.user_self(ctx.store, ctx.user)]  # the accounts of this session; API tokens have one
    return ctx.json(body)


def service_account(ctx):
    ctx.require_superuser()
    clean = f.validate({
        "name": f.Str(required=True),
        "create_group": f.Bool(default=lambda: False),
        "expiring": f.Bool(default=lambda: True),
        "expires": f.Str(),
    }, ctx.data, ctx)
    store = ctx.store
    username = clean["name"]
    if store.user_by_name(username) is not None:
        # authentik returns the IntegrityError text as a non-field error
        raise validation_error({"non_field_errors": [
            "duplicate key value violates unique constraint \"authentik_core_user_username_key\"\n"
            "DETAIL:  Key (username)=(%s) already exists.\n" % username]})
    expires = now() + datetime.timedelta(days=360)
    if clean.get("expires"):
        try:
            expires = datetime.datetime.fromisoformat(clean["expires"].replace("Z", "+00:00"))
        except ValueError:
            raise validation_error({"expires": [
                "Datetime has wrong format. Use one of these formats instead: "
                "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}) from None
    user = store.new_user(username, name=username, user_type="service_account", path="goauthentik.io/service-accounts",
                          attributes={"goauthentik.io/user/token-expires": clean["expiring"]})
    body = {"username": username, "user_uid": store.uid(user), "user_pk": user["pk"]}
    if clean["create_group"]:
        group = store.new_group(username)
        user["groups"].append(group["pk"])
        body["group_pk"] = group["pk"]
    token = store.new_token("service-account-%s-password" % username, user["pk"], intent="app_password",
                            expiring=clean["expiring"], expires=expires)
    body["token"] = token["key"]
    return ctx.json(body, 200)


# groups --------------------------------------------------------------------------------------
def _group_or_404(ctx, pk):
    group = ctx.store.groups.get(pk)
    if group is None:
        raise not_found("Group")
    return group


def _unique_group_name(value, ctx):
    for group in ctx.store.groups.values():
        if group["name"] == value and group is not getattr(ctx, "instance", None):
            return "Group with this name already exists."
    return None


def _user_lookup(key, ctx):
    user = ctx.store.users.get(key)
    return None if user is None or user["username"] == ANONYMOUS_USERNAME else user


def group_fields(ctx):
    parent_ref = f.UUIDRef(_group_lookup)
    out = {"name": f.Str(required=True, unique=_unique_group_name), "is_superuser": f.Bool()}
    if ctx.dialect.group_parents:
        out["parents"] = f.RefList(parent_ref)
    else:
        out["parent"] = f.UUIDRef(_group_lookup, allow_null=True)
    out.update({"users": f.RefList(f.IntRef(_user_lookup)), "attributes": f.JSONDict(), "roles": f.RefList(f.Str())})
    return out


def _apply_group(ctx, group, clean):
    store = ctx.store
    if "parents" in clean or "parent" in clean:
        parents = clean.get("parents") if "parents" in clean else ([clean["parent"]] if clean.get("parent") else [])
        if group["pk"] in parents:
            raise validation_error({"parents" if "parents" in clean else "parent": ["Cannot set group as parent of itself."]})
        group["parents"] = parents
    for key in ("name", "is_superuser", "attributes"):
        if key in clean:
            group[key] = clean[key]
    if "users" in clean:
        wanted = set(clean["users"])
        for user in store.users.values():
            member = group["pk"] in user["groups"]
            if user["pk"] in wanted and not member:
                user["groups"].append(group["pk"])
            elif user["pk"] not in wanted and member:
                user["groups"].remove(group["pk"])


def groups_list(ctx):
    ctx.require_superuser()
    store = ctx.store
    items = sorted(store.groups.values(), key=lambda g: g["name"])
    items = exact(items, ctx, "name", lambda g: g["name"])
    items = boolean(items, ctx, "is_superuser", lambda g: g["is_superuser"])
    by_pk = [v for v in ctx.params("members_by_pk") if v]
    if by_pk:
        items = [g for g in items if any(str(u["pk"]) in by_pk for u in store.group_members(g["pk"]))]
    by_name = [v for v in ctx.params("members_by_username") if v]
    if by_name:
        items = [g for g in items if any(u["username"] in by_name for u in store.group_members(g["pk"]))]
    items = search(items, ctx, [lambda g: g["name"]])
    return listing(ctx, items, lambda g: ser.group_full(store, g, ctx.query))


def groups_create(ctx):
    ctx.require_superuser()
    clean = f.validate(group_fields(ctx), ctx.data, ctx)
    group = ctx.store.new_group(clean["name"])
    _apply_group(ctx, group, clean)
    return ctx.json(ser.group_full(ctx.store, group, ctx.query), 201)


def group_detail(ctx, pk):
    ctx.require_superuser()
    return ctx.json(ser.group_full(ctx.store, _group_or_404(ctx, pk), ctx.query))


def _group_update(ctx, pk, partial):
    ctx.require_superuser()
    group = _group_or_404(ctx, pk)
    ctx.instance = group
    clean = f.validate(group_fields(ctx), ctx.data, ctx, partial=partial)
    _apply_group(ctx, group, clean)
    return ctx.json(ser.group_full(ctx.store, group, ctx.query))


def group_delete(ctx, pk):
    ctx.require_superuser()
    group = _group_or_404(ctx, pk)
    store = ctx.store
    del store.groups[group["pk"]]
    for user in store.users.values():
        if group["pk"] in user["groups"]:
            user["groups"].remove(group["pk"])
    for other in store.groups.values():
        if group["pk"] in other["parents"]:
            other["parents"].remove(group["pk"])
    for bind in [b for b in store.bindings.values() if b["group"] == group["pk"]]:
        del store.bindings[bind["pk"]]
    return ctx.empty()


def _membership(ctx, pk, add):
    ctx.require_superuser()
    group = _group_or_404(ctx, pk)
    clean = f.validate({"pk": f.Int(required=True)}, ctx.data, ctx)
    user = _user_lookup(clean["pk"], ctx)
    if user is None:
        raise ApiError(404, {"detail": "Not found."})
    if add and group["pk"] not in user["groups"]:
        user["groups"].append(group["pk"])
    if not add and group["pk"] in user["groups"]:
        user["groups"].remove(group["pk"])
    return ctx.empty()


# tokens --------------------------------------------------------------------------------------
def _token_or_404(ctx, identifier):
    token = ctx.store.token_by_identifier(identifier)
    if token is None or (not ctx.superuser and token["user"] != ctx.user["pk"]):
        raise not_found("Token")
    return token


def _unique_identifier(value, ctx):
    for token in ctx.store.tokens.values():
        if token["identifier"] == value and token is not getattr(ctx, "instance", None):
            return "Token with this identifier already exists."
    return None


def token_fields(ctx):
    return {
        "managed": f.Str(allow_null=True),
        "identifier": f.Slug(required=True, max_length=255, unique=_unique_identifier),
        "intent": f.Choice(TOKEN_INTENTS),
        "user": f.IntRef(_user_lookup),
        "description": f.Str(allow_blank=True),
        "expires": f.Str(allow_null=True),
        "expiring": f.Bool(),
    }


def _token_values(ctx, clean, token=None):
    """TokenSerializer.validate: only api/app_password; api tokens always get the default lifetime; an
    app password may not outlive the user's maximum token lifetime (default: the tenant's default token duration,
    30 minutes; 1 day on fresh 2026.8.1+ installs)."""
    intent = clean.get("intent", token["intent"] if token else "api")
    if intent not in ("api", "app_password"):
        raise validation_error({"intent": ["Invalid intent %s" % intent]})
    out = dict(clean)
    if "expires" in clean and clean["expires"] is not None:
        try:
            out["expires"] = datetime.datetime.fromisoformat(clean["expires"].replace("Z", "+00:00"))
        except ValueError:
            raise validation_error({"expires": [
                "Datetime has wrong format. Use one of these formats instead: "
                "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}) from None
        if out["expires"].tzinfo is None:
            out["expires"] = out["expires"].replace(tzinfo=datetime.timezone.utc)
    if not ctx.superuser:
        out["user"] = ctx.user["pk"]
    user = ctx.store.users.get(out.get("user", token["user"] if token else ctx.user["pk"]))
    if intent == "app_password" and out.get("expires") is not None and user is not None:
        limit = now() + datetime.timedelta(minutes=ctx.dialect.default_token_minutes)
        configured = expressions.UserView(ctx.store, user).group_attributes().get(
            "goauthentik.io/user/token-maximum-lifetime")
        if configured:
            try:
                limit = now() + parse_duration(configured)
            except ValueError:
                pass
        if out["expires"] > limit:
            raise validation_error({"expires": ["Token expires exceeds maximum lifetime (%s UTC)." % limit]})
    elif intent == "api":
        out["expires"] = now() + datetime.timedelta(minutes=ctx.dialect.default_token_minutes)
    return out


def tokens_list(ctx):
    store = ctx.store
    items = sorted(store.tokens.values(), key=lambda t: t["identifier"])  # TokenViewSet.ordering
    if not ctx.superuser:
        items = [t for t in items if t["user"] == ctx.user["pk"]]
    for name in ("identifier", "intent", "description", "managed"):
        items = exact(items, ctx, name, lambda t, n=name: t[n])
    items = exact(items, ctx, "user__username", lambda t: store.users[t["user"]]["username"] if t["user"] in store.users else "")
    items = boolean(items, ctx, "expiring", lambda t: t["expiring"])
    items = search(items, ctx, [lambda t: t["identifier"], lambda t: t["intent"], lambda t: t["description"]])
    return listing(ctx, items, lambda t: ser.token(store, t))


def tokens_create(ctx):
    clean = f.validate(token_fields(ctx), ctx.data, ctx)
    values = _token_values(ctx, clean)
    user_pk = values.get("user", ctx.user["pk"])
    expiring = values.get("expiring", True)
    if not ctx.superuser:  # perform_create: the user's own setting decides
        expiring = ctx.user["attributes"].get("goauthentik.io/user/token-expires", True)
    expires = values.get("expires") or (now() + datetime.timedelta(minutes=ctx.dialect.default_token_minutes))
    token = ctx.store.new_token(values["identifier"], user_pk, intent=values.get("intent", "api"), expiring=expiring,
                                expires=expires, description=values.get("description", ""), managed=values.get("managed"))
    return ctx.json(ser.token(ctx.store, token), 201)


def token_detail(ctx, identifier):
    return ctx.json(ser.token(ctx.store, _token_or_404(ctx, identifier)))


def _token_update(ctx, identifier, partial):
    token = _token_or_404(ctx, identifier)
    ctx.instance = token
    clean = f.validate(token_fields(ctx), ctx.data, ctx, partial=partial)
    token.update(_token_values(ctx, clean, token))
    return ctx.json(ser.token(ctx.store, token))


def token_delete(ctx, identifier):
    token = _token_or_404(ctx, identifier)
    del ctx.store.tokens[token["pk"]]
    return ctx.empty()


def token_view_key(ctx, identifier):
    return ctx.json({"key": _token_or_404(ctx, identifier)["key"]})


def token_set_key(ctx, identifier):
    ctx.require_superuser()
    token = _token_or_404(ctx, identifier)
    clean = f.validate({"key": f.Str(required=True)}, ctx.data, ctx)
    token["key"] = clean["key"]
    return ctx.empty()


def register(router):
    router.add(API + "admin/version/", {"GET": version})
    router.add(API + "core/users/", {"GET": users_list, "POST": users_create})
    router.add(API + "core/users/me/", {"GET": users_me})
    router.add(API + "core/users/service_account/", {"POST": service_account})
    router.add(API + r"core/users/(?P<pk>\d+)/", {
        "GET": user_detail, "PUT": lambda ctx, pk: _user_update(ctx, pk, False),
        "PATCH": lambda ctx, pk: _user_update(ctx, pk, True), "DELETE": user_delete})
    router.add(API + "core/groups/", {"GET": groups_list, "POST": groups_create})
    router.add(API + r"core/groups/(?P<pk>[^/]+)/", {
        "GET": group_detail, "PUT": lambda ctx, pk: _group_update(ctx, pk, False),
        "PATCH": lambda ctx, pk: _group_update(ctx, pk, True), "DELETE": group_delete})
    router.add(API + r"core/groups/(?P<pk>[^/]+)/add_user/", {"POST": lambda ctx, pk: _membership(ctx, pk, True)})
    router.add(API + r"core/groups/(?P<pk>[^/]+)/remove_user/", {"POST": lambda ctx, pk: _membership(ctx, pk, False)})
    router.add(API + "core/tokens/", {"GET": tokens_list, "POST": tokens_create})
    router.add(API + r"core/tokens/(?P<identifier>[^/]+)/", {
        "GET": token_detail, "PUT": lambda ctx, identifier: _token_update(ctx, identifier, False),
        "PATCH": lambda ctx, identifier: _token_update(ctx, identifier, True), "DELETE": token_delete})
    router.add(API + r"core/tokens/(?P<identifier>[^/]+)/view_key/", {"GET": token_view_key})
    router.add(API + r"core/tokens/(?P<identifier>[^/]+)/set_key/", {"POST": token_set_key})
