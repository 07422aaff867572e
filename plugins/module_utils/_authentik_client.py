# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the HTTP client for authentik's REST API v3.

One ``requests.Session`` per module run. Reads are retried with a bounded backoff on connection
errors and 429/502/503/504; writes are never retried, because a write whose answer was lost may have
happened (the modules are idempotent, so running the task again is the safe retry).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import time
import traceback

try:
    import requests

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised only where requests is missing
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_version import (
    Dialect,
    MINIMUM_VERSION,
    parse_version,
    version_string,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._secret_marker import HIDDEN as REDACTED
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import TlsSettingError, tls_source, untrusted

RETRY_STATUSES = (429, 502, 503, 504)
READ_METHODS = ("GET", "HEAD", "OPTIONS")
PAGE_SIZE = 100  # the maximum authentik accepts since 2025.12
MAX_PAGES = 1000  # a bound: 100,000 objects of one kind is far beyond any real install


class AuthentikError(Exception):
    """An error whose message is safe to show (no secrets, the server's own words where it gave some)."""

    def __init__(self, msg, status=None, body=None):
        super(AuthentikError, self).__init__(msg)
        self.msg = msg
        self.status = status
        self.body = body


def format_field_errors(body, prefix=""):
    """Flatten a DRF error body into ``field: message`` parts, keeping the server's wording.

    ``{"redirect_uris": [{"matching_mode": ["x"]}]}`` -> ``['redirect_uris[0].matching_mode: x']``.
    """
    parts = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key in ("non_field_errors", "detail"):
                name = prefix
            elif key == "code" and not prefix:
                continue
            else:
                name = "%s.%s" % (prefix, key) if prefix else str(key)
            parts.extend(format_field_errors(value, name))
    elif isinstance(body, list):
        if all(not isinstance(item, (dict, list)) for item in body):
            text = " ".join(str(item) for item in body)
            parts.append("%s: %s" % (prefix, text) if prefix else text)
        else:
            for index, item in enumerate(body):
                if item in ({}, [], None):
                    continue  # DRF marks list items without errors with an empty object
                parts.extend(format_field_errors(item, "%s[%d]" % (prefix, index)))
    elif body not in (None, ""):
        parts.append("%s: %s" % (prefix, body) if prefix else str(body))
    return parts


def page_words(response, limit=200):
    """What an answer of authentik says, in one short line: the fields of a JSON error, else the page's title or text
    (its HTML error pages), else that it said nothing."""
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
    if isinstance(body, (dict, list)):
        text = "; ".join(format_field_errors(body)) or json.dumps(body)
    else:
        raw = response.content.decode("utf-8", "replace") if isinstance(response.content, bytes) else str(response.content or "")
        title = re.search(r"<title[^>]*>(.*?)</title>", raw, re.IGNORECASE | re.DOTALL)
        text = title.group(1) if title else re.sub(r"<[^>]+>", " ", raw)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit] + "..."
    return "authentik said: %s" % text if text else "authentik said nothing"


