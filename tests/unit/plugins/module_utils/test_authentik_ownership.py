# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ownership marks: the pure mark functions, then the resource modules run in-process with ``owner`` set.

The module runs use the in-memory authentik of tests/unit/plugins/modules/test_authentik_modules.py
(``FakeAuthentik``, ``run``); every refusal is checked to happen before any write.
"""

from __future__ import annotations

import os
import sys

import pytest

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikError
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_ownership import (
    MARK_KEY,
    WRITE_ATTEMPTS,
    attribute_mark,
    check_deployment_name,
    description_mark,
    manifest_name,
    with_attribute_mark,
    with_description_mark,
)
from ansible_collections.sso.authentik_minio.plugins.modules import (
    authentik_application,
    authentik_deployment,
    authentik_group,
    authentik_oauth2_provider,
    authentik_scope_mapping,
    authentik_service_account,
)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "modules"))
from test_authentik_modules import BASE, PROVIDER, FakeAuthentik, Response, mapping, run  # noqa: E402  pylint: disable=wrong-import-position

DEP = "minio-a"
OTHER = "minio-b"


# -- the pure functions ------------------------------------------------------------------------------
def test_attribute_mark_round_trip_sorts_deduplicates_and_keeps_other_attributes():
    original = {"minio_policy": "consoleAdmin"}
    marked = with_attribute_mark(original, [OTHER, DEP, OTHER], True)
    assert marked == {"minio_policy": "consoleAdmin", MARK_KEY: {"deployments": [DEP, OTHER], "created": True}}
    assert original == {"minio_policy": "consoleAdmin"}  # not changed in place
    assert attribute_mark(marked) == ([DEP, OTHER], True)
    assert attribute_mark({MARK_KEY: {"deployments": [OTHER, DEP, DEP]}}) == ([DEP, OTHER], False)


@pytest.mark.parametrize("attributes", [None, {}, {"minio_policy": "x"}, {MARK_KEY: "not a dict"}, {MARK_KEY: None}])
def test_attributes_without_a_mark(attributes):
    assert attribute_mark(attributes) == (None, False)


def test_removing_the_last_deployment_of_an_adopted_group_removes_the_mark_key():
    marked = with_attribute_mark({"tier": 1}, [DEP], False)
    assert with_attribute_mark(marked, [], False) == {"tier": 1}
    assert attribute_mark(with_attribute_mark(marked, [], False)) == (None, False)


def test_description_mark_round_trip():
    text = with_description_mark("MinIO policy", [OTHER, DEP, DEP])
    assert text == "MinIO policy [sso.authentik_minio: minio-a, minio-b]"
    assert description_mark(text) == ("MinIO policy", [DEP, OTHER])
    # marking again replaces the mark instead of appending a second one
    assert with_description_mark(text, [DEP]) == "MinIO policy [sso.authentik_minio: minio-a]"
    # an empty description gets the mark alone, without a leading space
    assert with_description_mark("", [DEP]) == "[sso.authentik_minio: minio-a]"
    assert description_mark("[sso.authentik_minio: minio-a]") == ("", [DEP])
    assert description_mark("x  [sso.authentik_minio:  b ,a,, b ]  ") == ("x", ["a", "b"])


@pytest.mark.parametrize("text", [None, "", "MinIO policy", "MinIO [other.tool: minio-a]",
                                  "[sso.authentik_minio: minio-a] then more text"])
def test_description_without_a_mark(text):
    assert description_mark(text) == (text or "", None)


def test_removing_the_last_deployment_removes_the_description_mark():
    assert with_description_mark("MinIO policy [sso.authentik_minio: minio-a]", []) == "MinIO policy"
    assert with_description_mark("[sso.authentik_minio: minio-a]", []) == ""


def test_deployment_names_are_application_slugs():
    check_deployment_name("minio_staging-2")
    for bad in ("", None, "minio staging", "a/b", "x,y", "x]"):
        with pytest.raises(AuthentikError, match="is not a deployment name"):
            check_deployment_name(bad)
    assert manifest_name(DEP) == "sso.authentik_minio/minio-a"


# -- module runs with owner --------------------------------------------------------------------------
@pytest.fixture
def fake():
    return FakeAuthentik()


def group(fake_api, name, **fields):
    obj = fake_api.obj(name=name, users=[], is_superuser=False, **fields)
    fake_api.data["core/groups/"].append(obj)
    return obj


def find(fake_api, collection, **fields):
    found = [o for o in fake_api.data[collection] if all(o.get(k) == v for k, v in fields.items())]
    return found[0] if found else None


def warnings(result):
    """The warnings' texts (plain strings, or the structured summaries of ansible-core 2.19+)."""
    return [w if isinstance(w, str) else (w.get("event") or {}).get("msg", "") for w in result.get("warnings", [])]


