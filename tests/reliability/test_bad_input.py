# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input is refused before anything is written, with a message that names the field and the problem.

Every case of the table is one bad input to one module or to the role, with the words its message must contain
(case-insensitive). A *write* is any request other than GET, HEAD or OPTIONS that reached a double, answered 2xx or
refused: a module that leaves the check of its input to the server has not refused it before writing.

The module cases run in this process (tests/module_runner.py: the module's ``main()`` with the arguments a task
would pass, its JSON result read back), one after the other on a pair of fresh doubles; both doubles' request logs
are read after each case, so that the requests of each case - and so its writes - are known exactly. The role cases
(``include_role``: the role's own messages and checks) run as blocks of two ansible-playbook runs, each on fresh
doubles, side by side with the module cases: a block's rescue records the failure, and after every case the length
of both doubles' request logs is recorded.

Each case is classified from its outcome:

* ``refused-before-write``: it failed, the message has the words, and neither double saw a write during the case;
* ``refused-after-write``: it failed, but something was written (or sent to be written) first - a half-write;
* ``accepted``: it did not fail;
* ``crash``: a module that raised instead of failing with a message, a traceback, ``MODULE FAILURE``, a bare
  ``Module failed: 'msg'``-style exception text or a template error of the role instead of a message (checked
  before the writes, so a crash after a write is a crash);
* ``unclear-message``: it failed before writing, but the message lacks one of the words.

The test fails when any case is not ``refused-before-write`` and prints the table of those cases, with the figures
of docs/reliability.md: ``pytest -q tests/reliability/test_bad_input.py`` is also the report. It fails too when a
secret shows in a module case's result (its JSON) or in the role runs' output. The tests at the end of this file
show the classifier and the attribution of writes failing a half-write, a crash and an accepted input.

Cases do not share objects: module cases name their objects after the case (``{case}``), and each role case runs
with an application slug of its own (unless the case is about the slug), so that a case accepted earlier leaves
nothing a later one could find and skip writing - its own half-write would then hide behind the earlier one's.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time

import jwt
from minio import Minio

from certificates import self_signed  # tests/doubles, on sys.path through tests/conftest.py
from harness import READS
from module_runner import module_runner  # tests/, on sys.path through tests/conftest.py
from reliability_support import (
    AUTHENTIK_TOKEN,
    CLIENT_SECRET,
    ROOT_PASSWORD,
    ROOT_USER,
    AuthentikApi,
    inventory,
    role_task,
    run_side_by_side,
    write_playbook,
)

FLOW = "default-provider-authorization-implicit-consent"
CALLBACK = "https://minio.example/oauth_callback"
MANAGED_OPENID = "authentik default OAuth Mapping: OpenID 'openid'"
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: connection refused at once
WRONG_SECRET = "wrong-secret-key-0123"
MAPPING = dict(name="Rel mapping {case}", scope_name="rel", expression="return {}")
PROVIDER = dict(name="Rel provider {case}", redirect_uris=[CALLBACK], authorization_flow=FLOW)
APPLICATION = dict(slug="rel-app-{case}", name="Rel app {case}")
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}]}
OPENID = dict(config_url=UNREACHABLE + "/.well-known/openid-configuration", client_id="minio-{case}",
              client_secret="bad-input-secret-0123")
ROLE = "include_role"
# A word may be a tuple of alternatives, one of which the message must contain.
NOT_FOUND = ("not found", "does not exist")


def statement(**changes):
    return {"Version": "2012-10-17", "Statement": [dict(POLICY["Statement"][0], **changes)]}


def id_token(expires_in):
    """A well-formed ID token (signed by no provider MinIO knows) that expires in ``expires_in`` seconds."""
    now = int(time.time())
    claims = {"iss": "https://auth.example/application/o/minio/", "sub": "rel", "aud": "minio", "iat": now - 60,
              "exp": now + expires_in, "policy": "readonly"}
    return jwt.encode(claims, "rel-signing-key-not-a-real-one-0123456789", algorithm="HS256")


