# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the MinIO double's fidelity tests (loaded with ``pytest_plugins`` from the test modules).

``oidc_issuer`` is a tiny OpenID provider of our own (pyjwt + a generated RSA key) for the edge cases an
honest IdP would never produce: expired tokens, a wrong audience, no ``sub``, an unknown ``kid``. The
end-to-end tests take their ID tokens from the authentik double instead.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from minio import Minio, MinioAdmin
from minio.credentials import StaticProvider

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "doubles"))

from harness import RunningDouble, wait_until  # noqa: E402  pylint: disable=wrong-import-position
from minio_helpers import CLIENT_ID, CLIENT_SECRET, ROOT_PASSWORD, ROOT_USER  # noqa: E402  pylint: disable=wrong-import-position


class OIDCIssuer:
    """Serves /.well-known/openid-configuration and /jwks on 127.0.0.1 and mints RS256 ID tokens."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "kid-" + uuid.uuid4().hex[:8]
        self.jwks_status = 200
        self.discovery_status = 200
        self.extra_keys = []
        self.hits = []
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802  pylint: disable=invalid-name
                issuer.hits.append(self.path)
                if self.path == "/.well-known/openid-configuration":
                    status, body = issuer.discovery_status, issuer.discovery()
                elif self.path == "/jwks":
                    status, body = issuer.jwks_status, issuer.jwks()
                else:
                    status, body = 404, {"error": "not found"}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.config_url = self.url + "/.well-known/openid-configuration"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def discovery(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": self.url + "/authorize",
            "token_endpoint": self.url + "/token",
            "jwks_uri": self.url + "/jwks",
            "scopes_supported": ["openid", "profile", "email"],
        }

    def jwks(self):
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [dict(public, kid=self.kid, use="sig", alg="RS256")] + self.extra_keys}

    def token(self, headers=None, key=None, **claims):
        now = int(time.time())
        body = {"iss": self.url, "sub": "user-1", "aud": CLIENT_ID, "iat": now, "exp": now + 600, "policy": "readwrite"}
        body.update(claims)
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode(body, key or self.key, algorithm="RS256", headers=dict({"kid": self.kid}, **(headers or {})))

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def oidc_issuer():
    issuer = OIDCIssuer()
    yield issuer
    issuer.stop()


class MinioDouble:
    """A started MinIO double plus official clients pointed at it."""

    def __init__(self, running):
        self.running = running
        self.url = running.url
        self.endpoint = running.url.split("://", 1)[1]

    def admin(self, access_key=ROOT_USER, secret_key=ROOT_PASSWORD, session_token=None):
        return MinioAdmin(
            endpoint=self.endpoint, credentials=StaticProvider(access_key, secret_key, session_token), secure=False
        )

    def s3(self, access_key=ROOT_USER, secret_key=ROOT_PASSWORD, session_token=None):
        return Minio(self.endpoint, access_key=access_key, secret_key=secret_key, session_token=session_token,
                     secure=False, region="us-east-1")

    def boto3(self, service, **creds):
        import boto3  # pylint: disable=import-outside-toplevel
        from botocore.config import Config  # pylint: disable=import-outside-toplevel

        creds = creds or {"aws_access_key_id": ROOT_USER, "aws_secret_access_key": ROOT_PASSWORD}
        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            config=Config(retries={"max_attempts": 1}), **creds)

    def state(self):
        return self.running._control("GET", "/_double/minio/state")  # pylint: disable=protected-access

    def set_outage(self, seconds):
        return self.running._control("POST", "/_double/minio/outage", {"seconds": seconds})  # pylint: disable=protected-access

    def wait_booted(self, boots_before, timeout=15, iam=False):
        """Wait until a restart has gone through (the double booted again), bounded by ``timeout``.

        With ``iam``, also until IAM is initialised: the boot is counted before the OpenID providers are fetched,
        and until they are, STS answers 503 (as MinIO does while /minio/health/cluster says iam-offline).
        """
        def booted():
            state = self.state()
            return state["boots"] > boots_before and not state["down"] and (state["iam_ready"] or not iam)

        what = "the MinIO double to come back from a restart" + (" with IAM initialised" if iam else "")
        return wait_until(booted, timeout, what=what)


@pytest.fixture(scope="session")
def minio_shared(tmp_path_factory):
    """One MinIO double per test process; ``minio_double`` resets it before every test."""
    data_dir = tmp_path_factory.mktemp("minio-shared")
    with RunningDouble("minio", ["--data-dir", str(data_dir), "--restart-outage", "0.3"]) as running:
        yield MinioDouble(running)


@pytest.fixture
def minio_double(minio_shared):
    """A MinIO double in the state of a fresh server (empty data dir, short restart outage)."""
    minio_shared.running._control("POST", "/_double/minio/reset")  # pylint: disable=protected-access
    minio_shared.set_outage(0.3)
    minio_shared.running.clear_faults()
    minio_shared.running.clear_requests()
    return minio_shared


@pytest.fixture(scope="module")
def sso_issuer():
    """An issuer shared by a module's tests; tests must not change its keys or statuses."""
    issuer = OIDCIssuer()
    yield issuer
    issuer.stop()


@pytest.fixture(scope="module")
def sso(tmp_path_factory, sso_issuer):
    """A MinIO double of its own with ``sso_issuer`` configured as identity_openid and active (set + restart)."""
    data_dir = tmp_path_factory.mktemp("minio-sso")
    with RunningDouble("minio", ["--data-dir", str(data_dir), "--restart-outage", "0.2"]) as running:
        double = MinioDouble(running)
        admin = double.admin()
        admin.config_set("identity_openid", {"config_url": sso_issuer.config_url, "client_id": CLIENT_ID,
                                             "client_secret": CLIENT_SECRET})
        before = double.state()["boots"]
        admin.service_restart()
        double.wait_booted(before, iam=True)
        yield double


@pytest.fixture
def minio_factory(tmp_path):
    """Start MinIO doubles with extra arguments; all are stopped at the end of the test."""
    started = []

    def start(*args, data_dir=None, env=None):
        running = RunningDouble("minio", ["--data-dir", str(data_dir or tmp_path / "data")] + list(args), env=env).start()
        started.append(running)
        return MinioDouble(running)

    yield start
    for running in started:
        running.stop()
