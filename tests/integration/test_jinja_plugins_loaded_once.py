# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tests' ansible-playbook loads the filter and test plugins in its controller, before it forks the workers
(tests/ansible_playbook_cached.py): the workers use them without loading them again."""

from __future__ import annotations

from playbook_runner import run_playbook

# a filter plugin beside the playbook that notes the process that loads it
RECORDER = '''
import os

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "loaded-by"), "a") as handle:
    handle.write("%d\\n" % os.getpid())


class FilterModule:
    def filters(self):
        return {"recorded": lambda value: "recorded " + value}
'''
PLAYBOOK = """
- hosts: all
  gather_facts: false
  tasks:
    - name: Three tasks, three workers, one filter plugin
      ansible.builtin.debug:
        msg: "{{ 'one' | recorded }}"
    - ansible.builtin.debug:
        msg: "{{ 'two' | recorded }}"
    - ansible.builtin.debug:
        msg: "{{ 'three' | recorded }}"
      when: "'three' | recorded is string"
"""


def test_the_workers_use_the_filter_plugins_the_controller_loaded(tmp_path):
    (tmp_path / "filter_plugins").mkdir()
    (tmp_path / "filter_plugins" / "recorder.py").write_text(RECORDER)
    (tmp_path / "templates.yml").write_text(PLAYBOOK)
    result = run_playbook(str(tmp_path / "templates.yml"))
    assert result.messages("localhost") == ["recorded one", "recorded two", "recorded three"], result.stdout[-3000:]
    loaded_by = (tmp_path / "loaded-by").read_text().split()
    assert len(loaded_by) == 1, "the plugin was loaded by %d processes: %s" % (len(loaded_by), loaded_by)
