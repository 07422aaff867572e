# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's short form (the full table: ``make bench``, docs/performance.md).

* A no-op module run writes nothing, and makes no more requests than the table's hand-written minimum.
* Lookups stay constant: each no-op run makes the same requests with 1,000 objects of every kind in authentik
  as with none (exact-match filters, no listing of everything).
* One HTTP connection per server in a module run (the clients reuse it).
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_lib  # noqa: E402  pylint: disable=wrong-import-position

AUTHENTIK_MODULES = ("authentik_group", "authentik_scope_mapping", "authentik_oauth2_provider", "authentik_application",
                     "authentik_policy_binding", "authentik_service_account", "authentik_info")
MINIO_MODULES = ("minio_policy", "minio_identity_openid")


@pytest.fixture
def stack(tmp_path):
    running = bench_lib.Stack(str(tmp_path))
    yield running
    running.stop()


def create_then_noop(stack, modules):
    """Create each module's object, then run the same task again: the no-op runs' request lines by module."""
    noop = {}
    for scenario in bench_lib.scenarios(stack):
        if scenario["module"] not in modules:
            continue
        double = scenario.get("double", "authentik")
        for module, args in scenario.get("pre", []):
            stack.run_module(module, args)
        stack.run_module(scenario["module"], scenario["create"], double)
        result, _seconds, log = stack.run_module(scenario["module"], scenario["create"], double)
        assert not result["changed"], (scenario["module"], result.get("msg"))
        assert bench_lib.writes(log) == [], (scenario["module"], log)
        module_log = [e for e in log if not e["path"].startswith("/application/o/")]  # MinIO's own OIDC fetches
        assert len(module_log) <= scenario["minimum"]["noop"], (scenario["module"], [bench_lib.request_line(e) for e in log])
        noop[scenario["module"]] = [bench_lib.request_line(e) for e in log]
    assert sorted(noop) == sorted(modules)
    return noop


def test_noop_runs_write_nothing_and_lookups_stay_constant_at_1000_objects(stack):
    before = create_then_noop(stack, AUTHENTIK_MODULES)
    counts = bench_lib.object_counts(stack.authentik.url)
    stack.clear()
    bench_lib.seed_fast(stack.authentik.url, 1000)
    assert stack.authentik.requests() == []  # seeding goes around the API log: only module requests are counted
    assert bench_lib.object_counts(stack.authentik.url) == dict((kind, count + 1000) for kind, count in counts.items())
    for scenario in bench_lib.scenarios(stack):
        if scenario["module"] not in AUTHENTIK_MODULES:
            continue
        result, _seconds, log = stack.run_module(scenario["module"], scenario["create"])
        assert not result["changed"]
        assert bench_lib.writes(log) == []
        # the same requests, page for page: nothing listed the 1,000 objects
        assert [bench_lib.request_line(e) for e in log] == before[scenario["module"]], scenario["module"]
        assert all("page=2" not in e["query"] for e in log), log


def test_minio_noop_runs_write_nothing_and_do_not_restart(stack):
    create_then_noop(stack, MINIO_MODULES)


def test_one_connection_per_server_in_a_run(stack, monkeypatch):
    """The clients as a module uses them: every request of a run over one kept-alive connection."""
    sys.path.insert(0, bench_lib.collections_path())
    import urllib3.connection
    from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikClient
    from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_admin import MinioAdminClient

    opened = []
    connect = urllib3.connection.HTTPConnection.connect

    def counting_connect(self):
        opened.append(self.port)
        return connect(self)

    monkeypatch.setattr(urllib3.connection.HTTPConnection, "connect", counting_connect)
    client = AuthentikClient(stack.authentik.url, bench_lib.AUTHENTIK_TOKEN, timeout=30)
    assert client.dialect.supported
    for _round in range(5):
        client.list("core/groups/", {"name": "authentik Admins"})
    admin = MinioAdminClient(stack.minio.url, bench_lib.ROOT_USER, bench_lib.ROOT_PASSWORD, timeout=30)
    for _round in range(3):
        admin.get_config_export()
    assert len(stack.authentik.requests()) == 6 and len(stack.minio.requests()) == 3
    assert sorted(opened) == sorted([stack.authentik.port, stack.minio.port])
