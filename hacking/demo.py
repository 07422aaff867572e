# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""make demo: run the main job end to end on the local doubles, twice, and show what it did.

1. starts the authentik double and the MinIO double on 127.0.0.1 (free ports, data under build/demo),
2. writes an inventory with only what the smallest inventory needs (URLs and keys),
3. runs the playbook sso.authentik_minio.minio_sso twice: the second run must change and write nothing,
4. prints the play recaps, the first run's login proof and the second run's read-only check, and stops the doubles.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "doubles"))

from harness import RunningDouble  # noqa: E402  pylint: disable=wrong-import-position

DEMO_DIR = os.path.join(ROOT, "build", "demo")
AUTHENTIK_TOKEN = "demo-bootstrap-token-change-me"  # a throwaway token of the throwaway local double
MINIO_ROOT = ("minioadmin", "minioadmin")  # MinIO's own defaults, as the double starts with
PLAYBOOK_TIMEOUT = 900


def collections_path():
    link = os.path.join(DEMO_DIR, "collections", "ansible_collections", "sso", "authentik_minio")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if not os.path.islink(link):
        os.symlink(ROOT, link)
    return os.path.join(DEMO_DIR, "collections")


def write_inventory(authentik_url, minio_url):
    inventory = {
        "all": {
            "hosts": {"localhost": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}},
            "vars": {
                "minio_sso_authentik_url": authentik_url,
                "minio_sso_authentik_token": AUTHENTIK_TOKEN,
                "minio_sso_minio_url": minio_url,
                "minio_sso_minio_access_key": MINIO_ROOT[0],
                "minio_sso_minio_secret_key": MINIO_ROOT[1],
                "minio_sso_console_url": minio_url.replace("127.0.0.1", "localhost"),
            },
        }
    }
    path = os.path.join(DEMO_DIR, "inventory.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(inventory, handle, indent=2)
    return path


def run_playbook(inventory, label):
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_COLLECTIONS_PATH": collections_path(),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "PATH": os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
        }
    )
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, "sso.authentik_minio.minio_sso"]
    print("\n##### %s: %s" % (label, " ".join(cmd[1:])), flush=True)
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=PLAYBOOK_TIMEOUT, check=False)
    print(proc.stdout, end="")
    print(proc.stderr, end="", file=sys.stderr)
    print("##### %s took %.1f s" % (label, time.monotonic() - started), flush=True)
    return proc


def recap(stdout):
    for line in stdout.splitlines():
        if line.startswith("localhost") and "ok=" in line:
            return {k: int(v) for k, v in (part.split("=") for part in line.split()[2:])}
    return {}


def result_line(stdout, start):
    """The role's one line that starts with ``start`` (the login proof's or the consistency check's), or None."""
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith('"msg": "' + start):
            return line[len('"msg": "'):-1]
    return None


def main():
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    os.makedirs(DEMO_DIR)
    authentik = RunningDouble("authentik", ["--token", AUTHENTIK_TOKEN])
    minio = RunningDouble(
        "minio",
        ["--root-user", MINIO_ROOT[0], "--root-password", MINIO_ROOT[1], "--data-dir", os.path.join(DEMO_DIR, "minio-data")],
    )
    with authentik, minio:
        print("authentik double: %s\nMinIO double:     %s" % (authentik.url, minio.url))
        inventory = write_inventory(authentik.url, minio.url)
        first = run_playbook(inventory, "first run")
        if first.returncode != 0:
            print("\nDEMO FAILED: the first run failed (rc=%d)" % first.returncode)
            return 1
        authentik.clear_requests()
        minio.clear_requests()
        second = run_playbook(inventory, "second run (must change nothing)")
        if second.returncode != 0:
            print("\nDEMO FAILED: the second run failed (rc=%d)" % second.returncode)
            return 1
        changed = recap(second.stdout).get("changed")
        writes = ["%s %s" % (r["method"], r["path"]) for r in authentik.writes() + minio.writes()]
        print("\nfirst run:  %s" % recap(first.stdout))
        print("second run: %s" % recap(second.stdout))
        if changed != 0:
            print("DEMO FAILED: the second run reported changed=%s" % changed)
            return 1
        if writes:
            print("DEMO FAILED: the second run wrote to the doubles: %s" % ", ".join(writes))
            return 1
        login = result_line(first.stdout, "MinIO granted")
        agrees = result_line(second.stdout, "MinIO's identity_openid target agrees")
        if login is None or agrees is None:
            print("DEMO FAILED: the first run did not prove the login, or the second run did not check consistency")
            return 1
        print("first run, login proof (the console's login, as a temporary authentik user): %s" % login)
        print("second run changed and wrote nothing; its read-only check: %s" % agrees)
    return 0


if __name__ == "__main__":
    sys.exit(main())
