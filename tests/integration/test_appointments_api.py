"""Appointments over real HTTP: the kiosk's PortalClient against the reference portal on loopback,
every request and answer of the API checked against openapi.yaml.

Covers the slots (in time order, weekdays only, free places), a hold that takes a place and its
release, a hold that lapses on the portal's admin clock (and then cannot be booked), kiosks racing
for the last place (exactly one booking; the others told the slot is taken, and it is no longer
listed), and replays of a hold and a booking by their Idempotency-Keys.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from sync.client import Permanent, PortalClient
from sync.live import BookingInfo, HoldBooked, HoldExpired, HoldInfo, SlotInfo, SlotTaken
from tests.conformance import admin, kiosk_client

pytestmark = pytest.mark.integration

HOUSING = "housing-officer"  # one place per slot
BLUE_BADGE = "blue-badge-assessment"  # two places per slot
LEEDS = ZoneInfo("Europe/London")


@pytest.fixture
def kiosk(portal: Any) -> Iterator[PortalClient]:
    client = kiosk_client(portal)
    yield client
    client.close()


def later_slot(kiosk: PortalClient, service: str) -> SlotInfo:
    """A slot at least a day ahead, so that moving the portal's clock a few minutes leaves it offered."""
    return next(s for s in kiosk.slots(service) if s.starts_at > dt.datetime.now(dt.UTC) + dt.timedelta(days=1))


def listed(kiosk: PortalClient, service: str, slot_id: str) -> SlotInfo | None:
    return next((s for s in kiosk.slots(service) if s.id == slot_id), None)


def hold(kiosk: PortalClient, service: str, slot_id: str, key: str | None = None) -> HoldInfo:
    return kiosk.hold_slot(
        service=service, slot_id=slot_id, submission_id=str(uuid.uuid4()), idempotency_key=key or str(uuid.uuid4())
    )


def book(kiosk: PortalClient, held: HoldInfo, key: str | None = None, reference: str = "DCP-BOOK-0001") -> BookingInfo:
    return kiosk.book(
        hold_id=held.hold_id,
        slot_id=held.slot_id,
        reference=reference,
        submission_id="s-1",
        idempotency_key=key or str(uuid.uuid4()),
    )


def test_slots_are_listed_in_time_order_on_weekdays_with_their_free_places(kiosk: PortalClient) -> None:
    now = dt.datetime.now(dt.UTC)
    slots = kiosk.slots(HOUSING)
    assert slots and [s.starts_at for s in slots] == sorted(s.starts_at for s in slots)
    assert len({s.id for s in slots}) == len(slots)
    for slot in slots:
        local = slot.starts_at.astimezone(LEEDS)
        assert slot.starts_at.tzinfo is not None and local.weekday() < 5 and local.minute in (0, 30)
        assert dt.time(9, 0) <= local.time() <= dt.time(16, 0) and slot.ends_at - slot.starts_at == dt.timedelta(
            minutes=30
        )
        assert slot.starts_at >= now - dt.timedelta(seconds=1) and slot.starts_at < now + dt.timedelta(days=10)
        assert (slot.location, slot.free) == ("Housing Options, Merrion House, Leeds", 1)
    assert {s.free for s in kiosk.slots(BLUE_BADGE)} == {2}
    four_weeks = kiosk.slots(HOUSING, days=28)
    assert len(four_weeks) > len(slots) and max(s.starts_at for s in four_weeks) < now + dt.timedelta(days=28)
    with pytest.raises(Permanent) as unknown:
        kiosk.slots("dog-grooming")
    assert unknown.value.status == 404
    too_far = httpx.get(
        kiosk._http.base_url.join(f"appointments/{HOUSING}/slots"),
        params={"days": 29},
        headers=kiosk._authorization(),
    )
    assert too_far.status_code == 400


def test_a_hold_takes_a_place_and_its_release_gives_it_back(portal: Any, kiosk: PortalClient) -> None:
    other = kiosk_client(portal, "kiosk-2")
    badge = later_slot(kiosk, BLUE_BADGE)
    hold(kiosk, BLUE_BADGE, badge.id)
    assert listed(kiosk, BLUE_BADGE, badge.id) == SlotInfo(badge.id, badge.starts_at, badge.ends_at, badge.location, 1)
    slot = later_slot(kiosk, HOUSING)
    held = hold(kiosk, HOUSING, slot.id)
    assert (held.slot_id, held.starts_at, held.ends_at, held.location) == (
        slot.id,
        slot.starts_at,
        slot.ends_at,
        slot.location,
    )
    assert dt.timedelta(seconds=299) <= held.expires_at - dt.datetime.now(dt.UTC) <= dt.timedelta(seconds=301)
    assert listed(kiosk, HOUSING, slot.id) is None  # its one place is held
    with pytest.raises(SlotTaken) as taken:
        hold(other, HOUSING, slot.id)
    assert taken.value.status == 409 and taken.value.error_class == "slot_taken"
    kiosk.release_hold(held.hold_id)
    assert listed(kiosk, HOUSING, slot.id) == slot
    assert hold(other, HOUSING, slot.id).slot_id == slot.id  # free for the next kiosk
    with pytest.raises(HoldExpired):
        book(kiosk, held)  # a released hold cannot be booked
    with pytest.raises(Permanent) as unknown:
        kiosk.release_hold("hold-no-such")
    assert unknown.value.status == 404
    other.close()


