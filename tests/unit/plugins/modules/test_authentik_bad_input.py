# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad values of the authentik modules are refused before anything is written, with a message that names the
option, says what is wrong and shows the value (never a secret); good values at the edges are accepted."""

from __future__ import annotations

import pytest

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_normalize import (
    python_body_error,
    redirect_uri_entries,
    refused_value,
)
from ansible_collections.sso.authentik_minio.plugins.modules import (
    authentik_application,
    authentik_group,
    authentik_info,
    authentik_oauth2_provider,
    authentik_scope_mapping,
    authentik_service_account,
)

from test_authentik_modules import PROVIDER, FakeAuthentik, run  # pylint: disable=import-error

MAPPING = dict(name="m", scope_name="minio", expression="return {}")
APPLICATION = dict(slug="minio", name="MinIO")

# (module, options, words the message must hold, whether the values are refused before any call at all)
REFUSED = [
    (authentik_scope_mapping, dict(MAPPING, expression="return {"),
     ["expression: Python syntax error on line 1", "never closed", "(got 'return {')"], True),
    (authentik_scope_mapping, dict(MAPPING, expression="x = 1\n  return x"), ["expression: Python syntax error on line 2"], True),
    (authentik_scope_mapping, dict(MAPPING, expression=""), ["expression: Python syntax error"], True),
    (authentik_scope_mapping, dict(MAPPING, name=""), ["name: must not be empty (got '')"], True),
    (authentik_scope_mapping, dict(MAPPING, name="  "), ["name: must not be empty or only white space (got '  ')"], True),
    (authentik_scope_mapping, dict(MAPPING, scope_name="my scope"), ["scope_name: must be one scope token", "space",
                                                                     "(got 'my scope')"], True),
    (authentik_scope_mapping, dict(MAPPING, scope_name=""), ["scope_name: must not be empty"], True),
    (authentik_oauth2_provider, dict(PROVIDER, client_id=""), ["client_id: must not be empty (got '')"], True),
    (authentik_oauth2_provider, dict(PROVIDER, name=""), ["name: must not be empty"], True),
    (authentik_oauth2_provider, dict(PROVIDER, redirect_uris=[dict(url="https://(minio\\.example/.*", matching_mode="regex")]),
     ["redirect_uris[0]: url is not a valid regular expression", "missing )", "https://(minio"], False),
    (authentik_oauth2_provider, dict(PROVIDER, redirect_uris=["https://ok.example/cb", "minio.example/oauth_callback"]),
     ["redirect_uris[1]: a strict redirect URI must start with a scheme such as https://", "'minio.example/oauth_callback'"],
     False),
    (authentik_oauth2_provider, dict(PROVIDER, authorization_flow="default-authentication-flow"),
     ["authorization_flow: flow 'default-authentication-flow' has designation 'authentication'; it must be 'authorization'"],
     False),
    (authentik_oauth2_provider, dict(PROVIDER, invalidation_flow="default-provider-authorization-implicit-consent"),
     ["invalidation_flow:", "designation 'authorization'; it must be 'invalidation'"], False),
    (authentik_oauth2_provider, dict(PROVIDER, authentication_flow="default-provider-invalidation-flow"),
     ["authentication_flow:", "designation 'invalidation'; it must be 'authentication'"], False),
    (authentik_application, dict(APPLICATION, slug="my app"), ["slug: may hold only letters, digits, - and _", "(got 'my app')"],
     True),
    (authentik_application, dict(APPLICATION, slug=""), ["slug: may hold only letters, digits"], True),
    (authentik_application, dict(APPLICATION, name=""), ["name: must not be empty"], True),
    (authentik_application, dict(APPLICATION, meta_launch_url="not a url"),
     ["meta_launch_url: must be a URL with a scheme, such as https://", "(got 'not a url')"], True),
    (authentik_application, dict(APPLICATION, meta_launch_url="minio.example/"), ["meta_launch_url: must be a URL"], True),
    (authentik_group, dict(name=""), ["name: must not be empty (got '')"], True),
    (authentik_service_account, dict(name=""), ["name: must not be empty (got '')"], True),
    (authentik_service_account, dict(name="rel-" + "x" * 150),
     ["name: must be at most 150 characters (authentik's limit for a username) (got 154 characters)"], True),
    (authentik_info, dict(kind="flow", token=""), ["token: must not be empty (got an empty value)"], True),
    (authentik_info, dict(kind="flow", token="  \t"), ["token: must not be empty or only white space (got only white space)"],
     True),
    (authentik_info, dict(kind="flow", url=" "), ["url: must not be empty or only white space (got ' ')"], True),
]


REFUSED_IDS = ["%s-%s" % (case[0].__name__[10:], case[2][0][:40]) for case in REFUSED]


@pytest.mark.parametrize("module, options, words, no_call", REFUSED, ids=REFUSED_IDS)
def test_bad_values_are_refused_before_any_write(module, options, words, no_call, capsys):
    fake = FakeAuthentik()
    fake.data["flows/instances/"].append(fake.obj(slug="default-authentication-flow", name="x", designation="authentication"))
    result = run(module, options, fake, capsys)
    assert result.get("failed") is True, result
    assert all(word in result["msg"] for word in words), result["msg"]
    assert fake.writes() == []
    if no_call:
        assert fake.calls == []


# (module, options) that are fine, edges included
ACCEPTED = [
    (authentik_scope_mapping, dict(MAPPING, expression="# a comment\n\nif request:\n    return {'a': 1}\nreturn None")),
    (authentik_scope_mapping, dict(MAPPING, scope_name="goauthentik.io/api")),
    (authentik_oauth2_provider, dict(PROVIDER, redirect_uris=[
        "com.example.app:/callback", dict(url="https://.*\\.example/cb", matching_mode="regex")])),
    (authentik_oauth2_provider, dict(PROVIDER, authentication_flow="default-authentication-flow")),
    (authentik_oauth2_provider, dict(PROVIDER, invalidation_flow="default-provider-invalidation-flow")),
    (authentik_application, dict(APPLICATION, slug="Min_io-2", meta_launch_url="")),
    (authentik_application, dict(APPLICATION, meta_launch_url="blank://blank")),
    (authentik_application, dict(APPLICATION, meta_launch_url="https://minio.example/")),
    (authentik_service_account, dict(name="x" * 150)),
]


@pytest.mark.parametrize("module, options", ACCEPTED)
def test_good_values_at_the_edges_are_accepted(module, options, capsys):
    fake = FakeAuthentik()
    fake.data["flows/instances/"].append(fake.obj(slug="default-authentication-flow", name="x", designation="authentication"))
    result = run(module, options, fake, capsys, check=True)
    assert not result.get("failed"), result


def test_python_body_is_wrapped_as_authentik_wraps_it():
    # a bare return is fine inside authentik's handler function; a body that is not indented the same is not
    assert python_body_error("return {}") is None
    assert python_body_error("x = 1\nreturn {'x': x}") is None
    assert python_body_error("return {") == "Python syntax error on line 1: '{' was never closed"
    assert python_body_error("a = (\n\n") is not None


def test_refused_value_never_shows_a_secret():
    assert refused_value("token", "s3cret ", dict(not_empty=True, max_length=3), secret=True) == \
        "token: must be at most 3 characters (got 7 characters)"
    assert "s3cret" not in refused_value("token", "s3cret", dict(pattern=(r"^\d+$", "must be digits")), secret=True)
    assert refused_value("name", None, dict(not_empty=True)) is None


def test_redirect_uri_checks_apply_per_matching_mode():
    assert redirect_uri_entries([dict(url="[a-z]+://x", matching_mode="regex")])[0]["matching_mode"] == "regex"
    with pytest.raises(ValueError, match=r"redirect_uris\[0\]: a strict redirect URI must start with a scheme"):
        redirect_uri_entries([dict(url="/relative/cb", matching_mode="strict")])
    with pytest.raises(ValueError, match=r"redirect_uris\[0\]: url is not a valid regular expression"):
        redirect_uri_entries([dict(url="https://x/[", matching_mode="regex")])
