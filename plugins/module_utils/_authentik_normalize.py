# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: normalisation and comparison of authentik field values.

Pure functions (no HTTP), so that the rules that decide ``changed`` are unit-tested on their own. Most
false "changed" reports of identity-provider modules come from comparing values that mean the same
thing in different forms; every such form is folded here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
from textwrap import indent

# The keywords authentik's timedelta_string_validator accepts (Python timedelta arguments).
_DURATION_UNITS = {
    "weeks": 604800.0,
    "days": 86400.0,
    "hours": 3600.0,
    "minutes": 60.0,
    "seconds": 1.0,
    "milliseconds": 0.001,
    "microseconds": 0.000001,
}
_NUMBER_RE = re.compile(r"^\d+(\.\d+)?$")

MATCHING_MODES = ("strict", "regex")
REDIRECT_URI_TYPES = ("authorization", "logout")
URL_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def parse_duration(value):
    """Seconds of an authentik duration: ``"hours=1;minutes=30"`` -> 5400.0.

    A bare number is taken as seconds (``"3600"``), so a value read from an older config compares equal.
    Raises ``ValueError`` with a message meant for the user.
    """
    if isinstance(value, bool):
        raise ValueError("a duration cannot be a boolean")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if _NUMBER_RE.match(text):
        return float(text)
    total = 0.0
    parts = [part.strip() for part in text.split(";") if part.strip()]
    if not parts:
        raise ValueError("empty duration")
    for part in parts:
        key, sep, amount = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in _DURATION_UNITS:
            raise ValueError("%r is not in authentik's duration format (for example 'hours=1;minutes=30'; units: %s)"
                             % (text, ", ".join(sorted(_DURATION_UNITS))))
        try:
            total += float(amount) * _DURATION_UNITS[key]
        except ValueError:
            raise ValueError("%r is not in authentik's duration format: %r is not a number" % (text, amount.strip()))
    return total


def duration_to_api(value):
    """The string authentik stores; a bare number of seconds becomes ``seconds=N``."""
    text = str(value).strip()
    if _NUMBER_RE.match(text):
        return "seconds=%s" % text
    return text


def redirect_uri_entries(values):
    """User input -> list of ``{"matching_mode", "url"[, "redirect_uri_type"]}``; plain strings are strict."""
    entries = []
    for index, value in enumerate(values or []):
        if isinstance(value, dict):
            unknown = set(value) - set(("url", "matching_mode", "redirect_uri_type"))
            if unknown:
                raise ValueError("redirect_uris[%d]: unknown keys %s (allowed: url, matching_mode, redirect_uri_type)"
                                 % (index, ", ".join(sorted(unknown))))
            url = value.get("url")
            mode = value.get("matching_mode") or "strict"
            entry = {"matching_mode": mode, "url": url}
            if value.get("redirect_uri_type"):
                entry["redirect_uri_type"] = value["redirect_uri_type"]
        else:
            url, entry = value, {"matching_mode": "strict", "url": value}
        if not isinstance(url, str) or not url.strip():
            raise ValueError("redirect_uris[%d]: url must be a non-empty string" % index)
        entry["url"] = url.strip()
        if any(ch.isspace() for ch in entry["url"]):
            # authentik would store it, and no browser would ever be redirected to it; %20 is how a URL holds a space.
            raise ValueError("redirect_uris[%d]: url %r contains white space, which a redirect URI cannot hold (write it as %%20)"
                             % (index, entry["url"]))
        if entry["matching_mode"] not in MATCHING_MODES:
            raise ValueError("redirect_uris[%d]: matching_mode must be one of %s" % (index, ", ".join(MATCHING_MODES)))
        if entry["matching_mode"] == "regex":
            # authentik matches with Python's re.fullmatch; one that does not compile fails every login
            try:
                re.compile(entry["url"])
            except re.error as exc:
                raise ValueError("redirect_uris[%d]: url is not a valid regular expression: %s (got %r)"
                                 % (index, exc, entry["url"]))
        elif not URL_SCHEME_RE.match(entry["url"]):
            # compared as it is to the redirect_uri a client sends, which is an absolute URL
            raise ValueError("redirect_uris[%d]: a strict redirect URI must start with a scheme such as https:// (got %r)"
                             % (index, entry["url"]))
        if entry.get("redirect_uri_type", "authorization") not in REDIRECT_URI_TYPES:
            raise ValueError("redirect_uris[%d]: redirect_uri_type must be one of %s" % (index, ", ".join(REDIRECT_URI_TYPES)))
        entries.append(entry)
    return entries


def redirect_uris_to_api(entries, as_list, with_type):
    """Entries -> the server's shape: a list of dicts, or (before the CVE-2024-52289 fix) a newline string."""
    if not as_list:
        return "\n".join(entry["url"] for entry in entries)
    result = []
    for entry in entries:
        item = {"matching_mode": entry["matching_mode"], "url": entry["url"]}
        if with_type:
            item["redirect_uri_type"] = entry.get("redirect_uri_type") or "authorization"
        result.append(item)
    return result


