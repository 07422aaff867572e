# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The authentik modules in-process, over a minimal in-memory API: payloads, comparison, diff, check mode.

The fake below answers only what these tests need, in the shapes authentik's serializers emit; the HTTP-level behaviour
is covered by the integration tests against the authentik double.
"""

from __future__ import annotations

import copy
import json
import uuid
from unittest import mock

import pytest


from ansible.module_utils.testing import patch_module_args  # noqa: E402

from ansible_collections.sso.authentik_minio.plugins.module_utils import _authentik_client  # noqa: E402
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_entity import (  # noqa: E402
    argument_spec_from_entity_spec,
)
from ansible_collections.sso.authentik_minio.plugins.modules import (  # noqa: E402
    authentik_application,
    authentik_group,
    authentik_info,
    authentik_oauth2_provider,
    authentik_policy_binding,
    authentik_scope_mapping,
)

TOKEN = "unit-token-0123456789"
BASE = "http://localhost:9000"  # loopback: plain http to it is no warning (_tls.connection_warnings)
SECRET = "given-secret-abcdefghijklmnopqrstuvwxyz-0123456789"
CONTROL_PARAMS = ("page", "page_size", "superuser_full_list", "include_users")


class Response:
    def __init__(self, status, body=None):
        self.status_code = status
        self.content = b"" if body is None else json.dumps(body).encode()
        self.headers = {}

    def json(self):
        return json.loads(self.content.decode())


class FakeAuthentik:
    """In-memory collections keyed by API path; list filters are exact, as authentik's are."""

    def __init__(self, version="2025.12.4"):
        self.version = version
        self.headers = {}
        self.verify = True
        self.calls = []
        self.next_int = 10
        scope = "propertymappings/provider/scope/" if version >= "2024.8" else "propertymappings/scope/"
        self.scope_path = scope
        self.detail_by = {"core/applications/": "slug", "flows/instances/": "slug"}
        self.data = {
            "flows/instances/": [self.obj(slug=s, name=s, designation=d) for s, d in (
                ("default-provider-authorization-implicit-consent", "authorization"),
                ("default-provider-invalidation-flow", "invalidation"))],
            "crypto/certificatekeypairs/": [
                self.obj(name="authentik Self-signed Certificate", private_key_available=True),
                self.obj(name="cert only", private_key_available=False)],
            scope: [self.obj(name="authentik default OAuth Mapping: OpenID '%s'" % s, scope_name=s,
                             managed="goauthentik.io/providers/oauth2/scope-%s" % s, expression="return {}")
                    for s in ("openid", "email", "profile")],
            "core/users/": [{"pk": 3, "username": "akadmin"}, {"pk": 4, "username": "alice"}],
            "providers/oauth2/": [],
            "core/applications/": [],
            "core/groups/": [],
            "policies/bindings/": [],
        }

    @staticmethod
    def obj(**fields):
        return dict(pk=str(uuid.uuid4()), **fields)

    def writes(self):
        return [call for call in self.calls if call[0] != "GET"]

    def request(self, method, url, params=None, json=None, timeout=None, verify=None):  # pylint: disable=redefined-outer-name
        path = url[len(BASE + "/api/v3/"):]
        self.calls.append((method, path, copy.deepcopy(params), copy.deepcopy(json)))
        if path == "admin/version/":
            return Response(200, {"version_current": self.version})
        for collection, objects in self.data.items():
            if path == collection:
                if method == "GET":
                    return Response(200, self.listing(objects, params or {}))
                if method == "POST":
                    return self.create(collection, json)
            if path.startswith(collection):
                ident = path[len(collection):].rstrip("/")
                key = self.detail_by.get(collection, "pk")
                found = [o for o in objects if str(o.get(key)) == ident]
                if not found:
                    return Response(404, {"detail": "Not found."})
                if method == "GET":
                    return Response(200, found[0])
                if method == "PATCH":
                    found[0].update(json)
                    return Response(200, found[0])
                if method == "DELETE":
                    objects.remove(found[0])
                    return Response(204)
        return Response(404, {"detail": "no route %s %s" % (method, path)})

    def listing(self, objects, params):
        def ok(obj):
            for key, value in params.items():
                if key in CONTROL_PARAMS:
                    continue
                values = value if isinstance(value, list) else [value]
                if str(obj.get(key)) not in [str(v) for v in values]:
                    return False
            return True

        results = [o for o in objects if ok(o)]
        return {"pagination": {"next": 0, "previous": 0, "count": len(results), "current": 1}, "results": results}

    def create(self, collection, body):
        if collection == "providers/oauth2/":
            self.next_int += 1
            obj = dict(pk=self.next_int, client_id="generated-id", client_secret="generated-secret-" + "x" * 40,
                       assigned_application_slug=None, issuer_mode="per_provider", property_mappings=[])
        else:
            obj = self.obj()
        obj.update(body)
        if collection == "core/applications/" and obj.get("provider"):
            for provider in self.data["providers/oauth2/"]:
                if provider["pk"] == obj["provider"]:
                    provider["assigned_application_slug"] = obj["slug"]
        self.data[collection].append(obj)
        return Response(201, obj)


