# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only control endpoint ``POST /_double/seed``: many objects at once, for scale tests and the benchmark.

Each object is created by the API's own POST handler (same validation, same stored shape as a client's
create), called in-process with the bootstrap token, so seeding 1,000 objects skips only the HTTP round
trips. It never changes what the REST API answers; the seeded requests are not in the request log.
Body: ``{"kind": "group", "count": 1000, "prefix": "seeded"}``; kinds: SEEDERS.

``POST /_double/temporary_binding`` (2026.8 dialects): a policy binding that expires, as an access request makes
it, which the REST API cannot create (``expires``/``expiring`` are read-only there). Body:
``{"application": slug, "group": name or "user": username, "expires_in": seconds, "order": 0}``.
"""

from __future__ import annotations

import datetime
import json
import uuid

from _double_server import Request, Response

from .store import now

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
        if request.path == "/_double/temporary_binding" and request.method == "POST":
            return temporary_binding(store, request.json() or {})
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


def temporary_binding(store, spec):
    if not store.dialect.expiring_bindings:
        return Response.json({"error": "authentik %s has no expiring bindings" % store.dialect.version_string}, status=400)
    app = next((a for a in store.applications.values() if a["slug"] == spec.get("application")), None)
    group = next((g for g in store.groups.values() if g["name"] == spec.get("group")), None) if spec.get("group") else None
    user = store.user_by_name(spec["user"]) if spec.get("user") else None
    if app is None or (group is None) == (user is None):
        return Response.json({"error": "want an existing application and one existing group or user"}, status=400)
    binding = {"pk": str(uuid.uuid4()), "policy": None, "group": group["pk"] if group else None,
               "user": user["pk"] if user else None, "target": app["pk"], "negate": False, "enabled": True,
               "order": int(spec.get("order", 0)), "timeout": 30, "failure_result": False, "seq": store.seq(),
               "expiring": True, "expires": now() + datetime.timedelta(seconds=float(spec.get("expires_in", 3600)))}
    store.bindings[binding["pk"]] = binding
    return Response.json({"pk": binding["pk"]}, status=201)
