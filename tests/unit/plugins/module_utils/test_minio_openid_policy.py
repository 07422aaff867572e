# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""identity_openid planning, policy normalisation and the bounded health wait, without a server."""

from __future__ import annotations

from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_admin as admin  # noqa: E402
from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_openid as oidc  # noqa: E402
from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_policy as pol  # noqa: E402

STORED = {
    "display_name": "",
    "config_url": "http://idp/.well-known/openid-configuration",
    "client_id": "minio",
    "client_secret": "old-secret",
    "claim_name": "policy",
    "claim_userinfo": "",
    "redirect_uri_dynamic": "off",
    "scopes": "openid,profile",
}


# -- identity_openid planning ------------------------------------------------------------------------
def test_same_values_plan_nothing_even_when_written_differently():
    desired = {"scopes": "profile,openid", "claim_userinfo": "off", "client_secret": "old-secret", "client_id": "minio"}
    changes, _after = oidc.plan_present(STORED, desired, enabled=True)
    assert changes == []


def test_keys_the_export_hides_compare_as_their_defaults():
    # SubsysInfo.WriteTo leaves out empty claim_prefix/redirect_uri and enable=on
    desired = {"redirect_uri": "", "claim_prefix": "", "claim_name": "policy", "redirect_uri_dynamic": "off"}
    stored = dict(STORED)
    del stored["claim_name"], stored["redirect_uri_dynamic"]
    assert oidc.plan_present(stored, desired, enabled=True)[0] == []
    assert oidc.plan_present(stored, {"redirect_uri": "https://c/cb"}, enabled=True)[0] == [("redirect_uri", "https://c/cb")]


def test_only_the_secret_changed_is_detected_and_sent_alone():
    changes, after = oidc.plan_present(STORED, {"client_id": "minio", "client_secret": "new-secret"}, enabled=True)
    assert changes == [("client_secret", "new-secret")]
    assert after["client_secret"] == "new-secret"


def test_create_sends_every_given_key_without_enable():
    desired = {"config_url": "http://idp/c", "client_id": "minio", "client_secret": "s"}
    changes, _after = oidc.plan_present({}, desired, enabled=True)
    assert [k for k, _v in changes] == ["config_url", "client_id", "client_secret"]


def test_disabled_target_sends_enable_off_with_every_change():
    stored = dict(STORED, enable="off")
    assert oidc.plan_present(stored, {"client_id": "minio"}, enabled=False)[0] == []
    changes, _after = oidc.plan_present(stored, {"display_name": "X"}, enabled=False)
    assert changes == [("enable", "off"), ("display_name", "X")]
    changes, _after = oidc.plan_present(STORED, {}, enabled=False)
    assert changes == [("enable", "off")]


def test_re_enabling_sends_enable_on():
    changes, _after = oidc.plan_present(dict(STORED, enable="off"), {}, enabled=True)
    assert changes == [("enable", "on")]


def test_diff_view_redacts_the_secret_and_marks_its_change():
    assert oidc.diff_view(STORED)["client_secret"] == oidc.REDACTED
    view = oidc.diff_view(dict(STORED, client_secret="new"), secret_changed=True)
    assert view["client_secret"] == oidc.REDACTED_CHANGED
    assert "old-secret" not in repr(view) and "new" != view["client_secret"]
    assert view["enable"] == "on"
    assert oidc.diff_view({}) == {}


def entry(**values):
    return {"values": values, "commented": False, "env": {}}


def test_running_as_stored_has_nothing_pending_whatever_the_spelling_and_the_secret():
    stored = entry(config_url="http://a/", client_id="a", client_secret="new-secret", scopes="openid,email")
    running = entry(config_url="http://a/", client_id="a", scopes="email, openid", claim_name="policy")
    assert oidc.pending_keys("_", stored, running) == []  # a pending secret alone cannot be seen


def test_keys_stored_without_a_restart_are_pending():
    stored = entry(config_url="http://a/", client_id="a", scopes="openid", display_name="New")
    running = entry(config_url="http://a/", client_id="a", scopes="openid,email")
    assert oidc.pending_keys("_", stored, running) == ["display_name", "scopes"]
    assert oidc.pending_keys("t", entry(config_url="http://a/", client_id="a", enable="off"),
                             entry(config_url="http://a/", client_id="a")) == ["enable"]


def test_a_target_stored_but_not_running_or_the_reverse_is_pending():
    configured = entry(config_url="http://a/", client_id="a", client_secret="s")
    assert oidc.pending_keys("t", configured, None) == ["enable", "config_url", "client_id"]
    assert oidc.pending_keys("t", None, entry(config_url="http://a/", client_id="a")) == ["enable", "config_url", "client_id"]
    assert oidc.pending_keys("_", entry(), entry()) == []  # the default target with defaults only is not configured
    assert oidc.pending_keys("t", None, None) == []


