#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: authentik_application
short_description: Manage applications in authentik
version_added: 1.0.0
description:
  - Creates, updates or deletes an application, found by its O(slug), and binds it to a provider.
  - Only the options that are set are compared and changed.
  - Returns the application's URLs, including the OpenID issuer, discovery and JWKS URLs of its provider.
options:
  slug:
    description:
      - The application's slug (letters, digits, C(-) and C(_)); unique, used to find it and in its URLs.
      - A slug with any other character (a space, a dot, a slash) is refused before authentik is asked.
    type: str
    required: true
  name:
    description:
      - Display name. Required to create the application; an empty name is refused.
    type: str
  provider:
    description:
      - Name of the OAuth2/OpenID provider the application uses; an empty string unbinds it.
      - A provider can serve one application only; one that already serves another application is refused before
        anything is written.
    type: str
  group:
    description:
      - A free-text label that groups applications in the user's library. It does B(not) restrict access;
        use M(sso.authentik_minio.authentik_policy_binding) for that.
    type: str
  policy_engine_mode:
    description:
      - With V(any), one passing policy binding grants access; with V(all), every binding must pass.
    type: str
    choices: [all, any]
  meta_launch_url:
    description:
      - The URL the library tile opens; when empty authentik derives it from the provider's first redirect URI.
      - Empty, V(blank://blank) (no tile link), or a URL with a scheme such as C(https://); anything else is refused.
    type: str
  meta_description:
    description:
      - Description shown in the library.
    type: str
  meta_publisher:
    description:
      - Publisher shown in the library.
    type: str
  open_in_new_tab:
    description:
      - Whether the library opens the application in a new browser tab.
    type: bool
  state:
    description:
      - Whether the application should exist.
    type: str
    choices: [present, absent]
    default: present
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
- name: A provider for the application
  sso.authentik_minio.authentik_oauth2_provider:
    name: MinIO
    client_id: minio
    authorization_flow: default-provider-authorization-implicit-consent
    redirect_uris:
      - https://minio.example.com/oauth_callback
  no_log: true

- name: The MinIO application
  sso.authentik_minio.authentik_application:
    slug: minio
    name: MinIO
    provider: MinIO
    group: Storage
    meta_launch_url: https://minio.example.com
    meta_description: Object storage
    meta_publisher: MinIO
    policy_engine_mode: any
    open_in_new_tab: true
  register: minio_app

- name: MinIO's OpenID configuration URL
  ansible.builtin.debug:
    msg: "{{ minio_app.openid_configuration_url }}"
"""

RETURN = r"""
pk:
  description: Primary key (UUID) of the application; null in check mode before it exists, and after deletion.
  returned: always
  type: str
  sample: 956f4755-5909-4768-b24f-e4f157d31171
application:
  description: The application as authentik returned it; null when absent.
  returned: always
  type: dict
launch_url:
  description: The URL the library tile opens (null when authentik cannot derive one).
  returned: when the application exists
  type: str
  sample: https://minio.example.com
issuer:
  description: The OpenID issuer of the application's provider (null without an OAuth2 provider).
  returned: when the application exists
  type: str
  sample: https://auth.example.com/application/o/minio/
openid_configuration_url:
  description: The OpenID discovery document's URL.
  returned: when the application exists
  type: str
  sample: https://auth.example.com/application/o/minio/.well-known/openid-configuration
jwks_url:
  description: The URL of the provider's signing keys.
  returned: when the application exists
  type: str
  sample: https://auth.example.com/application/o/minio/jwks/
authorize_url:
  description: The authorization endpoint.
  returned: when the application exists
  type: str
  sample: https://auth.example.com/application/o/authorize/
token_url:
  description: The token endpoint.
  returned: when the application exists
  type: str
  sample: https://auth.example.com/application/o/token/
userinfo_url:
  description: The userinfo endpoint.
  returned: when the application exists
  type: str
  sample: https://auth.example.com/application/o/userinfo/
end_session_url:
  description: The application's logout endpoint.
  returned: when the application exists
  type: str
  sample: https://auth.example.com/application/o/minio/end-session/
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikError
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_entity import AuthentikEntityModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_normalize import LAUNCH_URL, SLUG
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_urls import application_urls

ENTITY_SPEC = dict(
    slug=dict(type="str", required=True, pattern=SLUG),
    name=dict(type="str", create_required=True, not_empty=True),
    provider=dict(type="entity", resource="oauth2_provider", nullable=True),
    group=dict(type="str"),
    policy_engine_mode=dict(type="str", choices=["all", "any"]),
    meta_launch_url=dict(type="str", pattern=LAUNCH_URL),
    meta_description=dict(type="str"),
    meta_publisher=dict(type="str"),
    open_in_new_tab=dict(type="bool"),
)


class ApplicationModule(AuthentikEntityModule):
    def prepare(self, desired, current):
        """authentik links a provider to one application; refuse, before any write, one that serves another."""
        pk = desired.get("provider")
        provider = self.provider_object(pk) if pk is not None else None
        taken_by = (provider or {}).get("assigned_application_slug")
        if taken_by and taken_by != self.params["slug"]:
            raise AuthentikError("provider: '%s' already serves application '%s', and an authentik provider serves one "
                                 "application; give application '%s' another provider, or unset it on '%s' first"
                                 % (self.params["provider"], taken_by, self.params["slug"], taken_by))
        return desired

    def extra_results(self, entity):
        provider_pk = entity.get("provider")
        urls = dict(issuer=None, openid_configuration_url=None, jwks_url=None)
        if provider_pk is not None:
            provider = self.provider_object(provider_pk)
            if provider is not None:
                urls = application_urls(self.client.base_url, entity.get("slug"), provider.get("issuer_mode"))
        urls.setdefault("authorize_url", self.client.base_url + "/application/o/authorize/")
        urls.setdefault("token_url", self.client.base_url + "/application/o/token/")
        urls.setdefault("userinfo_url", self.client.base_url + "/application/o/userinfo/")
        urls.setdefault("end_session_url", None)
        urls["launch_url"] = entity.get("launch_url", entity.get("meta_launch_url") or None)
        return urls

    def provider_object(self, pk):
        """The OAuth2 provider (resolved already, or read once); None for other provider kinds."""
        for (resource, _fields, _value), obj in self._resolved.items():
            if resource == "oauth2_provider" and str(obj.get("pk")) == str(pk):
                return obj
        resource = self.resource("oauth2_provider")
        provider = self.client.get(resource.detail_path(self.dialect, pk), missing_ok=True)
        self.remember(resource, provider)  # its client secret joins the values messages never show
        return provider


def main():
    ApplicationModule("application", ENTITY_SPEC, "application").execute()


if __name__ == "__main__":
    main()
