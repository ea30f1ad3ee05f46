"""Check a submission's answers against its journey, as the council's portal would.

Only the journey format is used (the portal knows nothing of the kiosk's flow or its screens).
What is checked: every answer belongs to a question of the journey; each answer has the shape its
question type asks for (each type's check_shape: the normalised form the contract carries, ISO
dates, HH:MM times, pence as whole numbers, option values, address parts), so a new type is
checked with no change here; and every
required question on the citizen's route has an answer. The route is worked out with the
schema's own condition evaluation (Journey.questions_on_route); a journey format without it
falls back to requiring only the questions of pages before any routing.
"""

from __future__ import annotations

from typing import Any

from journeys import ANSWER_TYPES, Journey, Question


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


def _shape_error(q: Question, value: Any) -> str | None:
    """What is wrong with the shape of one answer, as the question's type sees it (None: well formed)."""
    kind = ANSWER_TYPES.get(q.type)
    if kind is None or kind.check_shape(value, q):  # a type this portal does not know yet is accepted as it is
        return None
    return f"{q.label.en.rstrip('?')}: {kind.shape_words(value, q)}"


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
