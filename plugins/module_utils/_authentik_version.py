# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: what differs between the authentik releases we support.

The table follows the version history in the project's authentik API reference (section 3). Only the
differences that the modules' paths and payloads depend on are listed; everything else is common.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

MINIMUM_VERSION = (2024, 6, 0)
# Releases after this were not checked against the reference (the client secret moves into a separate
# object on authentik's main branch after 2026.8); they are used but the modules warn.
NEWEST_KNOWN_LINE = (2026, 12)

_VERSION_RE = re.compile(r"^\s*(\d{4})\.(\d{1,2})(?:\.(\d+))?")


def parse_version(text):
    """``"2025.10.0-rc1"`` -> ``(2025, 10, 0)``; ``ValueError`` when it is not an authentik version."""
    match = _VERSION_RE.match(text or "")
    if not match:
        raise ValueError("not an authentik version: %r" % (text,))
    return (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def version_string(version):
    return "%d.%d.%d" % tuple(version)


class Dialect(object):
    """Feature switches for one authentik release; attribute names say what the release has."""

    def __init__(self, version):
        self.version = tuple(version)
        v = self.version
        line = v[:2]
        self.supported = v >= MINIMUM_VERSION
        self.newer_than_known = line > NEWEST_KNOWN_LINE
        # 2024.8 moved scope mappings under provider/ and removed the old path without an alias.
        self.scope_mapping_path = "propertymappings/provider/scope/" if line >= (2024, 8) else "propertymappings/scope/"
        # CVE-2024-52289 changed redirect_uris from a newline-separated string into a list of
        # {matching_mode, url} in the patch releases 2024.8.5 and 2024.10.3.
        self.redirect_uris_list = v >= (2024, 10, 3) or (2024, 8, 5) <= v < (2024, 10, 0)
        self.invalidation_flow = line >= (2024, 10)
        self.refresh_token_threshold = line >= (2025, 10)
        self.grant_types = line >= (2026, 5)
        self.redirect_uri_type = line >= (2026, 5)

    def has(self, since):
        """True when this release is at least ``since`` (a tuple such as ``(2024, 10)``)."""
        return since is None or self.version >= tuple(since)

    def __repr__(self):
        return "Dialect(%s)" % version_string(self.version)