@pytest.fixture
def fake():
    return FakeAuthentik()


def run(module, args, fake_api, capsys, check=False, diff=True):
    params = dict(url=BASE, token=TOKEN, _ansible_check_mode=check, _ansible_diff=diff)
    params.update(args)
    with patch_module_args(params), mock.patch.object(_authentik_client.requests, "Session", lambda: fake_api):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


PROVIDER = dict(name="MinIO", client_id="minio", authorization_flow="default-provider-authorization-implicit-consent",
                redirect_uris=["https://minio.test/oauth_callback", {"url": "https://m-.*", "matching_mode": "regex"}])


def mapping(fake_api, name, scope):
    fake_api.data[fake_api.scope_path].append(fake_api.obj(name=name, scope_name=scope, expression="return {}"))
    return fake_api.data[fake_api.scope_path][-1]["pk"]


# -- the entity spec ---------------------------------------------------------------------------------
def test_entity_spec_becomes_an_argument_spec():
    spec = argument_spec_from_entity_spec(authentik_oauth2_provider.ENTITY_SPEC)
    assert spec["authorization_flow"] == {"type": "str"}
    assert spec["property_mappings"] == {"type": "list", "elements": "str", "default": []}
    assert spec["redirect_uris"] == {"type": "list", "elements": "raw"}
    assert spec["client_secret"] == {"type": "str", "no_log": True}
    assert spec["grant_types"]["type"] == "list" and "since" not in spec["grant_types"]


# -- OAuth2 provider ---------------------------------------------------------------------------------
def test_provider_create_payload_resolves_references_and_adds_defaults(fake, capsys):
    minio_pk = mapping(fake, "MinIO policy", "minio")
    result = run(authentik_oauth2_provider, dict(PROVIDER, property_mappings=["minio"], access_token_validity="hours=1"),
                 fake, capsys)
    assert result["changed"] is True
    (method, path, _params, body), = fake.writes()
    assert (method, path) == ("POST", "providers/oauth2/")
    flows = dict((f["slug"], f["pk"]) for f in fake.data["flows/instances/"])
    assert body["authorization_flow"] == flows["default-provider-authorization-implicit-consent"]
    assert body["invalidation_flow"] == flows["default-provider-invalidation-flow"]
    assert body["signing_key"] == fake.data["crypto/certificatekeypairs/"][0]["pk"]
    defaults = [m["pk"] for m in fake.data[fake.scope_path][:3]]
    assert body["property_mappings"] == defaults + [minio_pk]
    assert body["redirect_uris"] == [{"matching_mode": "strict", "url": "https://minio.test/oauth_callback"},
                                     {"matching_mode": "regex", "url": "https://m-.*"}]
    assert body["client_type"] == "confidential" and "client_secret" not in body
    # the generated secret is kept and returned, never shown in the diff
    assert result["client_secret"] == "generated-secret-" + "x" * 40
    assert "client_secret" not in result["provider"]
    assert result["pk"] == 11 and result["client_id"] == "minio"
    assert result["issuer"] is None and result["openid_configuration_url"] is None
    assert result["diff"]["before"] == {"state": "absent"}
    assert result["diff"]["after"]["property_mappings"] == sorted(["email", "openid", "profile", "minio"])
    assert result["diff"]["after"]["authorization_flow"] == "default-provider-authorization-implicit-consent"


