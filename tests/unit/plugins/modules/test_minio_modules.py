# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MinIO modules in-process: plan, comparison, diff, redaction, MinIO's words in failures, check mode.

The admin client and the S3 client are replaced by in-memory fakes that answer as MinioAdminClient and S3Client do
(their wire behaviour is covered by the integration tests against the MinIO double); the STS login goes through the
real transport with a fake urllib3 pool.
"""

from __future__ import annotations

import ast
import base64
import copy
import json
import os
import sys
import time
from unittest import mock

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_kv as kv
from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_module, _minio_transport
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import MinioError
from ansible_collections.sso.authentik_minio.plugins.modules import (
    minio_bucket,
    minio_identity_openid,
    minio_info,
    minio_policy,
    minio_sts_login,
)

MINIO = dict(url="http://127.0.0.1:9000", access_key="root", secret_key="root-secret-0123456789")
SECRET = "client-secret-abcdefghijklmnopqrstuvwxyz"
PROVIDER = dict(config_url="https://idp.example/application/o/minio/.well-known/openid-configuration", client_id="minio",
                client_secret=SECRET)
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}]}
MODULES_DIR = os.path.join(os.path.dirname(os.path.abspath(minio_policy.__file__)))


@pytest.fixture(autouse=True)
def no_earlier_warnings():
    """AnsibleModule keeps warnings in a process-wide store: start and end each test without any."""
    from ansible.module_utils.common import warnings as ansible_warnings

    ansible_warnings._global_warnings.clear()  # pylint: disable=protected-access
    yield
    ansible_warnings._global_warnings.clear()  # pylint: disable=protected-access


# -- fakes ------------------------------------------------------------------------------------------------------
class FakeAdmin:
    """MinioAdminClient's methods over in-memory targets: ``stored`` (what the export shows) and ``running``
    (what get-config-kv shows: the stored config as of the last restart, without secrets)."""

    url = MINIO["url"]

    def __init__(self, stored=None, env=None):
        self.stored = copy.deepcopy(stored or {})
        self.running = copy.deepcopy(self.stored)
        self.env = env or {}  # target -> {key: env name}
        self.policies = {}
        self.calls = []
        self.errors = {}  # method -> MinioError raised once

    def _called(self, name, *args):
        self.calls.append((name,) + args)
        if name in self.errors:
            raise self.errors.pop(name)

    @staticmethod
    def _text(targets, env=None, secrets=True):
        lines = []
        for name, values in targets.items():
            for env_name in sorted((env or {}).get(name, {}).values()):
                lines.append("# %s=something" % env_name)
            pairs = [(k, v) for k, v in values.items() if secrets or k != "client_secret"]
            lines.append(kv.format_set_line(kv.target_key(name), pairs) if pairs else kv.target_key(name))
        return "\n".join(lines)

    def get_config_export(self):
        self._called("get_config_export")
        return self._text(self.stored)

    def get_running_config(self):
        self._called("get_running_config")
        return self._text(self.running, self.env, secrets=False)

    def set_config_kv(self, target, formatted):
        self._called("set_config_kv", target, dict(formatted))
        name = target.split(":", 1)[1] if ":" in target else kv.DEFAULT_TARGET
        values = self.stored.setdefault(name, {})
        values.update(kv.parse_kvs(" ".join("%s=%s" % item for item in formatted.items())))
        if "enable" not in formatted:
            values.pop("enable", None)  # a set without enable turns the target on

    def del_config_kv(self, target):
        self._called("del_config_kv", target)
        self.stored.pop(target.split(":", 1)[1] if ":" in target else kv.DEFAULT_TARGET, None)

    def restart(self):
        self._called("restart")
        self.running = copy.deepcopy(self.stored)

    def wait_healthy(self, timeout):
        self._called("wait_healthy", timeout)
        return dict(healthy=True, waited=0.5, seen_down=True, last="HTTP 200")

    def policy_info(self, name):
        self._called("policy_info", name)
        return copy.deepcopy(self.policies.get(name))

    def policy_add(self, name, policy):
        self._called("policy_add", name)
        self.policies[name] = copy.deepcopy(policy)

    def policy_remove(self, name):
        self._called("policy_remove", name)
        self.policies.pop(name)

    def writes(self):
        return [call for call in self.calls if call[0] in ("set_config_kv", "del_config_kv", "restart", "policy_add", "policy_remove")]


class FakeS3:
    """S3Client's methods over in-memory buckets, for one set of credentials; ``errors``: method -> MinioError raised."""

    def __init__(self, buckets=None):
        self.buckets = buckets if buckets is not None else {}
        self.calls = []
        self.errors = {}

    def _called(self, name, *args):
        self.calls.append((name,) + args)
        if name in self.errors:
            raise self.errors[name]

    def bucket_exists(self, bucket):
        self._called("bucket_exists", bucket)
        return bucket in self.buckets

    def object_names(self, bucket):
        self._called("object_names", bucket)
        return sorted(self.buckets[bucket])

    def make_bucket(self, bucket):
        self._called("make_bucket", bucket)
        self.buckets[bucket] = {}

    def remove_bucket(self, bucket):
        self._called("remove_bucket", bucket)
        del self.buckets[bucket]

    def put_object(self, bucket, key, data):
        self._called("put_object", bucket, key)
        self.buckets[bucket][key] = data

    def read_object(self, bucket, key):
        self._called("read_object", bucket, key)
        return self.buckets[bucket][key]

    def remove_object(self, bucket, key):
        self._called("remove_object", bucket, key)
        self.buckets[bucket].pop(key, None)

    def writes(self):
        return [call for call in self.calls if call[0] in ("make_bucket", "remove_bucket", "put_object", "remove_object")]