# (case id, module or ROLE, arguments or role variables (None removes a role variable), words the message must contain)
# In strings, {case} is the case's own suffix, {minio_url} and {authentik_url} the doubles' URLs.
CASES = [
    # --- authentik_scope_mapping
    ("wrong token", "authentik_scope_mapping", dict(MAPPING, token="wrong-token-0123"), ["token", "invalid"]),
    ("expression with a syntax error", "authentik_scope_mapping", dict(MAPPING, expression="return {"), ["expression", "syntax"]),
    ("mapping without scope_name", "authentik_scope_mapping", dict(name="Rel mapping {case}", expression="return {}"),
     ["scope_name", "needs"]),
    ("mapping without expression", "authentik_scope_mapping", dict(name="Rel mapping {case}", scope_name="rel"),
     ["expression", "needs"]),
    ("scope name with a space", "authentik_scope_mapping", dict(MAPPING, scope_name="my scope"), ["scope_name", "space"]),
    ("empty mapping name", "authentik_scope_mapping", dict(MAPPING, name=""), ["name", "empty"]),
    ("owner on authentik's managed openid mapping", "authentik_scope_mapping", dict(MAPPING, name=MANAGED_OPENID, owner="rel"),
     ["managed", "openid"]),
    ("owner on an unmarked mapping", "authentik_scope_mapping", dict(MAPPING, name="Unmarked mapping", owner="rel"),
     ["Unmarked mapping", "adopt"]),
    # --- authentik_oauth2_provider
    ("unknown flow slug", "authentik_oauth2_provider", dict(PROVIDER, authorization_flow="no-such-flow"),
     ["authorization_flow", "no-such-flow", NOT_FOUND]),
    ("keypair without a key", "authentik_oauth2_provider", dict(PROVIDER, signing_key="Certificate only"),
     ["signing_key", "no private key"]),
    ("redirect URI with a space", "authentik_oauth2_provider", dict(PROVIDER, redirect_uris=["https://minio.example/oauth callback"]),
     ["redirect_uris[0]", "white space"]),
    ("redirect URI matching mode", "authentik_oauth2_provider", dict(PROVIDER, redirect_uris=[dict(url=CALLBACK, matching_mode="fuzzy")]),
     ["matching_mode", "must be one of"]),
    ("duration not in authentik's format", "authentik_oauth2_provider", dict(PROVIDER, access_token_validity="forever"),
     ["access_token_validity", "duration format"]),
    ("unknown scope mapping", "authentik_oauth2_provider", dict(PROVIDER, property_mappings=["No such mapping"]),
     ["property_mappings", NOT_FOUND]),
    ("client type not a choice", "authentik_oauth2_provider", dict(PROVIDER, client_type="secretive"), ["client_type", "one of"]),
    ("provider without redirect URIs", "authentik_oauth2_provider", dict(name="Rel provider {case}", authorization_flow=FLOW),
     ["redirect_uris", "needs"]),
    ("redirect URI without scheme", "authentik_oauth2_provider", dict(PROVIDER, redirect_uris=["minio.example/oauth_callback"]),
     ["redirect_uris[0]", "http"]),
    ("regex redirect URI that does not compile", "authentik_oauth2_provider",
     dict(PROVIDER, redirect_uris=[dict(url="https://(minio\\.example/.*", matching_mode="regex")]),
     ["redirect_uris[0]", "regular expression"]),
    ("redirect URI entry without url", "authentik_oauth2_provider", dict(PROVIDER, redirect_uris=[dict(matching_mode="strict")]),
     ["redirect_uris[0]", "url"]),
    ("unknown invalidation flow", "authentik_oauth2_provider", dict(PROVIDER, invalidation_flow="no-such-flow"),
     ["invalidation_flow", NOT_FOUND]),
    ("unknown signing key", "authentik_oauth2_provider", dict(PROVIDER, signing_key="No such keypair"), ["signing_key", NOT_FOUND]),
    ("authentication flow as authorization flow", "authentik_oauth2_provider",
     dict(PROVIDER, authorization_flow="default-authentication-flow"), ["authorization_flow", "designation"]),
    ("zero access code validity", "authentik_oauth2_provider", dict(PROVIDER, access_code_validity="seconds=0"),
     ["access_code_validity", "greater than 0"]),
    ("negative refresh token validity", "authentik_oauth2_provider", dict(PROVIDER, refresh_token_validity="days=-1"),
     ["refresh_token_validity", "greater than 0"]),
    ("grant type not a choice", "authentik_oauth2_provider", dict(PROVIDER, grant_types=["magic"]), ["grant_types", "magic"]),
    ("empty client_id", "authentik_oauth2_provider", dict(PROVIDER, client_id=""), ["client_id", "empty"]),
    # --- authentik_application
    ("provider of another application", "authentik_application", dict(APPLICATION, provider="Other provider"),
     ["provider", "already serves application 'taken'"]),
    ("unknown provider", "authentik_application", dict(APPLICATION, provider="No such provider"), ["provider", NOT_FOUND]),
    ("application without a name", "authentik_application", dict(slug="rel-app-{case}"), ["name", "needs"]),
    ("slug with a space", "authentik_application", dict(APPLICATION, slug="my app"), ["slug", "letters, digits"]),
    ("launch URL that is not a URL", "authentik_application", dict(APPLICATION, meta_launch_url="not a url"),
     ["meta_launch_url", "http"]),
    ("owner on an unmarked application", "authentik_application", dict(slug="taken", name="Taken", owner="rel"), ["taken", "adopt"]),
    # --- authentik_group
    ("group with an unknown user", "authentik_group", dict(name="Rel group {case}", users=["nobody-here"]), ["users", NOT_FOUND]),
    ("empty group name", "authentik_group", dict(name=""), ["name", "empty"]),
    ("boolean given as 'admin'", "authentik_group", dict(name="Rel group {case}", is_superuser="admin"), ["is_superuser", "boolean"]),
    ("owner on an unmarked group", "authentik_group", dict(name="Reliability group", owner="rel"), ["Reliability group", "adopt"]),
    # --- authentik_policy_binding
    ("binding to an unknown group", "authentik_policy_binding", dict(application="taken", group="No such group"),
     ["group", NOT_FOUND]),
    ("binding to an unknown application", "authentik_policy_binding", dict(application="no-such-app", group="Reliability group"),
     ["application", NOT_FOUND]),
    ("binding to a group and a user", "authentik_policy_binding", dict(application="taken", group="Reliability group", user="akadmin"),
     ["group", "user", "exclusive"]),
    ("binding to an unknown user", "authentik_policy_binding", dict(application="taken", user="nobody-here"), ["user", NOT_FOUND]),
    ("negative evaluation timeout", "authentik_policy_binding", dict(application="taken", group="Reliability group", evaluation_timeout=-5),
     ["evaluation_timeout", "between"]),
    # --- authentik_info
    ("url without scheme", "authentik_info", dict(kind="flow", url="127.0.0.1:9000"), ["url", "must start with http"]),
    ("negative authentik timeout", "authentik_info", dict(kind="flow", timeout=-1), ["timeout", "greater than 0"]),
    ("info of an unknown kind", "authentik_info", dict(kind="gizmo"), ["kind", "one of"]),
    ("name with kind policy_binding", "authentik_info", dict(kind="policy_binding", name="x"), ["name", "policy_binding"]),
    ("query that is not JMESPath", "authentik_info", dict(kind="flow", query="[?slug=="), ["query", "JMESPath"]),
    ("unreachable authentik", "authentik_info", dict(kind="flow", url=UNREACHABLE), ["127.0.0.1:9", "reach"]),
    ("empty token", "authentik_info", dict(kind="flow", token=""), ["token", "empty"]),
    # --- authentik_service_account
    ("service account in an unknown group", "authentik_service_account", dict(name="rel-sa-{case}", groups=["No such group"]),
     ["groups", NOT_FOUND]),
    ("service account named after a user", "authentik_service_account", dict(name="akadmin"), ["akadmin", "service account"]),
    ("negative token validity", "authentik_service_account", dict(name="rel-sa-{case}", token_validity=-5),
     ["token_validity", "or more"]),
    ("username over 150 characters", "authentik_service_account", dict(name="rel-" + "x" * 150), ["name", "150"]),
    ("empty username", "authentik_service_account", dict(name=""), ["name", "empty"]),
    # --- authentik_deployment
    ("deployment name with a space", "authentik_deployment", dict(name="my deployment"), ["name", "letters, digits"]),
    ("unknown object kind", "authentik_deployment", dict(name="rel-{case}", objects=dict(bucket="x")), ["objects", "bucket"]),
    ("login check without account", "authentik_deployment", dict(name="rel-{case}", login_check=dict(bucket="b")),
     ["login_check", "account"]),
    ("login check account that exists", "authentik_deployment", dict(name="rel-{case}", login_check=dict(account="akadmin")),
     ["akadmin", "exist"]),
    ("deployment of the managed openid mapping", "authentik_deployment", dict(name="rel-{case}", objects=dict(scope_mapping=MANAGED_OPENID)),
     ["scope mapping", "managed"]),
    ("deployment of another application's provider", "authentik_deployment",
     dict(name="rel-{case}", objects=dict(oauth2_provider="Other provider")), ["Other provider", "serves application 'taken'"]),
    ("deployment of an unmarked application", "authentik_deployment", dict(name="rel-{case}", objects=dict(application="taken")),
     ["taken", "adopt"]),
    # --- minio_identity_openid
    ("MinIO value with an embedded key=", "minio_identity_openid", dict(OPENID, display_name="SSO client_id=evil"),
     ["display_name", "client_id="]),
    ("claim name with role_policy", "minio_identity_openid", dict(OPENID, claim_name="groups", role_policy=["readonly"]),
     ["claim_name", "role_policy"]),
    ("scope with a space", "minio_identity_openid", dict(OPENID, scopes=["openid", "my scope"]), ["scopes", "spaces"]),
    ("target name", "minio_identity_openid", dict(OPENID, name="my target!"), ["name", "my target!"]),
    ("negative restart timeout", "minio_identity_openid", dict(OPENID, restart_timeout=-5), ["restart_timeout", "greater than 0"]),
    ("new target without client secret", "minio_identity_openid", dict(config_url=OPENID["config_url"], client_id="minio"),
     ["client_secret", "needs"]),
    ("config URL not http", "minio_identity_openid", dict(OPENID, config_url="ftp://idp.example/.well-known/openid-configuration"),
     ["config_url", "http"]),
    ("config URL with an embedded key=", "minio_identity_openid",
     dict(OPENID, config_url=UNREACHABLE + "/.well-known/openid-configuration?vendor=x"), ["config_url", "vendor="]),
    ("scopes without openid", "minio_identity_openid", dict(OPENID, scopes=["profile", "email"]), ["scopes", "openid"]),
    ("vendor other than keycloak", "minio_identity_openid", dict(OPENID, vendor="okta"), ["vendor", "keycloak"]),
    ("keycloak without its admin URL", "minio_identity_openid", dict(OPENID, vendor="keycloak", keycloak_realm="r"),
     ["keycloak_admin_url", "needs"]),
    ("role policy name with a comma", "minio_identity_openid", dict(OPENID, role_policy=["readonly,readwrite"]),
     ["role_policy", "comma"]),
    ("redirect URI without scheme", "minio_identity_openid", dict(OPENID, redirect_uri="minio.example/oauth_callback"),
     ["redirect_uri", "http"]),
    ("empty client_id", "minio_identity_openid", dict(OPENID, client_id=""), ["client_id", ("empty", "needs")]),
    ("wrong MinIO secret key", "minio_identity_openid", dict(OPENID, secret_key=WRONG_SECRET), ["secret_key", "SignatureDoesNotMatch"]),
    # --- minio_policy
    ("non-JSON policy text", "minio_policy", dict(name="rel-{case}", policy="{not json"), ["policy", "not valid JSON"]),
    ("policy name with a comma", "minio_policy", dict(name="a,b", policy=POLICY), ["name", "comma"]),
    ("MinIO URL without scheme", "minio_policy", dict(name="rel-{case}", policy=POLICY, url="127.0.0.1:9000"), ["url", "http"]),
    ("MinIO URL with a path", "minio_policy", dict(name="rel-{case}", policy=POLICY, url="{minio_url}/minio"), ["url", "path"]),
    ("wrong MinIO secret key", "minio_policy", dict(name="rel-{case}", policy=POLICY, secret_key=WRONG_SECRET),
     ["secret_key", "SignatureDoesNotMatch"]),
    ("unknown MinIO access key", "minio_policy", dict(name="rel-{case}", policy=POLICY, access_key="nobody"),
     ["access_key", "InvalidAccessKeyId"]),
    ("negative MinIO timeout", "minio_policy", dict(name="rel-{case}", policy=POLICY, timeout=-1), ["timeout", "greater than 0"]),
    ("policy without Version", "minio_policy", dict(name="rel-{case}", policy={"Statement": POLICY["Statement"]}),
     ["policy", "Version"]),
    ("policy without Statement", "minio_policy", dict(name="rel-{case}", policy={"Version": "2012-10-17"}), ["policy", "Statement"]),
    ("effect not Allow or Deny", "minio_policy", dict(name="rel-{case}", policy=statement(Effect="Maybe")), ["Effect", "Maybe"]),
    ("unknown action", "minio_policy", dict(name="rel-{case}", policy=statement(Action=["s4:GetObject"])),
     ["Action", "s4:GetObject"]),
    ("resource that is not an ARN", "minio_policy", dict(name="rel-{case}", policy=statement(Resource=["b/*"])), ["Resource", "b/*"]),
    ("policy name with a leading space", "minio_policy", dict(name=" rel-{case}", policy=POLICY), ["name", "space"]),
    ("empty policy name", "minio_policy", dict(name="", policy=POLICY), ["name", "empty"]),
    ("present without a policy", "minio_policy", dict(name="rel-{case}"), ["policy", "present"]),
    ("policy that is a JSON array", "minio_policy", dict(name="rel-{case}", policy="[1, 2]"), ["policy", "JSON object"]),
    ("unreachable MinIO", "minio_policy", dict(name="rel-{case}", policy=POLICY, url=UNREACHABLE), ["127.0.0.1:9", "reach"]),
    # --- minio_sts_login
    ("ID token that is not a JWT", "minio_sts_login", dict(id_token="not-a-jwt"), ["id_token", "JWT"]),
    ("expired ID token", "minio_sts_login", dict(id_token="{expired_token}"), ["id_token", "expired"]),
    ("duration below MinIO's minimum", "minio_sts_login", dict(id_token="{fresh_token}", duration_seconds=60),
     ["duration_seconds", "900"]),
    ("duration above MinIO's maximum", "minio_sts_login", dict(id_token="{fresh_token}", duration_seconds=40000000),
     ["duration_seconds", "31536000"]),
    ("role ARN that is not an ARN", "minio_sts_login", dict(id_token="{fresh_token}", role_arn="my-role"), ["role_arn", "arn:"]),
    ("invalid probe bucket name", "minio_sts_login", dict(id_token="{fresh_token}", probe_bucket="Bad_Bucket"),
     ["probe_bucket", "Bad_Bucket"]),
    ("empty claim name", "minio_sts_login", dict(id_token="{fresh_token}", claim_name=""), ["claim_name", "empty"]),
    # --- minio_bucket
    ("invalid bucket name", "minio_bucket", dict(name="Bad_Bucket"), ["name", "Bad_Bucket"]),
    ("bucket name too short", "minio_bucket", dict(name="ab"), ["name", "'ab'"]),
    ("removing a bucket that holds objects", "minio_bucket", dict(name="rel-full", state="absent"), ["force", "object"]),
    ("unknown MinIO access key", "minio_bucket", dict(name="rel-{case}", access_key="nobody"), ["access_key", "denied"]),
    ("boolean given as 'please'", "minio_bucket", dict(name="rel-{case}", state="absent", force="please"), ["force", "boolean"]),
    # --- the role (each with an application slug of its own unless the case sets it)
    ("client secret rotation with a wrong MinIO key", ROLE,
     dict(minio_sso_application_slug="rotated", minio_sso_rotate_client_secret=True, minio_sso_minio_secret_key=WRONG_SECRET),
     ["secret_key", "SignatureDoesNotMatch"]),
    ("role without a token", ROLE, dict(minio_sso_authentik_token=None), ["minio_sso_authentik_token"]),
    ("role state not a choice", ROLE, dict(minio_sso_state="maybe"), ["minio_sso_state", "maybe"]),
    ("role with a wrong token", ROLE, dict(minio_sso_authentik_token="wrong-token-0123"), ["token", "invalid"]),
    ("role with an unknown policy name", ROLE, dict(minio_sso_policy=["no-such-policy"]), ["minio_sso_policy", "no-such-policy"]),
    ("role mapping an unknown policy", ROLE, dict(minio_sso_group_policies=[dict(group="G {case}", policies=["readonly", "nope-policy"])]),
     ["minio_sso_group_policies", "nope-policy"]),
    ("role with a negative restart timeout", ROLE, dict(minio_sso_restart_timeout=-1), ["minio_sso_restart_timeout", "greater than 0"]),
    ("role console URL without scheme", ROLE, dict(minio_sso_console_url="minio.example:9001"), ["minio_sso_console_url", "http"]),
    ("role scopes without openid", ROLE, dict(minio_sso_scopes=["profile", "email", "minio"]), ["minio_sso_scopes", "openid"]),
    ("role scope name not among the scopes", ROLE, dict(minio_sso_scopes=["openid", "profile", "email"]),
     ["minio_sso_scope_name", "minio_sso_scopes"]),
    ("role with an empty policy list", ROLE, dict(minio_sso_policy=[]), ["minio_sso_policy", "empty"]),
    ("role group without policies", ROLE, dict(minio_sso_group_policies=[dict(group="Rel readers {case}", policies=[])]),
     ["Rel readers", "policies", "empty"]),
    ("role with a zero restart timeout", ROLE, dict(minio_sso_restart_timeout=0), ["minio_sso_restart_timeout", "greater than 0"]),
    ("role restart timeout not a number", ROLE, dict(minio_sso_restart_timeout="soon"), ["minio_sso_restart_timeout", "int"]),
    ("role with a zero token validity", ROLE, dict(minio_sso_access_token_validity="seconds=0"),
     ["access_token_validity", "greater than 0"]),
    ("role token validity in a wrong format", ROLE, dict(minio_sso_access_token_validity="1 hour"),
     ["access_token_validity", "format"]),
    ("role slug with a space", ROLE, dict(minio_sso_application_slug="my minio"), ["minio_sso_application_slug", "letters, digits"]),
    ("role slug with a slash", ROLE, dict(minio_sso_application_slug="team/minio"), ["minio_sso_application_slug", "letters, digits"]),
    ("role with an unknown authorization flow", ROLE, dict(minio_sso_authorization_flow="no-such-flow"),
     ["authorization_flow", "no-such-flow", NOT_FOUND]),
    ("role with an unknown keypair", ROLE, dict(minio_sso_signing_key="No such keypair"), ["signing_key", NOT_FOUND]),
    ("role with an empty signing key", ROLE, dict(minio_sso_signing_key=""), ["minio_sso_signing_key", "empty"]),
    ("role with an unknown access group", ROLE, dict(minio_sso_access_groups=["No such group"]), ["No such group", NOT_FOUND]),
    ("role with an unknown verify group", ROLE, dict(minio_sso_verify_group="No such group"), ["No such group", NOT_FOUND]),
    ("role custom policy that is not JSON", ROLE, dict(minio_sso_minio_policies=[dict(name="rel-{case}", policy="{not json")]),
     ["policy", "JSON"]),
    ("role custom policy without a document", ROLE, dict(minio_sso_minio_policies=[dict(name="rel-{case}")]),
     ["minio_sso_minio_policies", "policy"]),
    ("role group mapping without a group", ROLE, dict(minio_sso_group_policies=[dict(policies=["readonly"])]),
     ["minio_sso_group_policies", "group"]),
    ("role with a wrong MinIO secret key", ROLE, dict(minio_sso_minio_secret_key=WRONG_SECRET), ["secret_key", "SignatureDoesNotMatch"]),
    ("role with an unreachable MinIO", ROLE, dict(minio_sso_minio_url=UNREACHABLE), ["127.0.0.1:9", "reach"]),
    ("role with an unreachable authentik", ROLE, dict(minio_sso_authentik_url=UNREACHABLE), ["127.0.0.1:9", "reach"]),
    ("role authentik URL without scheme", ROLE, dict(minio_sso_authentik_url="auth.example"), ["url", "http", "auth.example"]),
    ("role MinIO URL with a path", ROLE, dict(minio_sso_minio_url="{minio_url}/minio"), ["url", "path", "/minio"]),
    ("role console URL with a space", ROLE, dict(minio_sso_console_url="https://minio.example/my console"),
     ["minio_sso_console_url", "white space"]),
    ("role verify account that is an existing user", ROLE, dict(minio_sso_verify_account="akadmin"),
     [("verify_account", "login_check"), "akadmin", "exist"]),
    ("role verify bucket name that is invalid", ROLE, dict(minio_sso_verify_bucket="Bad_Bucket"), ["verify_bucket", "Bad_Bucket"]),
    ("role scope mapping named after authentik's openid mapping", ROLE, dict(minio_sso_scope_mapping_name=MANAGED_OPENID),
     ["scope mapping", "managed"]),
    ("role provider named after another application's provider", ROLE, dict(minio_sso_provider_name="Other provider"),
     ["Other provider", "taken"]),
    ("role slug of an existing unmarked application", ROLE, dict(minio_sso_application_slug="taken"), ["taken", "adopt"]),
    ("role display name with an embedded key=", ROLE, dict(minio_sso_display_name="SSO client_id=evil"), ["display_name", "client_id="]),
    ("role OpenID target name", ROLE, dict(minio_sso_openid_name="my target!"), ["name", "my target!"]),
    ("role with an empty claim name", ROLE, dict(minio_sso_claim_name=""), ["claim_name", "empty"]),
    ("role boolean given as 'maybe'", ROLE, dict(minio_sso_verify="maybe"), ["minio_sso_verify", "boolean"]),
    ("role boolean given as 'yes please'", ROLE, dict(minio_sso_adopt="yes please"), ["minio_sso_adopt", "boolean"]),
]

