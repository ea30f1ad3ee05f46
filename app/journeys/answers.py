"""Parse what people type into typed answers, with GOV.UK-style error messages.

Each parser takes the raw input (a string, or a dict of day/month/year for dates) and returns the
normalised answer, or raises AnswerError with a message that says what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from app.journeys.schema import Question


class AnswerError(ValueError):
    """The citizen's answer cannot be used; str(error) is the message to show them."""


_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _name(q: Question) -> str:
    # "What is your full name?" -> used as "Enter ..." messages need a short noun; keep the label.
    return q.label.en.rstrip("?")


def parse_postcode(raw: str, q: Question) -> str:
    compact = re.sub(r"\s+", "", raw).upper()
    m = _POSTCODE.match(compact)
    if not m:
        raise AnswerError("Enter a full UK postcode, like LS1 4AP")
    return f"{m.group(1)} {m.group(2)}"


def parse_email(raw: str, q: Question) -> str:
    value = raw.strip()
    if len(value) > 254:
        raise AnswerError("Email address must be 254 characters or fewer")
    if not _EMAIL.match(value):
        raise AnswerError("Enter an email address in the correct format, like name@example.com")
    return value


def parse_text(raw: str, q: Question) -> str:
    value = raw.strip()
    limit = q.max_length or (1200 if q.type == "long_text" else 200)
    if len(value) > limit:
        raise AnswerError(f"Answer must be {limit} characters or fewer")
    return value


def parse_date(raw: Any, q: Question) -> str:
    if not isinstance(raw, dict):
        raise AnswerError("Enter a date")
    parts = {k: str(raw.get(k, "")).strip() for k in ("day", "month", "year")}
    missing = [k for k, v in parts.items() if not v]
    if missing and len(missing) < 3:
        raise AnswerError(f"Date must include a {missing[0]}")
    if not all(v.isdigit() for v in parts.values()):
        raise AnswerError("Date must be a real date, written in numbers")
    year = int(parts["year"])
    if len(parts["year"]) != 4:
        raise AnswerError("Year must include 4 numbers")
    try:
        value = dt.date(year, int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise AnswerError("Date must be a real date") from None
    return value.isoformat()


def parse_choice(raw: Any, q: Question) -> str:
    allowed = {o.value for o in q.options} if q.type == "radios" else {"yes", "no"}
    if raw not in allowed:
        raise AnswerError(f"Select an answer for: {_name(q)}")
    return str(raw)


def is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, dict):
        return all(not str(v).strip() for v in raw.values())
    return not str(raw).strip()


def parse_answer(q: Question, raw: Any) -> Any:
    """Return the normalised answer (None when optional and empty) or raise AnswerError."""
    if is_empty(raw):
        if q.required:
            if q.type in ("radios", "yes_no"):
                raise AnswerError(f"Select an answer for: {_name(q)}")
            raise AnswerError(f"Enter an answer for: {_name(q)}")
        return None
    if q.type == "postcode":
        return parse_postcode(str(raw), q)
    if q.type == "email":
        return parse_email(str(raw), q)
    if q.type == "date":
        return parse_date(raw, q)
    if q.type in ("radios", "yes_no"):
        return parse_choice(raw, q)
    if q.type == "number":
        text = str(raw).strip().replace(",", "")
        try:
            return int(text)
        except ValueError:
            raise AnswerError(f"{_name(q)} must be a number") from None
    return parse_text(str(raw), q)


def display_answer(q: Question, value: Any, lang: str = "en") -> str:
    """How an answer reads on the check-answers page."""
    if value is None:
        return "Not given"
    if q.type == "radios":
        for o in q.options:
            if o.value == value:
                return o.label.get(lang)
    if q.type == "yes_no":
        return "Yes" if value == "yes" else "No"
    if q.type == "date":
        d = dt.date.fromisoformat(value)
        return f"{d.day} {d.strftime('%B')} {d.year}"
    return str(value)
