# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: what differs between the authentik releases we support.

Only the differences that the modules' paths and payloads depend on are listed; everything else is common. Each
release line up to ``NEWEST_VERIFIED_LINE`` that the tests name is verified against that release's official
client (tests/contract).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

MINIMUM_VERSION = (2024, 6, 0)
# The newest release line the collection's tests verify (a dialect of the test double and the official client of
# that release). A newer server is used, with a warning naming this release: the line after it (2026.11) moves the
# client secret into a separate object, which nothing here has been checked against.
NEWEST_VERIFIED_LINE = (2026, 8)
NEWEST_VERIFIED_RELEASE = (2026, 8, 5)

# The first release line that has each feature the modules' paths and payloads depend on. Modules and the role ask a
# Dialect (``dialect.has("grant_types")``, ``dialect.features()``), never compare release strings themselves.
FEATURES = {
    # 2024.8 moved scope mappings under provider/ and removed the old path without an alias
    "scope_mapping_under_provider": (2024, 8),
    "invalidation_flow": (2024, 10),
    "refresh_token_threshold": (2025, 10),
    # OAuth2 providers list the grant types they accept; one not listed is refused at the token endpoint
    "grant_types": (2026, 5),
    "redirect_uri_type": (2026, 5),
    # the token exchange grant type (RFC 8693)
    "token_exchange": (2026, 8),
    # policy bindings carry ``expires``/``expiring`` (read-only); an expiring one is a temporary grant
    "expiring_bindings": (2026, 8),
}

GRANT_TYPES = ["authorization_code", "implicit", "hybrid", "refresh_token", "client_credentials", "password",
               "urn:ietf:params:oauth:grant-type:device_code"]
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
# What a provider created without grant types gets from the modules: authentik stores an empty list otherwise,
# and such a provider refuses every login.
DEFAULT_GRANT_TYPES = ["authorization_code", "refresh_token"]

_VERSION_RE = re.compile(r"^\s*(\d{4})\.(\d{1,2})(?:\.(\d+))?")


def parse_version(text):
    """``"2025.10.0-rc1"`` -> ``(2025, 10, 0)``; ``ValueError`` when it is not an authentik version."""
    match = _VERSION_RE.match(text or "")
    if not match:
        raise ValueError("not an authentik version: %r" % (text,))
    return (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def version_string(version):
    return "%d.%d.%d" % tuple(version)


def line_string(since):
    return "%d.%d" % tuple(since[:2])


class Dialect(object):
    """Feature switches for one authentik release; attribute names say what the release has."""

    def __init__(self, version):
        self.version = tuple(version)
        v = self.version
        line = v[:2]
        self.supported = v >= MINIMUM_VERSION
        self.newer_than_verified = line > NEWEST_VERIFIED_LINE
        self.scope_mapping_path = "propertymappings/provider/scope/" if self.has("scope_mapping_under_provider") \
            else "propertymappings/scope/"
        # CVE-2024-52289 changed redirect_uris from a newline-separated string into a list of
        # {matching_mode, url} in the patch releases 2024.8.5 and 2024.10.3.
        self.redirect_uris_list = v >= (2024, 10, 3) or (2024, 8, 5) <= v < (2024, 10, 0)
        self.invalidation_flow = self.has("invalidation_flow")
        self.refresh_token_threshold = self.has("refresh_token_threshold")
        self.grant_types = self.has("grant_types")
        self.redirect_uri_type = self.has("redirect_uri_type")
        self.expiring_bindings = self.has("expiring_bindings")
        # the grant types the server accepts (empty before it has any)
        self.grant_type_choices = (GRANT_TYPES + ([TOKEN_EXCHANGE] if self.has("token_exchange") else [])) \
            if self.grant_types else []

    def has(self, since):
        """True when this release has ``since``: a feature name of ``FEATURES`` or a release tuple such as ``(2024, 10)``."""
        if since is None:
            return True
        if not isinstance(since, tuple):
            since = FEATURES[since]
        return self.version[:len(since)] >= tuple(since)

    def features(self):
        """What the server has, by feature name, for playbooks and roles (``authentik_info``'s ``features``)."""
        result = dict((name, self.has(name)) for name in sorted(FEATURES))
        result["grant_type_choices"] = list(self.grant_type_choices)
        result["default_grant_types"] = list(DEFAULT_GRANT_TYPES) if self.grant_types else []
        return result

    def __repr__(self):
        return "Dialect(%s)" % version_string(self.version)


def first_release(since):
    """``"2026.5"`` for a feature name or a release tuple: where it appears."""
    return line_string(FEATURES[since] if not isinstance(since, tuple) else since)
