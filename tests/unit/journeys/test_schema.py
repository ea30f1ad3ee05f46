"""The journey format: every training journey validates; broken definitions are rejected, naming the place."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from journeys.models import (
    QUESTION_TYPES,
    Condition,
    JourneyFormatError,
    Localised,
    json_schema,
    parse_catalogue,
    parse_journey,
)

ROOT = Path(__file__).resolve().parents[3]
TRAINING = sorted((ROOT / "journeys" / "training").glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def minimal() -> dict[str, Any]:
    return {
        "id": "test-journey",
        "version": 1,
        "title": {"en": "A test"},
        "summary": {"en": "For tests"},
        "category": "tests",
        "confirmation": {"en": "Done"},
        "pages": [
            {
                "id": "first",
                "questions": [
                    {
                        "id": "colour",
                        "type": "radios",
                        "label": {"en": "Which colour?"},
                        "options": [
                            {"value": "red", "label": {"en": "Red"}},
                            {"value": "blue", "label": {"en": "Blue"}},
                        ],
                    },
                    {"id": "count", "type": "number", "label": {"en": "How many?"}},
                ],
            },
            {"id": "second", "questions": [{"id": "notes", "type": "text", "label": {"en": "Notes"}}]},
            {"id": "third", "questions": [{"id": "when", "type": "date", "label": {"en": "When?"}}]},
        ],
    }


def test_the_training_catalogue_has_at_least_12_journeys() -> None:
    assert len(TRAINING) >= 12


@pytest.mark.parametrize("path", TRAINING, ids=lambda p: p.stem)
def test_every_training_journey_validates_and_is_named_after_its_file(path: Path) -> None:
    journey = parse_journey(load(path))
    assert journey.id == path.stem


def test_the_training_catalogue_uses_every_question_type_content_block_and_operator() -> None:
    journeys = [parse_journey(load(p)) for p in TRAINING]
    types = {q.type for j in journeys for q in j.questions()}
    assert types == set(QUESTION_TYPES)
    blocks = {b.type for j in journeys for p in j.pages for b in p.content}
    assert blocks == {"paragraph", "inset", "details", "warning"}
    conditions: list[Condition] = []
    for j in journeys:
        for p in j.pages:
            conditions += ([p.show_when] if p.show_when else []) + [r.when for r in p.routes]

    def kinds(c: Condition) -> set[str]:
        parts = c.all or c.any or ([c.not_] if c.not_ else [])
        own = {"all" if c.all else "any" if c.any else "not" if c.not_ else str(c.operator)}
        return own.union(*(kinds(x) for x in parts))

    used = set().union(*(kinds(c) for c in conditions))
    assert used >= {"equals", "not_equals", "contains", "greater_than", "less_than", "answered", "all", "any", "not"}
    assert any(r.goto == "check-answers" for j in journeys for p in j.pages for r in p.routes)
    paying = [j for j in journeys if j.payment]
    # a payment journey says what happens offline: it cannot be used, or the request is sent as payment due
    assert paying and all(
        j.offline_message and (j.requires_online or j.payment.can_be_due) for j in paying if j.payment
    )


def test_the_missed_bin_journey_keeps_the_ids_the_tests_drive() -> None:
    journey = parse_journey(load(ROOT / "journeys" / "training" / "missed-bin.json"))
    assert [p.id for p in journey.pages] == ["which-bin", "when", "postcode", "address", "name", "contact"]
    assert [q.id for q in journey.questions()] == [
        "bin-type",
        "collection-date",
        "postcode",
        "address-line",
        "full-name",
        "email",
    ]


def test_the_exported_json_schema_is_up_to_date() -> None:
    committed = json.loads((ROOT / "docs" / "journey-schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(json_schema())), (
        "regenerate it: .venv/bin/python -m journeys > docs/journey-schema.json"
    )


def test_localised_strings_fall_back_to_english() -> None:
    text = Localised.model_validate({"en": "Report", "ur": "رپورٹ"})
    assert text.get("ur") == "رپورٹ"
    assert text.get("pl") == "Report"


def test_a_minimal_definition_validates() -> None:
    assert parse_journey(minimal()).id == "test-journey"


def broken(change: Any) -> str:
    definition = minimal()
    change(definition)
    with pytest.raises(JourneyFormatError) as info:
        parse_journey(definition)
    return str(info.value)


def q(definition: dict[str, Any], page: int, question: int) -> dict[str, Any]:
    found: dict[str, Any] = definition["pages"][page]["questions"][question]
    return found


BROKEN: list[tuple[str, Any, list[str]]] = [
    ("no title", lambda d: d.pop("title"), ["journey test-journey", "field title", "required"]),
    ("a misspelt field", lambda d: d["pages"][1].update(titel={"en": "x"}), ["page second", "field titel", "spelling"]),
    (
        "an unknown question type",
        lambda d: q(d, 1, 0).update(type="essay"),
        ["page second", "question notes", "field type"],
    ),
    (
        "radios with one option",
        lambda d: q(d, 0, 0)["options"].pop(),
        ["page first", "question colour", "at least two options"],
    ),
    (
        "options on a text question",
        lambda d: q(d, 1, 0).update(options=q(d, 0, 0)["options"]),
        ["question notes", "takes no options"],
    ),
    ("a duplicate page id", lambda d: d["pages"][2].update(id="first"), ["field pages", "'first' is used twice"]),
    ("a duplicate question id", lambda d: q(d, 2, 0).update(id="notes"), ["'notes' is used twice"]),
    ("a bad id", lambda d: q(d, 1, 0).update(id="Notes!"), ["page second", "question Notes!", "field id"]),
    (
        "English missing",
        lambda d: q(d, 1, 0).update(label={"ur": "x"}),
        ["question notes", "field label.en", "required"],
    ),
    ("min above max", lambda d: q(d, 0, 1).update(min=5, max=1), ["question count", "min is larger than max"]),
    ("max_length on a date", lambda d: q(d, 2, 0).update(max_length=5), ["question when", "takes no max_length"]),
    ("date_range on text", lambda d: q(d, 1, 0).update(date_range="past"), ["question notes", "takes no date_range"]),
    (
        "a condition on a later question",
        lambda d: d["pages"][1].update(show_when={"question": "when", "answered": True}),
        ["page second", "field show_when", "'when' is not asked before this point"],
    ),
    (
        "a condition on a question of the same page",
        lambda d: d["pages"][1].update(show_when={"question": "notes", "answered": True}),
        ["page second", "field show_when", "'notes' is not asked before this point"],
    ),
    (
        "a condition on a question that does not exist",
        lambda d: d["pages"][2].update(show_when={"question": "colour-typo", "equals": "red"}),
        ["page third", "there is no question 'colour-typo'"],
    ),
    (
        "a condition equal to no option",
        lambda d: d["pages"][1].update(show_when={"question": "colour", "equals": "green"}),
        ["page second", "field show_when", "'green' is not an option of question colour (red, blue)"],
    ),
    (
        "greater than on radios",
        lambda d: d["pages"][1].update(show_when={"question": "colour", "greater_than": 3}),
        ["page second", "greater_than cannot compare a radios question"],
    ),
    (
        "contains on a number",
        lambda d: d["pages"][1].update(show_when={"question": "count", "contains": "3"}),
        ["contains cannot look inside a number question"],
    ),
    (
        "two operators",
        lambda d: d["pages"][1].update(show_when={"question": "count", "greater_than": 3, "less_than": 9}),
        ["page second", "field show_when", "exactly one of"],
    ),
    (
        "a condition with no question",
        lambda d: d["pages"][1].update(show_when={"equals": "red"}),
        ["page second", "field show_when", "needs a question"],
    ),
    (
        "a broken part of an all",
        lambda d: d["pages"][2].update(
            show_when={"all": [{"question": "count", "less_than": 3}, {"question": "count"}]}
        ),
        ["page third", "field show_when.all.2", "exactly one of"],
    ),
    ("an empty any", lambda d: d["pages"][2].update(show_when={"any": []}), ["page third", "field show_when.any"]),
    (
        "a route backwards",
        lambda d: d["pages"][2].update(routes=[{"when": {"question": "notes", "answered": True}, "goto": "first"}]),
        ["page third", "field routes 1", "goto 'first' must be a later page"],
    ),
    (
        "a route to itself",
        lambda d: d["pages"][1].update(routes=[{"when": {"question": "notes", "answered": True}, "goto": "second"}]),
        ["page second", "field routes 1", "must be a later page"],
    ),
    (
        "a route to nowhere",
        lambda d: d["pages"][1].update(routes=[{"when": {"question": "notes", "answered": True}, "goto": "fourth"}]),
        ["page second", "goto 'fourth' must be a later page"],
    ),
    (
        "a skippable first page",
        lambda d: d["pages"][0].update(show_when={"question": "colour", "equals": "red"}),
        ["page first", "cannot be skipped"],
    ),
    (
        "an empty page",
        lambda d: d["pages"][1].update(questions=[]),
        ["page second", "at least one question or content block"],
    ),
    (
        "details without a summary",
        lambda d: d["pages"][1].update(content=[{"type": "details", "text": {"en": "More"}}]),
        ["page second", "field content.1", "needs a summary"],
    ),
    ("a page called check-answers", lambda d: d["pages"][2].update(id="check-answers"), ["reserved"]),
    (
        "a payment without requires_online",
        lambda d: d.update(
            payment={"description": {"en": "Fee"}, "amount_pence": 1000, "other_ways": {"en": "By phone"}}
        ),
        ["field payment", "cannot be left due", "needs requires_online"],
    ),
    (
        "a payment from a question that is not money",
        lambda d: d.update(
            requires_online=True,
            payment={"description": {"en": "Fee"}, "amount_question": "count", "other_ways": {"en": "By phone"}},
        ),
        ["field payment", "'count' is not a money question"],
    ),
    (
        "an exclusive radio",
        lambda d: q(d, 0, 0)["options"][0].update(exclusive=True),
        ["question colour", "only checkboxes"],
    ),
    ("a newer format", lambda d: d.update(schema_version=2), ["field schema_version"]),
]


@pytest.mark.parametrize(("case", "change", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_definitions_are_rejected_naming_the_place(case: str, change: Any, words: list[str]) -> None:
    message = broken(change)
    assert message.startswith("journey test-journey: "), message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_a_definition_that_is_not_an_object() -> None:
    with pytest.raises(JourneyFormatError, match="journey <not an object>"):
        parse_journey(["a list"])


def test_every_training_journey_still_fails_when_a_page_is_broken() -> None:
    """Breaking any one page of a real journey names that page."""
    for path in TRAINING:
        definition = load(path)
        for i, page in enumerate(definition["pages"]):
            bad = copy.deepcopy(definition)
            bad["pages"][i]["colour"] = "red"
            with pytest.raises(JourneyFormatError) as info:
                parse_journey(bad)
            assert f"page {page['id']}, field colour" in str(info.value)


def test_a_broken_catalogue_names_the_field() -> None:
    with pytest.raises(JourneyFormatError, match=r"catalogue: journeys\.0\.version"):
        parse_catalogue({"journeys": [{"id": "x", "title": {"en": "X"}, "summary": {"en": "X"}, "category": "c"}]})


@pytest.mark.parametrize("path", TRAINING, ids=lambda p: p.stem)
def test_a_journey_served_as_the_portal_serves_it_reads_back_the_same(path: Path) -> None:
    journey = parse_journey(load(path))
    served = json.loads(json.dumps(journey.model_dump(mode="json", exclude_none=True)))
    assert '"not_":' not in json.dumps(served)
    assert parse_journey(served) == journey
