"""Appointment: a time held from the portal's live slots, or, offline, a request for days and times.

The raw answer is what the appointment screen gives: a slot the portal is holding,
``{"kind": "held", "service", "slot_id", "hold_id", "starts_at", "ends_at", "location", "expires_at"}``,
or a request made without a connection, ``{"kind": "request", "days": ["mon", ...], "times": ["morning", ...]}``.
A held slot becomes booked only when the citizen sends the journey (app/appointments.py confirms the
hold then, with the submission's Idempotency-Key), so the portal receives ``{"kind": "booked", ...}``
or a request, never a hold. Times are shown as the portal gives them (its wall clock, Europe/London).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from journeys import formatting
from journeys.messages import msg
from journeys.types.base import AnswerType
from journeys.types.time import time_words

if TYPE_CHECKING:
    from journeys.models import Question

DAYS = ("mon", "tue", "wed", "thu", "fri")
TIMES = ("morning", "afternoon")
_HELD = ("service", "slot_id", "hold_id", "starts_at", "ends_at", "location", "expires_at")
_BOOKED = ("booking_reference", "slot_id", "starts_at", "ends_at", "location")
_MAX_TEXT = 255  # as the client reads the portal's texts (sync/live.py MAX_TEXT)


def _when(value: Any) -> dt.datetime | None:
    """An ISO date-time with its offset, or None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def _texts(value: dict[str, Any], keys: tuple[str, ...]) -> bool:
    return all(isinstance(value.get(k), str) and 0 < len(value[k]) <= _MAX_TEXT for k in keys)


def slot_words(starts_at: str, ends_at: str, lang: str = "en") -> str:
    """ "Tuesday 8 December 2026, 10:30am to 11am", as the language writes a day and times."""
    start, end = _when(starts_at), _when(ends_at)
    if start is None or end is None:
        return ""
    return msg(
        "appointment.slot",
        day=formatting.format_day(start.date(), lang),
        start=time_words(f"{start:%H:%M}", lang),
        end=time_words(f"{end:%H:%M}", lang),
    ).render(lang)


class Appointment(AnswerType):
    name = "appointment"
    fields = frozenset({"service"})
    verb = "answer.select"
    default_name = "name.appointment"
    default_subject = "subject.appointment"
    shape = "the answer must be a booked appointment or a request for days and times"

    def example(self, q: Question, today: dt.date) -> Any:
        return {"kind": "request", "days": "mon wed", "times": "morning"}

    def parse(self, raw: Any, q: Question, today: dt.date) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.error("answer.select", q)
        kind = raw.get("kind")
        if kind == "held":
            if not _texts(raw, _HELD) or None in (
                _when(raw["starts_at"]),
                _when(raw["ends_at"]),
                _when(raw["expires_at"]),
            ):
                raise self.error("answer.select", q)
            return {k: raw[k] for k in ("kind", *_HELD)}
        if kind == "request":
            ticked_days, ticked_times = str(raw.get("days") or "").split(), str(raw.get("times") or "").split()
            days = [d for d in DAYS if d in ticked_days]
            times = [t for t in TIMES if t in ticked_times]
            if not days:
                raise self.error("appointment.days", q)
            if not times:
                raise self.error("appointment.times", q)
            return {"kind": "request", "days": days, "times": times}
        raise self.error("answer.select", q)

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        kind = value.get("kind")
        if kind == "request":
            from babel.dates import get_day_names
            from babel.lists import format_list

            locale = formatting.locale_for(lang)
            names = get_day_names("wide", locale=locale)
            days = format_list([str(names[DAYS.index(d)]) for d in value["days"]], locale=locale)
            words = {"morning": msg("appointment.morning"), "afternoon": msg("appointment.afternoon")}
            times = format_list([words[t].render(lang) for t in value["times"]], locale=locale)
            return msg("appointment.request", days=days, times=times).render(lang)
        slot = slot_words(value["starts_at"], value["ends_at"], lang)
        if kind == "held":
            until = _when(value["expires_at"])
            clock = time_words(f"{until:%H:%M}", lang) if until else ""
            return msg("appointment.held", slot=slot, place=value["location"], until=clock).render(lang)
        return msg("appointment.booked", slot=slot, place=value["location"]).render(lang)

    def to_raw(self, value: Any, q: Question) -> Any:
        return {k: " ".join(v) if isinstance(v, list) else v for k, v in value.items()}

    def check_shape(self, value: Any, q: Question) -> bool:
        """What the portal accepts: a booking it confirmed, or a request. A hold is never delivered."""
        if not isinstance(value, dict):
            return False
        if value.get("kind") == "booked":
            return (
                set(value) == {"kind", *_BOOKED}
                and _texts(value, _BOOKED)
                and None not in (_when(value["starts_at"]), _when(value["ends_at"]))
            )
        if value.get("kind") == "request":
            days, times = value.get("days"), value.get("times")
            return (
                set(value) == {"kind", "days", "times"}
                and isinstance(days, list)
                and isinstance(times, list)
                and 0 < len(days) == len(set(days))
                and set(days) <= set(DAYS)
                and 0 < len(times) == len(set(times))
                and set(times) <= set(TIMES)
            )
        return False

    def check_definition(self, q: Question) -> str | None:
        if q.service is None:
            return "an appointment question needs a service (whose slots the portal serves)"
        return None
