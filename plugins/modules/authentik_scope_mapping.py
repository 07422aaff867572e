#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: authentik_scope_mapping
short_description: Manage OAuth2 scope mappings in authentik
version_added: 1.0.0
description:
  - Creates, updates or deletes an OAuth2/OpenID scope mapping (a property mapping that adds claims
    to tokens when a client requests its scope), found by its O(name).
  - Only the options that are set are compared and changed.
options:
  name:
    description:
      - Name of the mapping; unique in authentik and used to find it. An empty name is refused.
    type: str
    required: true
  scope_name:
    description:
      - The scope a client requests to get this mapping's claims, for example V(minio).
      - One token without white space (a client requests scopes as a space-separated list); a scope name with a
        space, or an empty one, is refused before authentik is asked.
      - Required to create the mapping.
    type: str
  expression:
    description:
      - Python expression returning a dict of claims (or V(None) to add nothing).
      - Compared exactly as written. authentik runs it as the body of a function, so a bare C(return) is fine.
      - Its syntax is checked the same way before authentik is asked (compiled, never run, with the Python that runs
        the module, which should be as new as authentik's); an expression that does not compile is refused.
      - Required to create the mapping.
    type: str
  description:
    description:
      - Shown to the user on the consent screen; empty means the user is not told about this scope.
    type: str
  state:
    description:
      - Whether the mapping should exist.
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
- name: Give MinIO a policy claim from group membership
  sso.authentik_minio.authentik_scope_mapping:
    name: MinIO policy
    scope_name: minio
    description: Your MinIO policy
    expression: |
      if ak_is_group_member(request.user, name="minio-admins"):
          return {"policy": "consoleAdmin"}
      return {"policy": "readonly"}

- name: Remove an obsolete mapping
  sso.authentik_minio.authentik_scope_mapping:
    name: Old MinIO policy
    state: absent
"""

RETURN = r"""
pk:
  description: Primary key (UUID) of the mapping; null in check mode before it exists, and after deletion.
  returned: always
  type: str
  sample: 6badc6fe-b596-40bb-bd10-729e27a7cdc8
scope_mapping:
  description: The mapping as authentik returned it; null when absent.
  returned: always
  type: dict
  sample:
    pk: 6badc6fe-b596-40bb-bd10-729e27a7cdc8
    name: MinIO policy
    scope_name: minio
    description: Your MinIO policy
    expression: 'return {"policy": "readonly"}'
    managed: null
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_entity import AuthentikEntityModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_normalize import SCOPE_TOKEN

ENTITY_SPEC = dict(
    name=dict(type="str", required=True, not_empty=True),
    scope_name=dict(type="str", create_required=True, not_empty=True, pattern=SCOPE_TOKEN),
    expression=dict(type="str", create_required=True, python_body=True),
    description=dict(type="str"),
)


def main():
    AuthentikEntityModule("scope_mapping", ENTITY_SPEC, "scope_mapping").execute()


if __name__ == "__main__":
    main()