def test_a_hold_lapses_on_its_own_and_frees_the_slot(portal: Any, kiosk: PortalClient) -> None:
    slot = later_slot(kiosk, HOUSING)
    held = hold(kiosk, HOUSING, slot.id)
    admin(portal, "PUT", "/admin/clock", json={"offset_s": 299})
    assert listed(kiosk, HOUSING, slot.id) is None  # not yet
    admin(portal, "PUT", "/admin/clock", json={"offset_s": 301})
    assert listed(kiosk, HOUSING, slot.id) == slot
    with pytest.raises(HoldExpired) as expired:
        book(kiosk, held)
    assert expired.value.status == 409 and expired.value.error_class == "hold_expired"
    assert admin(portal, "GET", "/admin/appointments")["bookings"] == []


def race(portal: Any, service: str, slot_id: str, kiosks: int) -> list[BookingInfo | SlotTaken]:
    """Kiosks (a token each) hold and book the same slot at the same moment, one thread each."""
    racers = [kiosk_client(portal, f"kiosk-{n}") for n in range(2, 2 + kiosks)]
    ready = threading.Barrier(kiosks)
    outcomes: list[BookingInfo | SlotTaken] = []

    def run(client: PortalClient) -> None:
        ready.wait()
        try:
            outcomes.append(book(client, hold(client, service, slot_id)))
        except SlotTaken as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in racers:
        c.close()
    assert len(outcomes) == kiosks  # (no other failure)
    return outcomes


def test_kiosks_racing_for_the_last_place_book_it_once(portal: Any, kiosk: PortalClient) -> None:
    slots = kiosk.slots(HOUSING)
    for slot, kiosks in ((slots[len(slots) // 2], 2), (slots[-1], 4)):  # decided by the portal, not by luck
        outcomes = race(portal, HOUSING, slot.id, kiosks)
        booked = [o for o in outcomes if isinstance(o, BookingInfo)]
        assert len(booked) == 1 and sum(isinstance(o, SlotTaken) for o in outcomes) == kiosks - 1
        assert booked[0].slot_id == slot.id and booked[0].booking_reference.startswith("BK-")
        assert listed(kiosk, HOUSING, slot.id) is None  # fresh slots no longer offer it
    bookings = admin(portal, "GET", "/admin/appointments")["bookings"]
    assert len(bookings) == 2 and len({b["slot_id"] for b in bookings}) == 2


def test_two_places_are_booked_twice_and_no_more(portal: Any, kiosk: PortalClient) -> None:
    slot = later_slot(kiosk, BLUE_BADGE)
    outcomes = race(portal, BLUE_BADGE, slot.id, 5)
    assert sorted(type(o).__name__ for o in outcomes) == ["BookingInfo"] * 2 + ["SlotTaken"] * 3
    assert listed(kiosk, BLUE_BADGE, slot.id) is None


def test_a_hold_and_a_booking_replayed_by_their_keys_are_made_once(portal: Any, kiosk: PortalClient) -> None:
    slot = later_slot(kiosk, BLUE_BADGE)
    hold_key, book_key = str(uuid.uuid4()), str(uuid.uuid4())
    body = {"service": BLUE_BADGE, "slot_id": slot.id, "submission_id": "s-1"}
    held = kiosk.hold_slot(**body, idempotency_key=hold_key)
    assert kiosk.hold_slot(**body, idempotency_key=hold_key) == held
    assert listed(kiosk, BLUE_BADGE, slot.id).free == 1  # type: ignore[union-attr]  # one place held, not two
    with pytest.raises(Permanent) as reused:
        kiosk.hold_slot(**body | {"submission_id": "s-2"}, idempotency_key=hold_key)
    assert reused.value.status == 422 and reused.value.error_class == "idempotency_conflict"

    booking = book(kiosk, held, book_key)
    assert book(kiosk, held, book_key) == booking  # the same booking again, not a second
    with pytest.raises(Permanent) as reused:
        book(kiosk, held, book_key, reference="DCP-BOOK-0002")
    assert reused.value.error_class == "idempotency_conflict"
    with pytest.raises(HoldExpired):
        book(kiosk, held)  # the hold is used up: another key cannot book it again
    with pytest.raises(HoldBooked):
        kiosk.release_hold(held.hold_id)  # nor does a release undo the booking
    bookings = admin(portal, "GET", "/admin/appointments")["bookings"]
    assert [b["booking_reference"] for b in bookings] == [booking.booking_reference]
    assert listed(kiosk, BLUE_BADGE, slot.id).free == 1  # type: ignore[union-attr]


def test_a_hold_of_a_slot_the_service_does_not_offer_is_refused(kiosk: PortalClient) -> None:
    saturday = dt.date.today() + dt.timedelta(days=(5 - dt.date.today().weekday()) % 7 or 7)
    for slot_id in (f"{HOUSING}.{saturday:%Y%m%d}T1000", f"{HOUSING}.20260101T0915", f"{BLUE_BADGE}.20991201T1000"):
        with pytest.raises(Permanent) as refused:
            hold(kiosk, HOUSING, slot_id)
        assert refused.value.status == 422 and [e["field"] for e in refused.value.field_errors] == ["slot_id"]
    yesterday = next(d for d in (dt.date.today() - dt.timedelta(days=n) for n in range(1, 8)) if d.weekday() < 5)
    with pytest.raises(SlotTaken):
        hold(kiosk, HOUSING, f"{HOUSING}.{yesterday:%Y%m%d}T1000")  # gone
