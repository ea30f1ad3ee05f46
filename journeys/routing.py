"""Conditions and the route through a journey: which pages a citizen passes, given their answers.

The portal works out the same route as the kiosk (to know which questions a submission must
answer), so this needs only the models and the answer types, nothing of the kiosk.

Answers, as the routing sees them, are the *parsed* values (see journeys/types): text and choices
are strings, number is an int, money is an int of pence, date is ``YYYY-MM-DD``, time is ``HH:MM``,
checkboxes is a list of option values, address is a dict of lines.

A date comparison may be relative (``{"days_from_today": -7}``): it is worked out against ``today``,
the day the citizen answers (the caller's clock when not given).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from journeys.types import answer_type

if TYPE_CHECKING:
    from journeys.models import Condition, Journey, Page, Question

CHECK_ANSWERS = "check-answers"  # the route target that means "go to check answers now"
OPERATORS = (
    "equals",
    "not_equals",
    "contains",
    "greater_than",
    "less_than",
    "longer_than",
    "shorter_than",
    "length_equals",
    "answered",
)
COMBINATIONS = ("all", "any", "not_")
LENGTH_OPERATORS = ("longer_than", "shorter_than", "length_equals")
# The types whose answers have a length: the characters of a typed text, or how many boxes are ticked.
LENGTH_TYPES = ("text", "long_text", "email", "checkboxes")

_WORDS = {
    "equals": "is",
    "not_equals": "is not",
    "contains": "includes",
    "greater_than": "is more than",
    "less_than": "is less than",
    "longer_than": "is longer than",
    "shorter_than": "is shorter than",
    "length_equals": "has a length of",
}


def parts(c: Condition) -> list[Condition]:
    """The conditions a combination joins (empty for a comparison)."""
    return c.all or c.any or ([c.not_] if c.not_ else [])


def comparisons(c: Condition) -> list[Condition]:
    """Every comparison in a condition, however deeply combined."""
    if c.question is not None:
        return [c]
    return [leaf for part in parts(c) for leaf in comparisons(part)]


def describe(c: Condition) -> str:
    """The condition in words, for content designers: "bin-type is garden"."""
    if c.all is not None:
        return "(" + " and ".join(describe(p) for p in c.all) + ")"
    if c.any is not None:
        return "(" + " or ".join(describe(p) for p in c.any) + ")"
    if c.not_ is not None:
        return f"not {describe(c.not_)}"
    op = c.operator or ""
    if op == "answered":
        return f"{c.question} is {'answered' if c.answered else 'not answered'}"
    bound = getattr(c, op)
    days = _relative_days(bound)
    if days is not None:
        when = "today" if days == 0 else f"{days} days from today" if days > 0 else f"{-days} days ago"
        return f"{c.question} is {'after' if op == 'greater_than' else 'before'} {when}"
    return f"{c.question} {_WORDS[op]} {json.dumps(bound)}"


def _relative_days(bound: Any) -> int | None:
    """N of a relative date bound ({"days_from_today": N}), or None for a plain bound."""
    days = getattr(bound, "days_from_today", None)
    return days if isinstance(days, int) else None


def evaluate(c: Condition, answers: dict[str, Any], today: dt.date | None = None) -> bool:
    """True when the (parsed) answers meet the condition; a relative date counts from ``today``.

    An unanswered question equals nothing, is not-equal to everything, contains nothing, is
    neither greater nor less than anything, and has no length (longer, shorter, equal: all false).
    """
    if c.all is not None:
        return all(evaluate(p, answers, today) for p in c.all)
    if c.any is not None:
        return any(evaluate(p, answers, today) for p in c.any)
    if c.not_ is not None:
        return not evaluate(c.not_, answers, today)
    value = answers.get(c.question or "")
    present = value not in (None, "", [], {})
    if c.answered is not None:
        return present == c.answered
    if c.not_equals is not None:
        return not (present and _same(value, c.not_equals))
    if not present:
        return False
    if c.equals is not None:
        return _same(value, c.equals)
    if c.contains is not None:
        if isinstance(value, list):
            return c.contains in value
        return isinstance(value, str) and c.contains.casefold() in value.casefold()
    if c.greater_than is not None:
        return _compare(value, _bound(c.greater_than, today)) > 0
    if c.less_than is not None:
        return _compare(value, _bound(c.less_than, today)) < 0
    if c.operator in LENGTH_OPERATORS:
        return _measure(value, c)
    return False  # pragma: no cover - the validator guarantees one operator


def _bound(bound: Any, today: dt.date | None) -> Any:
    """A comparison's bound as the answers are: a relative date becomes ``YYYY-MM-DD`` for today."""
    days = _relative_days(bound)
    if days is None:
        return bound
    return ((today or dt.date.today()) + dt.timedelta(days=days)).isoformat()


