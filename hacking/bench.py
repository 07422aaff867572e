# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""make bench: the full benchmark on the local doubles; prints the tables that docs/performance.md records.

1. requests per module run (create, no-op, update) against the hand-written minimum, with the reasons;
2. no-op lookups with 0 and with 1,000 objects of each kind in authentik;
3. the role's first and second run against a floor playbook of as many trivial local tasks;
4. scale: N applications with provider and scope mapping in one play, N = 10 and 100 (``--sizes``).

Request counts are exact; wall times depend on the machine and its load (printed with the tables).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "bench"))

import bench_lib  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOK_TIMEOUT = 3600


def load():
    with open("/proc/loadavg", encoding="utf-8") as handle:
        return " ".join(handle.read().split()[:3])


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _column in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def playbook(path, extra_vars, env):
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local", path,
           "-e", json.dumps(extra_vars)]
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=PLAYBOOK_TIMEOUT, check=False)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (path, (proc.stdout + proc.stderr)[-4000:]))
    recap = {}
    for line in proc.stdout.splitlines():
        if line.startswith("localhost") and "ok=" in line:
            recap = dict((k, int(v)) for k, v in (part.split("=") for part in line.split()[2:]))
    return elapsed, recap, proc.stdout


def twice_on_fresh_doubles(tmp, path, variables_for, env):
    """A playbook on fresh doubles, then again with the request log cleared -> (first, second, second run's log).

    ``variables_for(stack)`` builds the extra vars from the started doubles' URLs."""
    stack = bench_lib.Stack(tempfile.mkdtemp(dir=tmp))
    try:
        variables = variables_for(stack)
        first = playbook(path, variables, env)
        stack.clear()
        second = playbook(path, variables, env)
        return first, second, stack.log()
    finally:
        stack.stop()


def ansible_env():
    bindir = os.path.dirname(sys.executable)
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=bench_lib.collections_path(), ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false", ANSIBLE_NOCOLOR="1",
                PATH=bindir + os.pathsep + os.environ.get("PATH", ""))


# 1 and 2 ----------------------------------------------------------------------------------------
def module_tables(tmp):
    stack = bench_lib.Stack(tempfile.mkdtemp(dir=tmp))
    try:
        scenarios = dict((s["module"], s) for s in bench_lib.scenarios(stack))
        rows = bench_lib.measure_modules(stack)
        at_zero = bench_lib.noop_lookups(stack)
        seeded = bench_lib.seed_fast(stack.authentik.url, 1000)
        at_1000 = bench_lib.noop_lookups(stack)
    finally:
        stack.stop()
    by_module = {}
    for row in rows:
        by_module.setdefault(row["module"], {})[row["kind"]] = row
    out = []
    for module, runs in by_module.items():
        cells = [module]
        above = []
        for kind in ("create", "noop", "update"):
            run = runs.get(kind)
            if run is None:
                cells.append("-")
                continue
            module_requests = [line for line in run["lines"] if " /application/o/" not in line]
            server_side = len(run["lines"]) - len(module_requests)
            cell = "%d (%dw) / min %d" % (len(module_requests), run["writes"], run["minimum"])
            if server_side:
                cell += " +%d by MinIO" % server_side
            cells.append(cell)
            if len(module_requests) > run["minimum"]:
                above.append("%s +%d" % (kind, len(module_requests) - run["minimum"]))
        cells.append(scenarios[module]["why"])
        cells.append("; ".join(above) + (": " + scenarios[module].get("extra", "") if above else "") or "none")
        out.append(cells)
    first = table(["module", "create", "no-op", "update", "the minimum is", "above the minimum, why"], out)
    lookups = []
    for module in at_zero:
        lookups.append([module, at_zero[module]["requests"], "%.2f s" % at_zero[module]["seconds"],
                        at_1000[module]["requests"], "%.2f s" % at_1000[module]["seconds"],
                        at_zero[module]["writes"] + at_1000[module]["writes"],
                        "same" if at_zero[module]["lines"] == at_1000[module]["lines"] else "DIFFERENT"])
    second = table(["module (no-op run)", "requests, 0 objects", "time", "requests, 1,000 of each kind", "time", "writes",
                    "request lines"], lookups)
    return first, second + "\n\n(seeding 5 x 1,000 objects through /_double/seed: %.1f s)" % seeded


