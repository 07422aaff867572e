# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""authentik's page-number pagination (authentik/api/pagination.py): page numbers, 0 when absent."""

from __future__ import annotations

import math

from .web import ApiError


def _int_param(query, name):
    values = query.get(name)
    if not values:
        return None
    try:
        value = int(values[-1])
    except ValueError:
        return None
    return value


def paginate(ctx, items):
    """``items`` is the filtered, ordered list of serialized objects -> the paginated body."""
    dialect = ctx.dialect
    size = _int_param(ctx.query, "page_size")
    if size is None or size <= 0:
        size = dialect.default_page_size
    if dialect.max_page_size is not None:
        size = min(size, dialect.max_page_size)
    raw_page = (ctx.query.get("page") or ["1"])[-1]
    count = len(items)
    total_pages = max(1, math.ceil(count / size))
    try:
        page = int(raw_page)
    except ValueError:
        page = total_pages if raw_page == "last" else None
    if page is None or page < 1 or page > total_pages:
        raise ApiError(404, {"detail": "Invalid page."})
    start = (page - 1) * size
    chunk = items[start:start + size]
    body = {
        "pagination": {
            "next": page + 1 if page < total_pages else 0,
            "previous": page - 1 if page > 1 else 0,
            "count": count,
            "current": page,
            "total_pages": total_pages,
            "start_index": start + 1 if chunk else 0,
            "end_index": start + len(chunk) if chunk else 0,
        },
        "results": chunk,
    }
    if dialect.autocomplete:
        body["autocomplete"] = {}
    return body
