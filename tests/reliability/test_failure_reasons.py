# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module failure carries its real reason, in words a user understands.

For each module and each kind of reason that applies to it, one case makes the module fail:

* ``unreachable``: the url is a closed port (127.0.0.1:9): the message names the address and says it could not
  reach or connect to it;
* ``credentials``: a wrong authentik token or a wrong MinIO secret key (for minio_sts_login, whose login uses
  nothing but the ID token, an ID token MinIO does not trust): the message names the credential;
* ``server error``: the double answers the module's own call with an error (fault injection, 500 on writes and
  on reads that are not retried, 503 often enough on reads that are): the message has the status and the server's
  words;
* ``missing``: an object the module refers to (flow, group, application, provider, user, policy, role) does not
  exist: the message names it and says it is not found.

The cases run in two groups (alternate modules), one ansible-playbook run each, on a pair of doubles of their own,
the two runs side by side (one run of all 48 took 100 s on 2 cores): each case is a block whose rescue records
``ansible_failed_result``; the faults are armed by a task of the block (``/_double/faults``) and disarmed in its
``always``. A case passes when the task failed, its message has the words, it is no crash (no traceback, no
``MODULE FAILURE``, no bare ``Module failed: 'msg'``) and no secret appears anywhere in the output. The table
printed at the end (module x reason) is the report: ``pytest -s tests/reliability/test_failure_reasons.py``.
"""

from __future__ import annotations

import json
import re
import time

from reliability_support import (
    AUTHENTIK_TOKEN,
    ROOT_PASSWORD,
    ROOT_USER,
    run_side_by_side,
    write_playbook,
)
from test_bad_input import (
    CRASH,
    FRESH_TOKEN,
    NOT_FOUND,
    OPENID,
    PROVIDER,
    UNREACHABLE,
    WRONG_SECRET,
    setup_doubles,
    short,
    words_found,
)

WRONG_TOKEN = "rel-wrong-authentik-token-M4n7Bv2Cx9Zq"
REACH = ("reach", "connect")
AUTHENTIK_WORDS = "Rel injected failure: database is locked"
MINIO_WORDS = "Rel injected failure: drive offline"
AUTHENTIK_BODY = json.dumps({"detail": AUTHENTIK_WORDS})
ADMIN_BODY = json.dumps({"Code": "XMinioServerError", "Message": MINIO_WORDS, "Resource": "/", "RequestId": "rel"})
S3_BODY = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>%s</Message>'
           '<Resource>/</Resource><RequestId>rel</RequestId></Error>' % MINIO_WORDS)
STS_BODY = ('<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>InternalError</Code>'
            '<Message>%s</Message></Error><RequestId>rel</RequestId></ErrorResponse>' % MINIO_WORDS)
SECRETS = (AUTHENTIK_TOKEN, ROOT_PASSWORD, WRONG_SECRET, WRONG_TOKEN, OPENID["client_secret"], FRESH_TOKEN)

MAPPING = dict(name="Fr mapping", scope_name="fr", expression="return {}")
APP = dict(slug="fr-app", name="Fr app")
BINDING = dict(application="taken", group="Reliability group")
BUCKET = dict(name="fr-bucket")
POLICY = dict(name="fr-policy", policy={"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::fr/*"]}]})
STS = dict(id_token=FRESH_TOKEN, probe=False)
MODULE_ARGS = {
    "authentik_application": APP,
    "authentik_deployment": dict(name="fr-deploy", objects=dict(application="fr-deploy")),
    "authentik_group": dict(name="Fr group"),
    "authentik_info": dict(kind="flow"),
    "authentik_oauth2_provider": dict(PROVIDER, name="Fr provider"),
    "authentik_policy_binding": BINDING,
    "authentik_scope_mapping": MAPPING,
    "authentik_service_account": dict(name="fr-service-account"),
    "minio_bucket": BUCKET,
    "minio_identity_openid": dict(OPENID, client_id="minio-fr"),
    "minio_info": dict(policies=["readonly"]),
    "minio_policy": POLICY,
    "minio_sts_login": STS,
}


def server_error(module, double, method, path, status=500, count=10):
    """The server-error case of ``module``: its call ``method path`` answered ``status`` with the server's words."""
    body = {"authentik": AUTHENTIK_BODY, "admin": ADMIN_BODY, "s3": S3_BODY, "sts": STS_BODY}[double]
    fault = dict(method=method, path=path, status=status, count=count, body=body)
    words = [str(status), AUTHENTIK_WORDS if double == "authentik" else MINIO_WORDS]
    return (module, "server error", MODULE_ARGS[module], ("authentik" if double == "authentik" else "minio", fault), words)


