"""Check a submission's answers against its journey, as the council's portal would.

Only the journey schema is used (the portal knows nothing of the kiosk's flow engine). What is
checked: every answer belongs to a question of the journey; each answer has the shape its
question type asks for; and every required question that is certainly on the citizen's route has
an answer. Routing (conditions that show or skip pages and questions) is not evaluated here:
a question or page that carries any field beyond the version-1 base set is treated as possibly
skipped, and so is every page after the first page that does; a journey with routing fields of
its own has no required-answer check at all. Those answers are still checked for shape.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel

from app.journeys.schema import Journey, Question

# The fields of the version-1 journey format: anything else set on a model may route.
_BASE_FIELDS = {
    "Journey": {
        "schema_version",
        "id",
        "version",
        "title",
        "summary",
        "category",
        "requires_online",
        "pages",
        "declaration",
        "confirmation",
    },
    "Page": {"id", "title", "questions"},
    "Question": {"id", "type", "label", "hint", "required", "options", "max_length", "reuse"},
}

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
_LIMIT = 10_000


def may_route(model: BaseModel, kind: str) -> bool:
    """True when the model sets a field outside the version-1 base set (a condition, a jump...)."""
    base = _BASE_FIELDS[kind]
    for name in model.model_fields_set | set(model.model_extra or {}):
        if name not in base and getattr(model, name, None) not in (None, [], {}, ()):
            return True
    return False


def certain_questions(journey: Journey) -> set[str]:
    """Ids of questions every citizen passes through, whatever they answer."""
    if may_route(journey, "Journey"):
        return set()
    certain: set[str] = set()
    for page in journey.pages:
        if may_route(page, "Page"):
            break
        certain.update(q.id for q in page.questions if not may_route(q, "Question"))
    return certain


def _shape_error(q: Question, value: Any) -> str | None:
    label = q.label.en.rstrip("?")
    kind = q.type
    if kind in ("text", "long_text"):
        if not isinstance(value, str):
            return f"{label}: the answer must be text"
        if len(value) > (q.max_length or _LIMIT):
            return f"{label}: the answer is too long"
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{label}: the answer must be a number"
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
    elif kind == "radios":
        if value not in {o.value for o in q.options}:
            return f"{label}: the answer is not one of the options"
    elif kind == "yes_no" and value not in ("yes", "no"):
        return f"{label}: the answer must be yes or no"
    # Types this portal does not know yet are accepted as they are.
    return None


def validate_answers(journey: Journey, answers: dict[str, Any]) -> list[dict[str, str]]:
    """Field errors ({"field", "message"}) in journey order; empty when the answers are acceptable."""
    questions = {q.id: q for q in journey.questions()}
    errors = [
        {"field": str(key), "message": f"{key} is not a question in {journey.id} version {journey.version}"}
        for key in answers
        if key not in questions
    ]
    certain = certain_questions(journey)
    for qid, q in questions.items():
        value = answers.get(qid)
        if value in (None, "", [], {}):
            if q.required and qid in certain:
                errors.append({"field": qid, "message": f"{q.label.en.rstrip('?')}: an answer is required"})
            continue
        if (message := _shape_error(q, value)) is not None:
            errors.append({"field": qid, "message": message})
    return errors