def test_provider_repeat_is_unchanged_and_writes_nothing(fake, capsys):
    args = dict(PROVIDER, client_secret=SECRET, access_token_validity="hours=1")
    run(authentik_oauth2_provider, args, fake, capsys)
    fake.calls.clear()
    result = run(authentik_oauth2_provider, dict(args, access_token_validity="minutes=60"), fake, capsys)
    assert result["changed"] is False and fake.writes() == []
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["diff"]["after"]["client_secret"] == "********"


def test_provider_update_patches_only_the_difference_and_hides_the_secret(fake, capsys):
    run(authentik_oauth2_provider, dict(PROVIDER, client_secret=SECRET), fake, capsys)
    fake.calls.clear()
    result = run(authentik_oauth2_provider, dict(PROVIDER, client_secret=SECRET + "-new", include_claims_in_id_token=False),
                 fake, capsys)
    (method, path, _params, body), = fake.writes()
    assert (method, path) == ("PATCH", "providers/oauth2/11/")
    assert body == {"client_secret": SECRET + "-new", "include_claims_in_id_token": False}
    assert result["diff"]["before"]["client_secret"] == "******** (changed)"
    assert result["diff"]["after"]["client_secret"] == "******** (changed)"
    text = json.dumps(result)
    assert SECRET not in text.replace("VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", "")
    # a given secret is the caller's already: none is returned, so the task needs no no_log
    assert result["client_secret"] is None and result["client_secret_changed"] is True


def test_provider_secret_on_create_only_keeps_the_stored_secret(fake, capsys):
    args = dict(PROVIDER, client_secret=SECRET, update_client_secret="on_create")
    created = run(authentik_oauth2_provider, args, fake, capsys)
    assert created["client_secret_changed"] is True
    assert fake.data["providers/oauth2/"][0]["client_secret"] == SECRET
    fake.calls.clear()
    # a new draw on every run: the existing provider keeps its secret, nothing is written or returned
    again = run(authentik_oauth2_provider, dict(args, client_secret=SECRET + "-drawn-again"), fake, capsys)
    assert again["changed"] is False and fake.writes() == []
    assert again["client_secret_changed"] is False and again["client_secret"] is None
    assert fake.data["providers/oauth2/"][0]["client_secret"] == SECRET
    # always (the default) writes the new one, and says so in check mode too
    planned = run(authentik_oauth2_provider, dict(args, client_secret=SECRET + "-new", update_client_secret="always"),
                  fake, capsys, check=True)
    assert planned["client_secret_changed"] is True and fake.writes() == []
    removed = run(authentik_oauth2_provider, dict(PROVIDER, state="absent"), fake, capsys)
    assert removed["changed"] is True and removed["client_secret_changed"] is False


def test_provider_created_by_another_run_at_the_same_time_keeps_the_winners_secret(fake, capsys):
    """Two runs drew two secrets; the one whose create lost (400: it exists now) must not overwrite the winner's
    secret, or the winner hands MinIO a secret authentik no longer has."""
    real_create = fake.create

    def create_lost_the_race(collection, body):
        if collection == "providers/oauth2/" and not fake.data[collection]:
            real_create(collection, dict(body, client_secret=SECRET + "-winner"))
            return Response(400, {"name": ["provider with this name already exists."]})
        return real_create(collection, body)

    fake.create = create_lost_the_race
    result = run(authentik_oauth2_provider, dict(PROVIDER, client_secret=SECRET, update_client_secret="on_create"),
                 fake, capsys)
    assert result["client_secret_changed"] is False
    assert fake.data["providers/oauth2/"][0]["client_secret"] == SECRET + "-winner"
    assert [call[0] for call in fake.writes()] == ["POST"]  # no PATCH of the secret


