# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every authentik module against the authentik double, in every API dialect the collection supports.

Each module's playbook (tests/integration/playbooks/authentik_<module>.yml) goes create -> repeat (no change, and
the double's request log shows no write) -> update -> check mode (no write) -> diff -> delete -> delete again,
asserting as it goes. Per dialect, one ansible-playbook run imports the six playbooks, each play against a fresh
double of its own (as if run alone): one start of ansible-playbook instead of six, the same plays and assertions.
"""

from __future__ import annotations

import os
import re

import pytest

from dialects import AUTHENTIK_DIALECTS  # tests/, put on sys.path by tests/conftest.py

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, "playbooks")
TOKEN = "integration-token-0123456789abcdef"
# Given to the provider by the playbooks: must never appear in any output, whatever the verbosity.
GIVEN_SECRETS = ("minio-client-secret-0123456789abcdefghijklmnop", "rotated-client-secret-9876543210zyxwvutsrqpo")
MODULES = ("scope_mapping", "oauth2_provider", "application", "group", "policy_binding", "info")


def play_sections(output):
    """The stdout of a run split at its ``PLAY [...]`` headers -> {play name: its part of the output}."""
    parts = re.split(r"^PLAY \[(.+?)\] \**$", output, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


@pytest.mark.parametrize("dialect", AUTHENTIK_DIALECTS)
def test_lifecycle(dialect, start_double, playbook, tmp_path):
    doubles = {module: start_double("authentik", "--api-version", dialect, "--token", TOKEN) for module in MODULES}
    combined = tmp_path / "lifecycle.yml"
    combined.write_text("---\n" + "".join(
        "- import_playbook: %s\n  vars: {url: '%s'}\n" % (os.path.join(PLAYBOOKS, "authentik_%s.yml" % module), doubles[module].url)
        for module in MODULES))
    run = playbook(str(combined), dict(token=TOKEN, api_version=dialect), args=("-v",))
    recap = run.recap()
    assert recap.get("failed") == 0 and recap.get("ok", 0) > 5 * len(MODULES), run.output[-5000:]
    assert TOKEN not in run.output
    assert "[WARNING]" not in run.output and "[DEPRECATION WARNING]" not in run.output, run.output[-5000:]
    for secret in GIVEN_SECRETS:
        assert secret not in run.output
    # every module's play ran to its end (a failed task would have stopped the plays after it), on its own double
    plays = play_sections(run.stdout)
    assert len(plays) == len(MODULES), list(plays)
    for module in MODULES:
        title = [name for name in plays if name.lower().startswith("authentik_%s " % module)]
        assert len(title) == 1, (module, list(plays))
        assert plays[title[0]].count("ok: [localhost]") + plays[title[0]].count("changed: [localhost]") > 5, module
        requests = doubles[module].requests()
        assert requests, "the %s play sent nothing to its double" % module
        # the module never writes what it did not need to: no PUT (full replacement) ever
        assert not [entry for entry in requests if entry["method"] == "PUT"], module
