"""The journey format's limits: how deep, how many and how long a definition or a catalogue may be.

A definition comes from outside (the portal, a content designer's file), so it is measured before
anything walks it: one pass without recursion over the parsed JSON, before pydantic or the routing
(which recurse) see it. The first limit passed is the refusal, as a sentence that names it.
docs/journey-format.md lists them for content designers; the training journeys use a small part.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 32  # JSON levels, objects and lists inside one another, in a definition or a catalogue
MAX_CONDITION_DEPTH = 8  # conditions combined inside one another (all / any / not), the comparison included
MAX_PAGES = 100  # pages in one journey
MAX_QUESTIONS = 200  # questions in one journey, over all its pages
MAX_OPTIONS = 100  # options of one question
MAX_LIST = 1_000  # items in any other list (content blocks, routes, the parts of an all or any, ...)
MAX_STRING = 10_000  # characters in one string (a key or a value)
MAX_VALUES = 50_000  # values in a whole definition or catalogue: every object, list, string and number
MAX_TEXT = 1_000_000  # characters in all of a definition's or catalogue's strings together
MAX_CATALOGUE_JOURNEYS = 500  # journeys a catalogue lists
RELATIVE_DAYS_MAX = 36_600  # a relative date's days_from_today, either way (about a hundred years)


class LimitExceeded(ValueError):
    """A definition beyond one of the limits; str() says which, in the format's words."""


def check_journey(definition: Any) -> None:
    """Raise LimitExceeded when a journey definition is beyond a limit (its shape is pydantic's to check)."""
    pages = definition.get("pages") if isinstance(definition, dict) else None
    pages = pages if isinstance(pages, list) else []
    if len(pages) > MAX_PAGES:
        raise LimitExceeded(f"more than {MAX_PAGES} pages (the journey format's limit)")
    pages = [p for p in pages if isinstance(p, dict)]
    for i, page in enumerate(pages, 1):  # first, so that a deep condition is named as one
        where = f"page {name(page.get('id'), f'#{i}')}"
        _check_condition(page.get("show_when"), f"{where}, field show_when")
        routes = page.get("routes")
        for n, route in enumerate(routes if isinstance(routes, list) else [], 1):
            if isinstance(route, dict):
                _check_condition(route.get("when"), f"{where}, field routes {n}")
    check_size(definition)
    questions = [q for p in pages if isinstance(p.get("questions"), list) for q in p["questions"]]
    if len(questions) > MAX_QUESTIONS:
        raise LimitExceeded(f"more than {MAX_QUESTIONS} questions (the journey format's limit)")
    for q in questions:
        if isinstance(q, dict) and isinstance(q.get("options"), list) and len(q["options"]) > MAX_OPTIONS:
            raise LimitExceeded(f"question {name(q.get('id'))}: more than {MAX_OPTIONS} options (the format's limit)")


def check_catalogue(data: Any) -> None:
    """Raise LimitExceeded when a catalogue is beyond a limit."""
    check_size(data)
    entries = data.get("journeys") if isinstance(data, dict) else None
    if isinstance(entries, list) and len(entries) > MAX_CATALOGUE_JOURNEYS:
        raise LimitExceeded(f"more than {MAX_CATALOGUE_JOURNEYS} journeys (the journey format's limit)")


def check_size(data: Any) -> None:
    """Depth, string lengths, list lengths, values and characters of any parsed JSON, without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    values = text = 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise LimitExceeded(f"more than {MAX_VALUES} values in all (the journey format's limit)")
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise LimitExceeded(f"values are nested more than {MAX_DEPTH} levels (the journey format's limit)")
            if len(value) > MAX_LIST and not isinstance(value, dict):
                raise LimitExceeded(f"a list of more than {MAX_LIST} items (the journey format's limit)")
            if isinstance(value, dict):
                for key in value:
                    text += _length(key)
                stack.extend((v, depth + 1) for v in value.values())
            else:
                stack.extend((v, depth + 1) for v in value)
        else:
            text += _length(value)
        if text > MAX_TEXT:
            raise LimitExceeded(f"more than {MAX_TEXT} characters of text in all (the journey format's limit)")


def _length(value: Any) -> int:
    if not isinstance(value, str):
        return 0
    if len(value) > MAX_STRING:
        raise LimitExceeded(f"a text longer than {MAX_STRING} characters (the journey format's limit)")
    return len(value)


def _check_condition(condition: Any, where: str) -> None:
    stack: list[tuple[Any, int]] = [(condition, 1)]
    while stack:
        node, level = stack.pop()
        if not isinstance(node, dict):
            continue
        if level > MAX_CONDITION_DEPTH:
            raise LimitExceeded(
                f"{where}: conditions are nested more than {MAX_CONDITION_DEPTH} deep (the format's limit)"
            )
        for key in ("all", "any"):
            if isinstance(node.get(key), list):
                stack.extend((part, level + 1) for part in node[key])
        stack.append((node.get("not"), level + 1))


def name(ident: Any, otherwise: str = "without an id") -> str:
    """An id to quote in a message: only a short printable string (what was sent could be anything)."""
    if isinstance(ident, str) and 0 < len(ident) <= 64 and ident.isprintable():
        return ident
    return otherwise
