# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the checker (checker.py) in a subprocess with one release's client."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def check_with_client(client_dir, release, exchanges):
    done = subprocess.run([sys.executable, os.path.join(HERE, "checker.py"), client_dir, release],
                          input=json.dumps(exchanges), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)