def run(module, options, capsys, admin=None, s3=None, check=False, diff=True, pool=None):
    """Run ``module`` in-process; ``s3`` is one FakeS3 or a dict credentials' access key -> FakeS3."""
    params = dict(MINIO, _ansible_check_mode=check, _ansible_diff=diff)
    params.update(options)

    def s3_client(_transport, credentials, _region, retry=None):
        return s3[credentials[0]] if isinstance(s3, dict) else s3

    patches = [mock.patch.object(_minio_module, "MinioAdminClient", lambda *a, **k: admin),
               mock.patch.object(_minio_module, "S3Client", s3_client)]
    if pool is not None:
        patches.append(mock.patch.object(_minio_transport.urllib3, "PoolManager", lambda **kw: pool))
    with patch_module_args(params):
        for patch in patches:
            patch.start()
        try:
            with pytest.raises(SystemExit):
                module.main()
        finally:
            for patch in patches:
                patch.stop()
    return json.loads(capsys.readouterr().out)


def warnings_of(result):
    return [w if isinstance(w, str) else (w.get("event") or {}).get("msg", "") for w in result.get("warnings", [])]


# -- each module's main() stays thin ----------------------------------------------------------------------------
def _main_lengths():
    lengths = {}
    for filename in sorted(os.listdir(MODULES_DIR)):
        if filename.startswith("minio_") and filename.endswith(".py"):
            with open(os.path.join(MODULES_DIR, filename)) as handle:
                tree = ast.parse(handle.read())
            mains = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "main"]
            lengths[filename] = mains[0].end_lineno - mains[0].lineno + 1 if mains else None
    return lengths


def test_every_minio_module_has_a_main_under_40_lines():
    lengths = _main_lengths()
    assert set(lengths) == {"minio_bucket.py", "minio_identity_openid.py", "minio_info.py", "minio_policy.py",
                            "minio_sso_login_check.py", "minio_sts_login.py"}, lengths
    assert all(length is not None and length < 40 for length in lengths.values()), lengths


def test_the_main_length_check_sees_a_long_main(tmp_path, monkeypatch):
    long_main = "def main():\n" + "    x = 1\n" * 45
    (tmp_path / "minio_long.py").write_text(long_main)
    monkeypatch.setattr(sys.modules[__name__], "MODULES_DIR", str(tmp_path))
    assert _main_lengths() == {"minio_long.py": 46}