def test_provider_check_mode_computes_the_same_change_without_writing(fake, capsys):
    result = run(authentik_oauth2_provider, PROVIDER, fake, capsys, check=True)
    assert result["changed"] is True and fake.writes() == [] and result["pk"] is None
    run(authentik_oauth2_provider, PROVIDER, fake, capsys)
    fake.calls.clear()
    result = run(authentik_oauth2_provider, dict(PROVIDER, sub_mode="user_email"), fake, capsys, check=True)
    assert result["changed"] is True and fake.writes() == []
    assert result["diff"]["after"]["sub_mode"] == "user_email"
    assert result["provider"]["sub_mode"] == "user_email"


def test_provider_missing_references_fail_before_any_write_naming_what_exists(fake, capsys):
    result = run(authentik_oauth2_provider, dict(PROVIDER, authorization_flow="no-such-flow"), fake, capsys)
    assert result["failed"] is True and fake.writes() == []
    assert "authorization_flow: flow 'no-such-flow' not found" in result["msg"]
    assert "'default-provider-authorization-implicit-consent'" in result["msg"]
    result = run(authentik_oauth2_provider, dict(PROVIDER, property_mappings=["nope"]), fake, capsys)
    assert "scope mapping 'nope' not found (looked up by name or scope_name)" in result["msg"]
    result = run(authentik_oauth2_provider, dict(PROVIDER, signing_key="cert only"), fake, capsys)
    assert "has no private key" in result["msg"] and fake.writes() == []


def test_ambiguous_scope_name_is_an_error(fake, capsys):
    mapping(fake, "one", "minio")
    mapping(fake, "two", "minio")
    result = run(authentik_oauth2_provider, dict(PROVIDER, property_mappings=["minio"]), fake, capsys)
    assert result["failed"] is True and "more than one scope mapping has scope_name 'minio'" in result["msg"]


def test_options_newer_than_the_server_fail_before_any_write(fake, capsys):
    result = run(authentik_oauth2_provider, dict(PROVIDER, grant_types=["authorization_code"]), fake, capsys)
    assert result["failed"] is True and fake.writes() == []
    assert result["msg"] == ("option grant_types needs authentik 2026.5 or newer; this server runs 2025.12.4, so nothing "
                             "was changed; leave grant_types out for this server")


def test_provider_created_on_2026_5_without_grant_types_gets_a_working_default(capsys):
    fake = FakeAuthentik("2026.5.8")
    result = run(authentik_oauth2_provider, PROVIDER, fake, capsys)
    (method, _path, _params, body), = fake.writes()
    # authentik would store [] for a provider created without grant types, and refuse every login with it
    assert method == "POST" and body["grant_types"] == ["authorization_code", "refresh_token"]
    assert result["diff"]["after"]["grant_types"] == ["authorization_code", "refresh_token"]
    # an existing provider's grant types are left as they are when the option is not given
    fake.data["providers/oauth2/"][0]["grant_types"] = ["client_credentials"]
    fake.calls.clear()
    assert run(authentik_oauth2_provider, PROVIDER, fake, capsys)["changed"] is False and fake.writes() == []
    # before 2026.5 nothing is added
    old = FakeAuthentik("2025.12.4")
    run(authentik_oauth2_provider, PROVIDER, old, capsys)
    assert "grant_types" not in old.writes()[0][3]


