# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""S3 with root and with STS credentials: what each policy allows, through minio-py and boto3."""

from __future__ import annotations

import io
import time

import pytest
from botocore.exceptions import ClientError
from minio.error import S3Error

pytest_plugins = ["conftest_minio"]

DUMMY_ARN = "arn:aws:iam::123456789012:role/ignored-by-minio"


def session(double, issuer, **claims):
    creds = double.boto3("sts").assume_role_with_web_identity(
        RoleArn=DUMMY_ARN, RoleSessionName="session", WebIdentityToken=issuer.token(**claims)
    )["Credentials"]
    return creds


def boto_s3(double, creds):
    return double.boto3("s3", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"])


def minio_s3(double, creds):
    return double.s3(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])


def code_of(call):
    with pytest.raises(ClientError) as exc_info:
        call()
    return exc_info.value.response["ResponseMetadata"]["HTTPStatusCode"], exc_info.value.response["Error"]["Code"]


@pytest.fixture(scope="module")
def seeded(sso):
    """Buckets and objects created with root credentials (minio-py), shared by the module's tests."""
    root = sso.s3()
    for bucket in ("team-a", "team-b", "other"):
        if not root.bucket_exists(bucket):
            root.make_bucket(bucket)
    for bucket in ("team-a", "team-b", "other"):
        root.put_object(bucket, "keep/doc.txt", io.BytesIO(b"kept"), 4)
        root.put_object(bucket, "tmp/scratch.txt", io.BytesIO(b"scratch"), 7)
    return sso


def test_root_can_do_everything_with_both_clients(seeded):
    s3 = seeded.boto3("s3")
    s3.create_bucket(Bucket="root-made")
    s3.put_object(Bucket="root-made", Key="a b/c+d.txt", Body=b"hello")
    assert s3.get_object(Bucket="root-made", Key="a b/c+d.txt")["Body"].read() == b"hello"
    listed = s3.list_objects_v2(Bucket="root-made", Prefix="a b/", Delimiter="/")
    assert [o["Key"] for o in listed["Contents"]] == ["a b/c+d.txt"]
    assert [p["Prefix"] for p in s3.list_objects_v2(Bucket="root-made", Delimiter="/")["CommonPrefixes"]] == ["a b/"]
    s3.delete_object(Bucket="root-made", Key="a b/c+d.txt")
    assert code_of(lambda: s3.get_object(Bucket="root-made", Key="a b/c+d.txt")) == (404, "NoSuchKey")
    assert code_of(lambda: s3.create_bucket(Bucket="root-made")) == (409, "BucketAlreadyOwnedByYou")
    assert code_of(lambda: s3.list_objects_v2(Bucket="no-such-bucket")) == (404, "NoSuchBucket")
    s3.delete_bucket(Bucket="root-made")
    names = [b.name for b in seeded.s3().list_buckets()]
    assert names == ["other", "team-a", "team-b"]


def test_readonly_session(seeded, sso_issuer):
    creds = session(seeded, sso_issuer, policy="readonly")
    s3 = boto_s3(seeded, creds)
    assert s3.get_object(Bucket="team-a", Key="keep/doc.txt")["Body"].read() == b"kept"
    assert code_of(lambda: s3.put_object(Bucket="team-a", Key="new.txt", Body=b"x")) == (403, "AccessDenied")
    assert code_of(lambda: s3.list_objects_v2(Bucket="team-a")) == (403, "AccessDenied")  # no s3:ListBucket
    assert code_of(lambda: s3.delete_object(Bucket="team-a", Key="keep/doc.txt")) == (403, "AccessDenied")
    # ListBuckets falls back to the buckets the caller may GetBucketLocation on (all of them here).
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["other", "team-a", "team-b"]
    with pytest.raises(S3Error) as exc_info:
        minio_s3(seeded, creds).put_object("team-a", "new.txt", io.BytesIO(b"x"), 1)
    assert exc_info.value.code == "AccessDenied"


def test_writeonly_session(seeded, sso_issuer):
    s3 = boto_s3(seeded, session(seeded, sso_issuer, policy="writeonly"))
    s3.put_object(Bucket="team-b", Key="upload.txt", Body=b"up")
    assert code_of(lambda: s3.get_object(Bucket="team-b", Key="upload.txt")) == (403, "AccessDenied")
    assert code_of(s3.list_buckets) == (403, "AccessDenied")
    assert code_of(lambda: s3.create_bucket(Bucket="writeonly-made")) == (403, "AccessDenied")


def test_custom_policy_explicit_deny_wins_and_wildcards_match(seeded, sso_issuer):
    seeded.admin().policy_add("team-rw", policy={
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::team-?", "arn:aws:s3:::team-?/*"]},
            {"Effect": "Deny", "Action": ["s3:DeleteObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::team-*/keep/*"]},
        ],
    })
    creds = session(seeded, sso_issuer, policy=["team-rw"])
    s3 = boto_s3(seeded, creds)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="team-a")["Contents"]][0] == "keep/doc.txt"
    s3.put_object(Bucket="team-a", Key="tmp/new.txt", Body=b"new")
    s3.delete_object(Bucket="team-a", Key="tmp/new.txt")
    assert code_of(lambda: s3.delete_object(Bucket="team-a", Key="keep/doc.txt")) == (403, "AccessDenied")
    assert code_of(lambda: s3.put_object(Bucket="team-b", Key="keep/x.txt", Body=b"x")) == (403, "AccessDenied")
    assert code_of(lambda: s3.get_object(Bucket="other", Key="keep/doc.txt")) == (403, "AccessDenied")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["team-a", "team-b"]
    # minio-py with the same temporary credentials sees the same answers.
    client = minio_s3(seeded, creds)
    assert client.get_object("team-b", "keep/doc.txt").read() == b"kept"
    with pytest.raises(S3Error) as exc_info:
        client.remove_object("team-b", "keep/doc.txt")
    assert exc_info.value.code == "AccessDenied"
    # Policies are resolved at request time: once removed, the session loses what it granted.
    seeded.admin().policy_remove("team-rw")
    assert code_of(lambda: s3.get_object(Bucket="team-a", Key="keep/doc.txt")) == (403, "AccessDenied")


def test_session_token_is_required_and_checked(seeded, sso_issuer):
    creds = session(seeded, sso_issuer, policy="readwrite")
    without = seeded.boto3("s3", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"])
    assert code_of(without.list_buckets) == (403, "InvalidToken")
    other = session(seeded, sso_issuer, policy="readwrite")
    wrong = seeded.boto3("s3", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=other["SessionToken"])
    assert code_of(wrong.list_buckets) == (403, "InvalidToken")
    bad_secret = seeded.boto3("s3", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key="x" * 40,
                              aws_session_token=creds["SessionToken"])
    assert code_of(bad_secret.list_buckets) == (403, "SignatureDoesNotMatch")
    assert boto_s3(seeded, creds).list_buckets()["Buckets"]


def test_credentials_stop_working_when_the_token_expires(seeded, sso_issuer):
    exp = int(time.time()) + 4
    creds = session(seeded, sso_issuer, policy="readwrite", exp=exp)
    s3 = boto_s3(seeded, creds)
    assert s3.list_buckets()["Buckets"]
    time.sleep(max(0.0, exp - time.time() + 0.3))
    assert code_of(s3.list_buckets) == (403, "InvalidAccessKeyId")


def test_anonymous_requests_are_denied(seeded):
    import requests  # pylint: disable=import-outside-toplevel

    response = requests.get(seeded.url + "/team-a/keep/doc.txt", timeout=5)
    assert response.status_code == 403 and "<Code>AccessDenied</Code>" in response.text
