# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""STS AssumeRoleWithWebIdentity, as minio/minio cmd/sts-handlers.go (AssumeRoleWithSSO) answers it."""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
import string
import warnings
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import jwt

from _double_server import Response

from . import openid
from .errors import StsError, common_headers
from .state import utcnow

API_VERSION = "2011-06-15"
MIN_EXPIRY = 900
MAX_EXPIRY = 365 * 24 * 3600
_ACCESS_ALPHABET = string.digits + string.ascii_uppercase


def is_sts_request(request):
    """registerSTSRouter: POST / with Action in the query, or a form body without a SigV4 Authorization."""
    if request.method != "POST" or request.path != "/":
        return False
    if "Action" in request.query:
        return True
    content_type = (request.header("content-type") or "").split(";")[0].strip().lower()
    auth = request.header("authorization") or ""
    return content_type == "application/x-www-form-urlencoded" and not auth.startswith("AWS4-HMAC-SHA256")


def _form(request):
    form = {k: v[0] for k, v in request.query.items()}
    content_type = (request.header("content-type") or "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded" and request.body:
        for key, values in parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True).items():
            form.setdefault(key, values[0])
    return form


def _new_access_key():
    raw = os.urandom(20)
    return "".join(_ACCESS_ALPHABET[b % len(_ACCESS_ALPHABET)] for b in raw)


def _new_secret_key():
    return base64.b64encode(os.urandom(30)).decode()[:40].replace("/", "+")


def _duration(dsecs):
    """GetDefaultExpiration without MINIO_STS_DURATION: an integer in [900, 365 days]."""
    try:
        seconds = int(dsecs)
    except ValueError as exc:
        raise StsError("InvalidParameterValue", "invalid token expiry") from exc
    if seconds < MIN_EXPIRY or seconds > MAX_EXPIRY:
        raise StsError("InvalidParameterValue", "invalid token expiry")
    return seconds


def _parse_arn(value):
    """internal/arn Parse: only ``arn:minio:iam:<region>:<account>:role/<id>`` is a role ARN."""
    parts = value.split(":")
    if len(parts) != 6 or parts[0] != "arn":
        raise ValueError("invalid ARN string format")
    if parts[1] != "minio":
        raise ValueError("invalid ARN - bad partition field")
    if parts[2] != "iam":
        raise ValueError("invalid ARN - bad service field")
    kind, slash = parts[5].partition("/")[:2]
    if not slash:
        raise ValueError('invalid ARN - resource does not contain a "/"')
    if kind != "role":
        raise ValueError("invalid ARN: resource type is invalid.")


def _choose_provider(state, role_arn):
    providers = state.providers
    claim_provider = next((p for p in providers.values() if not p["role_policy"]), None)
    if role_arn:
        try:
            _parse_arn(role_arn)
            chosen = next((p for p in providers.values() if p["role_policy"] and p["role_arn"] == role_arn), None)
            if chosen is None:
                raise LookupError("RoleARN %s is not defined." % role_arn)
            return chosen
        except ValueError as exc:
            problem = "RoleARN parse err: %s" % exc
        except LookupError as exc:
            problem = str(exc)
        if claim_provider is None:
            raise StsError("InvalidParameterValue", "Error processing RoleArn parameter: %s" % problem)
        return claim_provider  # an unknown RoleArn is ignored when a claim-based provider exists (AWS SDKs send one)
    if claim_provider is None:
        raise StsError("InvalidParameterValue", "Role %s does not exist" % openid.DUMMY_ROLE_ARN)
    return claim_provider


def _existing(state, names):
    known = state.all_policies()
    return [n for n in names if n in known]