def manifest_objects(fake_api, deployment=DEP):
    manifest = find(fake_api, "core/groups/", name=manifest_name(deployment))
    return None if manifest is None else manifest["attributes"][MARK_KEY]["objects"]


def test_an_unmarked_group_is_refused_before_any_write(fake, capsys):
    group(fake, "minio-admins", attributes={"tier": 1})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, users=["alice"]), fake, capsys)
    assert result.get("failed") is True and fake.writes() == []
    assert "group 'minio-admins' exists and does not carry the ownership mark of deployment 'minio-a'" in result["msg"]
    assert "adopt" in result["msg"]


def test_an_unmarked_scope_mapping_is_refused_before_any_write(fake, capsys):
    mapping(fake, "MinIO policy", "minio")
    result = run(authentik_scope_mapping, dict(name="MinIO policy", owner=DEP, expression="return {'x': 1}"), fake, capsys)
    assert result.get("failed") is True and fake.writes() == []
    assert "scope mapping 'MinIO policy' exists and does not carry the ownership mark" in result["msg"]
    assert "adopt" in result["msg"]


def test_an_unmarked_provider_is_refused_before_any_write(fake, capsys):
    run(authentik_oauth2_provider, PROVIDER, fake, capsys)  # made without owner: not in any manifest
    fake.calls.clear()
    result = run(authentik_oauth2_provider, dict(PROVIDER, owner=DEP, sub_mode="user_email"), fake, capsys)
    assert result.get("failed") is True and fake.writes() == []
    assert "OAuth2 provider 'MinIO' exists and does not carry the ownership mark" in result["msg"]
    assert "adopt" in result["msg"]
    assert manifest_objects(fake) is None


def test_a_managed_scope_mapping_is_refused_even_with_adopt(fake, capsys):
    name = "authentik default OAuth Mapping: OpenID 'email'"
    result = run(authentik_scope_mapping, dict(name=name, owner=DEP, adopt=True, expression="return {}"), fake, capsys)
    assert result.get("failed") is True and fake.writes() == []
    assert "is managed by authentik itself" in result["msg"] and name in result["msg"]
    assert "[sso.authentik_minio" not in (find(fake, fake.scope_path, name=name).get("description") or "")


def test_adopting_an_unmarked_group_marks_it_as_not_created(fake, capsys):
    existing = group(fake, "minio-admins", attributes={"tier": 1})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, adopt=True), fake, capsys)
    assert result["changed"] is True
    (method, path, _params, body), = fake.writes()
    assert (method, path) == ("PATCH", "core/groups/%s/" % existing["pk"])
    assert body == {"attributes": {"tier": 1, MARK_KEY: {"deployments": [DEP], "created": False}}}
    # from now on it is ours: a repeat without adopt writes nothing
    fake.calls.clear()
    result = run(authentik_group, dict(name="minio-admins", owner=DEP), fake, capsys)
    assert result["changed"] is False and fake.writes() == []


