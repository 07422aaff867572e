#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: minio_sso_login_check
short_description: Prove that MinIO's console "Login with SSO" works with authentik, as a browser does it
version_added: 1.1.0
description:
  - Reads what MinIO runs with for an C(identity_openid) target (client ID, client secret, config URL, scopes,
    redirect URL) through MinIO's admin API, and proves with it the login a user makes on MinIO's console.
  - With O(mode=login) (the default) it logs in headless as the console's browser would. It sends the console's
    authorize request (C(response_type=code), MinIO's client ID, the redirect URI MinIO's console sends, MinIO's
    scopes and C(openid), a random state) to the authorization endpoint of MinIO's discovery document. It answers
    authentik's flow executor (identification and password stages) as O(username), follows the provider's
    authorization flow, and takes the C(code) from the redirect to the callback. It exchanges the code at the token
    endpoint with B(MinIO's stored client secret) and the same redirect URI, then exchanges the ID token at MinIO's
    STS (C(AssumeRoleWithWebIdentity)). It returns the policies MinIO granted.
  - It never uses the C(client_credentials) grant.
  - Without O(password), a temporary internal user is created in authentik with a random password, added to
    O(groups), used for the login and deleted again, whatever the outcome. With O(username) and O(password), that
    existing user logs in and nothing is written.
  - With O(mode=consistency) it writes nothing on either server. It checks that MinIO's stored client ID, client
    secret, config URL, scopes and redirect URI agree with authentik's provider and application. It checks that
    discovery and JWKS answer, and that every policy in O(policies) exists in MinIO.
  - Each failure ends the task with one line that names the cause, and RV(cause) names it for a program. The causes
    are MinIO's client secret differing from authentik's, a redirect URI the provider does not allow, a user in none
    of the application's access groups, a missing policy claim or one naming a policy MinIO lacks, discovery or JWKS
    not answering, and a flow stage a headless login cannot answer (with its C(component)).
  - When O(console_url) is set and MinIO's console answers there, its own login API is driven
    (C(GET /api/v1/login) for its authorize URL, C(POST /api/v1/login/oauth2/auth) with the code and state), so the
    redirect URI, scopes and code exchange are the console's own, and RV(path) is V(console). The same login is then
    made by hand as well, because only that reads the policies MinIO grants and names the cause of a refusal.
    Otherwise the module sends what the console would send, and RV(path) is V(imitation).
options:
  authentik_url:
    description:
      - Base URL of authentik's API, used to create and remove the temporary user and, with O(mode=consistency), to
        read the provider and the application.
      - If not set, the value of the E(AUTHENTIK_URL) environment variable is used.
      - The login itself uses the endpoints of MinIO's discovery document, so it goes where MinIO's console sends
        browsers.
    type: str
    required: true
  authentik_token:
    description:
      - An authentik API token allowed to manage users and read providers and applications.
      - If not set, the value of the E(AUTHENTIK_TOKEN) environment variable is used.
    type: str
    required: true
  authentik_validate_certs:
    description:
      - Verify authentik's TLS certificate (API and login endpoints).
    type: bool
    default: true
  authentik_ca_path:
    description:
      - A CA bundle to verify authentik's certificate with.
    type: path
  mode:
    description:
      - V(login) proves the whole login. V(consistency) only reads and compares, with zero writes on either server.
      - In check mode, V(login) without O(password) runs V(consistency) instead, because the temporary user would be a
        write; RV(proof) says which ran.
    type: str
    choices: [login, consistency]
    default: login
  application:
    description:
      - Slug of the authentik application whose provider MinIO uses.
    type: str
    required: true
  target:
    description:
      - Name of MinIO's C(identity_openid) target; V(_) is the default target.
    type: str
    default: _
  console_url:
    description:
      - The URL users open MinIO's console at, for example V(https://console.example.com).
      - MinIO's console sends C(<console_url>/oauth_callback) as its redirect URI when the target has
        C(redirect_uri_dynamic=on) (built from the browser's request), or when it has no C(redirect_uri) (then MinIO
        uses E(MINIO_BROWSER_REDIRECT_URL), or else its own address, neither of which the admin API shows).
      - A C(redirect_uri) stored in the target wins over this option unless C(redirect_uri_dynamic) is on.
      - With O(mode=login), the module asks the console's login API at this URL first (see the description).
    type: str
  username:
    description:
      - The authentik user to log in as.
      - With O(password), an existing user. Without it, the name of the temporary user to create (it must not exist);
        when omitted, a name C(minio-sso-login-check-<random>) is drawn.
    type: str
  password:
    description:
      - Password of O(username). Omit it to let the module create a temporary user.
    type: str
  groups:
    description:
      - Names of authentik groups the temporary user joins, for example the application's access groups.
      - Ignored with O(password).
    type: list
    elements: str
    default: []
  policies:
    description:
      - Policies MinIO must have. V(consistency) checks each exists. V(login) also fails when MinIO granted none of
        them.
    type: list
    elements: str
    default: []
notes:
  - The environment of MinIO's server (E(MINIO_IDENTITY_OPENID_*)) wins over what the admin API stores. The keys it
    sets are listed in RV(environment_overrides) and named in the message of a failure they may explain.
  - O(access_key) and O(secret_key) read MinIO's configuration and policies; the login itself uses the ID token only.
extends_documentation_fragment:
  - sso.authentik_minio.minio
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.MINIO_GROUP
attributes:
  check_mode:
    support: full
    details:
      - Without O(password) the read-only consistency check runs instead of the login (see O(mode)).
  diff_mode:
    support: none
seealso:
  - module: sso.authentik_minio.minio_identity_openid
  - module: sso.authentik_minio.minio_sts_login
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
# MinIO's connection comes from MINIO_URL, MINIO_ACCESS_KEY and MINIO_SECRET_KEY, authentik's from AUTHENTIK_URL
# and AUTHENTIK_TOKEN (or set url, access_key, secret_key, authentik_url and authentik_token on each task).
# authentik serves the application "minio" whose provider "MinIO" has the client ID "minio".
- name: A scope mapping for MinIO's policy claim
  sso.authentik_minio.authentik_scope_mapping:
    name: MinIO policy
    scope_name: minio
    expression: |
      return {"policy": "readwrite"}

- name: The provider, with the console's redirect URI and a secret MinIO gets too
  sso.authentik_minio.authentik_oauth2_provider:
    name: MinIO
    client_id: minio
    client_secret: "{{ minio_client_secret | default('example-secret-0123456789abcdef0123456789abcdef') }}"
    authorization_flow: default-provider-authorization-implicit-consent
    redirect_uris:
      - http://127.0.0.1:9001/oauth_callback
    property_mappings:
      - MinIO policy
  no_log: true

- name: MinIO trusts the application "minio" with the same secret
  sso.authentik_minio.minio_identity_openid:
    config_url: "{{ lookup('ansible.builtin.env', 'AUTHENTIK_URL') }}/application/o/minio/.well-known/openid-configuration"
    client_id: minio
    client_secret: "{{ minio_client_secret | default('example-secret-0123456789abcdef0123456789abcdef') }}"
    scopes: [openid, profile, email, minio]
    redirect_uri: http://127.0.0.1:9001/oauth_callback
  no_log: true

- name: Compare both sides without writing anything (a scheduled drift check)
  sso.authentik_minio.minio_sso_login_check:
    application: minio
    mode: consistency
    policies: [readwrite]

- name: Log in as a temporary authentik user, as the console's browser would
  sso.authentik_minio.minio_sso_login_check:
    application: minio
    policies: [readwrite]
  register: login

- name: Say what MinIO granted
  ansible.builtin.debug:
    msg: "{{ login.msg }}"

- name: The login was granted readwrite
  ansible.builtin.assert:
    that: login.policies == ['readwrite']
"""

RETURN = r"""
proof:
  description: Which check ran, V(login) or V(consistency).
  returned: always
  type: str
  sample: login
path:
  description:
    - How the browser's part was done. V(console) means through MinIO's console's own login API. V(imitation) means
      this module sent what MinIO's console would send.
  returned: always
  type: str
  sample: imitation
cause:
  description:
    - Short name of the failure. One of V(minio_config), V(client_id), V(application), V(client_secret),
      V(redirect_uri), V(scopes), V(grant), V(access_denied), V(login_refused), V(unsupported_stage),
      V(policy_claim), V(unknown_policy), V(discovery), V(jwks), V(authorize), V(flow), V(token), V(sts), V(console)
      (the console refused a login that succeeded by hand), V(authentik) (the temporary user could not be made).
  returned: on failure
  type: str
  sample: client_secret
redirect_uri:
  description: The redirect URI MinIO's console sends.
  returned: when MinIO's configuration was read
  type: str
  sample: https://console.example.com/oauth_callback
redirect_source:
  description: Where MinIO takes RV(redirect_uri) from.
  returned: when MinIO's configuration was read
  type: str
  sample: MinIO's redirect_uri
scopes:
  description: The scopes the console asks for.
  returned: when MinIO's configuration was read
  type: list
  elements: str
  sample: [openid, profile, email, minio, openid]
environment_overrides:
  description: C(identity_openid) keys that MinIO's environment sets, which win over the stored configuration.
  returned: always
  type: list
  elements: str
  sample: [redirect_uri]
policies:
  description: The policies MinIO granted the login (the policy claim of MinIO's session).
  returned: when the login succeeded
  type: list
  elements: str
  sample: [readwrite]
subject:
  description: The C(sub) of the ID token.
  returned: when the login succeeded
  type: str
msg:
  description: One line that says what was proven, or the cause of the failure and how to act on it.
  returned: always
  type: str
  sample: "MinIO's console login works: rec-user logged in through authentik and MinIO granted readwrite"
"""

import secrets

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import (
    AuthentikClient,
    AuthentikError,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import (
    StsRefusal,
    assume_role_with_web_identity,
    jwt_claims,
    policy_names,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._login_flow import (
    REQUESTS_IMPORT_ERROR,
    LoginFlow,
    LoginFlowError,
    allowed_list,
    console_callback,
    console_login_rule,
    console_redirect,
    console_scopes,
    is_on,
    redirect_allowed,
    requests,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_admin import MinioAdminClient
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_module import minio_argument_spec
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import MinioError
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_kv import DEFAULT_TARGET, parse_config
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_transport import Transport
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import TlsSettingError, tls_source

USER_PREFIX = "minio-sso-login-check-"


class Check(object):
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.result = dict(changed=False, path="imitation", environment_overrides=[])
        try:
            self.transport = Transport(self.params["url"], self.params["validate_certs"], self.params["ca_path"],
                                       self.params["timeout"])
        except MinioError as exc:
            module.fail_json(msg=str(exc))
        self.admin = MinioAdminClient(self.params["url"], self.params["access_key"], self.params["secret_key"],
                                      transport=self.transport)
        try:
            verify, dummy = tls_source(self.params["authentik_url"], self.params["authentik_validate_certs"],
                                       self.params["authentik_ca_path"])
            self.minio_verify, self.minio_verify_source = tls_source(self.params["url"], self.params["validate_certs"],
                                                                     self.params["ca_path"])
            self.authentik = AuthentikClient(self.params["authentik_url"], self.params["authentik_token"],
                                             validate_certs=self.params["authentik_validate_certs"],
                                             ca_path=self.params["authentik_ca_path"], timeout=self.params["timeout"])
        except (TlsSettingError, AuthentikError) as exc:
            module.fail_json(msg=str(exc))
        self.flow = LoginFlow(timeout=self.params["timeout"], verify=verify)
        self.values = {}
        self.discovery = {}

    def fail(self, cause, message):
        self.result.update(cause=cause, msg=message)
        self.module.fail_json(**self.result)

    # MinIO's side, read-only ---------------------------------------------------------------------------------
    def read_minio(self):
        name = self.params["target"] or DEFAULT_TARGET
        try:
            stored = parse_config(self.admin.get_config_export()).get(name)
            running = parse_config(self.admin.get_running_config()).get(name)
        except MinioError as exc:
            self.fail("minio_config", "reading MinIO's identity_openid configuration failed: %s" % exc)
        if stored is None or stored["commented"] or not stored["values"].get("config_url") \
                or not is_on(stored["values"].get("enable", "on")):
            self.fail("minio_config", "MinIO has no enabled identity_openid target %s: configure it "
                      "(minio_identity_openid) before proving the login" % name)
        self.values = stored["values"]
        if self.values.get("client_secret"):
            self.module.no_log_values.add(self.values["client_secret"])
        self.result["environment_overrides"] = sorted((running or {}).get("env", {}))
        for key in ("client_id", "client_secret"):
            if not self.values.get(key):
                self.fail("minio_config", "MinIO's identity_openid target %s has no %s" % (name, key))
        try:
            redirect, how = console_redirect(self.values, self.params["console_url"])
        except LoginFlowError as exc:
            self.fail(exc.cause, exc.message)
        self.result.update(redirect_uri=redirect, redirect_source=how)
        try:
            self.discovery = self.flow.discovery(self.values["config_url"])
        except LoginFlowError as exc:
            self.fail(exc.cause, exc.message + self.env_note(("config_url",)))
        self.result["scopes"] = console_scopes(self.values, self.discovery)

    def env_note(self, keys):
        found = [k for k in keys if k in self.result["environment_overrides"]]
        if not found:
            return ""
        return " (MinIO's environment sets %s, which wins over what the admin API stores)" % ", ".join(
            "MINIO_IDENTITY_OPENID_%s" % k.upper() for k in found)

    def check_policies(self, names, cause_message):
        for name in names:
            try:
                exists = self.admin.policy_info(name) is not None
            except MinioError as exc:
                self.fail("unknown_policy", "reading MinIO's policy %s failed: %s" % (name, exc))
            if not exists:
                self.fail("unknown_policy", cause_message % name)

    # authentik's side, read-only -----------------------------------------------------------------------------
    def provider(self):
        client_id = self.values["client_id"]
        try:
            found = self.authentik.list("providers/oauth2/", {"client_id": client_id})
            # superuser_full_list: else the list is filtered by the token owner's own access to each application
            apps = self.authentik.list("core/applications/", {"slug": self.params["application"],
                                                              "superuser_full_list": "true"})
        except AuthentikError as exc:
            self.fail("authentik", str(exc))
        found = [p for p in found if p.get("client_id") == client_id]
        if not found:
            self.fail("client_id", "authentik has no OAuth2 provider with MinIO's client ID %s: MinIO's client_id does "
                      "not match the provider's" % client_id)
        provider = found[0]
        self.authentik.add_secret(provider.get("client_secret"))
        if provider.get("client_secret"):
            self.module.no_log_values.add(provider["client_secret"])
        app = next((a for a in apps if a.get("slug") == self.params["application"]), None)
        if app is None or app.get("provider") != provider["pk"]:
            self.fail("application", "MinIO's client ID %s belongs to provider %s, which is not the provider of "
                      "application %s" % (client_id, provider.get("name"), self.params["application"]))
        return provider

    def consistency(self):
        provider = self.provider()
        hint = "provider %s" % provider.get("name")
        if provider.get("client_secret") != self.values["client_secret"]:
            self.fail("client_secret", "MinIO's client_secret for client ID %s differs from %s's: set MinIO's to the "
                      "provider's%s" % (self.values["client_id"], hint, self.env_note(("client_secret",))))
        issuer = self.discovery.get("issuer", "")
        if not issuer.rstrip("/").endswith("/application/o/%s" % self.params["application"]) and issuer != \
                self.params["authentik_url"].rstrip("/") + "/":
            self.fail("application", "MinIO's config_url %s is the discovery document of issuer %s, not of application %s"
                      % (self.values["config_url"], issuer, self.params["application"]))
        if not redirect_allowed(provider.get("redirect_uris"), self.result["redirect_uri"]):
            self.fail("redirect_uri", "the redirect URI MinIO's console sends, %s (%s), is not one %s allows (%s): add it "
                      "to the provider's redirect URIs or correct MinIO's redirect URL%s" % (
                          self.result["redirect_uri"], self.result["redirect_source"], hint,
                          allowed_list(provider.get("redirect_uris")), self.env_note(("redirect_uri", "redirect_uri_dynamic"))))
        supported = set(self.discovery.get("scopes_supported") or []) | {"openid"}
        unknown = [s for s in self.result["scopes"] if s not in supported]
        if unknown:
            self.fail("scopes", "MinIO asks for scopes %s that %s has no scope mapping for (it offers %s)%s" % (
                ", ".join(unknown), hint, ", ".join(sorted(supported)), self.env_note(("scopes",))))
        grants = provider.get("grant_types")
        if isinstance(grants, list) and "authorization_code" not in grants:
            self.fail("grant", "%s does not allow the authorization_code grant that MinIO's console uses (grant_types: %s)"
                      % (hint, ", ".join(grants) or "none"))
        self.check_policies(self.params["policies"], "MinIO has no policy %s, which the login is meant to grant")
        self.result.update(proof="consistency", msg="MinIO's identity_openid target agrees with %s of application %s: "
                           "client ID, client secret, config URL, scopes and redirect URI %s; discovery and JWKS answer"
                           % (hint, self.params["application"], self.result["redirect_uri"]))

    # the login -----------------------------------------------------------------------------------------------
    def login(self):
        params = self.params
        username, password, created = params["username"], params["password"], None
        if not password:
            username = username or USER_PREFIX + secrets.token_hex(4)
            password = secrets.token_urlsafe(32)
            self.module.no_log_values.add(password)
            created = self.create_user(username, password)
        try:
            self.prove(username, password)
        finally:
            if created is not None:
                try:
                    self.authentik.request("DELETE", "core/users/%s/" % created, missing_ok=True)
                except AuthentikError as exc:
                    self.module.warn("the temporary user %s could not be removed: %s" % (username, exc))

    def create_user(self, username, password):
        try:
            if self.authentik.list("core/users/", {"username": username}):
                self.fail("authentik", "authentik already has a user %s: name another one for the check" % username)
            group_pks = []
            for name in self.params["groups"]:
                found = [g for g in self.authentik.list("core/groups/", {"name": name}) if g.get("name") == name]
                if not found:
                    self.fail("authentik", "authentik has no group %s to put the temporary user in" % name)
                group_pks.append(found[0]["pk"])
            user = self.authentik.request("POST", "core/users/", payload={
                "username": username, "name": "MinIO SSO login check (temporary)", "is_active": True})
            self.authentik.add_secret(password)
            try:
                self.authentik.request("POST", "core/users/%s/set_password/" % user["pk"], payload={"password": password})
                for pk in group_pks:
                    self.authentik.request("POST", "core/groups/%s/add_user/" % pk, payload={"pk": user["pk"]})
            except AuthentikError:
                self.authentik.request("DELETE", "core/users/%s/" % user["pk"], missing_ok=True)
                raise
        except AuthentikError as exc:
            self.fail("authentik", "creating the temporary user %s failed: %s" % (username, exc))
        return user["pk"]

    def prove(self, username, password):
        values = self.values
        redirect = self.result["redirect_uri"]
        hint = "the provider of client ID %s" % values["client_id"]
        console = self.params["console_url"]
        rule = console_login_rule(self.flow, console, values["client_id"]) if console else None
        refusal = None
        try:
            if rule:
                # MinIO's console answers: its own authorize URL, redirect URI and state, and its own code exchange
                self.result.update(path="console", redirect_uri=rule["redirect_uri"], scopes=rule["scopes"],
                                   redirect_source="as MinIO's console at %s sends it" % console)
                redirect = rule["redirect_uri"]
                code = self.flow.follow(rule["url"], values["client_id"], redirect, rule["state"], username, password,
                                        self.result["redirect_source"], provider_hint=hint)
                refusal = console_callback(self.flow, console, code, rule["state"])
            # the console's session says nothing about the policies: the same login by hand reads them, and names
            # the cause when the console refused
            code = self.flow.authorize_code(self.discovery["authorization_endpoint"], values["client_id"], redirect,
                                            self.result["scopes"], username, password, self.result["redirect_source"],
                                            provider_hint=hint)
            tokens = self.flow.exchange(self.discovery["token_endpoint"], values["client_id"], values["client_secret"],
                                        code, redirect, provider_hint=hint)
        except LoginFlowError as exc:
            keys = {"redirect_uri": ("redirect_uri", "redirect_uri_dynamic"), "client_secret": ("client_secret",),
                    "client_id": ("client_id",)}.get(exc.cause, ())
            words = " (MinIO's console answered %s)" % refusal if refusal else ""
            self.fail(exc.cause, exc.message + self.env_note(keys) + words)
        id_token = tokens["id_token"]
        self.module.no_log_values.update(v for v in (id_token, tokens.get("access_token")) if v)
        claims = jwt_claims(id_token)
        claim_name = values.get("claim_name") or "policy"
        named = policy_names(claims.get(claim_name))
        if not named and not values.get("role_policy"):
            self.fail("policy_claim", "the ID token of %s has no %s claim: give the provider a scope mapping that sets it "
                      "and make sure MinIO asks for its scope (MinIO asks for %s)" % (
                          username, claim_name, ", ".join(self.result["scopes"])))
        self.check_policies(named, "the ID token's %s claim names policy %%s, which MinIO does not have: create it or "
                            "correct the scope mapping" % claim_name)
        try:
            temporary = assume_role_with_web_identity(self.transport, id_token, access_token=tokens.get("access_token")
                                                      if is_on(values.get("claim_userinfo")) else None)
        except StsRefusal as exc:
            self.fail("sts", "MinIO's STS refused the ID token of %s (HTTP %s %s: %s)" % (username, exc.status, exc.code,
                                                                                          exc.message))
        except MinioError as exc:
            self.fail("sts", str(exc))
        for value in temporary[:3]:
            self.module.no_log_values.add(value)
        granted = policy_names(jwt_claims(temporary[2]).get(claim_name))
        self.result.update(proof="login", policies=granted, subject=claims.get("sub", ""))
        wanted = self.params["policies"]
        if wanted and not set(wanted) & set(granted):
            self.fail("policy_claim", "MinIO granted %s to %s, none of the expected %s" % (
                ", ".join(granted) or "nothing", username, ", ".join(wanted)))
        if refusal:
            self.fail("console", "MinIO's console refused the login of %s (%s), although the same login by hand was "
                      "granted %s" % (username, refusal, ", ".join(granted) or "a role"))
        through = "through MinIO's console" if rule else "as MinIO's console would"
        self.result["msg"] = "MinIO's console login works: %s logged in %s through authentik with the redirect URI %s " \
                             "and MinIO granted %s" % (username, through, redirect, ", ".join(granted) or "a role")


def main():
    argument_spec = minio_argument_spec()
    argument_spec.update(
        authentik_url=dict(type="str", required=True, fallback=(env_fallback, ["AUTHENTIK_URL"])),
        authentik_token=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["AUTHENTIK_TOKEN"])),
        authentik_validate_certs=dict(type="bool", default=True),
        authentik_ca_path=dict(type="path"),
        mode=dict(type="str", choices=["login", "consistency"], default="login"),
        application=dict(type="str", required=True),
        target=dict(type="str", default=DEFAULT_TARGET),
        console_url=dict(type="str"),
        username=dict(type="str"),
        password=dict(type="str", no_log=True),
        groups=dict(type="list", elements="str", default=[]),
        policies=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    check = Check(module)
    check.read_minio()
    if module.params["mode"] == "consistency" or (module.check_mode and not module.params["password"]):
        check.consistency()
    else:
        check.login()
    module.exit_json(**check.result)


if __name__ == "__main__":
    main()
