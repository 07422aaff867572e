# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the authentik double's fidelity tests (MinIO fidelity tests keep theirs in their files)."""

from __future__ import annotations

import pytest

from authentik_helpers import AuthentikSession, start_authentik


@pytest.fixture(scope="module")
def authentik():
    """One default-dialect (2025.12) authentik double for a test module."""
    double = start_authentik()
    try:
        yield AuthentikSession(double)
    finally:
        double.stop()
