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

from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.sso.authentik_minio.plugins.module_utils._ranges import greater_than_zero
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import (
    TlsSettingError,
    connection_warnings,
    pool_arguments,
    tls_source,
    untrusted,
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
# Reads are retried on these statuses (as strings: minio-py keeps the status as text) and on no answer.
RETRY_STATUSES = ("429", "502", "503", "504")
READ_RETRIES = 3
READ_BACKOFF = 0.5
# MinIO's words for wrong credentials do not say which option to fix.
KEY_HINTS = {
    "InvalidAccessKeyId": " (check access_key: MinIO does not know it)",
    "SignatureDoesNotMatch": " (check secret_key: it is not the secret key of access_key)",
}


def minio_argument_spec():
    """The connection options, documented once in the ``sso.authentik_minio.minio`` doc fragment."""
    return dict(
        url=dict(type="str", required=True, fallback=(env_fallback, ["MINIO_URL"])),
        access_key=dict(type="str", required=True, no_log=False, fallback=(env_fallback, ["MINIO_ACCESS_KEY"])),
        secret_key=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["MINIO_SECRET_KEY"])),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="int", default=30),
    )


class MinioError(Exception):
    """A failed admin call; ``str()`` is MinIO's own words with the HTTP status and error code.
    ``transport``: no HTTP answer at all (refused, dropped, timed out)."""

    def __init__(self, message, status=None, code=None, server_message=None, transport=False):
        super(MinioError, self).__init__(message)
        self.status = status
        self.code = code
        self.server_message = server_message
        self.transport = transport


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

    def __init__(self, url, access_key, secret_key, validate_certs=True, ca_path=None, timeout=30):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise MinioError("url must look like http(s)://host[:port], got %r" % url)
        if parts.path not in ("", "/") or parts.query:
            raise MinioError("url must be the server's base URL without a path, got %r" % url)
        self.url = "%s://%s" % (parts.scheme, parts.netloc)
        self._secret_key = secret_key
        self._timeout = timeout
        self._sleep = time.sleep
        pool_args = dict(
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            maxsize=2,
            # Reconnect once when a pooled keep-alive connection was closed (for example by a
            # restart); never retry on a status: a 503 must reach the caller, not be waited out.
            retries=urllib3.Retry(total=1, connect=1, read=0, redirect=0, status=0, other=0, raise_on_status=False),
        )
        # The collection's one TLS rule (_tls.py): ca_path, validate_certs=false, the CA variables, certifi.
        try:
            self._verify = tls_source(self.url, validate_certs, ca_path)
        except TlsSettingError as exc:
            raise MinioError(str(exc))
        if parts.scheme == "https":
            pool_args.update(pool_arguments(self._verify[0]))
            if self._verify[0] is False:
                urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self._http = urllib3.PoolManager(**pool_args)
        self._admin = MinioAdmin(
            endpoint=parts.netloc,
            credentials=StaticProvider(access_key, secret_key),
            secure=parts.scheme == "https",
            cert_check=self._verify[0] is not False,
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
            reason = getattr(exc, "reason", None) or exc
            if isinstance(reason, urllib3.exceptions.SSLError) or isinstance(exc, urllib3.exceptions.SSLError):
                # An untrusted certificate stays untrusted: not retried, and the message says what to set.
                raise MinioError("%s failed: cannot reach MinIO at %s: %s" % (what, self.url, untrusted(reason, *self._verify)))
            raise MinioError("%s failed: cannot reach MinIO at %s: %s" % (what, self.url, reason), transport=True)
        except (ValueError, IOError) as exc:
            # minio-py's decrypt raises these when the answer is not an envelope for our secret key.
            raise MinioError("%s failed: cannot decrypt MinIO's answer (%s); is secret_key the one of access_key?" % (what, exc))

    def _read(self, what, func, *args, **kwargs):
        """A read, retried when there was no answer or a 429/502/503/504: at most READ_RETRIES more tries,
        READ_BACKOFF doubling (0.5 + 1 + 2 = 3.5 s of waiting besides the requests' own timeouts). Writes go
        through ``_call`` once: MinIO may have applied one whose answer was lost."""
        delay = READ_BACKOFF
        for attempt in range(READ_RETRIES + 1):
            try:
                return self._call(what, func, *args, **kwargs)
            except MinioError as exc:
                if not (exc.transport or str(exc.status) in RETRY_STATUSES):
                    raise
                if attempt == READ_RETRIES:
                    raise MinioError("%s (after %d attempts)" % (exc, attempt + 1), status=exc.status, code=exc.code,
                                     server_message=exc.server_message, transport=exc.transport)
                self._sleep(delay)
                delay *= 2
        raise MinioError("%s failed: no answer" % what)  # pragma: no cover - the loop returns or raises

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


# What crosses the network to MinIO, for the connection warnings: SigV4 never sends secret_key itself, but the admin
# API's payloads (the OpenID client secret among them) are sealed with nothing but secret_key. minio_sts_login names
# what its STS call carries instead.
MINIO_SECRETS = "the requests and MinIO's answers (the admin API seals its payloads with nothing but secret_key)"


def check_connection(module, secrets=MINIO_SECRETS):
    """Before the first call, once per module run: refuse a timeout of 0 or less, warn about plain http to a host
    that is not loopback and about validate_certs=false (the rules of _tls.py, as for authentik)."""
    params = module.params
    refused = greater_than_zero("timeout", params["timeout"])
    if refused:
        module.fail_json(msg=refused)
    for warning in connection_warnings(params["url"], params["validate_certs"], params["ca_path"], secrets):
        module.warn(warning)


def client_from_module(module):
    """Build the client from the connection options, failing the module on a missing library or bad url."""
    if MINIO_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("minio"), exception=MINIO_IMPORT_ERROR)
    params = module.params
    check_connection(module)
    try:
        return MinioAdminClient(
            params["url"],
            params["access_key"],
            params["secret_key"],
            validate_certs=params["validate_certs"],
            ca_path=params["ca_path"],
            timeout=params["timeout"],
        )
    except MinioError as exc:
        module.fail_json(msg=str(exc))
