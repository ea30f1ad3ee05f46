"""Date: day, month and year (as three boxes, "3 Nov 2026", "3/11/2026" or ISO), kept as YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from journeys import formatting
from journeys.messages import Day, msg
from journeys.types.base import AnswerType

if TYPE_CHECKING:
    from journeys.models import Question

_PARTS = ("day", "month", "year")
_DIGITS = re.compile(r"[0-9]{1,4}")  # a day or a month in ASCII digits (clean.py has read other scripts'), bounded
_PART_NAMES = {"day": "date.part.day", "month": "date.part.month", "year": "date.part.year"}
# date_range: (holds for the answer, the message when it does not)
_RANGES = {
    "past": (lambda v, t: v < t, "date.past"),
    "today_or_past": (lambda v, t: v <= t, "date.today_or_past"),
    "future": (lambda v, t: v > t, "date.future"),
    "today_or_future": (lambda v, t: v >= t, "date.today_or_future"),
}
_EXAMPLE_SHIFT = {"past": -30, "today_or_past": -30, "future": 30, "today_or_future": 30}
# Month names as people type them (input is read in English; display follows the locale).
_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}


def _date_parts(raw: Any) -> dict[str, str]:
    if isinstance(raw, dict):
        return {k: str(raw.get(k) or "").strip() for k in _PARTS}
    text = str(raw).strip()
    m = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)  # ISO, from a script
    if m:
        return {"day": m.group(3), "month": m.group(2), "year": m.group(1)}
    pieces = [p for p in re.split(r"[\s/.\-,]+", text) if p]
    if len(pieces) == 3:
        return dict(zip(_PARTS, pieces, strict=True))
    return {"day": "", "month": "", "year": text}


def _problem(value: dt.date, q: Question, today: dt.date) -> tuple[str, dict[str, object]] | None:
    """The first rule of date_range and date_rules that value breaks (message id and parameters), or None."""
    if q.date_range in _RANGES:
        holds, message_id = _RANGES[q.date_range]
        if not holds(value, today):
            return message_id, {}
    rules = q.date_rules
    if rules is None:
        return None
    if rules.within_days is not None and not (today - dt.timedelta(days=rules.within_days) <= value <= today):
        return (
            ("date.within_one_day", {}) if rules.within_days == 1 else ("date.within_days", {"days": rules.within_days})
        )
    if rules.not_before is not None and value < (earliest := dt.date.fromisoformat(rules.not_before)):
        return "date.not_before", {"day": Day(earliest)}
    if rules.not_after is not None and value > (latest := dt.date.fromisoformat(rules.not_after)):
        return "date.not_after", {"day": Day(latest)}
    if rules.weekday and value.weekday() >= 5:
        return "date.weekday", {}
    return None


def _boxes(d: dt.date) -> dict[str, str]:
    return {"day": str(d.day), "month": str(d.month), "year": str(d.year)}


class Date(AnswerType):
    name = "date"
    fields = frozenset({"date_range", "date_rules"})
    ordered = True
    default_name = "name.date"
    default_subject = "subject.date"
    shape = "the answer must be a date (YYYY-MM-DD)"
    coded = True

    def parse(self, raw: Any, q: Question, today: dt.date) -> str:
        parts = _date_parts(raw)
        missing = [k for k in _PARTS if not parts[k]]
        if len(missing) == 3:
            raise self.error("answer.enter", q)
        if missing:
            names = [msg(_PART_NAMES[k]) for k in missing]
            which = names[0] if len(names) == 1 else msg("date.parts.and", first=names[0], second=names[1])
            raise self.error("date.missing_parts", q, parts=which)
        month_text = parts["month"].lower().rstrip(".")
        month = _MONTHS.get(month_text) or (int(month_text) if _DIGITS.fullmatch(month_text) else None)
        day, year = parts["day"].lower(), parts["year"]
        day = re.sub(r"(st|nd|rd|th)$", "", day)
        if month is None or not _DIGITS.fullmatch(day) or not re.fullmatch(r"[0-9]+", year):
            raise self.error("date.real", q)
        if len(year) != 4:
            raise self.error("date.year_digits", q)
        try:
            value = dt.date(int(year), month, int(day))
        except (ValueError, OverflowError):
            raise self.error("date.real", q) from None
        problem = _problem(value, q, today)
        if problem is not None:
            message_id, params = problem
            raise self.error(message_id, q, **params)
        return value.isoformat()

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        return formatting.format_date(dt.date.fromisoformat(value), lang)

    def to_raw(self, value: Any, q: Question) -> dict[str, str]:
        return _boxes(dt.date.fromisoformat(value))

    def example(self, q: Question, today: dt.date) -> dict[str, str]:
        start = today + dt.timedelta(days=_EXAMPLE_SHIFT.get(q.date_range, -7))
        rules = q.date_rules
        if rules is not None and rules.within_days is not None:
            start = today - dt.timedelta(days=min(rules.within_days, 7) // 2)
        if rules is not None and rules.not_before is not None:
            start = max(start, dt.date.fromisoformat(rules.not_before))
        if rules is not None and rules.not_after is not None:
            start = min(start, dt.date.fromisoformat(rules.not_after))
        step = 1 if q.date_range in ("future", "today_or_future") else -1
        for shift in (*range(0, 8), *range(-1, -8, -1)):  # the nearest day that keeps every rule
            day = start + dt.timedelta(days=shift * step)
            if _problem(day, q, today) is None:
                return _boxes(day)
        return _boxes(start)

    def check_definition(self, q: Question) -> str | None:
        rules = q.date_rules
        if rules is not None and rules.within_days is not None and q.date_range in ("future", "today_or_future"):
            return f"date_rules.within_days asks for a recent date but date_range asks for {q.date_range}"
        return None

    def check_shape(self, value: Any, q: Question) -> bool:
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return False
        return True
