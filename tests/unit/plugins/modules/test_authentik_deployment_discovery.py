# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""authentik_deployment with check_discovery: the application's OpenID discovery endpoint is fetched before any write,
as MinIO fetches it; 200 is required for the deployment's own application, 200 or authentik's 404 otherwise.

The in-memory authentik of test_authentik_modules.py serves authentik's pages outside the API here as well.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_ownership import MARK_KEY, manifest_name
from ansible_collections.sso.authentik_minio.plugins.modules import authentik_deployment
from test_authentik_modules import BASE, FakeAuthentik, run  # pylint: disable=import-error

DEP = "minio-a"
URL = BASE + "/application/o/%s/.well-known/openid-configuration" % DEP
DOCUMENT = {"issuer": BASE + "/application/o/%s/" % DEP, "jwks_uri": BASE + "/application/o/%s/jwks/" % DEP}
NOT_FOUND = "<!DOCTYPE html><html><head><title>\nNot Found\n</title></head><body>The page does not exist</body></html>"


class Page:
    """An answer of authentik outside the API: a status and a body of text (HTML, JSON or anything)."""

    def __init__(self, status, text):
        self.status_code = status
        self.content = text.encode("utf-8")
        self.headers = {}

    def json(self):
        return json.loads(self.content.decode("utf-8"))


class FakeWithPages(FakeAuthentik):
    """The API as FakeAuthentik answers it; the pages outside /api/v3/ from ``pages`` (url -> Page), else a 404 page."""

    def __init__(self):
        super().__init__()
        self.pages = {}
        self.page_calls = []

    def request(self, method, url, params=None, json=None, timeout=None, verify=None, headers=None):  # pylint: disable=redefined-outer-name
        if url.startswith(BASE + "/api/v3/"):
            return super().request(method, url, params=params, json=json, timeout=timeout, verify=verify)
        self.page_calls.append((method, url, headers))
        return self.pages.get(url) or Page(404, NOT_FOUND)


@pytest.fixture
def fake():
    return FakeWithPages()


def own_application(fake_api):
    """An application the manifest of DEP lists: the deployment's own."""
    app = fake_api.obj(slug=DEP, name="MinIO", provider=None)
    fake_api.data["core/applications/"].append(app)
    fake_api.data["core/groups/"].append(fake_api.obj(name=manifest_name(DEP), users=[], is_superuser=False, attributes={
        MARK_KEY: {"manifest": DEP, "objects": {"application": [{"key": DEP, "pk": app["pk"]}]}}}))


def deployment(fake_api, capsys, **args):
    options = dict(name=DEP, objects=dict(application=DEP), check_discovery=True)
    options.update(args)
    return run(authentik_deployment, options, fake_api, capsys)


def test_the_document_of_our_application_is_fetched_without_the_token_and_returned(fake, capsys):
    own_application(fake)
    fake.pages[URL] = Page(200, json.dumps(DOCUMENT))
    result = deployment(fake, capsys)
    assert result.get("failed") is not True, result
    assert result["objects"]["application"] == {DEP: "ours"}
    assert result["discovery"] == dict(url=URL, status=200, issuer=DOCUMENT["issuer"])
    assert fake.page_calls == [("GET", URL, {"Authorization": None})], "the public page is fetched once, without the token"


def test_a_404_for_our_own_application_fails_before_any_write_naming_url_status_and_authentiks_words(fake, capsys):
    own_application(fake)
    check = dict(account="minio-sso-login-check-x1y2z3w4")
    result = deployment(fake, capsys, login_check=check)
    assert result.get("failed") is True
    assert fake.writes() == [], "the login check was recorded although the discovery endpoint failed"
    msg = result["msg"]
    assert URL in msg and "HTTP 404" in msg and "authentik said: Not Found" in msg
    assert "expected 200 for the deployment's own application minio-a" in msg and "nothing was written" in msg


def test_a_404_is_fine_for_an_application_authentik_does_not_serve_yet(fake, capsys):
    result = deployment(fake, capsys)
    assert result.get("failed") is not True, result
    assert result["objects"]["application"] == {DEP: "absent"}
    assert result["discovery"] == dict(url=URL, status=404, issuer=None)


@pytest.mark.parametrize("status, text, words", [
    (500, '{"detail": "Internal error in the provider"}', "authentik said: Internal error in the provider"),
    (403, "<html><head><title>Forbidden</title></head></html>", "authentik said: Forbidden"),
    (400, "", "authentik said nothing"),
])
def test_any_other_status_fails_even_for_an_application_that_does_not_exist_yet(fake, capsys, status, text, words):
    fake.pages[URL] = Page(status, text)
    result = deployment(fake, capsys)
    assert result.get("failed") is True and fake.writes() == []
    assert "%s answered HTTP %d (%s), expected 200 or 404" % (URL, status, words) in result["msg"]


def test_a_200_that_is_not_a_discovery_document_fails(fake, capsys):
    own_application(fake)
    fake.pages[URL] = Page(200, "<html><title>Welcome to nginx</title></html>")
    result = deployment(fake, capsys)
    assert result.get("failed") is True
    assert "answered HTTP 200 with something that is not a discovery document (authentik said: Welcome to nginx)" in result["msg"]


def test_without_check_discovery_nothing_outside_the_api_is_fetched(fake, capsys):
    own_application(fake)
    result = deployment(fake, capsys, check_discovery=False)
    assert result.get("failed") is not True and "discovery" not in result
    assert fake.page_calls == []