CLASSES = ("refused-before-write", "refused-after-write", "accepted", "crash", "unclear-message")

# A failure that is an exception or a template error of the role, not a message about the input.
CRASH = re.compile(
    r"Traceback \(most recent call last\)|MODULE FAILURE|Unexpected failure during module execution"
    r"|^\s*[\w ]*failed: '[^']*'\s*$|^'[^' ]*'$"  # Module failed: 'msg' / a bare KeyError
    r"|\b(KeyError|TypeError|AttributeError|NameError|IndexError|UnboundLocalError|ZeroDivisionError|ValueError)\b"
    r"|:\s*\w*(Error|Exception)\s*$|NoneType|has no attribute|is undefined|undefined variable|object is not (subscriptable|iterable|callable)"
    r"|[Uu]nexpected templating|template error",
    re.MULTILINE,
)


def substitute(value, names):
    if isinstance(value, str):
        for key, text in names.items():
            value = value.replace("{%s}" % key, text)
        return value
    if isinstance(value, list):
        return [substitute(item, names) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, names) for key, item in value.items()}
    return value


def case_names(index, authentik, minio):
    return {"case": "c%03d" % index, "minio_url": minio.url, "authentik_url": authentik.url, "expired_token": EXPIRED_TOKEN,
            "fresh_token": FRESH_TOKEN}


