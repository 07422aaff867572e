# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The identity_openid key table is the one truth: the module's options, their docs, the KV encoding and the key
lists the parser anchors on all come from it."""

from __future__ import annotations

import yaml

from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_kv as kv
from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_openid_keys as keys
from ansible_collections.sso.authentik_minio.plugins.modules import minio_identity_openid

# The module's options that are not identity_openid keys.
NOT_KEYS = {"name", "state", "enabled", "restart", "restart_timeout"}


def documented_key_options(documentation=minio_identity_openid.DOCUMENTATION):
    options = yaml.safe_load(documentation)["options"]
    return dict((name, option) for name, option in options.items() if name not in NOT_KEYS)


def mismatches(documented):
    """What differs between the documented key options and the table: names, type, elements, the words the docs
    must hold for a URL key and a key required on creation."""
    found = []
    if set(documented) != set(keys.OPTION_KEYS):
        found.append("options %s vs table %s" % (sorted(documented), sorted(keys.OPTION_KEYS)))
    for name in set(documented) & set(keys.OPTION_KEYS):
        row, option = keys.KEY_TABLE[name], documented[name]
        text = " ".join(option.get("description") or [])
        if option.get("type") != row["type"]:
            found.append("%s: documented type %s, table %s" % (name, option.get("type"), row["type"]))
        if option.get("elements") != ("str" if row["type"] == "list" else None):
            found.append("%s: documented elements %s" % (name, option.get("elements")))
        if row["url"] and "http://" not in text:
            found.append("%s: a URL key whose docs do not say http(s)" % name)
        if row["required_on_create"] != ("Required to create" in text):
            found.append("%s: docs and table disagree on 'Required to create'" % name)
    return found


def test_the_module_documentation_matches_the_table():
    assert mismatches(documented_key_options()) == []


def test_the_documentation_check_finds_a_drift():
    documented = documented_key_options()
    documented["scopes"] = dict(documented["scopes"], type="str")
    documented.pop("user_id_claim")
    documented["client_id"] = dict(documented["client_id"], description=["OAuth2 client ID."])
    found = mismatches(documented)
    assert any(m.startswith("options ") for m in found)
    assert "scopes: documented type str, table list" in found
    assert "client_id: docs and table disagree on 'Required to create'" in found


def test_the_argument_spec_of_the_key_options_comes_from_the_table():
    spec = keys.key_options()
    assert set(spec) == set(keys.OPTION_KEYS) and "enable" not in spec
    assert spec["client_secret"] == {"type": "str", "no_log": True}
    assert spec["scopes"] == {"type": "list", "elements": "str", "no_log": False}
    assert spec["claim_userinfo"] == {"type": "bool", "no_log": False}
    assert all(option["no_log"] is (name in keys.SECRET_KEYS) for name, option in spec.items())


def test_derived_lists():
    assert keys.LIST_KEYS == ("role_policy", "scopes")
    assert keys.BOOL_KEYS == ("claim_userinfo", "redirect_uri_dynamic")
    assert keys.SECRET_KEYS == ("client_secret",)
    assert keys.REQUIRED_ON_CREATE == ("config_url", "client_id", "client_secret")
    assert keys.URL_KEYS == ("config_url", "redirect_uri", "keycloak_admin_url")
    assert keys.DEFAULTS == {"claim_name": "policy", "redirect_uri_dynamic": "off"}
    # the parser anchors on the same keys, in MinIO's DefaultKVS order
    assert kv.KEYS == keys.KEYS and kv.KEYS[0] == "enable" and kv.ANCHOR_KEYS == keys.KEYS + ("comment",)


def test_encoding_and_comparison():
    assert keys.to_kv_value("scopes", [" openid", "email "]) == "openid,email"
    assert keys.to_kv_value("claim_userinfo", True) == "on" and keys.to_kv_value("redirect_uri_dynamic", False) == "off"
    assert keys.to_kv_value("display_name", "Log in") == "Log in"
    assert keys.normalise("scopes", "email,openid,") == keys.normalise("scopes", "openid, email")
    assert keys.normalise("claim_userinfo", "") == keys.normalise("claim_userinfo", "off") != keys.normalise("claim_userinfo", "on")
    assert keys.stored_value({}, "claim_name") == "policy" and keys.stored_value({}, "display_name") == ""
