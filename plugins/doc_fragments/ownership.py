# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ownership options of the modules that change authentik objects (declared once, see _authentik_entity.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  owner:
    description:
      - The deployment (a MinIO wired to authentik, named by its application slug) that owns the object.
      - When set, the module changes or removes the object only when it carries this deployment's ownership mark, and
        marks what it creates. An existing object without the mark stops the task before any write, unless O(adopt)
        is set; an object that authentik manages itself is never changed.
      - Groups keep the mark in their C(attributes), scope mappings at the end of their C(description); providers,
        applications, policy bindings and service accounts are listed in the deployment's manifest, the attributes of
        the group C(sso.authentik_minio/<owner>). See M(sso.authentik_minio.authentik_deployment).
      - Groups and scope mappings may be shared on purpose by several deployments; each one adds itself to the mark,
        and O(state=absent) removes only its own name until the last one goes.
      - When not set, the object is found and changed by its name alone.
    type: str
  adopt:
    description:
      - With O(owner), take over an existing object that carries no ownership mark (made by hand, or by version
        1.0.0 of this collection) and mark it as O(owner)'s.
      - A provider that serves another application is never adopted.
    type: bool
    default: false
"""