EXPIRED_TOKEN = id_token(-3600)
FRESH_TOKEN = id_token(3600)


def setup_doubles(authentik, minio, tmp_path):
    """What the cases refer to: a keypair without a private key, a provider that serves application 'taken', a group
    and a scope mapping without ownership marks, and a bucket that holds an object."""
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
    api.post("propertymappings/provider/scope/", {"name": "Unmarked mapping", "scope_name": "unmarked", "expression": "return {}"})
    s3 = Minio(minio.url.split("://", 1)[1], access_key=ROOT_USER, secret_key=ROOT_PASSWORD, secure=False, region="us-east-1")
    s3.make_bucket("rel-full")
    s3.put_object("rel-full", "kept.txt", io.BytesIO(b"data"), 4)


def connection(authentik, minio):
    """The connection arguments every module case gets unless it gives its own (what module_defaults gave a play)."""
    return {"authentik_": {"url": authentik.url, "token": AUTHENTIK_TOKEN, "timeout": 10},
            "minio_": {"url": minio.url, "access_key": ROOT_USER, "secret_key": ROOT_PASSWORD, "timeout": 10}}


def in_process(defaults):
    """``run(module, args)``: module_runner's run, with a case's arguments as one dict (a case may name any option)."""
    run = module_runner(defaults)
    return lambda module, args: run(module, **args)


