# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the minio_sso_login_check module's run, on the MinIO module base.

MinIO's side (the admin API, the STS login, the S3 probe) goes through the base's one transport and its one failure
path: a MinioError ends the task in ``execute()``, with the ``cause`` of the step that was running (``self.step``).
authentik's side (its API, the browser's part of the login, MinIO's console's login API) stays on ``requests``
(``_authentik_client``, ``_login_flow``), verified by the same TLS rule (``_tls.tls_source``): authentik's with
authentik_validate_certs and authentik_ca_path, MinIO's console with MinIO's validate_certs and ca_path.
Every other failure ends the task through ``fail()``, with its cause and one line.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import secrets

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikClient, AuthentikError
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_module import AuthentikSide
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_ownership import (
    LOGIN_CHECK_KIND,
    Ownership,
    check_deployment_name,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_urls import application_urls
from ansible_collections.sso.authentik_minio.plugins.module_utils._login_check_sts import (
    S3Probe,
    StsRefusal,
    assume_role_with_web_identity,
    check_bucket,
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
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_kv import DEFAULT_TARGET, parse_config
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_module import MINIO_SECRETS, MinioModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import TlsSettingError, connection_warnings, tls_source

USER_PREFIX = "minio-sso-login-check-"
# Where authentik serves an application's OpenID documents, below its base URL; and the provider's issuer modes.
APPLICATION_PATH = "/application/o/"
ISSUER_MODES = ("per_provider", "global")
# What this module's MinIO calls carry (for the plain-http and validate_certs=false warnings).
LOGIN_CHECK_SECRETS = MINIO_SECRETS + ", the ID token and the temporary credentials MinIO's STS answers with"
# What authentik's API and login endpoints carry, for the same warnings about authentik_url.
AUTHENTIK_SECRETS = "the API token, the login's password, the authorization code, MinIO's client secret and the ID token"


def allowed(value):
    return "allowed" if value else "denied"


class MinioSsoLoginCheckModule(MinioModule):
    OPTIONS = dict(
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
        probe_bucket=dict(type="str"),
        expect_scopes=dict(type="list", elements="str", default=[]),
        expect_claims=dict(type="list", elements="str", default=[]),
        owner=dict(type="str"),
    )
    SECRETS = LOGIN_CHECK_SECRETS

    def __init__(self, **kwargs):
        super(MinioSsoLoginCheckModule, self).__init__(**kwargs)
        if REQUESTS_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        params = self.params
        self.result.update(path="imitation", environment_overrides=[], can_read=None, can_write=None)
        # The MinIO step running now: the cause and the start of the message a MinioError ends it with.
        self.step = ("minio_config", "")
        for warning in connection_warnings(params["authentik_url"], params["authentik_validate_certs"],
                                           params["authentik_ca_path"], AUTHENTIK_SECRETS):
            self.warn(warning)
        try:
            verify, dummy = tls_source(params["authentik_url"], params["authentik_validate_certs"], params["authentik_ca_path"])
            self.authentik = AuthentikClient(params["authentik_url"], params["authentik_token"],
                                             validate_certs=params["authentik_validate_certs"],
                                             ca_path=params["authentik_ca_path"], timeout=params["timeout"])
        except (TlsSettingError, AuthentikError) as exc:
            self.fail_json(msg=str(exc))
        self.flow = LoginFlow(timeout=params["timeout"], verify=verify)
        self.values = {}
        self.discovery = {}
        self.created = None  # (pk, username) of the temporary user while it exists

    def refused_values(self):
        bucket, owner = self.params["probe_bucket"], self.params["owner"]
        refused = [check_bucket("probe_bucket", bucket) if bucket is not None else None]
        if owner is not None:
            try:
                check_deployment_name(owner)
            except AuthentikError as exc:
                refused.append(exc.msg)
        return refused

    # the two failure paths ---------------------------------------------------------------------------------
    def fail(self, cause, message):
        # the temporary user goes before the result is handed over, so that the result says whether it went
        self.remove_user()
        self.result.update(cause=cause, msg=message)
        self.fail_json(**self.result)

    def failure_message(self, exc):
        return self.step[1] + str(exc)

    def failure_result(self):
        found = dict((key, value) for key, value in self.result.items() if key != "msg")
        found["cause"] = self.step[0]
        return found

    def run(self):
        self.read_minio()
        if self.params["mode"] == "consistency" or (self.check_mode and not self.params["password"]):
            self.consistency()
        else:
            self.check_discovery()  # before the temporary user is made
            self.login()

    # MinIO's side, read-only ---------------------------------------------------------------------------------
    def read_minio(self):
        name = self.params["target"] or DEFAULT_TARGET
        self.step = ("minio_config", "reading MinIO's identity_openid configuration failed: ")
        stored = parse_config(self.admin.get_config_export()).get(name)
        running = parse_config(self.admin.get_running_config()).get(name)
        if stored is None or stored["commented"] or not stored["values"].get("config_url") \
                or not is_on(stored["values"].get("enable", "on")):
            self.fail("minio_config", "MinIO has no enabled identity_openid target %s: configure it "
                      "(minio_identity_openid) before proving the login" % name)
        self.values = stored["values"]
        if self.values.get("client_secret"):
            self.no_log_values.add(self.values["client_secret"])
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

    def check_discovery(self, issuer_mode=None):
        """What MinIO takes from the discovery document, against the application's URLs as authentik builds them from
        the host MinIO fetches it from (the config URL's), so that a proxy that rewrites the host or the scheme shows
        here: the issuer (of the provider's issuer mode when it is known, else either), the JWKS and token endpoint,
        the scopes and claims the caller expects, and a signing algorithm MinIO can verify with the JWKS (not HS*)."""
        doc, config_url, slug = self.discovery, self.values["config_url"], self.params["application"]
        base = config_url.split(APPLICATION_PATH)[0] if APPLICATION_PATH in config_url else self.authentik.base_url
        urls = application_urls(base, slug, issuer_mode)
        modes = [issuer_mode] if issuer_mode in ISSUER_MODES else ISSUER_MODES
        issuers = [application_urls(base, slug, mode)["issuer"] for mode in modes]
        problems = []
        if doc.get("issuer") not in issuers:
            problems.append("issuer %s (expected %s)" % (doc.get("issuer"), " or ".join(issuers)))
        for key, expected in (("jwks_uri", urls["jwks_url"]), ("token_endpoint", urls["token_url"])):
            if doc.get(key) != expected:
                problems.append("%s %s (expected %s)" % (key, doc.get(key), expected))
        for key, wanted in (("scopes_supported", self.params["expect_scopes"]), ("claims_supported", self.params["expect_claims"])):
            listed = [item for item in doc.get(key) or [] if isinstance(item, str)]
            missing = [item for item in wanted if item not in listed]
            if missing:
                problems.append("%s %s lacks %s" % (key, ",".join(listed) or "(none)", ", ".join(missing)))
        algorithms = [alg for alg in doc.get("id_token_signing_alg_values_supported") or [] if isinstance(alg, str)]
        if not [alg for alg in algorithms if not alg.upper().startswith("HS")]:
            problems.append("id_token_signing_alg_values_supported %s has no algorithm MinIO can verify with the JWKS "
                            "(HS* signs with the client secret: give the provider a signing key)" % (",".join(algorithms) or "(none)"))
        if problems:
            self.fail("discovery", "the discovery document at %s does not agree with application %s: %s%s" % (
                config_url, slug, "; ".join(problems), self.env_note(("config_url",))))

    def env_note(self, keys):
        found = [k for k in keys if k in self.result["environment_overrides"]]
        if not found:
            return ""
        return " (MinIO's environment sets %s, which wins over what the admin API stores)" % ", ".join(
            "MINIO_IDENTITY_OPENID_%s" % k.upper() for k in found)

    def check_policies(self, names, cause_message):
        for name in names:
            self.step = ("unknown_policy", "reading MinIO's policy %s failed: " % name)
            if self.admin.policy_info(name) is None:
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
            self.no_log_values.add(provider["client_secret"])
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
        self.check_discovery(provider.get("issuer_mode"))
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
                           "client ID, client secret, config URL, scopes and redirect URI %s; discovery and JWKS answer, and the "
                           "discovery document agrees"
                           % (hint, self.params["application"], self.result["redirect_uri"]))

    # the login -----------------------------------------------------------------------------------------------
    def login(self):
        params = self.params
        username, password = params["username"], params["password"]
        if not password:
            username = username or USER_PREFIX + secrets.token_hex(4)
            password = secrets.token_urlsafe(32)
            self.no_log_values.add(password)
            self.created = (self.create_user(username, password), username)
        try:
            self.prove(username, password)
        finally:
            self.remove_user()

    def remove_user(self):
        """Remove the temporary user, if one was made and is not removed yet, and, with owner, forget it in that
        deployment's manifest, where it was listed before it was made; RV(temporary_user) says what was done, so that
        a caller sweeps only what is left."""
        if self.created is None:
            return
        (pk, username), self.created = self.created, None
        removed = forgotten = False
        try:
            self.authentik.request("DELETE", "core/users/%s/" % pk, missing_ok=True)
            removed = True
            if self.params["owner"]:
                ownership = Ownership(AuthentikSide(self.authentik, self.check_mode), self.params["owner"])
                ownership.forget(LOGIN_CHECK_KIND, key=username)
                forgotten = True
        except AuthentikError as exc:
            self.warn("the temporary user %s could not be %s: %s" % (
                username, "forgotten in the manifest of deployment %s" % self.params["owner"] if removed else "removed", exc))
        self.result["temporary_user"] = dict(name=username, removed=removed,
                                             forgotten=forgotten if self.params["owner"] else None)

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
        # MinIO's console is MinIO's: its TLS certificate is checked as the transport checks MinIO's
        console_tls = dict(verify=self.transport.verify) if console else {}
        rule = console_login_rule(self.flow, console, values["client_id"], **console_tls) if console else None
        refusal = None
        try:
            if rule:
                # MinIO's console answers: its own authorize URL, redirect URI and state, and its own code exchange
                self.result.update(path="console", redirect_uri=rule["redirect_uri"], scopes=rule["scopes"],
                                   redirect_source="as MinIO's console at %s sends it" % console)
                redirect = rule["redirect_uri"]
                code = self.flow.follow(rule["url"], values["client_id"], redirect, rule["state"], username, password,
                                        self.result["redirect_source"], provider_hint=hint)
                refusal = console_callback(self.flow, console, code, rule["state"], **console_tls)
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
        self.no_log_values.update(v for v in (id_token, tokens.get("access_token")) if v)
        claims = jwt_claims(id_token)
        claim_name = values.get("claim_name") or "policy"
        named = policy_names(claims.get(claim_name))
        if not named and not values.get("role_policy"):
            self.fail("policy_claim", "the ID token of %s has no %s claim: give the provider a scope mapping that sets it "
                      "and make sure MinIO asks for its scope (MinIO asks for %s)" % (
                          username, claim_name, ", ".join(self.result["scopes"])))
        self.check_policies(named, "the ID token's %s claim names policy %%s, which MinIO does not have: create it or "
                            "correct the scope mapping" % claim_name)
        self.step = ("sts", "")
        try:
            temporary = assume_role_with_web_identity(self.transport, id_token, access_token=tokens.get("access_token")
                                                      if is_on(values.get("claim_userinfo")) else None)
        except StsRefusal as exc:
            self.fail("sts", "MinIO's STS refused the ID token of %s (HTTP %s %s: %s)" % (username, exc.status, exc.code,
                                                                                          exc.message))
        self.no_log_values.update(temporary[:3])
        granted = policy_names(jwt_claims(temporary[2]).get(claim_name))
        self.result.update(proof="login", policies=granted, subject=claims.get("sub", ""))
        through = "through MinIO's console" if rule else "as MinIO's console would"
        summary = "MinIO's console login works: %s logged in %s through authentik with the redirect URI %s and MinIO " \
                  "granted %s" % (username, through, redirect, ", ".join(granted) or "a role")
        probe = self.probe(temporary[:3], summary)
        wanted = self.params["policies"]
        if wanted and not set(wanted) & set(granted):
            self.fail("policy_claim", "MinIO granted %s to %s, none of the expected %s" % (
                ", ".join(granted) or "nothing", username, ", ".join(wanted)))
        if refusal:
            self.fail("console", "MinIO's console refused the login of %s (%s), although the same login by hand was "
                      "granted %s" % (username, refusal, ", ".join(granted) or "a role"))
        self.result["msg"] = summary + probe

    def probe(self, credentials, summary):
        """What the temporary credentials may do in probe_bucket (S3Probe: its objects removed again, the bucket
        made only when missing and removed again); ``""`` or the words to add to the message."""
        bucket = self.params["probe_bucket"]
        if bucket is None or self.check_mode:
            return ""
        self.step = ("probe", "%s, but the S3 probe in bucket %s failed: " % (summary, bucket))
        found = S3Probe(self.s3(), self.s3(credentials), bucket).run()
        self.result.update(can_read=found["can_read"], can_write=found["can_write"])
        return "; probe in bucket %s: read %s, write %s" % (bucket, allowed(found["can_read"]), allowed(found["can_write"]))
