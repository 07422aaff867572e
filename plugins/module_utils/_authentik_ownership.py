# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: which authentik objects belong to which deployment.

A *deployment* is one MinIO wired to authentik, named by its application slug. The collection changes and removes
only objects that carry its deployment's ownership mark, or that the user told it to adopt. Where the mark lives
depends on the object kind (``Resource.mark``):

``attributes``
    groups: ``attributes["sso.authentik_minio"] = {"deployments": [...], "created": bool}``. A group is shared by
    nature: several deployments may name it; it is deleted only when the collection created it, no deployment is
    left in its mark and no binding refers to it.
``description``
    scope mappings: a suffix ``[sso.authentik_minio: dep-a, dep-b]`` of the description (the only free-text field of
    a scope mapping). Shared like a group; deleted with the last deployment.
``manifest``
    providers, applications, policy bindings and the login check's service accounts have no field for a mark. Each
    deployment keeps a *manifest*: the attributes of a group of its own, ``sso.authentik_minio/<deployment>``, list
    ``{"key", "pk"}`` per object. An entry is written *before* the create with ``pk`` null (pending) and completed
    after it, so an object created by a run that was then killed is still found to be this deployment's.

Every read-modify-write of a mark re-reads the object afterwards and tries again when a concurrent run overwrote it
(authentik replaces ``attributes`` as a whole; there is no version to compare against).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikError

MARK_KEY = "sso.authentik_minio"
MANIFEST_PREFIX = MARK_KEY + "/"
DESCRIPTION_MARK = re.compile(r"\s*\[%s: ([^\]]*)\]\s*$" % re.escape(MARK_KEY))
WRITE_ATTEMPTS = 5  # read-modify-write rounds against concurrent runs before giving up
DEPLOYMENT_NAME = re.compile(r"^[-a-zA-Z0-9_]+$")  # an application slug (authentik's SlugField)

OURS, SHARED, UNMARKED, FOREIGN, MANAGED = "ours", "shared", "unmarked", "foreign", "managed"
LOGIN_CHECK_KIND = "user"  # a login check's account is a service account, a user in the manifest


def check_deployment_name(name, option="owner"):
    if not DEPLOYMENT_NAME.match(name or ""):
        raise AuthentikError("%s: '%s' is not a deployment name; use the application slug (letters, digits, - and _)"
                             % (option, name))


# marks carried by the object itself ---------------------------------------------------------------
def attribute_mark(attributes):
    """``(deployments, created)`` from a group's attributes; ``(None, False)`` when unmarked."""
    mark = (attributes or {}).get(MARK_KEY)
    if not isinstance(mark, dict):
        return None, False
    return sorted(set(str(name) for name in mark.get("deployments") or [])), bool(mark.get("created"))


def with_attribute_mark(attributes, deployments, created):
    result = dict(attributes or {})
    if deployments or created:
        result[MARK_KEY] = {"deployments": sorted(set(deployments)), "created": bool(created)}
    else:
        result.pop(MARK_KEY, None)
    return result


def description_mark(text):
    """``(text without the mark, deployments or None)``."""
    text = text or ""
    found = DESCRIPTION_MARK.search(text)
    if not found:
        return text, None
    names = sorted(set(name.strip() for name in found.group(1).split(",") if name.strip()))
    return text[:found.start()], names


def with_description_mark(text, deployments):
    base = description_mark(text)[0]
    if not deployments:
        return base
    return "%s%s[%s: %s]" % (base, " " if base else "", MARK_KEY, ", ".join(sorted(set(deployments))))


def manifest_name(deployment):
    return MANIFEST_PREFIX + deployment