# --- module cases: in-process, one after the other ----------------------------------------------------------------

def writes_since(log, start):
    """The writes of a double's request log from entry ``start`` on."""
    return ["%s %s -> %s" % (r["method"], r["path"], r["status"]) for r in log[start:] if r["method"] not in READS]


def outcome_of(result):
    """A module's result as the classifier reads it (what a block's rescue recorded of ansible_failed_result)."""
    if not result.get("failed"):
        return {"failed": False}
    return {"failed": True, "msg": str(result.get("msg", "")), "exception": str(result.get("exception", "")),
            "crash": str(result.get("crash", ""))}


def run_module_cases(indexes, run, authentik, minio):
    """Each module case in turn, in this process (``run`` from in_process) -> one row per case.

    Both doubles' request logs are read after each case: the entries past the previous case's end are this case's
    requests, so its writes are known exactly. The JSON of the result is kept for the search for secrets.
    """
    doubles_ = (authentik, minio)
    lengths = [len(double.requests()) for double in doubles_]
    rows = []
    for index in indexes:
        case_id, module, args, words = CASES[index]
        begin = time.monotonic()
        result = run(module, substitute(args, case_names(index, authentik, minio)))
        seconds = time.monotonic() - begin
        logs = [double.requests() for double in doubles_]
        writes = [write for log, start in zip(logs, lengths) for write in writes_since(log, start)]
        lengths = [len(log) for log in logs]
        outcome = outcome_of(result)
        rows.append(dict(index=index, case=case_id, module=module, words=words, writes=writes,
                         klass=classify(outcome, writes, words), msg=message(outcome), task="", seconds=seconds,
                         output=json.dumps(result)))
    return rows