class AuthentikClient(object):
    """Talks to ``<url>/api/v3/``. ``sleep`` and ``session`` are injectable for unit tests."""

    def __init__(self, url, token, validate_certs=True, ca_path=None, timeout=30, retries=3,
                 backoff=0.5, max_backoff=5.0, session=None, sleep=time.sleep):
        base = (url or "").strip().rstrip("/")
        if base.endswith("/api/v3"):
            base = base[: -len("/api/v3")]
        if not (base.startswith("http://") or base.startswith("https://")):
            raise AuthentikError("url must start with http:// or https://, got %r" % (url,))
        self.base_url = base
        self.api_url = base + "/api/v3/"
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self._secrets = set()
        self.add_secret(token)
        self.session = session or requests.Session()
        self.session.headers.update({
            "Authorization": "Bearer %s" % token,
            "Accept": "application/json",
            "User-Agent": "sso.authentik_minio",
        })
        # The collection's one TLS rule (_tls.py): ca_path, validate_certs=false, the CA variables, certifi.
        try:
            verify, self._verify_source = tls_source(base, validate_certs, ca_path)
        except TlsSettingError as exc:
            raise AuthentikError(str(exc))
        self.session.verify = verify
        # Passed with each request too: requests prefers REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE from the environment
        # over the session's verify, which would silently drop ca_path and validate_certs=false.
        self._verify = {"verify": verify}
        self._dialect = None

    # secrets ---------------------------------------------------------------------------------
    def add_secret(self, value):
        """Remember a value that must never appear in a message (the token, client secrets)."""
        if value and len(str(value)) >= 4:
            self._secrets.add(str(value))

    def redact(self, text):
        text = str(text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text

    # version ---------------------------------------------------------------------------------
    @property
    def dialect(self):
        """The server's release, read once per client (``admin/version/``); older than 2024.6 is refused."""
        if self._dialect is None:
            data = self.get("admin/version/")
            current = (data or {}).get("version_current") if isinstance(data, dict) else None
            try:
                version = parse_version(current)
            except ValueError:
                raise AuthentikError("%s did not report an authentik version (admin/version/ answered %s)"
                                     % (self.api_url, self.redact(json.dumps(data)[:200])))
            dialect = Dialect(version)
            if not dialect.supported:
                raise AuthentikError(
                    "authentik %s is not supported: this collection needs authentik %d.%d or newer; upgrade authentik"
                    % (version_string(version), MINIMUM_VERSION[0], MINIMUM_VERSION[1]))
            self._dialect = dialect
        return self._dialect

    # HTTP --------------------------------------------------------------------------------------
    def url_for(self, path):
        return self.api_url + path.lstrip("/")

    def request(self, method, path, params=None, payload=None, what=None, missing_ok=False):
        """Send one request; return the decoded JSON (``None`` for an empty body).

        ``missing_ok``: a 404 returns ``None`` instead of failing (a detail URL of an absent object).
        """
        method = method.upper()
        response = self._send(method, self.url_for(path), path, params=params, json=payload)
        return self._decode(method, path, response, what, missing_ok)

    def page(self, url):
        """A GET of one of authentik's pages outside the API (its OpenID endpoints), with the API's TLS settings,
        timeout and read retries, without the API token (those pages are public) -> the response, whatever its
        status."""
        return self._send("GET", url, url, headers={"Authorization": None})

    def _send(self, method, url, path, **kwargs):
        """One request, retried with a bounded backoff when it is a read; -> the last response."""
        attempts = 1 + (self.retries if method in READ_METHODS else 0)
        delay = self.backoff
        for attempt in range(1, attempts + 1):
            try:
                response = self.session.request(method, url, timeout=self.timeout, **dict(kwargs, **self._verify))
            except requests.exceptions.SSLError as exc:
                # An untrusted certificate stays untrusted: say what to set instead of retrying.
                raise AuthentikError("could not reach authentik at %s: %s" % (self.base_url, untrusted(
                    "%s: %s" % (type(exc).__name__, self.redact(exc)), self.session.verify, self._verify_source)))
            except requests.exceptions.RequestException as exc:
                if attempt < attempts and isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
                    self.sleep(min(delay, self.max_backoff))
                    delay *= 2
                    continue
                raise AuthentikError(self._transport_message(method, path, exc, attempt))
            if response.status_code in RETRY_STATUSES and attempt < attempts:
                self.sleep(self._retry_delay(response, delay))
                delay *= 2
                continue
            return response
        raise AuthentikError("%s %s: no answer" % (method, path))  # pragma: no cover - loop always returns

    def _retry_delay(self, response, delay):
        retry_after = response.headers.get("Retry-After")
        try:
            wanted = float(retry_after) if retry_after is not None else delay
        except ValueError:
            wanted = delay
        return max(0.0, min(wanted, self.max_backoff))

    def _transport_message(self, method, path, exc, attempt):
        kind = type(exc).__name__
        msg = "could not reach authentik at %s (%s %s: %s: %s)" % (self.base_url, method, path, kind, self.redact(exc))
        if method not in READ_METHODS:
            msg += "; the change may or may not have been applied, running the task again is safe"
        elif attempt > 1:
            msg += " after %d attempts" % attempt
        return msg

    def _decode(self, method, path, response, what, missing_ok):
        status = response.status_code
        body = None
        if response.content:
            try:
                body = response.json()
            except ValueError:
                body = None
        if 200 <= status < 300:
            return body
        if status == 404 and missing_ok:
            return None
        subject = what or "%s %s" % (method, "/api/v3/" + path.lstrip("/"))
        if status in (401, 403):
            detail = body.get("detail") if isinstance(body, dict) else None
            raise AuthentikError(
                "authentik refused %s (HTTP %d%s): the token is invalid or lacks the rights for this"
                % (subject, status, ": %s" % detail if detail else ""), status, body)
        if body is None:
            hint = ""
            if status in (404, 405):
                hint = "; check that url points at authentik and that the server is authentik 2024.6 or newer"
            raise AuthentikError("authentik answered HTTP %d without a JSON body to %s%s" % (status, subject, hint), status)
        errors = format_field_errors(body)
        raise AuthentikError(self.redact("authentik rejected %s (HTTP %d): %s" % (subject, status, "; ".join(errors) or body)),
                             status, body)

    def get(self, path, params=None, missing_ok=False, what=None):
        return self.request("GET", path, params=params, missing_ok=missing_ok, what=what)

    def list(self, path, params=None):
        """Every object of a list endpoint, following authentik's page-number pagination."""
        params = dict(params or {})
        params["page_size"] = PAGE_SIZE
        page = 1
        results = []
        for _count in range(MAX_PAGES):
            params["page"] = page
            data = self.get(path, params=params)
            if not isinstance(data, dict) or "results" not in data:
                raise AuthentikError("authentik answered GET /api/v3/%s with something that is not a list page" % path)
            results.extend(data["results"])
            following = (data.get("pagination") or {}).get("next") or 0
            if not following or following <= page:
                return results
            page = following
        raise AuthentikError("GET /api/v3/%s: more than %d pages; giving up" % (path, MAX_PAGES))
