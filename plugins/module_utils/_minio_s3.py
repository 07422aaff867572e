# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the few S3 calls of the MinIO modules, on the shared transport.

minio-py's ``Minio`` signs and sends them through ``_minio_transport.Transport``'s pool (its TLS rule and timeout).
Every failure becomes a MinioError: a refusal keeps MinIO's code and message (``code`` set), an answer that is not
S3's XML keeps its status, no answer says why in the words of its deepest cause. Reads go through ReadRetry; writes
are sent once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io

from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import MinioError, ReadRetry
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import ssl_failure


def bucket_name_problem(option, name, creating=True):
    """minio-py's own check of a bucket name, strict (as make_bucket applies it) when the bucket may be created;
    a message naming ``option`` and minio-py's words, or None."""
    from minio.helpers import check_bucket_name

    try:
        check_bucket_name(name, creating)
    except ValueError as exc:
        return "%s: not a valid S3 bucket name: %s (got %r)" % (option, exc, name)
    return None


class S3Client(object):
    """One set of credentials (``(key, secret)`` or ``(key, secret, session_token)``) on ``transport``."""

    def __init__(self, transport, credentials, region, retry=None):
        from minio import Minio
        from minio.error import S3Error

        self.transport = transport
        self.retry = retry or ReadRetry()
        self._refusal = S3Error
        token = credentials[2] if len(credentials) > 2 else None
        self._s3 = Minio(transport.netloc, access_key=credentials[0], secret_key=credentials[1], session_token=token,
                         secure=transport.secure, region=region, http_client=transport.pool)

    def _call(self, func, *args):
        try:
            return func(*args)
        except self._refusal as exc:
            status = getattr(exc.response, "status", None)
            raise MinioError("%s %s" % (exc.code, exc.message), status=None if status is None else str(status),
                             code=exc.code, server_message=exc.message)
        except Exception as exc:  # pylint: disable=broad-except  # urllib3 and minio-py raise many kinds; never a secret
            code = getattr(exc, "_code", None)  # minio-py's InvalidResponseError: an answer that is not S3's XML
            raise MinioError(self.transport.failure(exc), status=None if code is None else str(code),
                             transport=code is None and ssl_failure(exc) is None)

    def _read(self, func, *args):
        return self.retry.read(self._call, func, *args)

    # reads -------------------------------------------------------------------------------------------
    def bucket_exists(self, bucket):
        return self._read(self._s3.bucket_exists, bucket)

    def object_names(self, bucket):
        return self._read(lambda: [obj.object_name for obj in self._s3.list_objects(bucket, recursive=True)])

    def read_object(self, bucket, key):
        def read():
            response = self._s3.get_object(bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()
        return self._read(read)

    # writes ------------------------------------------------------------------------------------------
    def make_bucket(self, bucket):
        self._call(self._s3.make_bucket, bucket)

    def remove_bucket(self, bucket):
        self._call(self._s3.remove_bucket, bucket)

    def put_object(self, bucket, key, data):
        self._call(self._s3.put_object, bucket, key, io.BytesIO(data), len(data))

    def remove_object(self, bucket, key):
        self._call(self._s3.remove_object, bucket, key)