def assume_role_with_web_identity(state, request, rid):
    form = _form(request)
    action = form.get("Action", "")
    if action != "AssumeRoleWithWebIdentity":
        raise StsError("InvalidParameterValue", "Unsupported action %s" % action)
    if form.get("Version") != API_VERSION:
        raise StsError("MissingParameter", "Invalid STS API version %s, expecting %s" % (form.get("Version", ""), API_VERSION))
    if not state.iam_ready:
        raise StsError("STSIAMNotInitialized", "IAM sub-system is being initialized, please try again")
    token = form.get("Token") or form.get("WebIdentityToken") or ""
    provider = _choose_provider(state, form.get("RoleArn", ""))
    if provider["claim_userinfo"] and not form.get("WebIdentityAccessToken"):
        raise StsError("InvalidParameterValue", "access_token is mandatory if user_info claim is enabled")
    requested = form.get("DurationSeconds", "")
    try:
        claims = openid.validate_token(
            provider, token, state.refresh_keys, after_parse=lambda _claims: _duration(requested) if requested else None
        )
    except openid.OpenIDError as exc:
        raise StsError("InvalidParameterValue", str(exc)) from exc
    now = utcnow()
    if requested:
        expiry = now + datetime.timedelta(seconds=_duration(requested))
    elif "exp" in claims:
        expiry = datetime.datetime.fromtimestamp(int(float(claims["exp"])), datetime.timezone.utc)
    else:
        expiry = now + datetime.timedelta(hours=1)

    if provider["role_policy"]:
        names = [p.strip() for p in provider["role_policy"].split(",") if p.strip()]
        if not _existing(state, names):
            raise StsError(
                "InvalidParameterValue",
                "None of the given policies (`%s`) are defined, credentials will not be generated" % ",".join(sorted(names)),
            )
        policy_names = names
    else:
        requested = openid.values_from_claim(claims, provider["claim_name"])
        if requested is None:
            raise StsError(
                "InvalidParameterValue",
                "%s claim missing from the JWT token, credentials will not be generated" % provider["claim_name"],
            )
        policy_names = _existing(state, sorted(requested))
        if not policy_names:
            raise StsError(
                "InvalidParameterValue",
                "None of the given policies (`%s`) are defined, credentials will not be generated" % ",".join(sorted(requested)),
            )
    subject = claims.get("sub") if isinstance(claims.get("sub"), str) else ""
    if not subject:
        raise StsError("InvalidParameterValue", "STS JWT Token has `sub` claim missing, `sub` claim is mandatory")

    access_key, secret_key = _new_access_key(), _new_secret_key()
    parent = base64.urlsafe_b64encode(
        hashlib.sha256(("openid:%s:%s" % (subject, claims.get("iss", ""))).encode()).digest()
    ).rstrip(b"=").decode()
    session_claims = dict(claims, accessKey=access_key, exp=int(expiry.timestamp()), parent=parent)
    if provider["role_policy"]:
        session_claims["roleArn"] = provider["role_arn"]
    else:
        session_claims[provider["claim_name"]] = ",".join(policy_names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyjwt warns about short HMAC keys; MinIO uses the root secret as it is
        session_token = jwt.encode(session_claims, state.root_password, algorithm="HS512")
    with state.lock:
        state.temp_creds[access_key] = {
            "secret": secret_key,
            "session_token": session_token,
            "expiry": expiry,
            "policies": policy_names,
            "role_policy": bool(provider["role_policy"]),
            "claims": claims,
            "parent": parent,
        }
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        "<AssumeRoleWithWebIdentityResult><AssumedRoleUser><Arn></Arn><AssumeRoleId></AssumeRoleId></AssumedRoleUser>"
        "<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken>"
        "<Expiration>%s</Expiration></Credentials><SubjectFromWebIdentityToken>%s</SubjectFromWebIdentityToken>"
        "</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>"
        "</AssumeRoleWithWebIdentityResponse>"
        % (access_key, secret_key, session_token, expiry.strftime("%Y-%m-%dT%H:%M:%SZ"), escape(subject), rid)
    )
    return Response(200, body.encode("utf-8"), common_headers(rid) + [("Content-Type", "application/xml")])
