# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: the AnsibleModule base for authentik modules.

``AuthentikModule`` owns the connection options, the client and reference lookups (a name or slug
resolved to a pk with an exact-match filter, all pages read, more than one match is an error).
``AuthentikEntityModule`` adds the present/absent loop driven by an *entity spec* that declares each
option once (its type, API field, referenced resource, the release that introduced it), in the manner
of theforeman.foreman's ``foreman_spec``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib
from ansible.module_utils.errors import AnsibleFallbackNotFound
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    AuthentikClient,
    AuthentikError,
)
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_normalize import refused_value
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_resources import RESOURCES
from ansible_collections.sso.authentik_minio.plugins.module_utils._authentik_version import NEWEST_VERIFIED_RELEASE, version_string
from ansible_collections.sso.authentik_minio.plugins.module_utils._ranges import greater_than_zero
from ansible_collections.sso.authentik_minio.plugins.module_utils._tls import connection_warnings

EXISTING_SHOWN = 20  # how many existing names a "not found" message lists


def _insecure_fallback():
    """validate_certs from AUTHENTIK_INSECURE (the Terraform provider's name): insecure=true -> False."""
    value = os.environ.get("AUTHENTIK_INSECURE")
    if value is None or value == "":
        raise AnsibleFallbackNotFound
    return not boolean(value, strict=False)


def _filter_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def filter_matches(field_value, wanted):
    """Whether an object's field satisfies an exact filter (a list filter means any of its values)."""
    if isinstance(wanted, (list, tuple)):
        return any(filter_matches(field_value, one) for one in wanted)
    return _filter_text(field_value).lower() == _filter_text(wanted).lower() if isinstance(field_value, bool) \
        else _filter_text(field_value) == _filter_text(wanted)


def connection_argument_spec():
    """The options documented in the ``sso.authentik_minio.authentik`` doc fragment."""
    return dict(
        url=dict(type="str", required=True, fallback=(env_fallback, ["AUTHENTIK_URL"])),
        token=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["AUTHENTIK_TOKEN"])),
        validate_certs=dict(type="bool", default=True, fallback=(_insecure_fallback,)),
        ca_path=dict(type="path"),
        timeout=dict(type="float", default=30.0),
    )


class AuthentikLookups(object):
    """Objects found by exact filters, over ``self.client`` and ``self.dialect``; ``self._names`` and ``self._resolved``
    are the run's memory of names and references. AuthentikModule has them, and so has AuthentikSide, the view of
    authentik that a module of the MinIO base keeps (the login check forgets its temporary user in a manifest)."""

    def resource(self, name):
        return RESOURCES[name]

    def find_all(self, resource, filters):
        """Objects matching exact filters; re-checked here because authentik ignores unknown filters."""
        params = dict(resource.list_params)
        params.update(filters)
        found = self.client.list(resource.path(self.dialect), params)
        matching = []
        for obj in found:
            if all(filter_matches(obj.get(key), value) for key, value in filters.items() if key in obj):
                matching.append(obj)
        for obj in matching:
            self.remember(resource, obj)
        return matching

    def find_one(self, resource, field, value):
        """The one object whose ``field`` equals ``value``, or None; more than one is an error."""
        matching = self.find_all(resource, {field: value})
        if len(matching) > 1:
            raise AuthentikError("more than one %s has %s '%s' (pks %s); refer to it by a unique value"
                                 % (resource.label, field, value, ", ".join(str(obj.get("pk")) for obj in matching)))
        if matching:
            # a later resolve() of the same reference (a policy binding finds its application and group, then
            # resolves them as options) reuses this answer; find_one itself always asks the server
            self._resolved.setdefault((resource.name, (field,), value), matching[0])
        return matching[0] if matching else None

    def remember(self, resource, obj, label=None):
        if isinstance(obj, dict) and obj.get("pk") is not None:
            name = label if label is not None else obj.get(resource.key) if resource.key else None
            if name is not None:
                self._names[(resource.name, str(obj["pk"]))] = name
            for field in resource.secrets:
                if obj.get(field):
                    self.client.add_secret(obj[field])


class AuthentikSide(AuthentikLookups):
    """authentik as a module of another base talks to it: its client, the task's check mode and the lookups, which is
    what ``_authentik_ownership.Ownership`` needs to read and change a deployment's manifest."""

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode
        self._names = {}
        self._resolved = {}

    @property
    def dialect(self):
        return self.client.dialect


