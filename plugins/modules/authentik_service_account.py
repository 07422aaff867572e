#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: authentik_service_account
short_description: Manage authentik service accounts and their app passwords
version_added: 1.0.0
description:
  - Creates or deletes a service account (a user of type C(service_account)), found by its username O(name), and
    makes it a member of the given groups.
  - Returns the account's app password (the key of its C(app_password) token), which logs the account in
    non-interactively, for example with the C(client_credentials) grant of an OAuth2 provider.
  - Meant for machine logins and for login checks such as the one of the C(sso.authentik_minio.minio_sso) role,
    which creates a temporary account, logs in with it and removes it again.
  - With O(state=absent) and O(owner), a user the deployment's manifest lists is removed whatever its type, so that
    the temporary internal user of an interrupted M(sso.authentik_minio.minio_sso_login_check) is swept as well; any
    other user that is not a service account is refused.
options:
  name:
    description:
      - Username of the service account; not empty and at most 150 characters (authentik's limit).
    type: str
    required: true
  groups:
    description:
      - Names of groups the account must be a member of. Every group must exist.
      - Membership in groups not listed here is left as it is.
    type: list
    elements: str
    default: []
  token_validity:
    description:
      - Minutes the app password of a newly created account stays valid; authentik deletes it afterwards.
      - V(0) creates a token that does not expire. A negative value is refused before authentik is asked.
      - The validity of an existing account's token is not changed.
    type: int
    default: 30
  state:
    description:
      - Whether the account should exist. V(absent) deletes the account and with it its tokens.
    type: str
    choices: [present, absent]
    default: present
notes:
  - An existing user that is not a service account is never changed or deleted; the task fails instead.
  - RV(app_password) is a secret. Set C(no_log) on the task and pass it on only where it is needed.
extends_documentation_fragment:
  - sso.authentik_minio.authentik
  - sso.authentik_minio.ownership
  - sso.authentik_minio.attributes
  - sso.authentik_minio.attributes.AUTHENTIK_GROUP
  - sso.authentik_minio.attributes.CHECK_WITHOUT_DIFF
author:
  - sso.authentik_minio contributors (@sso-collections)
"""

EXAMPLES = r"""
- name: The group whose members MinIO maps to its readonly policy
  sso.authentik_minio.authentik_group:
    name: Minio users

- name: A service account in that group, with an app password that does not expire
  sso.authentik_minio.authentik_service_account:
    name: minio-backup
    groups:
      - Minio users
    token_validity: 0
  register: backup_account
  no_log: true

- name: Say who it is (never its app password)
  ansible.builtin.debug:
    msg: "service account {{ backup_account.username }} (pk {{ backup_account.user_pk }})"

- name: Remove the account again
  sso.authentik_minio.authentik_service_account:
    name: minio-backup
    state: absent
"""

RETURN = r"""
username:
  description: The account's username.
  returned: always
  type: str
  sample: minio-backup
user_pk:
  description: Primary key of the account; null in check mode before it exists, and after deletion.
  returned: always
  type: int
  sample: 12
app_password:
  description:
    - The key of the account's app password token (identifier C(service-account-<name>-password)).
    - Null after deletion and in check mode before the account exists.
  returned: always
  type: str
groups:
  description: Names of the groups the account was added to by this task.
  returned: always
  type: list
  elements: str
  sample: [Minio users]
"""

import datetime

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import AuthentikError
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_entity import ownership_argument_spec
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_module import AuthentikModule
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_ownership import OURS, Ownership
from ansible_collections.sso.authentik_minio.plugins.module_utils._ranges import at_least

SERVICE_ACCOUNT_TYPE = "service_account"
USERNAME_MAX_LENGTH = 150  # authentik's User.username (Django's AbstractUser)


def token_identifier(username):
    """The identifier authentik gives the app password of a service account (core/api/users.py)."""
    return "service-account-%s-password" % username


class ServiceAccountModule(AuthentikModule):
    def refused_values(self):
        # a negative validity used to make an app password that never expires
        return super(ServiceAccountModule, self).refused_values() + [at_least(
            "token_validity", self.params["token_validity"], 0, "minutes", "0 (an app password that does not expire)")]

    def value_rules(self):
        rules = super(ServiceAccountModule, self).value_rules()
        rules["name"] = dict(not_empty=True, max_length=(USERNAME_MAX_LENGTH, "authentik's limit for a username"))
        return rules

    def run(self):
        name = self.params["name"]
        users = self.resource("user")
        user = self.find_one(users, users.key, name)
        ownership = Ownership(self, self.params["owner"], self.params["adopt"]) if self.params["owner"] else None
        # A login check's temporary user is an internal user; the manifest lists it, so it may be removed as well.
        listed = user is not None and ownership is not None and self.params["state"] == "absent" \
            and ownership.status(users, user, name) == OURS
        if user is not None and user.get("type") != SERVICE_ACCOUNT_TYPE and not listed:
            raise AuthentikError("user '%s' exists and is of type '%s', not a service account; this module changes "
                                 "only service accounts, choose another name" % (name, user.get("type")))
        self.result.update(username=name, user_pk=None, app_password=None, groups=[])
        if self.params["state"] == "absent":
            if user is not None and ownership and ownership.status(users, user, name) != OURS:
                self.warn("service account '%s' is not deployment '%s''s; it was left as it is" % (name, ownership.deployment))
                return
            if user is not None:
                if not self.check_mode:
                    self.client.request("DELETE", users.detail_path(self.dialect, user), missing_ok=True,
                                        what="the deletion of service account '%s'" % name)
                self.result["changed"] = True
            if ownership and not self.check_mode:
                ownership.forget(users.name, key=name)
            return
        if user is not None and ownership and ownership.check(users, user, name) != OURS:
            self.result["changed"] = True  # adopted: from now on the manifest lists it
            if not self.check_mode:
                ownership.record(users.name, name, pk=user.get("pk"))
        groups = [self.resolve("group", group, option="groups") for group in self.params["groups"]]
        if user is None:
            if ownership and not self.check_mode:
                ownership.record(users.name, name)  # before the create: a run killed right after it still knows it
            user = self.create(name)
            if ownership and not self.check_mode:
                ownership.record(users.name, name, pk=user.get("pk"))
        else:
            self.result["app_password"] = self.app_password(user)
        self.result["user_pk"] = user.get("pk")
        for group in groups:
            if group["pk"] in (user.get("groups") or []):
                continue
            if not self.check_mode:
                self.client.request("POST", "core/groups/%s/add_user/" % group["pk"], payload={"pk": user["pk"]},
                                    what="adding '%s' to group '%s'" % (name, group["name"]))
            self.result["groups"].append(group["name"])
            self.result["changed"] = True

    def create(self, name):
        self.result["changed"] = True
        if self.check_mode:
            return dict(pk=None, groups=[])
        validity = self.params["token_validity"]
        payload = dict(name=name, create_group=False, expiring=validity > 0)
        if validity > 0:
            expires = datetime.datetime.utcnow() + datetime.timedelta(minutes=validity)
            payload["expires"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
        created = self.client.request("POST", "core/users/service_account/", payload=payload,
                                      what="the creation of service account '%s'" % name)
        self.client.add_secret(created.get("token"))
        self.result["app_password"] = created.get("token")
        return dict(pk=created.get("user_pk"), groups=[created["group_pk"]] if created.get("group_pk") else [])

    def app_password(self, user):
        """The key of an existing account's app password; a missing token is recreated (it may have expired)."""
        identifier = token_identifier(user["username"])
        found = self.client.get("core/tokens/%s/view_key/" % identifier, missing_ok=True)
        if found is None:
            self.result["changed"] = True
            if self.check_mode:
                return None
            validity = self.params["token_validity"]
            payload = dict(identifier=identifier, intent="app_password", user=user["pk"], expiring=validity > 0)
            if validity > 0:
                expires = datetime.datetime.utcnow() + datetime.timedelta(minutes=validity)
                payload["expires"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
            self.client.request("POST", "core/tokens/", payload=payload, what="the creation of token '%s'" % identifier)
            found = self.client.get("core/tokens/%s/view_key/" % identifier)
        key = (found or {}).get("key")
        self.client.add_secret(key)
        return key


def main():
    ServiceAccountModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            groups=dict(type="list", elements="str", default=[]),
            token_validity=dict(type="int", default=30, no_log=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            **ownership_argument_spec()
        ),
        supports_check_mode=True,
    ).execute()


if __name__ == "__main__":
    main()
