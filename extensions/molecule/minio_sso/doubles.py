# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start or stop the authentik and MinIO doubles for the molecule scenario, outside any one ansible-playbook run.

    python doubles.py start STATE_FILE    starts both (free ports, logs next to STATE_FILE), waits for their ready
                                          lines and writes the role's connection variables and their pids as JSON
    python doubles.py stop STATE_FILE     stops the pids recorded there (and only those)
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
DOUBLES = os.path.join(ROOT, "tests", "doubles")
TOKEN = "molecule-bootstrap-token-0123456789"  # a throwaway token of a throwaway local double
ROOT_USER, ROOT_PASSWORD = "molecule-root", "molecule-root-password-0123"
READY_TIMEOUT = 30.0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch(kind, args, log_path):
    port = free_port()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, os.path.join(DOUBLES, "%s_double.py" % kind), "--port", str(port)] + args,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    prefix = "%s double ready at " % kind
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        with open(log_path, encoding="utf-8") as log:
            for line in log:
                if line.startswith(prefix):
                    return process.pid, line[len(prefix):].strip()
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    with open(log_path, encoding="utf-8") as log:
        raise SystemExit("the %s double did not become ready within %.0f s:\n%s" % (kind, READY_TIMEOUT, log.read()))


def start(state_file):
    state_dir = os.path.dirname(os.path.abspath(state_file))
    os.makedirs(state_dir, exist_ok=True)
    authentik_pid, authentik_url = launch("authentik", ["--token", TOKEN], os.path.join(state_dir, "authentik.log"))
    try:
        minio_pid, minio_url = launch("minio", ["--root-user", ROOT_USER, "--root-password", ROOT_PASSWORD,
                                                "--data-dir", os.path.join(state_dir, "minio-data")],
                                      os.path.join(state_dir, "minio.log"))
    except SystemExit:
        os.kill(authentik_pid, signal.SIGTERM)
        raise
    state = dict(
        minio_sso_authentik_url=authentik_url,
        minio_sso_authentik_token=TOKEN,
        minio_sso_minio_url=minio_url,
        minio_sso_minio_access_key=ROOT_USER,
        minio_sso_minio_secret_key=ROOT_PASSWORD,
        minio_sso_console_url=minio_url.replace("127.0.0.1", "localhost"),
        molecule_doubles_pids=[authentik_pid, minio_pid],
    )
    with open(state_file, "w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=2)


def stop(state_file):
    if not os.path.exists(state_file):
        return False
    with open(state_file, encoding="utf-8") as handle:
        pids = json.load(handle).get("molecule_doubles_pids", [])
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    os.remove(state_file)
    return True


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        raise SystemExit(__doc__)
    if sys.argv[1] == "start":
        start(sys.argv[2])
    else:
        print("stopped" if stop(sys.argv[2]) else "nothing to stop")


if __name__ == "__main__":
    main()