def test_adopting_an_unmarked_scope_mapping_marks_its_description(fake, capsys):
    pk = mapping(fake, "MinIO policy", "minio")
    find(fake, fake.scope_path, pk=pk)["description"] = "made by hand"
    result = run(authentik_scope_mapping, dict(name="MinIO policy", owner=DEP, adopt=True), fake, capsys)
    assert result["changed"] is True
    (method, _path, _params, body), = fake.writes()
    assert method == "PATCH" and body == {"description": "made by hand [sso.authentik_minio: minio-a]"}
    fake.calls.clear()
    assert run(authentik_scope_mapping, dict(name="MinIO policy", owner=DEP), fake, capsys)["changed"] is False
    assert fake.writes() == []


def test_adopting_an_unmarked_provider_records_it_in_the_manifest(fake, capsys):
    provider = run(authentik_oauth2_provider, PROVIDER, fake, capsys)
    fake.calls.clear()
    result = run(authentik_oauth2_provider, dict(PROVIDER, owner=DEP, adopt=True), fake, capsys)
    assert result["changed"] is True
    assert manifest_objects(fake) == {"oauth2_provider": [{"key": "MinIO", "pk": provider["pk"]}]}
    assert [w[0] for w in fake.writes()] == ["POST"]  # the manifest group; the provider itself is not patched
    fake.calls.clear()
    result = run(authentik_oauth2_provider, dict(PROVIDER, owner=DEP), fake, capsys)
    assert result["changed"] is False and fake.writes() == []


def test_a_provider_created_with_owner_is_recorded_before_and_after_the_create(fake, capsys):
    result = run(authentik_oauth2_provider, dict(PROVIDER, owner=DEP), fake, capsys)
    assert result["changed"] is True
    writes = [(m, p) for m, p, _params, _body in fake.writes()]
    assert writes[0] == ("POST", "core/groups/")  # the pending entry, before the provider exists
    assert fake.writes()[0][3]["attributes"][MARK_KEY]["objects"] == {
        "oauth2_provider": [{"key": "MinIO", "pk": None}]}
    assert writes[1] == ("POST", "providers/oauth2/")
    assert manifest_objects(fake) == {"oauth2_provider": [{"key": "MinIO", "pk": result["pk"]}]}


def test_a_provider_serving_another_application_is_refused_even_with_adopt(fake, capsys):
    run(authentik_oauth2_provider, PROVIDER, fake, capsys)
    run(authentik_application, dict(slug="other-app", name="Other", provider="MinIO"), fake, capsys)
    assert fake.data["providers/oauth2/"][0]["assigned_application_slug"] == "other-app"
    fake.calls.clear()
    result = run(authentik_oauth2_provider, dict(PROVIDER, owner=DEP, adopt=True), fake, capsys)
    assert result.get("failed") is True and fake.writes() == []
    assert "OAuth2 provider 'MinIO' serves application 'other-app', not deployment 'minio-a'" in result["msg"]
    # the deployment's own application is fine to adopt with
    result = run(authentik_oauth2_provider, dict(PROVIDER, owner="other-app", adopt=True), fake, capsys)
    assert result["changed"] is True and manifest_objects(fake, "other-app")["oauth2_provider"][0]["key"] == "MinIO"


def test_a_group_marked_by_another_deployment_is_joined_without_adopt(fake, capsys):
    existing = group(fake, "minio-admins", attributes={MARK_KEY: {"deployments": [OTHER], "created": True}})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP), fake, capsys)
    assert result["changed"] is True
    (method, _path, _params, body), = fake.writes()
    assert method == "PATCH"
    assert body == {"attributes": {MARK_KEY: {"deployments": [DEP, OTHER], "created": True}}}
    assert attribute_mark(existing["attributes"]) == ([DEP, OTHER], True)
    assert result["diff"]["after"]["attributes"][MARK_KEY]["deployments"] == [DEP, OTHER]


class FakeWithAConcurrentRun(FakeAuthentik):
    """A concurrent run that writes a shared group's attributes as a whole right after each of ours, ``times`` times,
    with only its own deployment in the mark (it read the group before our write)."""

    def __init__(self, times):
        super().__init__()
        self.times = times

    def request(self, method, url, params=None, json=None, timeout=None, verify=None):  # pylint: disable=redefined-outer-name
        response = super().request(method, url, params=params, json=json, timeout=timeout, verify=verify)
        if method in ("POST", "PATCH") and "core/groups/" in url and self.times:
            self.times -= 1
            shared = find(self, "core/groups/", name="minio-admins")
            shared["attributes"] = {MARK_KEY: {"deployments": [OTHER], "created": True}}
        return response