# (module, reason, arguments, (double, fault) or None, words the message must contain; a tuple = one of)
CASES = []
for _module in sorted(MODULE_ARGS):
    _args = MODULE_ARGS[_module]
    CASES.append((_module, "unreachable", dict(_args, url=UNREACHABLE), None, ["127.0.0.1:9", REACH]))
    if _module.startswith("authentik"):
        CASES.append((_module, "credentials", dict(_args, token=WRONG_TOKEN), None, ["token", ("invalid", "refused", "401", "403")]))
    elif _module == "minio_sts_login":
        CASES.append((_module, "credentials", _args, None, ["refused", "token", "InvalidParameterValue"]))
    else:  # minio-py cannot read MinIO's error code from the answer to HEAD (no body): it says AccessDenied
        CASES.append((_module, "credentials", dict(_args, secret_key=WRONG_SECRET), None,
                      ["secret_key", "SignatureDoesNotMatch" if _module != "minio_bucket" else "refused the credentials"]))
CASES += [
    server_error("authentik_application", "authentik", "POST", "^/api/v3/core/applications/"),
    server_error("authentik_deployment", "authentik", "GET", "^/api/v3/core/applications/"),
    server_error("authentik_group", "authentik", "POST", "^/api/v3/core/groups/"),
    server_error("authentik_info", "authentik", "GET", "^/api/v3/flows/instances/", status=503),
    server_error("authentik_oauth2_provider", "authentik", "POST", "^/api/v3/providers/oauth2/"),
    server_error("authentik_policy_binding", "authentik", "POST", "^/api/v3/policies/bindings/"),
    server_error("authentik_scope_mapping", "authentik", "POST", "^/api/v3/propertymappings/provider/scope/"),
    server_error("authentik_service_account", "authentik", "POST", "^/api/v3/core/users/service_account/"),
    server_error("minio_bucket", "s3", "PUT", "^/fr-bucket"),
    server_error("minio_identity_openid", "admin", "GET", "^/minio/admin/v3/"),
    server_error("minio_info", "admin", "GET", "^/minio/admin/v3/info-canned-policy", status=503),
    server_error("minio_policy", "admin", "PUT", "^/minio/admin/v3/add-canned-policy"),
    server_error("minio_sts_login", "sts", "POST", r"^/(\?|$)"),
    # --- a referenced object that does not exist
    ("authentik_application", "missing provider", dict(APP, provider="No such provider"), None,
     ["provider", "No such provider", NOT_FOUND]),
    ("authentik_oauth2_provider", "missing flow", dict(PROVIDER, name="Fr provider", authorization_flow="no-such-flow"), None,
     ["authorization_flow", "no-such-flow", NOT_FOUND]),
    ("authentik_group", "missing user", dict(name="Fr group", users=["nobody-here"]), None, ["users", "nobody-here", NOT_FOUND]),
    ("authentik_policy_binding", "missing application", dict(BINDING, application="no-such-app"), None,
     ["application", "no-such-app", NOT_FOUND]),
    ("authentik_policy_binding", "missing group", dict(BINDING, group="No such group"), None, ["group", "No such group", NOT_FOUND]),
    ("authentik_policy_binding", "missing user", dict(application="taken", user="nobody-here"), None,
     ["user", "nobody-here", NOT_FOUND]),
    ("authentik_service_account", "missing group", dict(name="fr-service-account", groups=["No such group"]), None,
     ["groups", "No such group", NOT_FOUND]),
    ("minio_identity_openid", "missing application", dict(OPENID, client_id="minio-fr",
                                                          config_url="{authentik_url}/application/o/no-such-app/.well-known/openid-configuration"),
     None, ["config_url", "no-such-app", ("404", "not found")]),
    ("minio_sts_login", "missing role", dict(STS, role_arn="arn:minio:iam:::role/no-such-role"), None,
     ["arn:minio:iam:::role/no-such-role", NOT_FOUND + ("not defined",)]),
]


def control(double_url, method, fault=None):
    task = {"url": double_url + "/_double/faults", "method": method, "status_code": [200, 201, 204], "use_proxy": False}
    if fault is not None:
        task.update(body_format="json", body=fault)
    return {"ansible.builtin.uri": task}


def substitute(value, names):
    if isinstance(value, str):
        for key, text in names.items():
            value = value.replace("{%s}" % key, text)
        return value
    if isinstance(value, dict):
        return {key: substitute(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, names) for item in value]
    return value


