#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: authentik_policy_binding
short_description: Restrict an authentik application to a group or a user
version_added: 1.0.0
description:
  - Creates, updates or deletes the policy binding that lets a group or a user use an application.
  - Once an application has any binding, only users who pass its bindings (see the application's
    C(policy_engine_mode)) may use it.
  - The binding is found by the pair of application and group (or user); more than one such binding is an error.
  - Only bindings that never expire are managed. authentik 2026.8 and newer can also hold temporary bindings (with
    C(expiring) set, such as an access request's); they are never adopted, changed, removed or counted here, and the
    ones seen for the same application and group (or user) are returned in RV(temporary_bindings).
  - Only the options that are set are compared and changed.
options:
  application:
    description:
      - Slug of the application.
    type: str
    required: true
  group:
    description:
      - Name of the group to bind. Exactly one of O(group) and O(user) is required.
    type: str
  user:
    description:
      - Username of the user to bind. Exactly one of O(group) and O(user) is required.
    type: str
  order:
    description:
      - Evaluation order among the application's bindings (lower first).
    type: int
    default: 0
  enabled:
    description:
      - Whether the binding is evaluated. authentik's default on create is V(true).
    type: bool
  negate:
    description:
      - Whether the result is inverted (members are then refused). authentik's default on create is V(false).
    type: bool
  evaluation_timeout:
    description:
      - Seconds after which evaluation is aborted (the binding's C(timeout) field; O(timeout) is the connection's).
        authentik's default on create is V(30).
      - authentik accepts V(0) to V(2147483647); a value outside that range is refused before authentik is asked.
    type: int
  failure_result:
    description:
      - The result when evaluation fails. authentik's default on create is V(false).
    type: bool
  state:
    description:
      - Whether the binding should exist.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - sso.authentik_minio.authentik
  - sso.authentik_minio.ownership
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.AUTHENTIK_GROUP
  - sso.authentik_minio.attributes.CHECK_AND_DIFF
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
- name: An application to protect
  sso.authentik_minio.authentik_application:
    slug: minio
    name: MinIO

- name: A group of MinIO users
  sso.authentik_minio.authentik_group:
    name: minio-users
    users:
      - akadmin

- name: Only members of minio-users may use MinIO
  sso.authentik_minio.authentik_policy_binding:
    application: minio
    group: minio-users
    order: 10

- name: The bootstrap admin too, directly
  sso.authentik_minio.authentik_policy_binding:
    application: minio
    user: akadmin
    order: 20
"""

RETURN = r"""
pk:
  description: Primary key (UUID) of the binding; null in check mode before it exists, and after deletion.
  returned: always
  type: str
  sample: 3e0c4f2a-8a0e-4c1b-9a47-6a2b51d0f1a3
binding:
  description: The binding as authentik returned it (C(target) is the application's pk); null when absent.
  returned: always
  type: dict
temporary_bindings:
  description:
    - The temporary bindings (authentik 2026.8 and newer) of the same application and group or user, left alone.
    - Each has the binding's C(pk), C(expires) (when it ends, or null) and C(enabled).
  returned: always
  type: list
  elements: dict
  sample: [{pk: 5d1c2a43-3f3e-4a39-9e35-2b0f3c1c2d11, expires: "2026-12-01T10:00:00Z", enabled: true}]
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikError
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_entity import AuthentikEntityModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_resources import binding_expires
from ansible_collections.sso.authentik_minio.plugins.module_utils._ranges import between

MAX_EVALUATION_TIMEOUT = 2147483647  # the binding's timeout is a PositiveIntegerField

ENTITY_SPEC = dict(
    application=dict(type="entity", resource="application", api="target", required=True),
    group=dict(type="entity", resource="group"),
    user=dict(type="entity", resource="user"),
    order=dict(type="int", default=0),
    enabled=dict(type="bool"),
    negate=dict(type="bool"),
    evaluation_timeout=dict(type="int", api="timeout"),
    failure_result=dict(type="bool"),
)


class PolicyBindingModule(AuthentikEntityModule):
    def refused_values(self):
        refused = super(PolicyBindingModule, self).refused_values()
        if self.params["evaluation_timeout"] is not None:
            refused.append(between("evaluation_timeout", self.params["evaluation_timeout"], 0, MAX_EVALUATION_TIMEOUT,
                                   "seconds", "authentik's"))
        return refused

    def find_current(self):
        """The binding of this application to this group or user (a policy binding has no natural key)."""
        who = "group" if self.params["group"] is not None else "user"
        application = self.find_one(self.resource("application"), "slug", self.params["application"])
        subject = self.find_one(self.resource(who), self.resource(who).key, self.params[who])
        self.result.setdefault("temporary_bindings", [])
        if application is None or subject is None:
            return None  # nothing can be bound yet; on create, resolving the references names what is missing
        self.remember(self.resource("application"), application)
        self.remember(self.resource(who), subject)
        bindings = self.client.list(self.entity_resource.path(self.dialect), {"target": application["pk"]})
        same = [binding for binding in bindings
                if str(binding.get("target")) == str(application["pk"]) and binding.get("policy") in (None, "")
                and str(binding.get(who)) == str(subject["pk"])]
        # a temporary binding is someone's grant that ends by itself: seen and reported, never ours to manage
        self.result["temporary_bindings"] = [dict(pk=binding.get("pk"), expires=binding.get("expires"),
                                                  enabled=binding.get("enabled")) for binding in same if binding_expires(binding)]
        matching = [binding for binding in same if not binding_expires(binding)]
        if len(matching) > 1:
            pks = ", ".join(str(binding["pk"]) for binding in matching)
            raise AuthentikError("more than one policy binding binds %s '%s' to application '%s' (pks %s); remove the extra ones"
                                 % (who, self.params[who], self.params["application"], pks))
        return matching[0] if matching else None

    def owner_key(self):
        """A binding has no natural key: the manifest records it as ``<application>/<group or user>:<name>``."""
        who = "group" if self.params["group"] is not None else "user"
        return "%s/%s:%s" % (self.params["application"], who, self.params[who])

    def patch_identity(self, current):
        # authentik's binding serializer validates target and group/user together on every save, so a
        # partial PATCH without them is refused (or fails) there; repeating them changes nothing
        identity = dict(target=current.get("target"))
        for who in ("group", "user"):
            if current.get(who) not in (None, ""):
                identity[who] = current[who]
        return identity


def main():
    PolicyBindingModule(
        "policy_binding",
        ENTITY_SPEC,
        "binding",
        mutually_exclusive=[("group", "user")],
        required_one_of=[("group", "user")],
    ).execute()


if __name__ == "__main__":
    main()