@pytest.mark.parametrize("existing", [False, True], ids=["created", "joined"])
def test_a_mark_a_concurrent_run_overwrote_is_written_again(existing, capsys):
    fake_api = FakeWithAConcurrentRun(times=2)
    if existing:
        group(fake_api, "minio-admins", attributes={MARK_KEY: {"deployments": [OTHER], "created": True}})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP), fake_api, capsys)
    assert result["changed"] is True, result
    assert attribute_mark(find(fake_api, "core/groups/", name="minio-admins")["attributes"]) == ([DEP, OTHER], True)
    assert [w[0] for w in fake_api.writes()] == ["PATCH" if existing else "POST", "PATCH", "PATCH"]


class FakeWhereAnotherRunCreatesFirst(FakeAuthentik):
    """Another deployment's run creates the group (with its own mark) just before our POST, which authentik then
    refuses with 400 (the name is taken)."""

    def request(self, method, url, params=None, json=None, timeout=None, verify=None):  # pylint: disable=redefined-outer-name
        if method == "POST" and url.endswith("/core/groups/") and json.get("name") == "minio-admins":
            if find(self, "core/groups/", name="minio-admins") is None:
                group(self, "minio-admins", attributes={MARK_KEY: {"deployments": [OTHER], "created": True}})
            self.calls.append((method, url[len(BASE + "/api/v3/"):], params, json))
            return Response(400, {"name": ["group with this name already exists."]})
        return super().request(method, url, params=params, json=json, timeout=timeout, verify=verify)


def test_a_group_another_run_created_first_is_joined_not_overwritten(capsys):
    fake_api = FakeWhereAnotherRunCreatesFirst()
    result = run(authentik_group, dict(name="minio-admins", owner=DEP), fake_api, capsys)
    assert result["changed"] is True, result
    assert attribute_mark(find(fake_api, "core/groups/", name="minio-admins")["attributes"]) == ([DEP, OTHER], True)


def test_a_mark_overwritten_at_every_attempt_fails_the_task_and_says_so(capsys):
    fake_api = FakeWithAConcurrentRun(times=100)
    group(fake_api, "minio-admins", attributes={MARK_KEY: {"deployments": [OTHER], "created": True}})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP), fake_api, capsys)
    assert result.get("failed") is True
    assert "kept being overwritten by concurrent runs; run again" in result["msg"], result["msg"]
    assert len(fake_api.writes()) == 1 + WRITE_ATTEMPTS


def test_a_group_created_with_owner_is_marked_created(fake, capsys):
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, attributes={"minio_policy": "consoleAdmin"}),
                 fake, capsys)
    assert result["changed"] is True
    (method, _path, _params, body), = fake.writes()
    assert method == "POST"
    assert body["attributes"] == {"minio_policy": "consoleAdmin", MARK_KEY: {"deployments": [DEP], "created": True}}
    fake.calls.clear()
    # the user's attributes without the mark compare equal: the mark is kept, nothing is written
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, attributes={"minio_policy": "consoleAdmin"}),
                 fake, capsys)
    assert result["changed"] is False and fake.writes() == []


def test_absent_on_a_shared_group_removes_only_its_own_name(fake, capsys):
    existing = group(fake, "minio-admins", attributes={"tier": 1, MARK_KEY: {"deployments": [DEP, OTHER], "created": True}})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is True
    assert [w[0] for w in fake.writes()] == ["PATCH"]
    assert existing in fake.data["core/groups/"]
    assert existing["attributes"] == {"tier": 1, MARK_KEY: {"deployments": [OTHER], "created": True}}
    assert "deployments %s still use it" % OTHER in result["msg"] and "group 'minio-admins' kept" in result["msg"]
    # the other deployment is now the last one: its absent deletes the group
    fake.calls.clear()
    result = run(authentik_group, dict(name="minio-admins", owner=OTHER, state="absent"), fake, capsys)
    assert result["changed"] is True and [w[0] for w in fake.writes()] == ["DELETE"]
    assert find(fake, "core/groups/", name="minio-admins") is None


