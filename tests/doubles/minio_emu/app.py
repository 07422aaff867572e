# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routing for the MinIO double: health, admin, STS, S3; the restart outage; the /_double/minio/ controls."""

from __future__ import annotations

import json

from _double_server import Response

from . import admin, authn, sts
from .errors import ApiError, StsError, common_headers, request_id, s3_error, sts_error
from .s3 import S3API


class MinioApp:
    def __init__(self, state, port_label):
        self.state = state
        self.admin = admin.AdminAPI(state, port_label)
        self.s3 = S3API(state)

    def __call__(self, request):
        if self.state.is_down():
            # Restarting: the listener is gone in a real server; here every connection is closed unanswered.
            return Response(drop=True)
        rid = request_id()
        if request.path.startswith("/minio/health/"):
            return self.health(request, rid)
        if request.path.startswith(admin.PREFIX):
            return self.admin_call(request, rid)
        if sts.is_sts_request(request):
            try:
                return sts.assume_role_with_web_identity(self.state, request, rid)
            except StsError as err:
                return sts_error(err, rid)
        try:
            caller = authn.authenticate(self.state, request, admin=False)
            return self.s3.handle(request, rid, caller)
        except ApiError as err:
            return s3_error(err, request.path, rid)

    def admin_call(self, request, rid):
        try:
            api, action = admin.match(request)
            caller = authn.authenticate(self.state, request, admin=True)
            if not caller.is_root and not self.s3.allowed(caller, request, action, ""):
                raise ApiError("AccessDenied")
            return self.admin.handle(request, rid, api, caller.secret_key)
        except ApiError as err:
            return admin.error_response(err, request, rid)

    def health(self, request, rid):
        if request.method not in ("GET", "HEAD"):
            return s3_error(ApiError("MethodNotAllowed"), request.path, rid)
        headers = common_headers(rid)
        if request.path in ("/minio/health/live", "/minio/health/ready"):
            return Response(200, b"", headers)
        if request.path in ("/minio/health/cluster", "/minio/health/cluster/read"):
            if not self.state.iam_ready:
                return Response(503, b"", headers + [("x-minio-server-status", "iam-offline")])
            return Response(200, b"", headers + [("X-Minio-Write-Quorum", "1")])
        return s3_error(ApiError("NoSuchBucket", BucketName="minio"), request.path, rid)

    # test controls ------------------------------------------------------------------------------
    def control(self, request):
        """``/_double/minio/state`` (GET), ``/_double/minio/outage`` (POST {"seconds": N}) and
        ``/_double/minio/reset`` (POST: a fresh server, as if started on an empty --data-dir)."""
        if request.path == "/_double/minio/reset" and request.method == "POST":
            self.state.reset()
            return Response.json({"reset": True})
        if request.path == "/_double/minio/state" and request.method == "GET":
            with self.state.lock:
                body = {
                    "down": self.state.is_down(),
                    "iam_ready": self.state.iam_ready,
                    "iam_error": self.state.iam_error,
                    "restart_outage": self.state.restart_outage,
                    "providers": sorted(self.state.providers),
                    "boots": self.state.boot_count,
                }
            return Response.json(body)
        if request.path == "/_double/minio/outage" and request.method == "POST":
            try:
                seconds = float((json.loads(request.body or b"{}") or {}).get("seconds"))
            except (TypeError, ValueError):
                return Response.json({"error": "expected {\"seconds\": <number>}"}, status=400)
            if seconds < 0 or seconds > 600:
                return Response.json({"error": "seconds must be within 0..600"}, status=400)
            self.state.restart_outage = seconds
            return Response.json({"restart_outage": seconds})
        return None