def redirect_uris_key(value, with_type):
    """Comparable form of a server or desired value: a list of (mode, url[, type]) in order.

    Order is kept because authentik derives an application's launch URL from the first entry. In the
    string era every entry was a regex with string fallback, so only the URLs are compared there.
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [("", line.strip()) for line in value.splitlines() if line.strip()]
    key = []
    for entry in value:
        if isinstance(entry, str):
            entry = {"matching_mode": "strict", "url": entry}
        item = (entry.get("matching_mode") or "strict", (entry.get("url") or "").strip())
        if with_type:
            item += (entry.get("redirect_uri_type") or "authorization",)
        key.append(item)
    return key


def comparable(kind, value, with_type=False):
    """Fold a value into the form two equal values share, per field kind."""
    if kind in ("set", "entity_list"):
        return sorted(str(item) for item in (value or []))
    if kind == "duration":
        if value in (None, ""):
            return None
        try:
            return parse_duration(value)
        except ValueError:
            return ("unparsable", str(value))
    if kind == "redirect_uris":
        if isinstance(value, str):
            return [url for _mode, url in redirect_uris_key(value, False)]
        return redirect_uris_key(value, with_type)
    if kind == "dict":
        return json.dumps(value or {}, sort_keys=True)
    if kind == "entity":
        return None if value in (None, "") else str(value)
    if kind == "str":
        return "" if value is None else str(value)
    return value


def redirect_uris_equal(desired, current, with_type):
    """Compare desired (in the server's shape) with current; string-era values compare URLs only."""
    if isinstance(desired, str) or isinstance(current, str):
        return [u for _m, u in redirect_uris_key(desired, False)] == [u for _m, u in redirect_uris_key(current, False)]
    return redirect_uris_key(desired, with_type) == redirect_uris_key(current, with_type)


def values_equal(kind, desired, current, with_type=False):
    if kind == "redirect_uris":
        return redirect_uris_equal(desired, current, with_type)
    return comparable(kind, desired, with_type) == comparable(kind, current, with_type)


# Rules on option values, declared once per option (in an entity spec or a module's ``value_rules()``) and
# checked before any call; each message names the option and says what is wrong with the value.
RULE_KEYS = ("not_empty", "pattern", "max_length", "python_body")
# authentik's SlugField (Django's validate_slug)
SLUG = (r"^[-a-zA-Z0-9_]+$", "may hold only letters, digits, - and _ (authentik's slug)")
# a scope is one token of the space-separated OAuth scope parameter
SCOPE_TOKEN = (r"^\S+$", "must be one scope token without white space: a client requests scopes as a space-separated "
                         "list, so a scope name with a space could never be requested")
LAUNCH_URL = (r"^(|blank://blank|[A-Za-z][A-Za-z0-9+.-]*://.*)$",
              "must be a URL with a scheme, such as https://app.example/ (or blank://blank, or empty to derive it)")
_SHOWN = 80


def shown(value, secret=False):
    """A value for a message: quoted and cut short; a secret only as what it is (empty, white space, its length)."""
    if secret:
        if value == "":
            return "an empty value"
        if not str(value).strip():
            return "only white space"
        return "a hidden value"
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN - 4] + "...'"


def python_body_error(expression):
    """What is wrong with an expression authentik runs as a function body (BaseEvaluator.wrap_expression), or None.

    Compiled only, never run; with the Python that runs the module, which should be as new as authentik's."""
    lines = expression.splitlines() or [""]
    wrapped = "def handler(request):\n%s\nresult = handler(request)" % indent(expression, "    ")
    try:
        compile(wrapped, "<expression>", "exec")
    except SyntaxError as exc:  # IndentationError and TabError too
        line = min(max((exc.lineno or 2) - 1, 1), len(lines))
        return "Python syntax error on line %d: %s" % (line, exc.msg)
    except ValueError as exc:  # null bytes, on older Pythons
        return "Python syntax error: %s" % exc
    return None


def refused_value(option, value, rules, secret=False):
    """The message for a value that breaks one of ``rules`` (a dict with keys of RULE_KEYS), or None."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    if rules.get("not_empty") and not text.strip():
        return "%s: must not be empty%s (got %s)" % (option, "" if text == "" else " or only white space",
                                                     shown(value, secret))
    pattern = rules.get("pattern")
    if pattern and not re.match(pattern[0], text):
        return "%s: %s (got %s)" % (option, pattern[1], shown(value, secret))
    limit = rules.get("max_length")
    if limit:
        limit, whose = limit if isinstance(limit, tuple) else (limit, "")
        if len(text) > limit:
            return "%s: must be at most %d characters%s (got %d characters)" % (
                option, limit, " (%s)" % whose if whose else "", len(text))
    if rules.get("python_body"):
        error = python_body_error(text)
        if error:
            return "%s: %s (got %s)" % (option, error, shown(value, secret))
    return None
