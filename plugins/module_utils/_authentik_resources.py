# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the authentik object kinds, their paths and natural keys.

Declared once and shared by the resource modules, the reference lookups and ``authentik_info``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class Resource(object):
    """One authentik object kind.

    ``key``: the natural key (exact-match list filter of the same name). ``detail_by``: the field the
    detail URL uses (``slug`` for applications and flows). ``list_params``: always sent on lists (e.g.
    ``superuser_full_list`` so that the application list is not filtered by the token owner's access).
    ``secrets``: response fields never returned or shown. ``mark``: where a deployment's ownership mark lives
    (``attributes``, ``description`` or ``manifest``; see ``_authentik_ownership``), None for kinds the collection
    only refers to. ``one_per_deployment``: a deployment has one such object, so one found in its manifest under a
    former name is the same object, renamed in place rather than left behind.
    """

    def __init__(self, name, label, path, key, detail_by="pk", list_params=None, secrets=(), mark=None,
                 one_per_deployment=False):
        self.name = name
        self.label = label
        self._path = path
        self.key = key
        self.detail_by = detail_by
        self.list_params = dict(list_params or {})
        self.secrets = tuple(secrets)
        self.mark = mark
        self.one_per_deployment = one_per_deployment

    def path(self, dialect):
        return self._path(dialect) if callable(self._path) else self._path

    def detail_path(self, dialect, obj):
        ident = obj.get(self.detail_by) if isinstance(obj, dict) else obj
        return "%s%s/" % (self.path(dialect), ident)

    def describe(self, obj):
        """``scope mapping 'minio'`` for messages."""
        if self.key and isinstance(obj, dict) and obj.get(self.key) is not None:
            return "%s '%s'" % (self.label, obj.get(self.key))
        if isinstance(obj, dict) and obj.get("pk") is not None:
            return "%s %s" % (self.label, obj.get("pk"))
        return self.label


RESOURCES = dict(
    (resource.name, resource)
    for resource in (
        Resource("scope_mapping", "scope mapping", lambda dialect: dialect.scope_mapping_path, "name", mark="description"),
        Resource("oauth2_provider", "OAuth2 provider", "providers/oauth2/", "name", secrets=("client_secret",),
                 mark="manifest", one_per_deployment=True),
        Resource("application", "application", "core/applications/", "slug", detail_by="slug",
                 list_params={"superuser_full_list": "true"}, mark="manifest"),
        Resource("group", "group", "core/groups/", "name", list_params={"include_users": "false"}, mark="attributes"),
        Resource("user", "user", "core/users/", "username", mark="manifest"),
        Resource("flow", "flow", "flows/instances/", "slug", detail_by="slug"),
        Resource("certificate_keypair", "certificate keypair", "crypto/certificatekeypairs/", "name"),
        Resource("policy_binding", "policy binding", "policies/bindings/", None, mark="manifest"),
    )
)


def redact_object(resource, obj, marker=None):
    """A copy of ``obj`` without the resource's secret fields (or with them replaced by ``marker``)."""
    if not isinstance(obj, dict):
        return obj
    result = dict(obj)
    for field in resource.secrets:
        if field in result:
            if marker is None:
                del result[field]
            else:
                result[field] = marker
    return result


def binding_expires(binding):
    """Whether a policy binding is temporary: since authentik 2026.8 a binding can carry ``expiring``/``expires``
    (a grant that ends, such as an access request's). The collection manages only bindings that never expire and
    never adopts, changes or counts a temporary one; before 2026.8 no binding has these fields."""
    return bool(binding.get("expiring")) or binding.get("expires") not in (None, "")
