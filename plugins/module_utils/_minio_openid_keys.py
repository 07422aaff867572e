# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the ``identity_openid`` keys, declared once.

Every key of the subsystem is one row of ``KEY_TABLE``, in MinIO's DefaultKVS order (RELEASE.2025-10-15;
user_readable_claim and user_id_claim exist since 2025-04-22). A row says:

- ``type``: the module option's type (``str``, ``list`` of str, ``bool``), or None for ``enable``, which the
  module drives through ``enabled``/``state`` rather than as a key option;
- ``secret``: MinIO's config export carries it but get-config-kv never shows it; ``no_log`` and redacted in diffs;
- ``default``: the value MinIO stores when the key is not set (DefaultKVS); the export leaves a key out when it
  holds its default, so a missing key compares as this;
- ``url``: the value must be an absolute http(s) URL (MinIO fetches or redirects to it);
- ``required_on_create``: an enabled target cannot be created without it.

Everything else is derived: the argument spec of the key options, the KV encoding (list -> comma-joined,
bool -> on/off), the comparison on meaning, the redaction, the key lists ``_minio_kv`` parses with.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict


def _key(type=None, secret=False, default="", url=False, required_on_create=False):  # pylint: disable=redefined-builtin
    return dict(type=type, secret=secret, default=default, url=url, required_on_create=required_on_create)


KEY_TABLE = OrderedDict([
    ("enable", _key(default="on")),
    ("display_name", _key("str")),
    ("config_url", _key("str", url=True, required_on_create=True)),
    ("client_id", _key("str", required_on_create=True)),
    ("client_secret", _key("str", secret=True, required_on_create=True)),
    ("claim_name", _key("str", default="policy")),
    ("claim_userinfo", _key("bool")),
    ("role_policy", _key("list")),
    ("claim_prefix", _key("str")),
    ("redirect_uri", _key("str", url=True)),
    ("redirect_uri_dynamic", _key("bool", default="off")),
    ("scopes", _key("list")),
    ("vendor", _key("str")),
    ("keycloak_realm", _key("str")),
    ("keycloak_admin_url", _key("str", url=True)),
    ("user_readable_claim", _key("str")),
    ("user_id_claim", _key("str")),
])

KEYS = tuple(KEY_TABLE)
# The module's key options: every key but enable.
OPTION_KEYS = tuple(key for key, row in KEY_TABLE.items() if row["type"])
LIST_KEYS = tuple(key for key in OPTION_KEYS if KEY_TABLE[key]["type"] == "list")
BOOL_KEYS = tuple(key for key in OPTION_KEYS if KEY_TABLE[key]["type"] == "bool")
SECRET_KEYS = tuple(key for key, row in KEY_TABLE.items() if row["secret"])
URL_KEYS = tuple(key for key, row in KEY_TABLE.items() if row["url"])
REQUIRED_ON_CREATE = tuple(key for key, row in KEY_TABLE.items() if row["required_on_create"])
# Defaults that are not empty, but for enable: the export leaves out enable=on, and an empty enable means on.
DEFAULTS = dict((key, row["default"]) for key, row in KEY_TABLE.items() if row["default"] and key != "enable")


def key_options():
    """The argument spec of the key options. ``no_log`` is explicit on every one: Ansible would otherwise guess
    a secret from names such as keycloak_admin_url."""
    spec = {}
    for key in OPTION_KEYS:
        row = KEY_TABLE[key]
        option = dict(type=row["type"], no_log=row["secret"])
        if row["type"] == "list":
            option["elements"] = "str"
        spec[key] = option
    return spec


def to_kv_value(key, value):
    """A module option value as the string MinIO stores."""
    if key in LIST_KEYS:
        return ",".join(item.strip() for item in value)
    if key in BOOL_KEYS:
        return "on" if value else "off"
    return value


def normalise(key, value):
    """Stored and desired strings compared on meaning: list order and ``''``/``off`` do not matter."""
    if key in LIST_KEYS:
        return sorted(item.strip() for item in value.split(",") if item.strip())
    if key in BOOL_KEYS:
        return "on" if value == "on" else "off"
    return value


def stored_value(values, key):
    """The value of ``key`` in a stored target: one the export does not show has its default."""
    return values.get(key, DEFAULTS.get(key, ""))
