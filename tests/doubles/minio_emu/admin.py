# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The admin API v3 subset: config KV, full config, history, service restart, canned policies, server info.

Handlers follow minio/minio cmd/admin-handlers-config-kv.go, admin-handlers.go and admin-handlers-users.go.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import re
import threading
import uuid

from _double_server import Response

from . import configkv, iampolicy, madmin_crypto, openid
from .errors import ApiError, admin_error, common_headers

PREFIX = "/minio/admin/"
MODE = "mode-server-xl-single"
MAX_POLICY_SIZE = 20 * 1024

# api -> (method, required query parameters, admin action needed by non-root callers)
ROUTES = {
    "service": ("POST", ("action",), "admin:ServiceRestart"),
    "info": ("GET", (), "admin:ServerInfo"),
    "set-config-kv": ("PUT", (), "admin:ConfigUpdate"),
    "get-config-kv": ("GET", ("key",), "admin:ConfigUpdate"),
    "del-config-kv": ("DELETE", (), "admin:ConfigUpdate"),
    "help-config-kv": ("GET", ("subSys", "key"), "admin:ConfigUpdate"),
    "config": (("GET", "PUT"), (), "admin:ConfigUpdate"),
    "list-config-history-kv": ("GET", ("count",), "admin:ConfigUpdate"),
    "restore-config-history-kv": ("PUT", ("restoreId",), "admin:ConfigUpdate"),
    "clear-config-history-kv": ("DELETE", ("restoreId",), "admin:ConfigUpdate"),
    "add-canned-policy": ("PUT", ("name",), "admin:CreatePolicy"),
    "info-canned-policy": ("GET", ("name",), "admin:GetPolicy"),
    "list-canned-policies": ("GET", (), "admin:ListUserPolicies"),
    "remove-canned-policy": ("DELETE", ("name",), "admin:DeletePolicy"),
}


