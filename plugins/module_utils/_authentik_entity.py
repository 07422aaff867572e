# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: present/absent for one authentik object, driven by an entity spec.

An entity spec maps each module option to a dict::

    authorization_flow=dict(type="entity", resource="flow", required=True)
    property_mappings=dict(type="entity_list", resource="scope_mapping", search_by=("name", "scope_name"))
    grant_types=dict(type="set", elements="str", since="grant_types")
    client_secret=dict(no_log=True)

``type`` is an Ansible type or one of ``entity``, ``entity_list``, ``set``, ``duration``,
``redirect_uris``; ``api`` names the API field when it differs from the option; ``since`` names the feature of the
version table (``_authentik_version.FEATURES``) that brings the field (setting it on an older server fails before any write); ``nullable`` lets an
empty string clear a reference; ``create_required`` marks what a create cannot do without; ``expect`` gives field
values a referenced object must have (``expect=dict(designation="authorization")``); ``not_empty``, ``pattern``,
``max_length`` and ``python_body`` are value rules checked before any call (``_authentik_normalize.refused_value``).
The loop: find the object by its natural key, resolve every reference
(failing before any write), normalise, compare, then POST, PATCH only the changed fields, or DELETE;
check mode runs the same path and skips only the write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import RETRY_STATUSES, AuthentikError
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_module import (
    AuthentikModule,
    connection_argument_spec,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_normalize import (
    duration_to_api,
    parse_duration,
    RULE_KEYS,
    redirect_uri_entries,
    redirect_uris_to_api,
    shown,
    values_equal,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_ownership import (
    OURS,
    UNMARKED,
    Ownership,
    WRITE_ATTEMPTS,
    attribute_mark,
    description_mark,
    with_attribute_mark,
    with_description_mark,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_resources import RESOURCES, redact_object
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_version import first_release, version_string
from ansible_collections.sso.authentik_minio.plugins.module_utils._secret_marker import HIDDEN, HIDDEN_CHANGED

_ANSIBLE_TYPES = {"entity": "str", "entity_list": "list", "set": "list", "duration": "str", "redirect_uris": "list"}
_INTERNAL_KEYS = ("type", "api", "resource", "search_by", "since", "nullable", "create_required", "expect") + RULE_KEYS


def argument_spec_from_entity_spec(entity_spec):
    """The Ansible argument spec an entity spec stands for."""
    spec = {}
    for name, field in entity_spec.items():
        option = dict((key, value) for key, value in field.items() if key not in _INTERNAL_KEYS)
        kind = field.get("type", "str")
        option["type"] = _ANSIBLE_TYPES.get(kind, kind)
        if kind in ("entity_list", "set"):
            option.setdefault("elements", "str")
        elif kind == "redirect_uris":
            option["elements"] = "raw"
        spec[name] = option
    return spec


def field_kind(field):
    return field.get("type", "str")


def ownership_argument_spec():
    """The options documented in the ``sso.authentik_minio.ownership`` doc fragment."""
    return dict(owner=dict(type="str"), adopt=dict(type="bool", default=False))


class AuthentikEntityModule(AuthentikModule):
    """Subclasses set nothing but the spec; hooks: ``prepare``, ``create_defaults``, ``find_current``,
    ``patch_identity``, ``extra_results``."""

    def __init__(self, resource, entity_spec, result_key, argument_spec=None, **kwargs):
        self.entity_spec = entity_spec
        self.result_key = result_key
        spec = argument_spec_from_entity_spec(entity_spec)
        clash = set(spec) & set(connection_argument_spec())
        if clash:
            raise ValueError("entity options clash with the connection options: %s" % ", ".join(sorted(clash)))
        spec["state"] = dict(type="str", default="present", choices=["present", "absent"])
        if RESOURCES[resource].mark:
            spec.update(ownership_argument_spec())
        spec.update(argument_spec or {})
        kwargs.setdefault("supports_check_mode", True)
        super(AuthentikEntityModule, self).__init__(argument_spec=spec, **kwargs)
        self.entity_resource = self.resource(resource)
        self._fields_by_api = dict((field.get("api", name), (name, field)) for name, field in entity_spec.items())
        self._ownership = None

    @property
    def ownership(self):
        """The deployment that owns what this run changes (option ``owner``), or None: then objects are found by name
        alone, as a module that manages one object by hand expects."""
        if self._ownership is None and self.params.get("owner"):
            self._ownership = Ownership(self, self.params["owner"], self.params.get("adopt"))
        return self._ownership

    def owner_key(self):
        """The key under which the deployment's manifest records this object (its natural key by default)."""
        option, _field = self._fields_by_api[self.entity_resource.key]
        return self.params[option]

    def value_rules(self):
        rules = super(AuthentikEntityModule, self).value_rules()
        rules.update(self.entity_spec)
        return rules

    # hooks ----------------------------------------------------------------------------------
    def find_current(self):
        """The existing object, found by the resource's natural key (an option of the same API name)."""
        resource = self.entity_resource
        option, _field = self._fields_by_api[resource.key]
        return self.find_one(resource, resource.key, self.params[option])

    def prepare(self, desired, current):
        """Adjust the desired API fields (defaults that depend on the server, derived fields)."""
        return desired

    def created_elsewhere(self, desired, current):
        """Hook: the create found the object made by another run at the same time; ``desired`` as it applies to an
        existing object (what only a create sets is dropped)."""
        return desired

    def create_defaults(self, payload):
        """Fields a create needs beyond what the user set."""
        return payload

    def patch_identity(self, current):
        """Fields a PATCH must repeat even when unchanged (none by default)."""
        return {}

    def extra_results(self, entity):
        """Additional return values computed from the final object."""
        return {}

    # desired state ------------------------------------------------------------------------------
    def desired_api(self):
        """Module options -> API fields; references resolved, values in the server's dialect."""
        desired = {}
        for name, field in self.entity_spec.items():
            value = self.params.get(name)
            if value is None:
                continue
            since = field.get("since")
            if since and not self.dialect.has(since):
                raise AuthentikError("option %s needs authentik %s or newer; this server runs %s, so nothing was changed; "
                                     "leave %s out for this server" % (name, first_release(since),
                                                                       version_string(self.dialect.version), name))
            desired[field.get("api", name)] = self.to_api(name, field, value)
        return desired

    def to_api(self, name, field, value):
        kind = field_kind(field)
        if kind == "entity":
            if value == "" and field.get("nullable"):
                return None
            obj = self.resolve(field["resource"], value, field.get("search_by"), option=name)
            for key, wanted in (field.get("expect") or {}).items():
                if key in obj and obj[key] != wanted:
                    raise AuthentikError("%s: %s has %s %s; it must be %s (got %s)" % (
                        name, self.resource(field["resource"]).describe(obj), key, shown(obj[key]), shown(wanted), shown(value)))
            self.remember(self.resource(field["resource"]), obj, label=value)
            return obj["pk"]
        if kind == "entity_list":
            pks = []
            for item in value:
                obj = self.resolve(field["resource"], item, field.get("search_by"), option=name)
                self.remember(self.resource(field["resource"]), obj, label=item)
                if obj["pk"] not in pks:
                    pks.append(obj["pk"])
            return pks
        if kind == "set":
            return sorted(set(value))
        if kind == "duration":
            try:
                parse_duration(value)
            except ValueError as exc:
                raise AuthentikError("%s: %s" % (name, exc))
            return duration_to_api(value)
        if kind == "redirect_uris":
            try:
                entries = redirect_uri_entries(value)
            except ValueError as exc:
                raise AuthentikError(str(exc))
            if not self.dialect.redirect_uri_type and any(e.get("redirect_uri_type", "authorization") != "authorization"
                                                          for e in entries):
                raise AuthentikError("redirect_uris: redirect_uri_type other than authorization needs authentik %s or newer"
                                     % first_release("redirect_uri_type"))
            return redirect_uris_to_api(entries, self.dialect.redirect_uris_list, self.dialect.redirect_uri_type)
        return value

    # comparison and display ---------------------------------------------------------------------
    def kind_of(self, api_key):
        _name, field = self._fields_by_api.get(api_key, (api_key, {}))
        return field_kind(field)

    def is_secret(self, api_key):
        _name, field = self._fields_by_api.get(api_key, (api_key, {}))
        return bool(field.get("no_log")) or api_key in self.entity_resource.secrets

    def changes(self, desired, current):
        """The desired fields whose normalised value differs from the current one."""
        with_type = self.dialect.redirect_uri_type
        return dict((key, value) for key, value in desired.items()
                    if key not in current or not values_equal(self.kind_of(key), value, current.get(key), with_type))

    def display(self, api_key, value):
        """A value as the user wrote it: names instead of pks, secrets hidden."""
        _name, field = self._fields_by_api.get(api_key, (api_key, {}))
        kind = field_kind(field)
        if kind == "entity" and value not in (None, ""):
            return self.label_of(field["resource"], value)
        if kind == "entity_list":
            return sorted(str(self.label_of(field["resource"], pk)) for pk in (value or []))
        if kind == "set":
            return sorted(value or [])
        return value

    def label_of(self, resource_name, pk):
        """The natural key of a referenced object; read once when only its pk is known (diff mode only)."""
        resource = self.resource(resource_name)
        known = self.name_of(resource_name, pk)
        if str(known) != str(pk) or not self._diff or resource.detail_by != "pk" or not resource.key:
            return known
        obj = self.client.get(resource.detail_path(self.dialect, pk), missing_ok=True)
        if obj is None:
            return pk
        self.remember(resource, obj)
        return obj.get(resource.key, pk)

    def diff_view(self, obj, keys, changed_keys=()):
        view = {}
        for key in keys:
            if key not in obj:
                continue
            option = self._fields_by_api.get(key, (key, {}))[0]
            if self.is_secret(key):
                view[option] = HIDDEN_CHANGED if key in changed_keys else HIDDEN
            else:
                view[option] = self.display(key, obj[key])
        return view

    # the loop -----------------------------------------------------------------------------------
    def run(self):
        resource = self.entity_resource
        current = self.find_current()
        renamed_from = None
        if current is None and self.ownership and resource.one_per_deployment:
            # renamed in the inventory: the same object, renamed in place, never a second one beside a live one
            current = self.ownership.renamed(resource)
            renamed_from = current.get(resource.key) if current else None
        if current is not None:
            self.remember(resource, current)
        key_field = resource.key
        status = None
        if self.ownership and current is not None:
            # removing: what is not ours is left alone; changing: what is not ours stops the run before any write
            check = self.ownership.status if self.params["state"] == "absent" else self.ownership.check
            status = check(resource, current, self.owner_key())
        if self.params["state"] == "absent":
            self.ensure_absent(resource, current, key_field, status)
            return
        desired = self.with_mark(self.prepare(self.desired_api(), current), current, status)
        entity = None
        if current is None:
            payload = self.create_defaults(dict(desired))
            self.check_create_required(payload)
            entity = dict(payload, pk=None)
            if not self.check_mode:
                self.record_in_manifest(None)  # before the create: a run killed right after it still knows it is ours
                entity, current = self.create(resource, payload)
                if current is not None:  # another run created it first: from here on it is an existing object,
                    # and the mark is worked out again from that run's (joined, not overwritten)
                    desired = self.with_mark(self.created_elsewhere(desired, current), current, status)
                self.record_in_manifest(entity or current)
                if current is None:
                    entity = self.confirm_mark(resource, entity)
        if current is None:
            self.remember(resource, entity)
            self.result["changed"] = True
            before = {"state": "absent"}
            after = dict(self.diff_view(payload, payload.keys()), state="present")
        else:
            changes = self.changes(desired, current)
            entity = current
            if status == UNMARKED and resource.mark == "manifest":  # adopted: from now on the manifest lists it
                self.result["changed"] = True
                if not self.check_mode:
                    self.record_in_manifest(current)
            if changes:
                payload = dict(self.patch_identity(current), **changes)
                entity = dict(current, **payload)
                if not self.check_mode:
                    entity = self.client.request("PATCH", resource.detail_path(self.dialect, current), payload=payload,
                                                 what="the update of %s" % resource.describe(current))
                    self.verify(payload, entity)
                    entity = self.confirm_mark(resource, entity)
                    if renamed_from is not None:
                        self.record_in_manifest(entity)
                self.result["changed"] = True
            if renamed_from is not None:
                self.result["msg"] = "%s renamed from '%s'" % (resource.describe(dict(current, **changes)), renamed_from)
            keys = sorted(set(desired) | set([key_field] if key_field else []))
            before = dict(self.diff_view(current, keys, changes), state="present")
            # unchanged fields show the server's form (hours=1 stays hours=1 when minutes=60 was asked for)
            after = dict(self.diff_view(dict(current, **changes), keys, changes), state="present")
        self.finish(entity, before, after)

    def create(self, resource, payload):
        """POST once -> ``(created, None)``, or ``(None, existing)`` when the object exists after all.

        A create without a clear answer (no answer, 429, 5xx) may have happened, and one refused with 400 may
        have lost a race with another run that created the same object. Either way, look before doing anything
        else: an object that exists now is the one to go on with (compared and patched like any other); only a
        create that did not happen and was not refused for its content is sent once more.
        """
        what = "the creation of %s" % resource.describe(payload)
        for attempt in (1, 2):
            try:
                entity = self.client.request("POST", resource.path(self.dialect), payload=payload, what=what)
            except AuthentikError as exc:
                uncertain = exc.status is None or exc.status in RETRY_STATUSES or exc.status >= 500
                if not uncertain and exc.status != 400:
                    raise
                existing = self.find_current()
                if existing is not None:
                    self.remember(resource, existing)
                    if uncertain:
                        self.result["changed"] = True  # most likely this run's own create, its answer lost
                    return None, existing
                if attempt == 2 or not uncertain:
                    raise
                self.client.sleep(self.client.backoff)
                continue
            self.verify(payload, entity)
            return entity, None
        raise AuthentikError("%s: no answer" % what)  # pragma: no cover - the loop returns or raises

    def check_create_required(self, payload):
        missing = [name for name, field in self.entity_spec.items()
                   if field.get("create_required") and payload.get(field.get("api", name)) in (None, "", [])]
        if missing:
            raise AuthentikError("creating %s needs %s" % (self.entity_resource.describe(payload), ", ".join(missing)))

    def ensure_absent(self, resource, current, key_field, status=None):
        if self.ownership:
            kept = self.keep_reason(resource, current, status)
            if kept:
                self.result["msg"] = kept if kept is not True else "%s is not deployment '%s''s (%s); it was left as it is" % (
                    resource.describe(current), self.ownership.deployment, status)
                view = dict(self.diff_view(current, [key_field] if key_field else []), state="present")
                if kept is not True:  # ours, still used elsewhere: only this deployment's mark goes
                    if not self.check_mode:
                        self.release_mark(resource, current)
                    self.result["changed"] = True
                self.finish(current, view, view)
                return
            if current is None and not self.check_mode and resource.mark == "manifest":
                self.ownership.forget(resource.name, key=self.owner_key())
        if current is not None:
            if not self.check_mode:
                self.client.request("DELETE", resource.detail_path(self.dialect, current), missing_ok=True,
                                    what="the deletion of %s" % resource.describe(current))
                if self.ownership and resource.mark == "manifest":
                    self.ownership.forget(resource.name, key=self.owner_key(), pk=current.get("pk"))
            self.result["changed"] = True
            keys = [key_field] if key_field else []
            before = dict(self.diff_view(current, keys), state="present")
            self.finish(None, before, {"state": "absent"})
        else:
            self.finish(None, {"state": "absent"}, {"state": "absent"})

    # ownership ------------------------------------------------------------------------------------
    def with_mark(self, desired, current, status):
        """The desired fields plus this deployment's mark, for kinds that carry it themselves."""
        mark = self.entity_resource.mark
        if not self.ownership or mark not in ("attributes", "description"):
            return desired
        me = self.ownership.deployment
        if mark == "attributes":
            base = desired.get("attributes")
            owners, created = attribute_mark((current or {}).get("attributes"))
            if base is None:
                base = (current or {}).get("attributes") or {}
            created = created if current is not None else True  # an adopted group stays the user's to delete
            desired["attributes"] = with_attribute_mark(base, (owners or []) + [me], created)
        else:
            base = desired.get("description")
            owners = description_mark((current or {}).get("description"))[1] or []
            if base is None:
                base = (current or {}).get("description") or ""
            desired["description"] = with_description_mark(base, owners + [me])
        return desired

    def record_in_manifest(self, entity):
        if self.ownership and self.entity_resource.mark == "manifest":
            self.ownership.record(self.entity_resource.name, self.owner_key(), pk=(entity or {}).get("pk"))

    def keep_reason(self, resource, current, status):
        """Why an object this deployment is asked to remove stays: True (not ours, nothing to do), a message (ours
        but still used; only this deployment's mark goes), or None (delete it)."""
        me = self.ownership.deployment
        if current is None:
            return None
        if status != OURS:
            self.warn("%s is not deployment '%s''s (%s); it was left as it is" % (resource.describe(current), me, status))
            return True
        if resource.mark == "manifest":
            return None
        if resource.mark == "attributes":
            owners, created = attribute_mark(current.get("attributes"))
        else:
            owners, created = description_mark(current.get("description"))[1], True
        others = [name for name in owners or [] if name != me]
        if others:
            return "%s kept: deployments %s still use it; only the mark of '%s' was removed" % (
                resource.describe(current), ", ".join(others), me)
        if not created:
            return "%s kept: deployment '%s' adopted it but did not create it; its mark was removed" % (
                resource.describe(current), me)
        users = self.referring_bindings(current) if resource.name == "group" else []
        if users:
            return "%s kept: %d policy binding(s) outside deployment '%s' still refer to it; its mark was removed" % (
                resource.describe(current), len(users), me)
        return None

    def referring_bindings(self, group):
        """Policy bindings to the group that the deployment did not make."""
        own = set(str(entry.get("pk")) for entry in self.ownership.entries("policy_binding"))
        bindings = self.client.list(self.resource("policy_binding").path(self.dialect), {})
        return [binding for binding in bindings
                if str(binding.get("group")) == str(group.get("pk")) and str(binding.get("pk")) not in own]

    def confirm_mark(self, resource, written):
        """After a write that carried this deployment's mark: re-read the object and add the mark again when a
        concurrent run overwrote it (two deployments that share a group write its attributes as a whole)."""
        if not self.ownership or resource.mark not in ("attributes", "description") or not (written or {}).get("pk"):
            return written
        return self.rewrite_mark(resource, written, add=True) or written

    def release_mark(self, resource, current):
        """Remove this deployment from an object's own mark (re-read and retried against concurrent runs)."""
        self.rewrite_mark(resource, current, add=False)

    def rewrite_mark(self, resource, obj, add):
        """Read-modify-write of an object's own mark until it names this deployment (add) or no longer does: the
        object as read at the end (None once it is gone). authentik keeps no version to compare against, so each write
        is checked by reading again; bounded by WRITE_ATTEMPTS."""
        me = self.ownership.deployment
        for dummy in range(WRITE_ATTEMPTS):
            fresh = self.client.get(resource.detail_path(self.dialect, obj), missing_ok=True)
            if fresh is None:
                return None
            if resource.mark == "attributes":
                owners, created = attribute_mark(fresh.get("attributes"))
                if owners is None and add:  # the whole mark was overwritten: keep what this run wrote
                    created = attribute_mark(obj.get("attributes"))[1]
            else:
                owners, created = description_mark(fresh.get("description"))[1], True
            owners = owners or []
            if (me in owners) == add:
                return fresh
            owners = owners + [me] if add else [o for o in owners if o != me]
            if resource.mark == "attributes":
                # with no deployment left the mark goes as a whole: the group is no longer the collection's
                payload = {"attributes": with_attribute_mark(fresh.get("attributes"), owners, created and bool(owners))}
            else:
                payload = {"description": with_description_mark(fresh.get("description"), owners)}
            what = ("the mark of deployment '%s' on %s, which a concurrent run overwrote" if add
                    else "removing the mark of deployment '%s' from %s")
            self.client.request("PATCH", resource.detail_path(self.dialect, obj), payload=payload,
                                what=what % (me, resource.describe(obj)))
        raise AuthentikError("%s: the mark of deployment '%s' %s; run again" % (
            resource.describe(obj), me,
            "kept being overwritten by concurrent runs" if add else "could not be removed against concurrent runs"))

    def verify(self, payload, entity):
        """authentik drops unknown fields silently; say so when a value did not stick."""
        if not isinstance(entity, dict):
            return
        with_type = self.dialect.redirect_uri_type
        for key, value in payload.items():
            if key not in entity or not values_equal(self.kind_of(key), value, entity.get(key), with_type):
                option = self._fields_by_api.get(key, (key, {}))[0]
                self.warn("authentik did not store %s as sent; this server (%s) may not support it"
                          % (option, version_string(self.dialect.version)))

    def finish(self, entity, before, after):
        resource = self.entity_resource
        self.result[self.result_key] = redact_object(resource, entity) if entity is not None else None
        self.result["pk"] = entity.get("pk") if entity is not None else None
        if entity is not None:
            self.result.update(self.extra_results(entity))
        if self._diff:
            self.result["diff"] = dict(before=before, after=after)
