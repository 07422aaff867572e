#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: authentik_deployment
short_description: Check what a MinIO deployment owns in authentik, and keep its manifest
version_added: 1.1.0
description:
  - A deployment is one MinIO wired to authentik, named by its application slug. The collection's modules change only
    objects that carry the deployment's ownership mark (their O(sso.authentik_minio.authentik_group#module:owner)
    option). This module looks at all the objects a deployment is about to change at once, before any of them is
    written, and fails naming every one that is not the deployment's.
  - Providers, applications, policy bindings and the login check's service accounts cannot carry a mark. They are
    listed in the deployment's manifest, the attributes of the group C(sso.authentik_minio/<name>), which the resource
    modules keep up to date. An entry is written before the object is created, so that an object created by a run that
    was killed right afterwards is still known to be the deployment's.
  - O(login_check) records a login check's temporary account and bucket in the manifest before they are created
    (O(state=present)), and forgets them once the check removed them (O(state=absent)), so that the leftovers of a
    killed run can be found again by the mark (RV(login_checks)) and swept.
  - O(state=absent) without O(login_check) deletes the manifest once it lists nothing.
options:
  name:
    description:
      - Name of the deployment, its application slug.
    type: str
    required: true
  objects:
    description:
      - The objects the deployment is about to create or change, each checked by name; V(absent), V(ours), V(shared)
        (another deployment's mark on a group or scope mapping, which may be shared on purpose) are fine.
      - An object without any mark is refused unless O(adopt) is set; an object authentik manages itself, a provider
        that serves another application and a login check account that exists already are always refused.
    type: dict
    default: {}
    suboptions:
      scope_mapping:
        description: Name of the scope mapping.
        type: str
      oauth2_provider:
        description: Name of the OAuth2 provider.
        type: str
      application:
        description: Slug of the application.
        type: str
      groups:
        description: Names of the groups the deployment creates or shares.
        type: list
        elements: str
        default: []
      bindings:
        description: Names of the groups bound to the application (the policy bindings the deployment keeps).
        type: list
        elements: str
        default: []
      required_groups:
        description:
          - Names of groups the deployment refers to; each must exist or be one of O(objects.groups), which the
            deployment creates. The groups of O(objects.bindings) are required too.
        type: list
        elements: str
        default: []
      login_check_account:
        description:
          - Username the login check will create; refused when a user of that name exists already.
        type: str
  adopt:
    description:
      - Accept existing objects without a mark; the resource modules mark them when they next change them.
    type: bool
    default: false
  login_check:
    description:
      - A login check's temporary service account and probe bucket, recorded before they are created.
    type: dict
    suboptions:
      account:
        description: Username of the temporary service account.
        type: str
        required: true
      bucket:
        description: Name of the probe bucket in MinIO.
        type: str
  check_discovery:
    description:
      - With O(state=present), also fetch the OpenID discovery document of the application
        (C(<url>/application/o/<slug>/.well-known/openid-configuration), the slug of O(objects.application), else
        O(name)), as MinIO fetches it whenever its configuration is saved and whenever it starts, with the module's
        own O(validate_certs), O(ca_path) and O(timeout).
      - When the application is the deployment's own (RV(objects) says V(ours)), the document must answer (HTTP 200
        with a JSON document that names its issuer); otherwise authentik's 404 for an application it does not serve
        yet is fine too. Anything else fails the task before any write, naming the URL, the status and authentik's
        own words. RV(discovery) says what was found.
    type: bool
    default: false
  state:
    description:
      - V(present) checks O(objects) and records O(login_check); V(absent) forgets O(login_check), or deletes the
        manifest when no O(login_check) is given.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - sso.authentik_minio.authentik
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.AUTHENTIK_GROUP
  - sso.authentik_minio.attributes.CHECK_WITHOUT_DIFF
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
- name: Stop before any write when an object the deployment would change is not its own
  sso.authentik_minio.authentik_deployment:
    name: minio-staging
    objects:
      scope_mapping: MinIO policy (minio-staging)
      oauth2_provider: MinIO (minio-staging)
      application: minio-staging
      groups:
        - minio-staging-admins
  register: staging

- name: Say which of them exist already
  ansible.builtin.debug:
    msg: "{{ staging.objects }}"

- name: Check as well that authentik's OpenID discovery endpoint of the application answers, before any write
  sso.authentik_minio.authentik_deployment:
    name: minio-staging
    objects:
      application: minio-staging
    check_discovery: true
  register: staging_discovery

- name: Say what the discovery endpoint answered
  ansible.builtin.debug:
    msg: "{{ staging_discovery.discovery.url }} answered HTTP {{ staging_discovery.discovery.status }}"

- name: Forget the deployment's manifest once everything it listed is gone
  sso.authentik_minio.authentik_deployment:
    name: minio-staging
    state: absent
