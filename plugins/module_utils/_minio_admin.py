# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small client for MinIO's admin API v3 on top of minio-py's ``MinioAdmin``.

FOR INTERNAL COLLECTION USE ONLY: this is not a public API and may change without notice.

minio-py signs the requests (SigV4) and encrypts/decrypts the admin payloads (argon2id +
AES-GCM/ChaCha20); nothing cryptographic is written here. This module adds what MinioAdmin lacks:
the whole-config export (the only fresh read of identity_openid, secret included), MinIO's own
error words instead of a raw body, bounded timeouts without silent retries through a restart, and
a wait on ``/minio/health/cluster`` after a restart.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time
import traceback

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import (  # noqa: F401  MinioError is this client's error
    MinioError,
    ReadRetry,
    Transport,
)

MINIO_IMPORT_ERROR = None
try:
    import urllib3
    from minio import MinioAdmin
    from minio.credentials import StaticProvider
    from minio.crypto import decrypt
    from minio.error import MinioAdminException
except ImportError:
    MINIO_IMPORT_ERROR = traceback.format_exc()

HEALTH_PATH = "/minio/health/cluster"
# madmin's Healthy() polls every 500 ms with a 2 s timeout; do the same.
HEALTH_INTERVAL = 0.5
HEALTH_REQUEST_TIMEOUT = 2.0
# After the restart call the old process may still answer for a moment; look for it going down
# for at most this long before trusting a 200.
DOWN_GRACE = 5.0
# The fixed text MinIO returns when it cannot decrypt a body (wrong secret key, plaintext body).
BAD_ENVELOPE = "JSON configuration provided is of incorrect format"
# MinIO's words for wrong credentials do not say which option to fix.
KEY_HINTS = {
    "InvalidAccessKeyId": " (check access_key: MinIO does not know it)",
    "SignatureDoesNotMatch": " (check secret_key: it is not the secret key of access_key)",
}


def _api(value):
    """MinioAdmin's request helper only reads ``command.value``; this names an API it has no enum for."""

    class _Api(object):
        pass

    api = _Api()
    api.value = value
    return api


