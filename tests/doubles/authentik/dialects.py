# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What changes between authentik releases, as each release's serializers and official client show it.

A dialect is derived from a version string; ``--api-version 2024.10`` means the newest patch release
of that line we know of, ``--api-version 2024.10.1`` that exact release (so patch-level changes such
as the ``redirect_uris`` format of 2024.8.5 / 2024.10.3 can be exercised too).
"""

from __future__ import annotations

import re

# The patch release reported for a bare "YYYY.M" line (the newest one the double emulates).
LATEST_PATCH = {
    (2024, 6): 4,
    (2024, 8): 6,
    (2024, 10): 5,
    (2024, 12): 3,
    (2025, 2): 4,
    (2025, 4): 4,
    (2025, 6): 4,
    (2025, 8): 4,
    (2025, 10): 3,
    (2025, 12): 4,  # the recordings' release; 2025.12.6 differs in nothing the double models
    (2026, 2): 7,
    (2026, 5): 8,  # there is no 2026.5.1
    (2026, 8): 5,
}

DEFAULT_VERSION = "2025.12"


def parse_version(text):
    match = re.fullmatch(r"(\d{4})\.(\d{1,2})(?:\.(\d+))?", text.strip())
    if not match:
        raise ValueError("unsupported --api-version %r (expected YYYY.M or YYYY.M.P)" % text)
    year, month = int(match.group(1)), int(match.group(2))
    if (year, month) not in LATEST_PATCH:
        raise ValueError("unknown authentik release line %d.%d; known: %s" % (
            year, month, ", ".join("%d.%d" % k for k in sorted(LATEST_PATCH))))
    patch = int(match.group(3)) if match.group(3) is not None else LATEST_PATCH[(year, month)]
    return (year, month, patch)


class Dialect:
    """Feature switches of one release. Attribute names say what the release has."""

    def __init__(self, text=DEFAULT_VERSION):
        self.version = parse_version(text)
        self.version_string = "%d.%d.%d" % self.version
        line = self.version[:2]
        v = self.version
        self.line = line
        # REST paths and filters
        self.scope_mapping_path = "propertymappings/provider/scope" if line >= (2024, 8) else "propertymappings/scope"
        self.pm_all_name_filter = line >= (2024, 8)  # /propertymappings/all/ gained name/managed filters in 2024.8
        self.managed_isnull_filter = line >= (2024, 8)
        # provider fields
        # redirect_uris became a list of {matching_mode, url} in the CVE-2024-52289 patch releases 2024.8.5 and 2024.10.3
        self.redirect_uris_list = v >= (2024, 10, 3) or ((2024, 8, 5) <= v < (2024, 10, 0))
        self.invalidation_flow = line >= (2024, 10)
        self.encryption_key = line >= (2024, 10)
        self.jwt_federation = line >= (2024, 12)  # jwks_sources before
        self.backchannel_logout_uri = line == (2025, 8)
        self.logout_uri = line >= (2025, 10)
        self.refresh_token_threshold = line >= (2025, 10)
        self.grant_types = line >= (2026, 5)
        self.redirect_uri_type = line >= (2026, 5)
        self.token_exchange = line >= (2026, 8)  # + urn:ietf:params:oauth:grant-type:token-exchange
        self.dcr_registration = line >= (2026, 8)  # setup_urls gains dcr_registration (null unless DCR is set up)
        # the generic Provider of Application.provider_obj: authorization_flow/invalidation_flow nullable (2026.8.1)
        self.provider_flows_nullable = v >= (2026, 8, 1)
        # applications
        self.app_slug_max_50 = line <= (2025, 10)
        self.meta_icon_writable = line >= (2025, 12)
        self.meta_icon_themed_urls = line >= (2026, 2)
        self.meta_hide = line >= (2026, 5)
        self.pbm_uuid = line >= (2026, 8)  # Application.pbm_uuid after pk (read-only; the same UUID as pk)
        # policy bindings: read-only expires/expiring (temporary grants such as access requests'); the engine skips
        # expired ones
        self.expiring_bindings = line >= (2026, 8)
        # a binding's group_obj/user_obj: PartialGroup/PartialUser since 2025.10, the full Group/User before
        self.binding_partial_objs = line >= (2025, 10)
        self.reserved_slugs = line >= (2024, 8)  # "newer versions validate"; 2025.12 was observed validating
        # groups
        self.group_parents = line >= (2025, 12)  # single "parent" before
        self.group_children = line >= (2025, 8)
        # keypairs
        self.key_type = line >= (2025, 12)  # "private_key_type" before
        # defaults and listing
        self.email_verified = line < (2025, 10)  # the default email mapping sends False since 2025.10
        self.autocomplete = line >= (2025, 8)
        # users/me: + users (the session's accounts), UserSelf + is_current
        self.users_me_users = line >= (2026, 8)
        # the tenant's default token duration: days=1 on fresh installs from 2026.8.1 (existing installs keep 30 min);
        # an API token's expiry and an app password's maximum lifetime
        self.default_token_minutes = 24 * 60 if v >= (2026, 8, 1) else 30
        self.default_page_size = 20 if line >= (2025, 12) else 100
        self.max_page_size = 100 if line >= (2025, 12) else None
        self.version_latest_valid = line >= (2024, 4)
        self.outpost_outdated = line >= (2024, 8)
        # seed objects
        self.provider_invalidation_flow = line >= (2024, 10)
        self.entitlements_scope = line >= (2024, 12)

    def __repr__(self):
        return "Dialect(%s)" % self.version_string