# --- role cases: blocks of two playbooks, side by side ------------------------------------------------------------

def group_of(index):
    """The role cases (a role run takes a few seconds) are split in two playbooks, run side by side."""
    return "role-%d" % (index % 2)


def log_lengths(authentik, minio):
    """A Jinja expression: [length of authentik's request log, length of MinIO's, the time]."""
    url = "query('ansible.builtin.url', '%s/_double/requests', split_lines=false, use_proxy=false) | first | from_json | length"
    return "[%s, %s, now().timestamp()]" % (url % authentik.url, url % minio.url)


def case_block(key, title, task, authentik, minio):
    record = "{{ outcomes | combine({'%s': %s}) }}"
    failure = ("{'failed': true, 'msg': ansible_failed_result.msg | default('') | string,"
               " 'exception': ansible_failed_result.exception | default('') | string,"
               " 'stderr': ansible_failed_result.module_stderr | default('') | string,"
               " 'task': ansible_failed_task.name | default('') | string}")
    task["name"] = title
    marks = "{{ marks | combine({'%s': %s}) }}" % (key, log_lengths(authentik, minio))
    return {
        "name": title,
        "block": [task, {"name": "Record that %s passed" % key,
                         "ansible.builtin.set_fact": {"outcomes": record % (key, "{'failed': false}"), "marks": marks}}],
        "rescue": [{"name": "Record the failure of %s" % key,
                    "ansible.builtin.set_fact": {"outcomes": record % (key, failure), "marks": marks}}],
    }


def role_case_task(index, args, authentik, minio):
    args = substitute(args, case_names(index, authentik, minio))
    role_vars = inventory(authentik, minio, minio_sso_application_slug="rel-r%03d" % index)
    for key, value in args.items():
        if value is None:
            role_vars.pop(key)
        else:
            role_vars[key] = value
    return role_task(**role_vars)


def group_playbook(group, indexes, authentik, minio, tmp_path):
    """The group's playbook -> (path, results file). The role group with the rotation case first makes the
    deployment it rotates (a real run, outside any case)."""
    out = tmp_path / ("outcomes-%s.json" % group)
    tasks = []
    if any(CASES[i][2].get("minio_sso_rotate_client_secret") for i in indexes):
        setup = role_task(**inventory(authentik, minio, minio_sso_application_slug="rotated", minio_sso_client_secret=CLIENT_SECRET,
                                      minio_sso_verify=False))
        tasks.append(case_block("setup", "Set up: the deployment 'rotated'", setup, authentik, minio))
    for index in indexes:
        case_id, _module, args, _words = CASES[index]
        tasks.append(case_block(str(index), "Case %d: %s" % (index, case_id), role_case_task(index, args, authentik, minio),
                                authentik, minio))
    tasks.append({"name": "Save the outcomes", "ansible.builtin.copy": {
        "content": "{{ {'outcomes': outcomes, 'marks': marks} | to_json }}", "dest": str(out)}})
    defaults = connection(authentik, minio)
    path = write_playbook(
        tmp_path / ("bad_input-%s.yml" % group), tasks, play_vars={"outcomes": {}, "marks": {}},
        module_defaults={"group/sso.authentik_minio.authentik": defaults["authentik_"],
                         "group/sso.authentik_minio.minio": defaults["minio_"]})
    return path, out


def role_groups(doubles, tmp_path):
    """Every role group on fresh doubles, its playbook written -> {group: run} (run_side_by_side runs them)."""
    groups = {}
    for index, (_case_id, module, _args, _words) in enumerate(CASES):
        if module == ROLE:
            groups.setdefault(group_of(index), []).append(index)
    runs = {}
    for group, indexes in sorted(groups.items()):
        authentik, minio = doubles()
        (tmp_path / group).mkdir()
        setup_doubles(authentik, minio, tmp_path / group)
        authentik.clear_requests()
        minio.clear_requests()
        path, out = group_playbook(group, indexes, authentik, minio, tmp_path)
        runs[group] = dict(indexes=indexes, authentik=authentik, minio=minio, path=path, out=out)
    return runs


