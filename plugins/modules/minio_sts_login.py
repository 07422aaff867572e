#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: minio_sts_login
short_description: Prove that an OpenID ID token logs in to MinIO, and what the login may do
version_added: 1.0.0
description:
  - Exchanges an ID token for temporary credentials at MinIO's STS (C(AssumeRoleWithWebIdentity), an unsigned form POST),
    as the MinIO console does after a browser login.
  - Returns the policies MinIO granted (read from the session token MinIO issued), then shows with S3 calls what the
    temporary credentials may do on a probe object - read it, write another one.
  - The probe object is put (and removed again) with the connection's root credentials, in O(probe_bucket); the bucket
    is created for the probe and removed afterwards when it did not exist. Nothing is left behind, so the module never
    reports a change.
  - The temporary credentials are never returned.
options:
  id_token:
    description:
      - The ID token (a JWT) of the user, for example from the token endpoint of an authentik OAuth2 provider.
      - It must be a JWT (three base64url parts) that has not expired (its C(exp) claim in the future); otherwise it is
        refused before MinIO is asked. Its signature is left to MinIO.
    type: str
    required: true
  access_token:
    description:
      - The access token of the same login; MinIO needs it when C(claim_userinfo) is on.
    type: str
  role_arn:
    description:
      - Role ARN of a role provider (C(role_policy)); omit it for the provider that maps policies from a claim.
      - Of the form C(arn:minio:iam:<region>::role/<id>), as MinIO prints it; anything else is refused before MinIO is asked.
    type: str
  claim_name:
    description:
      - The claim that holds the policy names (MinIO's C(claim_name)); used to read what MinIO granted. Must not be empty.
    type: str
    default: policy
  duration_seconds:
    description:
      - Validity of the temporary credentials in seconds, from V(900) (15 minutes) to V(31536000) (365 days), the range
        MinIO accepts. A value outside it is refused before MinIO is asked.
    type: int
    default: 900
  fail_on_refusal:
    description:
      - Whether a refusal by MinIO's STS (for example when no policy in the token exists) fails the task.
      - With V(false) the task succeeds and RV(granted) is V(false), with MinIO's reason in RV(sts_error).
    type: bool
    default: true
  probe:
    description:
      - Whether to probe the temporary credentials with S3 calls after the login.
    type: bool
    default: true
  probe_bucket:
    description:
      - Bucket for the probe objects. Created for the probe and removed afterwards when it does not exist.
      - Choose a bucket that the policy under test is about when it grants access to named buckets only.
      - Must be a valid S3 bucket name (minio-py's check, 3 to 63 lowercase letters, digits, dots and hyphens), checked
        before MinIO is asked.
    type: str
    default: minio-sso-login-check
  region:
    description:
      - MinIO's region (C(MINIO_SITE_REGION)) that S3 requests are signed for.
    type: str
    default: us-east-1
notes:
  - O(access_key) and O(secret_key) (root or admin credentials) are used only to put and remove the probe object
    and bucket; the login itself uses nothing but the ID token.
extends_documentation_fragment:
  - sso.authentik_minio.minio
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.MINIO_GROUP
attributes:
  check_mode:
    support: full
    details:
      - In check mode the STS login is done (it changes nothing on the server) but the S3 probe, which writes
        temporarily, is not.
  diff_mode:
    support: none
seealso:
  - module: sso.authentik_minio.minio_identity_openid
  - module: sso.authentik_minio.authentik_service_account
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
# authentik at AUTHENTIK_URL serves the application "minio"; MinIO's connection comes from MINIO_URL,
# MINIO_ACCESS_KEY and MINIO_SECRET_KEY (or set url, access_key and secret_key on each task).
- name: MinIO trusts authentik's application "minio" (restarts MinIO if this changed)
  sso.authentik_minio.minio_identity_openid:
    config_url: "{{ lookup('ansible.builtin.env', 'AUTHENTIK_URL') }}/application/o/minio/.well-known/openid-configuration"
    client_id: minio
    client_secret: "{{ minio_client_secret | default('the-secret-the-authentik-provider-has') }}"
    claim_name: policy
    scopes: [openid, profile, email, minio]

- name: A temporary service account to log in with
  sso.authentik_minio.authentik_service_account:
    name: minio-login-example
  register: login_account
  no_log: true

- name: Its ID token (client_credentials with the app password)
  ansible.builtin.uri:
    url: "{{ lookup('ansible.builtin.env', 'AUTHENTIK_URL') }}/application/o/token/"
    method: POST
    body_format: form-urlencoded
    body:
      grant_type: client_credentials
      client_id: minio
      username: "{{ login_account.username }}"
      password: "{{ login_account.app_password }}"
      scope: openid profile email
  register: token_response
  no_log: true

- name: Log in to MinIO with it; no scope mapping gives this account a policy, so MinIO must refuse
  sso.authentik_minio.minio_sts_login:
    id_token: "{{ token_response.json.id_token }}"
    fail_on_refusal: false
    probe: false
  register: minio_login
  no_log: true

- name: Say what MinIO answered
  ansible.builtin.debug:
    msg: "granted: {{ minio_login.granted }}; policies: {{ minio_login.policies | join(', ') or 'none' }}"

- name: Check the refusal
  ansible.builtin.assert:
    that: not minio_login.granted

- name: Remove the temporary account
  sso.authentik_minio.authentik_service_account:
    name: minio-login-example
    state: absent
"""

RETURN = r"""
granted:
  description: Whether MinIO issued temporary credentials for the token.
  returned: always
  type: bool
policies:
  description: The policies MinIO granted (those named in the token's claim that exist in MinIO); empty for a role provider or a refusal.
  returned: always
  type: list
  elements: str
  sample: [readwrite]
role_arn:
  description: The role ARN the credentials were issued for, when a role provider answered.
  returned: when granted by a role provider
  type: str
subject:
  description: The C(sub) of the token, as MinIO saw it.
  returned: always
  type: str
token_policy_claim:
  description: The policy names the ID token itself carried in O(claim_name) (before MinIO dropped unknown ones).
  returned: always
  type: list
  elements: str
  sample: [readwrite, no-such-policy]
expiration:
  description: When the temporary credentials expire.
  returned: when granted
  type: str
  sample: "2026-11-28T12:15:00Z"
sts_error:
  description: MinIO's refusal, C(code) and C(message), with O(fail_on_refusal=false).
  returned: when refused
  type: dict
  sample:
    code: InvalidParameterValue
    message: policy claim missing from the JWT token, credentials will not be generated
can_read:
  description: Whether the temporary credentials could read the probe object; null without a probe (and in check mode).
  returned: always
  type: bool
can_write:
  description: Whether the temporary credentials could write an object into O(probe_bucket); null without a probe.
  returned: always
  type: bool
msg:
  description: One line that says what MinIO granted and what the probe showed.
  returned: always
  type: str
  sample: "MinIO granted readwrite to sub 3f2a...; probe in minio-sso-login-check: read allowed, write allowed"
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import (
    S3Probe,
    StsRefusal,
    assume_role_with_web_identity,
    check_bucket,
    check_id_token,
    check_role_arn,
    jwt_claims,
    policy_names,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_module import MinioModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._ranges import between

# MinIO's limits for DurationSeconds (its GetDefaultExpiration: 15 minutes to 365 days).
MIN_DURATION = 900
MAX_DURATION = 31536000
# What this module's calls carry besides the S3 probe (for the plain-http and validate_certs=false warnings).
STS_SECRETS = "the ID token and the temporary credentials MinIO answers with"


def yes_no(value):
    return "allowed" if value else "denied"


class MinioStsLoginModule(MinioModule):
    OPTIONS = dict(
        id_token=dict(type="str", required=True, no_log=True),
        access_token=dict(type="str", no_log=True),
        role_arn=dict(type="str"),
        claim_name=dict(type="str", default="policy"),
        duration_seconds=dict(type="int", default=900),
        fail_on_refusal=dict(type="bool", default=True),
        probe=dict(type="bool", default=True),
        probe_bucket=dict(type="str", default="minio-sso-login-check"),
        region=dict(type="str", default="us-east-1"),
    )
    SECRETS = STS_SECRETS

    def refused_values(self):
        params = self.params
        return [between("duration_seconds", params["duration_seconds"], MIN_DURATION, MAX_DURATION, "seconds", "MinIO's"),
                check_id_token(params["id_token"]) or check_role_arn(params["role_arn"]),
                None if params["claim_name"] else "claim_name: must not be empty (got %r)" % params["claim_name"],
                check_bucket("probe_bucket", params["probe_bucket"]) if params["probe"] else None]

    def failure_message(self, exc):
        """Before the login: MinIO's words; after it, what was granted and why the probe failed."""
        if not self.result.get("granted"):
            return str(exc)
        if exc.code:
            return "%s, but the S3 probe in bucket %s failed: %s" % (self.result["msg"], self.params["probe_bucket"], exc)
        return "%s, but the S3 probe could not talk to MinIO at %s: %s" % (self.result["msg"], self.params["url"], exc)

    def run(self):
        params, result = self.params, self.result
        claims = jwt_claims(params["id_token"])
        subject = claims.get("sub") if isinstance(claims.get("sub"), str) else ""
        result.update(granted=False, policies=[], subject=subject, can_read=None, can_write=None,
                      token_policy_claim=policy_names(claims.get(params["claim_name"])))
        self.failure_keys = tuple(result) + ("role_arn", "expiration")
        try:
            temporary = assume_role_with_web_identity(self.transport, params["id_token"], duration=params["duration_seconds"],
                                                      role_arn=params["role_arn"], access_token=params["access_token"])
        except StsRefusal as exc:
            result["sts_error"] = dict(code=exc.code, message=exc.message)
            result["msg"] = "MinIO's STS refused the token of sub %s (HTTP %s %s: %s)" % (subject, exc.status, exc.code, exc.message)
            if params["fail_on_refusal"]:
                self.fail_json(**result)
            return
        self.no_log_values.update(temporary[:3])
        self.granted(jwt_claims(temporary[2]), temporary[3])
        if params["probe"] and not self.check_mode:
            probe = S3Probe(self.s3(), self.s3(temporary[:3]), params["probe_bucket"]).run()
            result.update(can_read=probe["can_read"], can_write=probe["can_write"])
            result["msg"] += "; probe in bucket %s: read %s, write %s" % (params["probe_bucket"], yes_no(probe["can_read"]),
                                                                          yes_no(probe["can_write"]))

    def granted(self, session_claims, expiration):
        """What MinIO granted, read from the session token it issued."""
        self.result.update(granted=True, expiration=expiration)
        if session_claims.get("roleArn"):
            self.result["role_arn"] = session_claims["roleArn"]
            granted = "the role %s" % session_claims["roleArn"]
        else:
            self.result["policies"] = policy_names(session_claims.get(self.params["claim_name"]))
            granted = "policy %s" % (", ".join(self.result["policies"]) or "(none named)")
        self.result["msg"] = "MinIO granted %s to sub %s" % (granted, self.result["subject"])


def main():
    MinioStsLoginModule().execute()


if __name__ == "__main__":
    main()
