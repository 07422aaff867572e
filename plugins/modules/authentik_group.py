#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: authentik_group
short_description: Manage groups in authentik
version_added: 1.0.0
description:
  - Creates, updates or deletes a group, found by its O(name), and sets its members.
  - Groups drive MinIO's policies through a scope mapping (C(ak_is_group_member)) and restrict applications
    through M(sso.authentik_minio.authentik_policy_binding).
  - Only the options that are set are compared and changed.
options:
  name:
    description:
      - Name of the group, used to find it. An empty name is refused.
    type: str
    required: true
  is_superuser:
    description:
      - Whether members are authentik superusers.
    type: bool
  attributes:
    description:
      - Custom attributes of the group; replaced as a whole when they differ.
    type: dict
  users:
    description:
      - Usernames of the members; the membership is set to exactly these users (order does not matter).
      - Every user must exist.
    type: list
    elements: str
  state:
    description:
      - Whether the group should exist.
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
- name: MinIO administrators, with the bootstrap admin as member
  sso.authentik_minio.authentik_group:
    name: minio-admins
    attributes:
      minio_policy: consoleAdmin
    users:
      - akadmin

- name: Read-only MinIO users (members managed elsewhere)
  sso.authentik_minio.authentik_group:
    name: minio-readers
    is_superuser: false
"""

RETURN = r"""
pk:
  description: Primary key (UUID) of the group; null in check mode before it exists, and after deletion.
  returned: always
  type: str
  sample: 0d9f7a2e-6ad2-4ac5-9a3b-0a1e1c2d3e4f
group:
  description: The group as authentik returned it (C(users) holds user pks); null when absent.
  returned: always
  type: dict
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_entity import AuthentikEntityModule

ENTITY_SPEC = dict(
    name=dict(type="str", required=True, not_empty=True),
    is_superuser=dict(type="bool"),
    attributes=dict(type="dict"),
    users=dict(type="entity_list", resource="user"),
)


def main():
    AuthentikEntityModule("group", ENTITY_SPEC, "group").execute()


if __name__ == "__main__":
    main()
