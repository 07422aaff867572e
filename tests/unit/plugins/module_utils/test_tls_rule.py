# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one TLS rule of every transport (_tls.py) and the plain-http warning.

(Named test_tls_rule.py: tests/reliability/test_tls.py has the basename test_tls.py, and basenames are unique.)
"""

from __future__ import annotations

import json
import os
import sys
from unittest import mock

import certifi
import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import StsRefusal, assume_role_with_web_identity
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_admin import MinioAdminClient
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_s3 import S3Client
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import MinioError, Transport
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import (
    CA_ENVIRONMENT,
    DEFAULT,
    TlsSettingError,
    connection_warnings,
    is_loopback,
    pool_arguments,
    tls_source,
    tls_verify,
)
from ansible_collections.sso.authentik_minio.plugins.modules import authentik_info, minio_info, minio_sts_login

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "modules"))
import test_authentik_modules  # noqa: E402  pylint: disable=wrong-import-position
import test_minio_modules  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = "tls-unit-token-0123456789abcdef"
HTTPS = "https://auth.example.com"


@pytest.fixture(autouse=True)
def no_earlier_warnings():
    """AnsibleModule keeps warnings in a process-wide store: start and end each test without any."""
    from ansible.module_utils.common import warnings as ansible_warnings

    ansible_warnings._global_warnings.clear()  # pylint: disable=protected-access
    yield
    ansible_warnings._global_warnings.clear()  # pylint: disable=protected-access


@pytest.fixture
def files(tmp_path):
    """An existing file for ca_path and one for each CA variable: name -> path."""
    made = {}
    for name in ("ca_path",) + CA_ENVIRONMENT:
        path = tmp_path / ("%s.pem" % name)
        path.write_text("a CA bundle\n")
        made[name] = str(path)
    return made


# (validate_certs, ca_path set, variables set, expected: a name from ``files``, False or True)
PRECEDENCE = [
    (True, False, (), True),
    (True, False, ("REQUESTS_CA_BUNDLE",), "REQUESTS_CA_BUNDLE"),
    (True, False, ("CURL_CA_BUNDLE",), "CURL_CA_BUNDLE"),
    (True, False, ("SSL_CERT_FILE",), "SSL_CERT_FILE"),
    (True, False, ("CURL_CA_BUNDLE", "SSL_CERT_FILE"), "CURL_CA_BUNDLE"),
    (True, False, ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"), "REQUESTS_CA_BUNDLE"),
    (True, True, ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"), "ca_path"),
    (True, True, (), "ca_path"),
    (False, False, ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"), False),
    (False, False, (), False),
    (False, True, ("REQUESTS_CA_BUNDLE",), "ca_path"),  # an explicit CA wins over validate_certs=false
]


@pytest.mark.parametrize("url", [HTTPS, "http://127.0.0.1:9000"])
@pytest.mark.parametrize("validate_certs, with_ca_path, variables, expected", PRECEDENCE)
def test_precedence(files, url, validate_certs, with_ca_path, variables, expected):
    environ = dict((name, files[name]) for name in variables)
    verify, source = tls_source(url, validate_certs, files["ca_path"] if with_ca_path else None, environ)
    wanted = files[expected] if isinstance(expected, str) else expected
    assert verify == wanted
    assert source == (expected if isinstance(expected, str) else DEFAULT if expected else "validate_certs")
    assert tls_verify(url, validate_certs, files["ca_path"] if with_ca_path else None, environ) == wanted


def test_an_empty_variable_is_skipped_as_requests_skips_it(files):
    environ = {"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": files["CURL_CA_BUNDLE"]}
    assert tls_verify(HTTPS, True, None, environ) == files["CURL_CA_BUNDLE"]


def test_the_process_environment_is_the_default(files, monkeypatch):
    for name in CA_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    assert tls_verify(HTTPS) is True
    monkeypatch.setenv("SSL_CERT_FILE", files["SSL_CERT_FILE"])
    assert tls_verify(HTTPS) == files["SSL_CERT_FILE"]


def test_a_missing_file_fails_for_https_naming_where_it_came_from(tmp_path):
    missing = str(tmp_path / "no-such-bundle.pem")
    with pytest.raises(TlsSettingError) as caught:
        tls_source(HTTPS, True, None, {"CURL_CA_BUNDLE": missing})
    assert "CURL_CA_BUNDLE" in str(caught.value) and missing in str(caught.value) and "ca_path" in str(caught.value)
    with pytest.raises(TlsSettingError, match="ca_path %s does not exist" % missing):
        tls_source(HTTPS, True, missing, {})
    # no certificate over plain http: nothing to check, the value stays the same (a redirect may lead to https)
    assert tls_verify("http://minio.example.com", True, None, {"REQUESTS_CA_BUNDLE": missing}) == missing
    # validate_certs=false never reads the variables
    assert tls_verify(HTTPS, False, None, {"REQUESTS_CA_BUNDLE": missing}) is False


def test_pool_arguments_for_urllib3(tmp_path, files):
    assert pool_arguments(False) == {"cert_reqs": "CERT_NONE"}
    assert pool_arguments(True) == {"cert_reqs": "CERT_REQUIRED", "ca_certs": certifi.where()}
    assert pool_arguments(files["ca_path"]) == {"cert_reqs": "CERT_REQUIRED", "ca_certs": files["ca_path"]}
    assert pool_arguments(str(tmp_path)) == {"cert_reqs": "CERT_REQUIRED", "ca_cert_dir": str(tmp_path)}


@pytest.mark.parametrize("host, loopback", [
    ("localhost", True), ("LOCALHOST.", True), ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True),
    ("::ffff:127.0.0.1", True), ("auth.example.com", False), ("10.0.0.1", False), ("128.0.0.1", False),
    ("::2", False), ("localhost.example.com", False), ("", False), (None, False),
])
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000", "http://localhost", "http://[::1]:9000/", "https://auth.example.com",
                                 "https://127.0.0.1:9443"])
def test_no_warning_for_https_or_loopback(url):
    assert connection_warnings(url, True, None, "the API token") == []


def test_plain_http_to_another_host_warns_once_naming_the_host():
    found = connection_warnings("http://user:pa55word@auth.example.com:8080/", True, None, "the API token")
    assert len(found) == 1, found
    assert "auth.example.com" in found[0] and "plain http" in found[0] and "the API token" in found[0]
    assert "pa55word" not in found[0] and "user" not in found[0]


def test_validate_certs_false_warns_only_for_https_without_ca_path():
    found = connection_warnings(HTTPS, False, None, "the API token")
    assert len(found) == 1 and "validate_certs is false" in found[0] and HTTPS in found[0]
    assert connection_warnings(HTTPS, False, "/ca.pem", "the API token") == []
    assert connection_warnings("http://127.0.0.1", False, None, "the API token") == []


# -- where the connection is built ------------------------------------------------------------------------
def warnings_of(result):
    """The warnings' texts (plain strings, or the structured summaries of ansible-core 2.19+)."""
    return [w if isinstance(w, str) else (w.get("event") or {}).get("msg", "") for w in result.get("warnings", [])]


