# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values that make no sense are refused before any call; the message names the option, the value and the range."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.sso.authentik_minio.plugins.module_utils import _minio_module
from ansible_collections.sso.authentik_minio.plugins.modules import (
    authentik_info,
    authentik_oauth2_provider,
    authentik_policy_binding,
    authentik_service_account,
    minio_bucket,
    minio_policy,
    minio_sts_login,
)

from test_authentik_modules import PROVIDER, FakeAuthentik, run  # pylint: disable=import-error


def no_session():
    raise AssertionError("a connection was made before the values were checked")


# (module, its options, the words the message must hold)
AUTHENTIK = [
    (authentik_service_account, dict(name="backup", token_validity=-5), ["token_validity", "-5", "0", "minutes"]),
    (authentik_policy_binding, dict(application="minio", group="g", evaluation_timeout=-1),
     ["evaluation_timeout", "-1", "between 0 and 2147483647"]),
    (authentik_oauth2_provider, dict(PROVIDER, access_code_validity="seconds=0"), ["access_code_validity", "seconds=0", "greater than 0"]),
    (authentik_oauth2_provider, dict(PROVIDER, access_token_validity="0"), ["access_token_validity", "'0'", "greater than 0"]),
    (authentik_oauth2_provider, dict(PROVIDER, refresh_token_validity="days=-1"), ["refresh_token_validity", "days=-1", "greater than 0"]),
    (authentik_oauth2_provider, dict(PROVIDER, refresh_token_threshold="hours=-1"), ["refresh_token_threshold", "hours=-1", "0 or more"]),
    (authentik_info, dict(kind="flow", timeout=0), ["timeout", "0", "greater than 0"]),
    (authentik_info, dict(kind="flow", timeout="nan"), ["timeout", "nan", "greater than 0"]),
]


@pytest.mark.parametrize("module, options, words", AUTHENTIK, ids=[case[2][0] + "=" + case[2][1] for case in AUTHENTIK])
def test_authentik_refuses_before_any_call(module, options, words, capsys):
    fake = FakeAuthentik()
    result = run(module, options, fake, capsys)
    assert result["failed"] is True, result
    assert all(word in result["msg"] for word in words), result["msg"]
    assert fake.calls == []


def test_authentik_accepts_the_edges(capsys):
    fake = FakeAuthentik()
    result = run(authentik_service_account, dict(name="backup", token_validity=0), fake, capsys, check=True)
    assert not result.get("failed"), result
    result = run(authentik_policy_binding, dict(application="minio", group="g", evaluation_timeout=0, state="absent"),
                 fake, capsys)
    assert not result.get("failed"), result
    # authentik's default threshold is seconds=0; the FakeAuthentik speaks 2025.12, which knows the option
    result = run(authentik_oauth2_provider, dict(PROVIDER, refresh_token_threshold="seconds=0", access_code_validity="1"),
                 fake, capsys, check=True)
    assert not result.get("failed"), result


MINIO = dict(url="http://127.0.0.1:9", access_key="root", secret_key="root-secret-0123")
MINIO_CASES = [
    (minio_sts_login, dict(MINIO, id_token="a.b.c", duration_seconds=899), ["duration_seconds", "899", "between 900 and 31536000"]),
    (minio_sts_login, dict(MINIO, id_token="a.b.c", duration_seconds=31536001), ["duration_seconds", "31536001", "31536000"]),
    (minio_sts_login, dict(MINIO, id_token="a.b.c", duration_seconds=-900), ["duration_seconds", "-900", "900"]),
    (minio_sts_login, dict(MINIO, id_token="a.b.c", timeout=0), ["timeout", "0", "greater than 0"]),
    (minio_bucket, dict(MINIO, name="b", timeout=-1), ["timeout", "-1", "greater than 0"]),
    (minio_policy, dict(MINIO, name="p", state="absent", timeout=0), ["timeout", "0", "greater than 0"]),
]


@pytest.mark.parametrize("module, options, words", MINIO_CASES, ids=[case[2][0] + "=" + case[2][1] for case in MINIO_CASES])
def test_minio_refuses_before_any_call(module, options, words, capsys):
    # every MinIO call (admin, STS, S3) goes through the one transport: building it is the first step of any call
    with patch_module_args(options), mock.patch.object(_minio_module, "Transport", no_session):
        with pytest.raises(SystemExit):
            module.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True, result
    assert all(word in result["msg"] for word in words), result["msg"]
