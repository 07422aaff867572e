# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every authentik module against the authentik double, in every API dialect the collection supports.

Each module goes create -> repeat (no change, and the double's request log shows no write) -> update -> check mode
(no write) -> diff -> delete -> delete again, asserting as it goes. The modules run in this process
(tests/module_runner.py), as the tasks of a play with module_defaults would run them; one test per module and
dialect, each on a fresh double of its own. On the whole run: the double saw requests, never a PUT (full
replacement), no warning, and neither the token nor a given client secret in any result the run would show.
"""

from __future__ import annotations

import re

import pytest
import requests

from dialects import AUTHENTIK_DIALECTS  # tests/, put on sys.path by tests/conftest.py
from module_runner import Play

TOKEN = "integration-token-0123456789abcdef"
# Given to the provider by the lifecycles: must never appear in a result that a play would show.
SECRET = "minio-client-secret-0123456789abcdefghijklmnop"
ROTATED_SECRET = "rotated-client-secret-9876543210zyxwvutsrqpo"
FLOW = "default-provider-authorization-implicit-consent"
CALLBACK = "https://minio.example.com/oauth_callback"


def at_least(dialect, line):
    """``dialect`` is release ``line`` ("2025.12") or newer."""
    return tuple(int(part) for part in dialect.split(".")) >= tuple(int(part) for part in line.split("."))


SCOPE_MAPPING = dict(
    name="MinIO policy",
    scope_name="minio",
    description="MinIO policy claim",
    expression='if ak_is_group_member(request.user, name="minio-admins"):\n'
               '    return {"policy": "consoleAdmin"}\n'
               'return {"policy": "readonly"}\n',
)


def scope_mapping(double, play, dialect):  # pylint: disable=unused-argument
    create = play("authentik_scope_mapping", **SCOPE_MAPPING)
    mark = double.mark()
    repeat = play("authentik_scope_mapping", **SCOPE_MAPPING)
    repeat_log = double.log_since(mark)
    assert create["changed"] is True
    assert len(create["pk"]) == 36
    assert create["scope_mapping"]["scope_name"] == "minio"
    assert repeat["changed"] is False
    assert repeat["pk"] == create["pk"]
    assert double.writes_since(mark) == []
    assert [entry for entry in repeat_log if "scope" in entry["path"]]

    update = play("authentik_scope_mapping", name="MinIO policy", description="Your MinIO policy")
    mark = double.mark()
    check = play("authentik_scope_mapping", check_mode=True, diff=True, name="MinIO policy",
                 expression='return {"policy": "readwrite"}')
    assert double.writes_since(mark) == []
    assert update["changed"] is True
    assert update["scope_mapping"]["description"] == "Your MinIO policy"
    assert check["changed"] is True
    assert re.search("readwrite", check["diff"]["after"]["expression"])

    diffed = play("authentik_scope_mapping", diff=True, name="MinIO policy", scope_name="minio-policy")
    assert diffed["changed"] is True
    assert diffed["diff"]["before"] == dict(name="MinIO policy", scope_name="minio", state="present")
    assert diffed["diff"]["after"] == dict(name="MinIO policy", scope_name="minio-policy", state="present")

    # an expression that is not Python: refused by the module before any write, as authentik would refuse it
    broken = play.failing("authentik_scope_mapping", name="Broken mapping", scope_name="broken", expression="return {")
    assert "expression: Python syntax error on line 1" in broken["msg"]

    delete = play("authentik_scope_mapping", name="MinIO policy", state="absent")
    delete_again = play("authentik_scope_mapping", name="MinIO policy", state="absent")
    assert delete["changed"] is True
    assert delete["scope_mapping"] is None
    assert delete_again["changed"] is False


def oauth2_provider(double, play, dialect):
    play("authentik_scope_mapping", name="MinIO policy", scope_name="minio", expression='return {"policy": "readwrite"}')
    # the options a release line has: the older lines are not sent what they do not know
    by_release = {}
    if at_least(dialect, "2025.12"):
        by_release["refresh_token_threshold"] = "seconds=0"
    if at_least(dialect, "2026.5"):
        by_release["grant_types"] = ["authorization_code", "refresh_token", "client_credentials"]
    provider = dict(name="MinIO", client_id="minio", authorization_flow=FLOW, redirect_uris=[CALLBACK],
                    property_mappings=["MinIO policy"], **by_release)

    create = play("authentik_oauth2_provider", client_secret=SECRET, access_token_validity="hours=1", **provider)
    mark = double.mark()
    # the same validity, written differently
    repeat = play("authentik_oauth2_provider", client_secret=SECRET, access_token_validity="minutes=60", **provider)
    assert double.writes_since(mark) == []
    assert create["changed"] is True
    assert isinstance(create["pk"], int)
    assert create["client_id"] == "minio"
    # a given secret is the caller's: none is returned, so the task needs no no_log
    assert create["client_secret"] is None
    assert create["client_secret_changed"]
    assert not repeat["client_secret_changed"]
    assert "client_secret" not in create["provider"]
    assert len(create["provider"]["property_mappings"]) == 4
    assert create["issuer"] is None
    assert create["application_slug"] is None
    assert repeat["changed"] is False

    # update: rotate the secret and change the subject mode
    update = play("authentik_oauth2_provider", diff=True, access_token_validity="hours=1", client_secret=ROTATED_SECRET,
                  sub_mode="user_username", **provider)
    mark = double.mark()
    # its result carries the client secret, which this task did not pass in
    check = play.no_log("authentik_oauth2_provider", check_mode=True, name="MinIO", include_claims_in_id_token=False,
                        property_mappings=["MinIO policy"])
    assert double.writes_since(mark) == []
    assert update["changed"] is True
    assert update["diff"]["before"]["client_secret"] == "******** (changed)"
    assert update["diff"]["after"]["client_secret"] == "******** (changed)"
    assert update["diff"]["before"]["sub_mode"] == "hashed_user_id"
    assert update["diff"]["after"]["sub_mode"] == "user_username"
    assert update["provider"]["sub_mode"] == "user_username"
    assert check["changed"] is True
    assert check["provider"]["include_claims_in_id_token"] is False

    # a real change, shown in the server's format: a second, regex redirect URI
    diffed = play.no_log("authentik_oauth2_provider", diff=True, name="MinIO", property_mappings=["MinIO policy"],
                         redirect_uris=[CALLBACK, dict(url=r"https://minio-[a-z]+\.example\.com/oauth_callback",
                                                       matching_mode="regex")])
    assert diffed["changed"] is True
    assert diffed["diff"]["before"]["property_mappings"] == diffed["diff"]["after"]["property_mappings"]
    assert diffed["diff"]["after"]["property_mappings"] == ["MinIO policy", "email", "openid", "profile"]
    if dialect != "2024.6":  # redirect URIs as a list of objects since 2024.10, before as lines of text
        assert len(diffed["diff"]["after"]["redirect_uris"]) == 2
        assert diffed["diff"]["after"]["redirect_uris"][1]["matching_mode"] == "regex"
    else:
        assert len(diffed["diff"]["after"]["redirect_uris"].splitlines()) == 2

    # authentik generates the secret: returned, and kept by a repeat
    generated = play.no_log("authentik_oauth2_provider", name="Generated", authorization_flow=FLOW,
                            redirect_uris=["https://other.example.com/cb"])
    generated_again = play.no_log("authentik_oauth2_provider", name="Generated", redirect_uris=["https://other.example.com/cb"])
    assert generated["changed"] is True
    assert len(generated["client_secret"]) > 20
    assert len(generated["client_id"]) > 10
    assert generated_again["changed"] is False
    assert generated_again["client_secret"] == generated["client_secret"]

    # the errors that must come before any write name what is missing and what exists
    broken = dict(provider, client_secret=SECRET, access_token_validity="hours=1", name="Broken", client_id="broken")
    mark = double.mark()
    missing_flow = play.failing("authentik_oauth2_provider", **dict(broken, authorization_flow="no-such-flow"))
    missing_key = play.failing("authentik_oauth2_provider", signing_key="no such keypair", **broken)
    assert double.writes_since(mark) == []
    assert "authorization_flow: flow 'no-such-flow' not found" in missing_flow["msg"]
    assert FLOW in missing_flow["msg"]
    assert "certificate keypair 'no such keypair' not found" in missing_key["msg"]
    assert "authentik Self-signed Certificate" in missing_key["msg"]

    if not at_least(dialect, "2026.5"):
        # a setting the server does not have is refused, with the server's version in the message
        too_new = play.failing("authentik_oauth2_provider", name="MinIO", grant_types=["authorization_code"])
        assert "option grant_types needs authentik 2026.5 or newer" in too_new["msg"]

    delete = [play("authentik_oauth2_provider", name=name, state="absent") for name in ("MinIO", "Generated")]
    delete_again = play("authentik_oauth2_provider", name="MinIO", state="absent")
    assert [result["changed"] for result in delete] == [True, True]
    assert delete_again["changed"] is False
    assert delete_again["provider"] is None


APPLICATION = dict(slug="minio", name="MinIO", provider="MinIO", group="Storage", meta_launch_url="https://minio.example.com",
                   policy_engine_mode="any")


def application(double, play, dialect):  # pylint: disable=unused-argument
    play("authentik_oauth2_provider", name="MinIO", client_id="minio", client_secret=SECRET, authorization_flow=FLOW,
         redirect_uris=[CALLBACK])
    create = play("authentik_application", **APPLICATION)
    mark = double.mark()
    repeat = play("authentik_application", **APPLICATION)
    assert double.writes_since(mark) == []
    assert create["changed"] is True
    assert len(create["pk"]) == 36
    assert isinstance(create["application"]["provider"], int)
    assert create["issuer"] == double.url + "/application/o/minio/"
    assert create["openid_configuration_url"] == double.url + "/application/o/minio/.well-known/openid-configuration"
    assert create["jwks_url"] == double.url + "/application/o/minio/jwks/"
    assert create["launch_url"] == "https://minio.example.com"
    assert repeat["changed"] is False

    # the provider now reports the issuer too; its result carries the client secret
    provider = play.no_log("authentik_oauth2_provider", name="MinIO", redirect_uris=[CALLBACK])
    # the discovery document answers at the returned URL
    discovery = requests.get(create["openid_configuration_url"], timeout=10)
    discovery.raise_for_status()

    update = play("authentik_application", slug="minio", meta_description="Object storage", open_in_new_tab=True)
    mark = double.mark()
    check = play("authentik_application", check_mode=True, slug="minio", meta_publisher="MinIO, Inc.")
    assert double.writes_since(mark) == []
    # a real change: unbind the provider
    diffed = play("authentik_application", diff=True, slug="minio", provider="", name="MinIO Console")
    assert provider["issuer"] == create["issuer"]
    assert provider["application_slug"] == "minio"
    assert discovery.json()["issuer"] == create["issuer"]
    assert update["changed"] is True
    assert update["application"]["meta_description"] == "Object storage"
    assert check["changed"] is True
    assert check["application"]["meta_publisher"] == "MinIO, Inc."
    assert diffed["changed"] is True
    assert diffed["diff"]["before"] == dict(slug="minio", name="MinIO", provider="MinIO", state="present")
    assert diffed["diff"]["after"] == dict(slug="minio", name="MinIO Console", provider=None, state="present")
    assert diffed["issuer"] is None

    delete = play("authentik_application", slug="minio", state="absent")
    delete_again = play("authentik_application", slug="minio", state="absent")
    assert delete["changed"] is True
    assert delete_again["changed"] is False
    assert delete_again["application"] is None


def group(double, play, dialect):  # pylint: disable=unused-argument
    create = play("authentik_group", name="minio-admins", users=["akadmin"], attributes={"minio_policy": "consoleAdmin", "tier": 1})
    mark = double.mark()
    # attributes in another order, a user twice
    repeat = play("authentik_group", name="minio-admins", users=["akadmin", "akadmin"],
                  attributes={"tier": 1, "minio_policy": "consoleAdmin"})
    assert double.writes_since(mark) == []
    update = play("authentik_group", name="minio-admins", users=[])  # no members
    mark = double.mark()
    check = play("authentik_group", check_mode=True, name="minio-admins", attributes={"minio_policy": "readwrite"})
    assert double.writes_since(mark) == []
    diffed = play("authentik_group", diff=True, name="minio-admins", users=["akadmin"])
    # a missing user fails before any write, naming the users that exist
    missing = play.failing("authentik_group", name="minio-admins", users=["nobody"])
    assert create["changed"] is True
    assert len(create["group"]["users"]) == 1
    assert create["group"]["attributes"] == dict(minio_policy="consoleAdmin", tier=1)
    assert repeat["changed"] is False
    assert update["changed"] is True
    assert update["group"]["users"] == []
    assert check["changed"] is True
    assert diffed["changed"] is True
    assert diffed["diff"]["before"] == dict(name="minio-admins", users=[], state="present")
    assert diffed["diff"]["after"] == dict(name="minio-admins", users=["akadmin"], state="present")
    assert "users: user 'nobody' not found" in missing["msg"]
    assert "akadmin" in missing["msg"]

    delete = play("authentik_group", name="minio-admins", state="absent")
    delete_again = play("authentik_group", name="minio-admins", state="absent")
    assert delete["changed"] is True
    assert delete_again["changed"] is False


def policy_binding(double, play, dialect):  # pylint: disable=unused-argument
    app = play("authentik_application", slug="minio", name="MinIO")  # the application to restrict
    bound = play("authentik_group", name="minio-users")  # the group to bind
    binding = dict(application="minio", group="minio-users")
    create = play("authentik_policy_binding", order=10, **binding)
    mark = double.mark()
    repeat = play("authentik_policy_binding", order=10, **binding)
    assert double.writes_since(mark) == []
    update = play("authentik_policy_binding", order=20, evaluation_timeout=10, **binding)
    mark = double.mark()
    check = play("authentik_policy_binding", check_mode=True, order=20, negate=True, **binding)
    assert double.writes_since(mark) == []
    diffed = play("authentik_policy_binding", diff=True, order=30, enabled=False, **binding)
    # a user binding next to the group binding
    user_binding = play("authentik_policy_binding", application="minio", user="akadmin", order=40)
    assert create["changed"] is True
    assert create["binding"]["target"] == app["pk"]
    assert create["binding"]["group"] == bound["pk"]
    assert create["binding"]["order"] == 10
    assert repeat["changed"] is False
    assert repeat["pk"] == create["pk"]
    assert update["changed"] is True
    assert update["binding"]["order"] == 20 and update["binding"]["timeout"] == 10
    assert check["changed"] is True
    assert check["binding"]["negate"] is True
    assert diffed["changed"] is True
    assert diffed["diff"]["before"] == dict(application="minio", group="minio-users", order=20, enabled=True, state="present")
    assert diffed["diff"]["after"] == dict(application="minio", group="minio-users", order=30, enabled=False, state="present")
    assert user_binding["changed"] is True
    assert user_binding["pk"] != create["pk"]
    assert isinstance(user_binding["binding"]["user"], int)

    # deleted once; the user binding stays
    delete = play("authentik_policy_binding", state="absent", **binding)
    delete_again = play("authentik_policy_binding", state="absent", **binding)
    assert delete["changed"] is True
    assert delete_again["changed"] is False
    assert delete_again["binding"] is None


def info(double, play, dialect):  # pylint: disable=unused-argument
    """A read-only module has no lifecycle of its own: objects made with the other modules are read back (by natural
    key, filters, JMESPath query); reading never writes, in check mode neither, and an absent object reads as empty."""
    play("authentik_oauth2_provider", name="MinIO", client_id="minio", client_secret=SECRET, authorization_flow=FLOW,
         redirect_uris=[CALLBACK])
    play("authentik_application", slug="minio", name="MinIO", provider="MinIO")
    play("authentik_policy_binding", application="minio", user="akadmin")
    mark = double.mark()
    provider = play("authentik_info", kind="oauth2_provider", name="MinIO", query="[0].client_id")
    openid = play("authentik_info", check_mode=True, kind="scope_mapping", filters={"scope_name": "openid"},
                  query="[].managed")
    bindings = play("authentik_info", kind="policy_binding", application="minio")
    nope = play("authentik_info", kind="application", name="nope")
    flow = play("authentik_info", kind="flow", name=FLOW)
    assert double.writes_since(mark) == []
    # a bad query fails with JMESPath's words
    bad_query = play.failing("authentik_info", kind="flow", query="[?")
    assert provider["changed"] is False
    assert provider["result"] == "minio"
    assert len(provider["objects"]) == 1
    assert "client_secret" not in provider["objects"][0]
    assert re.match("20[0-9][0-9][.]", provider["version"])
    assert openid["result"] == ["goauthentik.io/providers/oauth2/scope-openid"]
    assert len(bindings["objects"]) == 1
    assert isinstance(bindings["objects"][0]["user"], int)
    assert nope["objects"] == []
    assert flow["objects"][0]["slug"] == FLOW
    assert re.match("query:", bad_query["msg"])


LIFECYCLES = (scope_mapping, oauth2_provider, application, group, policy_binding, info)


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=[lifecycle.__name__ for lifecycle in LIFECYCLES])
@pytest.mark.parametrize("dialect", AUTHENTIK_DIALECTS)
def test_lifecycle(dialect, lifecycle, start_double):
    double = start_double("authentik", "--api-version", dialect, "--token", TOKEN)
    play = Play({"authentik_": dict(url=double.url, token=TOKEN, timeout=10)})
    lifecycle(double, play, dialect)

    requests_seen = double.requests()
    assert requests_seen, "the lifecycle sent nothing to its double"
    # the module never writes what it did not need to: no PUT (full replacement) ever
    assert not [entry for entry in requests_seen if entry["method"] == "PUT"]
    play.assert_not_returned(TOKEN)
    play.assert_not_shown(SECRET, ROTATED_SECRET)
    play.assert_no_warnings()
