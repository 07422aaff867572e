#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: minio_identity_openid
short_description: Configure an OpenID Connect provider (C(identity_openid)) of a MinIO server
version_added: 1.0.0
description:
  - Creates, updates, disables or removes one C(identity_openid) target of MinIO through its admin API v3,
    without the C(mc) binary.
  - The stored configuration is read from MinIO's config export, which is current and includes C(client_secret).
    C(mc admin config get) shows the values MinIO booted with until it restarts, and never the secret, so it is not
    used to decide what to write. A change of O(client_secret) alone is therefore detected.
  - The configuration MinIO runs with (C(mc admin config get)) is read as well. When it differs from the stored one,
    a change was stored without a restart since (an earlier run with O(restart=false) whose handler never ran); the
    module then restarts MinIO (O(restart=true)) or returns RV(restart_required), and names the keys in
    RV(pending_keys).
  - Only the options you set are compared and sent; MinIO keeps the other stored values.
  - MinIO applies C(identity_openid) only when it restarts. With O(restart=true) the module restarts MinIO after a
    change and waits until C(/minio/health/cluster) answers 200, which it does only once IAM and the OpenID provider
    are loaded. With O(restart=false) it returns RV(restart_required) for a handler.
  - When MinIO stores the change it first fetches O(config_url) and the JWKS it names, from the MinIO server.
    If that fails, MinIO refuses the change and the task fails with MinIO's error and the URL.
author:
  - sso.authentik_minio contributors (@sso-collections)