class Ownership(object):
    """One deployment's view of ownership on one authentik server, for one module run."""

    def __init__(self, module, deployment, adopt=False):
        check_deployment_name(deployment)
        self.module = module
        self.deployment = deployment
        self.adopt = adopt
        self._manifest = None
        self._manifest_read = False

    # the manifest -------------------------------------------------------------------------------
    @property
    def groups(self):
        return self.module.resource("group")

    def manifest(self, fresh=False):
        """The deployment's manifest group, or None."""
        if fresh or not self._manifest_read:
            self._manifest = self.module.find_one(self.groups, "name", manifest_name(self.deployment))
            self._manifest_read = True
        return self._manifest

    def entries(self, kind):
        group = self.manifest()
        mark = ((group or {}).get("attributes") or {}).get(MARK_KEY) or {}
        return [dict(entry) for entry in (mark.get("objects") or {}).get(kind) or [] if isinstance(entry, dict)]

    def recorded(self, kind, obj, key):
        """Whether the manifest lists ``obj`` (by pk, or as a pending create of ``key``)."""
        for entry in self.entries(kind):
            if entry.get("pk") is not None and obj.get("pk") is not None and str(entry["pk"]) == str(obj["pk"]):
                return True
            if entry.get("pk") is None and key is not None and entry.get("key") == key:
                return True
        return False

    def record(self, kind, key, pk=None, **extra):
        """Add or complete the entry of ``key`` (written before a create with pk None, completed after it)."""
        def change(objects):
            entries = objects.get(kind, [])
            same = [entry for entry in entries if entry.get("key") == key or (pk is not None and str(entry.get("pk")) == str(pk))]
            entry = {}
            for earlier in same:  # completing a pending entry keeps what was recorded with it
                entry.update(earlier)
            entry.update(extra, key=key, pk=pk)
            objects[kind] = [other for other in entries if other not in same] + [entry]
        self._update_manifest(change, create=True)

    def forget(self, kind, key=None, pk=None):
        def change(objects):
            objects[kind] = [entry for entry in objects.get(kind, [])
                             if not ((key is not None and entry.get("key") == key)
                                     or (pk is not None and str(entry.get("pk")) == str(pk)))]
            if not objects[kind]:
                del objects[kind]
        if self.manifest() is not None:
            self._update_manifest(change, create=False)

    def _manifest_objects(self, group):
        mark = ((group or {}).get("attributes") or {}).get(MARK_KEY) or {}
        objects = mark.get("objects") or {}
        return dict((kind, [dict(entry) for entry in entries if isinstance(entry, dict)]) for kind, entries in objects.items())

    def _update_manifest(self, change, create):
        client, dialect = self.module.client, self.module.dialect
        for dummy in range(WRITE_ATTEMPTS):
            group = self.manifest(fresh=True)
            if group is None:
                if not create:
                    return
                objects = {}
                change(objects)
                attributes = {MARK_KEY: {"manifest": self.deployment, "objects": objects}}
                try:
                    payload = {"name": manifest_name(self.deployment), "attributes": attributes}
                    client.request("POST", self.groups.path(dialect), payload=payload,
                                   what="the creation of the manifest of deployment '%s'" % self.deployment)
                except AuthentikError as exc:
                    if exc.status != 400:  # 400: a concurrent run created it first; read it and go on
                        raise
                continue
            objects = self._manifest_objects(group)
            wanted = self._manifest_objects(group)
            change(wanted)
            if wanted == objects:
                self._manifest = group
                return
            attributes = dict(group.get("attributes") or {})
            attributes[MARK_KEY] = {"manifest": self.deployment, "objects": wanted}
            client.request("PATCH", self.groups.detail_path(dialect, group), payload={"attributes": attributes},
                           what="the update of the manifest of deployment '%s'" % self.deployment)
        raise AuthentikError("the manifest of deployment '%s' (group '%s') kept changing under concurrent runs; "
                             "%d attempts to record the change failed, run again"
                             % (self.deployment, manifest_name(self.deployment), WRITE_ATTEMPTS))

    def remove_manifest(self):
        """Delete the manifest group; refused while it still lists objects."""
        group = self.manifest(fresh=True)
        if group is None:
            return False
        left = {}
        for kind, entries in self._manifest_objects(group).items():
            alive = [entry for entry in entries if self._exists(kind, entry)]
            if alive:
                left[kind] = alive
        if left:
            raise AuthentikError("the manifest of deployment '%s' still lists %s; remove them first"
                                 % (self.deployment, ", ".join("%d %s" % (len(v), k) for k, v in sorted(left.items()))))
        if not self.module.check_mode:
            self.module.client.request("DELETE", self.groups.detail_path(self.module.dialect, group), missing_ok=True,
                                       what="the deletion of the manifest of deployment '%s'" % self.deployment)
        return True

    def _exists(self, kind, entry):
        """Whether a manifest entry's object is still there (one deleted with its application is not)."""
        resource = self.module.resource(kind)
        if entry.get("pk") is None:
            return resource.key is not None and self.module.find_one(resource, resource.key, entry.get("key")) is not None
        ident = entry.get("key") if resource.detail_by != "pk" else entry["pk"]
        return self.module.client.get(resource.detail_path(self.module.dialect, ident), missing_ok=True) is not None

    def renamed(self, resource):
        """The deployment's one object of a kind, found through the manifest when its name changed; or None."""
        entries = [entry for entry in self.entries(resource.name) if entry.get("pk") is not None]
        if len(entries) != 1:
            return None
        found = self.module.client.get(resource.detail_path(self.module.dialect, entries[0]["pk"]), missing_ok=True)
        return found if isinstance(found, dict) else None

    # classification -----------------------------------------------------------------------------
    def owners(self, resource, obj):
        """The deployments an object's own mark names (None when unmarked or the kind keeps no mark in it)."""
        if resource.mark == "attributes":
            return attribute_mark(obj.get("attributes"))[0]
        if resource.mark == "description":
            return description_mark(obj.get("description"))[1]
        return None

    def status(self, resource, obj, key=None):
        """OURS, SHARED (another deployment's mark on a shareable kind), UNMARKED, FOREIGN or MANAGED."""
        if obj.get("managed"):
            return MANAGED
        if resource.mark == "manifest":
            if self.recorded(resource.name, obj, key):
                return OURS
            return UNMARKED
        owners = self.owners(resource, obj)
        if owners is None:
            return UNMARKED
        return OURS if self.deployment in owners else SHARED

    def check(self, resource, obj, key=None):
        """The status of an existing object this deployment is about to change; refuses what is not ours."""
        status = self.status(resource, obj, key)
        what = resource.describe(obj)
        if status == MANAGED:
            raise AuthentikError("%s is managed by authentik itself (managed '%s'); deployment '%s' never changes it, "
                                 "choose another name" % (what, obj.get("managed"), self.deployment))
        serves = obj.get("assigned_application_slug")
        if status == UNMARKED and resource.name == "oauth2_provider" and serves not in (None, "", self.deployment):
            raise AuthentikError("%s serves application '%s', not deployment '%s'; nothing was changed. A deployment "
                                 "adopts only a provider of its own application, choose another name"
                                 % (what, serves, self.deployment))
        if status == UNMARKED and not self.adopt:
            raise AuthentikError("%s exists and does not carry the ownership mark of deployment '%s' (made by hand, by "
                                 "another tool or by sso.authentik_minio 1.0.0); nothing was changed. Choose another "
                                 "name, or set adopt to true to take it over" % (what, self.deployment))
        return status
