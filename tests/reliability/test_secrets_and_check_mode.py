# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole role, every run with -vvvv and --diff, on one pair of doubles:

1. check mode on fresh doubles: zero writes;
2. MinIO unreachable after the authentik objects were made: the role fails naming MinIO and its URL;
3. the rerun converges to one set of objects (and its login check's clean-up is made to fail, so the run also
   shows a failure message, and the temporary account's app password stays readable for the search below);
4. check mode after the real run: zero writes.

All output of the four runs is searched for every secret: the authentik token, the client secret, the MinIO
secret key and the temporary account's app password. None may appear. The variables come from a vars file, as an
operator's would: ansible-playbook -vvvv echoes a command line's ``-e`` JSON, secrets included.
"""

from __future__ import annotations

import json

from reliability_support import (
    AUTHENTIK_TOKEN,
    ONE_SET,
    ROOT_PASSWORD,
    AuthentikApi,
    inventory,
    role_playbook,
    run_playbook,
)

LOUD = ("-vvvv", "--diff")


def test_role_check_mode_writes_nothing_faults_converge_and_no_secret_leaks(doubles, tmp_path):
    authentik, minio = doubles()
    playbook = role_playbook(tmp_path)
    vars_file = tmp_path / "vars.json"
    vars_file.write_text(json.dumps(inventory(authentik, minio)))
    loud = ("-e", "@%s" % vars_file) + LOUD
    outputs = []

    # 1. check mode, fresh doubles
    fresh_check = run_playbook(playbook, args=loud + ("--check",))
    outputs.append(fresh_check.output)
    assert authentik.writes() == [] and minio.writes() == [], (authentik.writes(), minio.writes())

    # 2. MinIO drops every admin call: the preflight reads MinIO first, so nothing is written on either side
    minio.fault(path="^/minio/admin/", drop=True, count=1000)
    unreachable = run_playbook(playbook, args=loud, check=False)
    outputs.append(unreachable.output)
    minio.clear_faults()
    assert unreachable.rc != 0
    assert "cannot reach MinIO at %s" % minio.url in unreachable.output, unreachable.output[-3000:]
    assert authentik.writes() == [] and minio.writes() == [], (authentik.writes(), minio.writes())
    api = AuthentikApi(authentik)

    # 2b. MinIO drops only the configuration write, after authentik was written: the run says what differs and how
    # the next run repairs it
    minio.fault(path="^/minio/admin/v3/set-config-kv", drop=True, count=1000)
    half = run_playbook(playbook, args=loud, check=False)
    outputs.append(half.output)
    minio.clear_faults()
    assert half.rc != 0
    assert "identity_openid target _ was not changed" in half.output and "run the role again" in half.output, \
        half.output[-3000:]
    assert api.role_objects() == ONE_SET

    # 3. rerun: converges; the temporary user's removal is answered 503 once, and the role's sweep in the always
    # section removes the user all the same (it is listed in the deployment's manifest)
    authentik.fault(method="DELETE", path="^/api/v3/core/users/", status=503)
    rerun = run_playbook(playbook, args=loud, check=False)
    outputs.append(rerun.output)
    assert rerun.rc == 0, rerun.output[-3000:]
    assert "MinIO restarted" in rerun.output and "MinIO granted policy readonly" in rerun.output, rerun.output[-3000:]
    assert api.role_objects() == ONE_SET
    provider = api.all("providers/oauth2/", name="MinIO (minio)")[0]
    assert [u["username"] for u in api.all("core/users/") if u["username"].startswith("minio-sso-login-check-")] == []

    # 4. check mode after the real run
    authentik.clear_requests()
    minio.clear_requests()
    later_check = run_playbook(playbook, args=loud + ("--check",))
    outputs.append(later_check.output)
    assert authentik.writes() == [] and minio.writes() == [], (authentik.writes(), minio.writes())

    secrets = {"authentik token": AUTHENTIK_TOKEN, "client secret": provider["client_secret"],
               "MinIO secret key": ROOT_PASSWORD}
    assert all(len(value) >= 16 for value in secrets.values())
    leaks = ["%s in run %d" % (name, index + 1) for index, output in enumerate(outputs)
             for name, value in secrets.items() if value in output]
    assert leaks == []
