# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test runs of ansible-playbook share ansible-core's module payload cache (tests/ansible_playbook_cached.py):
a module's payload is built by the first run that uses it, and the runs after it use that one."""

from __future__ import annotations

import os

from playbook_runner import payload_cache, run_playbook


def test_a_payload_is_built_once_and_used_by_the_next_runs(tmp_path):
    playbook = tmp_path / "ping.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n        data: pong-one\n")
    first = run_playbook(str(playbook), args=("-v",))
    built = [name for name in os.listdir(payload_cache()) if name.startswith("ansible.modules.ping-") and not name.endswith(".lock")]
    assert len(built) == 1, os.listdir(payload_cache())
    stamp = os.stat(os.path.join(payload_cache(), built[0])).st_mtime_ns

    playbook.write_text(playbook.read_text().replace("pong-one", "pong-two"))
    second = run_playbook(str(playbook), args=("-v",))
    # the same payload, not rebuilt; each run's own arguments all the same
    assert os.stat(os.path.join(payload_cache(), built[0])).st_mtime_ns == stamp
    assert '"ping": "pong-one"' in first.stdout and '"ping": "pong-two"' in second.stdout, second.stdout
