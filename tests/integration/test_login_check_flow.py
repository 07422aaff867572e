# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""minio_sso_login_check on every authentik dialect: the pass case with the S3 probe and a refused password on
each, and on the dialects the lifecycle tests cover, every other failure cause with its one line, zero writes in
consistency mode (the doubles' request logs), the probe of a readonly grant, and no secret in any output.

One playbook per dialect (playbooks/login_check_flow.yml) flips one thing at a time and puts it back. The flips are
made on authentik's side where the cause is the same (a secret or redirect URI that differs between the two), so
that MinIO restarts once per run. Most of a run is Ansible starting each task (about a second each), so the full
cause matrix (about 30 tasks) runs on the lifecycle dialects only, the pass case and one cause (4 tasks) on the
others, and the probe's buckets are made and looked at by the test itself.
"""

from __future__ import annotations

import json
import os

import pytest
from authentik.dialects import LATEST_PATCH
from minio import Minio
from authentik.login_fixture import LoginSetup
from harness import free_ports
from dialects import AUTHENTIK_DIALECTS as LIFECYCLE_DIALECTS  # tests/, on sys.path through tests/conftest.py

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOK = os.path.join(HERE, "playbooks", "login_check_flow.yml")
AUTHENTIK_TOKEN = "login-check-token-0123456789"
ROOT_USER = "login-check-root"
ROOT_PASSWORD = "login-check-root-password-0123"
CLIENT_SECRET = "login-check-client-secret-" + "k" * 30
MFA_PASSWORD = "mfa-user-password-0123456789"
REDIRECT = "https://console.example.test/oauth_callback"
DIALECTS = ["%d.%d" % line for line in sorted(LATEST_PATCH)]
SECRETS = (AUTHENTIK_TOKEN, ROOT_PASSWORD, CLIENT_SECRET, MFA_PASSWORD, "not-the-password-0123")
PREFIX = "minio-sso-login-check-"
PROBE_BUCKET = "login-check-probe"
KEPT_BUCKET = PROBE_BUCKET + "-kept"


def writes(log):
    return [e for e in log if e["method"] not in ("GET", "HEAD", "OPTIONS")]


@pytest.mark.parametrize("version", DIALECTS)
def test_login_check_on_every_dialect(version, start_double, playbook, tmp_path):
    full = version in LIFECYCLE_DIALECTS
    authentik = start_double("authentik", "--token", AUTHENTIK_TOKEN, "--api-version", version)
    port, console_port = free_ports(2)  # distinct: the double cannot serve its API and its console on one port
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD, "--restart-outage", "0.2",
                         "--console-port", str(console_port), port=port)
    console_url = "http://127.0.0.1:%d" % console_port
    setup = LoginSetup(authentik.url, AUTHENTIK_TOKEN, slug="minio", client_id="minio", secret=CLIENT_SECRET,
                       redirect=REDIRECT, username="mfa-user", password=MFA_PASSWORD)
    group = setup.bind_group("minio-users")
    setup.add_user(group, setup.user["pk"])
    setup.post("authenticators/admin/totp/", {"name": "phone", "user": setup.user["pk"]})
    s3 = Minio(minio.url.split("://", 1)[1], access_key=ROOT_USER, secret_key=ROOT_PASSWORD, secure=False)
    if full:
        s3.make_bucket(KEPT_BUCKET)
    out = tmp_path / "results.json"
    run = playbook(PLAYBOOK, dict(
        authentik_url=authentik.url, authentik_token=AUTHENTIK_TOKEN, minio_url=minio.url, minio_access_key=ROOT_USER,
        minio_secret_key=ROOT_PASSWORD, application="minio", client_id="minio", client_secret=CLIENT_SECRET,
        redirect_uri=REDIRECT, mapping="minio-policy", group="minio-users", mfa_user="mfa-user",
        mfa_password=MFA_PASSWORD, console_url=console_url, probe_bucket=PROBE_BUCKET, full_matrix=full,
        out_file=str(out)), args=("-v",))
    results = json.loads(out.read_text())
    for secret in SECRETS:
        assert secret not in run.output and secret not in json.dumps(results), "a secret leaked (%s...)" % secret[:6]

    def failed(name, cause, *words):
        result = results[name]
        assert result.get("failed") is True, "%s did not fail: %s" % (name, result.get("msg"))
        assert result["cause"] == cause, "%s: cause %s, msg %s" % (name, result.get("cause"), result.get("msg"))
        assert "\n" not in result["msg"]
        for word in words:
            assert word in result["msg"], "%s: %r not in %r" % (name, word, result["msg"])

    # the pass case and one cause, on every dialect
    ok = results["login_ok"]
    assert ok.get("failed") is not True, ok.get("msg")
    assert ok["proof"] == "login" and ok["path"] == "imitation" and ok["policies"] == ["readwrite"]
    assert ok["redirect_uri"] == REDIRECT and ok["redirect_source"] == "MinIO's redirect_uri"
    assert ok["changed"] is False and "MinIO granted readwrite" in ok["msg"]
    assert ok["can_read"] is True and ok["can_write"] is True
    assert ok["msg"].endswith("; probe in bucket %s: read allowed, write allowed" % PROBE_BUCKET)
    assert not s3.bucket_exists(PROBE_BUCKET), "the probe left the bucket it made"
    failed("wrong_password", "login_refused", "Invalid password")
    users = setup.get("core/users/", page_size=100)["results"]
    assert [u["username"] for u in users if u["username"].startswith(PREFIX)] == [], "a temporary user is left"
    if not full:
        return
    # the readonly grant, probed in a bucket that existed: read allowed, write denied, the bucket kept and emptied
    readonly = results["probe_readonly"]
    assert readonly.get("failed") is not True, readonly.get("msg")
    assert readonly["policies"] == ["readonly"] and readonly["can_read"] is True and readonly["can_write"] is False
    assert s3.bucket_exists(KEPT_BUCKET), "the probe removed a bucket it did not make"
    assert list(s3.list_objects(KEPT_BUCKET, recursive=True)) == [], "the probe left objects behind"
    console = results["console_ok"]
    assert console.get("failed") is not True, console.get("msg")
    assert console["path"] == "console" and console["policies"] == ["readwrite"]
    assert console["redirect_uri"] == REDIRECT and "through MinIO's console" in console["msg"]
    consistency = results["consistency_ok"]
    assert consistency.get("failed") is not True, consistency.get("msg")
    assert consistency["proof"] == "consistency"
    assert results["login_check_mode"]["proof"] == "consistency"
    # zero writes in consistency mode, on both doubles
    authentik_log, minio_log = results["logs"]
    assert authentik_log and minio_log, "the consistency check read nothing?"
    assert writes(authentik_log) == [] and writes(minio_log) == []
    # every failure cause, one line each
    failed("access_denied", "access_denied", "none of the application's access groups")
    failed("unsupported_stage", "unsupported_stage", "ak-stage-authenticator-validate", "dedicated authentication flow")
    failed("discovery", "discovery", "discovery document", "503")
    failed("jwks", "jwks", "JWKS", "503")
    failed("secret_login", "client_secret", "invalid_client", "client_secret differs")
    failed("secret_console", "client_secret", "client_secret differs", "MinIO's console answered HTTP 401", "invalid_client")
    assert results["secret_console"]["path"] == "console"
    failed("secret_consistency", "client_secret", "client_secret for client ID minio differs")
    failed("redirect_login", "redirect_uri", REDIRECT, "is not one the provider of client ID minio allows")
    failed("redirect_console", "redirect_uri", REDIRECT, "as MinIO's console at %s sends it" % console_url)
    failed("redirect_consistency", "redirect_uri", REDIRECT, "https://elsewhere.example.test/oauth_callback")
    failed("claim_missing", "policy_claim", "no policy claim")
    failed("unknown_policy", "unknown_policy", "no-such-policy")
    failed("unknown_policy_consistency", "unknown_policy", "no-such-policy")
    users = setup.get("core/users/", page_size=100)["results"]
    assert [u["username"] for u in users if u["username"].startswith(PREFIX)] == [], "a temporary user is left"
