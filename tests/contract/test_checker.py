# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The contract checker itself: it fails where it must (an answer without a field the client requires, a request
field the client cannot send, a call no operation describes, a refused request) and passes the double's own answers."""

from __future__ import annotations

import copy
import os

import requests

from contract_lib import check_with_client
from recorder import TOKEN, RecordingDouble


def _exchanges(release):
    with RecordingDouble(release) as double:
        headers = {"Authorization": "Bearer " + TOKEN}
        answer = requests.post(double.url + "/api/v3/core/applications/", json={"name": "MinIO", "slug": "minio"},
                               headers=headers, timeout=10)
        assert answer.status_code == 201
        requests.get(double.url + "/api/v3/policies/bindings/", headers=headers, timeout=10)
        return double.exchanges


def test_checker_fails_when_an_answer_loses_a_field_the_client_requires(clients):
    client = os.path.join(clients, "2026.8")
    exchanges = _exchanges("2026.8")
    assert check_with_client(client, "2026.8", exchanges)["problems"] == []

    # 2026.8's client requires pbm_uuid on an application
    lost = copy.deepcopy(exchanges)
    created = next(e for e in lost if e["method"] == "POST")
    del created["response"]["pbm_uuid"]
    problems = check_with_client(client, "2026.8", lost)["problems"]
    assert len(problems) == 1
    assert problems[0].startswith("POST core/applications/: answer: Application cannot parse it: pbm_uuid:")

    # the 2026.5 client has no pbm_uuid: the same answer passes there
    assert check_with_client(os.path.join(clients, "2026.5"), "2026.5", lost)["problems"] == []


def test_checker_fails_on_requests_the_client_cannot_build_and_calls_it_does_not_know(clients):
    client = os.path.join(clients, "2026.8")
    exchanges = _exchanges("2026.8")
    bad = copy.deepcopy(exchanges)
    created = next(e for e in bad if e["method"] == "POST")
    created["request"]["no_such_field"] = 1  # a field the module would send and the client drops
    bad.append(dict(created, request={"name": 5, "slug": "x"}))  # a type the client refuses
    bad.append({"method": "GET", "path": "core/no_such_thing/", "status": 200, "request": None, "response": {}})
    bad.append(dict(created, status=400, response={"slug": ["Application with this Slug already exists."]}))
    problems = check_with_client(client, "2026.8", bad)["problems"]
    assert problems[0] == "POST core/applications/: request: ApplicationRequest has no field no_such_field: the client cannot send it"
    assert problems[1].startswith("POST core/applications/: request: ApplicationRequest cannot be built from it: name:")
    assert problems[2] == "GET core/no_such_thing/: no operation of the client describes this call"
    assert problems[3].startswith("POST core/applications/: the double refused it with 400")
    assert len(problems) == 4


def test_allowlisted_fields_stay_checked_for_their_type(clients):
    """An allowlist entry lets a field be null, nothing else: a binding whose policy_obj is a string still fails."""
    client = os.path.join(clients, "2025.12")
    exchanges = _exchanges("2025.12")
    listing = next(e for e in exchanges if e["method"] == "GET" and e["path"] == "policies/bindings/")
    listing = copy.deepcopy(listing)
    assert check_with_client(client, "2025.12", [listing])["problems"] == []
    listing["response"]["results"] = [{"pk": "x", "policy": None, "group": None, "user": None, "policy_obj": "not an object",
                                       "group_obj": None, "user_obj": None, "target": "t", "negate": False,
                                       "enabled": True, "order": 0, "timeout": 30, "failure_result": False}]
    problems = check_with_client(client, "2025.12", [listing])["problems"]
    assert len(problems) == 1 and "Input should be a valid dictionary or instance of Policy" in problems[0]
