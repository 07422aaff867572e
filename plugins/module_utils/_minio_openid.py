# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired-versus-stored comparison for one ``identity_openid`` target.

FOR INTERNAL COLLECTION USE ONLY: this is not a public API and may change without notice.

The stored side always comes from the config export, which is fresh and carries client_secret.
``get-config-kv`` shows the values MinIO booted with (never the secret): compared with the stored ones, it tells
whether a stored change still waits for a restart.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_kv import DEFAULT_TARGET, KVError, format_pairs
from ansible_collections.sso.authentik_minio.plugins.module_utils._secret_marker import HIDDEN as REDACTED, HIDDEN_CHANGED as REDACTED_CHANGED
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_openid_keys import (
    DEFAULTS,
    KEYS,
    LIST_KEYS,
    OPTION_KEYS,
    REQUIRED_ON_CREATE,
    SECRET_KEYS,
    URL_KEYS,
    normalise,
    stored_value,
    to_kv_value,
)


def check_list_items(key, items):
    """Comma-joined lists cannot hold empty items, commas or white space; MinIO would split or refuse them."""
    for item in items:
        if not item.strip() or "," in item or any(ch.isspace() for ch in item.strip()):
            return "%s items must be non-empty words without commas or spaces, got %r" % (key, item)
    return None


def desired_values(params):
    """Option -> KV string for the key options the user set, checked before anything is sent: list items,
    what MinIO's KV parser would store differently, URLs, scopes and vendor. Returns ``(desired, problem)``."""
    desired = {}
    for key in OPTION_KEYS:
        if params.get(key) is None:
            continue
        if key in LIST_KEYS:
            problem = check_list_items(key, params[key])
            if problem:
                return desired, problem
        desired[key] = to_kv_value(key, params[key])
    try:
        format_pairs(desired.items())
    except KVError as exc:
        return desired, str(exc)
    return desired, check_values(desired)


# MinIO knows one vendor (openid.LookupConfig: keyCloakVendor); any other is refused with "Unsupported vendor".
VENDORS = ("", "keycloak")


def _http_url_problem(value):
    """None for an absolute http(s) URL with a host, else what is wrong with it."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return "must be an http:// or https:// URL"
    if not parts.netloc or not parts.hostname:
        return "must be an http:// or https:// URL with a host"
    return None


def check_values(desired):
    """What MinIO refuses in the values given (option -> KV string), found before anything is sent: a config_url,
    redirect_uri or keycloak_admin_url that is not an http(s) URL, scopes without openid, a vendor other than
    keycloak. An empty value clears the key and is not checked. Returns a message or None."""
    for key in URL_KEYS:
        value = desired.get(key)
        if value:
            problem = _http_url_problem(value)
            if problem:
                return "%s: %s (got %r)" % (key, problem, value)
    scopes = desired.get("scopes")
    if scopes and "openid" not in normalise("scopes", scopes):
        return "scopes: must include openid, without which the provider issues no ID token (got %r)" % scopes
    vendor = desired.get("vendor")
    if vendor is not None and vendor not in VENDORS:
        return "vendor: MinIO supports only keycloak (or '' for none) (got %r)" % vendor
    return None


def vendor_conflict(values):
    """MinIO's keycloak vendor needs keycloak_admin_url. ``values``: the target as it would be stored."""
    if values.get("vendor") == "keycloak" and not values.get("keycloak_admin_url"):
        return ("keycloak_admin_url: vendor keycloak needs keycloak_admin_url, MinIO refuses it without "
                "(got %r)" % values.get("keycloak_admin_url", ""))
    return None


def claim_conflict(values):
    """MinIO refuses role_policy with a claim_name other than its default (openid.LookupConfig); say so before
    sending, and name both options. ``values``: the target as it would be stored (stored merged with desired)."""
    claim_name = values.get("claim_name", DEFAULTS["claim_name"])
    if values.get("role_policy") and claim_name not in ("", DEFAULTS["claim_name"]):
        return ("claim_name %r and role_policy cannot both be set: MinIO grants policies either from a claim or by role_policy"
                % claim_name)
    return None


def target_exists(name, entry):
    """A named target exists once stored. The default one always exists in MinIO's config (with
    defaults), so it counts as configured when it has a provider (config_url, client_id or secret)
    or was switched off on purpose."""
    if entry is None:
        return False
    if name != DEFAULT_TARGET:
        return True
    values = entry["values"]
    return any(values.get(key) for key in REQUIRED_ON_CREATE) or values.get("enable") == "off"


def is_enabled(values):
    """``enable`` is stored as on, off or empty; empty counts as on for a configured target."""
    return values.get("enable", "") != "off"


def redact(values):
    return dict((k, (REDACTED if (k in SECRET_KEYS and v) else v)) for k, v in values.items())


def plan_present(current, desired, enabled):
    """Compare and return ``(changes, after)``.

    ``current``: stored values of the target ({} when it does not exist); ``desired``: option ->
    KV string for the options the user set. ``changes`` is the ordered list of (key, value) to send,
    only the keys that differ: MinIO merges them into the stored target. ``enable`` is sent when it
    must change, and always as ``off`` when the target must stay disabled, because every set
    without ``enable`` turns the target back on.
    """
    changes = []
    for key in KEYS:
        if key == "enable" or key not in desired:
            continue
        # MinIO stores every key of an existing target; one the export does not show has its default.
        stored = stored_value(current, key) if current else None
        if stored is None or normalise(key, stored) != normalise(key, desired[key]):
            changes.append((key, desired[key]))
    enable_changes = bool(current) and is_enabled(current) != enabled
    if not enabled and (changes or enable_changes or not current):
        changes.insert(0, ("enable", "off"))
    elif enabled and enable_changes:
        changes.insert(0, ("enable", "on"))
    after = dict(current)
    after.update(changes)
    return changes, after


def pending_keys(name, stored_entry, running_entry):
    """Keys whose stored value MinIO does not run with yet: a change stored without a restart since.

    ``stored_entry`` from the export, ``running_entry`` from get-config-kv (None when absent). The secret cannot be
    compared, as get-config-kv never shows it. ``enable`` stands for a target stored but not running or the reverse.
    """
    stored_exists = target_exists(name, stored_entry)
    running_exists = target_exists(name, running_entry)
    stored = stored_entry["values"] if stored_exists else {}
    running = running_entry["values"] if running_exists else {}
    keys = []
    if stored_exists != running_exists or (stored_exists and is_enabled(stored) != is_enabled(running)):
        keys.append("enable")
    if stored_exists and running_exists:
        for key in KEYS:
            if key == "enable" or key in SECRET_KEYS:
                continue
            if normalise(key, stored_value(stored, key)) != normalise(key, stored_value(running, key)):
                keys.append(key)
    elif stored_exists or running_exists:
        values = stored or running
        keys.extend(key for key in KEYS if key != "enable" and key not in SECRET_KEYS and values.get(key))
    return keys


def diff_view(values, secret_changed=False):
    """Values for ``diff`` and ``config`` with the secrets redacted (marked when they change); ``enable`` as on/off."""
    view = redact(values)
    for key in SECRET_KEYS:
        if key in view and secret_changed:
            view[key] = REDACTED_CHANGED
    if view:
        view["enable"] = "on" if is_enabled(values) else "off"
    return dict(sorted(view.items()))
