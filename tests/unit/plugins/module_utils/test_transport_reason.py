# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A call to MinIO that got no usable answer is told with its reason, not with the bare class name of a wrapper
(minio_bucket and the STS login used to say only ``MaxRetryError`` / ``ConnectionError`` / ``InvalidResponseError``).
The admin, S3 and STS calls all say it through the one transport (``Transport.failure``)."""

from __future__ import annotations

import socket

import pytest
import urllib3
from minio.error import InvalidResponseError

from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import assume_role_with_web_identity  # noqa: E402
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import (  # noqa: E402
    MinioError,
    ReadRetry,
    Transport,
    transport_reason,
)

CLOSED = "http://127.0.0.1:9"  # the discard port: refused at once


def s3_failure(exc, url):
    return Transport(url, timeout=5).failure(exc)


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
    assert transport_reason(socket.timeout()) == "TimeoutError"


def test_the_sts_login_names_why_it_could_not_reach_minio():
    token = "header.payload-secret-0123.signature"
    sleeps = []
    with pytest.raises(MinioError) as raised:
        assume_role_with_web_identity(Transport(CLOSED, timeout=5), token, retry=ReadRetry(sleep=sleeps.append))
    msg = str(raised.value)
    assert raised.value.transport and sleeps == [0.5, 1.0, 2.0]  # no answer: a read, asked again a bounded number of times
    assert msg.startswith("cannot reach MinIO's STS at %s: " % CLOSED) and "Connection refused" in msg, msg
    assert token not in msg
