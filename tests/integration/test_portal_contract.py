"""The reference portal over real HTTP on loopback, every answer checked against openapi.yaml.

Covers the contract's rules one by one: tokens (401 unknown, 403 revoked), catalogue ETag/304,
journeys, submissions with idempotency (replay, 422 for a changed body, 409 while in progress),
answer validation (422 with field errors), case status, heartbeats, and the admin endpoints that
switch faults while the portal runs.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conformance import ContractViolation, check_request, check_response

pytestmark = pytest.mark.integration


def body(**changes: Any) -> dict[str, Any]:
    submission = {
        "submission_id": str(uuid.uuid4()),
        "reference": "TRN-" + uuid.uuid4().hex[:8].upper(),
        "journey_id": "missed-bin",
        "journey_version": 1,
        "submitted_at": "2026-11-25T09:58:00+00:00",
        "kiosk_id": "kiosk-1",
        "assisted_by": None,
        "training": True,
        "answers": {
            "bin-type": "recycling",
            "collection-date": "2026-11-03",
            "postcode": "LS1 4AP",
            "address-line": "12 Park Row",
            "full-name": "Ada Lovelace",
            "email": None,
        },
    }
    submission.update(changes)
    return submission


@pytest.fixture
def api(portal) -> Iterator[httpx.Client]:
    """A client of the running portal whose every request and response is checked against the contract."""

    def check(response: httpx.Response) -> None:
        check_request(response.request)
        check_response(response)

    token = portal.token("kiosk-1")
    with httpx.Client(
        base_url=portal.url + "/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        event_hooks={"response": [check]},
        timeout=10,
    ) as client:
        yield client


def post(api: httpx.Client, submission: dict[str, Any], key: str | None = None) -> httpx.Response:
    return api.post("/submissions", json=submission, headers={"Idempotency-Key": key or submission["submission_id"]})


def test_the_contract_file_catches_a_bad_answer() -> None:
    """The checker is not a rubber stamp: a health answer without server_time fails it."""
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"status": "ok"}))
    with httpx.Client(base_url="http://portal.test/api/v1", transport=transport) as client:
        response = client.get("/health")
    with pytest.raises(ContractViolation, match="server_time"):
        check_response(response)


def test_health_needs_no_token_and_gives_the_clock(portal) -> None:
    response = httpx.get(portal.url + "/api/v1/health")
    check_response(response)
    assert response.json()["status"] == "ok"


def test_catalogue_etag_gives_304_when_unchanged(api: httpx.Client) -> None:
    first = api.get("/catalogue")
    assert first.status_code == 200 and first.headers["ETag"]
    assert "missed-bin" in [j["id"] for j in first.json()["journeys"]]
    again = api.get("/catalogue", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    stale = api.get("/catalogue", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_journey_definition_and_unknown_version(api: httpx.Client) -> None:
    assert api.get("/journeys/missed-bin/1").json()["id"] == "missed-bin"
    missing = api.get("/journeys/missed-bin/99")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_unknown_token_is_401_and_revoked_token_is_403(portal, api: httpx.Client) -> None:
    unknown = api.get("/catalogue", headers={"Authorization": "Bearer not-a-token"})
    assert unknown.status_code == 401
    none = httpx.get(portal.url + "/api/v1/catalogue")
    check_response(none)
    assert none.status_code == 401
    assert portal.revoke("kiosk-1") >= 1
    revoked = api.get("/catalogue")
    assert revoked.status_code == 403
    assert post(api, body()).status_code == 403


def test_same_key_same_body_returns_the_first_response_and_creates_nothing(portal, api: httpx.Client) -> None:
    submission = body()
    first = post(api, submission)
    assert first.status_code == 201
    again = post(api, submission)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [c["submission_id"] for c in portal.export()] == [submission["submission_id"]]


def test_same_key_different_body_is_422(portal, api: httpx.Client) -> None:
    submission = body()
    assert post(api, submission).status_code == 201
    changed = dict(submission, answers=dict(submission["answers"], **{"bin-type": "garden"}))
    refused = post(api, changed)
    assert refused.status_code == 422
    assert refused.json()["type"] == "/problems/idempotency-key-reused"
    assert len(portal.export()) == 1


def test_concurrent_duplicate_is_409_and_only_one_case_is_made(portal, api: httpx.Client) -> None:
    portal.set_faults(hold_ms=800)  # each submission stays "in progress" for 0.8 s before its commit
    submission = body()
    results: list[httpx.Response] = []
    ready = threading.Barrier(2)

    def send() -> None:
        ready.wait()
        results.append(post(api, submission))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in results) == [201, 409]
    created = next(r for r in results if r.status_code == 201)
    in_progress = next(r for r in results if r.status_code == 409)
    assert in_progress.json()["type"] == "/problems/idempotency-in-progress"
    portal.clear_faults()
    assert post(api, submission).json() == created.json()  # once finished: the first response
    assert len(portal.export()) == 1


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"bin-type": "purple"}, "bin-type"),
        ({"collection-date": "3 November"}, "collection-date"),
        ({"postcode": "not a postcode"}, "postcode"),
        ({"favourite-colour": "blue"}, "favourite-colour"),
        ({"full-name": None}, "full-name"),
        ({"email": "ada-at-example"}, "email"),
    ],
)
def test_answers_that_do_not_match_the_journey_are_422_with_field_errors(
    portal, api: httpx.Client, answers: dict[str, Any], field: str
) -> None:
    submission = body()
    submission["answers"].update(answers)
    refused = post(api, submission)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"] == "/problems/invalid-answers"
    assert [e["field"] for e in problem["errors"]] == [field]
    assert portal.export() == []
    # corrected, the same key is accepted: only successes are kept for replay
    assert post(api, body(submission_id=submission["submission_id"])).status_code == 201


def test_journey_not_offered_is_404_and_missing_key_is_400(api: httpx.Client) -> None:
    refused = post(api, body(journey_version=7))
    assert refused.status_code == 404
    assert refused.json()["type"] == "/problems/journey-not-offered"
    without_key = httpx.post(api.base_url.join("submissions"), json=body(), headers=dict(api.headers))
    check_response(without_key)
    assert without_key.status_code == 400


def test_case_status(api: httpx.Client) -> None:
    submission = body()
    reference = post(api, submission).json()["reference"]
    assert reference == submission["reference"]
    case = api.get(f"/submissions/{reference}").json()
    assert case["status"] == "received"
    assert api.get("/submissions/NO-SUCH-CASE").status_code == 404


def test_heartbeat_is_recorded_and_checked(portal, api: httpx.Client) -> None:
    beat = {
        "app_version": "0.1.0",
        "outbox_depth": 3,
        "oldest_pending_age_s": 12.5,
        "needs_attention": 1,
        "last_sync_at": None,
        "clock_skew_s": -0.2,
        "free_disk_bytes": 10_000_000,
        "sent_at": "2026-11-25T10:00:00+00:00",
    }
    assert api.post("/kiosks/kiosk-1/heartbeat", json=beat).status_code == 200
    assert api.post("/kiosks/kiosk-2/heartbeat", json=beat).status_code == 403  # not this token's kiosk
    bad = httpx.post(
        portal.url + "/api/v1/kiosks/kiosk-1/heartbeat",
        json={"outbox_depth": "many"},
        headers=dict(api.headers),
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} >= {"outbox_depth", "app_version"}
    (stored,) = portal.heartbeats("kiosk-1")
    assert stored["outbox_depth"] == 3 and stored["needs_attention"] == 1


def test_admin_needs_its_own_secret(portal, api: httpx.Client) -> None:
    token = api.headers["Authorization"]
    assert httpx.get(portal.url + "/admin/faults").status_code == 401
    assert httpx.get(portal.url + "/admin/faults", headers={"X-Admin-Secret": token}).status_code == 401
    wrong = httpx.put(portal.url + "/admin/faults", json={"kind": "http_503"}, headers={"X-Admin-Secret": "guess"})
    assert wrong.status_code == 401
    assert api.get("/catalogue").status_code == 200  # nothing was switched on


def test_bad_fault_plan_is_refused_with_a_message(portal) -> None:
    from reference_portal import db

    secret = db.read_admin_file(portal.db)["admin_secret"]
    response = httpx.put(portal.url + "/admin/faults", json={"kind": "meteor"}, headers={"X-Admin-Secret": secret})
    assert response.status_code == 400 and "kind must be one of" in response.json()["detail"]


def test_each_fault_as_a_client_sees_it(portal, api: httpx.Client) -> None:
    portal.set_faults(kind="http_503", retry_after=7, count=1)
    unavailable = api.get("/catalogue")
    assert unavailable.status_code == 503 and unavailable.headers["Retry-After"] == "7"
    assert api.get("/catalogue").status_code == 200  # count=1: it switched itself off

    portal.set_faults(kind="http_429", retry_after=2, count=1)
    assert api.get("/catalogue").status_code == 429

    portal.set_faults(kind="http_500", count=1)
    assert post(api, body()).status_code == 500

    portal.set_faults(kind="captive")
    captive = httpx.get(portal.url + "/api/v1/health")
    assert captive.status_code == 200 and captive.headers["content-type"].startswith("text/html")
    with pytest.raises(ContractViolation):
        check_response(captive)

    # a dropped connection reads as a cut-short answer or a reset, depending on timing
    portal.set_faults(kind="drop", count=1)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        post(api, body())

    portal.set_faults(kind="lost_response", count=1)
    lost = body()
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        post(api, lost)
    # the portal committed it even though the answer never arrived; a retry gets the first answer
    assert lost["submission_id"] in [c["submission_id"] for c in portal.export()]
    assert post(api, lost).headers["Idempotent-Replayed"] == "true"

    portal.set_faults(latency_ms=300, count=1)
    assert api.get("/catalogue").elapsed.total_seconds() >= 0.3
    portal.clear_faults()
    assert len(portal.export()) == 1  # the 500 and the dropped request made nothing


def test_portal_faults_command_switches_a_running_portal(portal, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert main(["portal", "faults", "set", "--db", str(portal.db), "--kind", "http_503", "--retry-after", "3"]) == 0
    assert '"kind": "http_503"' in capsys.readouterr().out
    response = httpx.get(portal.url + "/api/v1/health")
    assert response.status_code == 503 and response.headers["Retry-After"] == "3"
    assert main(["portal", "faults", "clear", "--db", str(portal.db)]) == 0
    assert httpx.get(portal.url + "/api/v1/health").status_code == 200
    assert main(["portal", "faults", "show", "--db", str(portal.db)]) == 0
    assert '"kind": "none"' in capsys.readouterr().out


def test_portal_faults_command_without_a_portal_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert main(["portal", "faults", "show", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "no running portal" in capsys.readouterr().err


def test_every_call_of_the_contract_is_served(portal) -> None:
    """No call in openapi.yaml is only on paper: each answers as the contract says without a token
    (401 problem, or the health check), never the router's 404 or 405."""
    import yaml

    from tests.conformance import SPEC_PATH

    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    assert "not served" not in SPEC_PATH.read_text(encoding="utf-8")
    calls = [(m.upper(), p) for p, item in spec["paths"].items() for m in item if m in ("get", "post", "put", "delete")]
    assert ("POST", "/payments") in calls and ("DELETE", "/appointments/holds/{hold_id}") in calls
    for method, path in calls:
        concrete = path.replace("{version}", "1").replace("{service}", "housing-officer")
        concrete = re.sub(r"\{[a-z_]+\}", "x", concrete)
        response = httpx.request(method, portal.url + "/api/v1" + concrete, timeout=10)
        check_response(response)
        expected = 200 if path == "/health" else 401
        assert response.status_code == expected, (method, path, response.status_code)
