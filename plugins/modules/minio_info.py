#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: minio_info
short_description: Read MinIO's OpenID configuration and look up policies, with secrets hidden
version_added: 1.1.0
description:
  - Reads MinIO's stored configuration (the admin API's config export) and returns every C(identity_openid) target
    with C(client_secret) hidden.
  - Looks up the canned policies named in O(policies) and says which of them MinIO does not have; MinIO drops an
    unknown policy name at login without a word.
  - Changes nothing. Reading the configuration needs the C(admin:ConfigUpdate) permission, so a successful run also
    shows that the credentials may change the configuration.
options:
  policies:
    description:
      - Names of canned policies to look up.
    type: list
    elements: str
    default: []
  check_documents:
    description:
      - Policy documents to check, without writing them, the way M(sso.authentik_minio.minio_policy) checks them
        before it writes; the task fails naming the first document that MinIO would refuse.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the policy.
        type: str
        required: true
      policy:
        description: The policy document, as for M(sso.authentik_minio.minio_policy).
        type: raw
        required: true
extends_documentation_fragment:
  - sso.authentik_minio.minio
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.MINIO_GROUP
  - sso.authentik_minio.attributes.CHECK_MODE_READ_ONLY
requirements:
  - minio (MinIO's Python SDK)
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
- name: Which of these policies does MinIO lack, and which OpenID targets are configured
  sso.authentik_minio.minio_info:
    policies:
      - readonly
      - my-custom-policy
  register: minio

- name: Show it (the client secrets are hidden)
  ansible.builtin.debug:
    msg: "missing policies: {{ minio.missing_policies }}; OpenID targets: {{ minio.identity_openid | list }}"
"""

RETURN = r"""
identity_openid:
  description: The configured C(identity_openid) targets by name (C(_) is the default one), each with its stored keys;
    C(client_secret) reads C(********). A target that is commented out in MinIO's export (no config_url) is left out.
  returned: always
  type: dict
  sample: {"_": {"config_url": "https://auth.example.com/application/o/minio/.well-known/openid-configuration",
                 "client_id": "minio", "client_secret": "********", "claim_name": "policy"}}
missing_policies:
  description: The names in O(policies) that MinIO does not have.
  returned: always
  type: list
  elements: str
  sample: [my-custom-policy]
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_kv import parse_config
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_module import MinioModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_openid import redact, target_exists
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_policy import PolicyError, load


def openid_targets(export):
    """The configured targets of a config export, secrets replaced by the redaction marker."""
    targets = {}
    for name, entry in parse_config(export).items():
        if entry["commented"] or not target_exists(name, entry):
            continue
        targets[name] = redact(entry["values"])
    return targets


class MinioInfoModule(MinioModule):
    OPTIONS = dict(
        policies=dict(type="list", elements="str", default=[]),
        check_documents=dict(type="list", elements="dict", default=[], options=dict(
            name=dict(type="str", required=True),
            policy=dict(type="raw", required=True),
        )),
    )

    def refused_values(self):
        refused = []
        for document in self.params["check_documents"]:
            try:
                load(document["policy"])
            except PolicyError as exc:
                refused.append("policy %s: %s" % (document["name"], exc))
        return refused

    def run(self):
        targets = openid_targets(self.admin.get_config_export())
        missing = [name for name in self.params["policies"] if self.admin.policy_info(name) is None]
        self.result.update(identity_openid=targets, missing_policies=missing)


def main():
    MinioInfoModule().execute()


if __name__ == "__main__":
    main()