def test_default_target_exists_only_with_a_provider():
    assert not oidc.target_exists("_", None)
    assert not oidc.target_exists("_", {"values": {"config_url": "", "claim_name": "policy"}, "commented": True})
    assert oidc.target_exists("_", {"values": STORED, "commented": False})
    assert oidc.target_exists("named", {"values": {"enable": "off", "config_url": ""}, "commented": True})
    # switched off on purpose without a provider: exists, so that enabled=false is idempotent
    assert oidc.target_exists("_", {"values": {"enable": "off", "config_url": ""}, "commented": True})


def test_list_and_bool_values():
    assert oidc.to_kv_value("scopes", ["openid", " email "]) == "openid,email"
    assert oidc.to_kv_value("redirect_uri_dynamic", True) == "on"
    assert oidc.to_kv_value("claim_userinfo", False) == "off"
    assert oidc.check_list_items("scopes", ["openid", ""]) is not None
    assert oidc.check_list_items("scopes", ["a,b"]) is not None
    assert oidc.check_list_items("role_policy", ["readonly", "diagnostics"]) is None


# -- policies ---------------------------------------------------------------------------------------
def test_policy_normalisation_ignores_spelling_but_not_meaning():
    given = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Sid": ""},
            {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": ["arn:aws:s3:::b"]},
        ],
    }
    stored = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b"]},
            {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]},
        ],
    }
    assert pol.same(given, stored)
    changed = dict(stored, Statement=[dict(stored["Statement"][0], Effect="Deny"), stored["Statement"][1]])
    assert not pol.same(given, changed)


def test_policy_load_accepts_dict_and_json_text_only():
    text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*"}]}'
    assert pol.load(text)["Version"] == "2012-10-17"
    for bad in ("not json", "[1, 2]", 5, '{"Version": "2012-10-17", "Statement": []}'):
        try:
            pol.load(bad)
        except pol.PolicyError:
            continue
        raise AssertionError("accepted %r" % (bad,))


# -- the bounded wait after a restart ----------------------------------------------------------------
class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def _client_with(answers, clock):
    client = admin.MinioAdminClient("http://127.0.0.1:1", "root", "rootsecret", timeout=5)
    seq = iter(answers)

    def health(_timeout=None):
        clock.now += 0.01
        return next(seq, answers[-1])

    client.cluster_health = health
    return client


def test_wait_needs_down_then_up():
    clock = FakeClock()
    client = _client_with([(200, "HTTP 200"), (None, "no answer"), (503, "HTTP 503 x-minio-server-status: iam-offline"), (200, "HTTP 200")], clock)
    waited = client.wait_healthy(30, clock=clock, sleep=clock.sleep)
    assert waited["healthy"] and waited["seen_down"]
    assert 1.0 <= waited["waited"] < 3


def test_wait_gives_up_within_the_timeout_reporting_the_last_answer():
    clock = FakeClock()
    client = _client_with([(503, "HTTP 503 x-minio-server-status: iam-offline")], clock)
    waited = client.wait_healthy(10, clock=clock, sleep=clock.sleep)
    assert not waited["healthy"]
    assert "iam-offline" in waited["last"]
    assert 10 <= waited["waited"] < 11


def test_a_server_never_seen_down_is_trusted_only_after_the_grace():
    clock = FakeClock()
    client = _client_with([(200, "HTTP 200")], clock)
    waited = client.wait_healthy(30, clock=clock, sleep=clock.sleep)
    assert waited["healthy"] and not waited["seen_down"]
    assert admin.DOWN_GRACE <= waited["waited"] < admin.DOWN_GRACE + 1


def test_error_bodies_keep_minios_words():
    err = admin.parse_error_body("400", b'{"Code":"XMinioAdminConfigBadJSON","Message":"Get \\"http://x\\": dial tcp: refused","Resource":"/r"}\n')
    assert err.code == "XMinioAdminConfigBadJSON"
    assert str(err) == 'HTTP 400 XMinioAdminConfigBadJSON: Get "http://x": dial tcp: refused'
    assert str(admin.parse_error_body("502", b"Bad gateway")) == "HTTP 502: Bad gateway"


def test_url_must_be_a_base_url():
    for bad in ("ftp://x", "127.0.0.1:9000", "http://h:1/path"):
        try:
            admin.MinioAdminClient(bad, "a", "b")
        except admin.MinioError:
            continue
        raise AssertionError("accepted %r" % bad)
