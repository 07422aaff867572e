# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MinIO's identity_openid KV text: formatting, refusal of values MinIO would split, export parsing."""

from __future__ import annotations


import pytest


from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_kv as kv  # noqa: E402


# -- formatting ------------------------------------------------------------------------------------
def test_target_key_default_and_named():
    assert kv.target_key(None) == "identity_openid"
    assert kv.target_key("_") == "identity_openid"
    assert kv.target_key("") == "identity_openid"
    assert kv.target_key("authentik") == "identity_openid:authentik"
    assert kv.target_key("auth-2_b") == "identity_openid:auth-2_b"


@pytest.mark.parametrize("name", ["has space", "a:b", "a=b", "-lead", "x\ny"])
def test_target_key_refuses_names_that_break_the_line(name):
    with pytest.raises(kv.KVError):
        kv.target_key(name)


def test_values_with_spaces_are_quoted_and_others_are_not():
    line = kv.format_set_line(
        "identity_openid:authentik",
        [("display_name", "Log in with authentik"), ("scopes", "openid,profile,email"), ("claim_name", "")],
    )
    assert line == 'identity_openid:authentik display_name="Log in with authentik" scopes=openid,profile,email claim_name='


def test_format_keeps_order_and_equals_signs_that_name_no_key():
    pairs = [("config_url", "https://idp.example/o/?x=1&y=2"), ("client_id", "minio")]
    assert kv.format_set_line("identity_openid", pairs) == "identity_openid config_url=https://idp.example/o/?x=1&y=2 client_id=minio"


@pytest.mark.parametrize(
    "value, words",
    [
        ("https://idp.example/?vendor=x", "'vendor='"),
        ("My SSO claim_name=groups", "'claim_name='"),
        ("a client_secret=leak", "'client_secret='"),
        ("x comment=y", "'comment='"),
        ("prefixclient_id=1", "'client_id='"),  # MinIO finds key= anywhere, not only after a space
        ("two\nlines", "line break"),
        ("trailing ", "white space"),
        (" leading", "white space"),
        ('"quoted"', "quote"),
        ("it's'", "quote"),
    ],
)
def test_values_minio_would_store_differently_are_refused(value, words):
    with pytest.raises(kv.KVError) as err:
        kv.format_pairs([("display_name", value)])
    assert words in str(err.value)
    assert "display_name" in str(err.value)


def test_unknown_key_and_non_string_are_refused():
    with pytest.raises(kv.KVError):
        kv.format_pairs([("jwks_url", "https://x")])
    with pytest.raises(kv.KVError):
        kv.format_pairs([("scopes", ["openid"])])


def test_values_with_quotes_inside_are_kept():
    assert kv.format_pairs([("display_name", 'Say "hi" now')]) == {"display_name": '"Say "hi" now"'}


# -- parsing the config export ---------------------------------------------------------------------
EXPORT = "\n".join(
    [
        "site name= region=",
        "# identity_openid enable= display_name= config_url= client_id= client_secret= claim_name=policy "
        "claim_userinfo= role_policy= claim_prefix= redirect_uri= redirect_uri_dynamic=off scopes= vendor= "
        "keycloak_realm= keycloak_admin_url= user_readable_claim= user_id_claim= ",
        'identity_openid:authentik display_name="Log in with authentik" config_url=http://127.0.0.1:9/application/o/minio/'
        ".well-known/openid-configuration client_id=minio client_secret=s3cr3t-value claim_name=policy claim_userinfo= "
        "role_policy= claim_prefix= redirect_uri= redirect_uri_dynamic=on scopes=openid,profile,email vendor= "
        "keycloak_realm= keycloak_admin_url= user_readable_claim= user_id_claim= ",
        "identity_openid:ro enable=off display_name= config_url=https://idp/x client_id=ro client_secret=s2 "
        "role_policy=readonly,diagnostics ",
        "api requests_max=0",
    ]
)


def test_export_parses_every_target_with_its_secret():
    targets = kv.parse_config(EXPORT)
    assert set(targets) == {"_", "authentik", "ro"}
    auth = targets["authentik"]
    assert auth["commented"] is False
    assert auth["values"]["display_name"] == "Log in with authentik"
    assert auth["values"]["config_url"] == "http://127.0.0.1:9/application/o/minio/.well-known/openid-configuration"
    assert auth["values"]["client_secret"] == "s3cr3t-value"
    assert auth["values"]["scopes"] == "openid,profile,email"
    assert auth["values"]["redirect_uri"] == ""
    assert auth["values"]["redirect_uri_dynamic"] == "on"
    assert "enable" not in auth["values"]  # enable=on is left out of the export


def test_commented_default_target_and_disabled_named_target():
    targets = kv.parse_config(EXPORT)
    assert targets["_"]["commented"] is True
    assert targets["_"]["values"]["config_url"] == ""
    assert targets["_"]["values"]["claim_name"] == "policy"
    assert targets["ro"]["values"]["enable"] == "off"
    assert targets["ro"]["values"]["role_policy"] == "readonly,diagnostics"


def test_parse_is_anchored_on_key_names_not_on_spaces():
    values = kv.parse_kvs('display_name="My  SSO  button" client_id=minio config_url= scopes=openid ')
    assert values == {"display_name": "My  SSO  button", "client_id": "minio", "config_url": "", "scopes": "openid"}


def test_keys_this_module_does_not_know_do_not_glue_onto_the_previous_value():
    values = kv.parse_kvs('keycloak_admin_url= future_key="a b" other=1 scopes=a,b ')
    assert values["keycloak_admin_url"] == ""
    assert values["future_key"] == "a b"
    assert values["other"] == "1"
    assert values["scopes"] == "a,b"


def test_round_trip_of_a_formatted_line():
    pairs = [("display_name", 'Say "hi" there'), ("config_url", "http://h/?a=b"), ("client_secret", "p@ss word"), ("scopes", "")]
    line = kv.format_set_line("identity_openid:t", pairs)
    targets = kv.parse_config(line)
    assert targets["t"]["values"] == dict(pairs)


def test_lines_of_other_subsystems_and_env_comments_are_ignored():
    text = "identity_openid_x foo=1\n# MINIO_IDENTITY_OPENID_CLIENT_ID=minio\nidentity_ldap server_addr=x\n"
    assert kv.parse_config(text) == {}


def test_env_comment_lines_belong_to_the_target_line_after_them():
    # get-config-kv: env lines of each target first (SubsysInfo.WriteTo), secrets' variables never shown
    text = ("# MINIO_IDENTITY_OPENID_DISPLAY_NAME=From env\n"
            "# MINIO_IDENTITY_OPENID_REDIRECT_URI_DYNAMIC=on\n"
            "identity_openid display_name=Stored config_url=http://a/ client_id=a \n"
            "# MINIO_IDENTITY_OPENID_CLIENT_ID_second=b\n"
            "identity_openid:second config_url=http://b/ client_id=b role_policy=readonly \n"
            "identity_openid:third config_url=http://c/ client_id=c role_policy=readonly \n")
    targets = kv.parse_config(text)
    assert targets["_"]["env"] == {"display_name": "MINIO_IDENTITY_OPENID_DISPLAY_NAME",
                                   "redirect_uri_dynamic": "MINIO_IDENTITY_OPENID_REDIRECT_URI_DYNAMIC"}
    assert targets["_"]["values"]["display_name"] == "Stored"  # the line shows the stored value, not the env one
    assert targets["second"]["env"] == {"client_id": "MINIO_IDENTITY_OPENID_CLIENT_ID_second"}
    assert targets["third"]["env"] == {}