# -- minio_identity_openid ------------------------------------------------------------------------------------
def test_create_sends_every_given_key_once_restarts_and_redacts_the_secret(capsys):
    admin = FakeAdmin()
    result = run(minio_identity_openid, dict(PROVIDER, scopes=["openid", "profile"], claim_userinfo=True), capsys, admin)
    assert result["changed"] is True and result["restarted"] is True, result
    sent = [call for call in admin.writes() if call[0] == "set_config_kv"]
    assert len(sent) == 1 and sent[0][1] == "identity_openid"
    assert sent[0][2] == {"config_url": PROVIDER["config_url"], "client_id": "minio", "client_secret": SECRET,
                          "claim_userinfo": "on", "scopes": "openid,profile"}
    assert result["config"]["client_secret"] == "********" and result["diff"]["before"] == {}
    assert result["changed_keys"] == ["config_url", "client_id", "client_secret", "claim_userinfo", "scopes"]
    assert result["msg"].startswith("identity_openid created (config_url, client_id, client_secret, claim_userinfo, scopes)")
    assert SECRET not in json.dumps(result)


def test_the_same_values_written_differently_change_nothing(capsys):
    admin = FakeAdmin({"_": dict(PROVIDER, scopes="profile,openid", claim_name="policy")})
    result = run(minio_identity_openid, dict(PROVIDER, scopes=["openid", "profile"], claim_name="policy",
                                             redirect_uri_dynamic=False), capsys, admin)
    assert result["changed"] is False and result["changed_keys"] == [] and admin.writes() == [], result
    assert result["msg"] == "identity_openid is up to date"


def test_a_changed_secret_alone_is_sent_alone_and_marked_in_the_diff(capsys):
    admin = FakeAdmin({"_": dict(PROVIDER, client_secret="the-old-secret-0123")})
    result = run(minio_identity_openid, dict(PROVIDER, restart=False), capsys, admin)
    assert result["changed"] is True and result["changed_keys"] == ["client_secret"] and result["restart_required"] is True
    assert result["diff"]["before"]["client_secret"] == "********"
    assert result["diff"]["after"]["client_secret"] == "******** (changed)"
    assert [call[0] for call in admin.writes()] == ["set_config_kv"]  # restart=false: no restart
    out = json.dumps(result)
    assert SECRET not in out and "the-old-secret-0123" not in out


def test_check_mode_plans_the_same_and_writes_nothing(capsys):
    admin = FakeAdmin({"_": dict(PROVIDER, display_name="old")})
    result = run(minio_identity_openid, dict(PROVIDER, display_name="Log in"), capsys, admin, check=True)
    assert result["changed"] is True and result["changed_keys"] == ["display_name"] and result["restart_required"] is True
    assert result["diff"]["after"]["display_name"] == "Log in" and result["diff"]["before"]["display_name"] == "old"
    assert admin.writes() == []


def test_a_disabled_target_keeps_enable_off_with_every_change(capsys):
    admin = FakeAdmin({"ro": dict(PROVIDER, role_policy="readonly", enable="off")})
    result = run(minio_identity_openid, dict(name="ro", enabled=False, display_name="x", restart=False), capsys, admin)
    assert admin.writes()[0][1:] == ("identity_openid:ro", {"enable": "off", "display_name": "x"}), admin.writes()
    assert result["config"]["enable"] == "off"


def test_a_change_stored_without_a_restart_is_found_and_restarted(capsys):
    admin = FakeAdmin({"_": dict(PROVIDER, display_name="new")})
    admin.running["_"]["display_name"] = "old"
    result = run(minio_identity_openid, dict(PROVIDER, display_name="new"), capsys, admin)
    assert result["pending_keys"] == ["display_name"] and result["changed"] is True and result["restarted"] is True
    assert [call[0] for call in admin.writes()] == ["restart"]
    admin.running["_"]["display_name"] = "old"
    result = run(minio_identity_openid, dict(PROVIDER, display_name="new", restart=False), capsys, admin)
    assert result["changed"] is False and result["restart_required"] is True
    assert any("does not run with it yet" in w for w in warnings_of(result)), result


def test_creating_without_the_required_keys_is_refused_before_any_write(capsys):
    admin = FakeAdmin()
    result = run(minio_identity_openid, dict(config_url=PROVIDER["config_url"], client_id="minio"), capsys, admin)
    assert result["failed"] is True and result["msg"] == "identity_openid does not exist yet; creating it needs client_secret"
    assert admin.writes() == []


