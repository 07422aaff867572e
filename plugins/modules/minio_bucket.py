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

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import s3_client, s3_failure
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_admin import check_connection, minio_argument_spec
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import TlsSettingError

try:
    from minio.error import S3Error
except ImportError:  # pragma: no cover - reported by the module
    import traceback

    MINIO_IMPORT_ERROR = traceback.format_exc()
else:
    MINIO_IMPORT_ERROR = None


# S3 error codes that mean MinIO did not accept the credentials (or what they may do): say which options to check.
CREDENTIAL_CODES = ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch")


def bucket_name_problem(name, creating):
    """minio-py's own check of a bucket name, strict (as make_bucket applies it) when the bucket may be created;
    a message naming ``name`` and minio-py's words, or None."""
    from minio.helpers import check_bucket_name

    try:
        check_bucket_name(name, creating)
    except ValueError as exc:
        return "name: not a valid S3 bucket name: %s (got %r)" % (exc, name)
    return None


def refusal_message(name, exc):
    """MinIO's refusal; for wrong credentials, say that MinIO refused them and which options to check (never their values)."""
    message = "bucket %s: MinIO refused the request: %s %s" % (name, exc.code, exc.message)
    if exc.code in CREDENTIAL_CODES:
        message = ("access_key/secret_key: MinIO refused the credentials, access denied (%s: %s); check access_key and "
                   "secret_key: MinIO does not know the access key, the secret key is not its own, or its policy does not "
                   "allow this on bucket %s (got values not shown)" % (exc.code, exc.message, name))
    return message


def converge(module, client):
    """``(changed, msg, objects_removed)``; the write is skipped in check mode, nothing else differs."""
    name, present = module.params["name"], module.params["state"] == "present"
    exists = client.bucket_exists(name)
    if present:
        if not exists and not module.check_mode:
            client.make_bucket(name)
        return not exists, "bucket %s %s" % (name, "exists" if exists else "created"), 0
    if not exists:
        return False, "bucket %s is absent" % name, 0
    keys = [obj.object_name for obj in client.list_objects(name, recursive=True)]
    if keys and not module.params["force"]:
        module.fail_json(msg="bucket %s holds %d object(s); it was left as it is (set force to remove them too)"
                         % (name, len(keys)))
    if not module.check_mode:
        for key in keys:
            client.remove_object(name, key)
        client.remove_bucket(name)
    return True, "bucket %s removed with %d object(s)" % (name, len(keys)), 0 if module.check_mode else len(keys)


def main():
    argument_spec = minio_argument_spec()
    argument_spec.update(
        name=dict(type="str", required=True),
        force=dict(type="bool", default=False),
        region=dict(type="str", default="us-east-1"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if MINIO_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("minio"), exception=MINIO_IMPORT_ERROR)
    params = module.params
    check_connection(module)
    problem = bucket_name_problem(params["name"], params["state"] == "present")
    if problem:
        module.fail_json(msg=problem)
    try:
        client = s3_client(params["url"], (params["access_key"], params["secret_key"]), params["region"],
                           validate_certs=params["validate_certs"], ca_path=params["ca_path"], timeout=params["timeout"])
    except TlsSettingError as exc:
        module.fail_json(msg="bucket %s: %s" % (params["name"], exc))
    try:
        changed, msg, removed = converge(module, client)
    except S3Error as exc:
        module.fail_json(msg=refusal_message(params["name"], exc))
    except Exception as exc:  # pylint: disable=broad-except  # urllib3 and minio-py raise many kinds
        module.fail_json(msg="bucket %s: could not talk to MinIO at %s: %s"
                         % (params["name"], params["url"], s3_failure(exc, params["url"], params["validate_certs"], params["ca_path"])))
    result = dict(changed=changed, msg=msg, objects_removed=removed)
    if module._diff:
        was = "absent" if (changed == (params["state"] == "present")) else "present"
        result["diff"] = dict(before={"state": was}, after={"state": params["state"]})
    module.exit_json(**result)


if __name__ == "__main__":
    main()
