# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The double's database: plain dicts behind one lock, seeded like a fresh install of the dialect.

What a fresh install holds (as observed on a real authentik 2025.12.4): ``akadmin`` in the superuser group
``authentik Admins`` holding the bootstrap API token (identifier ``authentik-bootstrap-token``), the
default flows and managed property mappings from the blueprints (``seed_2025_12.json``, recorded on
a real 2025.12.4 and trimmed per dialect), and "authentik Self-signed Certificate" with a private key.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import os
import secrets
import string
import threading
import time
import uuid

from . import crypto

_HERE = os.path.dirname(os.path.abspath(__file__))
SEED_FILE = os.path.join(_HERE, "seed_2025_12.json")

ANONYMOUS_USERNAME = "AnonymousUser"
ADMIN_GROUP = "authentik Admins"
BOOTSTRAP_IDENTIFIER = "authentik-bootstrap-token"


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso(moment):
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def generate_key(length=60):
    """authentik's generate_key(): letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for dummy in range(length))


class Store:
    def __init__(self, dialect, bootstrap_token):
        self.lock = threading.RLock()
        self.dialect = dialect
        self.install_id = str(uuid.uuid4())
        self._seq = itertools.count(1)
        self._user_pk = itertools.count(1)
        self._provider_pk = itertools.count(1)
        self.users = {}
        self.groups = {}
        self.tokens = {}
        self.flows = {}
        self.keypairs = {}
        self.mappings = {}
        self.providers = {}
        self.applications = {}
        self.bindings = {}
        self.issued_tokens = {}  # access token JWT -> {"user", "provider", "scopes", "expires"}
        self.expression_log = []  # what ak_logger received (bounded)
        self._seed(bootstrap_token)

    def seq(self):
        return next(self._seq)

    # users -------------------------------------------------------------------------------------
    def new_user(self, username, name="", email="", user_type="internal", path="users", attributes=None,
                 is_active=True, groups=()):
        pk = next(self._user_pk)
        moment = now()
        user = {
            "pk": pk, "uuid": str(uuid.uuid4()), "username": username, "name": name, "email": email,
            "is_active": is_active, "last_login": None, "date_joined": moment, "groups": list(groups),
            "roles": [], "attributes": dict(attributes or {}), "path": path, "type": user_type,
            "password_change_date": moment, "last_updated": moment, "seq": self.seq(),
        }
        self.users[pk] = user
        return user

    def uid(self, user):
        """``User.uid``: sha256 of "<pk>-<install id>", also the hashed_user_id subject."""
        return hashlib.sha256(("%s-%s" % (user["pk"], self.install_id)).encode("ascii")).hexdigest()

    def user_by_name(self, username):
        for user in self.users.values():
            if user["username"] == username:
                return user
        return None

    def all_group_ids(self, user):
        """Direct groups plus their ancestors (``User.all_groups()``)."""
        seen = []
        todo = list(user["groups"])
        while todo:
            gid = todo.pop(0)
            if gid in seen or gid not in self.groups:
                continue
            seen.append(gid)
            todo.extend(self.groups[gid]["parents"])
        return seen

    def is_superuser(self, user):
        return any(self.groups[g]["is_superuser"] for g in self.all_group_ids(user))

    # groups ------------------------------------------------------------------------------------
    def new_group(self, name, is_superuser=False, parents=(), attributes=None):
        group = {"pk": str(uuid.uuid4()), "num_pk": 0, "name": name, "is_superuser": is_superuser,
                 "parents": list(parents), "attributes": dict(attributes or {}), "roles": [], "seq": self.seq()}
        group["num_pk"] = int(uuid.UUID(group["pk"]).int % 2147483647)  # authentik: an int32 view of the uuid
        self.groups[group["pk"]] = group
        return group

    def group_members(self, group_id):
        return [u for u in sorted(self.users.values(), key=lambda u: u["pk"]) if group_id in u["groups"]]

    # tokens ------------------------------------------------------------------------------------
    def new_token(self, identifier, user_pk, intent="api", key=None, expiring=True, expires=None, description="",
                  managed=None):
        token = {"pk": str(uuid.uuid4()), "identifier": identifier, "intent": intent, "user": user_pk,
                 "key": key or generate_key(), "expiring": expiring, "expires": expires,
                 "description": description, "managed": managed, "seq": self.seq()}
        self.tokens[token["pk"]] = token
        return token

    def token_by_identifier(self, identifier):
        for token in self.tokens.values():
            if token["identifier"] == identifier:
                return token
        return None

    def valid_token(self, key, intent):
        for token in self.tokens.values():
            if token["key"] == key and token["intent"] == intent:
                if token["expiring"] and token["expires"] is not None and token["expires"] < now():
                    return None
                return token
        return None

    # keypairs ----------------------------------------------------------------------------------
    def new_keypair(self, name, cert_pem, key_pem="", managed=None):
        keypair = {"pk": str(uuid.uuid4()), "name": name, "managed": managed,
                   "material": crypto.KeyMaterial(cert_pem, key_pem), "seq": self.seq()}
        self.keypairs[keypair["pk"]] = keypair
        return keypair

    # property mappings -------------------------------------------------------------------------
    def new_mapping(self, **attrs):
        mapping = dict(attrs)
        mapping.setdefault("managed", None)
        mapping["pk"] = str(uuid.uuid4())
        mapping["seq"] = self.seq()
        self.mappings[mapping["pk"]] = mapping
        return mapping

    # lookups shared by the resources ------------------------------------------------------------
    def flow_by_slug(self, slug):
        for flow in self.flows.values():
            if flow["slug"] == slug:
                return flow
        return None

    def application_for_provider(self, provider_pk):
        for app in self.applications.values():
            if app["provider"] == provider_pk:
                return app
        return None

    def application_by_slug(self, slug):
        for app in self.applications.values():
            if app["slug"] == slug:
                return app
        return None

    def binding_targets(self):
        """pbm_uuid -> object for everything a policy can be bound to (applications, flows)."""
        targets = {app["pk"]: app for app in self.applications.values()}
        targets.update({flow["pbm_uuid"]: flow for flow in self.flows.values()})
        return targets

    # seed --------------------------------------------------------------------------------------
    def _seed(self, bootstrap_token):
        d = self.dialect
        with open(SEED_FILE, encoding="utf-8") as handle:
            seed = json.load(handle)
        for flow in seed["flows"]:
            if flow["slug"] == "default-provider-invalidation-flow" and not d.provider_invalidation_flow:
                continue
            entry = {k: v for k, v in flow.items() if k not in ("stage_count", "policy_count")}
            entry.update({"pk": str(uuid.uuid4()), "pbm_uuid": str(uuid.uuid4()), "background": "",
                          "stages": [str(uuid.uuid4()) for dummy in range(flow["stage_count"])],
                          "policies": [str(uuid.uuid4()) for dummy in range(flow.get("policy_count", 0))], "seq": self.seq()})
            self.flows[entry["pk"]] = entry
        for mapping in seed["property_mappings"]:
            if mapping["managed"] == "goauthentik.io/providers/oauth2/scope-entitlements" and not d.entitlements_scope:
                continue
            entry = dict(mapping)
            if mapping["managed"] == "goauthentik.io/providers/oauth2/scope-email" and d.email_verified:
                entry["expression"] = entry["expression"].replace("False", "True")
            if entry.get("component") == "ak-property-mapping-provider-scope-form" and d.line < (2024, 8):
                entry["component"] = "ak-property-mapping-scope-form"  # the form's name before the provider/ prefix
            self.new_mapping(**entry)
        # users: the guardian anonymous user (pk 1, never listed), the embedded outpost's account, akadmin
        self.new_user(ANONYMOUS_USERNAME, name="", user_type="internal")
        self.new_user("ak-outpost-%s" % uuid.uuid4().hex, name="Outpost authentik Embedded Outpost Service-Account",
                      user_type="internal_service_account", path="goauthentik.io/outposts",
                      attributes={"goauthentik.io/user/token-expires": False})
        admins = self.new_group(ADMIN_GROUP, is_superuser=True)
        self.admin = self.new_user("akadmin", name="authentik Default Admin", email="akadmin@example.com",
                                   groups=[admins["pk"]])
        self.new_token(BOOTSTRAP_IDENTIFIER, self.admin["pk"], intent="api", key=bootstrap_token, expiring=False,
                       description="", managed=None)
        # RSA like the real one, but 2048 bits instead of 4096: generating 4096-bit keys takes 1-6 s on a
        # busy CI machine and every test starts its own double; the key size is not part of any API shape.
        cert_pem, key_pem = crypto.generate(crypto.SELF_SIGNED_NAME, validity_days=365, rsa_bits=2048,
                                            issuer_cn="authentik %s" % d.version_string, self_signed_subject=True)
        self.new_keypair(crypto.SELF_SIGNED_NAME, cert_pem, key_pem)

    def remember_access_token(self, access_token, record, limit=10000):
        """Issued access tokens for userinfo and API access; expired ones go first when the map is full."""
        if len(self.issued_tokens) >= limit:
            moment = time.time()
            for key in [k for k, v in self.issued_tokens.items() if v["expires"] < moment]:
                del self.issued_tokens[key]
            while len(self.issued_tokens) >= limit:
                del self.issued_tokens[next(iter(self.issued_tokens))]
        self.issued_tokens[access_token] = record

    def delete_provider(self, pk):
        """Remove a provider; its application keeps existing without one (SET_NULL)."""
        self.providers.pop(pk, None)
        for app in self.applications.values():
            if app["provider"] == pk:
                app["provider"] = None
