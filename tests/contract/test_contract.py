# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The contract with each release's official client (``authentik-client``, the last build of the line on PyPI).

For every release line the collection verifies, the authentik modules run against the double of that release
(create, update, read and delete each resource) while every API exchange is recorded whole. That release's client
then, in a subprocess (tests/contract/checker.py), builds each request the modules sent and parses each answer the
double gave. The clients live in a cache, one directory per release (hacking/contract-clients.sh), never in the test
virtualenv.
"""

from __future__ import annotations

import os

import pytest

from allowlist import ALLOWLIST
from contract_lib import check_with_client
from module_runner import run_module as run_in_process  # tests/, on sys.path through tests/conftest.py
from recorder import TOKEN, RecordingDouble


HERE = os.path.dirname(os.path.abspath(__file__))


def releases():
    with open(os.path.join(HERE, "clients.txt"), encoding="utf-8") as handle:
        return [line.split()[0] for line in handle if line.strip() and not line.startswith("#")]


RELEASES = releases()
# Each resource the modules manage or read, and what the contract must have seen of it in every release.
EXPECTED = [
    "GET answer Version",
    "POST request ScopeMappingRequest", "POST answer ScopeMapping", "PATCH request PatchedScopeMappingRequest",
    "GET answer PaginatedScopeMappingList",
    "POST request OAuth2ProviderRequest", "POST answer OAuth2Provider", "PATCH request PatchedOAuth2ProviderRequest",
    "PATCH answer OAuth2Provider", "GET answer PaginatedOAuth2ProviderList", "GET answer OAuth2ProviderSetupURLs",
    "POST request ApplicationRequest", "POST answer Application", "PATCH request PatchedApplicationRequest",
    "GET answer PaginatedApplicationList", "GET answer Application",
    "POST request GroupRequest", "POST answer Group", "PATCH request PatchedGroupRequest", "GET answer PaginatedGroupList",
    "POST request PolicyBindingRequest", "POST answer PolicyBinding", "PATCH request PatchedPolicyBindingRequest",
    "PATCH answer PolicyBinding", "GET answer PaginatedPolicyBindingList",
    "GET answer PaginatedUserList", "GET answer SessionUser", "GET answer PaginatedFlowList",
    "GET answer PaginatedCertificateKeyPairList", "POST request UserServiceAccountRequest",
    "POST answer UserServiceAccountResponse", "GET answer PaginatedTokenList", "GET answer OAuth2Provider",
]


def run_module(module, url, **args):
    result = run_in_process(module, dict(url=url, token=TOKEN, timeout=10, **args))
    assert not result.get("failed"), result
    return result


def scenario(url):
    """What the collection does to authentik, each resource once created, changed, read and removed."""
    features = run_module("authentik_info", url, kind="flow", name="default-provider-authorization-implicit-consent")["features"]
    run_module("authentik_info", url, kind="certificate_keypair")
    run_module("authentik_info", url, kind="user", name="akadmin")
    run_module("authentik_scope_mapping", url, name="MinIO policy", scope_name="minio", description="MinIO policy",
               expression='return {"policy": "readwrite"}')
    run_module("authentik_scope_mapping", url, name="MinIO policy", expression='return {"policy": "readonly"}')
    provider = dict(name="MinIO", client_id="minio", client_secret="contract-secret-" + "x" * 40,
                    authorization_flow="default-provider-authorization-implicit-consent",
                    redirect_uris=["https://minio.example/oauth_callback"], property_mappings=["MinIO policy"],
                    include_claims_in_id_token=True, access_token_validity="hours=1", sub_mode="user_username")
    created = run_module("authentik_oauth2_provider", url, **provider)
    provider.update(access_token_validity="hours=2")
    if features["grant_types"]:
        provider["grant_types"] = features["grant_type_choices"][:1] + ["refresh_token"]
    run_module("authentik_oauth2_provider", url, **provider)
    run_module("authentik_application", url, slug="minio", name="MinIO", provider="MinIO", meta_launch_url="https://minio.example/")
    run_module("authentik_application", url, slug="minio", name="MinIO", meta_description="Object storage")
    run_module("authentik_group", url, name="minio-users", users=["akadmin"], attributes={"tier": 1})
    run_module("authentik_group", url, name="minio-users", attributes={"tier": 2}, is_superuser=False)
    run_module("authentik_policy_binding", url, application="minio", group="minio-users", order=10)
    run_module("authentik_policy_binding", url, application="minio", group="minio-users", order=20, negate=False)
    run_module("authentik_info", url, kind="policy_binding", application="minio")
    run_module("authentik_info", url, kind="oauth2_provider", name="MinIO")
    run_module("authentik_service_account", url, name="contract-check", groups=["minio-users"])
    return created["pk"]


def extra_reads(url, provider_pk):
    """Answers the double gives for these resources that the modules do not ask for: details, the setup URLs, the
    session user and the tokens."""
    import requests  # pylint: disable=import-outside-toplevel

    for path in ("providers/oauth2/%d/" % provider_pk, "providers/oauth2/%d/setup_urls/" % provider_pk, "core/users/me/",
                 "core/applications/minio/", "core/tokens/"):
        answer = requests.get(url + "/api/v3/" + path, headers={"Authorization": "Bearer " + TOKEN}, timeout=10)
        assert answer.status_code == 200, answer.text


def teardown(url):
    run_module("authentik_service_account", url, name="contract-check", state="absent")
    run_module("authentik_policy_binding", url, application="minio", group="minio-users", state="absent")
    run_module("authentik_application", url, slug="minio", state="absent")
    run_module("authentik_oauth2_provider", url, name="MinIO", state="absent")
    run_module("authentik_group", url, name="minio-users", state="absent")
    run_module("authentik_scope_mapping", url, name="MinIO policy", state="absent")


def record(release):
    with RecordingDouble(release) as double:
        provider_pk = scenario(double.url)
        extra_reads(double.url, provider_pk)
        teardown(double.url)
        return double.exchanges


@pytest.mark.parametrize("release", RELEASES)
def test_release_client_builds_our_requests_and_parses_the_doubles_answers(release, clients):
    exchanges = record(release)
    report = check_with_client(os.path.join(clients, release), release, exchanges)
    assert report["problems"] == []
    missing = [what for what in EXPECTED if what not in report["checked"]]
    assert missing == []
    unused = [entry for entry in ALLOWLIST if entry["release"] == release and entry["id"] not in report["allowlist_used"]]
    assert unused == [], "allowlist entries no answer needed any more"
