#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: minio_bucket
short_description: Create or remove a MinIO bucket
version_added: 1.1.0
description:
  - Creates a bucket, or removes it, with the connection's credentials (S3 API).
  - The C(sso.authentik_minio.minio_sso) role sweeps with it the probe buckets of login checks that were killed before
    they could remove their own.
options:
  name:
    description:
      - Name of the bucket, checked with minio-py's own rules before MinIO is asked. 3 to 63 lowercase letters,
        digits, dots and hyphens, starting and ending with a letter or digit, not an IP address, no C(..), C(.-) or C(-.).
      - With O(state=absent) minio-py's looser rules for existing buckets apply (upper case and C(_) allowed).
    type: str
    required: true
  force:
    description:
      - With O(state=absent), remove the objects in the bucket first. Without it, a bucket that holds objects is left
        as it is and the task fails, naming how many it holds.
    type: bool
    default: false
  region:
    description:
      - Region the S3 requests are signed for (MinIO's C(region) setting).
    type: str
    default: us-east-1
  state:
    description:
      - Whether the bucket should exist.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - sso.authentik_minio.minio
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.MINIO_GROUP
  - sso.authentik_minio.attributes.CHECK_AND_DIFF
requirements:
  - minio (MinIO's Python SDK)
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
- name: A bucket for backups
  sso.authentik_minio.minio_bucket:
    name: backups

- name: Remove a probe bucket left behind, with what is in it
  sso.authentik_minio.minio_bucket:
    name: backups
    force: true
    state: absent
"""

RETURN = r"""
objects_removed:
  description: How many objects O(force) removed (0 in check mode, which removes nothing).
  returned: always
  type: int
  sample: 2
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_module import MinioModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_s3 import bucket_name_problem

# S3 error codes that mean MinIO did not accept the credentials (or what they may do): say which options to check.
CREDENTIAL_CODES = ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch")


class MinioBucketModule(MinioModule):
    OPTIONS = dict(
        name=dict(type="str", required=True),
        force=dict(type="bool", default=False),
        region=dict(type="str", default="us-east-1"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )

    def refused_values(self):
        return [bucket_name_problem("name", self.params["name"], self.params["state"] == "present")]

    def failure_message(self, exc):
        """MinIO's refusal; for wrong credentials, say that MinIO refused them and which options to check (never
        their values); no answer: why, in the words of its deepest cause."""
        name = self.params["name"]
        if exc.code in CREDENTIAL_CODES:
            return ("access_key/secret_key: MinIO refused the credentials, access denied (%s: %s); check access_key and "
                    "secret_key: MinIO does not know the access key, the secret key is not its own, or its policy does not "
                    "allow this on bucket %s (got values not shown)" % (exc.code, exc.server_message, name))
        if exc.code:
            return "bucket %s: MinIO refused the request: %s" % (name, exc)
        return "bucket %s: could not talk to MinIO at %s: %s" % (name, self.params["url"], exc)

    def run(self):
        """The write is skipped in check mode, nothing else differs."""
        name, present, client = self.params["name"], self.params["state"] == "present", self.s3()
        exists = client.bucket_exists(name)
        keys = [] if present or not exists else client.object_names(name)
        if keys and not self.params["force"]:
            self.fail_json(msg="bucket %s holds %d object(s); it was left as it is (set force to remove them too)" % (name, len(keys)))
        if not self.check_mode and exists != present:
            if present:
                client.make_bucket(name)
            for key in keys:
                client.remove_object(name, key)
            if not present:
                client.remove_bucket(name)
        msg = ("exists" if exists else "created") if present else ("removed with %d object(s)" % len(keys) if exists else "is absent")
        self.result.update(changed=exists != present, msg="bucket %s %s" % (name, msg), objects_removed=0 if self.check_mode else len(keys))
        if self._diff:
            self.result["diff"] = dict(before={"state": "present" if exists else "absent"}, after={"state": self.params["state"]})


def main():
    MinioBucketModule().execute()


if __name__ == "__main__":
    main()