def test_absent_on_a_shared_group_in_check_mode_writes_nothing(fake, capsys):
    existing = group(fake, "minio-admins", attributes={MARK_KEY: {"deployments": [DEP, OTHER], "created": True}})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys, check=True)
    assert result["changed"] is True and fake.writes() == []
    assert attribute_mark(existing["attributes"]) == ([DEP, OTHER], True)


def test_absent_deletes_a_group_it_created_when_no_one_else_uses_it(fake, capsys):
    run(authentik_group, dict(name="minio-admins", owner=DEP), fake, capsys)
    fake.calls.clear()
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is True and [w[0] for w in fake.writes()] == ["DELETE"]
    assert find(fake, "core/groups/", name="minio-admins") is None
    fake.calls.clear()
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is False and fake.writes() == []


def test_absent_keeps_a_created_group_that_a_binding_outside_the_deployment_refers_to(fake, capsys):
    created = run(authentik_group, dict(name="minio-admins", owner=DEP), fake, capsys)
    fake.data["policies/bindings/"].append(fake.obj(target=fake.obj()["pk"], group=created["pk"], policy=None, order=0))
    fake.calls.clear()
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is True
    assert "DELETE" not in [w[0] for w in fake.writes()]
    kept = find(fake, "core/groups/", name="minio-admins")
    assert kept is not None
    assert "1 policy binding(s) outside deployment 'minio-a' still refer to it" in result["msg"]
    assert DEP not in (attribute_mark(kept["attributes"])[0] or [])


def test_absent_on_an_adopted_group_keeps_it_and_removes_the_mark(fake, capsys):
    existing = group(fake, "minio-admins", attributes={"tier": 1})
    run(authentik_group, dict(name="minio-admins", owner=DEP, adopt=True), fake, capsys)
    fake.calls.clear()
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is True and [w[0] for w in fake.writes()] == ["PATCH"]
    assert existing["attributes"] == {"tier": 1}
    assert "adopted it but did not create it" in result["msg"]


def test_absent_leaves_an_unmarked_group_alone_with_a_warning(fake, capsys):
    existing = group(fake, "minio-admins", attributes={"tier": 1})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is False and fake.writes() == []
    assert existing in fake.data["core/groups/"]
    assert any("group 'minio-admins' is not deployment 'minio-a''s (unmarked)" in w for w in warnings(result))


def test_absent_on_an_object_that_is_not_ours_answers_a_text_msg(fake, capsys):
    # keep_reason() answers True for "not ours, nothing to do"; ensure_absent() must not return it as msg
    group(fake, "minio-admins", attributes={"tier": 1})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys)
    assert isinstance(result.get("msg", ""), str), "msg is %r" % (result["msg"],)


def test_absent_leaves_a_group_of_another_deployment_alone(fake, capsys):
    existing = group(fake, "minio-admins", attributes={MARK_KEY: {"deployments": [OTHER], "created": True}})
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is False and fake.writes() == []
    assert attribute_mark(existing["attributes"]) == ([OTHER], True)
    assert any("(shared)" in w for w in warnings(result))


