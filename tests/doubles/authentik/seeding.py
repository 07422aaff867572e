# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only control endpoint ``POST /_double/seed``: many objects at once, for scale tests and the benchmark.

Each object is created by the API's own POST handler (same validation, same stored shape as a client's
create), called in-process with the bootstrap token, so seeding 1,000 objects skips only the HTTP round
trips. It never changes what the REST API answers; the seeded requests are not in the request log.
Body: ``{"kind": "group", "count": 1000, "prefix": "seeded"}``; kinds: SEEDERS.
"""

from __future__ import annotations

import json

from _double_server import Request, Response

MAX_COUNT = 10000
FLOW = "default-provider-authorization-implicit-consent"
INVALIDATION_FLOW = "default-provider-invalidation-flow"


def _flow_pk(store, slug):
    flow = store.flow_by_slug(slug)
    return flow["pk"] if flow else None


def _scope_mapping_path(store):
    return "propertymappings/provider/scope/" if store.dialect.version >= (2024, 8) else "propertymappings/scope/"


def _redirect_uris(store):
    return [] if store.dialect.version >= (2024, 10, 3) or (2024, 8, 5) <= store.dialect.version < (2024, 10) else ""


SEEDERS = {
    "group": lambda store, name: ("core/groups/", {"name": name}),
    "user": lambda store, name: ("core/users/", {"username": name, "name": name}),
    "scope_mapping": lambda store, name: (_scope_mapping_path(store), {"name": name, "scope_name": name, "expression": "return {}"}),
    "oauth2_provider": lambda store, name: ("providers/oauth2/", dict(
        {"name": name, "authorization_flow": _flow_pk(store, FLOW), "client_id": name, "redirect_uris": _redirect_uris(store)},
        **({"invalidation_flow": _flow_pk(store, INVALIDATION_FLOW)} if store.dialect.version >= (2024, 10) else {}))),
    "application": lambda store, name: ("core/applications/", {"name": name, "slug": name}),
}


def make_control(app, store, token):
    """``control(request)`` for _double_server.serve: answers /_double/seed, None for anything else."""

    def control(request):
        if request.path != "/_double/seed":
            return None
        if request.method != "POST":
            return Response.json({"error": "POST only"}, status=405)
        try:
            spec = request.json() or {}
            kind, count, prefix = spec["kind"], int(spec["count"]), str(spec.get("prefix", "seeded"))
        except (ValueError, KeyError, TypeError) as exc:
            return Response.json({"error": "want {kind, count, prefix}: %s" % exc}, status=400)
        if kind not in SEEDERS or not 0 <= count <= MAX_COUNT:
            return Response.json({"error": "kind is one of %s, count 0..%d" % (sorted(SEEDERS), MAX_COUNT)}, status=400)
        for index in range(count):
            path, body = SEEDERS[kind](store, "%s-%05d" % (prefix, index))
            answer = app(Request(method="POST", path="/api/v3/" + path, raw_query="", query={},
                                 headers={"authorization": "Bearer " + token, "content-type": "application/json"},
                                 body=json.dumps(body).encode("utf-8"), client="127.0.0.1", host=request.host))
            if answer.status != 201:
                refusal = answer.body[:300].decode("utf-8", "replace")
                return Response.json({"error": "seeding %s %d failed: HTTP %d %s" % (kind, index, answer.status, refusal)}, status=500)
        return Response.json({"kind": kind, "created": count}, status=201)

    return control