def test_authentik_module_warns_once_about_plain_http_and_never_names_the_token(capsys, monkeypatch):
    monkeypatch.setattr(test_authentik_modules, "BASE", "http://auth.example.com")
    fake = test_authentik_modules.FakeAuthentik()
    params = dict(url="http://auth.example.com", token=TOKEN, kind="flow")
    with patch_module_args(params), mock.patch.object(test_authentik_modules._authentik_client.requests, "Session", lambda: fake):
        with pytest.raises(SystemExit):
            authentik_info.main()
    out = capsys.readouterr().out
    result = json.loads(out)
    assert not result.get("failed"), result
    found = [w for w in warnings_of(result) if "plain http" in w]
    assert len(found) == 1 and "auth.example.com" in found[0] and "the API token" in found[0], result
    assert TOKEN not in out


def test_authentik_module_on_loopback_has_no_warning(capsys):
    fake = test_authentik_modules.FakeAuthentik()
    result = test_authentik_modules.run(authentik_info, dict(kind="flow"), fake, capsys)
    assert not result.get("failed") and result.get("warnings", []) == [], result


@pytest.mark.parametrize("url, warned", [("http://127.0.0.1:9000", False), ("http://minio.example.com:9000", True),
                                         ("https://minio.example.com", False)])
def test_minio_module_warns_about_plain_http_to_another_host(url, warned, capsys):
    result = test_minio_modules.run(minio_info, dict(url=url), capsys, test_minio_modules.FakeAdmin())
    assert not result.get("failed"), result
    found = warnings_of(result)
    assert len(found) == (1 if warned else 0), found
    if warned:
        assert "minio.example.com" in found[0] and test_minio_modules.MINIO["secret_key"] not in found[0]


