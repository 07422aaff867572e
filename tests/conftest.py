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

import harness  # noqa: E402  pylint: disable=wrong-import-position
from collection_tree import collection_tree  # noqa: E402  pylint: disable=wrong-import-position
from harness import RunningDouble  # noqa: E402  pylint: disable=wrong-import-position
from madmin_keys import remember_derived_keys  # noqa: E402  pylint: disable=wrong-import-position
from module_server import MADMIN_KEYS  # noqa: E402  pylint: disable=wrong-import-position
from playbook_runner import double_launcher, payload_cache  # noqa: E402  pylint: disable=wrong-import-position

# Test modules import ansible_collections.sso.authentik_minio...: the working tree, exposed as the collection.
sys.path.insert(0, collection_tree())

BOOTSTRAP_TOKEN = "test-bootstrap-token-0123456789"
# each test process starts its doubles in a warm fork server (off with SSO_TEST_MODULE_SERVER=off)
harness.LAUNCHER = double_launcher
# the madmin keys this process derives are kept for its in-process module runs and its module server's (see the file)
remember_derived_keys(lambda: os.path.join(payload_cache(), MADMIN_KEYS))


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


# The test files that take longest (role runs, many ansible-playbook runs, long waits), longest first. pytest-xdist
# hands tests out in collection order: started first, they overlap with everything else instead of running alone at
# the end while the other worker idles. A file's tests keep their order (module-scoped fixtures stay shared).
RUN_FIRST = (
    "integration/test_many_deployments.py",
    "integration/test_role_minio_sso.py",
    "reliability/test_bad_input.py",
    "integration/test_molecule.py",
    "reliability/test_failure_reasons.py",
    "reliability/test_secrets_and_check_mode.py",
    "reliability/test_faults.py",
    "integration/test_examples.py",
    "bench/test_bench_short.py",
)
# At most this many tests wait in a worker's queue: the rest go to whichever worker is free first.
XDIST_CHUNK = 2


def _run_first_rank(item):
    path = item.nodeid.split("::", 1)[0]
    for rank, suffix in enumerate(RUN_FIRST):
        if path.endswith(suffix):
            return rank
    return len(RUN_FIRST)


# make test-quick (pytest --quick tests): every unit test, the contract tests (each release's official client; its
# cache is filled once, by the first run), the modules' lifecycles (in process), the fidelity tests of the doubles but
# those that wait on restarts or load the official client, and one whole role run (it configures both sides, logs
# in, and fails at the S3 probe on purpose). Under a minute on 2 cores.
QUICK = (
    "unit/",
    "contract/",
    "fidelity/",
    "integration/test_authentik_lifecycle.py",
    "integration/test_ownership_lifecycle.py",
    "integration/test_minio_policy.py",
    "integration/test_minio_bucket.py",
    "integration/test_minio_identity_openid.py",
)
QUICK_SLOW = (
    "fidelity/test_minio_admin_config.py",
    "fidelity/test_minio_restart.py",
    "fidelity/test_authentik_official_client.py",
    "fidelity/test_minio_authentik_e2e.py",
)
QUICK_ROLE_RUN = "integration/test_role_minio_sso.py::test_a_failed_s3_probe_is_reported_with_its_reason"


def pytest_addoption(parser):
    parser.addoption("--quick", action="store_true", help="only the quick tests (make test-quick)")


def _quick(item):
    path = item.nodeid.split("::", 1)[0]
    if item.nodeid.endswith(QUICK_ROLE_RUN):
        return True
    return any(("/" + part) in "/" + path for part in QUICK) and not any(path.endswith(slow) for slow in QUICK_SLOW)


def pytest_collection_modifyitems(config, items):
    if config.getoption("quick"):
        deselected = [item for item in items if not _quick(item)]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if _quick(item)]
    items.sort(key=_run_first_rank)  # stable: the other tests keep their order


def pytest_configure(config):
    # pytest-xdist's default sends each worker a quarter of the tests at once, so the long tests placed first would
    # be split between the workers by position, not by who is free; a small chunk balances them.
    if getattr(config.option, "maxschedchunk", "absent") is None:
        config.option.maxschedchunk = XDIST_CHUNK
