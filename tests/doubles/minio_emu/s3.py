# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Enough S3 to prove what a policy allows: buckets, objects, listing, with IAM-style authorisation.

Path-style requests only. Authorisation is checked before existence, as MinIO does (an unauthorised caller
learns nothing about a bucket). ListBuckets without s3:ListAllMyBuckets falls back to the buckets the caller
may ListBucket or GetBucketLocation (cmd/bucket-handlers.go ListBucketsHandler).
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import re
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

from _double_server import Response

from . import iampolicy
from .errors import ApiError, common_headers

XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_UNSUPPORTED_BUCKET_QUERIES = {
    "policy", "acl", "versioning", "tagging", "lifecycle", "cors", "encryption", "replication", "notification",
    "object-lock", "uploads", "versions", "website", "logging", "delete", "accelerate", "requestPayment",
}


def _iso(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _xml(rid, body, status=200):
    data = '<?xml version="1.0" encoding="UTF-8"?>\n' + body
    return Response(status, data.encode("utf-8"), common_headers(rid) + [("Content-Type", "application/xml")])


def decode_aws_chunked(body):
    """aws-chunked framing (signed or unsigned, optional trailers) -> payload. Chunk signatures are not checked."""
    out = bytearray()
    pos = 0
    while True:
        end = body.find(b"\r\n", pos)
        if end == -1:
            raise ApiError("IncompleteBody")
        size = int(body[pos:end].split(b";")[0].strip() or b"0", 16)
        pos = end + 2
        if size == 0:
            return bytes(out)
        out += body[pos:pos + size]
        pos += size + 2


class S3API:
    def __init__(self, state):
        self.state = state

    # authorisation -----------------------------------------------------------------------------
    def _context(self, caller, request):
        context = {"aws:username": caller.access_key, "s3:prefix": request.query.get("prefix", [""])[0]}
        for key, value in (caller.session or {}).get("claims", {}).items():
            if isinstance(value, str):
                context["jwt:" + key] = value
        return context

    def allowed(self, caller, request, action, resource):
        if caller.is_root:
            return True
        if caller.anonymous:
            return False  # no bucket policies in the double: anonymous access is always denied
        names = caller.session["policies"]
        documents = self.state.policy_documents(names)
        return iampolicy.is_allowed(documents, action, resource, self._context(caller, request))

    def _require(self, caller, request, action, resource, bucket="", key=""):
        if not self.allowed(caller, request, action, resource):
            raise ApiError("AccessDenied", BucketName=bucket, Key=key)

    # dispatch ----------------------------------------------------------------------------------
    def handle(self, request, rid, caller):
        path = unquote(request.path)
        bucket, key = path.lstrip("/").partition("/")[::2]
        if not bucket:
            if request.method == "GET":
                return self.list_buckets(request, rid, caller)
            raise ApiError("MethodNotAllowed")
        if not key:
            return self._bucket_op(request, rid, caller, bucket)
        return self._object_op(request, rid, caller, bucket, key)

    def _bucket_op(self, request, rid, caller, bucket):
        if _UNSUPPORTED_BUCKET_QUERIES & set(request.query):
            raise ApiError("NotImplemented")
        method = request.method
        if method == "GET" and "location" in request.query:
            self._require(caller, request, "s3:GetBucketLocation", bucket, bucket)
            self._bucket_meta(bucket)
            return _xml(rid, '<LocationConstraint xmlns="%s"></LocationConstraint>' % XMLNS)
        if method == "PUT":
            return self.make_bucket(request, rid, caller, bucket)
        if method == "HEAD":
            self._require(caller, request, "s3:ListBucket", bucket, bucket)
            self._bucket_meta(bucket)
            return Response(200, b"", common_headers(rid))
        if method == "GET":
            return self.list_objects(request, rid, caller, bucket)
        if method == "DELETE":
            self._require(caller, request, "s3:DeleteBucket", bucket, bucket)
            self._bucket_meta(bucket)
            if self.state.store.list_objects(bucket):
                raise ApiError("BucketNotEmpty", BucketName=bucket)
            self.state.store.remove_bucket(bucket)
            return Response(204, b"", common_headers(rid))
        raise ApiError("MethodNotAllowed")

    def _object_op(self, request, rid, caller, bucket, key):
        method = request.method
        resource = "%s/%s" % (bucket, key)
        if set(request.query) - {"versionId", "x-id", "partNumber"} and method != "GET":
            raise ApiError("NotImplemented")
        if method == "PUT":
            if request.header("x-amz-copy-source"):
                raise ApiError("NotImplemented")
            self._require(caller, request, "s3:PutObject", resource, bucket, key)
            return self.put_object(request, rid, bucket, key)
        if method in ("GET", "HEAD"):
            self._require(caller, request, "s3:GetObject", resource, bucket, key)
            return self.get_object(request, rid, bucket, key)
        if method == "DELETE":
            self._require(caller, request, "s3:DeleteObject", resource, bucket, key)
            self._bucket_meta(bucket)
            self.state.store.delete_object(bucket, key)
            return Response(204, b"", common_headers(rid))
        raise ApiError("MethodNotAllowed")

    def _bucket_meta(self, bucket):
        meta = self.state.store.bucket(bucket) if _BUCKET_RE.match(bucket) else None
        if meta is None:
            raise ApiError("NoSuchBucket", BucketName=bucket)
        return meta

    # operations --------------------------------------------------------------------------------
    def list_buckets(self, request, rid, caller):
        buckets = self.state.store.list_buckets()
        if not self.allowed(caller, request, "s3:ListAllMyBuckets", ""):
            buckets = [
                b for b in buckets
                if self.allowed(caller, request, "s3:ListBucket", b[0])
                or self.allowed(caller, request, "s3:GetBucketLocation", b[0])
            ]
            if not buckets:
                raise ApiError("AccessDenied")
        entries = "".join(
            "<Bucket><Name>%s</Name><CreationDate>%s</CreationDate></Bucket>" % (escape(name), _iso(meta["CreationDate"]))
            for name, meta in buckets
        )
        return _xml(
            rid,
            '<ListAllMyBucketsResult xmlns="%s"><Owner><ID>02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4</ID>'
            "<DisplayName>minio</DisplayName></Owner><Buckets>%s</Buckets></ListAllMyBucketsResult>" % (XMLNS, entries),
        )

    def make_bucket(self, request, rid, caller, bucket):
        self._require(caller, request, "s3:CreateBucket", bucket, bucket)
        if not _BUCKET_RE.match(bucket) or ".." in bucket:
            raise ApiError("InvalidBucketName", BucketName=bucket)
        with self.state.lock:
            if self.state.store.bucket(bucket) is not None:
                raise ApiError("BucketAlreadyOwnedByYou", BucketName=bucket)
            self.state.store.make_bucket(bucket, {"CreationDate": datetime.datetime.now().timestamp()})
        return Response(200, b"", common_headers(rid) + [("Location", "/" + bucket)])

    def put_object(self, request, rid, bucket, key):
        self._bucket_meta(bucket)
        body = request.body
        if (request.header("x-amz-content-sha256") or "").startswith("STREAMING-") or "aws-chunked" in (
            request.header("content-encoding") or ""
        ):
            body = decode_aws_chunked(body)
            declared = request.header("x-amz-decoded-content-length")
            if declared is not None and int(declared) != len(body):
                raise ApiError("IncompleteBody")
        etag = hashlib.md5(body).hexdigest()  # nosec - S3 ETags are MD5 by definition
        meta = {
            "ETag": etag,
            "Size": len(body),
            "LastModified": datetime.datetime.now().timestamp(),
            "ContentType": request.header("content-type") or "application/octet-stream",
            "UserMetadata": {k: v for k, v in request.headers.items() if k.startswith("x-amz-meta-")},
        }
        self.state.store.put_object(bucket, key, body, meta)
        return Response(200, b"", common_headers(rid) + [("ETag", '"%s"' % etag)])

    def get_object(self, request, rid, bucket, key):
        self._bucket_meta(bucket)
        meta = self.state.store.object_meta(bucket, key)
        if meta is None:
            raise ApiError("NoSuchKey", BucketName=bucket, Key=key)
        headers = common_headers(rid) + [
            ("ETag", '"%s"' % meta["ETag"]),
            ("Last-Modified", email.utils.formatdate(meta["LastModified"], usegmt=True)),
            ("Content-Type", meta["ContentType"]),
        ] + list(meta.get("UserMetadata", {}).items())
        if request.method == "HEAD":
            return Response(200, b"", headers + [("Content-Length", str(meta["Size"]))])
        return Response(200, self.state.store.object_data(bucket, key), headers)

    def list_objects(self, request, rid, caller, bucket):
        self._require(caller, request, "s3:ListBucket", bucket, bucket)
        self._bucket_meta(bucket)
        query = {k: v[0] for k, v in request.query.items()}
        v2 = query.get("list-type") == "2"
        prefix, delimiter = query.get("prefix", ""), query.get("delimiter", "")
        max_keys = int(query.get("max-keys", "1000") or 1000)
        after = query.get("continuation-token") or query.get("start-after", "") if v2 else query.get("marker", "")
        encode = (lambda s: quote(s, safe="/")) if query.get("encoding-type") == "url" else (lambda s: s)
        contents, prefixes, truncated, last = [], [], False, ""
        for meta in self.state.store.list_objects(bucket):
            name = meta["Key"]
            if not name.startswith(prefix) or (after and name <= after):
                continue
            if delimiter and delimiter in name[len(prefix):]:
                common = name[: len(prefix) + name[len(prefix):].index(delimiter) + len(delimiter)]
                if common in prefixes or (after and common <= after):
                    continue
                entry, key = ("prefix", common), common
            else:
                entry, key = ("object", meta), name
            if len(contents) + len(prefixes) >= max_keys:
                truncated = True
                break
            (prefixes.append(entry[1]) if entry[0] == "prefix" else contents.append(entry[1]))
            last = key
        parts = ['<ListBucketResult xmlns="%s"><Name>%s</Name><Prefix>%s</Prefix>' % (XMLNS, escape(bucket), escape(encode(prefix)))]
        if v2:
            parts.append("<KeyCount>%d</KeyCount>" % (len(contents) + len(prefixes)))
            if query.get("start-after"):
                parts.append("<StartAfter>%s</StartAfter>" % escape(encode(query["start-after"])))
            if query.get("continuation-token"):
                parts.append("<ContinuationToken>%s</ContinuationToken>" % escape(query["continuation-token"]))
            if truncated:
                parts.append("<NextContinuationToken>%s</NextContinuationToken>" % escape(last))
        else:
            parts.append("<Marker>%s</Marker>" % escape(encode(query.get("marker", ""))))
            if truncated and delimiter:
                parts.append("<NextMarker>%s</NextMarker>" % escape(encode(last)))
        parts.append("<MaxKeys>%d</MaxKeys>" % max_keys)
        if delimiter:
            parts.append("<Delimiter>%s</Delimiter>" % escape(encode(delimiter)))
        if query.get("encoding-type"):
            parts.append("<EncodingType>%s</EncodingType>" % escape(query["encoding-type"]))
        parts.append("<IsTruncated>%s</IsTruncated>" % ("true" if truncated else "false"))
        for meta in contents:
            parts.append(
                "<Contents><Key>%s</Key><LastModified>%s</LastModified><ETag>&#34;%s&#34;</ETag><Size>%d</Size>"
                "<Owner><ID>02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4</ID><DisplayName>minio</DisplayName></Owner>"
                "<StorageClass>STANDARD</StorageClass></Contents>"
                % (escape(encode(meta["Key"])), _iso(meta["LastModified"]), meta["ETag"], meta["Size"])
            )
        for common in prefixes:
            parts.append("<CommonPrefixes><Prefix>%s</Prefix></CommonPrefixes>" % escape(encode(common)))
        parts.append("</ListBucketResult>")
        return _xml(rid, "".join(parts))