class AuthentikModule(AnsibleModule, AuthentikLookups):
    """Connection, client, lookups and error handling; subclasses implement ``run()``."""

    def __init__(self, argument_spec=None, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec or {})
        super(AuthentikModule, self).__init__(argument_spec=spec, **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        for refused in self.refused_values():
            if refused:
                self.fail_json(msg=refused)
        self._client = None
        self._names = {}  # (resource name, str(pk)) -> natural key, to show names instead of pks in diffs
        self._resolved = {}  # (resource name, fields, value) -> object: each reference is looked up once per run
        self.result = dict(changed=False)

    def refused_values(self):
        """Messages (or None) for option values that make no sense, checked before any call; a module adds its own."""
        refused = [greater_than_zero("timeout", self.params["timeout"])]
        for option, rules in self.value_rules().items():
            refused.append(refused_value(option, self.params.get(option), rules,
                                         secret=bool((self.argument_spec.get(option) or {}).get("no_log"))))
        return refused

    def value_rules(self):
        """Option -> rules of ``_authentik_normalize.RULE_KEYS`` (``not_empty``, ``pattern``, ``max_length``,
        ``python_body``); an entity module takes them from its spec, another module adds its own."""
        return dict(url=dict(not_empty=True), token=dict(not_empty=True))

    # connection ----------------------------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            for warning in connection_warnings(self.params["url"], self.params["validate_certs"], self.params["ca_path"],
                                               "the API token"):
                self.warn(warning)
            self._client = AuthentikClient(
                self.params["url"],
                self.params["token"],
                validate_certs=self.params["validate_certs"],
                ca_path=self.params["ca_path"],
                timeout=self.params["timeout"],
            )
        return self._client

    @property
    def dialect(self):
        return self.client.dialect

    def execute(self):
        """Run the module and exit; an AuthentikError becomes ``fail_json`` with a redacted message."""
        try:
            dialect = self.dialect
            if dialect.newer_than_verified:
                self.warn("authentik %s is newer than the newest release this collection was verified against (%s); "
                          "it is used as that release, but check the result" % (
                              version_string(dialect.version), version_string(NEWEST_VERIFIED_RELEASE)))
            self.run()
        except AuthentikError as exc:
            self.fail_json(msg=self._redact(exc.msg), **self._redacted_result())
        self.exit_json(**self.result)

    def run(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _redact(self, text):
        return self._client.redact(text) if self._client is not None else str(text)

    def _redacted_result(self):
        result = dict(self.result)
        result.pop("changed", None)
        return dict((key, value) for key, value in result.items() if key in ("diff",))

    # lookups (find_one and the others: AuthentikLookups) --------------------------------------------------------
    def existing_keys(self, resource, field=None):
        """Up to EXISTING_SHOWN natural keys of a kind, for "not found" messages (first page only)."""
        field = field or resource.key
        params = dict(resource.list_params)
        params["page_size"] = 100
        data = self.client.get(resource.path(self.dialect), params=params) or {}
        keys = sorted(set(str(obj.get(field)) for obj in data.get("results", []) if obj.get(field) is not None))
        text = ", ".join("'%s'" % key for key in keys[:EXISTING_SHOWN])
        if len(keys) > EXISTING_SHOWN or (data.get("pagination") or {}).get("next"):
            text += ", ..."
        return text or "none"

    def resolve(self, resource_name, value, search_by=None, option=None):
        """A referenced object by its natural key (or by each of ``search_by`` in turn); fails when absent."""
        resource = self.resource(resource_name)
        fields = search_by or resource.key
        fields = [fields] if isinstance(fields, str) else list(fields)
        cache_key = (resource_name, tuple(fields), value)
        if cache_key in self._resolved:
            return self._resolved[cache_key]
        for field in fields:
            obj = self.find_one(resource, field, value)
            if obj is not None:
                self._resolved[cache_key] = obj
                return obj
        raise AuthentikError("%s%s '%s' not found (looked up by %s); existing: %s"
                             % ("%s: " % option if option else "", resource.label, value, " or ".join(fields),
                                self.existing_keys(resource, fields[0])))

    def name_of(self, resource_name, pk):
        return self._names.get((resource_name, str(pk)), pk)
