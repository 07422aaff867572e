# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every authentik module against the authentik double, in every API dialect the collection supports.

One ansible-playbook run per module and dialect; the playbook (tests/integration/playbooks/authentik_<module>.yml)
goes create -> repeat (no change, and the double's request log shows no write) -> update -> check mode
(no write) -> diff -> delete -> delete again, asserting as it goes.
"""

from __future__ import annotations

import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, "playbooks")
TOKEN = "integration-token-0123456789abcdef"
# Given to the provider by the playbooks: must never appear in any output, whatever the verbosity.
GIVEN_SECRETS = ("minio-client-secret-0123456789abcdefghijklmnop", "rotated-client-secret-9876543210zyxwvutsrqpo")
DIALECTS = ("2024.6", "2024.10", "2025.12", "2026.5", "2026.8")
MODULES = ("scope_mapping", "oauth2_provider", "application", "group", "policy_binding", "info")


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("module", MODULES)
def test_lifecycle(module, dialect, start_double, playbook):
    double = start_double("authentik", "--api-version", dialect, "--token", TOKEN)
    run = playbook(os.path.join(PLAYBOOKS, "authentik_%s.yml" % module),
                   dict(url=double.url, token=TOKEN, api_version=dialect), args=("-v",))
    recap = run.recap()
    assert recap.get("failed") == 0 and recap.get("ok", 0) > 5, run.output[-5000:]
    assert TOKEN not in run.output
    assert "[WARNING]" not in run.output and "[DEPRECATION WARNING]" not in run.output, run.output[-5000:]
    for secret in GIVEN_SECRETS:
        assert secret not in run.output
    # the module never writes what it did not need to: no PUT (full replacement) ever
    assert not [entry for entry in double.requests() if entry["method"] == "PUT"]
