# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: MinIO's STS AssumeRoleWithWebIdentity and an S3 probe of what it granted.

The STS call is an unsigned form POST (minio/minio cmd/sts-handlers.go accepts it without SigV4), sent through the
same urllib3 transport as the admin and S3 calls (``_minio_transport``: one TLS rule, one timeout, one retry policy).
The temporary credentials never leave this file's callers: they are used for the probe and dropped.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import re
import time
import uuid
from xml.etree import ElementTree

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_s3 import bucket_name_problem
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import MinioError, ReadRetry
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import ssl_failure

try:
    import urllib3
except ImportError:  # pragma: no cover - urllib3 comes with minio-py, whose absence the module reports
    urllib3 = None

STS_VERSION = "2011-06-15"


class StsRefusal(MinioError):
    """MinIO refused the token; ``code`` and ``message`` are MinIO's own."""

    def __init__(self, status, code, message):
        super(StsRefusal, self).__init__("%s: %s" % (code, message), status=status, code=code, server_message=message)
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
    return bucket_name_problem(option, bucket, True)


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


def _sts_answer(transport, id_token, form):
    """One POST of the form; MinioError when there is no answer or MinIO says "later" (429, 502, 503, 504)."""
    try:
        response = transport.pool.request("POST", transport.url + "/", fields=form, encode_multipart=False, redirect=False)
    except urllib3.exceptions.HTTPError as exc:  # the token is in the body, masked anyway
        raise MinioError("cannot reach MinIO's STS at %s: %s" % (transport.url, transport.failure(exc, id_token)),
                         transport=ssl_failure(exc) is None)
    try:
        root = ElementTree.fromstring(response.data)
    except ElementTree.ParseError:
        raise MinioError("MinIO's STS at %s answered HTTP %s with something that is not XML" % (transport.url, response.status),
                         status=str(response.status))
    if response.status != 200:
        refusal = StsRefusal(response.status, _find_text(root, "Code") or "unknown", _find_text(root, "Message") or "")
        if refusal.retryable:
            raise refusal
        return refusal
    return root


def assume_role_with_web_identity(transport, id_token, duration=None, role_arn=None, access_token=None, retry=None):
    """POST the token to MinIO's STS on the shared transport (its TLS rule, its timeout); returns
    ``(access_key, secret_key, session_token, expiration)``; raises StsRefusal (MinIO's verdict) or MinioError.

    The call is a read for the retry policy: it stores nothing the module relies on, and a token can be
    presented again."""
    form = dict(Action="AssumeRoleWithWebIdentity", Version=STS_VERSION, WebIdentityToken=id_token)
    if duration:
        form["DurationSeconds"] = str(duration)
    if role_arn:
        form["RoleArn"] = role_arn
    if access_token:
        form["WebIdentityAccessToken"] = access_token
    try:
        root = (retry or ReadRetry()).read(_sts_answer, transport, id_token, form)
    except StsRefusal as exc:  # still "later" after the retries: MinIO's verdict all the same
        root = exc
    if isinstance(root, StsRefusal):
        raise root
    values = [_find_text(root, name) for name in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")]
    if not all(values[:3]):
        raise MinioError("MinIO's STS answered 200 without credentials")
    return tuple(values)


class S3Probe(object):
    """What the temporary credentials may do, shown on a probe object that the root credentials set up and remove.
    ``admin_client`` and ``user_client`` are ``_minio_s3.S3Client``s."""

    def __init__(self, admin_client, user_client, bucket):
        self.admin = admin_client
        self.user = user_client
        self.bucket = bucket
        tag = uuid.uuid4().hex[:12]
        self.read_key = "minio-sso-login-check-%s-read.txt" % tag
        self.write_key = "minio-sso-login-check-%s-write.txt" % tag

    def run(self):
        """``{"can_read", "can_write", "bucket_created"}``; MinioError for anything but an access denied."""
        created = False
        if not self.admin.bucket_exists(self.bucket):
            self.admin.make_bucket(self.bucket)
            created = True
        try:
            self.admin.put_object(self.bucket, self.read_key, b"written by the sso.authentik_minio login check\n")
            can_read = self._allowed(self.user.read_object, self.bucket, self.read_key)
            can_write = self._allowed(self.user.put_object, self.bucket, self.write_key, b"written with the temporary credentials\n")
        finally:
            for key in (self.read_key, self.write_key):
                self.admin.remove_object(self.bucket, key)
            if created:
                self.admin.remove_bucket(self.bucket)
        return dict(can_read=can_read, can_write=can_write, bucket_created=created)

    @staticmethod
    def _allowed(call, *args):
        try:
            call(*args)
        except MinioError as exc:
            if exc.code == "AccessDenied":
                return False
            raise
        return True
