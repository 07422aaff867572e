# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""minio_bucket against the MinIO double: create -> repeat -> check mode create -> (objects put with minio-py) ->
absent without force (refused) -> check mode absent -> absent with force -> absent again.

The module runs in this process (tests/module_runner.py), as the tasks of a play with module_defaults would run it;
the steps that must not write are checked against their part of the double's request log.
"""

from __future__ import annotations

import io

from minio import Minio

from module_runner import Play  # tests/, put on sys.path by tests/conftest.py

ROOT_USER = "minio-root"
ROOT_PASSWORD = "minio-root-password-0123"
BUCKET = "backups"
KEYS = ("a.txt", "nested/b.txt", "nested/deeper/c.bin")


def test_bucket_lifecycle(start_double):
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD)
    s3 = Minio(minio.url.split("://", 1)[1], access_key=ROOT_USER, secret_key=ROOT_PASSWORD, secure=False,
               region="us-east-1")
    play = Play({"minio_": dict(url=minio.url, access_key=ROOT_USER, secret_key=ROOT_PASSWORD, timeout=10)})

    create = play("minio_bucket", diff=True, name=BUCKET)
    assert create["changed"] is True and create["msg"] == "bucket backups created"
    assert create["diff"] == {"before": {"state": "absent"}, "after": {"state": "present"}}
    assert [(method, path) for method, path, _status in minio.writes_since(0)] == [("PUT", "/" + BUCKET)]

    mark = minio.mark()
    repeat = play("minio_bucket", diff=True, name=BUCKET)
    assert repeat["changed"] is False and repeat["msg"] == "bucket backups exists"
    assert repeat["diff"] == {"before": {"state": "present"}, "after": {"state": "present"}}
    assert minio.writes_since(mark) == []

    mark = minio.mark()
    check = play("minio_bucket", check_mode=True, diff=True, name=BUCKET + "-check")
    assert check["changed"] is True and check["msg"] == "bucket backups-check created"
    assert check["diff"] == {"before": {"state": "absent"}, "after": {"state": "present"}}
    assert minio.writes_since(mark) == []
    assert s3.bucket_exists(BUCKET) and not s3.bucket_exists(BUCKET + "-check")

    for key in KEYS:
        s3.put_object(BUCKET, key, io.BytesIO(b"data"), 4)

    mark = minio.mark()
    refused = play.failing("minio_bucket", name=BUCKET, state="absent")  # without force: the bucket holds objects
    assert refused["msg"] == "bucket backups holds 3 object(s); it was left as it is (set force to remove them too)"
    assert minio.writes_since(mark) == []

    mark = minio.mark()
    check_absent = play("minio_bucket", check_mode=True, name=BUCKET, force=True, state="absent")
    assert check_absent["changed"] is True and check_absent["objects_removed"] == 0
    assert check_absent["msg"] == "bucket backups removed with 3 object(s)"
    assert minio.writes_since(mark) == []

    mark = minio.mark()
    removed = play("minio_bucket", diff=True, name=BUCKET, force=True, state="absent")
    assert removed["changed"] is True and removed["objects_removed"] == 3
    assert removed["diff"] == {"before": {"state": "present"}, "after": {"state": "absent"}}
    writes = minio.writes_since(mark)
    assert sorted((method, path) for method, path, _status in writes) == sorted(
        [("DELETE", "/%s/%s" % (BUCKET, key)) for key in KEYS] + [("DELETE", "/" + BUCKET)])
    assert writes[-1][:2] == ("DELETE", "/" + BUCKET)  # the bucket last, once empty
    assert not s3.bucket_exists(BUCKET)

    mark = minio.mark()
    again = play("minio_bucket", diff=True, name=BUCKET, state="absent")
    assert again["changed"] is False and again["objects_removed"] == 0 and again["msg"] == "bucket backups is absent"
    assert again["diff"] == {"before": {"state": "absent"}, "after": {"state": "absent"}}
    assert minio.writes_since(mark) == []

    play.assert_not_shown(ROOT_PASSWORD)
