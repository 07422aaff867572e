# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the one transport of every MinIO call and the one retry policy.

The admin API (minio-py's ``MinioAdmin``), the STS login (a form POST) and the S3 calls (minio-py's ``Minio``) all go
through the urllib3 pool that ``Transport`` builds from the connection options: the same base URL check, the same
timeout, the same TLS rule (``_tls.tls_source``: ca_path, validate_certs=false, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE,
SSL_CERT_FILE, certifi) and the same words for a call that got no answer.

``ReadRetry`` is the one retry policy: a read is tried again when it got no answer or a 429, 502, 503 or 504, a
bounded number of times with a doubling pause. A write is sent once: MinIO may have applied one whose answer was
lost, and only the caller knows how to look before sending it again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import (
    TlsSettingError,
    pool_arguments,
    ssl_failure,
    tls_source,
    untrusted,
)

try:
    import urllib3
except ImportError:  # pragma: no cover - urllib3 comes with minio-py, whose absence the module reports
    urllib3 = None

# Reads are retried on these statuses (as strings: minio-py keeps the status as text) and on no answer.
RETRY_STATUSES = ("429", "502", "503", "504")
READ_RETRIES = 3
READ_BACKOFF = 0.5


class MinioError(Exception):
    """A failed MinIO call; ``str()`` is MinIO's own words with the HTTP status and error code.
    ``transport``: no HTTP answer at all (refused, dropped, timed out)."""

    def __init__(self, message, status=None, code=None, server_message=None, transport=False):
        super(MinioError, self).__init__(message)
        self.status = status
        self.code = code
        self.server_message = server_message
        self.transport = transport

    @property
    def retryable(self):
        """No answer, or an answer that says "later" (429, 502, 503, 504)."""
        return self.transport or str(self.status) in RETRY_STATUSES


class ReadRetry(object):
    """At most ``retries`` more tries of a read, ``backoff`` doubling in between (0.5 + 1 + 2 = 3.5 s of waiting
    besides the requests' own timeouts). ``sleep`` is injectable so that tests count the pauses."""

    def __init__(self, retries=READ_RETRIES, backoff=READ_BACKOFF, sleep=time.sleep):
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep

    def read(self, call, *args, **kwargs):
        """``call(*args, **kwargs)``, which raises MinioError; the last error says how many attempts were made."""
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                return call(*args, **kwargs)
            except MinioError as exc:
                if not exc.retryable:
                    raise
                if attempt == self.retries:
                    exc.args = ("%s (after %d attempts)" % (exc, attempt + 1),)  # the same error, of the same kind
                    raise
                self.sleep(delay)
                delay *= 2
        raise MinioError("no answer")  # pragma: no cover - the loop returns or raises


def transport_reason(exc, limit=300):
    """Why a call got no usable answer, in the words of its deepest cause (urllib3 and minio-py wrap the refused
    connection in two or three others): ``...: Failed to establish a new connection: [Errno 111] Connection
    refused``; an answer minio-py could not read as S3 XML gives its HTTP status and the start of its body. The
    cause's text names host and port, never the request's path or headers, so no signature or secret."""
    code = getattr(exc, "_code", None)
    if code is not None and hasattr(exc, "_body"):  # minio-py's InvalidResponseError
        body = " ".join(str(exc._body or "").split())[:limit]  # pylint: disable=protected-access
        content_type = getattr(exc, "_content_type", None) or "no content type"
        return "%s: MinIO answered HTTP %s (%s): %s" % (exc.__class__.__name__, code, content_type, body or "(empty)")
    seen = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((arg for arg in getattr(exc, "args", ()) if isinstance(arg, BaseException)), None)
        if inner is None:
            inner = exc.__cause__ or exc.__context__
        if inner is None:
            break
        exc = inner
    text = " ".join(str(exc).split())[:limit]
    return "%s: %s" % (exc.__class__.__name__, text) if text else exc.__class__.__name__


def base_url(url):
    """``scheme://host[:port]`` of ``url``; MinioError when it is not the base URL of a server."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MinioError("url must look like http(s)://host[:port], got %r" % url)
    if parts.path not in ("", "/") or parts.query:
        raise MinioError("url must be the server's base URL without a path, got %r" % url)
    return "%s://%s" % (parts.scheme, parts.netloc)


class Transport(object):
    """The urllib3 pool of one MinIO server, shared by its admin, STS and S3 clients."""

    def __init__(self, url, validate_certs=True, ca_path=None, timeout=30, environ=None):
        self.url = base_url(url)
        parts = urlsplit(self.url)
        self.netloc = parts.netloc
        self.secure = parts.scheme == "https"
        self.timeout = timeout
        try:
            self.verify, self.verify_source = tls_source(self.url, validate_certs, ca_path, environ)
        except TlsSettingError as exc:
            raise MinioError(str(exc))
        self.pool_args = dict(
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            maxsize=2,
            # Reconnect once when a pooled keep-alive connection was closed (for example by a restart); never retry
            # on a status here: a 503 must reach ReadRetry (reads) or the caller (writes), not be waited out.
            retries=urllib3.Retry(total=1, connect=1, read=0, redirect=0, status=0, other=0, raise_on_status=False),
        )
        if self.secure:
            self.pool_args.update(pool_arguments(self.verify))
            if self.verify is False:
                urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self.pool = urllib3.PoolManager(**self.pool_args)

    @property
    def cert_check(self):
        return self.verify is not False

    def failure(self, exc, secret=None):
        """Why ``exc`` (a transport exception) got no answer: an untrusted certificate says what it was checked
        against and what to set; anything else is told in the words of its deepest cause. ``secret`` (a value that
        travelled in the request body) is masked, should a library ever quote it."""
        reason = ssl_failure(exc)
        text = untrusted(reason, self.verify, self.verify_source) if reason is not None else transport_reason(exc)
        return text.replace(secret, "********") if secret else text

    def unreachable(self, what, exc, secret=None):
        """The MinioError of a call that got no answer; an untrusted certificate is not worth retrying."""
        return MinioError("%s failed: cannot reach MinIO at %s: %s" % (what, self.url, self.failure(exc, secret)),
                          transport=ssl_failure(exc) is None)
