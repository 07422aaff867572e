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


class PolicyError(ValueError):
    """The policy option is not a JSON object."""


def load(policy):
    """A dict, or a JSON text of an object -> dict."""
    if isinstance(policy, dict):
        return policy
    if isinstance(policy, str):
        try:
            data = json.loads(policy)
        except ValueError as exc:
            raise PolicyError("policy is not valid JSON: %s" % exc)
        if isinstance(data, dict):
            return data
    raise PolicyError("policy must be a JSON object (a dict, or its JSON text), got %s" % type(policy).__name__)


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