def _rfc3339(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def version_mismatch(path):
    version = path[len(PREFIX):].split("/", 1)[0]
    if version in ("v1", "v2"):
        desc = (
            "Server expects client requests with 'admin' API version 'v3', found '%s', please upgrade the client to latest releases"
            % version
        )
    elif version == "v3":
        desc = "This 'admin' API is not supported by server in '%s'" % MODE
    else:
        desc = (
            "Unexpected client 'admin' API version found '%s', expected 'v3', please downgrade the client to older releases"
            % version
        )
    return ApiError("XMinioAdminVersionMismatch", desc, status=426)


def match(request):
    """-> (api, action) or raise the 426 MinIO's router gives for anything it does not route."""
    rest = request.path[len(PREFIX):]
    version, api = rest.partition("/")[::2]
    route = ROUTES.get(api) if version == "v3" else None
    if route is None:
        raise version_mismatch(request.path)
    methods, required, action = route
    methods = methods if isinstance(methods, tuple) else (methods,)
    if request.method not in methods or any(q not in request.query for q in required):
        raise version_mismatch(request.path)
    if api == "list-config-history-kv" and not re.fullmatch(r"\d+", request.query["count"][0]):
        raise version_mismatch(request.path)
    if api == "service" and request.query["action"][0] == "stop":
        action = "admin:ServiceStop"
    return api, action


class AdminAPI:
    def __init__(self, state, port_label):
        self.state = state
        self.port_label = port_label

    # responses ---------------------------------------------------------------------------------
    @staticmethod
    def _ok(rid, headers=()):
        return Response(200, b"", common_headers(rid) + list(headers))

    @staticmethod
    def _json(request, rid, body):
        # Admin handlers sit behind gzhttp (min size 1000, BestSpeed): honour Accept-Encoding like MinIO.
        headers = common_headers(rid) + [("Content-Type", "application/json")]
        if len(body) >= 1000 and "gzip" in (request.header("accept-encoding") or ""):
            body = gzip.compress(body, compresslevel=1)
            headers.append(("Content-Encoding", "gzip"))
        return Response(200, body, headers)

    def _encrypted(self, request, rid, secret, plaintext):
        # Binary body, yet Content-Type application/json: writeSuccessResponseJSON(w, econfigData).
        return self._json(request, rid, madmin_crypto.encrypt(plaintext.encode("utf-8"), secret))

    def _decrypt_body(self, request, secret):
        madmin_crypto.check_length(request)
        return madmin_crypto.decrypt(request.body, secret).decode("utf-8", errors="replace")

    # dispatch ----------------------------------------------------------------------------------
    def handle(self, request, rid, api, secret):
        handler = getattr(self, "api_" + api.replace("-", "_"))
        return handler(request, rid, secret)

    @staticmethod
    def _subsystems(text):
        names = set()
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                names.add(line.split(" ", 1)[0].split(":", 1)[0])
        return names

    def _validate(self, config, subsystems=None):
        """validateConfig for the sub-systems a request touched (None: all, as for PUT /config and restore).

        Only identity_openid has checks in the double: openid.LookupConfig with env switched off.
        """
        if subsystems is not None and "identity_openid" not in subsystems:
            return
        try:
            openid.lookup_config(config, use_env=False)
        except openid.OpenIDError as exc:
            raise ApiError("XMinioAdminConfigBadJSON", str(exc), custom=True) from exc

    def _save_history(self, text):
        self.state.store.add_history(
            {"restoreId": str(uuid.uuid4()), "createTime": _rfc3339(datetime.datetime.now(datetime.timezone.utc)), "data": text}
        )

    # service -----------------------------------------------------------------------------------
    def api_service(self, request, rid, secret):
        del secret
        action = request.query["action"][0]
        if action not in ("restart", "stop", "freeze", "unfreeze"):
            raise ApiError("MalformedPOSTRequest")
        v2 = request.query.get("type", [""])[0] == "2"
        dry_run = request.query.get("dry-run", ["false"])[0] == "true"
        if action == "restart" and not dry_run:
            self.state.restart()
        elif action == "stop" and not dry_run:
            threading.Timer(0.2, lambda: os._exit(0)).start()  # pylint: disable=protected-access
        if v2:
            body = {"action": action, "dryRun": dry_run, "results": [{"host": self.port_label}]}
            return Response.json(body, headers=common_headers(rid))
        return self._ok(rid)

    def api_info(self, request, rid, secret):
        del request, secret
        uptime = int(datetime.datetime.now().timestamp() - self.state.started_at)
        body = {
            "mode": "online",
            "deploymentID": "d3b1e0f2-6c1a-4c2e-9a51-5f0e6a7b8c9d",
            "region": "",
            "servers": [{"state": "online", "endpoint": self.port_label, "uptime": uptime, "version": "2025-10-15T17:29:55Z"}],
        }
        return Response.json(body, headers=common_headers(rid))

    # config KV ---------------------------------------------------------------------------------
    def api_set_config_kv(self, request, rid, secret):
        text = self._decrypt_body(request, secret)
        with self.state.lock:
            config = self.state.disk_config()
            try:
                dynamic = configkv.apply_text(config, text)
            except configkv.ConfigError as exc:
                raise ApiError("XMinioConfigError", str(exc)) from exc
            self._validate(config, self._subsystems(text))
            self.state.store.save_config(config)
            self._save_history(text)
            if dynamic:
                # Dynamic sub-systems are applied at once, so the boot snapshot follows for them only.
                for name in self._subsystems(text):
                    self.state.boot_config[name] = config[name]
        return self._ok(rid, [("x-minio-config-applied", "true")] if dynamic else [])

    def api_get_config_kv(self, request, rid, secret):
        key = request.query["key"][0]
        with self.state.lock:
            try:
                text = configkv.get_text(self.state.boot_config, key)  # the boot-time copy: stale until restart
            except configkv.ConfigError as exc:
                raise ApiError("XMinioConfigError", str(exc)) from exc
        return self._encrypted(request, rid, secret, text)

    def api_del_config_kv(self, request, rid, secret):
        text = self._decrypt_body(request, secret)
        with self.state.lock:
            config = self.state.disk_config()
            dynamic = False
            try:
                for raw in text.splitlines():
                    line = raw.strip()
                    if line and not line.startswith("#"):
                        dynamic = configkv.del_kvs(config, line)
            except configkv.ConfigError as exc:
                raise ApiError("XMinioConfigNotFoundError", str(exc)) from exc
            self._validate(config, self._subsystems(text))
            self.state.store.save_config(config)
            if dynamic:
                for name in self._subsystems(text):
                    self.state.boot_config[name] = config[name]
        return self._ok(rid, [("x-minio-config-applied", "true")] if dynamic else [])

    def api_help_config_kv(self, request, rid, secret):
        del secret
        name = request.query["subSys"][0]
        sub = configkv.SUBSYSTEMS.get(name)
        if sub is None:
            raise ApiError("XMinioConfigError", "unknown sub-system %s" % name)
        keys = [
            {"key": k, "type": "string", "description": "", "optional": k not in sub.required}
            for k in sub.keys() if k != configkv.ENABLE
        ]
        key = request.query["key"][0]
        if key:
            keys = [k for k in keys if k["key"] == key]
        body = {"subSys": name, "description": "", "multipleTargets": not sub.single_target, "keysHelp": keys}
        return Response.json(body, headers=common_headers(rid))

    def api_config(self, request, rid, secret):
        if request.method == "GET":
            with self.state.lock:
                text = configkv.export_text(self.state.disk_config())  # fresh from disk, secrets included
            return self._encrypted(request, rid, secret, text)
        text = self._decrypt_body(request, secret)
        with self.state.lock:
            config = self.state.disk_config()
            try:
                configkv.apply_text(config, text)
            except configkv.ConfigError as exc:
                raise ApiError("XMinioConfigError", str(exc)) from exc
            self._validate(config)
            self.state.store.save_config(config)
            self._save_history(text)
        return self._ok(rid)

    def api_list_config_history_kv(self, request, rid, secret):
        count = int(request.query["count"][0])
        entries = self.state.store.list_history()
        if count > 0:
            entries = entries[:count]  # limited while listing (UUID order), before the sort
        entries.sort(key=lambda e: e["createTime"])
        # madmin.ConfigHistoryEntry field order: restoreId, createTime, data.
        ordered = [{"restoreId": e["restoreId"], "createTime": e["createTime"], "data": e["data"]} for e in entries]
        return self._encrypted(request, rid, secret, json.dumps(ordered, separators=(",", ":")))

    def api_restore_config_history_kv(self, request, rid, secret):
        del secret
        restore_id = request.query["restoreId"][0]
        with self.state.lock:
            entry = self.state.store.get_history(restore_id)
            if entry is None:
                raise ApiError("XMinioConfigNotFoundError", "Config not found")
            config = self.state.disk_config()
            try:
                configkv.apply_text(config, entry["data"])
            except configkv.ConfigError as exc:
                raise ApiError("XMinioConfigError", str(exc)) from exc
            self._validate(config)
            self.state.store.save_config(config)
            self.state.store.delete_history(restore_id)
        return self._ok(rid)

    def api_clear_config_history_kv(self, request, rid, secret):
        del secret
        restore_id = request.query["restoreId"][0]
        if restore_id == "all":
            for entry in self.state.store.list_history():
                self.state.store.delete_history(entry["restoreId"])
        elif not self.state.store.delete_history(restore_id):
            raise ApiError("XMinioConfigNotFoundError", "Config not found")
        return self._ok(rid)

    # canned policies ---------------------------------------------------------------------------
    def api_add_canned_policy(self, request, rid, secret):
        del secret
        name = request.query["name"][0]
        length = request.header("content-length")
        if not length or int(length) <= 0:
            raise ApiError("MissingContentLength")
        if int(length) > MAX_POLICY_SIZE:
            raise ApiError("EntityTooLarge")
        if name != name.strip() or not name:
            raise ApiError("XMinioInvalidResource", "Policy name may not contain leading or trailing whitespace")
        if "," in name:
            raise ApiError("PolicyInvalidName")
        try:
            doc = iampolicy.parse(request.body)
        except iampolicy.PolicyError as exc:
            raise ApiError(exc.code, exc.message) from exc
        now = _rfc3339(datetime.datetime.now(datetime.timezone.utc))
        with self.state.lock:
            previous = self.state.policies.get(name)
            entry = {"Policy": doc, "CreateDate": previous["CreateDate"] if previous else now, "UpdateDate": now}
            self.state.policies[name] = entry
            self.state.store.save_policy(name, entry)
        return self._ok(rid)

    def api_info_canned_policy(self, request, rid, secret):
        del secret
        name = request.query["name"][0]
        if "," in name:
            raise ApiError("XMinioAdminInvalidRequest", "Invalid Request")
        entry = self.state.all_policies().get(name)
        if entry is None:
            raise ApiError("XMinioAdminNoSuchPolicy")
        version = request.query.get("v", [""])[0]
        if version == "2":
            started = _rfc3339(datetime.datetime.fromtimestamp(self.state.started_at, datetime.timezone.utc))
            body = {
                "PolicyName": name,
                "Policy": entry["Policy"],
                "CreateDate": entry["CreateDate"] or started,
                "UpdateDate": entry["UpdateDate"] or started,
            }
            return Response(200, json.dumps(body, separators=(",", ":")).encode(), common_headers(rid))
        if version:
            raise ApiError("XMinioAdminInvalidRequest", "Invalid Request")
        # json.MarshalIndent(policy, "", " ")
        data = json.dumps(entry["Policy"], indent=1, separators=(",", ": ")).encode()
        return Response(200, data, common_headers(rid))

    def api_list_canned_policies(self, request, rid, secret):
        del secret
        policies = {name: entry["Policy"] for name, entry in sorted(self.state.all_policies().items())}
        return self._json(request, rid, json.dumps(policies, separators=(",", ":")).encode())

    def api_remove_canned_policy(self, request, rid, secret):
        del secret
        name = request.query["name"][0]
        with self.state.lock:
            if name in iampolicy.BUILTIN and name not in self.state.policies:
                raise ApiError(
                    "InternalError",
                    "We encountered an internal error, please try again.: cause(inbuilt policy `%s` not allowed to be deleted)" % name,
                )
            if name not in self.state.policies:
                raise ApiError("XMinioAdminNoSuchPolicy")
            del self.state.policies[name]
            self.state.store.delete_policy(name)
        return self._ok(rid)


def error_response(err, request, rid):
    return admin_error(err, request.path, rid)
