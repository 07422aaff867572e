# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scope mapping expressions, evaluated the way authentik's BaseEvaluator does it.

The expression becomes the body of ``def handler(<context names>):`` and is called with the
context: ``request`` (a PolicyRequest with ``.user``, ``.http_request``, ``.obj``, ``.context``),
``user``, ``provider``, ``token``, ``http_request`` and the helpers authentik gives expressions (authentik/core/expression/evaluator.py)
(``ak_is_group_member``, ``ak_user_by``, ``ak_user_has_authenticator``, ``ak_logger``,
``ak_create_event``, ``ak_call_policy``, ``list_flatten``, ``regex_match``, ``regex_replace``,
``ip_address``, ``ip_network``). Objects are read-only views of the store with the small part of
Django's queryset API that expressions use (``.all()``, ``.filter()``, ``.exists()``, ...).
"""

from __future__ import annotations

import ipaddress
import re
import sys
from textwrap import indent


class ExpressionError(Exception):
    pass


def wrap(expression, names):
    signature = ",".join(names)
    return "def handler(%s):\n%s\nresult = handler(%s)" % (signature, indent(expression, "    "), signature)


def syntax_error(expression):
    """The validation error text for an expression, or None when it compiles."""
    try:
        compile(wrap(expression, ["request"]), "<expression>", "exec")
    except SyntaxError as exc:
        # authentik: "Expression Syntax Error: '{' was never closed (None, line 2)"
        return "Expression Syntax Error: %s (None, line %s)" % (exc.msg, exc.lineno)
    return None


def _match(value, lookup, wanted):
    if lookup == "exact":
        return value == wanted or str(value) == str(wanted)
    if lookup == "iexact":
        return str(value).lower() == str(wanted).lower()
    if lookup == "in":
        return value in wanted or str(value) in [str(w) for w in wanted]
    if lookup == "contains":
        return str(wanted) in str(value)
    if lookup == "icontains":
        return str(wanted).lower() in str(value).lower()
    if lookup == "startswith":
        return str(value).startswith(str(wanted))
    if lookup == "istartswith":
        return str(value).lower().startswith(str(wanted).lower())
    if lookup == "endswith":
        return str(value).endswith(str(wanted))
    if lookup == "isnull":
        return (value is None) == bool(wanted)
    raise ExpressionError("Unsupported lookup '%s'" % lookup)


class QuerySet:
    """Enough of Django's QuerySet for expressions over users and groups."""

    def __init__(self, items):
        self._items = list(items)

    def _filtered(self, kwargs, keep):
        out = []
        for item in self._items:
            ok = True
            for key, wanted in kwargs.items():
                field, dummy, lookup = key.partition("__")
                value = getattr(item, "pk" if field == "id" else field)
                if not _match(value, lookup or "exact", wanted):
                    ok = False
                    break
            if ok == keep:
                out.append(item)
        return QuerySet(out)

    def all(self):
        return QuerySet(self._items)

    def filter(self, **kwargs):
        return self._filtered(kwargs, True)

    def exclude(self, **kwargs):
        return self._filtered(kwargs, False)

    def get(self, **kwargs):
        found = self.filter(**kwargs)._items
        if len(found) != 1:
            raise ExpressionError("%s matching query does not exist." % ("Object" if not found else "More than one"))
        return found[0]

    def exists(self):
        return bool(self._items)

    def count(self):
        return len(self._items)

    def first(self):
        return self._items[0] if self._items else None

    def last(self):
        return self._items[-1] if self._items else None

    def order_by(self, *fields):
        items = list(self._items)
        for field in reversed(fields):
            reverse = field.startswith("-")
            items.sort(key=lambda i, n=field.lstrip("-"): getattr(i, n), reverse=reverse)
        return QuerySet(items)

    def values_list(self, *fields, flat=False):
        if flat:
            return [getattr(i, fields[0]) for i in self._items]
        return [tuple(getattr(i, f) for f in fields) for i in self._items]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __bool__(self):
        return bool(self._items)

    def __getitem__(self, index):
        return self._items[index]

    def __contains__(self, item):
        return item in self._items


class GroupView:
    def __init__(self, store, group):
        self._store = store
        self.pk = group["pk"]
        self.group_uuid = group["pk"]
        self.num_pk = group["num_pk"]
        self.name = group["name"]
        self.is_superuser = group["is_superuser"]
        self.attributes = dict(group["attributes"])
        self._parents = list(group["parents"])

    @property
    def parents(self):
        return QuerySet(GroupView(self._store, self._store.groups[p]) for p in self._parents if p in self._store.groups)

    @property
    def parent(self):
        return self.parents.first()

    @property
    def users(self):
        return QuerySet(UserView(self._store, u) for u in self._store.group_members(self.pk))

    def __eq__(self, other):
        return isinstance(other, GroupView) and other.pk == self.pk

    def __hash__(self):
        return hash(self.pk)

    def __str__(self):
        return "Group %s" % self.name