"""

RETURN = r"""
objects:
  description: For each object named in O(objects), by kind and name, V(absent), V(ours), V(shared), V(renamed) (a
    provider the manifest lists under another name, see RV(renamed)) or V(unmarked) (the last only with O(adopt)).
  returned: always
  type: dict
  sample: {"oauth2_provider": {"MinIO (minio)": "ours"}, "groups": {"minio-admins": "shared"}}
login_checks:
  description: The login checks the manifest lists, each with C(account) and C(bucket); after O(state=present) with
    O(login_check), its own entry is among them. Entries of runs that were killed stay until swept.
  returned: always
  type: list
  elements: dict
  sample: [{"account": "minio-sso-login-check-x1y2z3w4", "bucket": "minio-sso-login-check-x1y2z3w4"}]
renamed:
  description: For the provider, its current name when the manifest lists it under another name than O(objects)
    gives; M(sso.authentik_minio.authentik_oauth2_provider) with O(sso.authentik_minio.authentik_oauth2_provider#module:owner)
    renames it in place.
  returned: always
  type: dict
  sample: {"oauth2_provider": "MinIO (minio)"}
bound_groups:
  description: The groups whose policy binding to the application O(name) the manifest lists (the bindings the
    deployment made); the role revokes those no longer in its access groups.
  returned: always
  type: list
  elements: str
  sample: [minio-admins]
server:
  description:
    - The server's release and what it supports, from the collection's version table, by feature name as
      M(sso.authentik_minio.authentik_info) returns them in RV(sso.authentik_minio.authentik_info#module:features).
      C(grant_types) is V(true) where providers have the C(grant_types) field (authentik 2026.5 and newer), and
      C(default_grant_types) lists what a provider gets when none are given.
  returned: always
  type: dict
  sample: {"version": "2026.8.5", "grant_types": true, "default_grant_types": [authorization_code, refresh_token]}
discovery:
  description:
    - With O(check_discovery), what the application's OpenID discovery endpoint answered. C(url) is the URL it was
      fetched from, C(status) the HTTP status (V(200), or V(404) for an application authentik does not serve yet) and
      C(issuer) the issuer the document names (null without a document).
  returned: with O(check_discovery) and O(state=present)
  type: dict
  sample: {"url": "https://authentik.example.com/application/o/minio/.well-known/openid-configuration", "status": 200,
           "issuer": "https://authentik.example.com/application/o/minio/"}
manifest:
  description: Name of the deployment's manifest group.
  returned: always
  type: str
  sample: sso.authentik_minio/minio
"""

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikError, page_words
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_module import AuthentikModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_ownership import (
    LOGIN_CHECK_KIND,
    Ownership,
    manifest_name,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_resources import binding_expires
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_urls import oidc_urls
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_version import version_string


class DeploymentModule(AuthentikModule):
    def server_features(self):
        """What the server's release supports, from the collection's one version table: a role asks here and never
        compares release strings itself."""
        return dict(self.dialect.features(), version=version_string(self.dialect.version))

    def run(self):
        name = self.params["name"]
        ownership = Ownership(self, name, self.params["adopt"])
        self.result.update(objects={}, renamed={}, manifest=manifest_name(name), server=self.server_features())
        login_check = self.params["login_check"]
        if self.params["state"] == "absent":
            if login_check:
                if self.recorded_login_check(ownership, login_check["account"]):
                    self.result["changed"] = True
                    if not self.check_mode:
                        ownership.forget(LOGIN_CHECK_KIND, key=login_check["account"])
            else:
                self.result["changed"] = ownership.remove_manifest()
        else:
            refusals = self.check_objects(ownership)
            if login_check and not self.recorded_login_check(ownership, login_check["account"]):
                refusals.extend(self.account_refusals(login_check["account"]))
            if refusals:
                raise AuthentikError("deployment '%s' would change objects that are not its own; nothing was written:\n- %s"
                                     % (name, "\n- ".join(refusals)))
            if self.params["check_discovery"]:
                self.check_discovery(name)
            if login_check and not self.recorded_login_check(ownership, login_check["account"]):
                self.result["changed"] = True
                if not self.check_mode:
                    ownership.record(LOGIN_CHECK_KIND, login_check["account"], login_check=True,
                                     bucket=login_check.get("bucket"))
        self.result["login_checks"] = [dict(account=entry.get("key"), bucket=entry.get("bucket"))
                                       for entry in ownership.entries(LOGIN_CHECK_KIND)
                                       if entry.get("login_check")]
        prefix = "%s/group:" % name  # authentik_policy_binding's manifest key: <application>/group:<group>
        self.result["bound_groups"] = sorted(entry["key"][len(prefix):] for entry in ownership.entries("policy_binding")
                                             if str(entry.get("key", "")).startswith(prefix))

    def check_discovery(self, name):
        """MinIO fetches the application's discovery document whenever its configuration is saved and whenever it
        starts: before the first write, the document of an application of ours must answer, and authentik's OpenID
        endpoint must at least answer its 404 for a slug it does not serve yet."""
        slug = (self.params["objects"] or {}).get("application") or name
        ours = self.result["objects"].get("application", {}).get(slug) == "ours"
        url = oidc_urls(self.client.base_url, slug)["openid_configuration_url"]
        response = self.client.page(url)
        document = None
        if response.status_code == 200:
            try:
                document = response.json()
            except ValueError:
                document = None
            if not isinstance(document, dict) or not isinstance(document.get("issuer"), str):
                raise AuthentikError("authentik's OpenID discovery endpoint %s answered HTTP 200 with something that is "
                                     "not a discovery document (%s); nothing was written" % (url, page_words(response)))
        elif response.status_code != 404 or ours:
            raise AuthentikError("authentik's OpenID discovery endpoint %s answered HTTP %d (%s), expected 200%s: MinIO "
                                 "fetches that document whenever its configuration is saved and whenever it starts; "
                                 "nothing was written" % (url, response.status_code, self.client.redact(page_words(response)),
                                                          " for the deployment's own application %s" % slug if ours
                                                          else " or 404"))
        self.result["discovery"] = dict(url=url, status=response.status_code,
                                        issuer=document.get("issuer") if document else None)

    @staticmethod
    def recorded_login_check(ownership, account):
        return any(entry.get("key") == account for entry in ownership.entries(LOGIN_CHECK_KIND))

    def check_objects(self, ownership):
        """Each named object's status; the refusals' messages, all at once."""
        objects = self.params["objects"] or {}
        wanted = [("scope_mapping", objects.get("scope_mapping")), ("oauth2_provider", objects.get("oauth2_provider")),
                  ("application", objects.get("application"))]
        wanted += [("group", group) for group in objects.get("groups") or []]
        refusals = []
        for kind, key in wanted:
            if key:
                self.check_one(ownership, kind, key, self.find_one(self.resource(kind), self.resource(kind).key, key),
                               refusals)
        creates = set(objects.get("groups") or [])
        for group_name in sorted(set(objects.get("required_groups") or []) | set(objects.get("bindings") or [])):
            if group_name not in creates and self.find_one(self.resource("group"), "name", group_name) is None:
                refusals.append("group '%s' does not exist and the deployment does not create it; create it first, or "
                                "list it among the groups the deployment creates" % group_name)
        if objects.get("login_check_account"):
            refusals.extend(self.account_refusals(objects["login_check_account"]))
        application = self.find_one(self.resource("application"), "slug", objects.get("application")) \
            if objects.get("application") else None
        for group_name in objects.get("bindings") or []:
            group = self.find_one(self.resource("group"), "name", group_name)
            binding = self.binding(application, group)
            self.check_one(ownership, "policy_binding", "%s/group:%s" % (objects.get("application"), group_name),
                           binding, refusals)
        return refusals

    def account_refusals(self, account):
        if self.find_one(self.resource("user"), "username", account) is None:
            return []
        return ["login_check: user '%s' exists already; the login check uses only an account it creates itself" % account]

    def binding(self, application, group):
        if application is None or group is None:
            return None
        bindings = self.client.list(self.resource("policy_binding").path(self.dialect), {"target": application["pk"]})
        found = [binding for binding in bindings if str(binding.get("group")) == str(group["pk"])
                 and binding.get("policy") in (None, "") and not binding_expires(binding)]
        return found[0] if found else None

    def check_one(self, ownership, kind, key, obj, refusals):
        plural = "groups" if kind == "group" else "bindings" if kind == "policy_binding" else kind
        resource = self.resource(kind)
        former = ownership.renamed(resource) if obj is None and resource.one_per_deployment else None
        if former is not None:
            status = "renamed"  # the resource module renames it in place
            self.result["renamed"][kind] = former.get(resource.key)
        elif obj is None:
            status = "absent"
        else:
            try:
                status = ownership.check(self.resource(kind), obj, key)
            except AuthentikError as exc:
                refusals.append(exc.msg)
                status = "refused"
        if plural in ("groups", "bindings"):
            self.result["objects"].setdefault(plural, {})[key.rpartition(":")[2] if kind == "policy_binding" else key] = status
        else:
            self.result["objects"].setdefault(kind, {})[key] = status


def main():
    DeploymentModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            objects=dict(type="dict", default={}, options=dict(
                scope_mapping=dict(type="str"),
                oauth2_provider=dict(type="str"),
                application=dict(type="str"),
                groups=dict(type="list", elements="str", default=[]),
                bindings=dict(type="list", elements="str", default=[]),
                required_groups=dict(type="list", elements="str", default=[]),
                login_check_account=dict(type="str"),
            )),
            adopt=dict(type="bool", default=False),
            login_check=dict(type="dict", options=dict(
                account=dict(type="str", required=True),
                bucket=dict(type="str"),
            )),
            check_discovery=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    ).execute()


if __name__ == "__main__":
    main()