# 3 ---------------------------------------------------------------------------------------------
def role_table(tmp):
    env = ansible_env()

    def variables_for(stack):
        return dict(
            minio_sso_authentik_url=stack.authentik.url, minio_sso_authentik_token=bench_lib.AUTHENTIK_TOKEN,
            minio_sso_minio_url=stack.minio.url, minio_sso_minio_access_key=bench_lib.ROOT_USER,
            minio_sso_minio_secret_key=bench_lib.ROOT_PASSWORD,
            minio_sso_console_url=stack.minio.url.replace("127.0.0.1", "localhost"))

    first, second, second_log = twice_on_fresh_doubles(tmp, os.path.join(ROOT, "playbooks", "minio_sso.yml"),
                                                       variables_for, env)
    tasks = second[1].get("ok", 0) + second[1].get("changed", 0)
    floor_path = os.path.join(tmp, "floor.yml")
    with open(floor_path, "w", encoding="utf-8") as handle:
        handle.write("- name: Floor\n  hosts: localhost\n  gather_facts: false\n  tasks:\n")
        for index in range(tasks):
            handle.write("    - name: Trivial %d\n      ansible.builtin.ping:\n" % index)
    floor_first = playbook(floor_path, {}, env)
    floor_second = playbook(floor_path, {}, env)
    rows = [
        ["role, first run", "%.1f s" % first[0], first[1].get("changed"), "%.1f s" % floor_first[0], "%.2f" % (first[0] / floor_first[0])],
        ["role, second run (no-op)", "%.1f s" % second[0], second[1].get("changed"), "%.1f s" % floor_second[0],
         "%.2f" % (second[0] / floor_second[0])],
    ]
    writes = ["%s %s" % (e["method"], e["path"]) for e in bench_lib.writes(second_log)]
    note = ("floor: %d ansible.builtin.ping tasks (the role's second run ran %d tasks that were not skipped: %s); "
            "second run: %d requests, %d writes, all by the login check (its temporary account, token and S3 probe)"
            % (tasks, tasks, second[1], len(second_log), len(writes)))
    return table(["run", "wall time", "changed", "floor playbook", "ratio"], rows) + "\n\n" + note


# 4 ---------------------------------------------------------------------------------------------
SCALE_PLAY = """- name: Many applications in one play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/sso.authentik_minio.authentik:
      url: "{{ url }}"
      token: "{{ token }}"
  tasks:
    - name: Scope mappings
      sso.authentik_minio.authentik_scope_mapping:
        name: "app{{ item }} policy"
        scope_name: "app{{ item }}"
        expression: 'return {"policy": "readonly"}'
      loop: "{{ range(count | int) | list }}"
    - name: Providers
      sso.authentik_minio.authentik_oauth2_provider:
        name: "app{{ item }}"
        client_id: "app{{ item }}"
        authorization_flow: default-provider-authorization-implicit-consent
        redirect_uris: ["https://app{{ item }}.example.com/oauth_callback"]
        property_mappings: ["app{{ item }} policy"]
      loop: "{{ range(count | int) | list }}"
      no_log: true
    - name: Applications
      sso.authentik_minio.authentik_application:
        slug: "app{{ item }}"
        name: "App {{ item }}"
        provider: "app{{ item }}"
      loop: "{{ range(count | int) | list }}"
"""


def scale_table(tmp, sizes):
    env = ansible_env()
    path = os.path.join(tmp, "scale.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(SCALE_PLAY)
    rows = []
    totals = {}
    for size in sizes:
        first, second, log = twice_on_fresh_doubles(
            tmp, path, lambda stack, size=size: dict(url=stack.authentik.url, token=bench_lib.AUTHENTIK_TOKEN, count=size), env)
        totals[size] = (first[0], second[0])
        rows.append([size, "%.1f s" % first[0], "%.2f s" % (first[0] / size), first[1].get("changed"),
                     "%.1f s" % second[0], "%.2f s" % (second[0] / size), second[1].get("changed"),
                     "%d (%d per item), %d writes" % (len(log), len(log) // size, len(bench_lib.writes(log)))])
    text = table(["items", "first run", "per item", "changed", "second run", "per item", "changed", "second run's requests"], rows)
    if len(sizes) > 1:
        small, big = sizes[0], sizes[-1]
        text += "\n\ngrowth %d -> %d items (x%.0f): first run x%.1f, second run x%.1f" % (
            small, big, big / small, totals[big][0] / totals[small][0], totals[big][1] / totals[small][1])
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="scale sizes, comma-separated")
    parser.add_argument("--only", choices=["modules", "role", "scale"], action="append")
    args = parser.parse_args(argv)
    parts = args.only or ["modules", "role", "scale"]
    sizes = [int(size) for size in args.sizes.split(",")]
    print("machine: %d cores, load average %s at start" % (os.cpu_count(), load()))
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if "modules" in parts:
            first, second = module_tables(tmp)
            print("\n## 1. Requests per module run (module requests (writes) / hand-written minimum)\n\n" + first)
            print("\n## 2. No-op lookups at scale\n\n" + second, flush=True)
        if "role" in parts:
            print("\n## 3. The role against the floor\n\n" + role_table(tmp), flush=True)
        if "scale" in parts:
            print("\n## 4. Scale: applications with provider and scope mapping in one play\n\n" + scale_table(tmp, sizes))
    print("\nload average %s at the end" % load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
