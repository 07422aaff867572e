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

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_admin import BAD_ENVELOPE, HEALTH_PATH
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_kv import (
    DEFAULT_TARGET,
    KVError,
    format_pairs,
    parse_config,
    target_key,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_module import MinioModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_openid import (
    REQUIRED_ON_CREATE,
    SECRET_KEYS,
    claim_conflict,
    desired_values,
    diff_view,
    pending_keys,
    plan_present,
    target_exists,
    vendor_conflict,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_openid_keys import key_options
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import MinioError

# Go's url.Error and openid.LookupConfig texts for a provider MinIO could not fetch or use.
FETCH_MARKERS = ("dial tcp", "connection refused", "no such host", "unexpected error returned by", "Client.Timeout",
                 "deadline exceeded", "certificate", "EOF", "no JWKS URI", "JWK")


def set_error_message(exc, config_url):
    """MinIO's own words; when it could not fetch the provider, say so and name config_url."""
    message = str(exc)  # "setting identity_openid:NAME failed: HTTP 400 <Code>: <MinIO's message>"
    text = exc.server_message or ""
    if exc.code == "XMinioAdminConfigBadJSON" and text != BAD_ENVELOPE and config_url:
        if config_url in text or any(marker in text for marker in FETCH_MARKERS):
            message += (" -- MinIO could not load the OpenID provider from config_url %s; that URL (and the jwks_uri "
                        "of its discovery document) must be reachable from the MinIO server" % config_url)
    return message


class MinioIdentityOpenidModule(MinioModule):
    OPTIONS = dict(
        name=dict(type="str", default=DEFAULT_TARGET),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        enabled=dict(type="bool", default=True),
        restart=dict(type="bool", default=True),
        restart_timeout=dict(type="int", default=120),
        **key_options()
    )
    target = desired = config_url = None
    stage = "read"  # what a MinioError interrupted: read, write or restart (failure_message)

    def refused_values(self):
        if self.params["restart_timeout"] <= 0:
            return ["restart_timeout must be greater than 0 seconds, got %s" % self.params["restart_timeout"]]
        self.desired, problem = desired_values(self.params)
        try:
            self.target = target_key(self.params["name"] or DEFAULT_TARGET)
        except KVError as exc:
            return [str(exc)]
        return [problem]

    def failure_message(self, exc):
        if self.stage == "write":
            self.result["changed"] = exc.status is None  # no answer: the change may have been stored
            return set_error_message(exc, self.config_url)
        if self.stage == "restart":
            return "%s; %s" % (self.result["msg"], exc)
        return str(exc)

    def run(self):
        name, params, result = self.params["name"] or DEFAULT_TARGET, self.params, self.result
        entry = parse_config(self.admin.get_config_export()).get(name)
        running = parse_config(self.admin.get_running_config()).get(name)
        exists = target_exists(name, entry)
        current = dict(entry["values"]) if exists else {}
        self.hide_secrets(current, (running or {}).get("values", {}))
        result.update(restart_required=False, restarted=False, waited=0.0, changed_keys=[], pending_keys=[])
        self.failure_keys = tuple(result) + ("config", "diff")
        for key, env_name in sorted((running or {}).get("env", {}).items()):
            if key in self.desired or params["state"] == "absent":
                self.warn("MinIO's environment sets %s, which takes precedence over the stored %s of %s" % (env_name, key, self.target))
        changes, after = self.plan(current, exists) if params["state"] == "present" else ([], {})
        if params["state"] == "absent":
            result.update(changed=exists, msg="%s %s" % (self.target, "removed" if exists else "is absent"))
        result["config"] = diff_view(after, exists and "client_secret" in result["changed_keys"])
        if self._diff:
            result["diff"] = dict(before=diff_view(current), after=result["config"])
        if not result["changed"]:
            self.check_pending(name, entry, running)
        self.config_url = after.get("config_url") or current.get("config_url")
        if result["changed_keys"] or result["pending_keys"] or (params["state"] == "absent" and exists):
            result["restart_required"] = self.check_mode
            if not self.check_mode:
                self.apply(name, changes, exists)

    def hide_secrets(self, *stored):
        """The stored secrets are never shown; get-config-kv of servers older than RELEASE.2023-06-23 still shows them."""
        for values in stored:
            self.no_log_values.update(values[key] for key in SECRET_KEYS if values.get(key))

    def plan(self, current, exists):
        """``(changes, after)`` of state=present, refused before anything is sent when MinIO would refuse it."""
        missing = [key for key in REQUIRED_ON_CREATE if not self.desired.get(key)]
        if not exists and self.params["enabled"] and missing:
            self.fail_json(msg="%s does not exist yet; creating it needs %s" % (self.target, ", ".join(missing)))
        changes, after = plan_present(current, self.desired, self.params["enabled"])
        problem = claim_conflict(after) or vendor_conflict(after)
        if problem:
            self.fail_json(msg=problem)
        keys = [key for key, _value in changes]
        self.result.update(changed=bool(changes), changed_keys=keys, msg="%s is up to date" % self.target if not changes else
                           "%s %s (%s)" % (self.target, "changed" if exists else "created", ", ".join(keys)))
        return changes, after

    def check_pending(self, name, entry, running):
        """Stored as wanted; but does MinIO run with it? Not if a change was stored without a restart since."""
        self.result["pending_keys"] = pending_keys(name, entry, running)
        if self.result["pending_keys"]:
            self.result["changed"] = self.params["restart"]  # the restart is this task's change
            self.result["msg"] = "%s is stored as wanted, but MinIO does not run with it yet (%s differ: stored without a " \
                                 "restart since)" % (self.target, ", ".join(self.result["pending_keys"]))
            if not self.params["restart"]:
                self.warn(self.result["msg"] + "; restart MinIO to apply them")

    def apply(self, name, changes, exists):
        self.stage = "write"
        if self.params["state"] == "absent":
            if exists:
                self.admin.del_config_kv(self.target)
        elif changes:
            try:
                self.admin.set_config_kv(self.target, format_pairs(changes))
            except MinioError as exc:
                if not (exc.transport and self.set_again_if_missing(name)):
                    raise
                self.result["msg"] += "; the set call got no answer (%s), so the stored config was read again first" % exc
        self.stage = "restart"
        if self.params["restart"]:
            self.restart_and_wait()
        else:
            self.result["restart_required"] = True
            self.result["msg"] += "; MinIO applies it after a restart (restart_required)"

    def set_again_if_missing(self, name):
        """After a set call without an answer (MinIO restarting, a dropped connection): wait until MinIO answers,
        look at what it stored, and send only what is still missing, once. False when MinIO stays away."""
        if not self.admin.wait_healthy(self.params["restart_timeout"])["healthy"]:
            return False
        try:
            entry = parse_config(self.admin.get_config_export()).get(name)
            current = dict(entry["values"]) if target_exists(name, entry) else {}
            changes = plan_present(current, self.desired, self.params["enabled"])[0]
            if changes:
                self.admin.set_config_kv(self.target, format_pairs(changes))
        except MinioError:
            return False
        return True

    def restart_and_wait(self):
        client, result, timeout = self.admin, self.result, self.params["restart_timeout"]
        result["restart_required"] = True  # until MinIO has accepted the restart call
        try:
            client.restart()
        except MinioError as exc:
            # No answer: MinIO may be restarting already (another run, an operator) or the call may be lost. A
            # restart only reloads the stored config, so wait until MinIO is back, then ask once more: that boot
            # certainly reads this change.
            if not exc.transport or not client.wait_healthy(timeout)["healthy"]:
                raise
            client.restart()
            result["msg"] += "; the first restart call got no answer (%s), so MinIO was waited for and restarted once more" % exc
        result.update(restarted=True, restart_required=False)
        waited = client.wait_healthy(timeout)
        result["waited"] = waited["waited"]
        if not waited["healthy"]:
            hint = ""
            if "iam-offline" in waited["last"]:
                hint = " iam-offline: MinIO has not loaded IAM, usually because it cannot reach config_url %s." % self.config_url
            result["msg"] = "%s; MinIO was restarted but %s%s did not answer 200 within %s s (last: %s).%s" % (
                result["msg"], client.url, HEALTH_PATH, timeout, waited["last"], hint)
            self.fail_json(**result)
        if not waited["seen_down"]:
            self.warn("MinIO answered 200 on %s throughout the wait; the restart may not have taken effect yet" % HEALTH_PATH)
        result["msg"] += "; MinIO restarted and %s answered 200 after %s s" % (HEALTH_PATH, waited["waited"])


def main():
    MinioIdentityOpenidModule().execute()


if __name__ == "__main__":
    main()
