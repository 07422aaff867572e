# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A call to MinIO that got no usable answer is told with its reason, not with the bare class name of a wrapper
(minio_bucket and the STS login used to say only ``MaxRetryError`` / ``ConnectionError`` / ``InvalidResponseError``)."""

from __future__ import annotations

import pytest
import requests
import urllib3
from minio.error import InvalidResponseError

from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import (  # noqa: E402
    LoginCheckError,
    assume_role_with_web_identity,
    s3_failure,
    transport_reason,
)

CLOSED = "http://127.0.0.1:9"  # the discard port: refused at once


def test_a_refused_connection_is_named_through_urllib3s_wrappers():
    pool = urllib3.PoolManager(retries=urllib3.Retry(total=1, connect=1, read=0, status=0, other=0))
    with pytest.raises(urllib3.exceptions.HTTPError) as raised:
        pool.request("GET", CLOSED + "/bucket?X-Amz-Signature=secret-signature-0123")
    reason = s3_failure(raised.value, CLOSED)
    assert "Connection refused" in reason and "MaxRetryError" not in reason, reason
    assert "secret-signature" not in reason  # the cause names no request path, so no query string either


def test_an_answer_that_is_not_s3_xml_gives_status_and_body():
    exc = InvalidResponseError(500, "text/plain", "<Error><Message>drive  offline</Message></Error>")
    assert s3_failure(exc, CLOSED) == "InvalidResponseError: MinIO answered HTTP 500 (text/plain): <Error><Message>drive offline</Message></Error>"
    assert transport_reason(InvalidResponseError(502, None, "")) == "InvalidResponseError: MinIO answered HTTP 502 (no content type): (empty)"


def test_a_cause_without_words_is_named_by_its_class():
    assert transport_reason(requests.exceptions.ReadTimeout()) == "ReadTimeout"


def test_the_sts_login_names_why_it_could_not_reach_minio():
    token = "header.payload-secret-0123.signature"
    with pytest.raises(LoginCheckError) as raised:
        assume_role_with_web_identity(requests.Session(), CLOSED, token, 5)
    msg = str(raised.value)
    assert msg.startswith("cannot reach MinIO's STS at %s: " % CLOSED) and "Connection refused" in msg, msg
    assert token not in msg
