# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""List filtering as django-filter does it: exact matches, unknown parameters ignored."""

from __future__ import annotations

from ..pagination import paginate

API = "/api/v3/"
UUID_RE = r"[^/]+"


def bool_param(ctx, name):
    """django-filter BooleanFilter: true/True/1 and false/False/0; anything else means no filter."""
    value = ctx.param(name)
    if value in ("true", "True", "1"):
        return True
    if value in ("false", "False", "0"):
        return False
    return None


def exact(items, ctx, name, getter):
    value = ctx.param(name)
    if value is None or value == "":
        return items  # django-filter skips empty values
    return [i for i in items if str(getter(i)) == value]


def any_of(items, ctx, name, getter):
    """A repeatable (MultipleChoice) filter: any of the given values."""
    values = [v for v in ctx.params(name) if v != ""]
    if not values:
        return items
    return [i for i in items if getter(i) in values]


def boolean(items, ctx, name, getter):
    value = bool_param(ctx, name)
    if value is None:
        return items
    return [i for i in items if bool(getter(i)) == value]


def search(items, ctx, getters):
    value = ctx.param("search")
    if not value:
        return items
    needle = value.lower()
    return [i for i in items if any(needle in str(g(i) or "").lower() for g in getters)]


def _ordered(ctx, rows):
    """DRF OrderingFilter: ``ordering=field,-other`` over the serialized fields; unknown fields are ignored."""
    value = ctx.param("ordering")
    if not value or not rows:
        return rows
    for field in reversed([f.strip() for f in value.split(",") if f.strip()]):
        name = field.lstrip("-")
        if name not in rows[0]:
            continue
        rows = sorted(rows, key=lambda row, n=name: (row[n] is not None, str(row[n]) if not isinstance(
            row[n], (int, float)) else row[n]), reverse=field.startswith("-"))
    return rows


def listing(ctx, items, serialize):
    return ctx.json(paginate(ctx, _ordered(ctx, [serialize(i) for i in items])))
