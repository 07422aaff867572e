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

The cases run in this process (tests/module_runner.py: the module's ``main()`` with the arguments a task would
pass, its JSON result read back), one after the other on one pair of doubles; a case's fault is armed on its double
from here (``/_double/faults``) just before it and every fault disarmed just after. A case passes when the module
failed, its message has the words, it is no crash (the module raised, or a traceback, ``MODULE FAILURE``, a bare
``Module failed: 'msg'`` in its result) and no secret appears anywhere in its result (its JSON). The table printed
at the end (module x reason) is the report: ``pytest -s tests/reliability/test_failure_reasons.py``.
"""

from __future__ import annotations

import json
import time

import pytest

from reliability_support import AUTHENTIK_TOKEN, ROOT_PASSWORD
from test_bad_input import (
    CRASH,
    FRESH_TOKEN,
    NOT_FOUND,
    OPENID,
    PROVIDER,
    UNREACHABLE,
    WRONG_SECRET,
    connection,
    in_process,
    setup_doubles,
    short,
    substitute,
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


def run_case(index, run, doubles_):
    """Case ``index`` in this process, its fault armed on its double just before and every fault disarmed just
    after -> the module's result."""
    module, _reason, args, fault, _words = CASES[index]
    if fault:
        doubles_[fault[0]].fault(**fault[1])
    try:
        return run(module, substitute(args, {"authentik_url": doubles_["authentik"].url}))
    finally:
        if fault:
            for double in doubles_.values():
                double.clear_faults()


def judge(result, words):
    """-> (ok, what): the case's verdict and its message (or why there is none)."""
    if not result.get("failed"):
        return False, "(did not fail)"
    text = "\n".join(str(result.get(k, "")) for k in ("msg", "exception", "crash"))
    if result.get("crash") or CRASH.search(text):
        return False, "crash: " + short(text, 300)
    if not words_found(str(result.get("msg", "")), words):
        return False, "unclear: " + str(result.get("msg", ""))
    return True, result["msg"]


def test_every_failure_carries_its_reason(doubles, tmp_path):
    authentik, minio = doubles()
    setup_doubles(authentik, minio, tmp_path)
    run = in_process(connection(authentik, minio))
    started = time.monotonic()
    rows, bad, leaked, seconds = [], [], set(), []
    for index, (module, reason, _args, _fault, words) in enumerate(CASES):
        begin = time.monotonic()
        result = run_case(index, run, {"authentik": authentik, "minio": minio})
        seconds.append((time.monotonic() - begin, index))
        ok, what = judge(result, words)
        rows.append("| %s | %s | %s | %s |" % (module, reason, "ok" if ok else "FAILING", short(what, 150).replace("|", "\\|")))
        if not ok:
            bad.append("%s / %s: %s (expected %s)" % (module, reason, what, words))
        text = json.dumps(result)
        leaked.update(secret[:6] + "..." for secret in SECRETS if secret in text)
    elapsed = time.monotonic() - started

    modules = sorted(set(case[0] for case in CASES))
    kinds = len(set(case[1].split()[0] for case in CASES))
    slowest = ", ".join("%s / %s %.1f s" % (CASES[index][0], CASES[index][1], took) for took, index in sorted(seconds, reverse=True)[:3])
    summary = ("%d cases over %d modules and %d kinds of reason, %d carry their reason; run in-process one after the other "
               "on one pair of doubles, %.0f s in all (slowest: %s)") % (len(CASES), len(modules), kinds, len(CASES) - len(bad), elapsed, slowest)
    lines = [summary, "| module | reason | verdict | message |", "|---|---|---|---|"] + rows
    print("\n" + "\n".join(lines))
    assert not bad, "\n".join(bad + lines)
    assert not leaked, "secrets in a module's result: %s" % sorted(leaked)
    assert set(modules) == set(MODULE_ARGS) and len(modules) == 13


def test_a_crash_an_unclear_message_and_a_success_fail_the_judge():
    words = ["token", ("invalid", "refused")]
    assert judge({"failed": True, "msg": "authentik refused the token: invalid"}, words) == (True, "authentik refused the token: invalid")
    assert judge({"changed": False}, words) == (False, "(did not fail)")
    assert not judge({"failed": True, "msg": "MODULE FAILURE", "crash": "Traceback (most recent call last):\n..."}, words)[0]
    assert judge({"failed": True, "msg": "token invalid: KeyError"}, words)[1].startswith("crash: ")
    assert judge({"failed": True, "msg": "Module failed: 'detail'"}, words)[1].startswith("crash: ")
    assert judge({"failed": True, "msg": "the request failed"}, words) == (False, "unclear: the request failed")


def test_each_case_arms_its_fault_and_disarms_every_fault_after():
    calls = []

    class Double:
        url = "http://127.0.0.1:1"

        def __init__(self, name):
            self.name = name

        def fault(self, **spec):
            calls.append((self.name, "arm", spec["path"]))

        def clear_faults(self):
            calls.append((self.name, "disarm"))

    doubles_ = {"authentik": Double("authentik"), "minio": Double("minio")}
    faulted = next(index for index, case in enumerate(CASES) if case[3] and case[3][0] == "minio")
    plain = next(index for index, case in enumerate(CASES) if not case[3])

    def run(module, args):
        calls.append(("run", module))
        raise RuntimeError("the run may fail: the faults are disarmed all the same")

    with pytest.raises(RuntimeError):
        run_case(faulted, run, doubles_)
    assert calls == [("minio", "arm", CASES[faulted][3][1]["path"]), ("run", CASES[faulted][0]),
                     ("authentik", "disarm"), ("minio", "disarm")]
    del calls[:]
    with pytest.raises(RuntimeError):
        run_case(plain, run, doubles_)
    assert calls == [("run", CASES[plain][0])]
