# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What stands for a secret wherever a value is shown: diffs, messages, errors.

FOR INTERNAL COLLECTION USE ONLY: this is not a public API and may change without notice.

One marker for both halves, so that a diff of an authentik provider and one of MinIO's identity_openid read alike;
the second form says that the secret changes without showing either value.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

HIDDEN = "********"
HIDDEN_CHANGED = "******** (changed)"
