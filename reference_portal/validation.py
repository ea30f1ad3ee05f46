"""Check a submission's answers against its journey, as the council's portal would.

Only the journey schema is used (the portal knows nothing of the kiosk's flow engine, its
parsers or its messages). What is checked: every answer belongs to a question of the journey;
each answer has the shape its question type asks for (the normalised form the contract carries:
ISO dates, HH:MM times, pence as whole numbers, option values, address parts); and every
required question on the citizen's route has an answer. The route is worked out with the
schema's own condition evaluation (Journey.questions_on_route); a journey format without it
falls back to requiring only the questions of pages before any routing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from journeys.models import Journey, Question

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_LIMIT = 10_000
_ADDRESS_PARTS = ("line1", "line2", "town", "postcode")


def required_on_route(journey: Journey, answers: dict[str, Any]) -> list[Question]:
    """The required questions this citizen was asked, given their answers."""
    on_route = getattr(journey, "questions_on_route", None)
    if callable(on_route):
        try:
            questions: list[Question] = on_route(answers)
        except Exception:  # answers of the wrong shape can upset a condition: require what is certain
            questions = _before_routing(journey)
    else:
        questions = _before_routing(journey)
    return [q for q in questions if q.required]


def _before_routing(journey: Journey) -> list[Question]:
    certain: list[Question] = []
    for page in journey.pages:
        if getattr(page, "show_when", None) is not None:
            break
        certain.extend(page.questions)
        if getattr(page, "routes", None):
            break
    return certain


def _options(q: Question) -> set[str]:
    return {"yes", "no"} if q.type == "yes_no" else {o.value for o in q.options}


def _in_bounds(q: Question, value: int | float) -> bool:
    low, high = getattr(q, "min", None), getattr(q, "max", None)
    return (low is None or value >= low) and (high is None or value <= high)


def _shape_error(q: Question, value: Any) -> str | None:
    label = q.label.en.rstrip("?")
    kind = q.type
    if kind in ("text", "long_text"):
        if not isinstance(value, str):
            return f"{label}: the answer must be text"
        if len(value) > (q.max_length or _LIMIT):
            return f"{label}: the answer is too long"
    elif kind in ("number", "money"):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (kind == "money" and not isinstance(value, int))
        ):
            return f"{label}: the answer must be a {'whole number of pence' if kind == 'money' else 'number'}"
        if not _in_bounds(q, value):
            return f"{label}: the answer is out of range"
    elif kind == "email":
        if not isinstance(value, str) or not _EMAIL.match(value) or len(value) > 254:
            return f"{label}: the answer must be an email address"
    elif kind == "phone":
        if not isinstance(value, str) or not _PHONE.match(value):
            return f"{label}: the answer must be a phone number"
    elif kind == "postcode":
        if not isinstance(value, str) or not _POSTCODE.match(value.upper()):
            return f"{label}: the answer must be a UK postcode"
    elif kind == "date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return f"{label}: the answer must be a date (YYYY-MM-DD)"
    elif kind == "time":
        if not isinstance(value, str) or not _TIME.match(value):
            return f"{label}: the answer must be a time (HH:MM)"
    elif kind in ("radios", "select", "yes_no"):
        if value not in _options(q):
            return f"{label}: the answer is not one of the options"
    elif kind == "checkboxes":
        if not isinstance(value, list) or not value or not set(value) <= _options(q):
            return f"{label}: the answer must be a list of the options"
    elif kind == "address" and (
        not isinstance(value, dict)
        or not set(value) <= set(_ADDRESS_PARTS)
        or not all(isinstance(v, str) and len(v) <= 200 for v in value.values())
        or not value.get("line1")
    ):
        return f"{label}: the answer must be an address (line1, line2, town, postcode)"
    # Types this portal does not know yet are accepted as they are.
    return None


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(v in (None, "") for v in value.values())
    return value in (None, "", [])


def validate_answers(journey: Journey, answers: dict[str, Any]) -> list[dict[str, str]]:
    """Field errors ({"field", "message"}) in journey order; empty when the answers are acceptable."""
    questions = {q.id: q for q in journey.questions()}
    errors = [
        {"field": str(key), "message": f"{key} is not a question in {journey.id} version {journey.version}"}
        for key in answers
        if key not in questions
    ]
    required = {q.id for q in required_on_route(journey, answers)}
    for qid, q in questions.items():
        value = answers.get(qid)
        if _empty(value):
            if qid in required:
                errors.append({"field": qid, "message": f"{q.label.en.rstrip('?')}: an answer is required"})
            continue
        if (message := _shape_error(q, value)) is not None:
            errors.append({"field": qid, "message": message})
    return errors