def attribute(group, run, problems):
    """One row per case of a role group: its outcome, the writes between its mark and the previous one, its class."""
    result = run["result"]
    saved = {"outcomes": {}, "marks": {}}
    if run["out"].exists():
        saved = json.loads(run["out"].read_text())
    else:
        problems.append("group %s: the play stopped (rc=%d) before saving its outcomes:\n%s" % (group, result.rc, result.output[-6000:]))
    logs = [run["authentik"].requests(), run["minio"].requests()]
    previous = [0, 0, None]
    if "setup" in saved["outcomes"]:
        if saved["outcomes"]["setup"].get("failed"):
            problems.append("group %s: setting up the deployment 'rotated' failed: %s" % (group, short(saved["outcomes"]["setup"]["msg"], 400)))
        previous = saved["marks"].get("setup", previous)
    rows = []
    for index in run["indexes"]:
        case_id, _module, _args, words = CASES[index]
        outcome = saved["outcomes"].get(str(index))
        mark = saved["marks"].get(str(index))
        writes = []
        if mark is not None:
            for log, start, end in zip(logs, previous[:2], mark[:2]):
                writes += writes_since(log[:end], start)
        seconds = mark[2] - previous[2] if mark is not None and previous[2] is not None else None
        rows.append(dict(index=index, case=case_id, module="role", words=words, writes=writes,
                         klass=classify(outcome, writes, words), msg=message(outcome), task=(outcome or {}).get("task", ""),
                         seconds=seconds, output=None))
        previous = mark or previous
    return rows


# --- judging and the report -----------------------------------------------------------------------------------------

def words_found(msg, words):
    msg = msg.lower()
    return all(any(alt.lower() in msg for alt in (word if isinstance(word, tuple) else (word,))) for word in words)


def classify(outcome, writes, words):
    if outcome is None:
        return "crash"  # the play stopped before the case recorded anything
    if not outcome.get("failed"):
        return "accepted"
    if outcome.get("crash") or CRASH.search("\n".join(outcome.get(k, "") for k in ("msg", "exception", "stderr"))):
        return "crash"
    if writes:
        return "refused-after-write"
    return "refused-before-write" if words_found(outcome.get("msg", ""), words) else "unclear-message"


def message(outcome):
    if outcome is None:
        return "(no outcome recorded: the play stopped)"
    if not outcome.get("failed"):
        return "(did not fail)"
    if outcome.get("crash"):  # a module that raised: the end of its traceback says where
        return "%s: %s" % (outcome.get("msg"), outcome["crash"][-300:])
    return outcome.get("msg") or (outcome.get("stderr") or outcome.get("exception") or "")[-300:]


def short(text, width=160):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 3] + "..."


def report(rows, times, elapsed):
    """The figures, then the table of the cases that are not refused before a write (the worst class first).

    ``times``: the seconds of each part run side by side (the module cases in-process, each role playbook)."""
    counts = {klass: sum(1 for row in rows if row["klass"] == klass) for klass in CLASSES}
    server_refused = sum(1 for row in rows if row["klass"] == "refused-after-write"
                         and all(re.search(r"-> [45]\d\d$", write) for write in row["writes"]))
    timed = sorted((row for row in rows if row["seconds"] is not None), key=lambda row: -row["seconds"])[:3]
    lines = [
        "%d bad inputs: %d refused before write, %d refused after a write (%d of them after writes the server refused), "
        "%d accepted, %d crashes, %d unclear messages" % (
            len(rows), counts["refused-before-write"], counts["refused-after-write"], server_refused, counts["accepted"],
            counts["crash"], counts["unclear-message"]),
        "%.0f s in all; side by side: %s; slowest cases: %s" % (
            elapsed, ", ".join("%s %.0f s" % (part, seconds) for part, seconds in times),
            ", ".join("%d (%.1f s)" % (row["index"], row["seconds"]) for row in timed)),
    ]
    targets = sorted(set(row["module"] for row in rows), key=lambda m: (m == "role", m))
    per_target = []
    for target in targets:
        mine = [row for row in rows if row["module"] == target]
        per_target.append("%s %d/%d" % (target, sum(1 for row in mine if row["klass"] == CLASSES[0]), len(mine)))
    lines.append("refused before write / cases, by target: " + ", ".join(per_target))
    bad = sorted((row for row in rows if row["klass"] != CLASSES[0]), key=lambda row: (CLASSES.index(row["klass"]), row["index"]))
    if bad:
        lines += ["| # | case | module | class | writes | message [failed role task] (expected words) |", "|---|---|---|---|---|---|"]
    for row in bad:
        writes = "0"
        if row["writes"]:
            writes = "%d: %s%s" % (len(row["writes"]), ", ".join(row["writes"][:3]), " ..." if len(row["writes"]) > 3 else "")
        where = " [%s]" % row["task"] if row["module"] == "role" and row["task"] else ""
        words = ", ".join("/".join(word) if isinstance(word, tuple) else word for word in row["words"])
        lines.append("| %d | %s | %s | %s | %s | %s%s (%s) |" % (
            row["index"], row["case"], row["module"], row["klass"], writes, short(row["msg"]).replace("|", "\\|"), where, words))
    return lines, bad


SECRETS = (AUTHENTIK_TOKEN, ROOT_PASSWORD, OPENID["client_secret"], WRONG_SECRET, CLIENT_SECRET)


def leaked_secrets(texts):
    """The secrets (their first characters) found in any of ``texts``."""
    return [secret[:6] + "..." for secret in SECRETS if any(secret in text for text in texts)]


def test_bad_inputs_are_refused_before_any_write(doubles, tmp_path):
    assert len(CASES) >= 80
    assert len(set((case_id, module) for case_id, module, _args, _words in CASES)) == len(CASES), "a case id repeats"
    started = time.monotonic()
    runs = role_groups(doubles, tmp_path)
    authentik, minio = doubles()
    (tmp_path / "modules").mkdir()
    setup_doubles(authentik, minio, tmp_path / "modules")
    authentik.clear_requests()
    minio.clear_requests()
    # The role playbooks run in subprocesses (threads only wait for them): the module cases run here meanwhile.
    roles = threading.Thread(target=run_side_by_side, args=(list(runs.values()),))
    roles.start()
    try:
        begin = time.monotonic()
        indexes = [index for index, case in enumerate(CASES) if case[1] != ROLE]
        rows = run_module_cases(indexes, in_process(connection(authentik, minio)), authentik, minio)
        module_seconds = time.monotonic() - begin
    finally:
        roles.join()
    elapsed = time.monotonic() - started
    problems = []
    for group, run in sorted(runs.items()):
        rows += attribute(group, run, problems)
    times = [("module cases in-process", module_seconds)] + [("%s playbook" % group, run["seconds"]) for group, run in sorted(runs.items())]
    lines, bad = report(sorted(rows, key=lambda row: row["index"]), times, elapsed)
    print("\n".join(lines))
    leaked = leaked_secrets([row["output"] for row in rows if row["output"] is not None] + [run["result"].output for run in runs.values()])
    assert not problems, "\n".join(problems + lines)
    assert not bad, "\n".join(lines)
    assert not leaked, "secrets in a module's result or the role's output: %s" % leaked


