# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""identity_openid: LookupConfig (fetch discovery + JWKS, the conflict rules) and ID-token validation.

Follows minio/minio internal/config/identity/openid (openid.go, jwks.go, jwt.go). Error texts are the Go
ones the server would put in its answers, because modules and people key on them.
"""

from __future__ import annotations

import base64
import hashlib
import http
import json
import time
from urllib.parse import urlsplit

import jwt
import requests

from . import configkv

FETCH_TIMEOUT = 5.0  # seconds; the IdP is always on 127.0.0.1 in tests
ALLOWED_ALGS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "PS256", "PS384", "PS512")
DUMMY_ROLE_ARN = "arn:minio:iam:::role/dummy-internal"


class OpenIDError(Exception):
    """A Go error text from the openid package."""


def _go_get_error(url, exc):
    """Render a requests failure the way Go's http.Client reports it (a *url.Error)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        reason = "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    elif isinstance(exc, requests.exceptions.Timeout):
        reason = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
    elif "Connection refused" in text or "Errno 111" in text:
        reason = "dial tcp %s:%d: connect: connection refused" % (host, port)
    elif "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text.lower():
        reason = "dial tcp: lookup %s: no such host" % host
    elif "RemoteDisconnected" in text or "Connection aborted" in text:
        reason = "EOF"
    else:
        reason = text
    return 'Get "%s": %s' % (url, reason)


def _status_text(code):
    try:
        return "%d %s" % (code, http.HTTPStatus(code).phrase)
    except ValueError:
        return "%d status code %d" % (code, code)


def _go_json_error(body):
    stripped = body.lstrip()
    if not stripped:
        return "unexpected end of JSON input"
    return "invalid character '%s' looking for beginning of value" % stripped[:1].decode("latin-1")


def fetch_discovery(config_url):
    """parseDiscoveryDoc: GET config_url, 200 and JSON required."""
    try:
        resp = requests.get(config_url, timeout=FETCH_TIMEOUT, allow_redirects=True)
    except requests.exceptions.RequestException as exc:
        raise OpenIDError(_go_get_error(config_url, exc)) from exc
    if resp.status_code != 200:
        raise OpenIDError("unexpected error returned by %s : status(%s)" % (config_url, _status_text(resp.status_code)))
    try:
        doc = json.loads(resp.content)
    except ValueError as exc:
        raise OpenIDError(_go_json_error(resp.content)) from exc
    if not isinstance(doc, dict):
        raise OpenIDError("json: cannot unmarshal %s into Go value of type openid.DiscoveryDoc" % type(doc).__name__)
    return doc


def decode_jwk(key):
    """jwks.go DecodePublicKey, via pyjwt's JWK support."""
    kty = key.get("kty", "")
    if kty == "RSA":
        if not key.get("n") or not key.get("e"):
            raise OpenIDError("malformed JWK RSA key")
    elif kty == "EC":
        if not key.get("crv") or not key.get("x") or not key.get("y"):
            raise OpenIDError("malformed JWK EC key")
        if key["crv"] not in ("P-224", "P-256", "P-384", "P-521"):
            raise OpenIDError("Unknown curve type: %s" % key["crv"])
    elif not (key.get("alg") == "EdDSA" and key.get("crv") == "Ed25519" and key.get("x")):
        raise OpenIDError("Unknown JWK key type %s" % kty)
    try:
        return jwt.PyJWK(dict(key, alg=key.get("alg") or None) if key.get("alg") else key).key
    except (jwt.exceptions.PyJWKError, ValueError, TypeError) as exc:
        raise OpenIDError("malformed JWK %s key" % kty) from exc


def fetch_jwks(jwks_uri):
    """PopulatePublicKey: every key must decode, or the whole provider fails."""
    try:
        resp = requests.get(jwks_uri, timeout=FETCH_TIMEOUT)
    except requests.exceptions.RequestException as exc:
        raise OpenIDError(_go_get_error(jwks_uri, exc)) from exc
    if resp.status_code != 200:
        raise OpenIDError(_status_text(resp.status_code))
    try:
        doc = json.loads(resp.content)
    except ValueError as exc:
        raise OpenIDError(_go_json_error(resp.content)) from exc
    keys = {}
    for key in (doc.get("keys") or []) if isinstance(doc, dict) else []:
        keys[key.get("kid", "")] = decode_jwk(key)
    return keys


def role_arn(client_id, region=""):
    digest = base64.urlsafe_b64encode(hashlib.sha1(client_id.encode()).digest()).rstrip(b"=").decode()
    return "arn:minio:iam:%s::role/%s" % (region, digest)


def _parse_bool(value):
    if value in ("on", "true", "yes", "1", "enable", "enabled", "ok"):
        return True
    if value in ("off", "false", "no", "0", "disable", "disabled"):
        return False
    raise OpenIDError("ParseBool: parsing '%s': invalid syntax" % value)


