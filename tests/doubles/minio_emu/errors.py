# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error bodies in MinIO's three shapes: admin JSON, S3 XML and STS XML (cmd/api-errors.go, cmd/sts-errors.go)."""

from __future__ import annotations

import json
import os
from xml.sax.saxutils import escape

from _double_server import Response

# code -> (HTTP status, message) for the API errors the double produces (cmd/api-errors.go wording).
API_ERRORS = {
    "AccessDenied": (403, "Access Denied."),
    "SignatureDoesNotMatch": (
        403,
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    ),
    "InvalidAccessKeyId": (403, "The Access Key Id you provided does not exist in our records."),
    "InvalidToken": (403, "The security token included in the request is invalid"),
    "ExpiredToken": (400, "The provided token has expired."),
    "RequestTimeTooSkewed": (403, "The difference between the request time and the server's time is too large."),
    "AccessDeniedMissingDate": (400, "AWS authentication requires a valid Date or x-amz-date header"),
    "XAmzContentSHA256Mismatch": (400, "The provided 'x-amz-content-sha256' header does not match what was computed."),
    "MissingFields": (400, "Missing fields in request."),
    "AuthorizationHeaderMalformed": (
        400,
        "The authorization header is malformed; the region is wrong; expecting 'us-east-1'.",
    ),
    "MalformedCredentialDate": (
        400,
        "Error parsing the X-Amz-Credential parameter; incorrect date format. "
        "This date in the credential must be in the format \"yyyyMMdd\".",
    ),
    "UnsignedHeaders": (400, "There were headers present in the request which were not signed"),
    "MissingSecurityHeader": (400, "Your request was missing a required header"),
    "SignatureVersionNotSupported": (400, "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."),
    "NoSuchBucket": (404, "The specified bucket does not exist"),
    "NoSuchKey": (404, "The specified key does not exist."),
    "BucketAlreadyOwnedByYou": (409, "Your previous request to create the named bucket succeeded and you already own it."),
    "BucketNotEmpty": (409, "The bucket you tried to delete is not empty"),
    "InvalidBucketName": (400, "The specified bucket is not valid."),
    "MethodNotAllowed": (405, "The specified method is not allowed against this resource."),
    "NotImplemented": (501, "A header you provided implies functionality that is not implemented"),
    "MissingContentLength": (411, "You must provide the Content-Length HTTP header."),
    "EntityTooLarge": (400, "Your proposed upload exceeds the maximum allowed object size."),
    "IncompleteBody": (400, "You did not provide the number of bytes specified by the Content-Length HTTP header."),
    "InvalidDigest": (400, "The Content-Md5 you specified is not valid."),
    "XMinioServerNotInitialized": (503, "Server not initialized yet, please try again."),
    "XMinioAdminConfigBadJSON": (400, "JSON configuration provided is of incorrect format"),
    "XMinioAdminConfigTooLarge": (
        400,
        "Configuration data provided exceeds the allowed maximum of 262272 bytes",
    ),
    "XMinioConfigError": (400, "Error in config"),
    "XMinioConfigNotFoundError": (404, "Config not found"),
    "XMinioAdminVersionMismatch": (426, "This 'admin' API is not supported by server in 'mode-server-fs'"),
    "XMinioAdminNoSuchPolicy": (404, "The canned policy does not exist."),
    "XMinioAdminInvalidRequest": (400, "Invalid Request"),
    "XMinioMalformedIAMPolicy": (400, "Malformed IAM policy"),
    "MalformedPolicy": (400, "Policy has invalid resource."),
    "XMinioInvalidResource": (400, "Invalid resource"),
    "PolicyInvalidName": (400, "Policy name may not contain comma"),
    "XMinioIAMPolicyInUse": (400, "The policy cannot be removed, as it is in use"),
    "MalformedPOSTRequest": (400, "The body of your POST request is not well-formed multipart/form-data."),
    "InvalidRequest": (400, "Invalid Request"),
    "InternalError": (500, "We encountered an internal error, please try again."),
}

STS_STATUS = {
    "AccessDenied": 403,
    "MissingParameter": 400,
    "InvalidParameterValue": 400,
    "ExpiredToken": 400,
    "MalformedPolicyDocument": 400,
    "STSNotInitialized": 503,
    "STSIAMNotInitialized": 503,
    "InternalError": 500,
}

STS_DEFAULT_MESSAGE = {
    "STSIAMNotInitialized": "IAM sub-system has not been initialized yet, please try again.",
    "STSNotInitialized": "STS API not initialized, please try again.",
    "AccessDenied": "Generating temporary credentials not allowed for this request.",
}

DEPLOYMENT_ID = "d3b1e0f2-6c1a-4c2e-9a51-5f0e6a7b8c9d"  # stable, like a real deployment's id


def request_id():
    # MinIO request ids are 16 upper-case hex digits (a time-based counter); random is enough here.
    return os.urandom(8).hex().upper()


def common_headers(rid):
    """Headers every MinIO response carries (cmd/generic-handlers.go, addCustomHeaders)."""
    return [
        ("Server", "MinIO"),
        ("Accept-Ranges", "bytes"),
        ("x-amz-request-id", rid),
        ("x-amz-id-2", "dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Xss-Protection", "1; mode=block"),
        ("Vary", "Origin"),
    ]


class ApiError(Exception):
    """An S3/admin API error; ``custom`` marks writeCustomErrorResponseJSON errors (HostId = deployment id)."""

    def __init__(self, code, message=None, status=None, custom=False, **extra):
        default_status, default_message = API_ERRORS.get(code, (400, code))
        super().__init__(message or default_message)
        self.code = code
        self.message = message or default_message
        self.status = status or default_status
        self.custom = custom
        self.extra = extra


def admin_error(err, resource, rid):
    body = {"Code": err.code, "Message": err.message, "Resource": resource, "RequestId": rid}
    body["HostId"] = DEPLOYMENT_ID if err.custom else "dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8"
    for key in ("Key", "BucketName"):
        if err.extra.get(key):
            body[key] = err.extra[key]
    # Go's json.Encoder ends the document with a newline.
    data = (json.dumps(body, separators=(",", ":")) + "\n").encode("utf-8")
    return Response(err.status, data, common_headers(rid) + [("Content-Type", "application/json")])


def s3_error(err, resource, rid):
    parts = ["<Code>%s</Code><Message>%s</Message>" % (escape(err.code), escape(err.message))]
    if err.extra.get("Key"):
        parts.append("<Key>%s</Key>" % escape(err.extra["Key"]))
    if err.extra.get("BucketName"):
        parts.append("<BucketName>%s</BucketName>" % escape(err.extra["BucketName"]))
    parts.append("<Resource>%s</Resource><RequestId>%s</RequestId>" % (escape(resource), rid))
    parts.append("<HostId>dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8</HostId>")
    data = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>%s</Error>' % "".join(parts)
    return Response(err.status, data.encode("utf-8"), common_headers(rid) + [("Content-Type", "application/xml")])


class StsError(Exception):
    def __init__(self, code, message=""):
        super().__init__(message or STS_DEFAULT_MESSAGE.get(code, ""))
        self.code = code
        self.message = message or STS_DEFAULT_MESSAGE.get(code, "")
        self.status = STS_STATUS[code]


def sts_error(err, rid):
    data = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type></Type>'
        "<Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>"
        % (escape(err.code), escape(err.message), rid)
    )
    return Response(err.status, data.encode("utf-8"), common_headers(rid) + [("Content-Type", "application/xml")])
