#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: minio_sso_login_check
short_description: Prove that MinIO's console "Login with SSO" works with authentik, as a browser does it
version_added: 1.1.0
description:
  - Reads what MinIO runs with for an C(identity_openid) target (client ID, client secret, config URL, scopes,
    redirect URL) through MinIO's admin API, and proves with it the login a user makes on MinIO's console.
  - With O(mode=login) (the default) it logs in headless as the console's browser would. It sends the console's
    authorize request (C(response_type=code), MinIO's client ID, the redirect URI MinIO's console sends, MinIO's
    scopes and C(openid), a random state) to the authorization endpoint of MinIO's discovery document. It answers
    authentik's flow executor (identification and password stages) as O(username), follows the provider's
    authorization flow, and takes the C(code) from the redirect to the callback. It exchanges the code at the token
    endpoint with B(MinIO's stored client secret) and the same redirect URI, then exchanges the ID token at MinIO's
    STS (C(AssumeRoleWithWebIdentity)). It returns the policies MinIO granted.
  - It never uses the C(client_credentials) grant.
  - Without O(password), a temporary internal user is created in authentik with a random password, added to
    O(groups), used for the login and deleted again, whatever the outcome. With O(username) and O(password), that
    existing user logs in and nothing is written.
  - With O(mode=consistency) it writes nothing on either server. It checks that MinIO's stored client ID, client
    secret, config URL, scopes and redirect URI agree with authentik's provider and application. It checks that
    discovery and JWKS answer, and that every policy in O(policies) exists in MinIO.
  - In both modes, before anything is written, the discovery document MinIO uses must agree with the application
    O(application) as authentik serves it at the config URL's host. Its issuer (of the provider's issuer mode with
    O(mode=consistency), else either mode's), JWKS URI and token endpoint must be the application's. It must list
    O(expect_scopes) and O(expect_claims), and sign ID tokens with an algorithm MinIO can verify with the JWKS
    (not C(HS*)). Otherwise the task fails with RV(cause) V(discovery), naming what disagrees.
  - Each failure ends the task with one line that names the cause, and RV(cause) names it for a program. The causes
    are MinIO's client secret differing from authentik's, a redirect URI the provider does not allow, a user in none
    of the application's access groups, a missing policy claim or one naming a policy MinIO lacks, discovery or JWKS
    not answering, and a flow stage a headless login cannot answer (with its C(component)).
  - With O(probe_bucket), the temporary credentials MinIO granted are tried on an object in that bucket, so a role can
    tell whether the mapping grants write access (RV(can_read), RV(can_write)).
  - When O(console_url) is set and MinIO's console answers there, its own login API is driven
    (C(GET /api/v1/login) for its authorize URL, C(POST /api/v1/login/oauth2/auth) with the code and state), so the
    redirect URI, scopes and code exchange are the console's own, and RV(path) is V(console). The same login is then
    made by hand as well, because only that reads the policies MinIO grants and names the cause of a refusal.
    Otherwise the module sends what the console would send, and RV(path) is V(imitation).
options:
  authentik_url:
    description:
      - Base URL of authentik's API, used to create and remove the temporary user and, with O(mode=consistency), to
        read the provider and the application.
      - If not set, the value of the E(AUTHENTIK_URL) environment variable is used.
      - The login itself uses the endpoints of MinIO's discovery document, so it goes where MinIO's console sends
        browsers.
    type: str
    required: true
  authentik_token:
    description:
      - An authentik API token allowed to manage users and read providers and applications.
      - If not set, the value of the E(AUTHENTIK_TOKEN) environment variable is used.
    type: str
    required: true
  authentik_validate_certs:
    description:
      - Verify authentik's TLS certificate (API and login endpoints).
    type: bool
    default: true
  authentik_ca_path:
    description:
      - A CA bundle to verify authentik's certificate with.
    type: path
  mode:
    description:
      - V(login) proves the whole login. V(consistency) only reads and compares, with zero writes on either server.
      - In check mode, V(login) without O(password) runs V(consistency) instead, because the temporary user would be a
        write; RV(proof) says which ran.
    type: str
    choices: [login, consistency]
    default: login
  application:
    description:
      - Slug of the authentik application whose provider MinIO uses.
    type: str
    required: true
  target:
    description:
      - Name of MinIO's C(identity_openid) target; V(_) is the default target.
    type: str
    default: _
  console_url:
    description:
      - The URL users open MinIO's console at, for example V(https://console.example.com).
      - MinIO's console sends C(<console_url>/oauth_callback) as its redirect URI when the target has
        C(redirect_uri_dynamic=on) (built from the browser's request), or when it has no C(redirect_uri) (then MinIO
        uses E(MINIO_BROWSER_REDIRECT_URL), or else its own address, neither of which the admin API shows).
      - A C(redirect_uri) stored in the target wins over this option unless C(redirect_uri_dynamic) is on.
      - With O(mode=login), the module asks the console's login API at this URL first (see the description).
      - The console's TLS certificate is checked as MinIO's is (O(validate_certs), O(ca_path)).
    type: str
  username:
    description:
      - The authentik user to log in as.
      - With O(password), an existing user. Without it, the name of the temporary user to create (it must not exist);
        when omitted, a name C(minio-sso-login-check-<random>) is drawn.
    type: str
  password:
    description:
      - Password of O(username). Omit it to let the module create a temporary user.
    type: str
  groups:
    description:
      - Names of authentik groups the temporary user joins, for example the application's access groups.
      - Ignored with O(password).
    type: list
    elements: str
    default: []
  policies:
    description:
      - Policies MinIO must have. V(consistency) checks each exists. V(login) also fails when MinIO granted none of
        them.
    type: list
    elements: str
    default: []
  probe_bucket:
    description:
      - After MinIO's STS granted the login temporary credentials, probe what they allow in this bucket, returned as
        RV(can_read) and RV(can_write). Not set (the default), nothing is probed.
      - With the root credentials (O(access_key)), the probe writes an object for the temporary credentials to read,
        then they try to write one of their own; both objects are removed again. The bucket is created only when it
        does not exist, and then removed again.
      - Only with O(mode=login) and not in check mode, as the probe writes.
    type: str
  expect_scopes:
    description:
      - Scopes the discovery document must list in C(scopes_supported), for example the scope of the scope mapping
        that sets MinIO's policy claim.
    type: list
    elements: str
    default: []
  expect_claims:
    description:
      - Claims the discovery document must list in C(claims_supported), for example MinIO's policy claim.
      - authentik lists the claims its scope mappings return for an anonymous user, so a claim that depends on the
        user's groups is not listed; name it only when every user gets it.
    type: list
    elements: str
    default: []
  owner:
    description:
      - Name of the deployment (its application slug) whose manifest lists the temporary user, as
        M(sso.authentik_minio.authentik_deployment) records it with O(sso.authentik_minio.authentik_deployment#module:login_check)
        before the check. Once the user is removed, its entry is forgotten there, and RV(temporary_user) says so.
      - Not set, the manifest is not touched.
    type: str
notes:
  - The environment of MinIO's server (E(MINIO_IDENTITY_OPENID_*)) wins over what the admin API stores. The keys it
    sets are listed in RV(environment_overrides) and named in the message of a failure they may explain.
  - O(access_key) and O(secret_key) read MinIO's configuration and policies and, with O(probe_bucket), write and remove
    the probe's objects (and bucket); the login itself uses the ID token only.
extends_documentation_fragment:
  - sso.authentik_minio.minio
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.MINIO_GROUP
attributes:
  check_mode:
    support: full
    details:
      - Without O(password) the read-only consistency check runs instead of the login (see O(mode)).
  diff_mode:
    support: none
seealso:
  - module: sso.authentik_minio.minio_identity_openid
  - module: sso.authentik_minio.minio_sts_login
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
# MinIO's connection comes from MINIO_URL, MINIO_ACCESS_KEY and MINIO_SECRET_KEY, authentik's from AUTHENTIK_URL
# and AUTHENTIK_TOKEN (or set url, access_key, secret_key, authentik_url and authentik_token on each task).
# authentik serves the application "minio" whose provider "MinIO" has the client ID "minio".
- name: A scope mapping for MinIO's policy claim
  sso.authentik_minio.authentik_scope_mapping:
    name: MinIO policy
    scope_name: minio
    expression: |
      return {"policy": "readwrite"}

- name: The provider, with the console's redirect URI and a secret MinIO gets too
  sso.authentik_minio.authentik_oauth2_provider:
    name: MinIO
    client_id: minio
    client_secret: "{{ minio_client_secret | default('example-secret-0123456789abcdef0123456789abcdef') }}"
    authorization_flow: default-provider-authorization-implicit-consent
    redirect_uris:
      - http://127.0.0.1:9001/oauth_callback
    property_mappings:
      - MinIO policy
  no_log: true

- name: MinIO trusts the application "minio" with the same secret
  sso.authentik_minio.minio_identity_openid:
    config_url: "{{ lookup('ansible.builtin.env', 'AUTHENTIK_URL') }}/application/o/minio/.well-known/openid-configuration"
    client_id: minio
    client_secret: "{{ minio_client_secret | default('example-secret-0123456789abcdef0123456789abcdef') }}"
    scopes: [openid, profile, email, minio]
    redirect_uri: http://127.0.0.1:9001/oauth_callback
  no_log: true

- name: Compare both sides without writing anything (a scheduled drift check)
  sso.authentik_minio.minio_sso_login_check:
    application: minio
    mode: consistency
    policies: [readwrite]
    expect_scopes: [minio]
    expect_claims: [policy]

- name: Log in as a temporary authentik user, as the console's browser would, and probe what MinIO granted
  sso.authentik_minio.minio_sso_login_check:
    application: minio
    policies: [readwrite]
    probe_bucket: minio-sso-login-check
  register: login

- name: Say what MinIO granted
  ansible.builtin.debug:
    msg: "{{ login.msg }}"

- name: The login was granted readwrite, which may write
  ansible.builtin.assert:
    that:
      - login.policies == ['readwrite']
      - login.can_write
"""

RETURN = r"""
proof:
  description: Which check ran, V(login) or V(consistency).
  returned: always
  type: str
  sample: login
path:
  description:
    - How the browser's part was done. V(console) means through MinIO's console's own login API. V(imitation) means
      this module sent what MinIO's console would send.
  returned: always
  type: str
  sample: imitation
cause:
  description:
    - Short name of the failure. One of V(minio_config), V(client_id), V(application), V(client_secret),
      V(redirect_uri), V(scopes), V(grant), V(access_denied), V(login_refused), V(unsupported_stage),
      V(policy_claim), V(unknown_policy), V(discovery) (it does not answer, or disagrees), V(jwks), V(authorize), V(flow), V(token), V(sts), V(console)
      (the console refused a login that succeeded by hand), V(authentik) (the temporary user could not be made),
      V(probe) (the S3 probe in O(probe_bucket) failed for another reason than an access denied).
  returned: on failure
  type: str
  sample: client_secret
redirect_uri:
  description: The redirect URI MinIO's console sends.
  returned: when MinIO's configuration was read
  type: str
  sample: https://console.example.com/oauth_callback
redirect_source:
  description: Where MinIO takes RV(redirect_uri) from.
  returned: when MinIO's configuration was read
  type: str
  sample: MinIO's redirect_uri
scopes:
  description: The scopes the console asks for.
  returned: when MinIO's configuration was read
  type: list
  elements: str
  sample: [openid, profile, email, minio, openid]
environment_overrides:
  description: C(identity_openid) keys that MinIO's environment sets, which win over the stored configuration.
  returned: always
  type: list
  elements: str
  sample: [redirect_uri]
policies:
  description: The policies MinIO granted the login (the policy claim of MinIO's session).
  returned: when the login succeeded
  type: list
  elements: str
  sample: [readwrite]
subject:
  description: The C(sub) of the ID token.
  returned: when the login succeeded
  type: str
can_read:
  description: Whether the login's temporary credentials could read an object in O(probe_bucket); null without a probe.
  returned: always
  type: bool
can_write:
  description: Whether the login's temporary credentials could write an object into O(probe_bucket); null without a probe.
  returned: always
  type: bool
temporary_user:
  description:
    - The temporary user the module made, when it made one. C(removed) says whether it was removed again, C(forgotten)
      whether its entry in the manifest of O(owner) was forgotten after that (null without O(owner)).
    - A caller needs to sweep the user (for example with M(sso.authentik_minio.authentik_service_account) and
      O(sso.authentik_minio.authentik_service_account#module:state=absent)) only when this is missing or not both true.
  returned: when the module made a temporary user, also when the check then failed
  type: dict
  sample: {"name": "minio-sso-login-check-x1y2z3w4", "removed": true, "forgotten": true}
msg:
  description: One line that says what was proven, or the cause of the failure and how to act on it.
  returned: always
  type: str
  sample: "MinIO's console login works: rec-user logged in as MinIO's console would through authentik with the redirect URI
    https://console.example.com/oauth_callback and MinIO granted readwrite; probe in bucket minio-sso-login-check: read
    allowed, write allowed"
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_module import MinioSsoLoginCheckModule


def main():
    MinioSsoLoginCheckModule().execute()


if __name__ == "__main__":
    main()
