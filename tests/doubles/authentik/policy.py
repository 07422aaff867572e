# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The policy engine for the bindings the double knows: group and user bindings.

authentik's PolicyEngine: no enabled binding -> pass; otherwise each binding's result (negated
when ``negate``) combined with any() or all() per the target's ``policy_engine_mode``. A group
binding passes when the user is in that group or one of its descendants' ancestors chain
(``User.all_groups()``).
"""

from __future__ import annotations

from .store import now


def _current(binding):
    """2026.8: an expiring binding past its ``expires`` no longer counts (the cleanup task deletes it later)."""
    return not binding.get("expiring") or binding.get("expires") is None or binding["expires"] > now()


def passes(store, target_pk, user, mode="any"):
    bindings = sorted((b for b in store.bindings.values() if b["target"] == target_pk and b["enabled"] and _current(b)),
                      key=lambda b: b["order"])
    if not bindings:
        return True
    groups = store.all_group_ids(user)
    results = []
    for binding in bindings:
        if binding["group"]:
            result = binding["group"] in groups
        elif binding["user"] is not None:
            result = binding["user"] == user["pk"]
        else:
            result = bool(binding["failure_result"])  # an expression policy cannot be evaluated here
        results.append(not result if binding["negate"] else result)
    return all(results) if mode == "all" else any(results)
