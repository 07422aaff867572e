# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the reliability suite (helpers live in reliability_support.py)."""

from __future__ import annotations

import tempfile

import pytest

from reliability_support import AUTHENTIK_TOKEN, ROOT_PASSWORD, ROOT_USER


@pytest.fixture
def doubles(start_double, tmp_path):
    """Both doubles, fresh: ``doubles(outage=0.3, authentik_args=(), minio_args=())`` -> (authentik, minio)."""

    def _start(outage=0.3, authentik_args=(), minio_args=(), minio_env=None):
        authentik = start_double("authentik", "--token", AUTHENTIK_TOKEN, *authentik_args)
        minio = start_double("minio", "--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD,
                             "--data-dir", tempfile.mkdtemp(prefix="minio-", dir=str(tmp_path)),
                             "--restart-outage", str(outage), *minio_args, env=minio_env)
        return authentik, minio

    return _start
