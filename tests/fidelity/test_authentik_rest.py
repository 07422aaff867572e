# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""REST behaviour of the authentik double beyond the recorded calls: access-filtered application
lists, pagination limits, ordering, uniqueness and one-of validation, cascades on delete, group
inheritance and token lifetimes."""

from __future__ import annotations

import datetime


def _make_provider(ak, name):
    flow = ak.flow_pk("default-provider-authorization-implicit-consent")
    answer = ak.api("POST", "providers/oauth2/", json={
        "name": name, "authorization_flow": flow, "invalidation_flow": ak.flow_pk("default-provider-invalidation-flow"),
        "redirect_uris": [{"matching_mode": "strict", "url": "https://%s.example/cb" % name}]})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_application_list_is_filtered_by_access_unless_superuser_full_list(authentik):
    group = authentik.api("POST", "core/groups/", json={"name": "restricted-users"}).json()
    app = authentik.api("POST", "core/applications/", json={"name": "Restricted", "slug": "restricted"}).json()
    open_app = authentik.api("POST", "core/applications/", json={"name": "Open", "slug": "open"}).json()
    assert open_app["launch_url"] is None
    authentik.api("POST", "policies/bindings/", json={"target": app["pk"], "group": group["pk"], "order": 0})

    def slugs(**params):
        return [a["slug"] for a in authentik.api("GET", "core/applications/", params=params).json()["results"]]

    assert "restricted" not in slugs() and "open" in slugs()  # akadmin is not in the group
    assert "restricted" in slugs(superuser_full_list="true")
    authentik.api("POST", "core/groups/%s/add_user/" % group["pk"], json={"pk": 3})
    assert "restricted" in slugs()
    account = authentik.api("POST", "core/users/service_account/", json={"name": "outsider"}).json()
    assert "restricted" not in slugs(for_user=account["user_pk"])
    access = authentik.api("GET", "core/applications/restricted/check_access/", params={"for_user": account["user_pk"]})
    assert access.json()["passing"] is False
    missing_user = authentik.api("POST", "core/groups/%s/add_user/" % group["pk"], json={"pk": 99999})
    assert missing_user.status_code == 404


def test_page_size_is_capped_at_100_and_pages_past_the_end_are_404(authentik):
    for index in range(101):
        assert authentik.api("POST", "core/groups/", json={"name": "bulk-%03d" % index}).status_code == 201
    page = authentik.api("GET", "core/groups/", params={"page_size": 1000, "include_users": "false"}).json()
    assert len(page["results"]) == 100 and page["pagination"]["next"] == 2
    default = authentik.api("GET", "core/groups/").json()
    assert len(default["results"]) == 20 and default["pagination"]["total_pages"] == -(-default["pagination"]["count"] // 20)
    last = default["pagination"]["total_pages"]
    assert authentik.api("GET", "core/groups/", params={"page": last}).json()["pagination"]["next"] == 0
    assert authentik.api("GET", "core/groups/", params={"page": last + 1}).json() == {"detail": "Invalid page."}
    names = [g["name"] for g in authentik.api("GET", "core/groups/", params={"ordering": "-name"}).json()["results"]]
    assert names == sorted(names, reverse=True)


def test_uniqueness_messages(authentik):
    cases = [
        ("core/groups/", {"name": "authentik Admins"}, {"name": ["Group with this name already exists."]}),
        ("core/users/", {"username": "akadmin", "name": "x"}, {"username": ["A user with that username already exists."]}),
        ("core/tokens/", {"identifier": "authentik-bootstrap-token"},
         {"identifier": ["Token with this identifier already exists."]}),
        ("flows/instances/", {"name": "x", "slug": "default-authentication-flow", "title": "x",
                              "designation": "authentication"}, {"slug": ["Flow with this slug already exists."]}),
        ("core/applications/", {"name": "x", "slug": "x" * 51}, None),
    ]
    for path, body, expected in cases:
        answer = authentik.api("POST", path, json=body)
        if expected is None:  # 2025.12 removed the 50 character limit on application slugs
            assert answer.status_code == 201, answer.text
            continue
        assert answer.status_code == 400 and answer.json() == expected, (path, answer.text)
    duplicate = authentik.api("POST", "core/users/service_account/", json={"name": "akadmin"})
    assert duplicate.status_code == 400 and "already exists" in duplicate.json()["non_field_errors"][0]


def test_policy_binding_needs_exactly_one_subject(authentik):
    app = authentik.api("POST", "core/applications/", json={"name": "Bind", "slug": "bind"}).json()
    group = authentik.api("POST", "core/groups/", json={"name": "bind-group"}).json()
    none = authentik.api("POST", "policies/bindings/", json={"target": app["pk"], "order": 0})
    assert none.json() == {"non_field_errors": ["One of 'policy', 'group' or 'user' must be set."]}
    both = authentik.api("POST", "policies/bindings/", json={"target": app["pk"], "order": 0, "group": group["pk"],
                                                             "user": 3})
    assert both.json() == {"non_field_errors": ["Only one of 'policy', 'group' or 'user' can be set."]}
    bad_target = authentik.api("POST", "policies/bindings/", json={"target": group["pk"], "order": 0, "user": 3})
    assert bad_target.json() == {"target": ["Invalid pk \"%s\" - object does not exist." % group["pk"]]}
    missing = authentik.api("POST", "policies/bindings/", json={"group": group["pk"]})
    assert missing.json() == {"target": ["This field is required."], "order": ["This field is required."]}


def test_deletes_cascade_like_the_foreign_keys(authentik):
    flow = authentik.api("POST", "flows/instances/", json={
        "name": "cascade", "slug": "cascade-flow", "title": "t", "designation": "authorization"}).json()
    provider = _make_provider(authentik, "cascading")
    authentik.api("PATCH", "providers/oauth2/%d/" % provider["pk"], json={"authorization_flow": flow["pk"]})
    mapping = authentik.api("POST", "propertymappings/provider/scope/", json={
        "name": "cascade-map", "scope_name": "c", "expression": "return {}"}).json()
    authentik.api("PATCH", "providers/oauth2/%d/" % provider["pk"], json={"property_mappings": [mapping["pk"]]})
    authentik.api("DELETE", "propertymappings/provider/scope/%s/" % mapping["pk"])
    assert authentik.api("GET", "providers/oauth2/%d/" % provider["pk"]).json()["property_mappings"] == []
    app = authentik.api("POST", "core/applications/", json={"name": "Casc", "slug": "casc", "provider": provider["pk"]})
    assert app.json()["launch_url"] == "https://cascading.example"
    assert authentik.api("DELETE", "flows/instances/cascade-flow/").status_code == 204
    assert authentik.api("GET", "providers/oauth2/%d/" % provider["pk"]).status_code == 404
    assert authentik.api("GET", "core/applications/casc/").json()["provider"] is None
    second = _make_provider(authentik, "after-cascade")
    assert second["pk"] == provider["pk"] + 1  # integer pks are never reused


def test_superuser_status_is_inherited_from_parent_groups(authentik):
    parent = authentik.api("POST", "core/groups/", json={"name": "super-parent", "is_superuser": True}).json()
    child = authentik.api("POST", "core/groups/", json={"name": "child", "parents": [parent["pk"]]}).json()
    assert child["parents"] == [parent["pk"]] and child["parents_obj"] is None
    user = authentik.api("POST", "core/users/", json={"username": "heir", "name": "Heir", "groups": [child["pk"]]}).json()
    assert user["is_superuser"] is True
    read = authentik.api("GET", "core/groups/%s/" % parent["pk"], params={"include_children": "true"}).json()
    assert [c["name"] for c in read["children_obj"]] == ["child"]
    self_parent = authentik.api("PATCH", "core/groups/%s/" % child["pk"], json={"parents": [child["pk"]]})
    assert self_parent.status_code == 400


def test_token_lifetimes(authentik):
    later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)).isoformat()
    too_long = authentik.api("POST", "core/tokens/", json={"identifier": "long-pw", "intent": "app_password",
                                                           "user": 3, "expires": later})
    assert too_long.status_code == 400 and too_long.json()["expires"][0].startswith("Token expires exceeds maximum")
    api = authentik.api("POST", "core/tokens/", json={"identifier": "api-tok", "intent": "api", "expires": later})
    expires = datetime.datetime.fromisoformat(api.json()["expires"].replace("Z", "+00:00"))
    assert expires < datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    assert authentik.api("POST", "core/tokens/", json={"identifier": "rec", "intent": "recovery"}).json() == {
        "intent": ["Invalid intent recovery"]}
