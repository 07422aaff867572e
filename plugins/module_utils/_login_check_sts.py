# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: MinIO's STS AssumeRoleWithWebIdentity and an S3 probe of what it granted.

The STS call is an unsigned form POST (minio/minio cmd/sts-handlers.go accepts it without SigV4). The
temporary credentials never leave this file's callers: they are used for the probe and dropped.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import io
import json
import re
import time
import traceback
import uuid
from xml.etree import ElementTree

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import (
    TlsSettingError,
    pool_arguments,
    ssl_failure,
    tls_source,
    tls_verify,
    untrusted,
)

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:  # pragma: no cover - requests is a dependency of the collection
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

STS_VERSION = "2011-06-15"


class LoginCheckError(Exception):
    """A failure that is not MinIO's verdict on the token (transport, unexpected answer)."""


class StsRefusal(Exception):
    """MinIO refused the token; ``code`` and ``message`` are MinIO's own."""

    def __init__(self, status, code, message):
        super(StsRefusal, self).__init__("%s: %s" % (code, message))
        self.status = status
        self.code = code
        self.message = message


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _find_text(root, name):
    for element in root.iter():
        if _local(element.tag) == name:
            return element.text or ""
    return None


def jwt_claims(token):
    """The payload of a JWT, without verifying it (MinIO and authentik verify; this only reads)."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")).decode("utf-8"))
    except (IndexError, ValueError, UnicodeError, TypeError):
        return {}
    return claims if isinstance(claims, dict) else {}


# MinIO's role ARN (minio/pkg arn.Parse): arn:minio:iam:<region>::role/<resource id>; the region may be empty.
ROLE_ARN = re.compile(r"^arn:minio:iam:[^:]*::role/[A-Za-z0-9_/.-]+$")
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


def _b64_json(part):
    part += "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(part.encode("ascii")).decode("utf-8"))


def check_id_token(token, now=None):
    """A message when ``token`` is not a JWT (three base64url parts, a JSON header and payload) or its ``exp`` is past;
    None otherwise. The token is a secret: the message never shows it."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3 or not all(_BASE64URL.match(part) for part in parts[:2]) or \
            (parts[2] and not _BASE64URL.match(parts[2])):
        return ("id_token: must be a JWT, three base64url parts separated by dots (got a value of %d characters with %d "
                "part(s), not shown)" % (len(token or ""), len(parts)))
    try:
        header, claims = _b64_json(parts[0]), _b64_json(parts[1])
    except (ValueError, UnicodeError, TypeError):
        header = claims = None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return "id_token: must be a JWT, but its header or payload is not a base64url-encoded JSON object (got a value not shown)"
    expires = claims.get("exp")
    if isinstance(expires, (int, float)) and not isinstance(expires, bool):
        now = time.time() if now is None else now
        if expires <= now:
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires))
            return ("id_token: the token has expired: its exp claim is %s (%s UTC), %d s ago; get a fresh ID token "
                    "(got a token of sub %r, not shown)" % (int(expires), when, int(now - expires), claims.get("sub")))
    return None


def check_role_arn(role_arn):
    if role_arn is not None and not ROLE_ARN.match(role_arn):
        return ("role_arn: must be a MinIO role ARN of the form arn:minio:iam:<region>::role/<id>, as MinIO prints it "
                "at start for a provider with role_policy (got %r)" % role_arn)
    return None


def check_bucket(option, bucket):
    """minio-py's own strict check (the one make_bucket applies); a message naming ``option`` or None."""
    from minio.helpers import check_bucket_name

    try:
        check_bucket_name(bucket, True)
    except ValueError as exc:
        return "%s: not a valid S3 bucket name: %s (got %r)" % (option, exc, bucket)
    return None


