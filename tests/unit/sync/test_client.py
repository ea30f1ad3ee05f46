"""PortalClient against httpx.MockTransport: how each answer is classed, and that every request
the client makes follows the contract (sync/contract/openapi.yaml)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from email.utils import format_datetime

import httpx
import pytest

from sync.client import RETRY_AFTER_CAP, AuthFailed, Permanent, PortalClient, Transient
from tests.conformance import check_request

PROBLEM = {"content-type": "application/problem+json"}
SERVER_TIME = "2026-11-25T10:00:00+00:00"


def client_for(
    handler: Callable[[httpx.Request], httpx.Response], seen: list[httpx.Request] | None = None
) -> PortalClient:
    def checked(request: httpx.Request) -> httpx.Response:
        check_request(request)  # every request the client sends must follow the contract
        if seen is not None:
            seen.append(request)
        return handler(request)

    return PortalClient("https://portal.test", "tok", transport=httpx.MockTransport(checked))


def payload() -> dict:
    return {
        "submission_id": "019a6c1e-7d2a-7c3e-9a51-2f0e6f3b2a10",
        "reference": "DCP-7KQM-2XHD",
        "journey_id": "missed-bin",
        "journey_version": 1,
        "submitted_at": "2026-11-25T09:58:00+00:00",
        "kiosk_id": "kiosk-1",
        "assisted_by": None,
        "training": False,
        "answers": {"bin-type": "recycling"},
    }


def problem(status: int, type_: str = "about:blank", errors: list | None = None, **headers: str) -> httpx.Response:
    body = {"type": type_, "title": "t", "status": status, "detail": "the portal's words"}
    if errors:
        body["errors"] = errors
    return httpx.Response(status, json=body, headers={**PROBLEM, **headers})


def test_a_delivery_sends_the_key_the_token_and_a_contract_body() -> None:
    seen: list[httpx.Request] = []
    client = client_for(lambda r: httpx.Response(201, json={"reference": "DCP-7KQM-2XHD", "status": "received"}), seen)
    delivered = client.submit(payload(), "019a6c1e-7d2a-7c3e-9a51-2f0e6f3b2a10")
    assert delivered.reference == "DCP-7KQM-2XHD"
    (request,) = seen
    assert request.headers["Idempotency-Key"] == "019a6c1e-7d2a-7c3e-9a51-2f0e6f3b2a10"
    assert request.headers["Authorization"] == "Bearer tok"
    assert json.loads(request.content) == payload()


def test_the_contract_check_is_real() -> None:
    """A submission without its Idempotency-Key is caught by the contract check."""
    with pytest.raises(AssertionError, match="Idempotency-Key"):
        check_request(
            httpx.Request(
                "POST", "https://portal.test/api/v1/submissions", json=payload(), headers={"Authorization": "Bearer t"}
            )
        )


@pytest.mark.parametrize(
    ("response", "error_class"),
    [
        (
            httpx.Response(200, text="<html>Sign in to Library Wi-Fi</html>", headers={"content-type": "text/html"}),
            "not_contract",
        ),
        (httpx.Response(200, json={"ok": True}), "not_contract"),
        (httpx.Response(201, json={"reference": "", "status": "received"}), "not_contract"),
        (httpx.Response(302, headers={"location": "http://captive.test/login"}), "not_contract"),
        (httpx.Response(500, text="oops"), "http_500"),
        (httpx.Response(502, text="bad gateway", headers={"content-type": "text/html"}), "http_502"),
        (problem(409, "/problems/idempotency-in-progress"), "in_progress"),
        (httpx.Response(404, text="<html>not found</html>", headers={"content-type": "text/html"}), "not_contract"),
    ],
)
def test_anything_but_a_contract_answer_is_transient(response: httpx.Response, error_class: str) -> None:
    client = client_for(lambda r: response)
    with pytest.raises(Transient) as caught:
        client.submit(payload(), "k")
    assert caught.value.error_class == error_class


@pytest.mark.parametrize(
    ("response", "error_class"),
    [
        (
            problem(
                422, "/problems/invalid-answers", [{"field": "postcode", "message": "Postcode: an answer is required"}]
            ),
            "invalid_answers",
        ),
        (problem(422, "/problems/idempotency-key-reused"), "idempotency_conflict"),
        (problem(404, "/problems/journey-not-offered"), "journey_not_offered"),
        (problem(410), "journey_not_offered"),
        (problem(400), "http_400"),
    ],
)
def test_permanent_failures_keep_the_portals_message(response: httpx.Response, error_class: str) -> None:
    client = client_for(lambda r: response)
    with pytest.raises(Permanent) as caught:
        client.submit(payload(), "k")
    assert caught.value.error_class == error_class
    assert "the portal's words" in caught.value.message
    if error_class == "invalid_answers":
        assert "Postcode: an answer is required" in caught.value.message


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_ask_for_re_enrolment(status: int) -> None:
    client = client_for(lambda r: problem(status))
    with pytest.raises(AuthFailed) as caught:
        client.submit(payload(), "k")
    assert caught.value.status == status and "re-enrol" in caught.value.message


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("0", 0.0), ("-3", 0.0), ("999999", RETRY_AFTER_CAP), ("soon", None)],
)
def test_retry_after_in_seconds(header: str, expected: float | None) -> None:
    client = client_for(lambda r: problem(503, **{"Retry-After": header}))
    with pytest.raises(Transient) as caught:
        client.submit(payload(), "k")
    assert caught.value.retry_after == expected


def test_retry_after_as_an_http_date() -> None:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)
    client = client_for(lambda r: problem(429, **{"Retry-After": format_datetime(when, usegmt=True)}))
    with pytest.raises(Transient) as caught:
        client.submit(payload(), "k")
    assert caught.value.retry_after is not None and 100 < caught.value.retry_after <= 120


@pytest.mark.parametrize(
    ("exc", "error_class"),
    [
        (httpx.ConnectError("refused"), "unreachable"),
        (httpx.RemoteProtocolError("peer closed connection"), "unreachable"),
        (httpx.ReadTimeout("slow"), "timeout"),
        (httpx.ConnectTimeout("slow"), "timeout"),
    ],
)
def test_network_failures_are_transient(exc: Exception, error_class: str) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise exc

    with pytest.raises(Transient) as caught:
        client_for(fail).health()
    assert caught.value.error_class == error_class


def test_catalogue_sends_the_etag_and_understands_304() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, json={"schema_version": 1, "journeys": []}, headers={"ETag": '"v1"'})

    client = client_for(answer, seen)
    body, etag = client.catalogue(None)
    assert body == {"schema_version": 1, "journeys": []} and etag == '"v1"'
    assert client.catalogue(etag) == (None, '"v1"')
    assert seen[1].headers["If-None-Match"] == '"v1"'


def test_health_and_heartbeat_give_the_portals_clock() -> None:
    seen: list[httpx.Request] = []
    client = client_for(lambda r: httpx.Response(200, json={"status": "ok", "server_time": SERVER_TIME}), seen)
    assert client.health() == dt.datetime.fromisoformat(SERVER_TIME)
    beat = {
        "app_version": "0.1.0",
        "outbox_depth": 0,
        "oldest_pending_age_s": None,
        "needs_attention": 0,
        "last_sync_at": None,
        "clock_skew_s": 0.1,
        "free_disk_bytes": 1,
        "sent_at": SERVER_TIME,
    }
    assert client.heartbeat("kiosk-1", beat) == dt.datetime.fromisoformat(SERVER_TIME)
    assert seen[1].url.path == "/api/v1/kiosks/kiosk-1/heartbeat"
    assert "Authorization" not in seen[0].headers or seen[0].url.path == "/api/v1/health"


def test_health_without_a_clock_is_not_the_contract() -> None:
    client = client_for(lambda r: httpx.Response(200, json={"status": "ok"}))
    with pytest.raises(Transient, match="server_time"):
        client.health()


def test_tls_verification_is_on_and_a_ca_bundle_is_used(tmp_path) -> None:
    client = PortalClient("https://portal.test", "tok")
    assert client._http._transport._pool._ssl_context.verify_mode.name == "CERT_REQUIRED"  # type: ignore[attr-defined]
    client.close()
    with pytest.raises((OSError, ValueError)):
        PortalClient("https://portal.test", "tok", ca_bundle=str(tmp_path / "missing.pem"))


def test_a_case_reference_is_one_path_segment_whatever_it_holds() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:  # not the contract checker: it resolves the path
        seen.append(request)
        return httpx.Response(200, json={"reference": "x", "status": "received"})

    client = PortalClient("https://portal.test", "tok", transport=httpx.MockTransport(answer))
    client.submission_status("CASE/../../kiosks/k1/heartbeat?x=1")
    (request,) = seen
    assert request.url.raw_path == b"/api/v1/submissions/CASE%2F..%2F..%2Fkiosks%2Fk1%2Fheartbeat%3Fx%3D1"
