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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_admin import (
    MinioError,
    client_from_module,
    minio_argument_spec,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_policy import (
    PolicyError,
    load,
    normalise,
    same,
)


def main():
    argument_spec = minio_argument_spec()
    argument_spec.update(
        name=dict(type="str", required=True),
        policy=dict(type="raw"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["policy"])],
        supports_check_mode=True,
    )
    name, state = module.params["name"], module.params["state"]
    # MinIO's own name rules, checked here too so that check mode predicts the same failure.
    if not name:
        module.fail_json(msg="name must not be empty (got %r)" % name)
    if "," in name or name != name.strip():
        module.fail_json(msg="name: MinIO refuses commas and leading or trailing spaces in a policy name (got %r)" % name)
    desired = None
    if state == "present":
        try:
            desired = load(module.params["policy"])
        except PolicyError as exc:
            module.fail_json(msg=str(exc))

    client = client_from_module(module)
    try:
        current = client.policy_info(name)
    except MinioError as exc:
        module.fail_json(msg=str(exc))

    if state == "absent":
        changed = current is not None
        after = None
        msg = "policy %s %s" % (name, "removed" if changed else "is absent")
    else:
        changed = current is None or not same(current, desired)
        after = normalise(desired)
        msg = "policy %s %s" % (name, "is up to date" if not changed else ("created" if current is None else "updated"))
    result = dict(changed=changed, msg=msg, policy=after)
    if module._diff:
        result["diff"] = dict(before=normalise(current) if current is not None else {}, after=after or {})

    if changed and not module.check_mode:
        try:
            if state == "absent":
                client.policy_remove(name)
            else:
                client.policy_add(name, desired)
                stored = client.policy_info(name)
                result["policy"] = normalise(stored) if stored is not None else after
        except MinioError as exc:
            module.fail_json(msg=str(exc))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