# --- the judge itself: it must fail what is not refused before a write -------------------------------------------

class FakeDouble:
    """A double's request log, grown by a fake module run."""

    def __init__(self, url):
        self.url = url
        self.log = []

    def requests(self):
        return [dict(entry) for entry in self.log]


def test_the_classifier_fails_a_half_write_a_crash_an_accepted_input_and_an_unclear_message():
    words = ["name", "empty"]
    refused = outcome_of({"failed": True, "msg": "name must not be empty"})
    cases = [
        ("refused", refused, [], "refused-before-write"),
        ("half-write", refused, ["POST /api/v3/core/groups/ -> 400"], "refused-after-write"),
        ("raised", outcome_of({"failed": True, "msg": "MODULE FAILURE", "crash": "Traceback (most recent call last):\n..."}), [],
         "crash"),
        ("raised after a write", outcome_of({"failed": True, "msg": "MODULE FAILURE", "crash": "no JSON result on stdout: ''"}),
         ["PUT /minio/admin/v3/add-canned-policy -> 200"], "crash"),
        ("exception text", outcome_of({"failed": True, "msg": "could not talk to MinIO at http://127.0.0.1:9000: ValueError"}), [],
         "crash"),
        ("accepted", outcome_of({"changed": True, "group": {"name": ""}}), [], "accepted"),
        ("accepted, nothing written", outcome_of({"changed": False}), [], "accepted"),
        ("unclear", outcome_of({"failed": True, "msg": "the server refused the request"}), [], "unclear-message"),
    ]
    rows = []
    for index, (case, outcome, writes, expected) in enumerate(cases):
        klass = classify(outcome, writes, words)
        assert klass == expected, case
        rows.append(dict(index=index, case=case, module="authentik_group", words=words, writes=writes, klass=klass,
                         msg=message(outcome), task="", seconds=0.0, output=None))
    lines, bad = report(rows, [("module cases in-process", 0.0)], 0.0)
    # The test of the table fails on `bad`: every case but the first is in it, and in its table.
    assert [row["case"] for row in bad] == ["half-write", "accepted", "accepted, nothing written", "raised", "raised after a write",
                                            "exception text", "unclear"]
    assert "8 bad inputs: 1 refused before write, 1 refused after a write (1 of them after writes the server refused), " \
           "2 accepted, 3 crashes, 1 unclear messages" in lines
    assert any("| 1 | half-write | authentik_group | refused-after-write | 1: POST /api/v3/core/groups/ -> 400 |" in line for line in lines)


def test_writes_are_attributed_to_the_case_that_made_them():
    authentik, minio = FakeDouble("http://127.0.0.1:1"), FakeDouble("http://127.0.0.1:2")
    authentik.log.append(dict(method="POST", path="/api/v3/core/groups/", query="", status=201))  # set-up, before any case
    indexes = [index for index, case in enumerate(CASES) if case[1] == "authentik_scope_mapping"][:3]
    seen = []

    def run(module, args):
        """Case 1 reads; case 2 writes to MinIO (refused) and fails; case 3 writes to authentik, then raises."""
        seen.append((module, args["name"]))
        authentik.log.append(dict(method="GET", path="/api/v3/propertymappings/provider/scope/", query="", status=200))
        if len(seen) == 2:
            minio.log.append(dict(method="PUT", path="/minio/admin/v3/add-canned-policy", query="", status=400))
        if len(seen) == 3:
            authentik.log.append(dict(method="PATCH", path="/api/v3/propertymappings/provider/scope/1/", query="", status=200))
            return {"failed": True, "msg": "MODULE FAILURE", "crash": "Traceback (most recent call last):\nKeyError: 'pk'"}
        return {"failed": True, "msg": " ".join(CASES[indexes[len(seen) - 1]][3])}

    rows = run_module_cases(indexes, run, authentik, minio)
    assert [name for name, _case in seen] == ["authentik_scope_mapping"] * 3
    assert [case for _name, case in seen][0] == "Rel mapping c%03d" % indexes[0], "a case's objects are named after it"
    assert [row["writes"] for row in rows] == [[], ["PUT /minio/admin/v3/add-canned-policy -> 400"],
                                               ["PATCH /api/v3/propertymappings/provider/scope/1/ -> 200"]]
    assert [row["klass"] for row in rows] == ["refused-before-write", "refused-after-write", "crash"]
    assert rows[2]["msg"].startswith("MODULE FAILURE: Traceback") and rows[2]["msg"].endswith("KeyError: 'pk'")
    assert report(rows, [("module cases in-process", 0.0)], 0.0)[1] == rows[1:]


def test_a_secret_in_a_result_or_the_role_output_is_found():
    assert leaked_secrets([json.dumps({"failed": True, "msg": "refused %s" % WRONG_SECRET})]) == [WRONG_SECRET[:6] + "..."]
    assert leaked_secrets(["TASK [minio_sso : x] token=" + AUTHENTIK_TOKEN]) == [AUTHENTIK_TOKEN[:6] + "..."]
    assert not leaked_secrets([json.dumps({"failed": True, "msg": "secret_key ******** refused"})])