def parse_error_body(status, body):
    """MinIO's admin errors are JSON ``{"Code", "Message", ...}``; keep any other body as text."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and ("Code" in data or "Message" in data):
        code, message = data.get("Code"), data.get("Message") or ""
        return MinioError("HTTP %s %s: %s" % (status, code, message), status=status, code=code, server_message=message)
    text = text.strip()
    if len(text) > 500:
        text = text[:500] + "..."
    return MinioError("HTTP %s: %s" % (status, text or "(empty body)"), status=status, server_message=text)


class MinioAdminClient(object):
    """One MinIO server; every method raises MinioError with MinIO's words."""

    def __init__(self, url, access_key, secret_key, validate_certs=True, ca_path=None, timeout=30, transport=None,
                 retry=None):
        self.transport = transport or Transport(url, validate_certs, ca_path, timeout)
        self.url = self.transport.url
        self._secret_key = secret_key
        self.retry = retry or ReadRetry()
        self._http = self.transport.pool
        self._admin = MinioAdmin(
            endpoint=self.transport.netloc,
            credentials=StaticProvider(access_key, secret_key),
            secure=self.transport.secure,
            cert_check=self.transport.cert_check,
            http_client=self._http,
        )

    # -- plumbing --------------------------------------------------------------------------------
    def _call(self, what, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except MinioAdminException as exc:
            status = getattr(exc, "_code", None)
            body = getattr(exc, "_body", None)
            if body is None:
                body = str(exc)
            error = parse_error_body(status, body)
            hint = KEY_HINTS.get(error.code, "")
            raise MinioError("%s failed: %s%s" % (what, error, hint), status=error.status, code=error.code, server_message=error.server_message)
        except urllib3.exceptions.HTTPError as exc:
            # An untrusted certificate stays untrusted: not retried, and the message says what to set.
            raise self.transport.unreachable(what, exc)
        except (ValueError, IOError) as exc:
            # minio-py's decrypt raises these when the answer is not an envelope for our secret key.
            raise MinioError("%s failed: cannot decrypt MinIO's answer (%s); is secret_key the one of access_key?" % (what, exc))

    def _read(self, what, func, *args, **kwargs):
        """A read, under the one retry policy (ReadRetry). Writes go through ``_call`` once: MinIO may have
        applied one whose answer was lost."""
        return self.retry.read(self._call, what, func, *args, **kwargs)

    def _encrypted_get(self, api, query=None):
        response = self._admin._url_open(  # pylint: disable=protected-access
            method="GET", command=_api(api), query_params=query, preload_content=False
        )
        try:
            return decrypt(response, self._secret_key).decode("utf-8")
        finally:
            response.release_conn()

    # -- config ----------------------------------------------------------------------------------
    def get_config_export(self):
        """``GET /minio/admin/v3/config``: the stored config, fresh and with secrets (unlike get-config-kv)."""
        return self._read("reading the MinIO config export", self._encrypted_get, "config")

    def get_running_config(self):
        """``GET get-config-kv?key=identity_openid``: every target as MinIO booted with it, no secrets, and the
        environment variables set on the server. All targets are asked for, so that one stored but not running yet
        (or the reverse) is simply missing from the answer."""
        return self._read("reading the identity_openid configuration MinIO runs with", self._encrypted_get,
                          "get-config-kv", {"key": "identity_openid"})

    def set_config_kv(self, target, formatted):
        """``PUT set-config-kv`` with ``target k=v ...``; values already checked and quoted by _minio_kv."""
        self._call("setting %s" % target, self._admin.config_set, target, formatted)

    def del_config_kv(self, target):
        """``DELETE del-config-kv`` of a whole target."""
        self._call("deleting %s" % target, self._admin.config_reset, target)

    # -- restart ---------------------------------------------------------------------------------
    def restart(self):
        self._call("restarting MinIO", self._admin.service_restart)

    def cluster_health(self, timeout=HEALTH_REQUEST_TIMEOUT):
        """One anonymous GET of /minio/health/cluster -> (status or None, description)."""
        try:
            response = self._http.request(
                "GET", self.url + HEALTH_PATH, timeout=urllib3.Timeout(total=timeout), retries=False, redirect=False
            )
        except urllib3.exceptions.HTTPError as exc:
            return None, "no answer (%s)" % (getattr(exc, "reason", None) or exc.__class__.__name__)
        server_status = response.headers.get("x-minio-server-status")
        description = "HTTP %s" % response.status
        if server_status:
            description += " x-minio-server-status: %s" % server_status
        return response.status, description

    def wait_healthy(self, timeout, clock=time.monotonic, sleep=time.sleep):
        """Poll /minio/health/cluster after a restart until it answers 200, within ``timeout`` seconds.

        ``live`` answers 200 before IAM (and so OpenID) is loaded; ``cluster`` answers 503
        ``iam-offline`` until it is. A first 200 from the old process proves nothing, so a 200 counts
        once the server was seen down, or after DOWN_GRACE seconds.
        Returns ``{"healthy", "waited", "seen_down", "last"}``.
        """
        start = clock()
        seen_down = False
        last = "nothing yet"
        polls = int(timeout / HEALTH_INTERVAL) + 2  # a hard bound besides the clock
        for _poll in range(polls):
            elapsed = clock() - start
            remaining = timeout - elapsed
            if remaining <= 0:
                break
            status, last = self.cluster_health(min(HEALTH_REQUEST_TIMEOUT, remaining))
            if status == 200 and (seen_down or clock() - start >= DOWN_GRACE):
                return dict(healthy=True, waited=round(clock() - start, 2), seen_down=seen_down, last=last)
            if status != 200:
                seen_down = True
            sleep(min(HEALTH_INTERVAL, max(0.0, timeout - (clock() - start))))
        return dict(healthy=False, waited=round(clock() - start, 2), seen_down=seen_down, last=last)

    # -- canned policies -------------------------------------------------------------------------
    def policy_info(self, name):
        """The policy document, or None when MinIO has no policy of that name."""
        try:
            text = self._read("reading policy %s" % name, self._admin.policy_info, name)
        except MinioError as exc:
            if exc.code == "XMinioAdminNoSuchPolicy" or (exc.status == "404" and not exc.code):
                return None
            raise
        try:
            return json.loads(text)
        except ValueError:
            raise MinioError("reading policy %s failed: MinIO answered something that is not JSON: %s" % (name, text[:200]))

    def policy_add(self, name, policy):
        self._call("writing policy %s" % name, self._admin.policy_add, name, policy=policy)

    def policy_remove(self, name):
        self._call("removing policy %s" % name, self._admin.policy_remove, name)
