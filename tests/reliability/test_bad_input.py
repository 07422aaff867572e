# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input is refused before anything is written, with a message that names the field and the problem.

One table, one ansible-playbook run: every case is a block whose rescue records the failure message, so a
case that does not fail shows up as such. Both doubles' request logs must show no write for the whole run.
"""

from __future__ import annotations

import json

from reliability_support import (
    AUTHENTIK_TOKEN,
    ROOT_PASSWORD,
    ROOT_USER,
    AuthentikApi,
    inventory,
    run_playbook,
    self_signed,
    write_playbook,
)

FLOW = "default-provider-authorization-implicit-consent"
CALLBACK = "https://minio.example/oauth_callback"
PROVIDER = dict(name="Reliability provider", redirect_uris=[CALLBACK], authorization_flow=FLOW)
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}]}
OPENID = dict(config_url="http://127.0.0.1:9/.well-known/openid-configuration", client_id="minio", client_secret="bad-input-secret-0123")
ROLE = "include_role"

# (case id, module or ROLE, arguments or role variables, words the message must contain (case-insensitive))
CASES = [
    # authentik modules
    ("wrong token", "authentik_scope_mapping", dict(name="r", scope_name="r", expression="return {}", token="wrong-token-0123"),
     ["token", "invalid"]),
    ("url without scheme", "authentik_info", dict(kind="flow", url="127.0.0.1:9000"), ["url", "must start with http"]),
    ("unknown flow slug", "authentik_oauth2_provider", dict(PROVIDER, authorization_flow="no-such-flow"),
     ["authorization_flow", "no-such-flow", "not found"]),
    ("keypair without a key", "authentik_oauth2_provider", dict(PROVIDER, signing_key="Certificate only"),
     ["signing_key", "no private key"]),
    ("provider of another application", "authentik_application", dict(slug="new-app", name="New", provider="Other provider"),
     ["provider", "already serves application 'taken'"]),
    ("redirect URI with a space", "authentik_oauth2_provider", dict(PROVIDER, redirect_uris=["https://minio.example/oauth callback"]),
     ["redirect_uris[0]", "white space"]),
    ("redirect URI matching mode", "authentik_oauth2_provider", dict(PROVIDER, redirect_uris=[dict(url=CALLBACK, matching_mode="fuzzy")]),
     ["matching_mode", "must be one of"]),
    ("negative authentik timeout", "authentik_info", dict(kind="flow", timeout=-1), ["timeout", "greater than 0"]),
    ("duration not in authentik's format", "authentik_oauth2_provider", dict(PROVIDER, access_token_validity="forever"),
     ["access_token_validity", "duration format"]),
    ("unknown scope mapping", "authentik_oauth2_provider", dict(PROVIDER, property_mappings=["No such mapping"]),
     ["property_mappings", "not found"]),
    ("client type not a choice", "authentik_oauth2_provider", dict(PROVIDER, client_type="secretive"), ["client_type", "one of"]),
    ("unknown provider", "authentik_application", dict(slug="new-app", name="New", provider="No such provider"),
     ["provider", "not found"]),
    ("application without a name", "authentik_application", dict(slug="new-app"), ["name", "needs"]),
    ("binding to an unknown group", "authentik_policy_binding", dict(application="taken", group="No such group"),
     ["group", "not found"]),
    ("binding to an unknown application", "authentik_policy_binding", dict(application="no-such-app", group="Reliability group"),
     ["application", "not found"]),
    ("group with an unknown user", "authentik_group", dict(name="New group", users=["nobody-here"]), ["users", "not found"]),
    ("info of an unknown kind", "authentik_info", dict(kind="gizmo"), ["kind", "one of"]),
    # MinIO modules
    ("MinIO value with an embedded key=", "minio_identity_openid", dict(OPENID, display_name="SSO client_id=evil"),
     ["display_name", "client_id="]),
    ("claim name with role_policy", "minio_identity_openid", dict(OPENID, claim_name="groups", role_policy=["readonly"]),
     ["claim_name", "role_policy"]),
    ("scope with a space", "minio_identity_openid", dict(OPENID, scopes=["openid", "my scope"]), ["scopes", "spaces"]),
    ("target name", "minio_identity_openid", dict(OPENID, name="my target!"), ["name", "my target!"]),
    ("negative restart timeout", "minio_identity_openid", dict(OPENID, restart_timeout=-5), ["restart_timeout", "greater than 0"]),
    ("new target without client secret", "minio_identity_openid", dict(config_url=OPENID["config_url"], client_id="minio"),
     ["client_secret", "needs"]),
    ("non-JSON policy text", "minio_policy", dict(name="p", policy="{not json"), ["policy", "not valid JSON"]),
    ("policy name with a comma", "minio_policy", dict(name="a,b", policy=POLICY), ["name", "comma"]),
    ("MinIO URL without scheme", "minio_policy", dict(name="p", policy=POLICY, url="127.0.0.1:9000"), ["url", "http"]),
    ("MinIO URL with a path", "minio_policy", dict(name="p", policy=POLICY, url="http://127.0.0.1:9000/minio"), ["url", "path"]),
    ("wrong MinIO secret key", "minio_policy", dict(name="p", policy=POLICY, secret_key="wrong-secret-key-0123"),
     ["secret_key", "SignatureDoesNotMatch"]),
    ("unknown MinIO access key", "minio_policy", dict(name="p", policy=POLICY, access_key="nobody"), ["access_key", "InvalidAccessKeyId"]),
    ("negative MinIO timeout", "minio_policy", dict(name="p", policy=POLICY, timeout=-1), ["timeout", "greater than 0"]),
    # the role
    ("role without a token", ROLE, dict(minio_sso_authentik_token=None), ["minio_sso_authentik_token"]),
    ("role state not a choice", ROLE, dict(minio_sso_state="maybe"), ["minio_sso_state", "maybe"]),
    ("role with a wrong token", ROLE, dict(minio_sso_authentik_token="wrong-token-0123"), ["token", "invalid"]),
    ("role with an unknown policy name", ROLE, dict(minio_sso_policy=["no-such-policy"]), ["minio_sso_policy", "no-such-policy"]),
    ("role mapping an unknown policy", ROLE, dict(minio_sso_group_policies=[dict(group="G", policies=["readonly", "nope-policy"])]),
     ["minio_sso_group_policies", "nope-policy"]),
    ("role with a negative restart timeout", ROLE, dict(minio_sso_restart_timeout=-1), ["minio_sso_restart_timeout", "greater than 0"]),
    ("role console URL without scheme", ROLE, dict(minio_sso_console_url="minio.example:9001"), ["minio_sso_console_url", "http"]),
]


def case_block(index, case_id, module, args, base_role_vars):
    if module == ROLE:
        role_vars = dict(base_role_vars)
        for key, value in args.items():
            if value is None:
                role_vars.pop(key)
            else:
                role_vars[key] = value
        task = {"ansible.builtin.include_role": {"name": "sso.authentik_minio.minio_sso"}, "vars": role_vars}
    else:
        task = {"sso.authentik_minio.%s" % module: args}
    task["name"] = "Case %d: %s" % (index, case_id)
    record = "{{ outcomes | combine({'%d': %s}) }}"
    return {
        "name": "Case %d" % index,
        "block": [task, {"name": "Record that case %d passed" % index,
                         "ansible.builtin.set_fact": {"outcomes": record % (index, "{'failed': false}")}}],
        "rescue": [{"name": "Record the failure of case %d" % index,
                    "ansible.builtin.set_fact": {"outcomes": record % (
                        index, "{'failed': true, 'msg': ansible_failed_result.msg | default('') | string}")}}],
    }


def setup_authentik(authentik, tmp_path):
    """A keypair without a private key, and a provider that already serves application 'taken'."""
    api = AuthentikApi(authentik)
    cert, _key = self_signed(tmp_path)
    with open(cert) as handle:
        api.post("crypto/certificatekeypairs/", {"name": "Certificate only", "certificate_data": handle.read()})
    other = api.post("providers/oauth2/", {
        "name": "Other provider",
        "authorization_flow": api.get("flows/instances/%s/" % FLOW)["pk"],
        "invalidation_flow": api.get("flows/instances/default-provider-invalidation-flow/")["pk"],
        "redirect_uris": [{"matching_mode": "strict", "url": CALLBACK}],
    })
    api.post("core/applications/", {"name": "Taken", "slug": "taken", "provider": other["pk"]})
    api.post("core/groups/", {"name": "Reliability group"})


def test_bad_inputs_are_refused_before_any_write(doubles, tmp_path):
    authentik, minio = doubles()
    setup_authentik(authentik, tmp_path)
    authentik.clear_requests()
    minio.clear_requests()
    out = tmp_path / "outcomes.json"
    base_role_vars = inventory(authentik, minio)
    tasks = [case_block(i, case_id, module, args, base_role_vars) for i, (case_id, module, args, _words) in enumerate(CASES)]
    tasks.append({"name": "Save the outcomes", "ansible.builtin.copy": {"content": "{{ outcomes | to_json }}", "dest": str(out)}})
    path = write_playbook(
        tmp_path / "bad_input.yml", tasks, play_vars={"outcomes": {}},
        module_defaults={
            "group/sso.authentik_minio.authentik": {"url": authentik.url, "token": AUTHENTIK_TOKEN, "timeout": 10},
            "group/sso.authentik_minio.minio": {"url": minio.url, "access_key": ROOT_USER, "secret_key": ROOT_PASSWORD, "timeout": 10},
        })
    result = run_playbook(path)

    outcomes = json.loads(out.read_text())
    problems = []
    for index, (case_id, module, _args, words) in enumerate(CASES):
        outcome = outcomes.get(str(index), {})
        msg = outcome.get("msg", "")
        if not outcome.get("failed"):
            problems.append("%s (%s): did not fail" % (case_id, module))
        elif any(word.lower() not in msg.lower() for word in words):
            problems.append("%s (%s): message %r lacks one of %s" % (case_id, module, msg, words))
    assert problems == [], "\n".join(problems)
    assert len(CASES) >= 25
    # No case wrote anything: the doubles saw reads only.
    assert authentik.writes() == [] and minio.writes() == [], (authentik.writes(), minio.writes())
    for secret in (AUTHENTIK_TOKEN, ROOT_PASSWORD, OPENID["client_secret"], "wrong-secret-key-0123"):
        assert secret not in result.output
