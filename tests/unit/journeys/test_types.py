"""The question-type registry: every type the format names has one AnswerType, and each type's
example answer parses, reads back through to_raw, shows on check answers and has the shape a
portal accepts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from journeys import ANSWER_TYPES, QUESTION_TYPES, AnswerType, Question, answer_type, parse_journey
from journeys.models import json_schema
from journeys.training import definitions

TODAY = dt.date(2026, 11, 25)


def question(type_: str, **kw: Any) -> Question:
    data: dict[str, Any] = {"id": "q", "type": type_, "label": {"en": "A question?"}, **kw}
    if answer_type(type_).has_options and "options" not in data:
        data["options"] = [{"value": "red", "label": {"en": "Red"}}, {"value": "green", "label": {"en": "Green"}}]
    if type_ == "appointment":
        data.setdefault("service", "housing-officer")
    return Question.model_validate(data)


def test_every_question_type_has_one_answer_type_under_its_own_name() -> None:
    assert tuple(ANSWER_TYPES) == QUESTION_TYPES
    for name in QUESTION_TYPES:
        kind = answer_type(name)
        assert isinstance(kind, AnswerType)
        assert kind.name == name
    with pytest.raises(KeyError):
        answer_type("no-such-type")


def test_the_json_schema_lists_the_registry_types() -> None:
    enum = json_schema()["$defs"]["Question"]["properties"]["type"]["enum"]
    assert tuple(enum) == QUESTION_TYPES


@pytest.mark.parametrize("name", QUESTION_TYPES)
def test_each_types_example_parses_reads_back_shows_and_has_the_portal_shape(name: str) -> None:
    kind = answer_type(name)
    q = question(name)
    value = kind.parse(kind.example(q, TODAY), q, TODAY)
    assert kind.parse(kind.to_raw(value, q), q, TODAY) == value
    assert kind.display(value, q, "en").strip()
    assert kind.check_shape(value, q)


@pytest.mark.parametrize("name", QUESTION_TYPES)
def test_each_type_refuses_a_shape_it_cannot_carry(name: str) -> None:
    kind = answer_type(name)
    q = question(name)
    assert not kind.check_shape(object(), q)
    assert kind.shape_words(object(), q).startswith("the answer")


def test_the_fields_a_question_takes_are_its_types_to_say() -> None:
    takes = {name: set(answer_type(name).fields) for name in QUESTION_TYPES}
    assert takes["text"] == takes["long_text"] == {"max_length"}
    assert takes["number"] == takes["money"] == {"min_max"}
    assert takes["date"] == {"date_range", "date_rules"}
    assert takes["radios"] == takes["select"] == takes["checkboxes"] == {"options"}
    assert takes["yes_no"] == takes["email"] == set()


def test_every_training_journey_question_meets_its_types_example() -> None:
    for definition in definitions():
        journey = parse_journey(definition)
        for q in journey.questions():
            kind = answer_type(q.type)
            value = kind.parse(kind.example(q, TODAY), q, TODAY)
            assert kind.check_shape(value, q), (journey.id, q.id)