def test_provider_grant_types_are_never_sent_empty_and_token_exchange_needs_2026_8(capsys):
    fake = FakeAuthentik("2026.5.8")
    result = run(authentik_oauth2_provider, dict(PROVIDER, grant_types=[]), fake, capsys)
    assert result["failed"] is True and fake.calls == []
    assert result["msg"].startswith("grant_types: must not be empty")
    exchange = "urn:ietf:params:oauth:grant-type:token-exchange"
    result = run(authentik_oauth2_provider, dict(PROVIDER, grant_types=["authorization_code", exchange]), fake, capsys)
    assert result["failed"] is True and fake.writes() == []
    assert result["msg"] == ("grant_types: %s needs authentik 2026.8 or newer; this server runs 2026.5.8, so nothing was "
                             "changed" % exchange)
    new = FakeAuthentik("2026.8.5")
    result = run(authentik_oauth2_provider, dict(PROVIDER, grant_types=["authorization_code", exchange]), new, capsys)
    assert result["changed"] is True and new.writes()[0][3]["grant_types"] == ["authorization_code", exchange]


def test_server_versions_outside_the_verified_range(capsys):
    # (first: Ansible keeps a module's warnings for the whole process)
    current = FakeAuthentik("2026.8.5")
    result = run(authentik_info, dict(kind="flow"), current, capsys)
    assert result["verified"] is True and "newer than" not in json.dumps(result.get("warnings", []))
    newer = FakeAuthentik("2026.11.0")
    result = run(authentik_info, dict(kind="flow"), newer, capsys)
    assert result["verified"] is False and result["version"] == "2026.11.0"
    assert ("authentik 2026.11.0 is newer than the newest release this collection was verified against (2026.8.5); "
            "it is used as that release, but check the result") in json.dumps(result["warnings"])
    older = FakeAuthentik("2024.4.3")
    result = run(authentik_group, dict(name="g"), older, capsys)
    assert result["failed"] is True and older.writes() == []
    assert "authentik 2024.4.3 is not supported" in result["msg"] and "2024.6 or newer" in result["msg"]


def test_info_says_what_the_server_has_so_roles_never_compare_versions(capsys):
    for version, grant_types, exchange in (("2025.12.4", False, False), ("2026.5.8", True, False), ("2026.8.5", True, True)):
        features = run(authentik_info, dict(kind="flow"), FakeAuthentik(version), capsys)["features"]
        assert features["grant_types"] is grant_types and features["token_exchange"] is exchange
        assert features["expiring_bindings"] is exchange
        assert features["default_grant_types"] == (["authorization_code", "refresh_token"] if grant_types else [])


def test_provider_on_2024_6_uses_the_string_redirect_uris_and_no_invalidation_flow(capsys):
    fake = FakeAuthentik("2024.6.4")
    minio_pk = mapping(fake, "MinIO policy", "minio")
    run(authentik_oauth2_provider, dict(PROVIDER, property_mappings=["MinIO policy"]), fake, capsys)
    body = fake.writes()[0][3]
    assert body["redirect_uris"] == "https://minio.test/oauth_callback\nhttps://m-.*"
    assert "invalidation_flow" not in body and minio_pk in body["property_mappings"]
    assert any(path == "propertymappings/scope/" for _m, path, _p, _b in fake.calls)
    fake.calls.clear()
    assert run(authentik_oauth2_provider, dict(PROVIDER, property_mappings=["MinIO policy"]), fake, capsys)["changed"] is False
    result = run(authentik_oauth2_provider, dict(PROVIDER, invalidation_flow="default-provider-invalidation-flow"), fake, capsys)
    assert "needs authentik 2024.10 or newer" in result["msg"]


def test_older_servers_are_refused(capsys):
    result = run(authentik_scope_mapping, dict(name="x"), FakeAuthentik("2024.4.3"), capsys)
    assert result["failed"] is True and "authentik 2024.4.3 is not supported" in result["msg"]


