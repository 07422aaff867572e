# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by every pytest suite: start the doubles on 127.0.0.1 and stop them after."""

from __future__ import annotations

import os
import sys

import pytest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(TESTS_DIR, "doubles"))
sys.path.insert(0, TESTS_DIR)

from collection_tree import collection_tree  # noqa: E402  pylint: disable=wrong-import-position
from harness import RunningDouble  # noqa: E402  pylint: disable=wrong-import-position

# Test modules import ansible_collections.sso.authentik_minio...: the working tree, exposed as the collection.
sys.path.insert(0, collection_tree())

BOOTSTRAP_TOKEN = "test-bootstrap-token-0123456789"


@pytest.fixture
def start_double():
    """Factory: ``start_double("authentik", "--api-version", "2024.6")`` -> a started RunningDouble.

    Every double started through it is stopped when the test ends.
    """
    started = []

    def _start(kind, *args, **kwargs):
        double = RunningDouble(kind, args, **kwargs).start()
        started.append(double)
        return double

    yield _start
    for double in started:
        double.stop()


@pytest.fixture(scope="session")
def authentik_session_double():
    """One authentik double (default dialect) shared by a whole test session."""
    with RunningDouble("authentik", ["--token", BOOTSTRAP_TOKEN]) as double:
        yield double
