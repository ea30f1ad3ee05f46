"""The reference portal's appointments: generated slots with capacity, holds that lapse, bookings.

Each service has weekday slots in office hours (Leeds time), from the next whole half hour on. A
slot's free places are its capacity less its bookings and its holds not yet expired or released.
A hold (reserve, then confirm) keeps one place for `hold_s` seconds; a booking needs a live hold of
this kiosk on that slot and uses it up. Holds and bookings are made under the server's lock in one
transaction each, so two kiosks racing for the last place get one hold (the other: slot-taken),
and one booking. Every POST is exactly once by its Idempotency-Key (server.py's keyed_post).
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse

from reference_portal import db
from reference_portal.clock import Clock, iso

__all__ = ["SERVICES", "Service", "add_appointment_routes"]

LEEDS = ZoneInfo("Europe/London")
MAX_DAYS = 28
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Service:
    capacity: int
    location: str
    minutes: int = 30
    opens: dt.time = dt.time(9, 0)
    last_start: dt.time = dt.time(16, 0)

    def starts(self) -> list[dt.time]:
        times, at = [], dt.datetime.combine(dt.date(2000, 1, 3), self.opens)
        while at.time() <= self.last_start:
            times.append(at.time())
            at += dt.timedelta(minutes=self.minutes)
        return times


SERVICES = {
    "housing-officer": Service(capacity=1, location="Housing Options, Merrion House, Leeds"),
    "blue-badge-assessment": Service(capacity=2, location="Blue Badge assessments, Merrion House, Leeds"),
}

Errors = list[dict[str, str]]


@dataclass(frozen=True)
class Slot:
    id: str
    service: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str

    def json(self, key: str = "slot_id") -> dict[str, Any]:
        # In Leeds time with its offset: the same instant, and the hour a person reads is the local one.
        return {
            key: self.id,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "location": self.location,
        }


def first_start(now: dt.datetime) -> dt.datetime:
    """The next whole half hour (now itself when it is one)."""
    now = now.astimezone(LEEDS)
    base = now.replace(minute=0, second=0, microsecond=0)
    steps = -(-(now - base) // dt.timedelta(minutes=30))  # ceiling
    return base + steps * dt.timedelta(minutes=30)


def make_slot(name: str, day: dt.date, start: dt.time) -> Slot:
    service = SERVICES[name]
    begins = dt.datetime.combine(day, start, LEEDS)
    ends = begins + dt.timedelta(minutes=service.minutes)
    return Slot(f"{name}.{begins:%Y%m%dT%H%M}", name, begins, ends, service.location)


def slots_from(name: str, now: dt.datetime, days: int) -> list[Slot]:
    """Every slot of the service in the next `days` calendar days (today first), in time order."""
    first, today = first_start(now), now.astimezone(LEEDS).date()
    made = []
    for n in range(days):
        day = today + dt.timedelta(days=n)
        if day.weekday() < 5:
            made += [s for s in (make_slot(name, day, t) for t in SERVICES[name].starts()) if s.starts_at >= first]
    return made


def parse_slot(name: str, slot_id: str) -> Slot | None:
    """The slot this id names for the service, or None when the service never offers it."""
    prefix, _, when = slot_id.partition(".")
    try:
        at = dt.datetime.strptime(when, "%Y%m%dT%H%M")
    except ValueError:
        return None
    if prefix != name or at.weekday() >= 5 or at.time() not in SERVICES[name].starts():
        return None
    return make_slot(name, at.date(), at.time())


def taken(conn: sqlite3.Connection, name: str, now: dt.datetime, slot_id: str | None = None) -> dict[str, int]:
    """Places used per slot id: bookings and live holds."""
    only = " AND slot_id=?" if slot_id else ""
    args = (name, slot_id) if slot_id else (name,)
    used: dict[str, int] = {}
    for row in (
        conn.execute(
            f"SELECT slot_id, COUNT(*) AS n FROM bookings WHERE service=?{only} GROUP BY slot_id", args
        ).fetchall()
        + conn.execute(
            f"SELECT slot_id, COUNT(*) AS n FROM holds WHERE service=?{only} AND state='held' AND expires_at > ?"
            " GROUP BY slot_id",
            (*args, iso(now)),
        ).fetchall()
    ):
        used[row["slot_id"]] = used.get(row["slot_id"], 0) + int(row["n"])
    return used


def strings(body: dict[str, Any], names: tuple[str, ...]) -> Errors:
    errors = [{"field": f, "message": f"{f} is missing"} for f in names if f not in body]
    errors += [{"field": str(f), "message": f"{f} is not a field of this request"} for f in body if f not in names]
    return errors + [
        {"field": f, "message": f"{f} must be a string of 1 to 255 characters"}
        for f in names
        if f in body and not (isinstance(body[f], str) and 0 < len(body[f]) <= 255)
    ]


def add_appointment_routes(
    api: FastAPI,
    conn: sqlite3.Connection,
    lock: threading.Lock,
    kiosk_for: Callable[[str | None], str | JSONResponse],
    problem: Callable[..., JSONResponse],
    keyed_post: Callable[..., Awaitable[JSONResponse]],
    clock: Clock,
    admin_ok: Callable[[str | None], JSONResponse | None],
    hold_s: float = 300,
) -> None:
    def slot_taken(detail: str) -> JSONResponse:
        return problem(409, "Slot taken", detail, type_="/problems/slot-taken")

    def hold_expired(detail: str) -> JSONResponse:
        return problem(409, "Hold expired", detail, type_="/problems/hold-expired")

    @api.get("/api/v1/appointments/{service}/slots")
    def list_slots(service: str, days: int = 10, authorization: str | None = Header(default=None)) -> JSONResponse:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        if service not in SERVICES:
            return problem(404, "Not found", "this service has no appointments here")
        if not 1 <= days <= MAX_DAYS:
            return problem(400, "Bad request", f"days must be from 1 to {MAX_DAYS}")
        now = clock.now()
        with lock:
            used = taken(conn, service, now)
        capacity = SERVICES[service].capacity
        free = [(s, capacity - used.get(s.id, 0)) for s in slots_from(service, now, days)]
        listed = [s.json("id") | {"free": n} for s, n in free if n > 0]
        return JSONResponse({"service": service, "slots": listed})

    def check_hold(body: dict[str, Any]) -> Errors:
        errors = strings(body, ("service", "slot_id", "submission_id"))
        if not errors and body["service"] not in SERVICES:
            errors.append({"field": "service", "message": "this service has no appointments here"})
        if not errors and parse_slot(body["service"], body["slot_id"]) is None:
            errors.append({"field": "slot_id", "message": "this service has no slot with this id"})
        return errors

    def new_hold(who: str, body: dict[str, Any], now: dt.datetime, base: str) -> dict[str, Any] | JSONResponse:
        slot = parse_slot(body["service"], body["slot_id"])
        assert slot is not None  # (check_hold)
        if slot.starts_at < now:
            return slot_taken("this slot has already begun")
        if slot.starts_at > now + dt.timedelta(days=MAX_DAYS + 1):
            return slot_taken("this slot is not offered yet")
        if taken(conn, slot.service, now, slot.id).get(slot.id, 0) >= SERVICES[slot.service].capacity:
            return slot_taken("no place is free at this time any more: choose another")
        hold_id, expires = "hold-" + secrets.token_hex(12), now + dt.timedelta(seconds=hold_s)
        conn.execute(
            "INSERT INTO holds VALUES (?, ?, ?, ?, ?, ?, ?, 'held')",
            (hold_id, who, slot.service, slot.id, body["submission_id"], iso(now), iso(expires)),
        )
        return {"hold_id": hold_id, **slot.json(), "expires_at": iso(expires)}

    @api.post("/api/v1/appointments/holds")
    async def hold_slot(
        request: Request,
        authorization: str | None = Header(default=None),
        idempotency_key: str | None = Header(default=None),
    ) -> JSONResponse:
        return await keyed_post(request, authorization, idempotency_key, "hold", check_hold, new_hold)

    @api.delete("/api/v1/appointments/holds/{hold_id}")
    def release_hold(hold_id: str, authorization: str | None = Header(default=None)) -> Response:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        with lock, db.transaction(conn):
            row = conn.execute("SELECT state FROM holds WHERE hold_id=? AND kiosk_id=?", (hold_id, who)).fetchone()
            if row is None:
                return problem(404, "Not found", "no hold with this id for this kiosk")
            if row["state"] == "booked":
                return problem(409, "Hold booked", "this hold became a booking", type_="/problems/hold-booked")
            conn.execute("UPDATE holds SET state='released' WHERE hold_id=?", (hold_id,))
        return Response(status_code=204)

    def check_booking(body: dict[str, Any]) -> Errors:
        return strings(body, ("hold_id", "slot_id", "reference", "submission_id")) + (
            [{"field": "reference", "message": "reference must be at most 64 characters"}]
            if isinstance(body.get("reference"), str) and len(body["reference"]) > 64
            else []
        )

    def new_booking(who: str, body: dict[str, Any], now: dt.datetime, base: str) -> dict[str, Any] | JSONResponse:
        hold = conn.execute("SELECT * FROM holds WHERE hold_id=? AND kiosk_id=?", (body["hold_id"], who)).fetchone()
        if hold is None:
            return problem(404, "Not found", "no hold with this id for this kiosk")
        if hold["slot_id"] != body["slot_id"]:
            errors = [{"field": "slot_id", "message": "this hold is for another slot"}]
            return problem(422, "The request does not follow the contract", errors=errors)
        if hold["state"] != "held" or hold["expires_at"] <= iso(now):
            why = {"released": "was released", "booked": "has been used"}.get(hold["state"], "has expired")
            return hold_expired(f"this hold {why}: choose a time again")
        slot = parse_slot(hold["service"], hold["slot_id"])
        assert slot is not None
        booked = taken(conn, slot.service, now, slot.id)  # (counts this live hold)
        if slot.starts_at < now or booked.get(slot.id, 0) > SERVICES[slot.service].capacity:
            return slot_taken("this slot has gone: choose another")
        booking = "BK-" + "".join(secrets.choice(LETTERS) for _ in range(8))
        conn.execute(
            "INSERT INTO bookings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (booking, who, slot.service, slot.id, hold["hold_id"], body["reference"], body["submission_id"], iso(now)),
        )
        conn.execute("UPDATE holds SET state='booked' WHERE hold_id=?", (hold["hold_id"],))
        return {"booking_reference": booking, **slot.json()}

    @api.post("/api/v1/appointments")
    async def book(
        request: Request,
        authorization: str | None = Header(default=None),
        idempotency_key: str | None = Header(default=None),
    ) -> JSONResponse:
        return await keyed_post(request, authorization, idempotency_key, "booking", check_booking, new_booking)

    @api.get("/admin/appointments")
    def list_appointments(x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        if refused := admin_ok(x_admin_secret):
            return refused
        with lock:
            holds = conn.execute("SELECT * FROM holds ORDER BY created_at, rowid").fetchall()
            bookings = conn.execute("SELECT * FROM bookings ORDER BY booked_at, rowid").fetchall()
        return JSONResponse({"holds": [dict(r) for r in holds], "bookings": [dict(r) for r in bookings]})