# -- scope mapping, group, application, binding --------------------------------------------------------
def test_scope_mapping_create_needs_scope_and_expression_and_delete_is_idempotent(fake, capsys):
    result = run(authentik_scope_mapping, dict(name="m"), fake, capsys)
    assert result["msg"] == "creating scope mapping 'm' needs scope_name, expression" and fake.writes() == []
    run(authentik_scope_mapping, dict(name="m", scope_name="minio", expression="return {}"), fake, capsys)
    result = run(authentik_scope_mapping, dict(name="m", state="absent"), fake, capsys)
    assert result["changed"] is True and result["diff"]["after"] == {"state": "absent"}
    assert fake.writes()[-1][0] == "DELETE"
    fake.calls.clear()
    result = run(authentik_scope_mapping, dict(name="m", state="absent"), fake, capsys)
    assert result["changed"] is False and fake.writes() == [] and result["scope_mapping"] is None


def test_group_users_by_username_compare_as_a_set(fake, capsys):
    run(authentik_group, dict(name="g", users=["alice", "akadmin"], attributes={"a": 1}), fake, capsys)
    assert fake.writes()[0][3] == {"name": "g", "users": [4, 3], "attributes": {"a": 1}}
    fake.calls.clear()
    result = run(authentik_group, dict(name="g", users=["akadmin", "alice"], attributes={"a": 1}), fake, capsys)
    assert result["changed"] is False and fake.writes() == []
    result = run(authentik_group, dict(name="g", users=["akadmin"]), fake, capsys)
    assert fake.writes()[0][3] == {"users": [3]}
    assert result["diff"]["before"]["users"] == ["akadmin", "alice"] and result["diff"]["after"]["users"] == ["akadmin"]
    result = run(authentik_group, dict(name="g", users=["bob"]), fake, capsys)
    assert "users: user 'bob' not found" in result["msg"] and "'akadmin', 'alice'" in result["msg"]


def test_application_returns_its_urls(fake, capsys):
    run(authentik_oauth2_provider, PROVIDER, fake, capsys)
    result = run(authentik_application, dict(slug="minio", name="MinIO", provider="MinIO", meta_launch_url="https://m"),
                 fake, capsys)
    assert result["issuer"] == BASE + "/application/o/minio/"
    assert result["openid_configuration_url"] == BASE + "/application/o/minio/.well-known/openid-configuration"
    assert result["jwks_url"] == BASE + "/application/o/minio/jwks/"
    assert result["token_url"] == BASE + "/application/o/token/"
    assert result["diff"]["after"]["provider"] == "MinIO"
    provider = run(authentik_oauth2_provider, PROVIDER, fake, capsys)
    assert provider["issuer"] == BASE + "/application/o/minio/" and provider["application_slug"] == "minio"


def test_binding_patch_repeats_its_identity(fake, capsys):
    run(authentik_application, dict(slug="minio", name="MinIO"), fake, capsys)
    run(authentik_group, dict(name="g"), fake, capsys)
    run(authentik_policy_binding, dict(application="minio", group="g", order=5), fake, capsys)
    app_pk = fake.data["core/applications/"][0]["pk"]
    group_pk = fake.data["core/groups/"][0]["pk"]
    assert fake.writes()[-1][3] == {"target": app_pk, "group": group_pk, "order": 5}
    fake.calls.clear()
    result = run(authentik_policy_binding, dict(application="minio", group="g", order=6, negate=True), fake, capsys)
    (method, _path, _params, body), = fake.writes()
    assert method == "PATCH" and body == {"target": app_pk, "group": group_pk, "order": 6, "negate": True}
    assert result["diff"]["before"]["application"] == "minio" and result["diff"]["after"]["order"] == 6
    result = run(authentik_policy_binding, dict(application="minio", group="g", user="akadmin"), fake, capsys)
    assert "mutually exclusive" in result["msg"]


