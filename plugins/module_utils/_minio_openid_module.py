# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the minio_identity_openid module's run, on the MinIO module base.

Its options are the target (name, state, enabled), the restart (restart, restart_timeout) and one option per key of
the key table (``_minio_openid_keys``). One code path serves check mode and real mode: read the stored and the
running config, plan, then (not in check mode) write, and restart or say that a restart is required.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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
