"""The length operators (longer_than, shorter_than, length_equals) and relative dates (days_from_today).

Both outcomes of each, an unanswered question, the routes they steer (with the day the citizen answers
fixed), and the refusals of a definition that asks them of the wrong type, naming the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from journeys.flow import Flow
from journeys.models import Condition, JourneyFormatError, parse_journey

TODAY = dt.date(2026, 3, 10)


def cond(data: dict[str, Any]) -> Condition:
    return Condition.model_validate(data)


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"question": "a", "longer_than": 3}, {"a": "abcd"}, True),
        ({"question": "a", "longer_than": 3}, {"a": "abc"}, False),
        ({"question": "a", "longer_than": 0}, {}, False),  # unanswered has no length
        ({"question": "a", "shorter_than": 4}, {"a": "abc"}, True),
        ({"question": "a", "shorter_than": 3}, {"a": "abc"}, False),
        ({"question": "a", "shorter_than": 99}, {"a": ""}, False),  # unanswered
        ({"question": "a", "shorter_than": 99}, {"a": None}, False),
        ({"question": "a", "length_equals": 3}, {"a": "abc"}, True),
        ({"question": "a", "length_equals": 3}, {"a": "abcd"}, False),
        ({"question": "a", "length_equals": 2}, {}, False),
        ({"question": "a", "length_equals": 4}, {"a": "Llŷn"}, True),  # characters, not bytes
        # checkboxes: how many are ticked
        ({"question": "a", "longer_than": 1}, {"a": ["x", "y"]}, True),
        ({"question": "a", "longer_than": 2}, {"a": ["x", "y"]}, False),
        ({"question": "a", "shorter_than": 2}, {"a": ["x"]}, True),
        ({"question": "a", "shorter_than": 2}, {"a": ["x", "y"]}, False),
        ({"question": "a", "length_equals": 2}, {"a": ["x", "y"]}, True),
        ({"question": "a", "length_equals": 1}, {"a": ["x", "y"]}, False),
        ({"question": "a", "shorter_than": 5}, {"a": []}, False),  # none ticked is unanswered
        ({"question": "a", "longer_than": 1}, {"a": 12345}, False),  # a number has no length
        # relative dates, from TODAY (2026-03-10)
        ({"question": "d", "less_than": {"days_from_today": -7}}, {"d": "2026-03-02"}, True),
        ({"question": "d", "less_than": {"days_from_today": -7}}, {"d": "2026-03-03"}, False),  # exactly 7 days ago
        ({"question": "d", "greater_than": {"days_from_today": 0}}, {"d": "2026-03-11"}, True),
        ({"question": "d", "greater_than": {"days_from_today": 0}}, {"d": "2026-03-10"}, False),
        ({"question": "d", "greater_than": {"days_from_today": 30}}, {"d": "2026-04-10"}, True),
        ({"question": "d", "greater_than": {"days_from_today": 30}}, {"d": "2026-04-09"}, False),
        ({"question": "d", "less_than": {"days_from_today": 1}}, {}, False),  # unanswered
        ({"question": "d", "greater_than": {"days_from_today": -1}}, {"d": None}, False),
    ],
)
def test_a_length_or_relative_date_comparison(
    condition: dict[str, Any], answers: dict[str, Any], expected: bool
) -> None:
    assert cond(condition).evaluate(answers, TODAY) is expected


def test_not_of_an_unanswered_length_is_true() -> None:
    assert cond({"not": {"question": "a", "longer_than": 3}}).evaluate({}, TODAY) is True


def test_a_relative_date_counts_from_the_day_of_answering_not_a_fixed_day() -> None:
    c = cond({"question": "d", "less_than": {"days_from_today": -7}})
    answer = {"d": "2026-03-01"}
    assert c.evaluate(answer, dt.date(2026, 3, 10)) is True
    assert c.evaluate(answer, dt.date(2026, 3, 5)) is False  # on 5 March, 1 March is only 4 days ago
    assert c.evaluate({"d": (dt.date.today() - dt.timedelta(days=8)).isoformat()}) is True  # the clock's day
    assert c.evaluate({"d": (dt.date.today() - dt.timedelta(days=6)).isoformat()}) is False


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ({"question": "d", "less_than": {"days_from_today": -7}}, "d is before 7 days ago"),
        ({"question": "d", "greater_than": {"days_from_today": 14}}, "d is after 14 days from today"),
        ({"question": "d", "greater_than": {"days_from_today": 0}}, "d is after today"),
        ({"question": "a", "longer_than": 3}, "a is longer than 3"),
        ({"question": "a", "shorter_than": 3}, "a is shorter than 3"),
        ({"question": "a", "length_equals": 2}, "a has a length of 2"),
    ],
)
def test_the_condition_in_words(condition: dict[str, Any], words: str) -> None:
    assert cond(condition).describe() == words


def test_a_relative_date_is_written_back_as_it_was_read() -> None:
    data = {"question": "d", "less_than": {"days_from_today": -7}}
    dumped = cond(data).model_dump(exclude_none=True)
    assert dumped == data
    assert cond(dumped) == cond(data)


# -- in a journey -----------------------------------------------------------------------------


def journey(**first_page_extra: Any) -> dict[str, Any]:
    return {
        "id": "conditions",
        "version": 1,
        "title": {"en": "Conditions"},
        "summary": {"en": "For tests"},
        "category": "tests",
        "confirmation": {"en": "Done"},
        "pages": [
            {
                "id": "about",
                "questions": [
                    {"id": "name", "type": "text", "label": {"en": "Name"}},
                    {"id": "story", "type": "long_text", "label": {"en": "What happened?"}, "required": False},
                    {"id": "email", "type": "email", "label": {"en": "Email"}, "required": False},
                    {
                        "id": "bins",
                        "type": "checkboxes",
                        "label": {"en": "Which bins?"},
                        "options": [
                            {"value": "green", "label": {"en": "Green"}},
                            {"value": "blue", "label": {"en": "Blue"}},
                            {"value": "brown", "label": {"en": "Brown"}},
                        ],
                    },
                    {"id": "missed", "type": "date", "label": {"en": "When was it missed?"}},
                    {"id": "count", "type": "number", "label": {"en": "How many?"}, "required": False},
                    {
                        "id": "colour",
                        "type": "radios",
                        "label": {"en": "Colour?"},
                        "required": False,
                        "options": [
                            {"value": "red", "label": {"en": "Red"}},
                            {"value": "blue", "label": {"en": "Blue"}},
                        ],
                    },
                ],
                **first_page_extra,
            },
            {
                "id": "short-name",
                "show_when": {"question": "name", "shorter_than": 3},
                "questions": [{"id": "full-name", "type": "text", "label": {"en": "Your full name"}}],
            },
            {
                "id": "many-bins",
                "show_when": {"question": "bins", "longer_than": 1},
                "questions": [{"id": "which-first", "type": "text", "label": {"en": "Which first?"}}],
            },
            {
                "id": "too-late",
                "title": {"en": "Too late to report"},
                "show_when": {"question": "missed", "less_than": {"days_from_today": -7}},
                "content": [{"type": "paragraph", "text": {"en": "Report within 7 days"}}],
            },
            {"id": "last", "questions": [{"id": "extra", "type": "text", "label": {"en": "More?"}, "required": False}]},
        ],
    }


def raw(name: str, bins: list[str], missed: dt.date) -> dict[str, Any]:
    return {
        "name": name,
        "bins": bins,
        "missed": {"day": str(missed.day), "month": str(missed.month), "year": str(missed.year)},
    }


@pytest.mark.parametrize(
    ("answers", "pages"),
    [
        (
            raw("Al", ["green", "blue"], TODAY - dt.timedelta(days=8)),
            ["about", "short-name", "many-bins", "too-late", "last"],
        ),
        (raw("Alice", ["green"], TODAY - dt.timedelta(days=7)), ["about", "last"]),
        (raw("Bob", ["green", "blue", "brown"], TODAY), ["about", "many-bins", "last"]),
    ],
)
def test_the_route_through_length_and_relative_date_conditions(answers: dict[str, Any], pages: list[str]) -> None:
    j = parse_journey(journey())
    flow = Flow(j)
    parsed, errors = flow.check_page(j.pages[0], answers, today=TODAY)
    assert errors == []
    assert [p.id for p in j.route(parsed, TODAY)] == pages
    following = [p.id for p in iter_route(j, parsed)]
    assert following == pages


def iter_route(j: Any, parsed: dict[str, Any]) -> list[Any]:
    pages = [j.pages[0]]
    while (page := j.next_page(pages[-1].id, parsed, TODAY)) is not None:
        pages.append(page)
    return pages


def test_a_route_on_a_length_goes_to_check_answers() -> None:
    j = parse_journey(journey(routes=[{"when": {"question": "story", "longer_than": 10}, "goto": "check-answers"}]))
    long_story = {"name": "Alice", "story": "It was missed again", "bins": ["green"], "missed": "2026-03-09"}
    assert j.next_page("about", long_story, TODAY) is None
    short_story = dict(long_story, story="Missed")
    page = j.next_page("about", short_story, TODAY)
    assert page is not None and page.id == "last"


def test_every_text_like_and_checkboxes_question_takes_a_length() -> None:
    for qid in ("name", "story", "email", "bins"):
        for op in ("longer_than", "shorter_than", "length_equals"):
            parse_journey(journey(routes=[{"when": {"question": qid, op: 2}, "goto": "last"}]))


@pytest.mark.parametrize(
    ("when", "words"),
    [
        ({"question": "count", "longer_than": 2}, "longer_than cannot measure a number question (count)"),
        ({"question": "colour", "shorter_than": 2}, "shorter_than cannot measure a radios question (colour)"),
        ({"question": "missed", "length_equals": 10}, "length_equals cannot measure a date question (missed)"),
        (
            {"question": "count", "greater_than": {"days_from_today": 3}},
            "greater_than days_from_today compares only a date question, not a number question (count)",
        ),
        ({"question": "name", "less_than": {"days_from_today": 3}}, "less_than cannot compare a text question (name)"),
        (
            {"any": [{"question": "name", "equals": "x"}, {"question": "count", "length_equals": 1}]},
            "cannot measure a number",
        ),
    ],
)
def test_a_comparison_the_type_cannot_take_is_refused_naming_the_page(when: dict[str, Any], words: str) -> None:
    with pytest.raises(JourneyFormatError) as caught:
        parse_journey(journey(routes=[{"when": when, "goto": "last"}]))
    text = str(caught.value)
    assert "page about, field routes 1" in text
    assert words in text


@pytest.mark.parametrize(
    ("when", "words"),
    [
        ({"question": "name", "longer_than": -1}, "longer_than: Input should be greater than or equal to 0"),
        ({"question": "name", "longer_than": True}, "longer_than: Input should be a valid integer"),
        ({"question": "name", "shorter_than": "3"}, "shorter_than: Input should be a valid integer"),
        ({"question": "name", "length_equals": 2.5}, "length_equals: Input should be a valid integer"),
        ({"question": "missed", "less_than": {"days_from_today": 36601}}, "less than or equal to 36600"),
        ({"question": "missed", "less_than": {"days_from_today": -36601}}, "greater than or equal to -36600"),
        (
            {"question": "missed", "less_than": {"days_from_today": "7"}},
            "days_from_today: Input should be a valid integer",
        ),
        (
            {"question": "missed", "less_than": {"days_from_today": 1.5}},
            "days_from_today: Input should be a valid integer",
        ),
        ({"question": "missed", "less_than": {"days": 7}}, "days: this field is not part of the journey format"),
        ({"question": "missed", "less_than": {}}, "days_from_today: this field is required"),
        ({"question": "name", "longer_than": 2, "shorter_than": 9}, "needs exactly one of"),
    ],
)
def test_a_malformed_length_or_relative_date_is_refused_naming_the_field(when: dict[str, Any], words: str) -> None:
    with pytest.raises(JourneyFormatError) as caught:
        parse_journey(journey(routes=[{"when": when, "goto": "last"}]))
    assert "page about, field routes.1.when" in str(caught.value)
    assert words in str(caught.value)


def test_a_fee_on_a_length_is_checked_against_the_question_type() -> None:
    d = journey()
    d["fee"] = {
        "label": {"en": "Cost"},
        "amount_pence": 1000,
        "note": {"en": "We send a bill"},
        "when": {"question": "count", "shorter_than": 3},
    }
    with pytest.raises(JourneyFormatError, match=r"field fee\.when: shorter_than cannot measure a number question"):
        parse_journey(d)
