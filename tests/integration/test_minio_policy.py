# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""minio_policy against the MinIO double: create -> repeat as JSON text -> update -> check mode -> absent -> absent again."""

from __future__ import annotations

import json
import os

from minio import MinioAdmin
from minio.credentials import StaticProvider

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT_USER = "minio-root"
ROOT_PASSWORD = "minio-root-password-0123"


def test_policy_lifecycle(start_double, playbook, tmp_path):
    minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD)
    out = tmp_path / "results.json"
    extra = dict(minio_url=minio.url, minio_access_key=ROOT_USER, minio_secret_key=ROOT_PASSWORD, out_file=str(out))
    run = playbook(os.path.join(HERE, "playbooks", "minio_policy.yml"), extra)
    assert ROOT_PASSWORD not in run.output
    results = json.loads(out.read_text())

    # Every write of the run, in order: repeat, check mode and absent again add none.
    assert [(e["method"], e["path"], e["status"]) for e in results["log"] if e["method"] != "GET"] == [
        ("PUT", "/minio/admin/v3/add-canned-policy", 200),  # create
        ("PUT", "/minio/admin/v3/add-canned-policy", 200),  # update
        ("DELETE", "/minio/admin/v3/remove-canned-policy", 200),  # absent
    ]  # a policy without Version is refused by the module itself, before any call

    create = results["create"]
    assert create["changed"] is True and create["diff"]["before"] == {}
    assert create["policy"]["Statement"][0]["Action"] == ["s3:GetBucketLocation", "s3:ListBucket"]
    assert results["repeat"]["changed"] is False
    update = results["update"]
    assert update["changed"] is True
    assert len(update["diff"]["before"]["Statement"]) == 2 and len(update["diff"]["after"]["Statement"]) == 1
    assert results["check"]["changed"] is True
    assert results["absent"]["changed"] is True and results["absent"]["policy"] is None
    assert results["absent_again"]["changed"] is False

    invalid = results["invalid"]
    assert invalid["failed"] is True
    assert "policy" in invalid["msg"] and "Version" in invalid["msg"]

    admin = MinioAdmin(endpoint=minio.url.split("://", 1)[1], credentials=StaticProvider(ROOT_USER, ROOT_PASSWORD), secure=False)
    assert "my-custom-policy" not in json.loads(admin.policy_list())
