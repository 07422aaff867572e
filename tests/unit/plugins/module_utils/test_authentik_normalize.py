# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""authentik value normalisation and the version table: the rules that decide ``changed``."""

from __future__ import annotations


import pytest


from ansible_collections.sso.authentik_minio.plugins.module_utils import _authentik_normalize as norm  # noqa: E402
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_urls import (  # noqa: E402
    application_urls,
    oidc_urls,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_version import (  # noqa: E402
    Dialect,
    parse_version,
)


# -- durations -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, seconds",
    [
        ("minutes=1", 60.0),
        ("hours=1", 3600.0),
        ("hours=1;minutes=30", 5400.0),
        (" hours = 1 ; minutes=30 ;", 5400.0),
        ("days=30", 2592000.0),
        ("weeks=1;days=1", 691200.0),
        ("seconds=0", 0.0),
        ("minutes=1.5", 90.0),
        ("3600", 3600.0),
        (3600, 3600.0),
    ],
)
def test_parse_duration(text, seconds):
    assert norm.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["1h", "hours", "hours=x", "fortnights=1", "", True])
def test_parse_duration_refuses_what_authentik_refuses(text):
    with pytest.raises(ValueError):
        norm.parse_duration(text)


def test_equal_durations_in_different_forms_compare_equal():
    assert norm.values_equal("duration", "hours=1", "minutes=60")
    assert norm.values_equal("duration", "3600", "hours=1")
    assert not norm.values_equal("duration", "hours=1", "hours=2")


def test_duration_to_api_keeps_authentik_form_and_converts_seconds():
    assert norm.duration_to_api("hours=1;minutes=2") == "hours=1;minutes=2"
    assert norm.duration_to_api("90") == "seconds=90"


# -- redirect URIs ---------------------------------------------------------------------------------
def test_plain_strings_are_strict_entries():
    entries = norm.redirect_uri_entries(["https://a/cb", {"url": "https://b/.*", "matching_mode": "regex"}])
    assert entries == [
        {"matching_mode": "strict", "url": "https://a/cb"},
        {"matching_mode": "regex", "url": "https://b/.*"},
    ]


@pytest.mark.parametrize(
    "bad, words",
    [
        ([{"url": "https://a", "matching_mode": "exact"}], "matching_mode"),
        ([{"uri": "https://a"}], "unknown keys uri"),
        ([""], "non-empty"),
        ([{"url": "https://a", "redirect_uri_type": "other"}], "redirect_uri_type"),
    ],
)
def test_bad_redirect_entries_are_refused_with_their_position(bad, words):
    with pytest.raises(ValueError, match=words):
        norm.redirect_uri_entries(bad)


def test_redirect_uris_to_api_list_and_string_eras():
    entries = norm.redirect_uri_entries(["https://a/cb", "https://b/cb"])
    assert norm.redirect_uris_to_api(entries, as_list=False, with_type=False) == "https://a/cb\nhttps://b/cb"
    assert norm.redirect_uris_to_api(entries, as_list=True, with_type=False) == [
        {"matching_mode": "strict", "url": "https://a/cb"},
        {"matching_mode": "strict", "url": "https://b/cb"},
    ]
    typed = norm.redirect_uris_to_api(entries, as_list=True, with_type=True)
    assert [e["redirect_uri_type"] for e in typed] == ["authorization", "authorization"]


def test_redirect_uris_compare_in_order_with_mode():
    desired = [{"matching_mode": "strict", "url": "https://a/cb"}]
    assert norm.values_equal("redirect_uris", desired, [{"matching_mode": "strict", "url": "https://a/cb"}])
    assert not norm.values_equal("redirect_uris", desired, [{"matching_mode": "regex", "url": "https://a/cb"}])
    two = [{"matching_mode": "strict", "url": "https://a"}, {"matching_mode": "strict", "url": "https://b"}]
    assert not norm.values_equal("redirect_uris", two, list(reversed(two)))  # order drives the launch URL


def test_redirect_uri_type_defaults_to_authorization_when_the_server_has_it():
    desired = [{"matching_mode": "strict", "url": "https://a", "redirect_uri_type": "authorization"}]
    assert norm.values_equal("redirect_uris", desired, [{"matching_mode": "strict", "url": "https://a"}], with_type=True)
    logout = [{"matching_mode": "strict", "url": "https://a", "redirect_uri_type": "logout"}]
    assert not norm.values_equal("redirect_uris", logout, desired, with_type=True)


def test_string_era_compares_urls_ignoring_blank_lines():
    assert norm.values_equal("redirect_uris", "https://a\nhttps://b", "https://a\n\nhttps://b\n")
    assert not norm.values_equal("redirect_uris", "https://a", "https://a\nhttps://b")


