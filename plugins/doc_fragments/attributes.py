# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared C(attributes) documentation: check mode, diff mode and action groups."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
"""

    # The usual case: a module that manages objects predicts its change in check mode and shows it in diff mode.
    CHECK_AND_DIFF = r"""
options: {}
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
"""

    # A module that changes things and predicts them in check mode, but has no diff to show.
    CHECK_WITHOUT_DIFF = r"""
options: {}
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

    CHECK_MODE_READ_ONLY = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This module never changes anything, so check mode changes nothing in its behaviour.
  diff_mode:
    support: none
"""

    AUTHENTIK_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/sso.authentik_minio.authentik) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - sso.authentik_minio.authentik
"""

    MINIO_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/sso.authentik_minio.minio) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - sso.authentik_minio.minio
"""