def playbook(group, indexes, authentik, minio, tmp_path):
    urls = {"authentik": authentik.url, "minio": minio.url}
    tasks = []
    record = "{{ outcomes | combine({'%d': %s}) }}"
    failure = ("{'failed': true, 'msg': ansible_failed_result.msg | default('') | string,"
               " 'exception': ansible_failed_result.exception | default('') | string,"
               " 'stderr': ansible_failed_result.module_stderr | default('') | string,"
               " 'stdout': ansible_failed_result.module_stdout | default('') | string}")
    for index in indexes:
        module, reason, args, fault, _words = CASES[index]
        block = []
        if fault:
            block.append(dict(control(urls[fault[0]], "POST", fault[1]), name="Arm the fault of case %d" % index))
        block.append({"name": "Case %d: %s, %s" % (index, module, reason),
                      "sso.authentik_minio.%s" % module: substitute(args, {"authentik_url": authentik.url})})
        block.append({"name": "Record that case %d passed" % index,
                      "ansible.builtin.set_fact": {"outcomes": record % (index, "{'failed': false}")}})
        tasks.append({
            "name": "Case %d" % index, "block": block,
            "rescue": [{"name": "Record the failure of case %d" % index,
                        "ansible.builtin.set_fact": {"outcomes": record % (index, failure)}}],
            "always": [dict(control(url, "DELETE"), name="Disarm the faults on %s" % name) for name, url in urls.items()] if fault else [],
        })
    out = tmp_path / ("outcomes-%s.json" % group)
    tasks.append({"name": "Save the outcomes", "ansible.builtin.copy": {"content": "{{ outcomes | to_json }}", "dest": str(out)}})
    path = write_playbook(tmp_path / ("failure_reasons-%s.yml" % group), tasks, play_vars={"outcomes": {}}, module_defaults={
        "group/sso.authentik_minio.authentik": {"url": authentik.url, "token": AUTHENTIK_TOKEN, "timeout": 10},
        "group/sso.authentik_minio.minio": {"url": minio.url, "access_key": ROOT_USER, "secret_key": ROOT_PASSWORD, "timeout": 10},
    })
    return path, out


def judge(outcome, words):
    """-> (ok, what): the case's verdict and its message (or why there is none)."""
    if outcome is None:
        return False, "(no outcome recorded: the play stopped)"
    if not outcome.get("failed"):
        return False, "(did not fail)"
    text = "\n".join(outcome.get(k, "") for k in ("msg", "exception", "stderr", "stdout"))
    if CRASH.search(text):
        return False, "crash: " + short(text, 300)
    if not words_found(outcome["msg"], words):
        return False, "unclear: " + outcome["msg"]
    return True, outcome["msg"]


def run_groups(doubles, tmp_path):
    """The cases in two groups (alternate modules, so that each has about as many slow retried reads), each group in
    one ansible-playbook run on a pair of doubles of its own, the two runs side by side -> (outcomes, output, times)."""
    runs = {}
    for group in ("even", "odd"):
        indexes = [index for index, case in enumerate(CASES) if sorted(MODULE_ARGS).index(case[0]) % 2 == (group == "odd")]
        authentik, minio = doubles()
        (tmp_path / group).mkdir()
        setup_doubles(authentik, minio, tmp_path / group)
        runs[group] = dict(zip(("path", "out"), playbook(group, indexes, authentik, minio, tmp_path)))

    run_side_by_side(runs.values())
    outcomes, outputs = {}, []
    for group, run in sorted(runs.items()):
        result = run["result"]
        assert run["out"].exists(), "the %s play stopped (rc=%d) before saving its outcomes:\n%s" % (
            group, result.rc, result.output[-6000:])
        outcomes.update(json.loads(run["out"].read_text()))
        outputs.append(result.output)
    return outcomes, "\n".join(outputs), ", ".join("%s %.0f s" % (g, run["seconds"]) for g, run in sorted(runs.items()))


def test_every_failure_carries_its_reason(doubles, tmp_path):
    started = time.monotonic()
    outcomes, output, times = run_groups(doubles, tmp_path)
    elapsed = time.monotonic() - started

    rows, bad = [], []
    for index, (module, reason, _args, _fault, words) in enumerate(CASES):
        ok, what = judge(outcomes.get(str(index)), words)
        rows.append("| %s | %s | %s | %s |" % (module, reason, "ok" if ok else "FAILING", short(what, 150).replace("|", "\\|")))
        if not ok:
            bad.append("%s / %s: %s (expected %s)" % (module, reason, what, words))
    modules = sorted(set(case[0] for case in CASES))
    kinds = len(set(case[1].split()[0] for case in CASES))
    summary = ("%d cases over %d modules and %d kinds of reason, %d carry their reason; one ansible-playbook run per "
               "double pair (2, side by side: %s), %.0f s in all" % (len(CASES), len(modules), kinds, len(CASES) - len(bad),
                                                                     times, elapsed))
    lines = [summary, "| module | reason | verdict | message |", "|---|---|---|---|"] + rows
    print("\n" + "\n".join(lines))
    crashes = sorted(set(re.findall(r"Traceback \(most recent call last\)|MODULE FAILURE|Module failed: '\w+'", output)))
    leaked = [secret[:6] + "..." for secret in SECRETS if secret in output]
    assert not bad, "\n".join(bad + lines)
    assert not crashes, "the output has %s:\n%s" % (crashes, output[-6000:])
    assert not leaked, "secrets in the output: %s" % leaked
    assert set(modules) == set(MODULE_ARGS) and len(modules) == 13