def lookup_config(config, use_env=True):
    """openid.LookupConfig over every target. Returns {target: provider dict}; raises OpenIDError."""
    providers = {}
    seen_client_ids = set()
    claim_providers = 0
    for target, values in configkv.openid_targets(config, use_env=use_env).items():
        enable = values["enable"]
        if enable == "":
            enabled = bool(values["client_id"] or values["client_secret"] or values["config_url"])
        else:
            enabled = _parse_bool(enable)
        if not enabled:
            continue
        client_id = values["client_id"]
        if client_id in seen_client_ids:
            raise OpenIDError("Client ID %s is present with multiple OpenID configurations" % client_id)
        seen_client_ids.add(client_id)
        config_url = values["config_url"]
        parts = urlsplit(config_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise OpenIDError('parse "%s": invalid URI for request' % config_url if config_url else "empty URL")
        discovery = fetch_discovery(config_url)
        if values["claim_userinfo"] == "on" and not config_url:
            raise OpenIDError("please specify config_url to enable fetching claims from UserInfo endpoint")
        if values["scopes"]:
            for scope in values["scopes"].split(","):
                if scope.strip() == "":
                    raise OpenIDError(
                        "empty scope value is not allowed '%s', please refer to our documentation" % values["scopes"]
                    )
        claim_name = values["claim_name"]
        if values["role_policy"] and claim_name != "policy":
            raise OpenIDError(
                "Role Policy (=`%s`) and Claim Name (=`%s`) cannot both be set" % (values["role_policy"], claim_name)
            )
        if not values["role_policy"] and not claim_name:
            raise OpenIDError("A role policy or claim name must be specified")
        jwks_uri = discovery.get("jwks_uri") or ""
        if not jwks_uri:
            raise OpenIDError("no JWKS URI found in your provider's discovery doc (config_url=%s)" % config_url)
        if values["vendor"]:
            if values["vendor"] != "keycloak":
                raise OpenIDError("Unsupported vendor keycloak")
            if not values["keycloak_admin_url"]:
                raise OpenIDError("Admin URL cannot be empty")
        if not values["role_policy"]:
            claim_providers += 1
            if claim_providers > 1:
                raise OpenIDError("Only one OpenID provider can be configured if not using role policy mapping")
        keys = fetch_jwks(jwks_uri)
        providers[target] = {
            "target": target,
            "client_id": client_id,
            "client_secret": values["client_secret"],
            "claim_name": values["claim_prefix"] + claim_name,
            "claim_userinfo": values["claim_userinfo"] == "on",
            "role_policy": values["role_policy"],
            "role_arn": role_arn(client_id) if values["role_policy"] else DUMMY_ROLE_ARN,
            "jwks_uri": jwks_uri,
            "issuer": discovery.get("issuer", ""),
            "keys": keys,
        }
    return providers


def values_from_claim(claims, name):
    """policy.GetValuesFromClaims: a string is comma-split; in an array each string is; other types fail."""
    if name not in claims:
        return None
    value = claims[name]
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if items is None:
        return None
    out = []
    for item in items:
        if isinstance(item, str):
            for piece in item.split(","):
                piece = piece.strip()
                if piece and piece not in out:
                    out.append(piece)
    return out


def _signing_key(provider, header):
    kid = header.get("kid")
    if header.get("alg", "").startswith("HS"):
        # HS* ID tokens are keyed with the client secret under kid = client_id.
        if kid == provider["client_id"] or kid is None:
            return provider["client_secret"].encode()
    if not isinstance(kid, str):
        raise OpenIDError("Invalid kid value %s" % ("<nil>" if kid is None else kid))
    if kid not in provider["keys"]:
        raise OpenIDError("No public key found for kid %s" % kid)
    return provider["keys"][kid]


def _parse(provider, token):
    """golang-jwt v4 ParseWithClaims: keyfunc first, then claims (last failing check wins), then signature."""
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.exceptions.DecodeError as exc:
        if token.count(".") != 2:
            raise OpenIDError("token contains an invalid number of segments") from exc
        raise OpenIDError("illegal base64 data at input byte 0") from exc
    alg = header.get("alg", "")
    if alg not in ALLOWED_ALGS:
        raise OpenIDError("signing method %s is invalid" % alg)
    key = _signing_key(provider, header)
    message = None
    now = int(time.time())
    if "exp" in claims and now >= float(claims["exp"]):
        message = "Token is expired"
    if "iat" in claims and now < float(claims["iat"]):
        message = "Token used before issued"
    if "nbf" in claims and now < float(claims["nbf"]):
        message = "Token is not valid yet"
    try:
        jwt.decode(
            token,
            key,
            algorithms=[alg],
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False, "verify_iss": False},
        )
    except jwt.exceptions.InvalidSignatureError:
        message = "crypto/%s: verification error" % ("ecdsa" if alg.startswith("ES") else "rsa") if not alg.startswith("HS") \
            else "signature is invalid"
    except jwt.exceptions.PyJWTError as exc:
        message = str(exc)
    if message:
        raise OpenIDError(message)
    return claims


def validate_token(provider, token, refresh_keys, after_parse=None):
    """openid.Config.Validate: parse (retrying once with a fresh JWKS), ``after_parse`` (MinIO checks
    DurationSeconds there, in updateClaimsExpiry), then aud/azp against client_id."""
    try:
        claims = _parse(provider, token)
    except OpenIDError:
        # MinIO re-fetches the JWKS after any parse failure; a fetch error then replaces the first one.
        refresh_keys(provider)
        claims = _parse(provider, token)
    if after_parse is not None:
        after_parse(claims)
    aud = values_from_claim(claims, "aud")
    if aud is None:
        raise OpenIDError("STS JWT Token has `aud` claim invalid, `aud` must match configured OpenID Client ID")
    if provider["client_id"] not in aud:
        azp = values_from_claim(claims, "azp")
        if azp is None or provider["client_id"] not in azp:
            raise OpenIDError("STS JWT Token has `azp` claim invalid, `azp` must match configured OpenID Client ID")
    return claims
