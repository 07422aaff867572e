# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The official clients' cache, filled once per test session."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# one directory per release, filled by hacking/contract-clients.sh; never the test virtualenv
CACHE = os.environ.get("CONTRACT_CLIENTS", os.path.join(ROOT, ".cache", "contract-clients"))


@pytest.fixture(scope="session")
def clients():
    """The clients' cache, filled by the same script a developer runs (it keeps what is installed)."""
    subprocess.run(["bash", os.path.join(ROOT, "hacking", "contract-clients.sh"), CACHE], check=True, timeout=900,
                   env=dict(os.environ, CONTRACT_PYTHON=sys.executable))
    return CACHE
