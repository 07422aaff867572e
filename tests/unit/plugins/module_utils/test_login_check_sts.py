# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The login check's STS call and claim reading: MinIO's XML answers, refusals, policy claims."""

from __future__ import annotations

import base64
import json

import pytest
import requests


from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import (  # noqa: E402
    LoginCheckError,
    StsRefusal,
    assume_role_with_web_identity,
    jwt_claims,
    policy_names,
)

SUCCESS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    "<AssumeRoleWithWebIdentityResult><AssumedRoleUser><Arn></Arn><AssumeRoleId></AssumeRoleId></AssumedRoleUser><Credentials>"
    "<AccessKeyId>ABCDEFGHIJ0123456789</AccessKeyId><SecretAccessKey>secret+key</SecretAccessKey><SessionToken>a.b.c</SessionToken>"
    "<Expiration>2026-01-01T12:00:00Z</Expiration></Credentials><SubjectFromWebIdentityToken>sub</SubjectFromWebIdentityToken>"
    "</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>"
)
REFUSAL = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type></Type>'
    "<Code>InvalidParameterValue</Code><Message>policy claim missing from the JWT token, credentials will not be generated</Message>"
    "</Error><RequestId>1</RequestId></ErrorResponse>"
)


class FakeResponse:
    def __init__(self, status, text):
        self.status_code = status
        self.content = text.encode("utf-8")


class FakeSession:
    def __init__(self, response=None, error=None):
        self.response, self.error, self.calls = response, error, []

    def post(self, url, data, timeout, **options):
        self.calls.append((url, data, timeout))
        self.options = options
        if self.error:
            raise self.error
        return self.response


def jwt(payload):
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return "eyJhbGciOiJIUzUxMiJ9.%s.signature" % body


def test_success_returns_the_credentials_and_sends_an_unsigned_form():
    session = FakeSession(FakeResponse(200, SUCCESS))
    creds = assume_role_with_web_identity(session, "http://127.0.0.1:9000/", "id-token", 5, duration=900)
    assert creds == ("ABCDEFGHIJ0123456789", "secret+key", "a.b.c", "2026-01-01T12:00:00Z")
    url, form, timeout = session.calls[0]
    assert url == "http://127.0.0.1:9000/" and timeout == 5
    assert form == {"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "WebIdentityToken": "id-token",
                    "DurationSeconds": "900"}


def test_refusal_carries_minios_code_and_message():
    with pytest.raises(StsRefusal) as caught:
        assume_role_with_web_identity(FakeSession(FakeResponse(400, REFUSAL)), "http://m", "t", 5)
    assert caught.value.status == 400 and caught.value.code == "InvalidParameterValue"
    assert caught.value.message.startswith("policy claim missing")


def test_transport_errors_and_non_xml_answers_name_no_token():
    with pytest.raises(LoginCheckError) as caught:
        assume_role_with_web_identity(FakeSession(error=requests.exceptions.ConnectionError("the-token refused")), "http://m", "the-token", 5)
    assert "the-token" not in str(caught.value) and "ConnectionError" in str(caught.value)
    with pytest.raises(LoginCheckError, match="not XML"):
        assume_role_with_web_identity(FakeSession(FakeResponse(502, "<html")), "http://m", "t", 5)
    with pytest.raises(LoginCheckError, match="without credentials"):
        assume_role_with_web_identity(FakeSession(FakeResponse(200, "<A><Credentials/></A>")), "http://m", "t", 5)


def test_verify_goes_with_the_request_and_an_untrusted_certificate_says_what_it_was_checked_against():
    # requests prefers REQUESTS_CA_BUNDLE over a session's verify, so the STS call passes verify itself
    session = FakeSession(FakeResponse(200, SUCCESS))
    assume_role_with_web_identity(session, "https://m", "id-token", 5, verify="/ca.pem", verify_source="ca_path")
    assert session.options == {"verify": "/ca.pem"}
    session = FakeSession(FakeResponse(200, SUCCESS))
    assume_role_with_web_identity(session, "https://m", "id-token", 5, verify=False, verify_source="validate_certs")
    assert session.options == {"verify": False}
    error = requests.exceptions.SSLError("certificate verify failed for the-token")
    with pytest.raises(LoginCheckError) as caught:
        assume_role_with_web_identity(FakeSession(error=error), "https://m", "the-token", 5, verify="/env.pem",
                                      verify_source="REQUESTS_CA_BUNDLE")
    message = str(caught.value)
    assert "the-token" not in message
    assert "its TLS certificate is not trusted" in message and "REQUESTS_CA_BUNDLE /env.pem" in message, message
    assert "ca_path" in message and "validate_certs=false" in message, message


def test_claims_and_policy_names_read_as_minio_does():
    assert jwt_claims(jwt({"policy": "readonly", "sub": "x"})) == {"policy": "readonly", "sub": "x"}
    assert jwt_claims("not-a-jwt") == {} and jwt_claims(jwt(["a list"])) == {}
    assert policy_names("readwrite, consoleAdmin,,") == ["consoleAdmin", "readwrite"]
    assert policy_names(["readonly", "a,b", 3]) == ["a", "b", "readonly"]
    assert policy_names(None) == [] and policy_names({"policy": "x"}) == []
