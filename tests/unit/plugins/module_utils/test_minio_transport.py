# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one retry policy of the MinIO clients, with a fake clock: reads are retried a bounded number of times on no
answer or 429/502/503/504, anything else and every write is sent once."""

from __future__ import annotations

import pytest

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_admin import MinioAdminClient
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_s3 import S3Client
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import (
    MinioError,
    ReadRetry,
    Transport,
    base_url,
)


class Flaky:
    """Raises the given errors in turn, then answers ``value``."""

    def __init__(self, errors, value="answer"):
        self.errors, self.value, self.calls = list(errors), value, 0

    def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return self.value


def status(code):
    return MinioError("reading x failed: HTTP %s" % code, status=code)


NO_ANSWER = MinioError("reading x failed: cannot reach MinIO", transport=True)


@pytest.mark.parametrize("error", [NO_ANSWER, status("429"), status("502"), status("503"), status("504")])
def test_a_read_is_retried_on_no_answer_and_on_later(error):
    sleeps = []
    call = Flaky([error, error])
    assert ReadRetry(sleep=sleeps.append).read(call) == "answer"
    assert call.calls == 3 and sleeps == [0.5, 1.0]


def test_retries_are_bounded_and_the_last_error_says_how_many_attempts():
    sleeps = []
    call = Flaky([status("503")] * 10)
    with pytest.raises(MinioError) as raised:
        ReadRetry(sleep=sleeps.append).read(call)
    assert call.calls == 4 and sleeps == [0.5, 1.0, 2.0] and sum(sleeps) == 3.5
    assert str(raised.value) == "reading x failed: HTTP 503 (after 4 attempts)" and raised.value.status == "503"


@pytest.mark.parametrize("error", [status("400"), status("403"), status("404"), status("500"), MinioError("untrusted certificate")])
def test_a_refusal_or_an_untrusted_certificate_is_not_retried(error):
    sleeps = []
    call = Flaky([error])
    with pytest.raises(MinioError) as raised:
        ReadRetry(sleep=sleeps.append).read(call)
    assert raised.value is error and call.calls == 1 and sleeps == []


class FakeMinioAdmin:
    """minio-py's MinioAdmin, answering nothing: every call raises what the test sets."""

    def __init__(self, error):
        self.error, self.calls = error, []

    def _call(self, name):
        self.calls.append(name)
        raise self.error

    def policy_info(self, _name):
        self._call("policy_info")

    def policy_add(self, _name, policy=None):
        self._call("policy_add")

    def service_restart(self):
        self._call("service_restart")


def admin_with(error, sleeps):
    client = MinioAdminClient("http://127.0.0.1:9", "root", "root-secret", retry=ReadRetry(sleep=sleeps.append))
    client._admin = FakeMinioAdmin(error)  # pylint: disable=protected-access
    return client


def test_the_admin_client_retries_reads_and_sends_writes_once():
    import urllib3

    refused = urllib3.exceptions.MaxRetryError(None, "/", urllib3.exceptions.NewConnectionError(None, "Connection refused"))
    sleeps = []
    client = admin_with(refused, sleeps)
    with pytest.raises(MinioError) as raised:
        client.policy_info("p")
    assert raised.value.transport and "(after 4 attempts)" in str(raised.value) and sleeps == [0.5, 1.0, 2.0]
    assert str(raised.value).startswith("reading policy p failed: cannot reach MinIO at http://127.0.0.1:9: ")
    for write in (lambda: client.policy_add("p", {}), client.restart):
        sleeps.clear()
        client._admin.calls.clear()  # pylint: disable=protected-access
        with pytest.raises(MinioError) as raised:
            write()
        assert raised.value.transport and len(client._admin.calls) == 1 and sleeps == []  # pylint: disable=protected-access


def test_the_s3_client_retries_reads_and_sends_writes_once(monkeypatch):
    from minio.error import S3Error

    class Busy:
        def __init__(self, *_args, **_kwargs):
            self.calls = []

        def bucket_exists(self, _bucket):
            self.calls.append("bucket_exists")
            raise S3Error(type("R", (), {"status": 503})(), "SlowDown", "Please reduce your request rate.", "/b", "r", "h")

        def make_bucket(self, _bucket):
            self.calls.append("make_bucket")
            raise S3Error(type("R", (), {"status": 503})(), "SlowDown", "Please reduce your request rate.", "/b", "r", "h")

    monkeypatch.setattr("minio.Minio", Busy)
    sleeps = []
    client = S3Client(Transport("http://127.0.0.1:9"), ("root", "root-secret"), "us-east-1", retry=ReadRetry(sleep=sleeps.append))
    with pytest.raises(MinioError) as raised:
        client.bucket_exists("b")
    assert raised.value.code == "SlowDown" and raised.value.status == "503" and sleeps == [0.5, 1.0, 2.0]
    assert str(raised.value) == "SlowDown Please reduce your request rate. (after 4 attempts)"
    sleeps.clear()
    with pytest.raises(MinioError):
        client.make_bucket("b")
    assert sleeps == [] and client._s3.calls.count("make_bucket") == 1  # pylint: disable=protected-access


@pytest.mark.parametrize("url, words", [("ftp://x", "http(s)://host"), ("127.0.0.1:9000", "http(s)://host"),
                                        ("http://h:1/minio", "without a path"), ("http://h:1/?a=b", "without a path")])
def test_every_client_wants_the_servers_base_url(url, words):
    with pytest.raises(MinioError, match=words.replace("(", r"\(").replace(")", r"\)")):
        base_url(url)
    assert base_url("https://minio.example.com:9000/") == "https://minio.example.com:9000"