def test_role_policy_with_another_claim_name_is_refused_naming_both(capsys):
    admin = FakeAdmin({"_": dict(PROVIDER, claim_name="groups")})
    result = run(minio_identity_openid, dict(role_policy=["readonly"]), capsys, admin)
    assert result["failed"] is True and "claim_name 'groups' and role_policy" in result["msg"] and admin.writes() == []


def test_minios_refusal_fails_the_task_in_its_words_and_names_config_url(capsys):
    admin = FakeAdmin()
    admin.errors["set_config_kv"] = MinioError(
        "setting identity_openid failed: HTTP 400 XMinioAdminConfigBadJSON: Get \"%s\": dial tcp: connection refused"
        % PROVIDER["config_url"], status="400", code="XMinioAdminConfigBadJSON",
        server_message="Get \"%s\": dial tcp: connection refused" % PROVIDER["config_url"])
    result = run(minio_identity_openid, PROVIDER, capsys, admin)
    assert result["failed"] is True and result["changed"] is False, result
    assert "HTTP 400 XMinioAdminConfigBadJSON" in result["msg"] and "dial tcp" in result["msg"]
    assert "could not load the OpenID provider from config_url %s" % PROVIDER["config_url"] in result["msg"]
    assert result["changed_keys"] == ["config_url", "client_id", "client_secret"] and SECRET not in json.dumps(result)
    assert "restart" not in [call[0] for call in admin.calls]


def test_a_set_call_without_an_answer_reads_again_and_sends_only_what_is_missing(capsys):
    admin = FakeAdmin()
    admin.errors["set_config_kv"] = MinioError("setting identity_openid failed: cannot reach MinIO", transport=True)
    result = run(minio_identity_openid, PROVIDER, capsys, admin)
    assert result["changed"] is True and result["restarted"] is True, result
    assert "the set call got no answer" in result["msg"]
    assert [call[0] for call in admin.writes()] == ["set_config_kv", "set_config_kv", "restart"]


def test_a_read_that_fails_ends_the_task_before_anything_is_written(capsys):
    admin = FakeAdmin()
    admin.errors["get_config_export"] = MinioError("reading the MinIO config export failed: HTTP 403 AccessDenied: "
                                                   "Access Denied.", status="403", code="AccessDenied")
    result = run(minio_identity_openid, PROVIDER, capsys, admin)
    assert result["failed"] is True and result["msg"].startswith("reading the MinIO config export failed: HTTP 403 AccessDenied")
    assert admin.writes() == []


def test_environment_overrides_warn_naming_the_variable(capsys):
    admin = FakeAdmin({"_": dict(PROVIDER)}, env={"_": {"client_id": "MINIO_IDENTITY_OPENID_CLIENT_ID"}})
    result = run(minio_identity_openid, PROVIDER, capsys, admin)
    assert any("MINIO_IDENTITY_OPENID_CLIENT_ID" in w and "client_id" in w for w in warnings_of(result)), result


def test_absent_removes_the_target_and_restarts(capsys):
    admin = FakeAdmin({"ro": dict(PROVIDER, role_policy="readonly")})
    result = run(minio_identity_openid, dict(name="ro", state="absent"), capsys, admin)
    assert result["changed"] is True and result["msg"].startswith("identity_openid:ro removed")
    assert [call[0] for call in admin.writes()] == ["del_config_kv", "restart"]
    result = run(minio_identity_openid, dict(name="ro", state="absent"), capsys, admin)
    assert result["changed"] is False and result["msg"] == "identity_openid:ro is absent"


# -- minio_policy and minio_info --------------------------------------------------------------------------------
def test_policy_create_then_the_same_policy_written_otherwise_changes_nothing(capsys):
    admin = FakeAdmin()
    result = run(minio_policy, dict(name="p", policy=POLICY), capsys, admin)
    assert result["changed"] is True and result["msg"] == "policy p created" and result["diff"]["before"] == {}
    same = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Sid": ""}]}
    result = run(minio_policy, dict(name="p", policy=json.dumps(same)), capsys, admin)
    assert result["changed"] is False and result["msg"] == "policy p is up to date"
    assert [call[0] for call in admin.writes()] == ["policy_add"]


