#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: authentik_info
short_description: Look up authentik objects
version_added: 1.0.0
description:
  - Reads objects of one kind from authentik, optionally narrowed by their natural key and exact-match filters,
    following every page.
  - An optional JMESPath O(query) picks fields out of the result.
  - Never changes anything.
options:
  kind:
    description:
      - The kind of object to read.
    type: str
    required: true
    choices: [application, certificate_keypair, flow, group, oauth2_provider, policy_binding, scope_mapping, user]
  name:
    description:
      - The natural key of the object - the slug of an application or a flow, the username of a user, the name of anything else.
      - Not available for O(kind=policy_binding); use O(application) there.
    type: str
  application:
    description:
      - For O(kind=policy_binding), the slug of the application whose bindings to read.
    type: str
  filters:
    description:
      - Further exact-match filters, with authentik's API field names (for example C(scope_name) or C(managed)).
      - Objects are re-checked against the filters that name one of their fields, because authentik ignores
        unknown filters.
    type: dict
    default: {}
  query:
    description:
      - A JMESPath expression applied to the list of objects; its result is returned in RV(result).
      - Needs the C(jmespath) Python package.
    type: str
  include_secrets:
    description:
      - Whether OAuth2 providers' client secrets are included; they are removed by default.
      - Set C(no_log) on the task when you include them.
    type: bool
    default: false
extends_documentation_fragment:
  - sso.authentik_minio.authentik
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.AUTHENTIK_GROUP
  - sso.authentik_minio.attributes.CHECK_MODE_READ_ONLY
requirements:
  - jmespath (only with O(query))
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
- name: The flow to authorize with
  sso.authentik_minio.authentik_info:
    kind: flow
    name: default-provider-authorization-implicit-consent
  register: flow

- name: The pks of authentik's default OpenID scope mappings
  sso.authentik_minio.authentik_info:
    kind: scope_mapping
    filters:
      managed__isnull: false
    query: "[?scope_name=='openid' || scope_name=='email' || scope_name=='profile'].pk"
  register: default_mappings

- name: Keypairs that can sign tokens
  sso.authentik_minio.authentik_info:
    kind: certificate_keypair
    query: "[?private_key_available].name"
  register: signing_keys

- name: Show them
  ansible.builtin.debug:
    msg: "{{ flow.objects[0].pk }} {{ default_mappings.result | length }} {{ signing_keys.result }}"
"""

RETURN = r"""
objects:
  description: The objects found, as authentik returns them (client secrets removed unless O(include_secrets)).
  returned: always
  type: list
  elements: dict
result:
  description: The result of O(query) on RV(objects).
  returned: when O(query) is set
  type: raw
version:
  description: The authentik release of the server.
  returned: always
  type: str
  sample: 2025.12.4
verified:
  description:
    - Whether the server's release line is one this collection was verified against (authentik 2024.6 to 2026.8).
      A newer one is used, with a warning.
  returned: always
  type: bool
  sample: true
features:
  description:
    - What the server's release has that the modules' options depend on, so that a playbook or a role chooses its
      options without comparing release numbers.
  returned: always
  type: dict
  contains:
    grant_types:
      description: Whether OAuth2 providers have O(sso.authentik_minio.authentik_oauth2_provider#module:grant_types) (2026.5 and newer).
      type: bool
      returned: always
    grant_type_choices:
      description: The grant types the server accepts; empty before 2026.5.
      type: list
      elements: str
      returned: always
    default_grant_types:
      description:
        - The grant types M(sso.authentik_minio.authentik_oauth2_provider) gives a provider it creates without
          O(sso.authentik_minio.authentik_oauth2_provider#module:grant_types); empty before 2026.5.
      type: list
      elements: str
      returned: always
    token_exchange:
      description: Whether the token exchange grant type exists (2026.8 and newer).
      type: bool
      returned: always
    expiring_bindings:
      description: Whether policy bindings can expire (2026.8 and newer).
      type: bool
      returned: always
    redirect_uri_type:
      description: Whether redirect URIs have a C(redirect_uri_type) (2026.5 and newer).
      type: bool
      returned: always
    invalidation_flow:
      description: Whether providers have an invalidation flow (2024.10 and newer).
      type: bool
      returned: always
    refresh_token_threshold:
      description: Whether providers have a refresh token threshold (2025.10 and newer).
      type: bool
      returned: always
    scope_mapping_under_provider:
      description: Whether scope mappings live under C(propertymappings/provider/scope/) (2024.8 and newer).
      type: bool
      returned: always
  sample:
    grant_types: true
    grant_type_choices: [authorization_code, implicit, hybrid, refresh_token, client_credentials, password]
    default_grant_types: [authorization_code, refresh_token]
    token_exchange: false
    expiring_bindings: false
    redirect_uri_type: true
    invalidation_flow: true
    refresh_token_threshold: true
    scope_mapping_under_provider: true
"""

import traceback

try:
    import jmespath

    HAS_JMESPATH = True
    JMESPATH_IMPORT_ERROR = None
except ImportError:
    jmespath = None
    HAS_JMESPATH = False
    JMESPATH_IMPORT_ERROR = traceback.format_exc()

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikError
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_module import AuthentikModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_resources import RESOURCES, redact_object
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_version import version_string


class InfoModule(AuthentikModule):
    def run(self):
        resource = self.resource(self.params["kind"])
        filters = dict((str(key), value) for key, value in (self.params["filters"] or {}).items())
        self.result.update(version=version_string(self.dialect.version), verified=not self.dialect.newer_than_verified,
                           features=self.dialect.features())
        if self.params["name"] is not None:
            if not resource.key:
                raise AuthentikError("name cannot be used with kind=%s; use application" % resource.name)
            filters[resource.key] = self.params["name"]
        if self.params["application"] is not None:
            if resource.name != "policy_binding":
                raise AuthentikError("application can only be used with kind=policy_binding")
            application = self.find_one(self.resource("application"), "slug", self.params["application"])
            if application is None:
                self.result.update(objects=[])
                self.set_query_result([])
                return
            filters["target"] = application["pk"]
        # booleans travel as authentik's query strings
        filters = dict((key, str(value).lower() if isinstance(value, bool) else value) for key, value in filters.items())
        objects = self.find_all(resource, filters)
        if not self.params["include_secrets"]:
            objects = [redact_object(resource, obj) for obj in objects]
        self.result.update(objects=objects)
        self.set_query_result(objects)

    def set_query_result(self, objects):
        if self.params["query"] is None:
            return
        if not HAS_JMESPATH:
            self.fail_json(msg=missing_required_lib("jmespath"), exception=JMESPATH_IMPORT_ERROR)
        try:
            self.result["result"] = jmespath.search(self.params["query"], objects)
        except jmespath.exceptions.JMESPathError as exc:
            raise AuthentikError("query: %s" % exc)


def main():
    InfoModule(
        argument_spec=dict(
            kind=dict(type="str", required=True, choices=sorted(RESOURCES)),
            name=dict(type="str"),
            application=dict(type="str"),
            filters=dict(type="dict", default={}),
            query=dict(type="str"),
            include_secrets=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    ).execute()


if __name__ == "__main__":
    main()