class UserView:
    is_authenticated = True

    def __init__(self, store, user):
        self._store = store
        self._user = user
        for key in ("pk", "username", "name", "email", "is_active", "path", "type", "uuid", "last_login",
                    "date_joined"):
            setattr(self, key, user[key])
        self.id = user["pk"]
        self.attributes = dict(user["attributes"])
        self.uid = store.uid(user)
        self.is_superuser = store.is_superuser(user)
        self.is_anonymous = user["username"] == "AnonymousUser"
        self.password = None

    @property
    def groups(self):
        return QuerySet(GroupView(self._store, self._store.groups[g]) for g in self._user["groups"]
                        if g in self._store.groups)

    ak_groups = groups  # the pre-2025 name of the same relation, still used by the default profile mapping

    def all_groups(self):
        return QuerySet(GroupView(self._store, self._store.groups[g]) for g in self._store.all_group_ids(self._user))

    def group_attributes(self, request=None):  # pylint: disable=unused-argument
        merged = {}
        for group in reversed(list(self.all_groups())):
            merged.update(group.attributes)
        merged.update(self.attributes)
        return merged

    def app_entitlements(self, app=None):  # pylint: disable=unused-argument
        return QuerySet([])

    def __eq__(self, other):
        return isinstance(other, UserView) and other.pk == self.pk

    def __hash__(self):
        return hash(self.pk)

    def __str__(self):
        return self.username


class PolicyRequest:
    def __init__(self, user, http_request=None, obj=None, context=None):
        self.user = user
        self.http_request = http_request
        self.obj = obj
        self.context = dict(context or {})
        self.debug = False


class HttpRequestView:
    """The parts of a Django HttpRequest an expression may read."""

    def __init__(self, request):
        self.method = request.method
        self.path = request.path
        self.headers = dict(request.headers)
        self.META = {"REMOTE_ADDR": request.client}
        self.GET = {k: v[-1] for k, v in request.query.items()}


class Logger:
    def __init__(self, sink):
        self._sink = sink

    def _log(self, level, event, **kwargs):
        self._sink.append({"level": level, "event": str(event), **{k: str(v) for k, v in kwargs.items()}})
        del self._sink[:-1000]  # bounded

    def debug(self, event, **kw):
        self._log("debug", event, **kw)

    def info(self, event, **kw):
        self._log("info", event, **kw)

    def warning(self, event, **kw):
        self._log("warning", event, **kw)

    warn = warning

    def error(self, event, **kw):
        self._log("error", event, **kw)

    def exception(self, event, **kw):
        self._log("exception", event, **kw)


def list_flatten(value):
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def evaluate(store, expression, user, provider=None, token=None, http_request=None, mapping=None, extra=None):
    """Run an expression for ``user`` (a store dict). Returns its result; raises ExpressionError."""
    user_view = UserView(store, user)

    def ak_is_group_member(member, **group_filters):
        return member.all_groups().filter(**group_filters).exists()

    def ak_user_by(**filters):
        found = QuerySet(UserView(store, u) for u in store.users.values()).filter(**filters)
        return found.first()

    def ak_user_has_authenticator(member, device_type=None):  # pylint: disable=unused-argument
        return False  # the double keeps no MFA devices

    def ak_create_event(action, **kwargs):  # pylint: disable=unused-argument
        return None

    def ak_call_policy(name, **kwargs):  # pylint: disable=unused-argument
        raise ExpressionError("Policy '%s' not found." % name)

    http_view = HttpRequestView(http_request) if http_request is not None else None
    request = PolicyRequest(user_view, http_view, mapping, extra)
    context = {
        "ak_logger": Logger(store.expression_log),
        "ak_is_group_member": ak_is_group_member,
        "ak_user_by": ak_user_by,
        "ak_user_has_authenticator": ak_user_has_authenticator,
        "ak_create_event": ak_create_event,
        "ak_call_policy": ak_call_policy,
        "list_flatten": list_flatten,
        "regex_match": lambda value, regex: re.search(regex, value) is not None,
        "regex_replace": lambda value, regex, repl: re.sub(regex, repl, value),
        "ip_address": ipaddress.ip_address,
        "ip_network": ipaddress.ip_network,
        "user": user_view,
        "request": request,
        "http_request": http_view,
        "provider": provider,
        "token": token,
    }
    context.update(extra or {})
    try:
        code = compile(wrap(expression, list(context)), "<expression>", "exec")
    except SyntaxError as exc:
        raise ExpressionError("Expression Syntax Error: %s" % exc) from exc
    namespace = dict(context)
    try:
        exec(code, namespace)  # nosec - the double runs the expressions its own tests store, as authentik does
    except Exception as exc:  # pylint: disable=broad-exception-caught
        raise ExpressionError("%s: %s" % (type(exc).__name__, exc)) from exc
    return namespace["result"]


def log_failure(mapping, exc):
    sys.stderr.write("authentik double: property mapping %r failed: %s\n" % (mapping.get("name"), exc))