def policy_names(value):
    """MinIO's reading of a policy claim: a comma-separated string or a list of such strings."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    names = []
    for item in value:
        if isinstance(item, str):
            names.extend(part.strip() for part in item.split(",") if part.strip())
    return sorted(set(names))


def assume_role_with_web_identity(session, url, id_token, timeout, duration=None, role_arn=None, access_token=None,
                                  verify=None, verify_source=None):
    """POST the token to MinIO's STS; returns ``(access_key, secret_key, session_token, expiration)``.

    ``verify`` (from ``_tls.tls_source``, with ``verify_source`` for messages) goes with the request itself:
    requests prefers REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE over a session's ``verify``.
    """
    form = dict(Action="AssumeRoleWithWebIdentity", Version=STS_VERSION, WebIdentityToken=id_token)
    if duration:
        form["DurationSeconds"] = str(duration)
    if role_arn:
        form["RoleArn"] = role_arn
    if access_token:
        form["WebIdentityAccessToken"] = access_token
    options = {} if verify is None else {"verify": verify}
    try:
        response = session.post(url.rstrip("/") + "/", data=form, timeout=timeout, **options)
    except requests.exceptions.SSLError as exc:  # the TLS error names no secret: the token is in the body
        reason = ssl_failure(exc) or exc
        raise LoginCheckError("cannot reach MinIO's STS at %s: %s" % (url, untrusted(
            str(reason).replace(id_token, "********"), verify, verify_source)))
    except requests.exceptions.RequestException as exc:  # the token is in the body, masked anyway
        raise LoginCheckError("cannot reach MinIO's STS at %s: %s" % (url, transport_reason(exc).replace(id_token, "********")))
    try:
        root = ElementTree.fromstring(response.content)
    except ElementTree.ParseError:
        raise LoginCheckError("MinIO's STS at %s answered HTTP %s with something that is not XML" % (url, response.status_code))
    if response.status_code != 200:
        raise StsRefusal(response.status_code, _find_text(root, "Code") or "unknown", _find_text(root, "Message") or "")
    values = [_find_text(root, name) for name in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")]
    if not all(values[:3]):
        raise LoginCheckError("MinIO's STS answered 200 without credentials")
    return tuple(values)


class S3Probe(object):
    """What the temporary credentials may do, shown on a probe object that the root credentials set up and remove."""

    def __init__(self, admin_client, user_client, bucket):
        self.admin = admin_client
        self.user = user_client
        self.bucket = bucket
        tag = uuid.uuid4().hex[:12]
        self.read_key = "minio-sso-login-check-%s-read.txt" % tag
        self.write_key = "minio-sso-login-check-%s-write.txt" % tag

    def run(self, error_class):
        """``{"can_read", "can_write", "bucket_created"}``; ``error_class`` is minio-py's S3Error."""
        created = False
        if not self.admin.bucket_exists(self.bucket):
            self.admin.make_bucket(self.bucket)
            created = True
        try:
            data = b"written by the sso.authentik_minio login check\n"
            self.admin.put_object(self.bucket, self.read_key, io.BytesIO(data), len(data))
            can_read = self._allowed(error_class, self._read)
            can_write = self._allowed(error_class, self._write)
        finally:
            for key in (self.read_key, self.write_key):
                self.admin.remove_object(self.bucket, key)
            if created:
                self.admin.remove_bucket(self.bucket)
        return dict(can_read=can_read, can_write=can_write, bucket_created=created)

    def _read(self):
        response = self.user.get_object(self.bucket, self.read_key)
        try:
            response.read()
        finally:
            response.close()
            response.release_conn()

    def _write(self):
        data = b"written with the temporary credentials\n"
        self.user.put_object(self.bucket, self.write_key, io.BytesIO(data), len(data))

    @staticmethod
    def _allowed(error_class, call):
        try:
            call()
        except error_class as exc:
            if exc.code == "AccessDenied":
                return False
            raise
        return True


def s3_client(url, credentials, region, validate_certs=True, ca_path=None, timeout=30, http=None):
    """A minio-py client for ``credentials`` (``(key, secret)`` or ``(key, secret, session_token)``)."""
    from minio import Minio

    parts = urlsplit(url)
    secure = parts.scheme == "https"
    http = http or s3_transport(url, validate_certs, ca_path, timeout)
    token = credentials[2] if len(credentials) > 2 else None
    return Minio(parts.netloc, access_key=credentials[0], secret_key=credentials[1], session_token=token, secure=secure,
                 region=region, http_client=http)


def s3_transport(url, validate_certs=True, ca_path=None, timeout=30):
    """The urllib3 pool minio-py talks through: the module's timeout, one retry of a connect, its TLS settings."""
    import urllib3  # minio-py's transport; imported here so that a missing minio is reported by the module

    secure = urlsplit(url).scheme == "https"
    pool_args = dict(timeout=urllib3.Timeout(connect=timeout, read=timeout), maxsize=2,
                     retries=urllib3.Retry(total=1, connect=1, read=0, redirect=0, status=0, other=0, raise_on_status=False))
    if secure:
        # The collection's one TLS rule (_tls.py): ca_path, validate_certs=false, the CA variables, certifi.
        verify = tls_verify(url, validate_certs, ca_path)
        pool_args.update(pool_arguments(verify))
        if verify is False:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    return urllib3.PoolManager(**pool_args)


def transport_reason(exc, limit=300):
    """Why a call got no usable answer, in the words of its deepest cause (urllib3 and requests wrap the refused
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


def s3_failure(exc, url, validate_certs=True, ca_path=None):
    """Why an S3 call got no answer, without a secret: an untrusted certificate says what it was checked against
    and what to set; anything else is told in the words of its deepest cause (``transport_reason``)."""
    reason = ssl_failure(exc)
    if reason is None:
        return transport_reason(exc)
    try:
        return untrusted(reason, *tls_source(url, validate_certs, ca_path))
    except TlsSettingError as error:
        return str(error)


def s3_clients(url, access_key, secret_key, temporary, region, validate_certs=True, ca_path=None, timeout=30):
    """minio-py clients for the root credentials and for the temporary ones (``(key, secret, session_token)``)."""
    http = s3_transport(url, validate_certs, ca_path, timeout)
    admin = s3_client(url, (access_key, secret_key), region, http=http)
    user = s3_client(url, temporary[:3], region, http=http)
    return admin, user
