#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: minio_policy
short_description: Manage MinIO canned (IAM) policies
version_added: 1.0.0
description:
  - Creates, updates or removes a canned policy of MinIO through its admin API v3, without the C(mc) binary.
  - Policies are compared after normalisation (single values as lists, sets sorted, statement order and empty
    fields ignored), so a policy written differently but meaning the same is not rewritten.
  - Policies named in an OpenID C(policy) claim or in C(role_policy) must exist when users log in,
    for example the C(my-custom-policy) of the authentik guide.
author:
  - sso.authentik_minio contributors (@sso-collections)
options:
  name:
    description:
      - Policy name. Not empty, no commas, no leading or trailing spaces.
    type: str
    required: true
  policy:
    description:
      - The policy document, as a dict or as JSON text, checked before anything is sent the way MinIO's policy
        parser checks it.
      - C(Version) must be V(2012-10-17), the only version MinIO's parser knows; C(Statement) a non-empty list of statements.
      - In each statement, C(Effect) must be V(Allow) or V(Deny); C(Action) (or C(NotAction)) must be set, each action
        V(*) or starting with C(s3:), C(admin:), C(kms:) or C(sts:); each C(Resource) (or C(NotResource)) V(*) or an ARN
        starting with C(arn:aws:s3:::) (or C(arn:minio:kms:::)).
      - Required with O(state=present).
    type: raw
  state:
    description:
      - V(present) creates or replaces the policy, V(absent) removes it.
      - MinIO refuses to remove a policy that is attached to a user or group.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - sso.authentik_minio.minio
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.MINIO_GROUP
  - sso.authentik_minio.attributes.CHECK_AND_DIFF
seealso:
  - module: sso.authentik_minio.minio_identity_openid
"""

EXAMPLES = r"""
# The connection comes from MINIO_URL, MINIO_ACCESS_KEY and MINIO_SECRET_KEY here.

- name: Read-write access to one bucket, for users whose policy claim says my-custom-policy
  sso.authentik_minio.minio_policy:
    name: my-custom-policy
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: ["s3:GetBucketLocation", "s3:ListBucket"]
          Resource: ["arn:aws:s3:::my-bucket"]
        - Effect: Allow
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
          Resource: ["arn:aws:s3:::my-bucket/*"]

- name: The same policy given as JSON text changes nothing
  sso.authentik_minio.minio_policy:
    name: my-custom-policy
    policy: >-
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": "arn:aws:s3:::my-bucket"},
       {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::my-bucket/*"}]}

- name: A policy that only lists buckets
  sso.authentik_minio.minio_policy:
    name: list-only
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:ListAllMyBuckets
          Resource: "arn:aws:s3:::*"

- name: Remove it
  sso.authentik_minio.minio_policy:
    name: list-only
    state: absent
"""

RETURN = r"""
policy:
  description: The policy as MinIO stores it after the task (normalised), or V(null) when absent.
  returned: always
  type: dict
  sample:
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: ["s3:GetObject"]
        Resource: ["arn:aws:s3:::my-bucket/*"]
msg:
  description: What was done.
  returned: always
  type: str
  sample: policy my-custom-policy created
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_module import MinioModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_policy import (
    PolicyError,
    load,
    normalise,
    same,
)


class MinioPolicyModule(MinioModule):
    OPTIONS = dict(
        name=dict(type="str", required=True),
        policy=dict(type="raw"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    desired = None  # the checked policy document with state=present

    def refused_values(self):
        # MinIO's own name rules, checked here too so that check mode predicts the same failure.
        name = self.params["name"]
        if not name:
            return ["name must not be empty (got %r)" % name]
        if "," in name or name != name.strip():
            return ["name: MinIO refuses commas and leading or trailing spaces in a policy name (got %r)" % name]
        if self.params["state"] == "present":
            try:
                self.desired = load(self.params["policy"])
            except PolicyError as exc:
                return [str(exc)]
        return []

    def run(self):
        name, desired = self.params["name"], self.desired
        current = self.admin.policy_info(name)
        if desired is None:
            changed, after = current is not None, None
            msg = "policy %s %s" % (name, "removed" if changed else "is absent")
        else:
            changed, after = current is None or not same(current, desired), normalise(desired)
            msg = "policy %s %s" % (name, "is up to date" if not changed else ("created" if current is None else "updated"))
        self.result.update(changed=changed, msg=msg, policy=after)
        if self._diff:
            self.result["diff"] = dict(before=normalise(current) if current is not None else {}, after=after or {})
        if changed and not self.check_mode:
            if desired is None:
                self.admin.policy_remove(name)
            else:
                self.admin.policy_add(name, desired)
                stored = self.admin.policy_info(name)
                self.result["policy"] = normalise(stored) if stored is not None else after


def main():
    MinioPolicyModule(required_if=[("state", "present", ["policy"])]).execute()


if __name__ == "__main__":
    main()
