# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""minio_policy against the MinIO double: create -> repeat as JSON text -> update -> check mode -> absent -> absent again.

The module runs in this process (tests/module_runner.py), as the tasks of a play with module_defaults would run it.
"""

from __future__ import annotations

import json

from minio import MinioAdmin
from minio.credentials import StaticProvider

from module_runner import Play  # tests/, put on sys.path by tests/conftest.py

ROOT_USER = "minio-root"
ROOT_PASSWORD = "minio-root-password-0123"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": "arn:aws:s3:::my-bucket"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::my-bucket/*"]},
    ],
}
# The same policy as JSON text, written another way.
POLICY_TEXT = (
    '{"Version": "2012-10-17", "Statement": [ '
    '{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::my-bucket/*"}, '
    '{"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::my-bucket"]}]}'
)


def test_policy_lifecycle(start_double):
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD)
    play = Play({"minio_": dict(url=minio.url, access_key=ROOT_USER, secret_key=ROOT_PASSWORD, timeout=10)})
    create = play("minio_policy", diff=True, name="my-custom-policy", policy=POLICY)
    repeat = play("minio_policy", name="my-custom-policy", policy=POLICY_TEXT)
    update = play("minio_policy", diff=True, name="my-custom-policy", policy={
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::my-bucket/*"]}],
    })
    check = play("minio_policy", check_mode=True, name="my-custom-policy", state="absent")
    absent = play("minio_policy", name="my-custom-policy", state="absent")
    absent_again = play("minio_policy", name="my-custom-policy", state="absent")
    # a policy without Version, in MinIO's words
    invalid = play.failing("minio_policy", name="no-version", policy={"Statement": []})
    play.assert_not_shown(ROOT_PASSWORD)

    # Every write of the run, in order: repeat, check mode and absent again add none.
    assert minio.writes_since(0) == [
        ("PUT", "/minio/admin/v3/add-canned-policy", 200),  # create
        ("PUT", "/minio/admin/v3/add-canned-policy", 200),  # update
        ("DELETE", "/minio/admin/v3/remove-canned-policy", 200),  # absent
    ]  # a policy without Version is refused by the module itself, before any call

    assert create["changed"] is True and create["diff"]["before"] == {}
    assert create["policy"]["Statement"][0]["Action"] == ["s3:GetBucketLocation", "s3:ListBucket"]
    assert repeat["changed"] is False
    assert update["changed"] is True
    assert len(update["diff"]["before"]["Statement"]) == 2 and len(update["diff"]["after"]["Statement"]) == 1
    assert check["changed"] is True
    assert absent["changed"] is True and absent["policy"] is None
    assert absent_again["changed"] is False
    assert "policy" in invalid["msg"] and "Version" in invalid["msg"]

    admin = MinioAdmin(endpoint=minio.url.split("://", 1)[1], credentials=StaticProvider(ROOT_USER, ROOT_PASSWORD), secure=False)
    assert "my-custom-policy" not in json.loads(admin.policy_list())