def test_absent_on_a_shared_scope_mapping_removes_only_its_own_name(fake, capsys):
    pk = mapping(fake, "MinIO policy", "minio")
    obj = find(fake, fake.scope_path, pk=pk)
    obj["description"] = "policy claim [sso.authentik_minio: minio-a, minio-b]"
    result = run(authentik_scope_mapping, dict(name="MinIO policy", owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is True and [w[0] for w in fake.writes()] == ["PATCH"]
    assert obj["description"] == "policy claim [sso.authentik_minio: minio-b]"
    assert "deployments minio-b still use it" in result["msg"]
    fake.calls.clear()
    result = run(authentik_scope_mapping, dict(name="MinIO policy", owner=OTHER, state="absent"), fake, capsys)
    assert result["changed"] is True and [w[0] for w in fake.writes()] == ["DELETE"]


def test_absent_on_a_provider_of_the_manifest_deletes_it_and_forgets_it(fake, capsys):
    run(authentik_oauth2_provider, dict(PROVIDER, owner=DEP), fake, capsys)
    fake.calls.clear()
    result = run(authentik_oauth2_provider, dict(PROVIDER, owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is True and fake.data["providers/oauth2/"] == []
    assert manifest_objects(fake) == {}
    # an unmarked provider of the same name is left alone
    run(authentik_oauth2_provider, PROVIDER, fake, capsys)
    fake.calls.clear()
    result = run(authentik_oauth2_provider, dict(PROVIDER, owner=DEP, state="absent"), fake, capsys)
    assert result["changed"] is False and fake.writes() == [] and len(fake.data["providers/oauth2/"]) == 1


def test_the_mark_of_a_group_kept_for_an_outside_binding_is_removed_as_the_message_says(fake, capsys):
    # keep_reason() says "its mark was removed", but release_mark() keeps {"deployments": [], "created": true}: every
    # other deployment then finds the group "shared" and joins it without adopt
    created = run(authentik_group, dict(name="minio-admins", owner=DEP), fake, capsys)
    fake.data["policies/bindings/"].append(fake.obj(target=fake.obj()["pk"], group=created["pk"], policy=None, order=0))
    result = run(authentik_group, dict(name="minio-admins", owner=DEP, state="absent"), fake, capsys)
    assert "its mark was removed" in result["msg"]
    assert MARK_KEY not in find(fake, "core/groups/", name="minio-admins")["attributes"]
    joined = run(authentik_group, dict(name="minio-admins", owner=OTHER), fake, capsys)
    assert joined.get("failed") is True and "adopt" in joined["msg"]


# -- authentik_deployment and authentik_service_account ----------------------------------------------------------
def test_a_login_check_recorded_again_changes_nothing(fake, capsys):
    check = dict(account="minio-sso-login-check-x1y2z3w4", bucket="minio-sso-login-check-x1y2z3w4")
    first = run(authentik_deployment, dict(name=DEP, login_check=check), fake, capsys)
    assert first["changed"] is True and first["login_checks"] == [check]
    fake.calls.clear()
    again = run(authentik_deployment, dict(name=DEP, login_check=check), fake, capsys)
    assert fake.writes() == [] and again["login_checks"] == [check]
    assert again["changed"] is False  # nothing was written: the record was there already


class FakeWithTokens(FakeAuthentik):
    """Service accounts and their app passwords (core/tokens/<identifier>/view_key/)."""

    def request(self, method, url, params=None, json=None, timeout=None, verify=None):  # pylint: disable=redefined-outer-name
        path = url[len(BASE + "/api/v3/"):]
        if method == "GET" and path.startswith("core/tokens/") and path.endswith("/view_key/"):
            self.calls.append((method, path, params, json))
            return Response(200, {"key": "app-password-" + path.split("/")[2]})
        return super().request(method, url, params=params, json=json, timeout=timeout, verify=verify)


def test_adopting_a_service_account_in_check_mode_predicts_the_change(capsys):
    fake = FakeWithTokens()
    fake.data["core/users/"].append({"pk": 7, "username": "minio-backup", "type": "service_account", "groups": []})
    check = run(authentik_service_account, dict(name="minio-backup", owner=DEP, adopt=True), fake, capsys, check=True)
    assert fake.writes() == []
    real = run(authentik_service_account, dict(name="minio-backup", owner=DEP, adopt=True), fake, capsys)
    assert real["changed"] is True and manifest_objects(fake)["user"] == [{"key": "minio-backup", "pk": 7}]
    assert check["changed"] is True, "check mode answered changed=false for a run that then changed"
