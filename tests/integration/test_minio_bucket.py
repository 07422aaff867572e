# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""minio_bucket against the MinIO double: create -> repeat -> check mode create -> (objects put with minio-py) ->
absent without force (refused) -> check mode absent -> absent with force -> absent again.

The playbook (tests/integration/playbooks/minio_bucket.yml) runs in two phases, ``present`` and ``absent``; the
steps that must not write are checked against their slice of the double's request log.
"""

from __future__ import annotations

import io
import json
import os

from minio import Minio

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT_USER = "minio-root"
ROOT_PASSWORD = "minio-root-password-0123"
BUCKET = "backups"
KEYS = ("a.txt", "nested/b.txt", "nested/deeper/c.bin")


def writes_between(results, step):
    start, end = (int(mark) for mark in results["marks"][step])
    assert end > start, "step %s made no request at all: its log slice proves nothing" % step
    return [(e["method"], e["path"], e["status"]) for e in results["log"][start:end]
            if e["method"] not in ("GET", "HEAD")]


def test_bucket_lifecycle(start_double, playbook, tmp_path):
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD)
    s3 = Minio(minio.url.split("://", 1)[1], access_key=ROOT_USER, secret_key=ROOT_PASSWORD, secure=False,
               region="us-east-1")
    path = os.path.join(HERE, "playbooks", "minio_bucket.yml")
    extra = dict(minio_url=minio.url, minio_access_key=ROOT_USER, minio_secret_key=ROOT_PASSWORD, bucket=BUCKET)

    present_file = tmp_path / "present.json"
    run = playbook(path, dict(extra, out_file=str(present_file)), args=("--tags", "present"))
    assert ROOT_PASSWORD not in run.output
    present = json.loads(present_file.read_text())

    create = present["create"]
    assert create["changed"] is True and create["msg"] == "bucket backups created"
    assert create["diff"] == {"before": {"state": "absent"}, "after": {"state": "present"}}
    assert [(e["method"], e["path"]) for e in present["log"] if e["method"] not in ("GET", "HEAD")] == [
        ("PUT", "/" + BUCKET)]
    repeat = present["repeat"]
    assert repeat["changed"] is False and repeat["msg"] == "bucket backups exists"
    assert repeat["diff"] == {"before": {"state": "present"}, "after": {"state": "present"}}
    assert writes_between(present, "repeat") == []
    check = present["check"]
    assert check["changed"] is True and check["msg"] == "bucket backups-check created"
    assert check["diff"] == {"before": {"state": "absent"}, "after": {"state": "present"}}
    assert writes_between(present, "check") == []
    assert s3.bucket_exists(BUCKET) and not s3.bucket_exists(BUCKET + "-check")

    for key in KEYS:
        s3.put_object(BUCKET, key, io.BytesIO(b"data"), 4)

    absent_file = tmp_path / "absent.json"
    run = playbook(path, dict(extra, out_file=str(absent_file)), args=("--tags", "absent"))
    assert ROOT_PASSWORD not in run.output
    absent = json.loads(absent_file.read_text())

    refused = absent["refused"]
    assert refused["failed"] is True
    assert refused["msg"] == "bucket backups holds 3 object(s); it was left as it is (set force to remove them too)"
    assert writes_between(absent, "refused") == []
    check_absent = absent["check_absent"]
    assert check_absent["changed"] is True and check_absent["objects_removed"] == 0
    assert check_absent["msg"] == "bucket backups removed with 3 object(s)"
    assert writes_between(absent, "check_absent") == []

    removed = absent["absent"]
    assert removed["changed"] is True and removed["objects_removed"] == 3
    assert removed["diff"] == {"before": {"state": "present"}, "after": {"state": "absent"}}
    assert sorted((m, p) for m, p, _status in writes_between(absent, "absent")) == sorted(
        [("DELETE", "/%s/%s" % (BUCKET, key)) for key in KEYS] + [("DELETE", "/" + BUCKET)])
    assert writes_between(absent, "absent")[-1][:2] == ("DELETE", "/" + BUCKET)  # the bucket last, once empty
    assert not s3.bucket_exists(BUCKET)

    again = absent["absent_again"]
    assert again["changed"] is False and again["objects_removed"] == 0 and again["msg"] == "bucket backups is absent"
    assert again["diff"] == {"before": {"state": "absent"}, "after": {"state": "absent"}}
    assert writes_between(absent, "absent_again") == []
