# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The login check's STS call and claim reading: MinIO's XML answers, refusals, policy claims."""

from __future__ import annotations

import base64
import json

import pytest
import urllib3

from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import (  # noqa: E402
    StsRefusal,
    assume_role_with_web_identity,
    jwt_claims,
    policy_names,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import (  # noqa: E402
    MinioError,
    ReadRetry,
    Transport,
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
        self.status = status
        self.data = text.encode("utf-8")


class FakePool:
    """Stands for the transport's urllib3 pool: answers in turn (the last one again), or raises ``error``."""

    def __init__(self, *answers, error=None):
        self.answers, self.error, self.calls = list(answers), error, []

    def request(self, method, url, fields=None, encode_multipart=True, redirect=True, **_kwargs):
        self.calls.append((method, url, fields, encode_multipart, redirect))
        if self.error:
            raise self.error
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def transport(pool, url="http://127.0.0.1:9000/", **options):
    made = Transport(url, timeout=5, **options)
    made.pool = pool
    return made


def login(pool, token="t", url="http://127.0.0.1:9000/", sleeps=None, **options):
    retry = ReadRetry(sleep=(sleeps if sleeps is not None else []).append)
    return assume_role_with_web_identity(transport(pool, url), token, retry=retry, **options)


def jwt(payload):
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return "eyJhbGciOiJIUzUxMiJ9.%s.signature" % body


def test_success_returns_the_credentials_and_sends_an_unsigned_form():
    pool = FakePool(FakeResponse(200, SUCCESS))
    creds = login(pool, "id-token", duration=900)
    assert creds == ("ABCDEFGHIJ0123456789", "secret+key", "a.b.c", "2026-01-01T12:00:00Z")
    method, url, form, multipart, redirect = pool.calls[0]
    assert (method, url, multipart, redirect) == ("POST", "http://127.0.0.1:9000/", False, False)
    assert form == {"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "WebIdentityToken": "id-token",
                    "DurationSeconds": "900"}


def test_refusal_carries_minios_code_and_message_and_is_not_retried():
    pool, sleeps = FakePool(FakeResponse(400, REFUSAL)), []
    with pytest.raises(StsRefusal) as caught:
        login(pool, sleeps=sleeps)
    assert caught.value.status == 400 and caught.value.code == "InvalidParameterValue"
    assert caught.value.message.startswith("policy claim missing")
    assert len(pool.calls) == 1 and sleeps == []


def test_a_busy_sts_is_asked_again_a_bounded_number_of_times_then_its_answer_is_the_verdict():
    busy = REFUSAL.replace("InvalidParameterValue", "SlowDown")
    pool, sleeps = FakePool(FakeResponse(503, busy)), []
    with pytest.raises(StsRefusal) as caught:
        login(pool, sleeps=sleeps)
    assert caught.value.status == 503 and caught.value.code == "SlowDown"
    assert len(pool.calls) == 4 and sleeps == [0.5, 1.0, 2.0]
    pool, sleeps = FakePool(FakeResponse(503, busy), FakeResponse(200, SUCCESS)), []
    assert login(pool, sleeps=sleeps)[0] == "ABCDEFGHIJ0123456789" and sleeps == [0.5]


def test_transport_errors_and_non_xml_answers_name_no_token():
    refused = urllib3.exceptions.NewConnectionError(None, "the-token refused")
    pool, sleeps = FakePool(error=urllib3.exceptions.MaxRetryError(None, "/", refused)), []
    with pytest.raises(MinioError) as caught:
        login(pool, "the-token", sleeps=sleeps)
    message = str(caught.value)
    assert "the-token" not in message and message.startswith("cannot reach MinIO's STS at http://127.0.0.1:9000: "), message
    assert "(after 4 attempts)" in message and sleeps == [0.5, 1.0, 2.0]
    with pytest.raises(MinioError, match="not XML"):
        login(FakePool(FakeResponse(502, "<html")), sleeps=[])
    with pytest.raises(MinioError, match="without credentials"):
        login(FakePool(FakeResponse(200, "<A><Credentials/></A>")))


def test_an_untrusted_certificate_says_what_it_was_checked_against_and_is_not_retried(tmp_path, monkeypatch):
    bundle = tmp_path / "env.pem"
    bundle.write_text("a CA bundle\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    error = urllib3.exceptions.MaxRetryError(None, "/", urllib3.exceptions.SSLError("certificate verify failed for the-token"))
    pool, sleeps = FakePool(error=error), []
    with pytest.raises(MinioError) as caught:
        assume_role_with_web_identity(transport(pool, "https://m"), "the-token", retry=ReadRetry(sleep=sleeps.append))
    message = str(caught.value)
    assert "the-token" not in message and len(pool.calls) == 1 and sleeps == []
    assert "its TLS certificate is not trusted" in message and "REQUESTS_CA_BUNDLE %s" % bundle in message, message
    assert "ca_path" in message and "validate_certs=false" in message, message


def test_claims_and_policy_names_read_as_minio_does():
    assert jwt_claims(jwt({"policy": "readonly", "sub": "x"})) == {"policy": "readonly", "sub": "x"}
    assert jwt_claims("not-a-jwt") == {} and jwt_claims(jwt(["a list"])) == {}
    assert policy_names("readwrite, consoleAdmin,,") == ["consoleAdmin", "readwrite"]
    assert policy_names(["readonly", "a,b", 3]) == ["a", "b", "readonly"]
    assert policy_names(None) == [] and policy_names({"policy": "x"}) == []