options:
  name:
    description:
      - Target name. V(_) is the default target (C(identity_openid)); any other name is a separate
        provider (C(identity_openid:NAME)), so that several providers can live side by side.
      - MinIO allows one provider that maps policies from a claim; further ones need O(role_policy).
    type: str
    default: _
  state:
    description:
      - V(present) creates or updates the target, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description:
      - Whether the target is active (C(enable=on)) or kept but switched off (C(enable=off)).
      - MinIO turns a target on with every change that does not say otherwise, so V(false) is sent with every change.
    type: bool
    default: true
  config_url:
    description:
      - URL of the provider's OpenID discovery document (C(.../.well-known/openid-configuration)).
      - Must be an C(http://) or C(https://) URL with a host; checked before anything is sent.
      - Required to create an enabled target.
    type: str
  client_id:
    description:
      - OAuth2 client ID; ID tokens must carry it in C(aud) or C(azp). Unique across targets.
      - Required to create an enabled target.
    type: str
  client_secret:
    description:
      - OAuth2 client secret. Compared with the stored one, so that a changed secret is applied.
      - Required to create an enabled target.
    type: str
  scopes:
    description:
      - Scopes the MinIO console requests, for example V([openid, profile, email]). Order does not matter.
      - Must include V(openid); checked before anything is sent.
    type: list
    elements: str
  redirect_uri:
    description:
      - Console callback URL. Deprecated by MinIO in favour of the E(MINIO_BROWSER_REDIRECT_URL) server setting.
      - An C(http://) or C(https://) URL with a host, or V('') to clear it; checked before anything is sent.
    type: str
  redirect_uri_dynamic:
    description:
      - Build the console callback URL from the request's C(Host) header.
    type: bool
  claim_name:
    description:
      - ID token claim that lists MinIO policy names (MinIO's default is V(policy)). Not together with O(role_policy) unless it is V(policy),
        as MinIO refuses that; checked before anything is sent.
    type: str
  claim_prefix:
    description:
      - Prefix of O(claim_name). Deprecated by MinIO.
    type: str
  claim_userinfo:
    description:
      - Also read claims from the provider's UserInfo endpoint.
    type: bool
  role_policy:
    description:
      - MinIO policies granted to everyone who logs in through this provider, instead of a claim.
      - Makes this a role provider with its own role ARN.
    type: list
    elements: str
  display_name:
    description:
      - Label of the login button in the MinIO console. May contain spaces.
    type: str
  vendor:
    description:
      - Provider vendor; MinIO supports only V(keycloak), and any other value is refused before anything is sent.
        V('') clears it.
      - V(keycloak) needs O(keycloak_admin_url) (given, or already stored).
    type: str
  keycloak_realm:
    description:
      - Keycloak realm, used only with O(vendor=keycloak).
    type: str
  keycloak_admin_url:
    description:
      - Keycloak admin URL, required by MinIO with O(vendor=keycloak). An C(http://) or C(https://) URL with a host.
    type: str
  user_readable_claim:
    description:
      - Claim shown as the user's readable name (MinIO RELEASE.2025-04-22 and later).
    type: str
  user_id_claim:
    description:
      - Claim used as the user's ID for access keys (MinIO RELEASE.2025-04-22 and later).
    type: str
  restart:
    description:
      - After a change, restart MinIO and wait for it (V(true)), or leave the restart to a handler and return
        RV(restart_required) (V(false)).
      - No restart happens when nothing changed, nor in check mode.
    type: bool
    default: true
  restart_timeout:
    description:
      - Seconds to wait after the restart for C(/minio/health/cluster) to answer 200. Must be greater than 0.
      - It stays at 503 (C(x-minio-server-status=iam-offline)) while MinIO cannot reach the provider.
    type: int
    default: 120
notes:
  - Values may contain spaces. Values that MinIO would store differently are refused before anything is sent; MinIO
    cuts a config line wherever a key name followed by C(=) appears, so a value such as C(https://idp/?vendor=x) cannot be
    stored.
  - O(name), O(state), O(enabled) and the key options map one to one to C(mc admin config set ALIAS identity_openid[:NAME] key=value ...).
  - The module manages the configuration MinIO stores. Values set with E(MINIO_IDENTITY_OPENID_*) environment variables
    on the server take precedence over it; the module warns when such a variable sets a key it was given (MinIO does
    not show the variables of secret keys).
  - A pending change of O(client_secret) alone cannot be seen, since MinIO never shows the secret it runs with.
extends_documentation_fragment:
  - sso.authentik_minio.minio
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.MINIO_GROUP
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - C(client_secret) is shown as C(********); when it changes, its C(after) value reads "******** (changed)".
seealso:
  - module: sso.authentik_minio.minio_policy
  - name: MinIO OpenID configuration settings
    description: The C(identity_openid) keys.
    link: https://min.io/docs/minio/linux/reference/minio-server/settings/iam/openid.html
"""

EXAMPLES = r"""
# The connection comes from MINIO_URL, MINIO_ACCESS_KEY and MINIO_SECRET_KEY here;
# set url, access_key and secret_key (or module_defaults for group/sso.authentik_minio.minio) otherwise.

- name: Let users log in to MinIO with authentik, policies taken from the "policy" claim
  sso.authentik_minio.minio_identity_openid:
    config_url: "{{ lookup('ansible.builtin.env', 'AUTHENTIK_URL') }}/application/o/minio/.well-known/openid-configuration"
    client_id: minio
    client_secret: minio-client-secret-change-me
    scopes: [openid, profile, email]
    claim_name: policy
    display_name: Log in with authentik
    redirect_uri_dynamic: true
  register: minio_oidc

- name: Show whether MinIO was restarted and how long the module waited for it
  ansible.builtin.debug:
    msg: "restarted: {{ minio_oidc.restarted }}, waited {{ minio_oidc.waited }} s for /minio/health/cluster"

- name: A second provider that grants a fixed policy; restart later (in a handler)
  sso.authentik_minio.minio_identity_openid:
    name: authentik_readonly
    config_url: "{{ lookup('ansible.builtin.env', 'AUTHENTIK_URL') }}/application/o/minio/.well-known/openid-configuration"
    client_id: minio-readonly
    client_secret: another-secret-change-me
    role_policy: [readonly]
    restart: false
  register: minio_role_provider
  # notify: Restart MinIO    <- a handler that restarts the MinIO service when restart_required is true

- name: Keep the second provider but switch it off
  sso.authentik_minio.minio_identity_openid:
    name: authentik_readonly
    enabled: false
    restart: false

- name: Remove the second provider
  sso.authentik_minio.minio_identity_openid:
    name: authentik_readonly
    state: absent
"""

RETURN = r"""
config:
  description:
    - The target's keys after the task, C(client_secret) redacted, computed the same way in check mode.
      They are the stored keys merged with the ones sent; keys MinIO fills with defaults on creation are
      listed from the next run on.
    - Empty when the target does not exist.
  returned: always
  type: dict
  sample:
    config_url: https://authentik.example.com/application/o/minio/.well-known/openid-configuration
    client_id: minio
    client_secret: "********"
    claim_name: policy
    display_name: Log in with authentik
    enable: "on"
    scopes: openid,profile,email
changed_keys:
  description: The keys that were (or in check mode would be) sent; C(enable) included when it is sent.
  returned: always
  type: list
  elements: str
  sample: [client_secret]
restart_required:
  description:
    - V(true) when MinIO holds a change it will only apply after a restart that this task did not do
      (O(restart=false), or check mode).
  returned: always
  type: bool
pending_keys:
  description:
    - Keys stored with other values than MinIO runs with, because no restart followed their change (C(enable) when
      the whole target is stored but not running, or the reverse). Empty when MinIO runs with what it stores.
    - Found only when this task itself has nothing to change.
  returned: always
  type: list
  elements: str
  sample: [display_name, scopes]
restarted:
  description: Whether this task restarted MinIO.
  returned: always
  type: bool
waited:
  description: Seconds spent waiting for C(/minio/health/cluster) to answer 200 after the restart; V(0) without restart.
  returned: always
  type: float
  sample: 2.5
msg:
  description: What was done, what the restart waited for and how long.
  returned: always
  type: str
  sample: "identity_openid changed (client_secret); MinIO restarted and /minio/health/cluster answered 200 after 2.5 s"
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_openid_module import MinioIdentityOpenidModule


def main():
    MinioIdentityOpenidModule().execute()


if __name__ == "__main__":
    main()