def test_policy_check_mode_and_removal(capsys):
    admin = FakeAdmin()
    admin.policies["p"] = POLICY
    result = run(minio_policy, dict(name="p", state="absent"), capsys, admin, check=True)
    assert result["changed"] is True and result["policy"] is None and admin.writes() == []
    result = run(minio_policy, dict(name="p", state="absent"), capsys, admin)
    assert result["msg"] == "policy p removed" and [call[0] for call in admin.writes()] == ["policy_remove"]


def test_policy_refused_by_minio_fails_with_its_words(capsys):
    admin = FakeAdmin()
    admin.errors["policy_add"] = MinioError("writing policy p failed: HTTP 400 XMinioMalformedJSON: policy is malformed",
                                            status="400", code="XMinioMalformedJSON")
    result = run(minio_policy, dict(name="p", policy=POLICY), capsys, admin)
    assert result["failed"] is True and result["msg"] == "writing policy p failed: HTTP 400 XMinioMalformedJSON: policy is malformed"


def test_info_hides_the_secret_and_names_missing_policies(capsys):
    admin = FakeAdmin({"_": dict(PROVIDER), "ro": dict(PROVIDER, role_policy="readonly")})
    admin.policies["readonly"] = POLICY
    result = run(minio_info, dict(policies=["readonly", "nope"]), capsys, admin)
    assert result["changed"] is False and result["missing_policies"] == ["nope"]
    assert set(result["identity_openid"]) == {"_", "ro"}
    assert result["identity_openid"]["_"]["client_secret"] == "********" and SECRET not in json.dumps(result)


# -- minio_bucket -----------------------------------------------------------------------------------------------
def test_bucket_create_repeat_and_check_mode(capsys):
    s3 = FakeS3()
    result = run(minio_bucket, dict(name="backups"), capsys, s3=s3)
    assert result["changed"] is True and result["msg"] == "bucket backups created"
    assert result["diff"] == {"before": {"state": "absent"}, "after": {"state": "present"}}
    result = run(minio_bucket, dict(name="backups"), capsys, s3=s3)
    assert result["changed"] is False and result["msg"] == "bucket backups exists"
    result = run(minio_bucket, dict(name="other"), capsys, s3=s3, check=True)
    assert result["changed"] is True and "other" not in s3.buckets
    assert s3.writes() == [("make_bucket", "backups")]


def test_bucket_with_objects_is_kept_without_force_and_emptied_with_it(capsys):
    s3 = FakeS3({"backups": {"a": b"1", "b": b"2"}})
    result = run(minio_bucket, dict(name="backups", state="absent"), capsys, s3=s3)
    assert result["failed"] is True and result["msg"] == "bucket backups holds 2 object(s); it was left as it is (set force to remove them too)"
    assert s3.writes() == []
    result = run(minio_bucket, dict(name="backups", state="absent", force=True), capsys, s3=s3, check=True)
    assert result["changed"] is True and result["objects_removed"] == 0 and s3.writes() == []
    result = run(minio_bucket, dict(name="backups", state="absent", force=True), capsys, s3=s3)
    assert result["objects_removed"] == 2 and result["msg"] == "bucket backups removed with 2 object(s)"
    assert s3.writes()[-1] == ("remove_bucket", "backups")


def test_bucket_refusal_and_no_answer_in_minios_words(capsys):
    s3 = FakeS3()
    s3.errors["make_bucket"] = MinioError("XMinioStorageFull Storage backend has reached its minimum free drive threshold.",
                                          status="507", code="XMinioStorageFull")
    result = run(minio_bucket, dict(name="backups"), capsys, s3=s3)
    assert result["msg"] == ("bucket backups: MinIO refused the request: XMinioStorageFull Storage backend has reached its "
                             "minimum free drive threshold.")
    s3 = FakeS3()
    s3.errors["bucket_exists"] = MinioError("ConnectionRefusedError: [Errno 111] Connection refused (after 4 attempts)", transport=True)
    result = run(minio_bucket, dict(name="backups"), capsys, s3=s3)
    assert result["msg"] == ("bucket backups: could not talk to MinIO at %s: ConnectionRefusedError: [Errno 111] Connection "
                             "refused (after 4 attempts)" % MINIO["url"])


