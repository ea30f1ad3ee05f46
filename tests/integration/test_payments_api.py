"""Payments over real HTTP: the kiosk's PortalClient against the reference portal on loopback, and
the citizen's phone played by httpx (it opens the hand-off link and presses a button of the
simulated provider). Every request and answer of the API is checked against openapi.yaml.

Covers success, a declined card, cancellation (on the phone, and from the kiosk), expiry after 90
minutes (the portal's admin clock), the single-use link that carries no provider URL, one payment
per Idempotency-Key (replayed, and two at once), another kiosk's payment, counter payments, and
the submission's `payment` and `receipt_email`.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reference_portal import db
from sync.client import Permanent, PortalClient
from sync.live import PaymentFinished, PaymentInfo
from tests.conformance import admin, kiosk_client
from tests.phone import open_link as open_on_phone
from tests.phone import press_on_page

pytestmark = pytest.mark.integration

FIELDS = {
    "payment_id",
    "amount",
    "reference",
    "description",
    "state",
    "provider_id",
    "created_date",
    "expires_at",
    "hand_off_url",
}


@pytest.fixture
def kiosk(portal: Any) -> Iterator[PortalClient]:
    client = kiosk_client(portal)
    yield client
    client.close()


def new_payment(kiosk: PortalClient, key: str | None = None, **changes: Any) -> PaymentInfo:
    fields = {
        "amount": 7000,
        "reference": "DCP-" + uuid.uuid4().hex[:8].upper(),
        "description": "Parking fine LS12345678",
        "submission_id": str(uuid.uuid4()),
    } | changes
    return kiosk.create_payment(**fields, idempotency_key=key or str(uuid.uuid4()))


def test_a_payment_to_success(portal: Any, kiosk: PortalClient) -> None:
    payment = new_payment(kiosk, amount=7000)
    assert (payment.status, payment.finished, payment.provider_id) == ("created", False, None)
    assert payment.hand_off_url is not None and payment.hand_off_url.startswith(portal.url + "/pay/")
    page = open_on_phone(payment.hand_off_url)
    assert page.status_code == 200 and "Training: no real money" in page.text and "£70.00" in page.text
    assert "never asks for a card number" in page.text
    assert not re.search(r'<input(?![^>]*type="hidden")', page.text)  # nothing to type, no card number
    started = kiosk.payment(payment.payment_id)
    assert (started.status, started.hand_off_url) == ("started", None)  # the link is used up
    done = press_on_page(portal.url, page, "Pay")
    paid = kiosk.payment(payment.payment_id)
    assert (paid.status, paid.finished, paid.code) == ("success", True, None)
    assert paid.provider_id is not None and re.fullmatch(r"PAY-[A-Z0-9]{8}", paid.provider_id)
    assert done.status_code == 200 and paid.provider_id in done.text
    assert press_on_page(portal.url, page, "Pay").status_code == 409  # the same form again takes nothing more
    assert kiosk.payment(payment.payment_id).provider_id == paid.provider_id


def test_a_declined_card_fails_with_P0010(portal: Any, kiosk: PortalClient) -> None:
    payment = new_payment(kiosk)
    assert payment.hand_off_url is not None
    answer = press_on_page(portal.url, open_on_phone(payment.hand_off_url), "Decline the card")
    assert answer.status_code == 200 and "No money was taken" in answer.text
    failed = kiosk.payment(payment.payment_id)
    assert (failed.status, failed.finished, failed.code, failed.provider_id) == ("failed", True, "P0010", None)
    assert failed.message == "Payment method rejected"


def test_cancelled_on_the_phone_is_P0030(portal: Any, kiosk: PortalClient) -> None:
    payment = new_payment(kiosk)
    assert payment.hand_off_url is not None
    press_on_page(portal.url, open_on_phone(payment.hand_off_url), "Cancel")
    cancelled = kiosk.payment(payment.payment_id)
    assert (cancelled.status, cancelled.finished, cancelled.code) == ("cancelled", True, "P0030")
    with pytest.raises(PaymentFinished):
        kiosk.cancel_payment(payment.payment_id)


def test_cancelled_from_the_kiosk_is_P0040_and_the_phone_can_no_longer_pay(portal: Any, kiosk: PortalClient) -> None:
    opened = new_payment(kiosk)
    assert opened.hand_off_url is not None
    page = open_on_phone(opened.hand_off_url)  # the citizen has the page open on the phone...
    kiosk.cancel_payment(opened.payment_id)  # ...when they choose "pay at the counter" on the kiosk
    cancelled = kiosk.payment(opened.payment_id)
    assert (cancelled.status, cancelled.code) == ("cancelled", "P0040")
    assert press_on_page(portal.url, page, "Pay").status_code == 409
    assert kiosk.payment(opened.payment_id).status == "cancelled"
    with pytest.raises(PaymentFinished) as again:
        kiosk.cancel_payment(opened.payment_id)
    assert again.value.error_class == "payment_finished" and again.value.status == 409

    unopened = new_payment(kiosk)
    kiosk.cancel_payment(unopened.payment_id)
    assert unopened.hand_off_url is not None and kiosk.payment(unopened.payment_id).hand_off_url is None
    assert open_on_phone(unopened.hand_off_url).status_code == 410


def test_a_payment_expires_after_90_minutes_and_cannot_be_paid_afterwards(portal: Any, kiosk: PortalClient) -> None:
    opened, unopened = new_payment(kiosk), new_payment(kiosk)
    assert opened.hand_off_url is not None and unopened.hand_off_url is not None
    (listed,) = [p for p in admin(portal, "GET", "/admin/payments")["payments"] if p["payment_id"] == opened.payment_id]
    assert opened.expires_at == dt.datetime.fromisoformat(listed["created_date"]) + dt.timedelta(minutes=90)
    page = open_on_phone(opened.hand_off_url)
    admin(portal, "PUT", "/admin/clock", json={"offset_s": 5399})
    assert kiosk.payment(opened.payment_id).status == "started"  # not yet
    admin(portal, "PUT", "/admin/clock", json={"offset_s": 5401})
    expired = kiosk.payment(opened.payment_id)
    assert (expired.status, expired.finished, expired.code, expired.message) == (
        "failed",
        True,
        "P0020",
        "Payment expired",
    )
    assert press_on_page(portal.url, page, "Pay").status_code == 409
    assert kiosk.payment(opened.payment_id).status == "failed"
    with pytest.raises(PaymentFinished):
        kiosk.cancel_payment(opened.payment_id)
    assert kiosk.payment(unopened.payment_id).hand_off_url is None
    assert open_on_phone(unopened.hand_off_url).status_code == 410


def test_the_hand_off_link_works_once_and_carries_no_provider_url(portal: Any, kiosk: PortalClient) -> None:
    payment = new_payment(kiosk)
    link = payment.hand_off_url
    assert link is not None
    token = link.removeprefix(portal.url + "/pay/")
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", token)  # at least 128 bits
    raw = httpx.get(
        f"{portal.url}/api/v1/payments/{payment.payment_id}", headers=dict(kiosk._authorization()), timeout=10
    )
    assert set(raw.json()) == FIELDS  # no next_url, no _links: only the portal's own link
    forged = httpx.post(link + "/outcome", data={"choice": "pay", "secret": "guess"}, timeout=10)
    assert forged.status_code == 403  # the link alone cannot pay (nor before the page was opened)
    first = open_on_phone(link)
    assert first.status_code == 200
    assert first.headers["Referrer-Policy"] == "no-referrer" and first.headers["Cache-Control"] == "no-store"
    targets = re.findall(r'(?:href|action|src)="([^"]*)"', first.text)
    assert targets and all(t == f"/pay/{token}/outcome" for t in targets)
    assert "http" not in first.text and "next_url" not in first.text
    second = open_on_phone(link)
    assert second.status_code == 410 and "This payment link has already been used" in second.text
    forged = httpx.post(link + "/outcome", data={"choice": "pay", "secret": "guess"}, timeout=10)
    assert forged.status_code == 403 and kiosk.payment(payment.payment_id).status == "started"
    assert open_on_phone(portal.url + "/pay/" + "x" * 43).status_code == 404


def test_one_idempotency_key_never_makes_two_payments(portal: Any, kiosk: PortalClient) -> None:
    key, body = str(uuid.uuid4()), {"amount": 1250, "reference": "DCP-ONCE-0001", "description": "Garden waste"}
    first = kiosk.create_payment(**body, submission_id="s-1", idempotency_key=key)
    again = kiosk.create_payment(**body, submission_id="s-1", idempotency_key=key)
    assert again == first
    replayed = httpx.post(
        portal.url + "/api/v1/payments",
        json=body | {"submission_id": "s-1"},
        headers={**kiosk._authorization(), "Idempotency-Key": key},
        timeout=10,
    )
    assert replayed.headers["Idempotent-Replayed"] == "true" and replayed.json()["payment_id"] == first.payment_id
    with pytest.raises(Permanent) as reused:
        kiosk.create_payment(**body | {"amount": 1300}, submission_id="s-1", idempotency_key=key)
    assert reused.value.status == 422 and reused.value.error_class == "idempotency_conflict"
    made = [p for p in admin(portal, "GET", "/admin/payments")["payments"] if p["reference"] == "DCP-ONCE-0001"]
    assert [p["payment_id"] for p in made] == [first.payment_id]


def test_two_posts_at_once_with_one_key_make_one_payment(portal: Any) -> None:
    clients = [kiosk_client(portal) for _ in range(6)]
    key, ready = str(uuid.uuid4()), threading.Barrier(len(clients))
    got: list[PaymentInfo] = []

    def pay(client: PortalClient) -> None:
        ready.wait()
        got.append(new_payment(client, key, reference="DCP-RACE-0001", submission_id="s-race"))

    threads = [threading.Thread(target=pay, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in clients:
        c.close()
    assert len(got) == len(clients) and len({p.payment_id for p in got}) == 1
    made = [p for p in admin(portal, "GET", "/admin/payments")["payments"] if p["reference"] == "DCP-RACE-0001"]
    assert len(made) == 1


def test_another_kiosks_payment_is_not_found(portal: Any, kiosk: PortalClient) -> None:
    payment = new_payment(kiosk)
    other = kiosk_client(portal, "kiosk-2")
    for call in (other.payment, other.cancel_payment):
        with pytest.raises(Permanent) as refused:
            call(payment.payment_id)
        assert refused.value.status == 404
    assert kiosk.payment(payment.payment_id).status == "created"  # kiosk-2 could not cancel it
    other.close()


def test_a_counter_payment_is_recorded_once(portal: Any, kiosk: PortalClient) -> None:
    key, paid_at = str(uuid.uuid4()), dt.datetime(2026, 11, 25, 10, 30, tzinfo=dt.UTC)
    body = {"reference": "DCP-DUE-0001", "amount": 7000, "staff_id": "staff-7", "paid_at": paid_at}
    kiosk.counter_payment(**body, idempotency_key=key)
    kiosk.counter_payment(**body, idempotency_key=key)  # replayed: recorded before, nothing more
    with pytest.raises(Permanent) as reused:
        kiosk.counter_payment(**body | {"amount": 3500}, idempotency_key=key)
    assert reused.value.error_class == "idempotency_conflict"
    recorded = admin(portal, "GET", "/admin/payments")["counter_payments"]
    assert [(r["reference"], r["amount"], r["staff_id"]) for r in recorded] == [("DCP-DUE-0001", 7000, "staff-7")]


# -- the submission's payment and receipt ------------------------------------------------------


def submission(reference: str, **extra: Any) -> dict[str, Any]:
    return {
        "submission_id": str(uuid.uuid4()),
        "reference": reference,
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
    } | extra


def online(payment: PaymentInfo, **changes: Any) -> dict[str, Any]:
    return {
        "method": "online",
        "amount": payment.amount,
        "status": "success",
        "payment_id": payment.payment_id,
        "provider_id": payment.provider_id,
    } | changes


def test_an_online_payment_that_did_not_succeed_is_refused(portal: Any, kiosk: PortalClient) -> None:
    payment = new_payment(kiosk, amount=7000)
    body = submission(payment.reference, payment=online(payment, provider_id="PAY-ABCD2345"))
    with pytest.raises(Permanent) as refused:
        kiosk.submit(body, body["submission_id"])
    assert refused.value.status == 422 and [e["field"] for e in refused.value.field_errors] == ["payment"]
    assert "has not succeeded" in refused.value.field_errors[0]["message"]
    assert payment.hand_off_url is not None
    press_on_page(portal.url, open_on_phone(payment.hand_off_url), "Pay")
    paid = kiosk.payment(payment.payment_id)
    for wrong in ({"amount": 6999}, {"provider_id": "PAY-ABCD2345"}, {"payment_id": "not-a-payment"}):
        body = submission(payment.reference, payment=online(paid, **wrong))
        with pytest.raises(Permanent) as refused:
            kiosk.submit(body, body["submission_id"])
        assert [e["field"] for e in refused.value.field_errors] == ["payment"]
    other_kiosk = kiosk_client(portal, "kiosk-2")  # a payment of another kiosk is not this one's
    body = submission(payment.reference, payment=online(paid))
    with pytest.raises(Permanent):
        other_kiosk.submit(body, body["submission_id"])
    other_kiosk.close()
    assert portal.export() == []
    assert kiosk.submit(body, body["submission_id"]).reference == payment.reference  # the same key, corrected
    later = {"method": "later", "amount": 7000, "status": "due", "payment_id": None, "provider_id": None}
    due = submission("DCP-DUE-0002", payment=later)
    assert kiosk.submit(due, due["submission_id"]).reference == "DCP-DUE-0002"
    paid_but_due = submission("DCP-DUE-0003", payment=later | {"payment_id": paid.payment_id})
    with pytest.raises(Permanent, match="succeeded"):
        kiosk.submit(paid_but_due, paid_but_due["submission_id"])


def test_a_receipt_email_is_recorded_once_per_reference(portal: Any, kiosk: PortalClient) -> None:
    receipt = {
        "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
        "email_address": "ada@example.com",
        "personalisation": {"reference": "DCP-MAIL-0001", "what": "Report a missed bin"},
        "reference": "DCP-MAIL-0001",
    }
    body = submission("DCP-MAIL-0001", receipt_email=receipt)
    kiosk.submit(body, body["submission_id"])
    kiosk.submit(body, body["submission_id"])  # replayed (an answer lost on the way, say)
    corrected = submission("DCP-MAIL-0002", receipt_email=receipt)  # sent again under a new key
    kiosk.submit(corrected, corrected["submission_id"])
    (sent,) = admin(portal, "GET", "/admin/notifications")["notifications"]
    assert (sent["reference"], sent["email_address"], sent["submission_reference"]) == (
        "DCP-MAIL-0001",
        "ada@example.com",
        "DCP-MAIL-0001",
    )
    assert sent["personalisation"] == receipt["personalisation"]
    bad = submission("DCP-MAIL-0003", receipt_email=receipt | {"email_address": "not an address"})
    with pytest.raises(Permanent) as refused:
        kiosk.submit(bad, bad["submission_id"])
    assert [e["field"] for e in refused.value.field_errors] == ["receipt_email"]
    assert "ada@example.com" not in str(refused.value.message) and "not an address" not in refused.value.message


def test_the_admin_clock_needs_its_secret_and_goes_only_forward(portal: Any) -> None:
    assert httpx.put(portal.url + "/admin/clock", json={"offset_s": 60}, timeout=10).status_code == 401
    secret = {"X-Admin-Secret": db.read_admin_file(portal.db)["admin_secret"]}
    for bad in ({"offset_s": -1}, {"offset_s": "soon"}, {"offset_s": True}, {}, [60]):
        refused = httpx.put(portal.url + "/admin/clock", json=bad, headers=secret, timeout=10)
        assert refused.status_code == 400 and "offset_s" in refused.json()["detail"]
    moved = admin(portal, "PUT", "/admin/clock", json={"offset_s": 3600})
    ahead = dt.datetime.fromisoformat(moved["now"]) - dt.datetime.now(dt.UTC)
    assert moved["offset_s"] == 3600 and dt.timedelta(minutes=59) < ahead <= dt.timedelta(minutes=60)
    health = httpx.get(portal.url + "/api/v1/health", timeout=10).json()  # the health check keeps the real clock
    assert abs(dt.datetime.fromisoformat(health["server_time"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
