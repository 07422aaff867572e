# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Canonical form of a MinIO (IAM-style) policy document, so that equal policies compare equal.

FOR INTERNAL COLLECTION USE ONLY: this is not a public API and may change without notice.

MinIO parses a policy into sets and writes it back its own way: ``"Action": "s3:GetObject"``
comes back as a list, action and resource sets come back sorted, empty ``Sid``/``Condition`` are
left out. Comparing the raw JSON would report a change on every run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

SET_FIELDS = ("Action", "NotAction", "Resource", "NotResource")
# The versions MinIO's policy parser (minio/pkg policy) accepts; it refuses a policy without one.
VERSIONS = ("2012-10-17",)  # MinIO's policy parser knows no other (an empty one its admin API refuses)
EFFECTS = ("Allow", "Deny")
# Action prefixes MinIO knows: S3, admin, KMS and STS actions; "*" stands for all of them.
ACTION_PREFIXES = ("s3:", "admin:", "kms:", "sts:")
# Resource ARNs MinIO parses: buckets and objects, and KMS keys.
RESOURCE_PREFIXES = ("arn:aws:s3:::", "arn:minio:kms:::")


class PolicyError(ValueError):
    """The policy option is not a policy document MinIO would accept."""


def load(policy):
    """A dict, or a JSON text of an object -> dict, checked the way MinIO's policy parser checks it."""
    if isinstance(policy, dict):
        data = policy
    elif isinstance(policy, str):
        try:
            data = json.loads(policy)
        except ValueError as exc:
            raise PolicyError("policy is not valid JSON: %s" % exc)
        if not isinstance(data, dict):
            raise PolicyError("policy must be a JSON object (a dict, or its JSON text), got %s" % type(data).__name__)
    else:
        raise PolicyError("policy must be a JSON object (a dict, or its JSON text), got %s" % type(policy).__name__)
    check(data)
    return data


def _strings(where, key, value):
    """A set field: one string or a non-empty list of strings -> the list."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
        raise PolicyError("policy: %s: %s must be a string or a non-empty list of strings (got %r)" % (where, key, value))
    return items


def _check_actions(where, key, value):
    for action in _strings(where, key, value):
        prefix = next((p for p in ACTION_PREFIXES if action.startswith(p)), None)
        rest = action[len(prefix):] if prefix else ""
        if action != "*" and (not prefix or not rest or any(ch.isspace() for ch in action)):
            raise PolicyError("policy: %s: %s must be \"*\" or start with %s followed by an action name (got %r)"
                              % (where, key, ", ".join('"%s"' % p for p in ACTION_PREFIXES), action))


def _check_resources(where, key, value):
    for resource in _strings(where, key, value):
        prefix = next((p for p in RESOURCE_PREFIXES if resource.startswith(p)), None)
        if resource != "*" and (not prefix or not resource[len(prefix):] or resource[len(prefix):].startswith("/")):
            raise PolicyError("policy: %s: %s must be \"*\" or an ARN such as \"arn:aws:s3:::BUCKET/*\" (got %r)"
                              % (where, key, resource))


def check(data):
    """Raise PolicyError, naming the field and the value, for what MinIO's policy parser refuses: a missing or
    unknown Version, no Statement, an Effect other than Allow or Deny, an action or a resource it cannot parse."""
    version = data.get("Version")
    if version not in VERSIONS:
        raise PolicyError("policy: Version must be %s (got %s)" % (" or ".join('"%s"' % v for v in VERSIONS),
                                                                   "no Version" if version is None else repr(version)))
    statements = data.get("Statement")
    if not isinstance(statements, list) or not statements:
        raise PolicyError("policy: Statement must be a non-empty list of statements (got %s)"
                          % ("no Statement" if statements is None else repr(statements)))
    for number, statement in enumerate(statements, 1):
        where = "Statement %d" % number
        if not isinstance(statement, dict):
            raise PolicyError("policy: %s must be an object (got %r)" % (where, statement))
        if statement.get("Effect") not in EFFECTS:
            raise PolicyError("policy: %s: Effect must be Allow or Deny (got %r)" % (where, statement.get("Effect")))
        actions = [key for key in ("Action", "NotAction") if statement.get(key) not in (None, [], "")]
        if not actions:
            raise PolicyError("policy: %s: Action (or NotAction) must not be empty (got %r)" % (where, statement.get("Action")))
        if len(actions) == 2:
            raise PolicyError("policy: %s: Action and NotAction cannot both be set (got both)" % where)
        _check_actions(where, actions[0], statement[actions[0]])
        resources = [key for key in ("Resource", "NotResource") if statement.get(key) not in (None, [], "")]
        if len(resources) == 2:
            raise PolicyError("policy: %s: Resource and NotResource cannot both be set (got both)" % where)
        for key in resources:
            _check_resources(where, key, statement[key])


def _canonical_value(value):
    if isinstance(value, dict):
        return dict((k, _canonical_value(v)) for k, v in value.items())
    if isinstance(value, list):
        return sorted((_canonical_value(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _statement(statement):
    if not isinstance(statement, dict):
        return statement
    out = {}
    for key, value in statement.items():
        if value in ("", None, [], {}):
            continue  # MinIO omits empty Sid, Condition, NotAction...
        if key in SET_FIELDS:
            items = [value] if isinstance(value, str) else list(value)
            out[key] = sorted(set(items))
        elif key == "Condition":
            out[key] = _canonical_value(value)
        else:
            out[key] = value
    return out


def normalise(policy):
    """Canonical dict: set fields as sorted lists, statements in a stable order, empties dropped."""
    data = dict(policy)
    statements = data.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    canon = [_statement(s) for s in statements]
    unique = dict((json.dumps(s, sort_keys=True), s) for s in canon)
    data["Statement"] = [unique[k] for k in sorted(unique)]
    return data


def same(left, right):
    return json.dumps(normalise(left), sort_keys=True) == json.dumps(normalise(right), sort_keys=True)
