# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM policy documents: the built-in canned policies, normalisation, validation and evaluation.

Evaluation is IAM style, as minio/pkg policy.Policy.IsAllowed: an explicit Deny that matches wins; otherwise
an Allow whose action and resource both match (``*`` and ``?`` wildcards) is needed.
"""

from __future__ import annotations

import json
import re

VERSION = "2012-10-17"
ALL_RESOURCES = ["arn:aws:s3:::*"]

# minio/pkg v3.1.3 policy/constants.go (the community server's set).
BUILTIN = {
    "readwrite": {"Version": VERSION, "Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": ALL_RESOURCES}]},
    "readonly": {
        "Version": VERSION,
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:GetObject"], "Resource": ALL_RESOURCES}],
    },
    "writeonly": {"Version": VERSION, "Statement": [{"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ALL_RESOURCES}]},
    "diagnostics": {
        "Version": VERSION,
        "Statement": [{
            "Effect": "Allow",
            "Action": sorted([
                "admin:Profiling", "admin:ServerTrace", "admin:ConsoleLog", "admin:ServerInfo", "admin:TopLocksInfo",
                "admin:OBDInfo", "admin:BandwidthMonitor", "admin:Prometheus",
            ]),
            "Resource": ALL_RESOURCES,
        }],
    },
    "consoleAdmin": {
        "Version": VERSION,
        "Statement": [
            {"Effect": "Allow", "Action": ["admin:*"]},
            {"Effect": "Allow", "Action": ["kms:*"]},
            {"Effect": "Allow", "Action": ["s3:*"], "Resource": ALL_RESOURCES},
        ],
    },
}

_ACTION_RE = re.compile(r"^(s3|admin|kms|sts):[A-Za-z0-9*?]*$|^\*$")


class PolicyError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _as_list(value):
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def parse(raw):
    """policy.ParseConfig: JSON, a Version, and statements that make sense; returns the normalised document."""
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise PolicyError("XMinioMalformedIAMPolicy", str(exc)) from exc
    if not isinstance(doc, dict):
        raise PolicyError("XMinioMalformedIAMPolicy", "json: cannot unmarshal %s into Go value of type policy.Policy" % type(doc).__name__)
    if doc.get("Version") not in ("2012-10-17", "2008-10-17"):
        raise PolicyError("MalformedPolicy", "The policy must contain a valid version string")
    statements = doc.get("Statement")
    statements = [statements] if isinstance(statements, dict) else statements
    if not isinstance(statements, list) or not statements:
        raise PolicyError("XMinioMalformedIAMPolicy", "policy statement must not be empty")
    out = {"Version": doc["Version"]}
    if doc.get("Id"):
        out["ID"] = doc["Id"]
    out["Statement"] = [_statement(st) for st in statements]
    return out


def _statement(st):
    if not isinstance(st, dict):
        raise PolicyError("XMinioMalformedIAMPolicy", "invalid statement")
    if st.get("Effect") not in ("Allow", "Deny"):
        raise PolicyError("XMinioMalformedIAMPolicy", "invalid Effect %s" % st.get("Effect"))
    actions, not_actions = _as_list(st.get("Action")), _as_list(st.get("NotAction"))
    if not actions and not not_actions:
        raise PolicyError("XMinioMalformedIAMPolicy", "Action must not be empty")
    for action in (actions or []) + (not_actions or []):
        if not _ACTION_RE.match(action):
            raise PolicyError("XMinioMalformedIAMPolicy", "invalid action '%s'" % action)
    resources, not_resources = _as_list(st.get("Resource")), _as_list(st.get("NotResource"))
    for resource in (resources or []) + (not_resources or []):
        if not resource.startswith("arn:aws:s3:::") and not resource.startswith("arn:minio:kms:::"):
            raise PolicyError("XMinioMalformedIAMPolicy", "invalid resource '%s'" % resource)
    needs_resource = any(a.startswith("s3:") or a == "*" for a in (actions or not_actions))
    if needs_resource and not resources and not not_resources:
        raise PolicyError("XMinioMalformedIAMPolicy", "Resource must not be empty")
    out = {}
    if st.get("Sid"):
        out["Sid"] = st["Sid"]
    out["Effect"] = st["Effect"]
    if actions:
        out["Action"] = sorted(set(actions))
    if not_actions:
        out["NotAction"] = sorted(set(not_actions))
    if resources:
        out["Resource"] = sorted(set(resources))
    if not_resources:
        out["NotResource"] = sorted(set(not_resources))
    if st.get("Condition"):
        out["Condition"] = st["Condition"]
    return out


def _wildcard(pattern, value):
    """minio/pkg wildcard.Match: ``*`` any run, ``?`` one character, everything else literal."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


def _action_matches(patterns, action):
    return any(_wildcard(p, action) for p in patterns)


def _resource_matches(patterns, resource):
    """Resource.Match: ``arn:aws:s3:::<pattern>`` against ``bucket`` or ``bucket/object``."""
    for pattern in patterns:
        if not pattern.startswith("arn:aws:s3:::"):
            continue
        if _wildcard(pattern[len("arn:aws:s3:::"):], resource):
            return True
    return False


def _condition_matches(condition, context):
    """A small subset of IAM conditions: String(Not)Equals / String(Not)Like over known keys; others fail closed."""
    for operator, tests in condition.items():
        for key, expected in tests.items():
            expected = _as_list(expected)
            actual = context.get(key)
            if operator in ("StringEquals", "StringLike"):
                match = operator == "StringLike" and _wildcard
                ok = actual is not None and any((match(e, actual) if match else e == actual) for e in expected)
            elif operator in ("StringNotEquals", "StringNotLike"):
                match = operator == "StringNotLike" and _wildcard
                ok = actual is None or not any((match(e, actual) if match else e == actual) for e in expected)
            else:
                ok = False
            if not ok:
                return False
    return True


def _statement_applies(st, action, resource, context):
    if "Action" in st and not _action_matches(st["Action"], action):
        return False
    if "NotAction" in st and _action_matches(st["NotAction"], action):
        return False
    if not action.startswith(("admin:", "kms:")):
        if "Resource" in st and not _resource_matches(st["Resource"], resource):
            return False
        if "NotResource" in st and _resource_matches(st["NotResource"], resource):
            return False
        if "Resource" not in st and "NotResource" not in st:
            return False
    if st.get("Condition") and not _condition_matches(st["Condition"], context or {}):
        return False
    return True


def is_allowed(documents, action, resource, context=None):
    """Explicit Deny first, then any Allow. ``resource`` is ``bucket`` or ``bucket/key`` (``*`` for ListBuckets)."""
    statements = [st for doc in documents for st in doc.get("Statement", [])]
    for st in statements:
        if st["Effect"] == "Deny" and _statement_applies(st, action, resource, context):
            return False
    return any(st["Effect"] == "Allow" and _statement_applies(st, action, resource, context) for st in statements)
