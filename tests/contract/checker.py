# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check recorded exchanges with one release's official client: ``python checker.py CLIENT_DIR RELEASE < exchanges``.

Runs in a subprocess whose import path starts with CLIENT_DIR (``pip install --target``), so that each release's
``authentik_client`` and the pydantic it was built with are used, never the test virtualenv's. Reads a JSON list of
``{"method", "path", "status", "request", "response"}`` (paths relative to ``/api/v3/``) and prints a JSON report:

* every request body must be built by the client's request model (``from_dict``) with no field the model lacks, and
  the model must send back what the module sent (``to_json``); the double answered it with a 2xx;
* every answer must be parsed by the client's response model;
* a call whose path no operation below describes is a problem, never skipped;
* the allowlist (``allowlist.py``) makes one field of one client model nullable, as that release's server sends it;
  every other field is still parsed with the client's rules.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import re
import sys
import types
import typing

HERE = os.path.dirname(os.path.abspath(__file__))

# (method, path pattern) -> (request model, response model); a model is "module.Class" under authentik_client.models.
# ``{scope}`` is either scope mapping path (2024.6 has propertymappings/scope/, later releases provider/scope/).
_SCOPE = r"propertymappings/(?:provider/)?scope/"
_ID = r"[^/]+/"
OPERATIONS = [
    ("GET", r"admin/version/", None, "version.Version"),
    ("GET", _SCOPE, None, "paginated_scope_mapping_list.PaginatedScopeMappingList"),
    ("POST", _SCOPE, "scope_mapping_request.ScopeMappingRequest", "scope_mapping.ScopeMapping"),
    ("GET", _SCOPE + _ID, None, "scope_mapping.ScopeMapping"),
    ("PATCH", _SCOPE + _ID, "patched_scope_mapping_request.PatchedScopeMappingRequest", "scope_mapping.ScopeMapping"),
    ("DELETE", _SCOPE + _ID, None, None),
    ("GET", r"providers/oauth2/", None, "paginated_o_auth2_provider_list.PaginatedOAuth2ProviderList"),
    ("POST", r"providers/oauth2/", "o_auth2_provider_request.OAuth2ProviderRequest", "o_auth2_provider.OAuth2Provider"),
    ("GET", r"providers/oauth2/\d+/setup_urls/", None, "o_auth2_provider_setup_urls.OAuth2ProviderSetupURLs"),
    ("GET", r"providers/oauth2/\d+/", None, "o_auth2_provider.OAuth2Provider"),
    ("PATCH", r"providers/oauth2/\d+/", "patched_o_auth2_provider_request.PatchedOAuth2ProviderRequest",
     "o_auth2_provider.OAuth2Provider"),
    ("DELETE", r"providers/oauth2/\d+/", None, None),
    ("GET", r"core/applications/", None, "paginated_application_list.PaginatedApplicationList"),
    ("POST", r"core/applications/", "application_request.ApplicationRequest", "application.Application"),
    ("GET", r"core/applications/" + _ID, None, "application.Application"),
    ("PATCH", r"core/applications/" + _ID, "patched_application_request.PatchedApplicationRequest",
     "application.Application"),
    ("DELETE", r"core/applications/" + _ID, None, None),
    ("GET", r"core/groups/", None, "paginated_group_list.PaginatedGroupList"),
    ("POST", r"core/groups/", "group_request.GroupRequest", "group.Group"),
    ("POST", r"core/groups/[^/]+/(?:add|remove)_user/", "user_account_request.UserAccountRequest", None),
    ("GET", r"core/groups/" + _ID, None, "group.Group"),
    ("PATCH", r"core/groups/" + _ID, "patched_group_request.PatchedGroupRequest", "group.Group"),
    ("DELETE", r"core/groups/" + _ID, None, None),
    ("GET", r"core/users/", None, "paginated_user_list.PaginatedUserList"),
    ("GET", r"core/users/me/", None, "session_user.SessionUser"),
    ("POST", r"core/users/service_account/", "user_service_account_request.UserServiceAccountRequest",
     "user_service_account_response.UserServiceAccountResponse"),
    ("GET", r"core/users/\d+/", None, "user.User"),
    ("DELETE", r"core/users/\d+/", None, None),
    ("GET", r"core/tokens/", None, "paginated_token_list.PaginatedTokenList"),
    ("GET", r"core/tokens/[^/]+/view_key/", None, "token_view.TokenView"),
    ("GET", r"core/tokens/" + _ID, None, "token.Token"),
    ("DELETE", r"core/tokens/" + _ID, None, None),
    ("GET", r"flows/instances/", None, "paginated_flow_list.PaginatedFlowList"),
    ("GET", r"flows/instances/" + _ID, None, "flow.Flow"),
    ("GET", r"crypto/certificatekeypairs/", None, "paginated_certificate_key_pair_list.PaginatedCertificateKeyPairList"),
    ("GET", r"crypto/certificatekeypairs/" + _ID, None, "certificate_key_pair.CertificateKeyPair"),
    ("GET", r"policies/bindings/", None, "paginated_policy_binding_list.PaginatedPolicyBindingList"),
    ("POST", r"policies/bindings/", "policy_binding_request.PolicyBindingRequest", "policy_binding.PolicyBinding"),
    ("GET", r"policies/bindings/" + _ID, None, "policy_binding.PolicyBinding"),
    ("PATCH", r"policies/bindings/" + _ID, "patched_policy_binding_request.PatchedPolicyBindingRequest",
     "policy_binding.PolicyBinding"),
    ("DELETE", r"policies/bindings/" + _ID, None, None),
]


