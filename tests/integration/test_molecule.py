# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's molecule scenario (extensions/molecule/minio_sso), run by molecule itself: prepare starts the doubles,
converge, idempotence (a second converge must report changed=0), verify, cleanup stops the doubles.

The ``ansible-playbook`` molecule finds first on PATH is the tests' own (tests/ansible_playbook_cached.py), which starts
the modules in the tests' warm module server, as every other role test does; test_module_payloads.py runs every
module on ansible-playbook's own path."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from playbook_runner import ansible_env  # tests/, on sys.path through tests/conftest.py

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

MOLECULE_TIMEOUT = 900
STEPS = ("syntax", "prepare", "converge", "idempotence", "verify", "destroy")


def shim_ansible_playbook(bindir):
    """A directory whose ``ansible-playbook`` is the tests' one."""
    bindir.mkdir()
    script = bindir / "ansible-playbook"
    script.write_text('#!/bin/sh\nexec "%s" "%s" "$@"\n' % (sys.executable, os.path.join(ROOT, "tests", "ansible_playbook_cached.py")))
    script.chmod(0o755)
    return str(bindir)


def test_molecule_scenario_passes_every_step(tmp_path):
    # ansible_env exposes the working tree as the collection (tests/output/collections)
    env = ansible_env({"NO_COLOR": "1", "COLUMNS": "250", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp")})
    env["PATH"] = shim_ansible_playbook(tmp_path / "bin") + os.pathsep + env["PATH"]
    molecule = os.path.join(os.path.dirname(sys.executable), "molecule")
    proc = subprocess.run([molecule, "test", "-s", "minio_sso"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=MOLECULE_TIMEOUT, check=False)
    output = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    assert proc.returncode == 0, output[-20000:]
    for step in STEPS:
        assert re.search(r"minio_sso \S+ %s: Executed: Successful" % step, output), "step %s did not run:\n%s" % (step, output[-5000:])
    # converge proved the console login and said what MinIO granted; idempotence changed nothing, so it only checked,
    # without a write, that both sides agree
    assert len(re.findall(r"MinIO granted policy readonly to minio-sso-login-check", output)) == 1, output[-5000:]
    assert len(re.findall(r"MinIO's identity_openid target agrees with", output)) == 1, output[-5000:]
    assert "molecule-root-password-0123" not in output and "molecule-bootstrap-token-0123456789" not in output