def test_sts_login_warns_about_plain_http_and_never_names_the_tokens(capsys):
    pool = test_minio_modules.FakePool(test_minio_modules.Answer(400, test_minio_modules.REFUSED))
    id_token = test_minio_modules.ID_TOKEN
    result = test_minio_modules.run(minio_sts_login, dict(url="http://minio.example.com:9000", id_token=id_token,
                                                          fail_on_refusal=False, probe=False), capsys, pool=pool)
    assert result["granted"] is False and pool.calls, result
    found = [w for w in warnings_of(result) if "plain http" in w]
    assert len(found) == 1 and "minio.example.com" in found[0] and "ID token" in found[0], result
    out = json.dumps(result)
    assert id_token not in out and test_minio_modules.MINIO["secret_key"] not in out


# -- the admin, STS and S3 clients share one pool, built by the rule --------------------------------------------
@pytest.mark.parametrize("validate_certs, with_ca_path, variables, expected", PRECEDENCE)
def test_admin_sts_and_s3_clients_talk_through_one_pool_built_by_the_rule(files, monkeypatch, validate_certs, with_ca_path,
                                                                          variables, expected):
    for name in CA_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    for name in variables:
        monkeypatch.setenv(name, files[name])
    transport = Transport("https://minio.example.com:9000", validate_certs, files["ca_path"] if with_ca_path else None, 5)
    wanted = pool_arguments(files[expected] if isinstance(expected, str) else expected)
    assert dict((key, transport.pool.connection_pool_kw.get(key)) for key in wanted) == wanted
    assert transport.verify_source == (expected if isinstance(expected, str) else "validate_certs" if expected is False else DEFAULT)

    admin = MinioAdminClient(transport.url, "root", "root-secret", transport=transport)
    s3 = S3Client(transport, ("root", "root-secret"), "us-east-1")
    assert admin._admin._http is transport.pool and s3._s3._http is transport.pool  # pylint: disable=protected-access
    assert admin._admin._cert_check is (expected is not False)  # pylint: disable=protected-access
    posted = []
    monkeypatch.setattr(transport.pool, "request", lambda *args, **kwargs: posted.append(args) or test_minio_modules.Answer(
        400, test_minio_modules.REFUSED))
    with pytest.raises(StsRefusal):
        assume_role_with_web_identity(transport, "a.b.c")
    assert posted == [("POST", "https://minio.example.com:9000/")]


def test_a_ca_file_that_does_not_exist_fails_every_minio_client_before_any_call(tmp_path, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "gone.pem"))
    with pytest.raises(MinioError, match="REQUESTS_CA_BUNDLE .*gone.pem.*does not exist"):
        Transport("https://minio.example.com:9000")
    with pytest.raises(MinioError, match="ca_path .*missing.pem does not exist"):
        Transport("https://minio.example.com:9000", ca_path=str(tmp_path / "missing.pem"))