# -- minio_sts_login --------------------------------------------------------------------------------------------
def jwt(claims):
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return "eyJhbGciOiJSUzI1NiJ9.%s.c2lnbmF0dXJl" % part


ID_TOKEN = jwt({"sub": "alice", "exp": int(time.time()) + 3600, "policy": ["readonly", "nope"]})
SESSION_TOKEN = jwt({"policy": "readonly", "exp": int(time.time()) + 900})
GRANTED = ("<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>TEMPKEY0123</AccessKeyId>"
           "<SecretAccessKey>temp-secret-0123456789</SecretAccessKey><SessionToken>%s</SessionToken>"
           "<Expiration>2026-12-01T00:15:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
           "</AssumeRoleWithWebIdentityResponse>" % SESSION_TOKEN)
REFUSED = ("<ErrorResponse><Error><Code>InvalidParameterValue</Code><Message>policy claim missing from the JWT token, "
           "credentials will not be generated</Message></Error></ErrorResponse>")


class Answer:
    def __init__(self, status, text):
        self.status, self.data = status, text.encode()


class FakePool:
    def __init__(self, *answers):
        self.answers, self.calls = list(answers), []

    def request(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs.get("fields")))
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def test_sts_login_reads_the_grant_and_probes_without_returning_credentials(capsys):
    root = FakeS3()
    user = FakeS3(root.buckets)
    user.errors["put_object"] = MinioError("AccessDenied Access Denied.", status="403", code="AccessDenied")
    pool = FakePool(Answer(200, GRANTED))
    result = run(minio_sts_login, dict(id_token=ID_TOKEN), capsys, s3={"root": root, "TEMPKEY0123": user}, pool=pool)
    assert result["granted"] is True and result["policies"] == ["readonly"] and result["token_policy_claim"] == ["nope", "readonly"]
    assert result["can_read"] is True and result["can_write"] is False and result["changed"] is False
    assert result["msg"] == "MinIO granted policy readonly to sub alice; probe in bucket minio-sso-login-check: read allowed, write denied"
    assert root.buckets == {} and ("make_bucket", "minio-sso-login-check") in root.writes()  # made for the probe, removed after
    out = json.dumps(result)
    assert "temp-secret-0123456789" not in out and "TEMPKEY0123" not in out and SESSION_TOKEN not in out
    assert pool.calls[0][2]["WebIdentityToken"] == ID_TOKEN


def test_sts_refusal_fails_or_is_reported_in_minios_words(capsys):
    result = run(minio_sts_login, dict(id_token=ID_TOKEN), capsys, pool=FakePool(Answer(400, REFUSED)))
    assert result["failed"] is True and result["granted"] is False
    assert result["msg"] == ("MinIO's STS refused the token of sub alice (HTTP 400 InvalidParameterValue: policy claim missing "
                             "from the JWT token, credentials will not be generated)")
    result = run(minio_sts_login, dict(id_token=ID_TOKEN, fail_on_refusal=False), capsys, pool=FakePool(Answer(400, REFUSED)))
    assert not result.get("failed") and result["sts_error"]["code"] == "InvalidParameterValue"


def test_a_failed_probe_says_what_was_granted_and_why_the_probe_failed(capsys):
    root = FakeS3()
    root.errors["make_bucket"] = MinioError("ConnectionResetError: [Errno 104] Connection reset by peer", transport=True)
    result = run(minio_sts_login, dict(id_token=ID_TOKEN), capsys, s3={"root": root, "TEMPKEY0123": FakeS3()},
                 pool=FakePool(Answer(200, GRANTED)))
    assert result["failed"] is True and result["granted"] is True
    assert result["msg"] == ("MinIO granted policy readonly to sub alice, but the S3 probe could not talk to MinIO at %s: "
                             "ConnectionResetError: [Errno 104] Connection reset by peer" % MINIO["url"])
    assert "temp-secret-0123456789" not in json.dumps(result)


def test_sts_check_mode_logs_in_but_does_not_probe(capsys):
    root = FakeS3()
    result = run(minio_sts_login, dict(id_token=ID_TOKEN), capsys, s3={"root": root}, pool=FakePool(Answer(200, GRANTED)), check=True)
    assert result["granted"] is True and result["can_read"] is None and root.calls == []
