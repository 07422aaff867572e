# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a release's own official client cannot parse what that release's real server sends.

Each entry names the release, the client's model and field, and the case: ``null`` (the serializer returns null where
the client's schema wants a value) or ``absent`` (the client requires a field that release's serializer does not
have). The checker makes that one field nullable in that one model; every other field keeps the client's rules.
``source`` is the serializer line in goauthentik/authentik at that release. ``inside``/``not_inside`` tell the checker
which objects of an answer the entry is about, so that the contract test fails when an entry is no longer needed.
"""

_PROVIDER_SLUGS = ("authentik/core/api/providers.py:25-28 (ProviderSerializer: assigned_application_slug/_name and "
                   "assigned_backchannel_application_slug/_name are ReadOnlyField(source=\"application.slug\") etc., "
                   "null while no application uses the provider)")
_BINDING_OBJS = ("authentik/policies/api/bindings.py:61-63 (PolicyBindingSerializer: policy_obj = PolicySerializer("
                 "required=False, read_only=True, source=\"policy\"), user_obj likewise: null for a group binding)")

_ENTRIES = []
for _release in ("2024.6", "2024.10"):
    for _field in ("assigned_application_slug", "assigned_application_name", "assigned_backchannel_application_slug",
                   "assigned_backchannel_application_name"):
        _ENTRIES.append(dict(release=_release, model="o_auth2_provider.OAuth2Provider", field=_field, case="null",
                             inside=("client_id",), source=_PROVIDER_SLUGS))
    # the generic provider of Application.provider_obj; its application is the one answering, so only the
    # backchannel fields are null there
    for _field in ("assigned_backchannel_application_slug", "assigned_backchannel_application_name"):
        _ENTRIES.append(dict(release=_release, model="provider.Provider", field=_field, case="null",
                             inside=("component",), not_inside=("client_id",), source=_PROVIDER_SLUGS))
for _release in ("2024.6", "2024.10", "2025.12"):
    for _field in ("policy_obj", "user_obj"):
        _ENTRIES.append(dict(release=_release, model="policy_binding.PolicyBinding", field=_field, case="null",
                             inside=("target", "failure_result"), source=_BINDING_OBJS))
_ENTRIES.append(dict(
    release="2024.6", model="version.Version", field="outpost_outdated", case="absent", inside=("version_current",),
    source="authentik/admin/api/version.py:17-24 (VersionSerializer of 2024.6 declares version_current, version_latest, "
           "version_latest_valid, build_hash and outdated; outpost_outdated came with 2024.8. The only 2024.6 clients on "
           "PyPI are .post builds of August 2024 that already carry 2024.8's schema, provider/scope paths included)"))

ALLOWLIST = [dict(entry, id=index) for index, entry in enumerate(_ENTRIES)]
