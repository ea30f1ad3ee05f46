"""The journey format's limits: how deep, how many and how long a definition or a catalogue may be.

They are checked before anything walks the definition, so a hostile or broken one is refused with a
JourneyFormatError that names the limit, never a RecursionError, a huge message or minutes of work.
Any wrong shape at all is a JourneyFormatError too (property test).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys import limits
from journeys.models import JourneyFormatError, parse_catalogue, parse_journey

ROOT = Path(__file__).resolve().parents[3]
BASE = json.loads((ROOT / "journeys" / "training" / "missed-bin.json").read_text(encoding="utf-8"))
FIRST_QUESTION = BASE["pages"][0]["questions"][0]["id"]
ENTRY = {"id": "j", "version": 1, "title": {"en": "J"}, "summary": {"en": "J"}, "category": "c"}


def journey(**changes: Any) -> dict[str, Any]:
    definition = copy.deepcopy(BASE)
    definition.update(changes)
    return definition


def nested_condition(levels: int, combine: str = "not") -> dict[str, Any]:
    condition: dict[str, Any] = {"question": FIRST_QUESTION, "answered": True}
    for _ in range(levels - 1):
        condition = {"not": condition} if combine == "not" else {combine: [condition]}
    return condition


def nested_dict(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def refusal(parse: Any, data: Any) -> str:
    with pytest.raises(JourneyFormatError) as info:
        parse(data)
    message = str(info.value)
    assert len(message) < 600, message[:600]
    return message


def with_condition(condition: dict[str, Any]) -> dict[str, Any]:
    definition = journey()
    definition["pages"][1]["show_when"] = condition
    return definition


@pytest.mark.parametrize("combine", ["not", "all", "any"])
def test_a_condition_nested_5000_levels_is_refused_naming_the_limit(combine: str) -> None:
    message = refusal(parse_journey, with_condition(nested_condition(5000, combine)))
    assert message.startswith("journey missed-bin: ")
    assert "nested more than" in message


def test_conditions_up_to_the_limit_are_accepted_and_one_more_is_not() -> None:
    parse_journey(with_condition(nested_condition(limits.MAX_CONDITION_DEPTH, "all")))
    message = refusal(parse_journey, with_condition(nested_condition(limits.MAX_CONDITION_DEPTH + 1, "not")))
    page = BASE["pages"][1]["id"]
    assert f"page {page}, field show_when: conditions are nested more than {limits.MAX_CONDITION_DEPTH} deep" in message


def test_a_route_condition_is_limited_too() -> None:
    definition = journey()
    definition["pages"][0]["routes"] = [
        {"when": nested_condition(limits.MAX_CONDITION_DEPTH + 1, "any"), "goto": "check-answers"}
    ]
    assert "field routes 1: conditions are nested more than" in refusal(parse_journey, definition)


def test_a_100000_level_dict_already_parsed_is_refused_by_journey_and_catalogue() -> None:
    deep = nested_dict(100_000)
    for data in (journey(title={"en": "Title", "fr": deep}), deep, journey(start=deep)):
        assert f"nested more than {limits.MAX_DEPTH} levels" in refusal(parse_journey, data)
    for data in ({"journeys": [deep]}, deep, {"schema_version": 1, "journeys": [{**ENTRY, "title": deep}]}):
        assert f"nested more than {limits.MAX_DEPTH} levels" in refusal(parse_catalogue, data)


def test_a_deep_list_is_refused_too() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    assert "nested more than" in refusal(parse_journey, journey(pages=deep))
    assert "nested more than" in refusal(parse_catalogue, {"journeys": deep})


def test_too_many_pages_questions_or_options_are_refused() -> None:
    page = BASE["pages"][-1]
    pages = [{**copy.deepcopy(page), "id": f"p{i}", "questions": []} for i in range(limits.MAX_PAGES + 1)]
    assert f"more than {limits.MAX_PAGES} pages" in refusal(parse_journey, journey(pages=pages))
    question = {"type": "text", "label": {"en": "Q"}}
    many = [{"id": "p", "questions": [{**question, "id": f"q{i}"} for i in range(limits.MAX_QUESTIONS + 1)]}]
    assert f"more than {limits.MAX_QUESTIONS} questions" in refusal(parse_journey, journey(pages=many))
    options = [{"value": f"o{i}", "label": {"en": "O"}} for i in range(limits.MAX_OPTIONS + 1)]
    radios = [{"id": "p", "questions": [{**question, "id": "q", "type": "radios", "options": options}]}]
    assert f"question q: more than {limits.MAX_OPTIONS} options" in refusal(parse_journey, journey(pages=radios))


def test_long_strings_long_lists_and_a_huge_definition_are_refused() -> None:
    long_title = {"en": "x" * (limits.MAX_STRING + 1)}
    assert f"longer than {limits.MAX_STRING} characters" in refusal(parse_journey, journey(title=long_title))
    long_key = {"en": "x", "y" * (limits.MAX_STRING + 1): "z"}
    assert f"longer than {limits.MAX_STRING} characters" in refusal(parse_journey, journey(title=long_key))
    items = [{"en": "Bring your bin"}] * (limits.MAX_LIST + 1)
    assert f"more than {limits.MAX_LIST} items" in refusal(parse_journey, journey(start={"you_need": items}))
    texts = {f"l{i}": "x" * 9_000 for i in range(limits.MAX_TEXT // 9_000 + 1)}
    assert f"more than {limits.MAX_TEXT} characters" in refusal(parse_journey, journey(title={"en": "t", **texts}))
    values = {f"l{i}": [1] * 900 for i in range(limits.MAX_VALUES // 900 + 1)}
    assert f"more than {limits.MAX_VALUES} values" in refusal(parse_journey, journey(title={"en": "t", **values}))


def test_a_catalogue_of_too_many_journeys_or_a_huge_title_is_refused() -> None:
    entries = [{**ENTRY, "id": f"j{i}"} for i in range(limits.MAX_CATALOGUE_JOURNEYS + 1)]
    assert f"more than {limits.MAX_CATALOGUE_JOURNEYS} journeys" in refusal(parse_catalogue, {"journeys": entries})
    huge = {"journeys": [{**ENTRY, "title": {"en": "x" * 100_000_000}}]}
    assert f"longer than {limits.MAX_STRING} characters" in refusal(parse_catalogue, huge)


def test_every_training_journey_is_well_inside_the_limits() -> None:
    for path in sorted((ROOT / "journeys" / "training").glob("*.json")):
        parse_journey(json.loads(path.read_text(encoding="utf-8")))


def test_a_journey_id_that_is_not_an_identifier_is_not_quoted_in_the_message() -> None:
    message = refusal(parse_journey, {"id": "x" * 100_000, "pages": 5})
    assert message.startswith("journey <no usable id>: ")


def test_many_problems_are_summed_up() -> None:
    pages = [{"id": f"P{i}"} for i in range(limits.MAX_PAGES)]
    message = refusal(parse_journey, journey(pages=pages))
    assert "more problems" in message


# -- any wrong shape: JourneyFormatError ------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
FIELDS = ["schema_version", "id", "version", "title", "summary", "category", "pages", "confirmation", "journeys"]


@st.composite
def wrong_shapes(draw: st.DrawFn, base: dict[str, Any]) -> Any:
    """A good definition with one or more fields replaced by anything, or anything at all."""
    if draw(st.booleans()):
        return draw(JSON)
    data = copy.deepcopy(base)
    for key in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3)):
        data[key] = draw(JSON)
    return data


SHAPES = settings(
    max_examples=int(os.environ.get("JOURNEY_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SHAPES
@given(data=wrong_shapes({"schema_version": 1, "journeys": [ENTRY]}))
def test_a_catalogue_of_any_wrong_shape_is_a_journey_format_error(data: Any) -> None:
    try:
        parse_catalogue(data)
    except JourneyFormatError as exc:
        assert str(exc).startswith("catalogue")


@SHAPES
@given(data=wrong_shapes(BASE))
def test_a_journey_of_any_wrong_shape_is_a_journey_format_error(data: Any) -> None:
    try:
        parse_journey(data)
    except JourneyFormatError as exc:
        assert str(exc).startswith("journey ")


@pytest.mark.parametrize("journeys", [5, "five", None, {"a": 1}, [5], [[ENTRY]], True, 1.5])
def test_a_catalogue_whose_journeys_is_not_a_list_of_entries_is_refused(journeys: Any) -> None:
    assert refusal(parse_catalogue, {"journeys": journeys}).startswith("catalogue: journeys")