def test_binding_leaves_temporary_bindings_alone(capsys):
    fake = FakeAuthentik("2026.8.5")
    run(authentik_application, dict(slug="minio", name="MinIO"), fake, capsys)
    run(authentik_group, dict(name="g"), fake, capsys)
    app_pk, group_pk = fake.data["core/applications/"][0]["pk"], fake.data["core/groups/"][0]["pk"]
    temporary = fake.obj(target=app_pk, group=group_pk, user=None, policy=None, order=0, enabled=True,
                         expires="2026-12-01T10:00:00.000000Z", expiring=True)
    fake.data["policies/bindings/"].append(temporary)
    fake.calls.clear()
    # a temporary binding of the same group is neither adopted nor changed: a binding of our own is created
    result = run(authentik_policy_binding, dict(application="minio", group="g", order=5), fake, capsys)
    (method, _path, _params, body), = fake.writes()
    assert result["changed"] is True and method == "POST" and body == {"target": app_pk, "group": group_pk, "order": 5}
    assert result["temporary_bindings"] == [dict(pk=temporary["pk"], expires=temporary["expires"], enabled=True)]
    fake.data["policies/bindings/"][-1].update(expires=None, expiring=False)
    # nor does it count as a second binding
    fake.calls.clear()
    result = run(authentik_policy_binding, dict(application="minio", group="g", order=5), fake, capsys)
    assert result["changed"] is False and fake.writes() == [] and len(result["temporary_bindings"]) == 1
    # and removing ours leaves it in place
    result = run(authentik_policy_binding, dict(application="minio", group="g", state="absent"), fake, capsys)
    (method, path, _params, _body), = fake.writes()
    assert method == "DELETE" and temporary["pk"] not in path
    assert [b["pk"] for b in fake.data["policies/bindings/"]] == [temporary["pk"]]


def test_binding_absent_when_the_application_does_not_exist(fake, capsys):
    result = run(authentik_policy_binding, dict(application="nope", user="akadmin", state="absent"), fake, capsys)
    assert result["changed"] is False and fake.writes() == []


# -- info ------------------------------------------------------------------------------------------------
def test_info_query_and_secret_removal(fake, capsys):
    run(authentik_oauth2_provider, PROVIDER, fake, capsys)
    result = run(authentik_info, dict(kind="oauth2_provider", name="MinIO", query="[0].client_id"), fake, capsys)
    assert result["changed"] is False and result["result"] == "minio" and result["version"] == "2025.12.4"
    assert "client_secret" not in result["objects"][0]
    result = run(authentik_info, dict(kind="oauth2_provider", include_secrets=True), fake, capsys)
    assert result["objects"][0]["client_secret"].startswith("generated-secret-")
    result = run(authentik_info, dict(kind="scope_mapping", filters={"scope_name": "email"}, query="[].name"), fake, capsys)
    assert result["result"] == ["authentik default OAuth Mapping: OpenID 'email'"]
    result = run(authentik_info, dict(kind="policy_binding", name="x"), fake, capsys)
    assert result["failed"] is True and "use application" in result["msg"]


# -- connection options --------------------------------------------------------------------------------
def test_connection_options_come_from_the_terraform_provider_variables(fake, capsys, monkeypatch):
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):  # else verify is the bundle they name
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUTHENTIK_URL", BASE)
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)
    monkeypatch.setenv("AUTHENTIK_INSECURE", "true")
    with patch_module_args(dict(name="x", state="absent")), \
            mock.patch.object(_authentik_client.requests, "Session", lambda: fake):
        with pytest.raises(SystemExit):
            authentik_scope_mapping.main()
    result = json.loads(capsys.readouterr().out)
    assert result["changed"] is False and fake.verify is False
    assert result["invocation"]["module_args"]["validate_certs"] is False
    assert result["invocation"]["module_args"]["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    monkeypatch.setenv("AUTHENTIK_INSECURE", "false")
    assert run(authentik_scope_mapping, dict(name="x", state="absent"), fake, capsys)["changed"] is False
    assert fake.verify is True


def test_entity_options_may_not_shadow_connection_options():
    from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_entity import AuthentikEntityModule

    with pytest.raises(ValueError, match="clash with the connection options: timeout"):
        AuthentikEntityModule("group", dict(name=dict(required=True), timeout=dict(type="int")), "group")
