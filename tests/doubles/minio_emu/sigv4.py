# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS Signature V4 checks as MinIO does them (cmd/signature-v4.go, cmd/signature-v4-parser.go).

No hand-written signing: the signature is recomputed with botocore's own SigV4 signer, fed with exactly the
headers the client says it signed and the canonical path/query MinIO would derive.
"""

from __future__ import annotations

import calendar
import datetime
import email.utils
import hashlib
import hmac
import re
from urllib.parse import parse_qsl, quote, unquote

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .errors import ApiError

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
STREAMING_PREFIX = "STREAMING-"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
MAX_SKEW = 15 * 60


class _ExactHeadersSigner(S3SigV4Auth):
    """botocore's S3 signer, limited to the headers named in SignedHeaders (the server cannot know others)."""

    def __init__(self, credentials, service, region, signed_headers):
        super().__init__(credentials, service, region)
        self._signed = signed_headers

    def headers_to_sign(self, request):
        chosen = super().headers_to_sign(request)
        for name in list(chosen.keys()):
            if name not in self._signed:
                del chosen[name]
        return chosen


def parse_authorization(value):
    """Split an ``AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`` header."""
    if not value.startswith(ALGORITHM):
        raise ApiError("SignatureVersionNotSupported")
    fields = {}
    for part in value[len(ALGORITHM):].replace(" ", "").split(","):
        name, val = part.partition("=")[::2]
        if name:
            fields[name] = val
    if not all(fields.get(k) for k in ("Credential", "SignedHeaders", "Signature")):
        raise ApiError("MissingFields")
    scope = fields["Credential"].split("/")
    if len(scope) < 5 or scope[-1] != "aws4_request":
        raise ApiError(
            "AuthorizationHeaderMalformed",
            "The authorization header is malformed; the Credential is mal-formed; "
            "expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
        )
    access_key = "/".join(scope[:-4])
    date, region, service = scope[-4], scope[-3], scope[-2]
    if not re.fullmatch(r"\d{8}", date):
        raise ApiError("MalformedCredentialDate")
    return {
        "access_key": access_key,
        "date": date,
        "region": region,
        "service": service,
        "signed_headers": fields["SignedHeaders"].lower().split(";"),
        "signature": fields["Signature"],
    }


def request_timestamp(request):
    """The request time as ``YYYYMMDDTHHMMSSZ`` from X-Amz-Date or Date (MinIO accepts either)."""
    amz = request.header("x-amz-date")
    if amz:
        try:
            moment = datetime.datetime.strptime(amz, "%Y%m%dT%H%M%SZ")
        except ValueError:
            moment = None
    else:
        moment = None
        raw = request.header("date")
        if raw:
            try:
                moment = email.utils.parsedate_to_datetime(raw).replace(tzinfo=None)
            except (TypeError, ValueError):
                moment = None
    if moment is None:
        raise ApiError("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header", status=400)
    return moment


def canonical_path(raw_path):
    # MinIO signs s3utils.EncodePath(URL.Path): decode once, then encode all but unreserved characters.
    return quote(unquote(raw_path), safe="/-_.~")


def verify(request, secret_key, auth, now=None, content_sha=None):
    """Recompute the signature with botocore and compare; raise ApiError as MinIO would."""
    if "host" not in auth["signed_headers"]:
        raise ApiError("UnsignedHeaders")
    moment = request_timestamp(request)
    now = now or datetime.datetime.utcnow()
    if abs(calendar.timegm(now.timetuple()) - calendar.timegm(moment.timetuple())) > MAX_SKEW:
        raise ApiError("RequestTimeTooSkewed")
    headers = {}
    for name in auth["signed_headers"]:
        value = request.header(name)
        if value is None and name == "content-length":
            value = str(len(request.body))
        if value is None:
            raise ApiError("SignatureDoesNotMatch")
        headers[name] = value
    if content_sha is None:
        content_sha = request.header("x-amz-content-sha256") or EMPTY_SHA256
    # One entry only: botocore's header map keeps duplicates, and the payload line reads this one.
    headers.pop("x-amz-content-sha256", None)
    headers["X-Amz-Content-SHA256"] = content_sha
    params = [(k, v) for k, v in parse_qsl(request.raw_query, keep_blank_values=True) if k != "X-Amz-Signature"]
    aws_request = AWSRequest(
        method=request.method,
        url="http://%s%s" % (request.host or "localhost", canonical_path(request.path)),
        headers=headers,
        params=params,
        data=b"",
    )
    aws_request.context["timestamp"] = moment.strftime("%Y%m%dT%H%M%SZ")
    # The scope date must be the one the client used; botocore derives it from the timestamp.
    if aws_request.context["timestamp"][:8] != auth["date"]:
        raise ApiError("SignatureDoesNotMatch")
    signer = _ExactHeadersSigner(
        Credentials(auth["access_key"], secret_key), auth["service"], auth["region"], set(auth["signed_headers"])
    )
    canonical = signer.canonical_request(aws_request)
    expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
    if not hmac.compare_digest(expected, auth["signature"]):
        raise ApiError("SignatureDoesNotMatch")


def check_payload(request):
    """After the signature: the body must hash to X-Amz-Content-Sha256 unless the client opted out."""
    declared = request.header("x-amz-content-sha256") or EMPTY_SHA256
    if declared == UNSIGNED_PAYLOAD or declared.startswith(STREAMING_PREFIX):
        return
    if declared.lower() != hashlib.sha256(request.body).hexdigest():
        raise ApiError("XAmzContentSHA256Mismatch")
