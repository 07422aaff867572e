# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The authentik HTTP client: error messages, bounded retries of reads only, pagination, versions."""

from __future__ import annotations

import json

import pytest
import requests


from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import (  # noqa: E402
    AuthentikClient,
    AuthentikError,
    format_field_errors,
)

# Bodies as the real authentik 2025.12.4 answered (reference recordings 01, 25, 41, 42).
RECORDED = {
    "01-admin-version": {"version_current": "2025.12.4", "version_latest": "0.0.0", "version_latest_valid": False,
                         "build_hash": "", "outdated": False, "outpost_outdated": False},
    "25-scope-mapping-create-missing-fields": {"expression": ["This field is required."],
                                               "scope_name": ["This field is required."]},
    "41-provider-create-redirect-string": {"redirect_uris": {"non_field_errors": ['Expected a list of items but got type "str".']}},
    "42-provider-create-bad-matching-mode": {"redirect_uris": [{"matching_mode": ['"exact" is not a valid choice.']}]},
}
TOKEN = "unit-test-token-abcdef"


class FakeResponse:
    def __init__(self, status, body=None, headers=None):
        self.status_code = status
        self.content = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        self.headers = headers or {}

    def json(self):
        return json.loads(self.content.decode())


class FakeSession:
    """Answers from a queue; records (method, url, params, json)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []
        self.headers = {}
        self.verify = True
        self.verified = []  # the verify of each request

    def request(self, method, url, params=None, json=None, timeout=None, verify=None):  # pylint: disable=redefined-outer-name
        self.calls.append((method, url, dict(params or {}), json))
        self.verified.append(verify)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def client(answers, **kwargs):
    sleeps = []
    session = FakeSession(answers)
    made = AuthentikClient("http://127.0.0.1:9/", TOKEN, session=session, sleep=sleeps.append, **kwargs)
    return made, session, sleeps


def recorded(name):
    return RECORDED[name[: -len(".json")]]


# -- error bodies in the server's own words ----------------------------------------------------------
def test_field_errors_flatten_with_server_wording():
    assert format_field_errors(recorded("25-scope-mapping-create-missing-fields.json")) == [
        "expression: This field is required.",
        "scope_name: This field is required.",
    ]
    assert format_field_errors(recorded("41-provider-create-redirect-string.json")) == [
        'redirect_uris: Expected a list of items but got type "str".']
    assert format_field_errors(recorded("42-provider-create-bad-matching-mode.json")) == [
        'redirect_uris[0].matching_mode: "exact" is not a valid choice.']
    assert format_field_errors({"redirect_uris": [{}, {"url": ["bad"]}]}) == ["redirect_uris[1].url: bad"]
    assert format_field_errors({"non_field_errors": ["Only one of 'group', 'user' can be set."]}) == [
        "Only one of 'group', 'user' can be set."]


def test_400_becomes_a_message_with_the_field_errors():
    made, _session, _sleeps = client([FakeResponse(400, {"name": ["Property Mapping with this name already exists."]})])
    with pytest.raises(AuthentikError) as err:
        made.request("POST", "propertymappings/provider/scope/", payload={"name": "x"}, what="the creation of scope mapping 'x'")
    assert err.value.msg == ("authentik rejected the creation of scope mapping 'x' (HTTP 400): "
                             "name: Property Mapping with this name already exists.")
    assert err.value.status == 400


def test_403_says_the_token_is_invalid_or_lacks_rights():
    made, _session, _sleeps = client([FakeResponse(403, {"detail": "Token invalid/expired"})])
    with pytest.raises(AuthentikError) as err:
        made.get("admin/version/")
    assert "HTTP 403: Token invalid/expired" in err.value.msg
    assert "the token is invalid or lacks the rights" in err.value.msg
    assert TOKEN not in err.value.msg


def test_html_404_hints_at_the_url_and_the_version():
    made, _session, _sleeps = client([FakeResponse(404, b"<html>Not Found</html>")])
    with pytest.raises(AuthentikError) as err:
        made.get("admin/version/")
    assert "without a JSON body" in err.value.msg and "2024.6" in err.value.msg


def test_404_is_none_when_missing_is_fine():
    made, _session, _sleeps = client([FakeResponse(404, {"detail": "No Application matches the given query."})])
    assert made.get("core/applications/x/", missing_ok=True) is None


def test_known_secrets_are_redacted_from_messages():
    made, _session, _sleeps = client([FakeResponse(400, {"client_secret": ["s3cr3t-value is too weak"]})])
    made.add_secret("s3cr3t-value")
    with pytest.raises(AuthentikError) as err:
        made.request("PATCH", "providers/oauth2/1/", payload={})
    assert "s3cr3t-value" not in err.value.msg and "********" in err.value.msg


# -- retries -------------------------------------------------------------------------------------------
def test_reads_retry_bounded_on_503_and_connection_errors():
    answers = [FakeResponse(503), requests.exceptions.ConnectionError("reset"), FakeResponse(200, {"ok": 1})]
    made, session, sleeps = client(answers)
    assert made.get("core/groups/") == {"ok": 1}
    assert len(session.calls) == 3
    assert sleeps == [0.5, 1.0]


def test_reads_give_up_after_the_bound_and_honour_retry_after_with_a_cap():
    answers = [FakeResponse(429, headers={"Retry-After": "2"}), FakeResponse(502), FakeResponse(504),
               FakeResponse(503, {"detail": "still down"})]
    made, session, sleeps = client(answers, retries=3, max_backoff=1.5)
    with pytest.raises(AuthentikError) as err:
        made.get("core/groups/")
    assert len(session.calls) == 4 and "HTTP 503" in err.value.msg
    assert sleeps == [1.5, 1.0, 1.5]  # Retry-After capped, then 1 s, then 2 s capped


def test_writes_are_never_retried():
    made, session, sleeps = client([FakeResponse(503, {"detail": "x"})])
    with pytest.raises(AuthentikError):
        made.request("POST", "core/groups/", payload={"name": "g"})
    assert len(session.calls) == 1 and sleeps == []
    made, session, sleeps = client([requests.exceptions.ConnectionError("reset")])
    with pytest.raises(AuthentikError) as err:
        made.request("PATCH", "core/groups/1/", payload={"name": "g"})
    assert len(session.calls) == 1 and "may or may not have been applied" in err.value.msg


# -- pagination and versions -------------------------------------------------------------------------
def page(results, current, following):
    return FakeResponse(200, {"pagination": {"next": following, "previous": max(current - 1, 0), "current": current},
                              "results": results, "autocomplete": {}})


def test_list_follows_page_numbers_until_next_is_zero():
    made, session, _sleeps = client([page([{"pk": 1}], 1, 2), page([{"pk": 2}], 2, 3), page([{"pk": 3}], 3, 0)])
    assert [obj["pk"] for obj in made.list("core/groups/", {"name": "x"})] == [1, 2, 3]
    assert [call[2]["page"] for call in session.calls] == [1, 2, 3]
    assert all(call[2]["page_size"] == 100 and call[2]["name"] == "x" for call in session.calls)


def test_version_read_once_and_older_releases_refused():
    made, session, _sleeps = client([FakeResponse(200, recorded("01-admin-version.json"))])
    assert made.dialect.version == (2025, 12, 4)
    assert made.dialect.version == (2025, 12, 4)
    assert len(session.calls) == 1
    made, _session, _sleeps = client([FakeResponse(200, {"version_current": "2024.4.2"})])
    with pytest.raises(AuthentikError, match="authentik 2024.4.2 is not supported: this collection needs authentik 2024.6"):
        made.dialect  # pylint: disable=pointless-statement


def test_url_forms_and_tls_settings(tmp_path, monkeypatch):
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("a CA\n")
    made = AuthentikClient("https://auth.example.com/api/v3/", TOKEN, session=FakeSession([]))
    assert made.api_url == "https://auth.example.com/api/v3/" and made.base_url == "https://auth.example.com"
    assert made.session.headers["Authorization"] == "Bearer " + TOKEN
    assert made.session.verify is True
    assert AuthentikClient("https://a", TOKEN, validate_certs=False, session=FakeSession([])).session.verify is False
    assert AuthentikClient("https://a", TOKEN, ca_path=str(ca_file), session=FakeSession([])).session.verify == str(ca_file)
    # ca_path wins over validate_certs=false (the collection's one TLS rule, _tls.py)
    assert AuthentikClient("https://a", TOKEN, ca_path=str(ca_file), validate_certs=False,
                           session=FakeSession([])).session.verify == str(ca_file)
    with pytest.raises(AuthentikError, match="ca_path /no/such/ca.pem does not exist"):
        AuthentikClient("https://a", TOKEN, ca_path="/no/such/ca.pem", session=FakeSession([]))
    with pytest.raises(AuthentikError, match="http:// or https://"):
        AuthentikClient("auth.example.com", TOKEN, session=FakeSession([]))


@pytest.mark.parametrize("options, expected", [
    ({"ca_path": "CA"}, "CA"),
    ({"validate_certs": False}, False),
    ({}, "BUNDLE"),
])
def test_verify_goes_with_every_request_so_the_environment_cannot_override_it(tmp_path, monkeypatch, options, expected):
    """requests prefers REQUESTS_CA_BUNDLE over a session's verify: the client passes verify with each request."""
    ca_file, bundle = tmp_path / "ca.pem", tmp_path / "bundle.pem"
    ca_file.write_text("a CA\n")
    bundle.write_text("a bundle\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    options = dict((key, str(ca_file) if value == "CA" else value) for key, value in options.items())
    session = FakeSession([FakeResponse(200, {"version_current": "2025.12.1"})] * 2)
    made = AuthentikClient("https://auth.example.com", TOKEN, session=session, **options)
    made.get("admin/version/")
    made.request("POST", "core/groups/", payload={"name": "g"})
    wanted = {"CA": str(ca_file), "BUNDLE": str(bundle)}.get(expected, expected)
    assert session.verified == [wanted, wanted]
