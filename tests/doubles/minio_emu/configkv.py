# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MinIO's config KV model: sub-system tables, the key-anchored parser, merge, delete and the text renderers.

Mirrors minio/minio internal/config/config.go (SetKVS, DelKVS, GetSubsysInfo, SubsysInfo.WriteTo) and
madmin-go parse-config.go (KvFields, SanitizeValue). A config is ``{subsys: {target: [[key, value], ...]}}``
with ``_`` as the default target, the same shape MinIO keeps in config/config.json.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field

DEFAULT = "_"
COMMENT = "comment"
ENABLE = "enable"


class ConfigError(Exception):
    """config.Errorf: reported as 400 XMinioConfigError (or 404 XMinioConfigNotFoundError for deletes)."""


@dataclass
class SubSys:
    name: str
    defaults: list  # [(key, default value)] in DefaultKVS order
    required: tuple = ()  # Help keys with Optional=false
    secret: tuple = ()
    hidden_if_empty: tuple = ()
    single_target: bool = True
    dynamic: bool = False
    extra: dict = field(default_factory=dict)

    def keys(self):
        return [pair[0] for pair in self.defaults]

    def default_kvs(self):
        return [[k, v] for k, v in self.defaults]

    def has_enable(self):
        return ENABLE in self.keys()


# Only the sub-systems this collection touches, plus one dynamic one so the x-minio-config-applied
# behaviour can be observed. A real server has about thirty more (see tests/doubles/minio.md).
SUBSYSTEMS = {
    "identity_openid": SubSys(
        "identity_openid",
        [
            ("enable", ""), ("display_name", ""), ("config_url", ""), ("client_id", ""), ("client_secret", ""),
            ("claim_name", "policy"), ("claim_userinfo", ""), ("role_policy", ""), ("claim_prefix", ""),
            ("redirect_uri", ""), ("redirect_uri_dynamic", "off"), ("scopes", ""), ("vendor", ""),
            ("keycloak_realm", ""), ("keycloak_admin_url", ""), ("user_readable_claim", ""), ("user_id_claim", ""),
        ],
        required=("config_url", "client_id", "client_secret"),
        secret=("client_secret",),
        hidden_if_empty=("claim_prefix", "redirect_uri"),
        single_target=False,
    ),
    "site": SubSys("site", [("name", ""), ("region", "")]),
    "api": SubSys(
        "api",
        [("requests_max", "0"), ("cluster_deadline", "10s"), ("cors_allow_origin", "*"),
         ("remote_transport_deadline", "2h"), ("list_quorum", "strict"), ("root_access", "on")],
        dynamic=True,
    ),
}
# Order of the full-config export (HelpSubSysMap[""] order, restricted to the sub-systems above).
EXPORT_ORDER = ["api", "site", "identity_openid"]


def new_config():
    return {name: {DEFAULT: sub.default_kvs()} for name, sub in SUBSYSTEMS.items()}


def lookup(kvs, key):
    for k, v in kvs:
        if k == key:
            return v
    return None


def set_kv(kvs, key, value):
    for pair in kvs:
        if pair[0] == key:
            pair[1] = value
            return
    kvs.append([key, value])


def sanitize_value(value):
    """madmin.SanitizeValue: trim spaces, then one pair of double quotes, then one pair of single quotes."""
    value = value.strip()
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1]
    if len(value) >= 2 and value[0] == "'" and value[-1] == "'":
        value = value[1:-1]
    return value


def kv_fields(text, keys):
    """madmin.KvFields: cut the text at the first ``<known key>=`` of every known key, not at whitespace."""
    starts = sorted(i for i in (text.find(key + "=") for key in keys) if i != -1)
    fields = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        fields.append(text[start:end].strip())
    return fields


def split_subsys(line):
    """config.GetSubSys: ``subsys[:target] rest`` -> (sub-system, target, rest or None)."""
    if not line:
        raise ConfigError("input arguments cannot be empty")
    head, sep, rest = line.partition(" ")
    name, colon, target = head.partition(":")
    if name not in SUBSYSTEMS:
        raise ConfigError("unknown sub-system %s" % line)
    sub = SUBSYSTEMS[name]
    if sub.single_target and colon:
        raise ConfigError("sub-system '%s' only supports single target" % name)
    return sub, (target if colon else DEFAULT), (rest if sep else None)


def set_kvs(config, line):
    """config.SetKVS on ``config`` (modified in place); returns whether the sub-system is dynamic."""
    sub, target, rest = split_subsys(line)
    if rest is None:
        raise ConfigError("invalid number of arguments '%s'" % line)
    fields = kv_fields(rest, sub.keys() + [COMMENT])
    if not fields:
        raise ConfigError("sub-system '%s' cannot have empty keys" % sub.name)
    given = []
    prev = ""
    for item in fields:
        key, eq, value = item.partition("=")
        if not eq and prev:
            set_kv(given, prev, lookup(given, prev) + " " + sanitize_value(key))
            continue
        if eq:
            prev = key
            set_kv(given, key, sanitize_value(value))
            continue
        raise ConfigError("key '%s', cannot have empty value" % key)
    if lookup(given, ENABLE) is None and sub.has_enable():
        set_kv(given, ENABLE, "on")  # implicit state "on" if not specified
    targets = config.setdefault(sub.name, {})
    current = copy.deepcopy(targets[target]) if target in targets else sub.default_kvs()
    for key, default in sub.defaults:
        if lookup(current, key) is None:
            set_kv(current, key, default)
    for key, value in given:
        if key != COMMENT:
            set_kv(current, key, value)
    if lookup(given, COMMENT) is not None:
        set_kv(current, COMMENT, lookup(given, COMMENT))
    enabled = lookup(current, ENABLE) == "on" if sub.has_enable() else True
    for key in sub.required:
        if not lookup(current, key) and enabled:
            raise ConfigError(
                "'%s' is not optional for '%s' sub-system, please check '%s' documentation" % (key, sub.name, sub.name)
            )
    targets[target] = current
    return sub.dynamic


