# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MinIO's config KV text for ``identity_openid``: format a set line, parse the config export.

FOR INTERNAL COLLECTION USE ONLY: this is not a public API and may change without notice.

MinIO does not split a set line on whitespace. It searches the text for the first ``<known key>=``
of every key the subsystem knows and cuts the line there (madmin ``KvFields``), then strips spaces
and one pair of quotes from each value (``SanitizeValue``). So values may contain spaces, but a
value holding ``<known key>=`` anywhere, a newline, surrounding spaces or surrounding quotes would
be stored as something else: those are refused here rather than sent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# The keys, in MinIO's DefaultKVS order, come from the one key table.
from ansible_collections.sso.authentik_minio.plugins.module_utils._minio_openid_keys import KEYS

SUBSYS = "identity_openid"
DEFAULT_TARGET = "_"

# The server anchors on its keys plus ``comment``; a value containing any of them is cut there.
ANCHOR_KEYS = KEYS + ("comment",)

_TARGET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_ANCHOR = re.compile(r"(?:^|(?<=\s))(%s)=" % "|".join(sorted(ANCHOR_KEYS, key=len, reverse=True)))
_ANY_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)=(.*)$", re.S)
# A quoted value ends at the first quote followed by another ``key=`` or by the end of the text.
_QUOTED = re.compile(r'^"(.*?)"(?:\s+(?=[A-Za-z][A-Za-z0-9_]*=)(.*))?\s*$', re.S)
_PLAIN = re.compile(r"^(\S*)(?:\s+(.*))?$", re.S)
_LINE = re.compile(r"^(#\s*)?%s(?::(\S+))?(?:\s+(.*))?$" % SUBSYS, re.S)
# get-config-kv prints one comment line per environment variable set on the server, before its target's line.
_ENV_LINE = re.compile(r"^#\s*(MINIO_%s_[A-Za-z0-9_]+)=" % SUBSYS.upper())


class KVError(ValueError):
    """A value or target name that MinIO's KV parser would not store as given."""


def target_key(name):
    """``identity_openid`` for the default target (None, '' or '_'), else ``identity_openid:NAME``."""
    if name in (None, "", DEFAULT_TARGET):
        return SUBSYS
    if not _TARGET_NAME.match(name):
        raise KVError(
            "target name %r is not usable: use letters, digits, '_' and '-' only (MinIO puts it in the "
            "config line and in environment variable names)" % name
        )
    return "%s:%s" % (SUBSYS, name)


def check_value(key, value):
    """Raise KVError when MinIO would store ``value`` under ``key`` as something else."""
    if key not in KEYS:
        raise KVError("unknown identity_openid key %r" % key)
    if "\n" in value or "\r" in value:
        raise KVError("the value of %s contains a line break; MinIO reads one config line per line" % key)
    if value != value.strip():
        raise KVError("the value of %s starts or ends with white space, which MinIO strips" % key)
    if value[:1] in ("'", '"') or value[-1:] in ("'", '"'):
        raise KVError("the value of %s starts or ends with a quote, which MinIO strips" % key)
    for other in ANCHOR_KEYS:
        if other + "=" in value:
            raise KVError(
                "the value of %s contains '%s=': MinIO's parser anchors on key names and would cut the value "
                "there and read the rest as the key %s" % (key, other, other)
            )


def format_value(value):
    """Quote a value that contains white space, as ``mc`` users do; MinIO strips the quotes."""
    if any(ch.isspace() for ch in value):
        return '"%s"' % value
    return value


def format_pairs(pairs):
    """Check and format ``[(key, value), ...]`` as ``{key: formatted value}`` in the given order."""
    out = {}
    for key, value in pairs:
        if not isinstance(value, str):
            raise KVError("the value of %s must be a string, got %s" % (key, type(value).__name__))
        check_value(key, value)
        out[key] = format_value(value)
    return out


def format_set_line(target, pairs):
    """The plaintext of a set-config-kv body: ``identity_openid[:NAME] k=v k="v w" ...``."""
    formatted = format_pairs(pairs)
    return " ".join([target] + ["%s=%s" % (k, v) for k, v in formatted.items()])


def _split_value(raw):
    """Split ``value[ unknown=...]`` into (value, rest). Values with white space arrive quoted."""
    quoted = _QUOTED.match(raw)
    if quoted:
        return quoted.group(1), quoted.group(2) or ""
    plain = _PLAIN.match(raw)
    return plain.group(1), plain.group(2) or ""


def _parse_unknown(rest, values):
    """Keys MinIO stored that this module does not know (newer servers): parse them generically."""
    guard = 0
    while rest and guard < 1000:
        guard += 1
        match = _ANY_KEY.match(rest.strip())
        if not match:
            break
        value, rest = _split_value(match.group(2))
        values.setdefault(match.group(1), value)


def parse_kvs(text):
    """``k=v k="v w" ...`` -> dict, anchored on the known key names as MinIO's own parser is."""
    values = {}
    matches = list(_ANCHOR.finditer(text))
    if matches and text[:matches[0].start()].strip():
        _parse_unknown(text[:matches[0].start()], values)
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value, rest = _split_value(text[match.end():end].rstrip())
        values[match.group(1)] = value
        _parse_unknown(rest, values)
    if not matches:
        _parse_unknown(text, values)
    return values


def parse_config(text):
    """The identity_openid targets of a config export or of get-config-kv:
    ``{target: {"values": {...}, "commented": bool, "env": {key: env name}}}``.

    The export (``GET /minio/admin/v3/config``) prints every stored key with its value, secrets
    included, leaves out ``enable=on`` and comments out (``# ``) a target whose config_url is empty.
    get-config-kv prints the same line without secrets, after one ``# MINIO_IDENTITY_OPENID_<KEY>[_<TARGET>]=``
    line per environment variable set on the server for that target (``env``).
    """
    targets = {}
    env_names = []
    for line in text.splitlines():
        env = _ENV_LINE.match(line.strip())
        if env:
            env_names.append(env.group(1))
            continue
        match = _LINE.match(line.strip())
        if not match:
            continue
        name = match.group(2) or DEFAULT_TARGET
        targets[name] = {"values": parse_kvs(match.group(3) or ""), "commented": bool(match.group(1)),
                         "env": env_keys(name, env_names)}
        env_names = []
    return targets


def env_keys(name, env_names):
    """``{key: env name}`` for the variables among ``env_names`` that set a key of target ``name``."""
    found = {}
    for key in KEYS:
        wanted = "MINIO_%s_%s" % (SUBSYS.upper(), key.upper())
        if name != DEFAULT_TARGET:
            wanted += "_" + name
        for env_name in env_names:
            if env_name.upper() == wanted.upper():
                found[key] = env_name
    return found
