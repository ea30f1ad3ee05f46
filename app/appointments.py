"""Appointments: free times from the portal, a hold while the citizen finishes, the booking at Send.

Online, the appointment page lists the portal's free slots by day. Continue asks the portal to hold
the chosen slot (it lapses on its own after a few minutes); the held slot is the question's answer.
Send confirms the hold (Idempotency-Key: the submission id), and only then is the submission saved,
with the booking the portal made. A slot taken meanwhile, or a hold that lapsed, sends the citizen
back to fresh slots with a clear message. Offline, the question asks which days and times suit,
and the confirmation says plainly that nothing is booked yet.

The network calls run on a worker thread (ui/live.py) and return plain data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.live import LiveUnavailable, calling

if TYPE_CHECKING:
    from sync.client import PortalClient

__all__ = ["MAX_DAYS", "Slot", "SlotDay", "confirm", "free_slots", "hold", "release"]

MAX_DAYS = 10  # working days of slots asked for
MAX_SLOTS_SHOWN = 60  # a page of large buttons a citizen can take in


@dataclass(frozen=True)
class Slot:
    id: str
    starts_at: str  # ISO date-time with the portal's offset (its wall clock)
    ends_at: str
    location: str


@dataclass(frozen=True)
class SlotDay:
    day: dt.date
    slots: tuple[Slot, ...]


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="minutes")


def free_slots(client: PortalClient, service: str, *, days: int = MAX_DAYS) -> list[SlotDay]:
    """The free slots, grouped by day in time order (at most MAX_SLOTS_SHOWN)."""
    with calling("slots"):
        infos = client.slots(service, days)
    grouped: dict[dt.date, list[Slot]] = {}
    for info in sorted(infos, key=lambda i: i.starts_at)[:MAX_SLOTS_SHOWN]:
        if info.free < 1:
            continue
        slot = Slot(info.id, _iso(info.starts_at), _iso(info.ends_at), info.location)
        grouped.setdefault(info.starts_at.date(), []).append(slot)
    return [SlotDay(day, tuple(slots)) for day, slots in grouped.items()]


def hold(client: PortalClient, *, service: str, slot: Slot, submission_id: str, attempt: int) -> dict[str, Any]:
    """Hold a slot; the raw answer of the appointment question (kind "held"). LiveUnavailable "taken" if gone."""
    with calling("hold"):
        info = client.hold_slot(
            service=service,
            slot_id=slot.id,
            submission_id=submission_id,
            idempotency_key=f"{submission_id}.hold.{attempt}",
        )
    return {
        "kind": "held",
        "service": service,
        "slot_id": info.slot_id,
        "hold_id": info.hold_id,
        "starts_at": _iso(info.starts_at),
        "ends_at": _iso(info.ends_at),
        "location": info.location,
        "expires_at": _iso(info.expires_at),
    }


def release(client: PortalClient, hold_id: str) -> None:
    """Let a held slot go (the citizen chose another, or left); a failure is harmless: holds lapse."""
    try:
        with calling("release"):
            client.release_hold(hold_id)
    except LiveUnavailable:
        pass


def confirm(client: PortalClient, held: dict[str, Any], *, reference: str, submission_id: str) -> dict[str, Any]:
    """Book a held slot; the answer the portal receives (kind "booked"). LiveUnavailable "taken" / "expired"."""
    with calling("booking"):
        info = client.book(
            hold_id=held["hold_id"],
            slot_id=held["slot_id"],
            reference=reference,
            submission_id=submission_id,
            idempotency_key=f"{submission_id}.book.{held['hold_id']}",  # one booking per hold, however often retried
        )
    return {
        "kind": "booked",
        "booking_reference": info.booking_reference,
        "slot_id": info.slot_id,
        "starts_at": _iso(info.starts_at),
        "ends_at": _iso(info.ends_at),
        "location": info.location,
    }