# -- other kinds -----------------------------------------------------------------------------------
def test_many_to_many_compare_as_sets():
    assert norm.values_equal("entity_list", ["b", "a"], ["a", "b"])
    assert norm.values_equal("set", ["password", "authorization_code"], ["authorization_code", "password"])
    assert not norm.values_equal("entity_list", ["a"], ["a", "b"])
    assert norm.values_equal("entity_list", [3, 4], ["4", "3"])  # integer pks and their strings


def test_dicts_compare_deeply_regardless_of_key_order():
    assert norm.values_equal("dict", {"a": 1, "b": {"c": 2}}, {"b": {"c": 2}, "a": 1})
    assert not norm.values_equal("dict", {"a": 1}, {"a": 1, "b": 2})
    assert norm.values_equal("dict", {}, None)


def test_references_treat_empty_and_null_alike():
    assert norm.values_equal("entity", None, "")
    assert norm.values_equal("entity", "6f1c", "6f1c")
    assert not norm.values_equal("entity", None, "6f1c")


def test_plain_values():
    assert norm.values_equal("bool", True, True)
    assert not norm.values_equal("bool", True, False)
    assert norm.values_equal("str", "", None)
    assert not norm.values_equal("str", "x", "y")


# -- versions ----------------------------------------------------------------------------------------
def test_parse_version_forms():
    assert parse_version("2025.12.4") == (2025, 12, 4)
    assert parse_version("2025.10.0-rc1") == (2025, 10, 0)
    assert parse_version("2024.6") == (2024, 6, 0)
    with pytest.raises(ValueError):
        parse_version("latest")
    with pytest.raises(ValueError):
        parse_version(None)


@pytest.mark.parametrize(
    "version, redirect_list",
    [
        ((2024, 6, 4), False),
        ((2024, 8, 4), False),
        ((2024, 8, 5), True),
        ((2024, 10, 0), False),
        ((2024, 10, 2), False),
        ((2024, 10, 3), True),
        ((2025, 12, 4), True),
    ],
)
def test_redirect_uri_format_changed_in_the_cve_patch_releases(version, redirect_list):
    assert Dialect(version).redirect_uris_list is redirect_list


def test_dialect_table():
    old, oct24, dec25, may26 = Dialect((2024, 6, 4)), Dialect((2024, 10, 5)), Dialect((2025, 12, 4)), Dialect((2026, 5, 6))
    assert old.scope_mapping_path == "propertymappings/scope/"
    assert oct24.scope_mapping_path == dec25.scope_mapping_path == "propertymappings/provider/scope/"
    assert (old.invalidation_flow, oct24.invalidation_flow) == (False, True)
    assert (oct24.refresh_token_threshold, dec25.refresh_token_threshold) == (False, True)
    assert (dec25.grant_types, may26.grant_types) == (False, True)
    assert (dec25.redirect_uri_type, may26.redirect_uri_type) == (False, True)
    assert not Dialect((2024, 4, 3)).supported and old.supported
    aug26 = Dialect((2026, 8, 5))
    # the newest verified line is the newest the tests verify: 2026.8; 2026.11 (the next release) is newer
    assert Dialect((2026, 11, 0)).newer_than_verified and Dialect((2027, 2, 0)).newer_than_verified
    assert not aug26.newer_than_verified and not may26.newer_than_verified
    assert (may26.expiring_bindings, aug26.expiring_bindings) == (False, True)
    assert "urn:ietf:params:oauth:grant-type:token-exchange" in aug26.grant_type_choices
    assert "urn:ietf:params:oauth:grant-type:token-exchange" not in may26.grant_type_choices
    assert dec25.grant_type_choices == [] and dec25.features()["default_grant_types"] == []
    assert may26.features()["default_grant_types"] == ["authorization_code", "refresh_token"]
    assert may26.has("grant_types") and not dec25.has("grant_types") and dec25.has((2025, 12))
    assert dec25.has((2025, 10)) and not dec25.has((2026, 5)) and dec25.has(None)


# -- URLs ----------------------------------------------------------------------------------------------
def test_oidc_urls_per_provider_and_global():
    urls = oidc_urls("https://auth.example.com/", "minio", "per_provider")
    assert urls == {
        "issuer": "https://auth.example.com/application/o/minio/",
        "openid_configuration_url": "https://auth.example.com/application/o/minio/.well-known/openid-configuration",
        "jwks_url": "https://auth.example.com/application/o/minio/jwks/",
    }
    assert oidc_urls("https://auth.example.com", "minio", "global")["issuer"] == "https://auth.example.com/"
    assert oidc_urls("https://auth.example.com", None, None) == {
        "issuer": None, "openid_configuration_url": None, "jwks_url": None}
    assert application_urls("https://a", "minio")["end_session_url"] == "https://a/application/o/minio/end-session/"
