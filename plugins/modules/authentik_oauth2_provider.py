#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: authentik_oauth2_provider
short_description: Manage OAuth2/OpenID Connect providers in authentik
version_added: 1.0.0
description:
  - Creates, updates or deletes an OAuth2/OpenID provider, found by its O(name).
  - References are given by name or slug and resolved before anything is written; a missing one fails
    the task and names what exists.
  - Options that are not set are left as they are, except the ones with a default below, which are enforced.
  - Returns what a relying party such as MinIO needs - the client ID and secret, the issuer, the OpenID
    configuration URL and the JWKS URL.
options:
  name:
    description:
      - Name of the provider; unique in authentik and used to find it. An empty name is refused.
    type: str
    required: true
  client_type:
    description:
      - V(confidential) clients authenticate with a secret; V(public) clients (browser apps) cannot keep one.
    type: str
    choices: [confidential, public]
    default: confidential
  client_id:
    description:
      - The OAuth2 client ID. When omitted on create, authentik generates one, which is kept afterwards.
      - An empty string is refused.
    type: str
  client_secret:
    description:
      - The OAuth2 client secret. When omitted, the secret authentik generated is kept and returned in RV(client_secret).
      - Compared on every run (authentik returns it), so a changed value is written, unless
        O(update_client_secret=on_create).
    type: str
  update_client_secret:
    description:
      - V(always) writes O(client_secret) whenever it differs from the stored one.
      - V(on_create) sends O(client_secret) only when the provider is created; an existing provider keeps its secret.
        Draw a random O(client_secret) on every run, pass it with V(on_create), and hand it to the relying party only
        when RV(client_secret_changed) is V(true); the secret never has to be read back, and a rerun changes nothing.
    type: str
    choices: [always, on_create]
    default: always
  redirect_uris:
    description:
      - Allowed redirect URIs, in order (authentik derives the launch URL of an application from the first one).
      - Each entry is a string (matched strictly) or a dict with C(url), C(matching_mode) (V(strict) or V(regex),
        default V(strict)) and, on authentik 2026.5 and newer, C(redirect_uri_type) (V(authorization) or V(logout)).
      - Before authentik 2024.8.5 and between 2024.10.0 and 2024.10.2, authentik stores one newline-separated string
        in which every entry is a regular expression with a fallback to plain comparison; C(matching_mode) cannot be
        enforced there and only the URLs are compared.
      - A URL with white space is refused (write a space as C(%20)).
      - A V(strict) entry must start with a scheme (C(https://), or C(com.example.app:) for an app); a V(regex) entry
        must be a valid Python regular expression (authentik matches with Python's C(re)). Others are refused.
      - Required to create the provider.
    type: list
    elements: raw
  authorization_flow:
    description:
      - Slug of the flow that authorizes users, for example V(default-provider-authorization-implicit-consent).
      - The flow's designation must be C(authorization).
      - Required to create the provider.
    type: str
  invalidation_flow:
    description:
      - Slug of the flow run when a user logs out of the application (authentik 2024.10 and newer).
      - The flow's designation must be C(invalidation).
      - When omitted on create, V(default-provider-invalidation-flow) is used, as in authentik's web interface.
    type: str
  authentication_flow:
    description:
      - Slug of the flow used to authenticate users who are not logged in; an empty string clears it.
      - The flow's designation must be C(authentication).
    type: str
  signing_key:
    description:
      - Name of the certificate keypair that signs tokens (RS256 for an RSA key). It must have a private key.
      - An empty string removes it; tokens are then signed HS256 with the client secret and the JWKS is empty,
        which relying parties such as MinIO do not accept.
    type: str
    default: authentik Self-signed Certificate
  property_mappings:
    description:
      - Scope mappings of the provider, each given by its name or, failing that, by its scope name (which must then
        be unique). They are added to the defaults of O(default_property_mappings).
      - The provider's mappings are set to exactly this set; order does not matter.
    type: list
    elements: str
    default: []
  default_property_mappings:
    description:
      - Whether the provider also gets authentik's own C(openid), C(email) and C(profile) scope mappings.
    type: bool
    default: true
  sub_mode:
    description:
      - What the C(sub) claim holds.
    type: str
    choices: [hashed_user_id, user_id, user_uuid, user_username, user_email, user_upn]
  issuer_mode:
    description:
      - V(per_provider) gives each application its own issuer (C(<url>/application/o/<slug>/)); V(global) uses C(<url>/).
    type: str
    choices: [global, per_provider]
  include_claims_in_id_token:
    description:
      - Whether the scope mappings' claims go into the ID token, not only into the userinfo answer.
    type: bool
  access_code_validity:
    description:
      - How long an authorization code is valid, in authentik's format (V(minutes=1), V(hours=1;minutes=30)) or in seconds.
      - Values are compared by duration, so V(hours=1) and V(minutes=60) are equal.
      - It must be greater than 0; 0 or less is refused before authentik is asked.
    type: str
  access_token_validity:
    description:
      - How long an access token is valid; same format as O(access_code_validity). It must be greater than 0.
    type: str
  refresh_token_validity:
    description:
      - How long a refresh token is valid; same format as O(access_code_validity). It must be greater than 0.
    type: str
  refresh_token_threshold:
    description:
      - Refresh tokens are only rotated when their remaining validity is below this (authentik 2025.10 and newer).
      - Same format as O(access_code_validity); V(0) (authentik's default) or more, a negative value is refused.
    type: str
  grant_types:
    description:
      - Grant types the provider accepts (authentik 2026.5 and newer, where a grant type not listed is refused).
      - Compared as a set.
      - When a provider is created on authentik 2026.5 or newer without O(grant_types), it gets V(authorization_code)
        and V(refresh_token). authentik itself would store no grant type at all, and such a provider refuses every login.
        An existing provider's grant types are left as they are when O(grant_types) is not given.
      - An empty list is refused before authentik is asked (authentik refuses it too).
      - On a release older than 2026.5 the option fails before anything is written; leave it out there (the
        RV(sso.authentik_minio.authentik_info#module:features.grant_types) return value of
        M(sso.authentik_minio.authentik_info) tells whether the server has grant types).
      - V(urn:ietf:params:oauth:grant-type:token-exchange) needs authentik 2026.8 or newer.
    type: list
    elements: str
    choices:
      - authorization_code
      - implicit
      - hybrid
      - refresh_token
      - client_credentials
      - password
      - urn:ietf:params:oauth:grant-type:device_code
      - urn:ietf:params:oauth:grant-type:token-exchange
  state:
    description:
      - Whether the provider should exist.
    type: str
    choices: [present, absent]
    default: present
notes:
  - The client secret is a secret. It is never shown in a diff (it appears as C(********), and as C(******** (changed))
    when it changes) or in a message. When O(client_secret) is omitted, RV(client_secret) returns the stored one, so that it can be passed to
    the relying party; set C(no_log) on that task.
  - When O(client_secret) is given, the module returns no secret, so the task needs no C(no_log) and its messages stay
    visible. Generating the secret yourself and passing it to both sides is the recommended way (see
    O(update_client_secret)).
  - The issuer and the OpenID URLs depend on the application the provider is assigned to; they are null until one is
    (see M(sso.authentik_minio.authentik_application), which returns them too).
extends_documentation_fragment:
  - sso.authentik_minio.authentik
  - sso.authentik_minio.ownership
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.AUTHENTIK_GROUP
  - sso.authentik_minio.attributes.CHECK_AND_DIFF
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
- name: A scope mapping for MinIO's policy claim
  sso.authentik_minio.authentik_scope_mapping:
    name: MinIO policy
    scope_name: minio
    expression: |
      return {"policy": "readwrite"}

- name: The OpenID provider MinIO logs in with
  sso.authentik_minio.authentik_oauth2_provider:
    name: MinIO
    client_id: minio
    client_secret: "{{ minio_client_secret | default('change-me-to-48-random-characters-0123456789abcdef') }}"
    authorization_flow: default-provider-authorization-implicit-consent
    redirect_uris:
      - https://minio.example.com/oauth_callback
      - url: https://minio-[a-z]+\.example\.com/oauth_callback
        matching_mode: regex
    property_mappings:
      - MinIO policy
    access_token_validity: hours=1
  register: minio_provider
  no_log: true

- name: Let authentik generate the secret and read it back
  sso.authentik_minio.authentik_oauth2_provider:
    name: Grafana
    authorization_flow: default-provider-authorization-implicit-consent
    redirect_uris:
      - https://grafana.example.com/login/generic_oauth
  register: grafana_provider
  no_log: true

- name: Show the client ID (never the secret)
  ansible.builtin.debug:
    msg: "client {{ grafana_provider.client_id }}"
"""

RETURN = r"""
pk:
  description: Primary key (an integer) of the provider; null in check mode before it exists, and after deletion.
  returned: always
  type: int
  sample: 8
client_id:
  description: The client ID.
  returned: when the provider exists
  type: str
  sample: minio
client_secret:
  description:
    - The client secret as authentik stores it (null in check mode before the provider exists).
    - Null when O(client_secret) was given, which then is the secret to use (see the notes).
  returned: when the provider exists
  type: str
client_secret_changed:
  description:
    - Whether the provider's client secret was (or in check mode would be) set by this task, on create or on update.
  returned: always
  type: bool
  version_added: 1.1.0
issuer:
  description: The issuer of the tokens; null for O(issuer_mode=per_provider) until an application uses the provider.
  returned: when the provider exists
  type: str
  sample: https://auth.example.com/application/o/minio/
openid_configuration_url:
  description: The OpenID discovery document's URL; null until an application uses the provider.
  returned: when the provider exists
  type: str
  sample: https://auth.example.com/application/o/minio/.well-known/openid-configuration
jwks_url:
  description: The URL of the signing keys; null until an application uses the provider.
  returned: when the provider exists
  type: str
  sample: https://auth.example.com/application/o/minio/jwks/
application_slug:
  description: Slug of the application that uses the provider, or null.
  returned: when the provider exists
  type: str
  sample: minio
provider:
  description: The provider as authentik returned it, without the client secret; null when absent.
  returned: always
  type: dict
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikError
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_entity import AuthentikEntityModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_normalize import parse_duration
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_urls import oidc_urls
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_version import (
    DEFAULT_GRANT_TYPES,
    GRANT_TYPES as KNOWN_GRANT_TYPES,
    TOKEN_EXCHANGE,
    first_release,
    version_string,
)

DEFAULT_MAPPINGS = (
    "goauthentik.io/providers/oauth2/scope-openid",
    "goauthentik.io/providers/oauth2/scope-email",
    "goauthentik.io/providers/oauth2/scope-profile",
)
DEFAULT_INVALIDATION_FLOW = "default-provider-invalidation-flow"
GRANT_TYPES = KNOWN_GRANT_TYPES + [TOKEN_EXCHANGE]  # every release's; what this server has is the version table's

ENTITY_SPEC = dict(
    name=dict(type="str", required=True, not_empty=True),
    client_type=dict(type="str", choices=["confidential", "public"], default="confidential"),
    client_id=dict(type="str", not_empty=True),
    client_secret=dict(type="str", no_log=True),
    redirect_uris=dict(type="redirect_uris", create_required=True),
    authorization_flow=dict(type="entity", resource="flow", create_required=True, expect=dict(designation="authorization")),
    invalidation_flow=dict(type="entity", resource="flow", since="invalidation_flow", expect=dict(designation="invalidation")),
    authentication_flow=dict(type="entity", resource="flow", nullable=True, expect=dict(designation="authentication")),
    signing_key=dict(type="entity", resource="certificate_keypair", nullable=True, no_log=False,
                     default="authentik Self-signed Certificate"),
    property_mappings=dict(type="entity_list", resource="scope_mapping", search_by=("name", "scope_name"), default=[]),
    sub_mode=dict(type="str", choices=["hashed_user_id", "user_id", "user_uuid", "user_username", "user_email", "user_upn"]),
    issuer_mode=dict(type="str", choices=["global", "per_provider"]),
    include_claims_in_id_token=dict(type="bool"),
    access_code_validity=dict(type="duration"),
    access_token_validity=dict(type="duration", no_log=False),
    refresh_token_validity=dict(type="duration", no_log=False),
    refresh_token_threshold=dict(type="duration", no_log=False, since="refresh_token_threshold"),
    grant_types=dict(type="set", choices=GRANT_TYPES, since="grant_types"),
)


DURATIONS = ("access_code_validity", "access_token_validity", "refresh_token_validity", "refresh_token_threshold")


class OAuth2ProviderModule(AuthentikEntityModule):
    def refused_values(self):
        """A validity of 0 or less (a code or token expired when issued), or a negative threshold (0, authentik's
        default, is meaningful). A value not in authentik's format is left to the format check, which names it."""
        refused = super(OAuth2ProviderModule, self).refused_values()
        for name in DURATIONS:
            if self.params.get(name) is None:
                continue
            try:
                seconds = parse_duration(self.params[name])
            except ValueError:
                continue
            if name == "refresh_token_threshold" and seconds < 0:
                refused.append("%s must be 0 or more seconds, got %r" % (name, self.params[name]))
            elif name != "refresh_token_threshold" and seconds <= 0:
                refused.append("%s must be greater than 0 seconds, got %r" % (name, self.params[name]))
        if self.params.get("grant_types") == []:
            refused.append("grant_types: must not be empty: a provider without grant types refuses every login (and "
                           "authentik refuses an empty list); leave grant_types out for %s" % ", ".join(DEFAULT_GRANT_TYPES))
        return refused

    def to_api(self, name, field, value):
        if name == "signing_key" and value:
            keypair = self.resolve("certificate_keypair", value, option=name)
            if not keypair.get("private_key_available"):
                raise AuthentikError("signing_key: certificate keypair '%s' has no private key, so it cannot sign tokens; "
                                     "give a keypair that has one" % value)
            self.remember(self.resource("certificate_keypair"), keypair, label=value)
            return keypair["pk"]
        if name == "grant_types" and self.dialect.grant_types:
            unknown = [grant for grant in value if grant not in self.dialect.grant_type_choices]
            if unknown:
                raise AuthentikError("grant_types: %s needs authentik %s or newer; this server runs %s, so nothing was "
                                     "changed" % (", ".join(unknown), first_release("token_exchange"),
                                                  version_string(self.dialect.version)))
        return super(OAuth2ProviderModule, self).to_api(name, field, value)

    def prepare(self, desired, current):
        self.secret_for(desired, current)
        if self.params["default_property_mappings"]:
            defaults = self.default_mappings()
            desired["property_mappings"] = defaults + [pk for pk in desired["property_mappings"] if pk not in defaults]
        return desired

    def secret_for(self, desired, current):
        """With update_client_secret=on_create an existing provider keeps its secret; says whether it changes."""
        if current is not None and self.params["update_client_secret"] == "on_create":
            desired.pop("client_secret", None)
        self.result["client_secret_changed"] = "client_secret" in desired and (
            current is None or desired["client_secret"] != current.get("client_secret"))
        return desired

    def created_elsewhere(self, desired, current):
        # two runs drew two secrets at once: the one that created the provider wins, the other hands none on
        return self.secret_for(desired, current)

    def default_mappings(self):
        """authentik's openid, email and profile mappings, found by their ``managed`` identifier."""
        resource = self.resource("scope_mapping")
        found = self.client.list(resource.path(self.dialect), {"managed": list(DEFAULT_MAPPINGS)})
        by_managed = dict((obj.get("managed"), obj) for obj in found if obj.get("managed") in DEFAULT_MAPPINGS)
        missing = [managed for managed in DEFAULT_MAPPINGS if managed not in by_managed]
        if missing:
            raise AuthentikError("authentik's default scope mappings %s were not found (are the blueprints applied yet?); "
                                 "set default_property_mappings=false to do without them" % ", ".join(missing))
        pks = []
        for managed in DEFAULT_MAPPINGS:
            obj = by_managed[managed]
            self.remember(resource, obj, label=obj.get("scope_name"))
            pks.append(obj["pk"])
        return pks

    def create_defaults(self, payload):
        if self.dialect.invalidation_flow and "invalidation_flow" not in payload:
            flow = self.resolve("flow", DEFAULT_INVALIDATION_FLOW, option="invalidation_flow (default)")
            self.remember(self.resource("flow"), flow)
            payload["invalidation_flow"] = flow["pk"]
        if self.dialect.grant_types and "grant_types" not in payload:
            # authentik stores an empty list for a provider created without grant types: it would refuse every login
            payload["grant_types"] = sorted(DEFAULT_GRANT_TYPES)
        return payload

    def extra_results(self, entity):
        # a given secret is the caller's already; returning none keeps the result free of secrets (no no_log needed)
        secret = None if self.params["client_secret"] is not None else entity.get("client_secret")
        results = dict(client_id=entity.get("client_id"), client_secret=secret,
                       application_slug=entity.get("assigned_application_slug"))
        results.update(oidc_urls(self.client.base_url, entity.get("assigned_application_slug"), entity.get("issuer_mode")))
        return results


def main():
    module = OAuth2ProviderModule(
        "oauth2_provider",
        ENTITY_SPEC,
        "provider",
        argument_spec=dict(default_property_mappings=dict(type="bool", default=True),
                           update_client_secret=dict(type="str", choices=["always", "on_create"], default="always")),
    )
    module.result["client_secret_changed"] = False  # a removal sets no secret
    module.execute()


if __name__ == "__main__":
    main()