def del_kvs(config, line):
    """config.DelKVS: drop a target, or reset the named keys to their defaults."""
    sub, target, rest = split_subsys(line)
    current = config.get(sub.name, {}).get(target)
    if current is None:
        raise ConfigError("sub-system %s:%s already deleted or does not exist" % (sub.name, target))
    if rest is not None:
        current = copy.deepcopy(current)
        defaults = dict(sub.defaults)
        for key in rest.split():
            if lookup(current, key) is None:
                raise ConfigError("key %s doesn't exist" % key)
            if key in defaults:
                set_kv(current, key, defaults[key])
            else:
                current[:] = [kv for kv in current if kv[0] != key]
        config[sub.name][target] = current
    else:
        del config[sub.name][target]
    return sub.dynamic


def apply_text(config, text):
    """readServerConfig + ReadConfig: apply every non-comment line of a (multi-line) KV text."""
    dynamic = True
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        dynamic = set_kvs(config, line) and dynamic
    return dynamic


def available_targets(config, sub):
    if sub.single_target:
        return [DEFAULT]
    seen = set(config.get(sub.name, {}))
    prefix_by_key = ["MINIO_%s_%s_" % (sub.name.upper(), k.upper()) for k in sub.keys()]
    for name in os.environ:
        for prefix in prefix_by_key:
            if name.startswith(prefix) and len(name) > len(prefix):
                seen.add(name[len(prefix):])
    seen.discard(DEFAULT)
    return [DEFAULT] + sorted(seen)


def env_name(sub, target, key):
    base = "MINIO_%s_%s" % (sub.name.upper(), key.upper())
    return base if target == DEFAULT else "%s_%s" % (base, target)


def _quote(value):
    return '"%s"' % value if any(c.isspace() for c in value) else value


def write_target(sub, target, kvs, redact, off=False):
    """SubsysInfo.WriteTo: env comment lines, then ``subsys[:target] k=v k=v `` and a newline."""
    out = []
    for key in sub.keys() + [COMMENT]:
        value = os.environ.get(env_name(sub, target, key), "")
        if value and not (redact and key in sub.secret):
            out.append("# %s=%s\n" % (env_name(sub, target, key), value))
    line = ("# " if off else "") + sub.name + ("" if target == DEFAULT else ":" + target) + " "
    known = set(sub.keys() + [COMMENT])
    for key, value in kvs or []:
        if key not in known:
            continue
        if redact and key in sub.secret and value:
            continue  # secrets are left out entirely since RELEASE.2023-06-23 (no placeholder)
        if key in sub.hidden_if_empty and value == "":
            continue
        if key == ENABLE and value == "on":
            continue
        line += "%s=%s " % (key, _quote(value))
    out.append(line + "\n")
    return "".join(out)


def get_text(config, key):
    """GetConfigKVHandler's body for ``key`` (``subsys``, ``subsys:`` or ``subsys:target``), secrets redacted."""
    name, colon, target = key.partition(":")
    if name not in SUBSYSTEMS:
        raise ConfigError("unknown subsystem: %s" % name)
    sub = SUBSYSTEMS[name]
    targets = available_targets(config, sub)
    if colon:
        target = target or DEFAULT
        if target not in targets:
            raise ConfigError("there is no target `%s` for subsystem `%s`" % (target, name))
        targets = [target]
    return "".join(write_target(sub, t, config.get(name, {}).get(t), redact=True) for t in targets)


def target_enabled(sub, kvs):
    if sub.name == "identity_openid":
        return bool(lookup(kvs, "config_url"))  # openid.Enabled
    return lookup(kvs, ENABLE) != "off"


def merge_defaults(config):
    """readServerConfig's Merge: every sub-system has a default target, every target every default key."""
    for name, sub in SUBSYSTEMS.items():
        targets = config.setdefault(name, {})
        targets.setdefault(DEFAULT, sub.default_kvs())
        for kvs in targets.values():
            for key, default in sub.defaults:
                if lookup(kvs, key) is None:
                    kvs.append([key, default])
    return config


def export_text(config):
    """GET /minio/admin/v3/config: every sub-system and target, secrets kept, disabled targets commented out."""
    out = []
    for name in EXPORT_ORDER:
        sub = SUBSYSTEMS[name]
        for target in available_targets(config, sub):
            kvs = config.get(name, {}).get(target) or []
            out.append(write_target(sub, target, kvs, redact=False, off=not target_enabled(sub, kvs)))
    return "".join(out)


def openid_targets(config, use_env=True):
    """Effective identity_openid settings per target: env > stored > default (ResolveConfigParam)."""
    sub = SUBSYSTEMS["identity_openid"]
    result = {}
    for target in available_targets(config, sub) if use_env else sorted(config.get(sub.name, {}), key=lambda t: (t != DEFAULT, t)):
        stored = config.get(sub.name, {}).get(target) or []
        values = {}
        for key, default in sub.defaults:
            value = lookup(stored, key)
            env_value = os.environ.get(env_name(sub, target, key), "") if use_env else ""
            values[key] = env_value or (value if value is not None else default)
        result[target] = values
    return result