def _measure(value: Any, c: Condition) -> bool:
    """A length comparison: characters of a text, or ticks of a checkboxes answer (else false)."""
    if not isinstance(value, str | list):
        return False
    length = len(value)
    if c.longer_than is not None:
        return length > c.longer_than
    if c.shorter_than is not None:
        return length < c.shorter_than
    return length == c.length_equals


def _same(value: Any, expected: str | int | bool) -> bool:
    if isinstance(expected, bool):
        return value == ("yes" if expected else "no") or value is expected
    return bool(value == expected)


def _compare(value: Any, bound: int | str) -> int:
    """-1, 0 or 1; a value of another kind than the bound compares as 0 (never routes)."""
    if isinstance(value, bool) or isinstance(value, int) != isinstance(bound, int):
        return 0
    if not isinstance(value, int | str):
        return 0
    return (value > bound) - (value < bound)  # type: ignore[operator]


def comparison_problem(c: Condition, q: Question) -> str | None:
    """Why a comparison cannot be asked of question q (its type says what it supports), or None."""
    kind = answer_type(q.type)
    op = c.operator
    if op in ("greater_than", "less_than") and not kind.ordered:
        return f"{op} cannot compare a {q.type} question ({q.id})"
    if op in ("greater_than", "less_than") and _relative_days(getattr(c, op)) is not None and q.type != "date":
        return f"{op} days_from_today compares only a date question, not a {q.type} question ({q.id})"
    if op in LENGTH_OPERATORS and q.type not in LENGTH_TYPES:
        return f"{op} cannot measure a {q.type} question ({q.id}): only {', '.join(LENGTH_TYPES)} answers have a length"
    if op == "contains" and not kind.can_contain:
        return f"contains cannot look inside a {q.type} question ({q.id})"
    allowed = kind.option_values(q)
    if op in ("equals", "not_equals"):
        value = getattr(c, op)
        as_option = ("yes" if value else "no") if isinstance(value, bool) and kind.yes_or_no else value
        if allowed and as_option not in allowed:
            return f"{op} {value!r} is not an option of question {q.id} ({', '.join(allowed)})"
    if op == "contains" and allowed and c.contains not in allowed:
        return f"contains {c.contains!r} is not an option of question {q.id}"
    return None


# -- the route --------------------------------------------------------------------------------


def _after(journey: Journey, i: int, seen: dict[str, Any], today: dt.date) -> int | None:
    """Index of the page after page i, given the answers seen on the route so far (None: check answers)."""
    pages = journey.pages
    target = i + 1
    for route in pages[i].routes:
        if evaluate(route.when, seen, today):
            if route.goto == CHECK_ANSWERS:
                return None
            target = journey.page_index(route.goto)
            break
    while target < len(pages):
        candidate = pages[target]
        if candidate.show_when is None or evaluate(candidate.show_when, seen, today):
            return target
        target += 1
    return None


def _seen_on(page: Page, answers: dict[str, Any]) -> dict[str, Any]:
    return {q.id: answers[q.id] for q in page.questions if q.id in answers}


def next_page(journey: Journey, page_id: str, answers: dict[str, Any], today: dt.date | None = None) -> Page | None:
    """The page after page_id given the answers, or None when the next step is check answers.

    Conditions see only the answers given on the route up to and including page_id: an answer
    left over on a page the route now skips never steers the citizen. A relative date counts
    from ``today`` (the clock's day when not given).
    """
    today = today or dt.date.today()
    here = journey.page_index(page_id)
    seen: dict[str, Any] = {}
    i: int | None = 0
    while i is not None and i < here:
        seen.update(_seen_on(journey.pages[i], answers))
        i = _after(journey, i, seen, today)
    seen.update(_seen_on(journey.pages[here], answers))
    after = _after(journey, here, seen, today)
    return None if after is None else journey.pages[after]


def route(journey: Journey, answers: dict[str, Any], today: dt.date | None = None) -> list[Page]:
    """The pages the citizen passes through, given their (parsed) answers. Never loops."""
    today = today or dt.date.today()
    pages: list[Page] = []
    seen: dict[str, Any] = {}
    i: int | None = 0
    while i is not None:
        page = journey.pages[i]
        pages.append(page)
        seen.update(_seen_on(page, answers))
        i = _after(journey, i, seen, today)
    return pages
