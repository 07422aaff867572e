# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""minio_sso_login_check on every authentik dialect: the pass case with the S3 probe and a refused password on
each, and on the dialects the lifecycle tests cover, every other failure cause with its one line, zero writes in
consistency mode (the doubles' request logs), the probe of a readonly grant, and no secret in any output.

The modules run in this process (tests/module_runner.py), as the tasks of one play with module_defaults would run
them, one thing flipped at a time and put back. The flips are made on authentik's side where the cause is the same
(a secret or redirect URI that differs between the two), so that MinIO restarts once per dialect. The full cause
matrix runs on the lifecycle dialects, the pass case and one cause on the others; the probe's buckets are made and
looked at by the test itself.
"""

from __future__ import annotations

import pytest
from authentik.dialects import LATEST_PATCH
from minio import Minio
from authentik.login_fixture import LoginSetup
from harness import free_ports
from dialects import AUTHENTIK_DIALECTS as LIFECYCLE_DIALECTS  # tests/, on sys.path through tests/conftest.py
from login_check_support import configured_play

AUTHENTIK_TOKEN = "login-check-token-0123456789"
ROOT_USER = "login-check-root"
ROOT_PASSWORD = "login-check-root-password-0123"
CLIENT_SECRET = "login-check-client-secret-" + "k" * 30
MFA_PASSWORD = "mfa-user-password-0123456789"
WRONG_PASSWORD = "not-the-password-0123"
REDIRECT = "https://console.example.test/oauth_callback"
ELSEWHERE = "https://elsewhere.example.test/oauth_callback"
DIALECTS = ["%d.%d" % line for line in sorted(LATEST_PATCH)]
SECRETS = (AUTHENTIK_TOKEN, ROOT_PASSWORD, CLIENT_SECRET, MFA_PASSWORD, WRONG_PASSWORD)
PREFIX = "minio-sso-login-check-"
PROBE_BUCKET = "login-check-probe"
KEPT_BUCKET = PROBE_BUCKET + "-kept"
APPLICATION = "minio"
CLIENT_ID = "minio"
MAPPING = "minio-policy"
GROUP = "minio-users"
MFA_USER = "mfa-user"


def failed(name, result, cause, *words):
    """A failed task: its cause and its one-line message, with each of ``words`` in it."""
    assert result.get("failed") is True, "%s did not fail: %s" % (name, result.get("msg"))
    assert result["cause"] == cause, "%s: cause %s, msg %s" % (name, result.get("cause"), result.get("msg"))
    assert "\n" not in result["msg"]
    for word in words:
        assert word in result["msg"], "%s: %r not in %r" % (name, word, result["msg"])


def provider(play, secret, redirect_uris):
    """The provider of the application, with ``secret`` and ``redirect_uris`` (a no_log task)."""
    play.no_log("authentik_oauth2_provider", name=APPLICATION, client_id=CLIENT_ID, client_secret=secret,
                authorization_flow="default-provider-authorization-implicit-consent", redirect_uris=redirect_uris,
                property_mappings=[MAPPING])


def scope_mapping(play, expression):
    play("authentik_scope_mapping", name=MAPPING, scope_name="minio", expression=expression)


@pytest.mark.parametrize("version", DIALECTS)
def test_login_check_on_every_dialect(version, start_double):
    full = version in LIFECYCLE_DIALECTS
    authentik = start_double("authentik", "--token", AUTHENTIK_TOKEN, "--api-version", version)
    port, console_port = free_ports(2)  # distinct: the double cannot serve its API and its console on one port
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD, "--restart-outage", "0.2",
                         "--console-port", str(console_port), port=port)
    console_url = "http://127.0.0.1:%d" % console_port
    setup = LoginSetup(authentik.url, AUTHENTIK_TOKEN, slug=APPLICATION, client_id=CLIENT_ID, secret=CLIENT_SECRET,
                       redirect=REDIRECT, username=MFA_USER, password=MFA_PASSWORD)
    group = setup.bind_group(GROUP)
    setup.add_user(group, setup.user["pk"])
    setup.post("authenticators/admin/totp/", {"name": "phone", "user": setup.user["pk"]})
    s3 = Minio(minio.url.split("://", 1)[1], access_key=ROOT_USER, secret_key=ROOT_PASSWORD, secure=False)
    if full:
        s3.make_bucket(KEPT_BUCKET)
    # module_defaults: each group's connection, and the login check's own defaults on top of the MinIO group's
    play, _config_url = configured_play(authentik, AUTHENTIK_TOKEN, minio, ROOT_USER, ROOT_PASSWORD, APPLICATION, CLIENT_ID,
                                        CLIENT_SECRET, REDIRECT, groups=[GROUP], policies=["readwrite"])

    # the pass case and one cause, on every dialect
    ok = play("minio_sso_login_check", probe_bucket=PROBE_BUCKET)
    assert ok["proof"] == "login" and ok["path"] == "imitation" and ok["policies"] == ["readwrite"]
    assert ok["redirect_uri"] == REDIRECT and ok["redirect_source"] == "MinIO's redirect_uri"
    assert ok["changed"] is False and "MinIO granted readwrite" in ok["msg"]
    assert ok["can_read"] is True and ok["can_write"] is True
    assert ok["msg"].endswith("; probe in bucket %s: read allowed, write allowed" % PROBE_BUCKET)
    assert not s3.bucket_exists(PROBE_BUCKET), "the probe left the bucket it made"
    failed("wrong_password", play.failing("minio_sso_login_check", username=MFA_USER, password=WRONG_PASSWORD),
           "login_refused", "Invalid password")
    users = setup.get("core/users/", page_size=100)["results"]
    assert [u["username"] for u in users if u["username"].startswith(PREFIX)] == [], "a temporary user is left"
    if full:
        every_other_cause(play, authentik, minio, console_url, setup, s3)
    play.assert_not_shown(*SECRETS)
    play.assert_no_warnings()


def every_other_cause(play, authentik, minio, console_url, setup, s3):
    # zero writes in consistency mode, on both doubles
    marks = authentik.mark(), minio.mark()
    consistency = play("minio_sso_login_check", mode="consistency")
    assert consistency["proof"] == "consistency"
    assert authentik.writes_since(marks[0]) == [] and minio.writes_since(marks[1]) == [], "the consistency check wrote"

    console = play("minio_sso_login_check", console_url=console_url)
    assert console["path"] == "console" and console["policies"] == ["readwrite"]
    assert console["redirect_uri"] == REDIRECT and "through MinIO's console" in console["msg"]
    assert play("minio_sso_login_check", check_mode=True)["proof"] == "consistency"

    # every failure cause, one line each
    failed("access_denied", play.failing("minio_sso_login_check", groups=[]),
           "access_denied", "none of the application's access groups")
    failed("unsupported_stage", play.failing("minio_sso_login_check", username=MFA_USER, password=MFA_PASSWORD),
           "unsupported_stage", "ak-stage-authenticator-validate", "dedicated authentication flow")
    authentik.fault(path="openid-configuration", status=503, count=1)
    failed("discovery", play.failing("minio_sso_login_check"), "discovery", "discovery document", "503")
    authentik.fault(path="/jwks/", status=503, count=1)
    failed("jwks", play.failing("minio_sso_login_check", mode="consistency"), "jwks", "JWKS", "503")

    # the provider gets another client secret than MinIO's
    provider(play, "another-secret-%d-0123456789" % len(CLIENT_SECRET), [REDIRECT])
    failed("secret_login", play.failing("minio_sso_login_check"), "client_secret", "invalid_client", "client_secret differs")
    secret_console = play.failing("minio_sso_login_check", console_url=console_url)
    failed("secret_console", secret_console, "client_secret", "client_secret differs", "MinIO's console answered HTTP 401",
           "invalid_client")
    assert secret_console["path"] == "console"
    failed("secret_consistency", play.failing("minio_sso_login_check", mode="consistency"),
           "client_secret", "client_secret for client ID minio differs")

    # the provider gets MinIO's secret back, but allows another redirect URI only
    provider(play, CLIENT_SECRET, [ELSEWHERE])
    failed("redirect_login", play.failing("minio_sso_login_check"),
           "redirect_uri", REDIRECT, "is not one the provider of client ID minio allows")
    failed("redirect_console", play.failing("minio_sso_login_check", console_url=console_url),
           "redirect_uri", REDIRECT, "as MinIO's console at %s sends it" % console_url)
    failed("redirect_consistency", play.failing("minio_sso_login_check", mode="consistency"), "redirect_uri", REDIRECT, ELSEWHERE)
    provider(play, CLIENT_SECRET, [REDIRECT])

    scope_mapping(play, "return {}")
    failed("claim_missing", play.failing("minio_sso_login_check"), "policy_claim", "no policy claim")
    scope_mapping(play, 'return {"policy": "no-such-policy"}')
    failed("unknown_policy", play.failing("minio_sso_login_check"), "unknown_policy", "no-such-policy")
    failed("unknown_policy_consistency", play.failing("minio_sso_login_check", mode="consistency", policies=["no-such-policy"]),
           "unknown_policy", "no-such-policy")

    # the readonly grant, probed in a bucket that existed: read allowed, write denied, the bucket kept and emptied
    scope_mapping(play, 'return {"policy": "readonly"}')
    readonly = play("minio_sso_login_check", policies=["readonly"], probe_bucket=KEPT_BUCKET)
    assert readonly["policies"] == ["readonly"] and readonly["can_read"] is True and readonly["can_write"] is False
    assert s3.bucket_exists(KEPT_BUCKET), "the probe removed a bucket it did not make"
    assert list(s3.list_objects(KEPT_BUCKET, recursive=True)) == [], "the probe left objects behind"
    users = setup.get("core/users/", page_size=100)["results"]
    assert [u["username"] for u in users if u["username"].startswith(PREFIX)] == [], "a temporary user is left"
