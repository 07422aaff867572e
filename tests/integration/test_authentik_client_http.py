# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The authentik client over real HTTP against the double: retries, faults, pagination, auth errors.

No ansible-playbook here: the client is driven directly, so these checks cost a fraction of a second.
"""

from __future__ import annotations


import pytest


from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import (  # noqa: E402
    AuthentikClient,
    AuthentikError,
)

TOKEN = "client-http-token-0123456789abcdef"


@pytest.fixture
def double(start_double):
    return start_double("authentik", "--token", TOKEN)


def client(double, token=TOKEN):
    return AuthentikClient(double.url, token, timeout=5, backoff=0.05, max_backoff=0.1)


def test_reads_survive_transient_errors_within_the_bound(double):
    double.fault(method="GET", path="^/api/v3/core/groups/", status=503, count=2)
    double.fault(method="GET", path="^/api/v3/core/users/", drop=True, count=1)
    made = client(double)
    assert made.list("core/groups/") is not None
    assert made.list("core/users/", {"username": "akadmin"})[0]["username"] == "akadmin"
    statuses = [entry["status"] for entry in double.requests() if entry["path"] == "/api/v3/core/groups/"]
    assert statuses == [503, 503, 200]


def test_reads_give_up_after_the_bound(double):
    double.fault(method="GET", path="^/api/v3/core/groups/", status=502, count=10)
    with pytest.raises(AuthentikError, match="HTTP 502"):
        client(double).list("core/groups/")
    assert len([e for e in double.requests() if e["path"] == "/api/v3/core/groups/"]) == 4  # 1 + 3 retries


def test_a_write_is_sent_once_even_when_its_answer_is_lost(double):
    double.fault(method="POST", path="^/api/v3/core/groups/", drop=True, after=True, count=1)
    with pytest.raises(AuthentikError, match="may or may not have been applied"):
        client(double).request("POST", "core/groups/", payload={"name": "once"})
    # the double logs a served-then-dropped request twice: once as served, once as dropped
    posts = [e["status"] for e in double.requests() if e["method"] == "POST"]
    assert posts == [201, "dropped"]
    # the write did happen: running again (as the message suggests) finds it instead of creating a twin
    found = client(double).list("core/groups/", {"name": "once"})
    assert [g["name"] for g in found] == ["once"]


def test_pagination_reads_every_page(double):
    made = client(double)
    for index in range(105):
        made.request("POST", "core/groups/", payload={"name": "page-test-%03d" % index})
    double.clear_requests()
    names = [g["name"] for g in made.list("core/groups/")]
    assert len([n for n in names if n.startswith("page-test-")]) == 105
    assert len(set(names)) == len(names)
    pages = [e for e in double.requests() if e["path"] == "/api/v3/core/groups/"]
    assert len(pages) == 2


def test_a_bad_token_is_a_clear_403_without_the_token(double):
    with pytest.raises(AuthentikError) as err:
        client(double, token="wrong-token-abcdef").dialect  # pylint: disable=expression-not-assigned
    assert "HTTP 403: Token invalid/expired" in err.value.msg
    assert "the token is invalid or lacks the rights" in err.value.msg
    assert "wrong-token-abcdef" not in err.value.msg


def test_version_is_read_once_per_client(double):
    made = client(double)
    assert made.dialect.version == (2025, 12, 4)
    made.list("core/groups/")
    assert made.dialect.redirect_uris_list
    assert len([e for e in double.requests() if e["path"] == "/api/v3/admin/version/"]) == 1
