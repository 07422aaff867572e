# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``playbook`` fixture: run_playbook of tests/playbook_runner.py."""

from __future__ import annotations

import pytest

from playbook_runner import run_playbook  # tests/, put on sys.path by tests/conftest.py


@pytest.fixture
def playbook():
    return run_playbook
