"""The flow engine: conditions, skipped pages, forward routes, dropped answers, the summary."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from journeys.flow import FieldError, Flow
from journeys.models import Condition, Journey, parse_journey
from tests.helpers import MISSED_BIN_DAY_TEXT, MISSED_BIN_RAW

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 11, 25)


def training(journey_id: str) -> Journey:
    return parse_journey(
        json.loads((ROOT / "journeys" / "training" / f"{journey_id}.json").read_text(encoding="utf-8"))
    )


def cond(data: dict[str, Any]) -> Condition:
    return Condition.model_validate(data)


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"question": "a", "equals": "x"}, {"a": "x"}, True),
        ({"question": "a", "equals": "x"}, {"a": "y"}, False),
        ({"question": "a", "equals": "x"}, {}, False),
        ({"question": "a", "not_equals": "x"}, {"a": "y"}, True),
        ({"question": "a", "not_equals": "x"}, {"a": "x"}, False),
        ({"question": "a", "not_equals": "x"}, {"a": None}, True),
        ({"question": "a", "equals": True}, {"a": "yes"}, True),
        ({"question": "a", "equals": False}, {"a": "yes"}, False),
        ({"question": "a", "equals": 3}, {"a": 3}, True),
        ({"question": "a", "contains": "tyres"}, {"a": ["household", "tyres"]}, True),
        ({"question": "a", "contains": "tyres"}, {"a": ["household"]}, False),
        ({"question": "a", "contains": "urgent"}, {"a": "This is URGENT now"}, True),
        ({"question": "a", "contains": "tyres"}, {}, False),
        ({"question": "a", "greater_than": 4}, {"a": 5}, True),
        ({"question": "a", "greater_than": 4}, {"a": 4}, False),
        ({"question": "a", "greater_than": 4}, {}, False),
        ({"question": "a", "less_than": 4}, {"a": 3}, True),
        ({"question": "a", "less_than": 4}, {"a": None}, False),
        ({"question": "a", "less_than": "2026-01-01"}, {"a": "2025-12-31"}, True),
        ({"question": "a", "greater_than": "12:00"}, {"a": "14:30"}, True),
        ({"question": "a", "greater_than": 4}, {"a": "5"}, False),  # a string is not compared with a number
        ({"question": "a", "answered": True}, {"a": 0}, True),
        ({"question": "a", "answered": True}, {"a": ""}, False),
        ({"question": "a", "answered": False}, {}, True),
        ({"all": [{"question": "a", "equals": "x"}, {"question": "b", "greater_than": 1}]}, {"a": "x", "b": 2}, True),
        ({"all": [{"question": "a", "equals": "x"}, {"question": "b", "greater_than": 1}]}, {"a": "x", "b": 1}, False),
        ({"any": [{"question": "a", "equals": "x"}, {"question": "b", "greater_than": 1}]}, {"a": "y", "b": 2}, True),
        ({"any": [{"question": "a", "equals": "x"}, {"question": "b", "greater_than": 1}]}, {}, False),
        ({"not": {"question": "a", "equals": "x"}}, {"a": "x"}, False),
        ({"not": {"any": [{"question": "a", "equals": "x"}, {"question": "a", "equals": "y"}]}}, {"a": "z"}, True),
    ],
)
def test_conditions(condition: dict[str, Any], answers: dict[str, Any], expected: bool) -> None:
    assert cond(condition).evaluate(answers) is expected


def test_conditions_describe_themselves() -> None:
    c = cond({"any": [{"question": "a", "equals": "x"}, {"not": {"question": "b", "greater_than": 1}}]})
    assert c.describe() == '(a is "x" or not b is more than 1)'
    assert c.questions() == ["a", "b"]


def test_the_missed_bin_journey_runs_straight_through() -> None:
    flow = Flow(training("missed-bin"))
    parsed, errors = flow.check_all(MISSED_BIN_RAW)
    assert errors == []
    assert [p.id for p in flow.route(parsed)] == ["which-bin", "when", "postcode", "address", "name", "contact"]
    assert flow.next_page("contact", parsed) is None
    assert flow.previous_page("which-bin", parsed) is None
    assert flow.previous_page("when", parsed) == flow.page("which-bin")
    rows = flow.summary(parsed)
    assert [(r.page_id, r.question_id, r.answer) for r in rows][:3] == [
        ("which-bin", "bin-type", "Recycling (blue bin)"),
        ("when", "collection-date", MISSED_BIN_DAY_TEXT),
        ("postcode", "postcode", "LS1 4AP"),
    ]
    assert rows[-1].answer == "Not given"


def test_pages_are_skipped_unless_their_condition_holds() -> None:
    flow = Flow(training("fly-tipping"))
    base = {"location": "Kirkgate", "waste-types": ["household"], "amount": "bag", "saw-who": "no"}
    ids = [p.id for p in flow.route(base)]
    assert "hazard" not in ids and "other" not in ids and "witness-details" not in ids
    risky = {**base, "waste-types": ["household", "asbestos", "other"], "saw-who": "yes"}
    ids = [p.id for p in flow.route(risky)]
    assert ids.index("what") < ids.index("hazard") < ids.index("other") < ids.index("amount")
    assert "witness-details" in ids


def test_a_route_can_jump_to_check_answers() -> None:
    flow = Flow(training("fly-tipping"))
    answers = {"want-updates": "no"}
    assert flow.next_page("contact-wanted", answers) is None
    assert flow.route(answers)[-1].id == "contact-wanted"
    assert flow.next_page("contact-wanted", {"want-updates": "yes"}) == flow.page("name")


def test_a_route_jumps_forward_over_pages() -> None:
    flow = Flow(training("housing-appointment"))
    homeless = {"topic": "homeless", "safe-tonight": "no"}
    ids = [p.id for p in flow.route(homeless)]
    assert ids[:3] == ["topic", "tonight", "phone"]
    assert flow.previous_page("phone", homeless) == flow.page("tonight")


def test_back_from_a_page_off_the_route_goes_to_the_last_page_before_it() -> None:
    flow = Flow(training("housing-appointment"))
    homeless = {"topic": "homeless", "safe-tonight": "no"}
    # "when" is jumped over; Back from it goes to the last route page before it
    assert flow.previous_page("when", homeless) == flow.page("tonight")


def test_answers_that_fall_off_the_route_are_dropped() -> None:
    flow = Flow(training("new-bin"))
    answers = {"reason": "damaged", "bins": ["general"], "damage": "The lid is broken"}
    assert "damage" in flow.answers_on_route(answers)
    answers["reason"] = "lost"
    kept = flow.answers_on_route(answers)
    assert "damage" not in kept and kept["reason"] == "lost"
    assert "damage" not in {r.question_id for r in flow.summary(answers)}


def test_next_to_answer_finds_a_page_a_change_put_on_the_route() -> None:
    flow = Flow(training("new-bin"))
    raw = flow.example(today=TODAY)
    answers, errors = flow.check_all(raw, today=TODAY)
    assert errors == []
    assert flow.next_to_answer("reason", answers) is None
    answers["reason"] = "damaged"
    assert flow.next_to_answer("reason", answers) == flow.page("damage")


def test_check_page_reports_every_error_in_page_order() -> None:
    flow = Flow(training("pothole"))
    parsed, errors = flow.check_page(flow.page("size"), {"size": "", "depth": "deep"})
    assert errors == [
        FieldError("size", "Select how wide it is"),
        FieldError("depth", "How deep it is must be a number, like 5"),
    ]
    assert parsed == {}


def test_check_all_reports_every_error_on_the_route_and_only_parses_the_route() -> None:
    flow = Flow(training("missed-bin"))
    raw = {**MISSED_BIN_RAW, "postcode": "nowhere", "full-name": "", "stray": "ignored"}
    parsed, errors = flow.check_all(raw)
    assert [e.question_id for e in errors] == ["postcode", "full-name"]
    assert "stray" not in parsed


def test_check_all_routes_on_parsed_answers() -> None:
    flow = Flow(training("pothole"))
    raw = flow.example(today=TODAY) | {"depth": " 12 ", "harm": "yes"}
    parsed, errors = flow.check_all(raw, today=TODAY)
    assert errors == []
    assert parsed["depth"] == 12 and "harm" in parsed  # "12" as typed, 12 when compared
    assert "claims" in [p.id for p in flow.route(parsed)]


@pytest.mark.parametrize("path", sorted((ROOT / "journeys" / "training").glob("*.json")), ids=lambda p: p.stem)
def test_the_example_answers_complete_every_training_journey(path: Path) -> None:
    flow = Flow(parse_journey(json.loads(path.read_text(encoding="utf-8"))))
    parsed, errors = flow.check_all(flow.example(today=TODAY), today=TODAY)
    assert errors == []
    assert set(parsed) == {q.id for p in flow.route(parsed) for q in p.questions}