def operation(method, path):
    for op_method, pattern, request_model, response_model in OPERATIONS:
        if op_method == method and re.fullmatch(pattern, path):
            return request_model, response_model
    return None


def load_client(client_dir):
    """``authentik_client.models`` of CLIENT_DIR without running the package's ``__init__`` (which imports every API
    and model, seconds per release); a model module imports what it needs itself."""
    sys.path.insert(0, client_dir)
    for name, sub in (("authentik_client", ""), ("authentik_client.models", "models")):
        package = types.ModuleType(name)
        package.__path__ = [os.path.join(client_dir, "authentik_client", sub)]
        sys.modules[name] = package
    pydantic = importlib.import_module("pydantic")
    if not os.path.abspath(pydantic.__file__).startswith(os.path.abspath(client_dir)):
        raise SystemExit("pydantic comes from %s, not from the client's directory" % pydantic.__file__)
    return pydantic


def model_class(dotted):
    module, cls = dotted.rsplit(".", 1)
    return getattr(importlib.import_module("authentik_client.models." + module), cls)


def relax(release):
    """Make each allowlisted field of this release's client nullable, as that release's server sends it. The field
    stays a field (a value of the wrong type is still refused) and every other field keeps the client's rules."""
    from allowlist import ALLOWLIST  # pylint: disable=import-outside-toplevel

    entries = [entry for entry in ALLOWLIST if entry["release"] == release]
    for entry in entries:
        model = model_class(entry["model"])
        info = model.model_fields[entry["field"]]
        info.annotation = typing.Optional[info.annotation]
        model.model_rebuild(force=True)
    return entries


def _entries_met(entries, data, used):
    """Note the allowlist entries an answer needs: an object that looks like the entry's (``inside`` keys, none of
    ``not_inside``) with the field null (``null``) or missing (``absent``)."""
    if isinstance(data, list):
        for item in data:
            _entries_met(entries, item, used)
        return
    if not isinstance(data, dict):
        return
    for entry in entries:
        if not set(entry.get("inside", ())) <= set(data) or set(entry.get("not_inside", ())) & set(data):
            continue
        field = entry["field"]
        if (entry["case"] == "null" and field in data and data[field] is None) or \
                (entry["case"] == "absent" and field not in data):
            used.add(entry["id"])
    for value in data.values():
        _entries_met(entries, value, used)


def _errors(exc):
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return ["%s: %s (got %s)" % (".".join(str(part) for part in err.get("loc", ())), err.get("msg"),
                                     json.dumps(err.get("input"), default=str)[:80]) for err in errors()]
    return [str(exc)]


def _wire_default(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if hasattr(value, "value"):  # an enum member
        return value.value
    return str(value)  # UUID


def _same(wire, sent):
    if wire == sent:
        return True
    if isinstance(wire, str) and isinstance(sent, str):
        try:
            return datetime.datetime.fromisoformat(wire.replace("Z", "+00:00")) == \
                datetime.datetime.fromisoformat(sent.replace("Z", "+00:00"))
        except ValueError:
            return False
    return False


def check_request(model, body):
    problems = []
    known = set(getattr(model, "_%s__properties" % model.__name__, None) or model.model_fields)
    extra = sorted(set(body) - known)
    if extra:
        problems.append("%s has no field %s: the client cannot send it" % (model.__name__, ", ".join(extra)))
    try:
        built = model.from_dict(body)
    except Exception as exc:  # pylint: disable=broad-except
        return problems + ["%s cannot be built from it: %s" % (model.__name__, "; ".join(_errors(exc)))]
    # what the client's ApiClient puts on the wire: to_dict(), dates as ISO 8601, enums and UUIDs as strings
    wire = json.loads(json.dumps(built.to_dict(), default=_wire_default))
    for key, value in body.items():
        if key in known and not _same(wire.get(key, "<absent>"), value):
            problems.append("%s sends %s=%s, the module sent %s" % (model.__name__, key, json.dumps(wire.get(key, "<absent>")),
                                                                    json.dumps(value)))
    return problems


def check_response(model, data, entries, used):
    _entries_met(entries, data, used)
    try:
        model.from_dict(data)
    except Exception as exc:  # pylint: disable=broad-except
        return ["%s cannot parse it: %s" % (model.__name__, "; ".join(_errors(exc)))]
    return []


def check(exchanges, entries):
    report = {"checked": [], "problems": [], "allowlist_used": []}
    used = set()
    for exchange in exchanges:
        method, path, status = exchange["method"], exchange["path"], exchange["status"]
        where = "%s %s" % (method, path)
        found = operation(method, path)
        if found is None:
            report["problems"].append("%s: no operation of the client describes this call" % where)
            continue
        request_model, response_model = found
        if not 200 <= status < 300:
            report["problems"].append("%s: the double refused it with %s: %s" % (where, status, json.dumps(exchange.get("response"))[:300]))
            continue
        if request_model and exchange.get("request") is not None:
            for problem in check_request(model_class(request_model), exchange["request"]):
                report["problems"].append("%s: request: %s" % (where, problem))
            report["checked"].append("%s request %s" % (method, request_model.split(".")[1]))
        if response_model and exchange.get("response") is not None:
            for problem in check_response(model_class(response_model), exchange["response"], entries, used):
                report["problems"].append("%s: answer: %s" % (where, problem))
            report["checked"].append("%s answer %s" % (method, response_model.split(".")[1]))
    report["allowlist_used"] = sorted(used)
    return report


def main(argv):
    client_dir, release = argv[1], argv[2]
    load_client(client_dir)
    sys.path.insert(1, HERE)
    entries = relax(release)
    exchanges = json.load(sys.stdin)
    json.dump(check(exchanges, entries), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
