"""PortalClient's payments and appointments calls against httpx.MockTransport: the narrow cases a
real portal would not give (the integration tests use the reference portal): a hand-off link that
leaves the portal, answers that are not the contract's, the 500-slot limit, which 409 is which,
and path segments quoted. Every request the client makes is checked against the contract."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sync import BookingInfo, HoldExpired, PaymentFinished, PaymentInfo, SlotInfo, SlotTaken
from sync.client import Permanent, PortalClient, Transient
from tests.conformance import check_request

BASE = "https://portal.test"
PROBLEM = {"content-type": "application/problem+json"}


def client_for(
    handler: Callable[[httpx.Request], httpx.Response], seen: list[httpx.Request] | None = None
) -> PortalClient:
    def checked(request: httpx.Request) -> httpx.Response:
        check_request(request)
        if seen is not None:
            seen.append(request)
        return handler(request)

    return PortalClient(BASE, "tok", transport=httpx.MockTransport(checked))


def payment(**changes: Any) -> dict[str, Any]:
    return {
        "payment_id": "hu20sqlact5260q2nanm0q8u93",
        "amount": 7000,
        "reference": "DCP-7KQM-2XHD",
        "description": "Parking fine",
        "state": {"status": "created", "finished": False},
        "provider_id": None,
        "created_date": "2026-11-25T10:00:00.000+00:00",
        "expires_at": "2026-11-25T11:30:00.000+00:00",
        "hand_off_url": BASE + "/pay/Zm9vYmFyYmF6cXV4cXV1eGZvb2Jhcg",
    } | changes


def slot(n: int = 0, **changes: Any) -> dict[str, Any]:
    starts = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=30 * n)
    return {
        "id": f"housing-officer.{n}",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(minutes=30)).isoformat(),
        "location": "Housing Options, Merrion House, Leeds",
        "free": 1,
    } | changes


def problem(status: int, type_: str) -> httpx.Response:
    return httpx.Response(
        status, json={"type": type_, "title": "t", "status": status, "detail": "words"}, headers=PROBLEM
    )


def create(client: PortalClient) -> PaymentInfo:
    return client.create_payment(
        amount=7000, reference="DCP-7KQM-2XHD", description="Parking fine", submission_id="s-1", idempotency_key="k-1"
    )


def test_a_payment_is_read_whole() -> None:
    seen: list[httpx.Request] = []
    made = create(client_for(lambda r: httpx.Response(201, json=payment()), seen))
    assert made == PaymentInfo(
        payment_id="hu20sqlact5260q2nanm0q8u93",
        amount=7000,
        reference="DCP-7KQM-2XHD",
        description="Parking fine",
        status="created",
        finished=False,
        code=None,
        message=None,
        provider_id=None,
        hand_off_url=BASE + "/pay/Zm9vYmFyYmF6cXV4cXV1eGZvb2Jhcg",
        expires_at=dt.datetime(2026, 11, 25, 11, 30, tzinfo=dt.UTC),
    )
    (request,) = seen
    assert request.headers["Idempotency-Key"] == "k-1" and request.headers["Authorization"] == "Bearer tok"


@pytest.mark.parametrize(
    "link",
    [
        "https://pay.example/next/123",  # the provider's own next_url
        "http://portal.test/pay/x",  # another scheme
        "https://portal.test:8443/pay/x",  # another port
        "https://portal.test.evil.example/pay/x",
        "https://portal.test@evil.example/pay/x",  # the portal's name as a user name
        "https://user@portal.test/pay/x",
        "javascript:alert(1)",
        "/pay/x",  # not a whole link
        "https://portal.test/pay/x\nhttps://evil.example",
        "https://portal.test/pay/" + "x" * 3000,
        "https://portal.test/pay/" + "x" * 1000,  # longer than a QR code on the screen can carry
        42,
    ],
)
def test_a_hand_off_link_that_leaves_the_portal_is_refused(link: object) -> None:
    client = client_for(lambda r: httpx.Response(201, json=payment(hand_off_url=link)))
    with pytest.raises(Transient) as refused:
        create(client)
    assert refused.value.error_class == "not_contract" and "hand-off" in refused.value.message


def test_the_portals_own_link_is_taken_on_its_port_too() -> None:
    link = "http://127.0.0.1:8123/pay/abc"
    client = PortalClient(
        "http://127.0.0.1:8123",
        "tok",
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json=payment(hand_off_url=link))),
    )
    assert client.payment("p-1").hand_off_url == link
    other_port = payment(hand_off_url="http://127.0.0.1:8124/pay/abc")
    client = PortalClient(
        "http://127.0.0.1:8123", "tok", transport=httpx.MockTransport(lambda r: httpx.Response(200, json=other_port))
    )
    with pytest.raises(Transient, match="hand-off"):
        client.payment("p-1")


@pytest.mark.parametrize(
    "changes",
    [
        {"state": {"status": "paid", "finished": True}},  # not a GOV.UK Pay status
        {"state": {"status": "success", "finished": False}},  # finished does not match
        {"state": {"status": "success", "finished": True}, "provider_id": None, "hand_off_url": None},
        {"state": {"status": "failed", "finished": True, "code": "P9999"}, "hand_off_url": None},
        {"state": {"status": "failed", "finished": True}},  # finished, yet a link to pay
        {"state": "success"},
        {"amount": "70.00"},
        {"amount": True},
        {"amount": 0},
        {"payment_id": ""},
        {"reference": None},
        {"created_date": "yesterday"},
        {"expires_at": "2026-11-25T11:30:00"},  # no offset
    ],
)
def test_a_payment_that_is_not_the_contracts_is_refused(changes: dict[str, Any]) -> None:
    client = client_for(lambda r: httpx.Response(200, json=payment(**changes)))
    with pytest.raises(Transient) as refused:
        client.payment("hu20sqlact5260q2nanm0q8u93")
    assert refused.value.error_class == "not_contract"


def test_a_captive_portals_page_is_not_a_payment() -> None:
    client = client_for(
        lambda r: httpx.Response(200, text="<html>Sign in</html>", headers={"content-type": "text/html"})
    )
    with pytest.raises(Transient) as refused:
        create(client)
    assert refused.value.error_class == "not_contract"


def test_path_segments_are_quoted_whatever_they_hold() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:  # not the contract checker: it resolves the path
        seen.append(request)
        return httpx.Response(204) if request.method != "GET" else httpx.Response(200, json=payment())

    client = PortalClient(BASE, "tok", transport=httpx.MockTransport(answer))
    client.payment("../submissions/x?y")
    client.cancel_payment("a/b")
    client.release_hold("../../health")
    paths = [r.url.raw_path.decode() for r in seen]
    assert paths == [
        "/api/v1/payments/..%2Fsubmissions%2Fx%3Fy",
        "/api/v1/payments/a%2Fb/cancel",
        "/api/v1/appointments/holds/..%2F..%2Fhealth",
    ]


def test_which_409_is_which() -> None:
    def answer(status: int, type_: str) -> PortalClient:
        return client_for(lambda r: problem(status, type_))

    hold = {"service": "housing-officer", "slot_id": "s", "submission_id": "s-1", "idempotency_key": "k"}
    booking = {"hold_id": "h", "slot_id": "s", "reference": "R", "submission_id": "s-1", "idempotency_key": "k"}
    with pytest.raises(SlotTaken) as taken:
        answer(409, "/problems/slot-taken").hold_slot(**hold)
    assert (taken.value.error_class, taken.value.status, taken.value.message) == ("slot_taken", 409, "words")
    assert isinstance(taken.value, Permanent)
    with pytest.raises(HoldExpired):
        answer(409, "/problems/hold-expired").book(**booking)
    with pytest.raises(SlotTaken):
        answer(409, "/problems/slot-taken").book(**booking)
    with pytest.raises(PaymentFinished):
        answer(409, "/problems/payment-finished").cancel_payment("p")
    for call in (lambda c: c.hold_slot(**hold), lambda c: c.book(**booking)):
        with pytest.raises(Transient) as waiting:  # the same key still being handled: try again later
            call(answer(409, "/problems/idempotency-in-progress"))
        assert waiting.value.error_class == "in_progress"
    with pytest.raises(Transient):  # a slot-taken problem from a call that has none is not believed
        answer(409, "/problems/slot-taken").cancel_payment("p")


def test_at_most_500_slots_are_read() -> None:
    many = {"service": "housing-officer", "slots": [slot(n) for n in range(500)]}
    assert len(client_for(lambda r: httpx.Response(200, json=many)).slots("housing-officer", 28)) == 500
    too_many = {"service": "housing-officer", "slots": [slot(n) for n in range(501)]}
    with pytest.raises(Transient) as refused:
        client_for(lambda r: httpx.Response(200, json=too_many)).slots("housing-officer", 28)
    assert refused.value.error_class == "not_contract" and "500" in refused.value.message


def test_slots_come_in_time_order_with_their_zone() -> None:
    seen: list[httpx.Request] = []
    answer = {"service": "housing-officer", "slots": [slot(2), slot(0, starts_at="2026-11-25T09:00:00+00:00")]}
    found = client_for(lambda r: httpx.Response(200, json=answer), seen).slots("housing-officer", 5)
    assert [s.id for s in found] == ["housing-officer.0", "housing-officer.2"]
    assert found[0] == SlotInfo(
        "housing-officer.0",
        dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC),
        "Housing Options, Merrion House, Leeds",
        1,
    )
    assert seen[0].url.params["days"] == "5"
    with pytest.raises(ValueError):
        client_for(lambda r: httpx.Response(200, json=answer)).slots("housing-officer", 29)


@pytest.mark.parametrize(
    "bad",
    [
        {"service": "blue-badge-assessment", "slots": []},  # another service's
        {"service": "housing-officer", "slots": [slot(0, starts_at="2026-11-25T09:00:00")]},  # no zone
        {"service": "housing-officer", "slots": [slot(0, ends_at="2026-11-25T08:00:00+00:00")]},
        {"service": "housing-officer", "slots": [slot(0, free=0)]},
        {"service": "housing-officer", "slots": [slot(0, location=None)]},
        {"service": "housing-officer", "slots": ["housing-officer.0"]},
        {"service": "housing-officer"},
    ],
)
def test_slots_that_are_not_the_contracts_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(Transient) as refused:
        client_for(lambda r: httpx.Response(200, json=bad)).slots("housing-officer")
    assert refused.value.error_class == "not_contract"


def test_a_hold_or_booking_for_another_slot_is_not_believed() -> None:
    other = {"hold_id": "h", **{k: v for k, v in slot(1).items() if k not in ("id", "free")}, "slot_id": "x"}
    with pytest.raises(Transient, match="another slot"):
        client_for(lambda r: httpx.Response(201, json=other | {"expires_at": "2026-11-25T10:05:00+00:00"})).hold_slot(
            service="housing-officer", slot_id="housing-officer.1", submission_id="s-1", idempotency_key="k"
        )
    booked = {"booking_reference": "BK-1", **{k: v for k, v in slot(1).items() if k not in ("id", "free")}}
    client = client_for(lambda r: httpx.Response(201, json=booked | {"slot_id": "housing-officer.1"}))
    made = client.book(
        hold_id="h", slot_id="housing-officer.1", reference="R", submission_id="s-1", idempotency_key="k"
    )
    assert made == BookingInfo(
        "BK-1",
        "housing-officer.1",
        dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC),
        "Housing Options, Merrion House, Leeds",
    )


def test_a_counter_payment_needs_an_aware_time_and_a_recorded_answer() -> None:
    seen: list[httpx.Request] = []
    ok = client_for(
        lambda r: httpx.Response(201, json={"status": "recorded", "recorded_at": "2026-11-25T10:00:00+00:00"}), seen
    )
    paid = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    ok.counter_payment(reference="R", amount=7000, staff_id="staff-1", paid_at=paid, idempotency_key="k")
    assert seen[0].headers["Idempotency-Key"] == "k"
    with pytest.raises(ValueError):
        ok.counter_payment(
            reference="R", amount=1, staff_id="s", paid_at=dt.datetime(2026, 11, 25), idempotency_key="k"
        )
    odd = client_for(lambda r: httpx.Response(201, json={"status": "ok"}))
    with pytest.raises(Transient, match="not recorded"):
        odd.counter_payment(reference="R", amount=7000, staff_id="staff-1", paid_at=paid, idempotency_key="k")


def test_an_answer_too_large_is_refused_while_reading() -> None:
    huge = {"service": "housing-officer", "slots": [slot(0, location="x" * 2_000_000)]}
    with pytest.raises(Transient) as refused:
        client_for(lambda r: httpx.Response(200, json=huge)).slots("housing-officer")
    assert refused.value.error_class == "too_large"
