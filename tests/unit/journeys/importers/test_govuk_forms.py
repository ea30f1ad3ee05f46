"""The GOV.UK Forms importer: every answer type and setting, routing, Welsh, the form's own fields, broken input.

The test definitions in tests/data/importers/govuk-forms are written for these tests from the GOV.UK Forms
documentation (form documents as the forms API publishes them); each must import, validate and be walked
through to the end by the flow engine, its conditions taking both branches.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from journeys.flow import Flow
from journeys.importers import detect, import_definition
from journeys.importers.govuk_forms import convert, looks_like
from journeys.localised import languages_in
from journeys.models import parse_journey

DATA = Path(__file__).resolve().parents[4] / "tests" / "data" / "importers" / "govuk-forms"
DEFINITIONS = sorted(p.stem for p in DATA.glob("*.json") if not p.name.endswith(".walks.json"))
TODAY = dt.date(2026, 11, 25)
SAFETY_NET = "the importer could not read this form"


def load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def step(sid: int, answer_type: str, text: str = "Question", settings: Any = None, **data: Any) -> dict[str, Any]:
    return {
        "id": sid,
        "position": sid,
        "type": "question_page",
        "routing_conditions": data.pop("routing_conditions", []),
        "data": {"question_text": text, "answer_type": answer_type, "answer_settings": settings, **data},
    }


def form(*steps: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"name": "A test form", "what_happens_next_markdown": "We reply in 5 days.", "steps": list(steps), **fields}


def imported(doc: Any) -> dict[str, Any]:
    result = import_definition(doc, "govuk-forms")
    assert result.usable, [str(n) for n in result.notes]
    journey: dict[str, Any] = result.journey  # type: ignore[assignment]
    parse_journey(journey)
    return journey


def questions(journey: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for p in journey["pages"] for q in p.get("questions", [])]


def walk(journey: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    flow = Flow(parse_journey(journey))
    page, seen, parsed = flow.first_page(), [], {}
    while page is not None:
        seen.append(page.id)
        got, errors = flow.check_page(page, answers, today=TODAY)
        assert not errors, (page.id, [(e.question_id, str(e.message)) for e in errors])
        parsed.update(got)
        page = flow.next_page(page.id, parsed)
    return seen


# -- the test definitions ---------------------------------------------------------------------


def test_there_are_definitions_with_walks() -> None:
    assert {"all-answer-types", "routing", "welsh"} <= set(DEFINITIONS)
    assert all((DATA / f"{name}.walks.json").exists() for name in DEFINITIONS)


@pytest.mark.parametrize("name", DEFINITIONS)
def test_each_definition_imports_and_its_walks_complete(name: str) -> None:
    doc = load(name)
    assert looks_like(doc) and detect(doc) == "govuk-forms"
    journey = imported(doc)
    walks = json.loads((DATA / f"{name}.walks.json").read_text(encoding="utf-8"))
    for w in walks:
        assert walk(journey, w["answers"]) == w["pages"]
    visited = {p for w in walks for p in w["pages"]}
    conditional = [p["id"] for p in journey["pages"] if p.get("show_when") or p.get("routes")]
    assert conditional and all(p in visited for p in conditional)  # every branch point is walked through


def test_every_answer_type_of_the_format_is_in_a_definition() -> None:
    types = {s["data"]["answer_type"] for name in DEFINITIONS for doc in _docs(load(name)) for s in doc["steps"]}
    assert types >= {"name", "organisation_name", "email", "phone_number", "national_insurance_number", "address",
                     "date", "selection", "number", "text", "file"}  # fmt: skip


def _docs(data: Any) -> list[dict[str, Any]]:
    items = data if isinstance(data, list) else [data]
    return [i.get("content", i) for i in items]


# -- answer types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer_type", "settings", "types"),
    [
        ("text", {"input_type": "single_line"}, ["text"]),
        ("text", {"input_type": "long_text"}, ["long_text"]),
        ("text", None, ["text"]),
        ("single_line", None, ["text"]),
        ("long_text", None, ["long_text"]),
        ("organisation_name", None, ["text"]),
        ("email", None, ["email"]),
        ("phone_number", None, ["phone"]),
        ("national_insurance_number", None, ["text"]),
        ("number", None, ["number"]),
        ("date", {"input_type": "other_date"}, ["date"]),
        ("date", {"input_type": "date_of_birth"}, ["date"]),
        ("name", {"input_type": "full_name", "title_needed": "false"}, ["text"]),
        ("name", {"input_type": "full_name", "title_needed": "true"}, ["text", "text"]),
        ("name", {"input_type": "first_and_last_name", "title_needed": False}, ["text", "text"]),
        ("name", {"input_type": "first_middle_and_last_name", "title_needed": True}, ["text"] * 4),
        ("address", {"input_type": {"uk_address": "true", "international_address": "false"}}, ["address"]),
        ("address", None, ["address"]),
        ("address", {"input_type": {"uk_address": "false", "international_address": "true"}}, ["long_text", "text"]),
        (
            "address",
            {"input_type": {"uk_address": True, "international_address": True}},
            ["radios", "address", "long_text", "text"],
        ),
        ("selection", {"only_one_option": "true", "selection_options": [{"name": "A"}, {"name": "B"}]}, ["radios"]),
        ("selection", {"only_one_option": "0", "selection_options": [{"name": "A"}, {"name": "B"}]}, ["checkboxes"]),
        (
            "selection",
            {"only_one_option": "true", "selection_options": [{"name": f"O{n}"} for n in range(31)]},
            ["select"],
        ),
        ("file", None, []),
    ],
)
def test_answer_types(answer_type: str, settings: Any, types: list[str]) -> None:
    journey = imported(form(step(1, "email", "Your email?"), step(2, answer_type, "The question?", settings)))
    assert [q["type"] for q in questions(journey)][1:] == types


def test_hint_optional_heading_guidance_and_short_name() -> None:
    s = step(1, "text", "What is the event?", {"input_type": "single_line"}, hint_text="A few words.", is_optional=True,
             page_heading="About the event", guidance_markdown="First.\n\nSecond [rules](https://x.example).",
             question_short_name="Event name")  # fmt: skip
    page = imported(form(s))["pages"][0]
    q = page["questions"][0]
    assert q["hint"] == {"en": "A few words."} and q["required"] is False and q["error_name"] == {"en": "event name"}
    assert page["title"] == {"en": "About the event"}
    assert [b["text"]["en"] for b in page["content"]] == ["First.", "Second rules (https://x.example)."]


def test_date_of_birth_is_not_in_the_future_and_numbers_are_not_negative() -> None:
    journey = imported(form(step(1, "date", "Born?", {"input_type": "date_of_birth"}), step(2, "number", "How many?")))
    born, count = questions(journey)
    assert born["date_range"] == "today_or_past" and count["min"] == 0


def test_optional_selection_gets_none_of_the_above_and_its_follow_up() -> None:
    options = [{"name": "Red"}, {"name": "Blue"}]
    follow = {"question_text": "Which colour then?", "is_optional": "true"}
    radios = step(1, "selection", "Colour?", {"only_one_option": "true", "selection_options": options,
                                              "none_of_the_above_question": follow}, is_optional=True)  # fmt: skip
    boxes = step(
        2, "selection", "Colours?", {"only_one_option": "false", "selection_options": options}, is_optional=True
    )
    journey = imported(form(radios, boxes))
    first, other, second = journey["pages"]
    assert [o["value"] for o in first["questions"][0]["options"]] == ["red", "blue", "none-of-the-above"]
    assert first["questions"][0].get("required", True) is True  # GOV.UK: optional means "None of the above" is offered
    assert other["show_when"] == {"question": "colour", "equals": "none-of-the-above"}
    assert other["questions"][0]["required"] is False
    assert second["questions"][0]["options"][-1] == {"value": "none-of-the-above", "label": {"en": "None of the above"},
                                                     "exclusive": True}  # fmt: skip
    assert walk(journey, {"colour": "red", "colours": ["blue"]}) == ["colour", "colours"]
    assert walk(journey, {"colour": "none-of-the-above", "colour-other": "", "colours": ["none-of-the-above"]}) == [
        "colour", "colour-other", "colours"]  # fmt: skip


def test_file_becomes_bring_it_to_the_counter_with_a_note() -> None:
    result = convert(form(step(1, "email", "Email?"), step(2, "file", "Upload your certificate")))
    page = result.journey["pages"][1]  # type: ignore[index]
    assert "questions" not in page and "bring it to the counter" in page["content"][-1]["text"]["en"]
    assert any(n.severity == "left_out" and "page 2 (step 2" in n.where and "file" in n.where for n in result.notes)


def test_repeatable_text_is_asked_as_lines_and_others_once_with_notes() -> None:
    result = convert(form(step(1, "text", "Who?", {"input_type": "single_line"}, is_repeatable=True),
                          step(2, "email", "Email?", is_repeatable=True)))  # fmt: skip
    assert [q["type"] for q in questions(result.journey)] == ["long_text", "email"]  # type: ignore[arg-type]
    assert [n.where.split(",")[0] for n in result.notes if "is_repeatable" in n.what] == [
        "page 1 (step 1",
        "page 2 (step 2",
    ]


# -- routing ----------------------------------------------------------------------------------


def _yes_no(sid: int, text: str, *conditions: dict[str, Any], optional: bool = False) -> dict[str, Any]:
    settings = {"only_one_option": "true", "selection_options": [{"name": "Yes"}, {"name": "No"}]}
    return step(sid, "selection", text, settings, is_optional=optional, routing_conditions=list(conditions))


def _cond(routing: int, check: int, value: Any, goto: Any = None, **more: Any) -> dict[str, Any]:
    return {"routing_page_id": routing, "check_page_id": check, "answer_value": value, "goto_page_id": goto, **more}


def test_a_route_goes_forward_on_an_answer_and_both_branches_walk() -> None:
    journey = imported(
        form(_yes_no(1, "Business?", _cond(1, 1, "Yes", 3)), step(2, "text", "Name?"), step(3, "email", "Email?"))
    )
    assert journey["pages"][0]["routes"] == [{"when": {"question": "business", "equals": "yes"}, "goto": "email"}]
    assert walk(journey, {"business": "yes", "email": "a@example.com"}) == ["business", "email"]
    assert walk(journey, {"business": "no", "name": "Ada", "email": "a@example.com"}) == ["business", "name", "email"]


def test_skip_to_end_and_a_skip_for_everyone_at_the_end_of_a_branch() -> None:
    doc = form(_yes_no(1, "Business?", _cond(1, 1, "Yes", 3)), step(2, "text", "Name?", routing_conditions=[_cond(2, 1, None, 4)]),
               step(3, "text", "Company?"), _yes_no(4, "More?", _cond(4, 4, "No", skip_to_end=True)), step(5, "text", "What?"))  # fmt: skip
    journey = imported(doc)
    assert walk(journey, {"business": "no", "name": "Ada", "more": "no"}) == ["business", "name", "more"]
    assert walk(journey, {"business": "yes", "company": "Acme", "more": "yes", "what": "x"}) == [
        "business",
        "company",
        "more",
        "what",
    ]
    assert journey["pages"][1]["routes"][0]["when"]["any"][0] == {"question": "name", "answered": True}


def test_checkboxes_route_on_a_ticked_option() -> None:
    settings = {"only_one_option": "false", "selection_options": [{"name": "Tyres"}, {"name": "Glass"}]}
    doc = form(
        step(1, "selection", "What?", settings, routing_conditions=[_cond(1, 1, "Tyres", 3)]),
        step(2, "text", "Why?"),
        step(3, "text", "When?"),
    )
    journey = imported(doc)
    assert journey["pages"][0]["routes"][0]["when"] == {"question": "what", "contains": "tyres"}
    assert walk(journey, {"what": ["tyres", "glass"], "when": "now"}) == ["what", "when"]


def test_a_route_on_none_of_the_above_leaves_from_its_follow_up_page() -> None:
    settings = {"only_one_option": "true", "selection_options": [{"name": "A"}, {"name": "B"}],
                "none_of_the_above_question": {"question_text": "What then?"}}  # fmt: skip
    doc = form(step(1, "selection", "Which?", settings, is_optional=True, routing_conditions=[_cond(1, 1, "none_of_the_above", 3)]),
               step(2, "text", "Why?"), step(3, "text", "When?"))  # fmt: skip
    journey = imported(doc)
    assert walk(journey, {"which": "none-of-the-above", "which-other": "C", "when": "now"}) == [
        "which",
        "which-other",
        "when",
    ]
    assert walk(journey, {"which": "a", "why": "x", "when": "now"}) == ["which", "why", "when"]


def test_an_exit_page_is_shown_on_its_answer_then_check_answers() -> None:
    exit_cond = _cond(1, 1, "Yes", exit_page_heading="Phone us instead", exit_page_markdown="Call 0113 496 0000.")
    result = convert(form(_yes_no(1, "Urgent?", exit_cond), step(2, "text", "What?")))
    journey = result.journey
    assert journey is not None
    exit_page = journey["pages"][1]
    assert exit_page["title"] == {"en": "Phone us instead"} and exit_page["content"][0]["text"] == {
        "en": "Call 0113 496 0000."
    }
    assert walk(journey, {"urgent": "yes"}) == ["urgent", "urgent-exit"]
    assert walk(journey, {"urgent": "no", "what": "x"}) == ["urgent", "what"]
    assert any(n.severity == "changed" and "exit page" in n.what for n in result.notes)


def test_a_jump_back_is_left_out_with_a_note() -> None:
    result = convert(
        form(step(1, "text", "Name?"), _yes_no(2, "Again?", _cond(2, 2, "Yes", 1)), step(3, "text", "What?"))
    )
    assert result.usable and "routes" not in result.journey["pages"][1]  # type: ignore[index]
    assert [n.severity for n in result.notes if "go back" in n.what or "goes back" in n.what] == ["left_out"]


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (_cond(2, 2, "Maybe", 3), "answer_value 'Maybe' is not an option"),
        (_cond(2, 2, "Yes", 99), "goto_page_id 99 is not a page"),
        (_cond(2, 7, "Yes", 3), "check_page_id 7 is not a page"),
        (_cond(2, 1, "Yes", 3), "is not a selection question"),
        (_cond(2, 3, "Yes", 3), "reads the answer of a later page"),
        (_cond(2, 2, "Yes"), "neither goto_page_id nor skip_to_end"),
        (_cond(2, 2, 5, 3), "answer_value 5 is not an option"),
    ],
)
def test_a_broken_route_is_an_error_naming_the_page_and_condition(condition: dict[str, Any], words: str) -> None:
    result = convert(form(step(1, "text", "Name?"), _yes_no(2, "Again?", condition), _yes_no(3, "Other?")))
    errors = [n for n in result.notes if n.severity == "error"]
    assert (
        len(errors) == 1
        and words in errors[0].what
        and errors[0].where.startswith('page 2 (step 2, "Again?"), routing')
    )


# -- Welsh and English ------------------------------------------------------------------------


def test_welsh_document_gives_every_text_in_welsh_and_routes_by_the_english_answer() -> None:
    journey = parse_journey(imported(load("welsh")))
    assert languages_in(journey) == {"en", "cy"}
    assert journey.pages[0].questions[0].options[2].label.get("cy") == "Gwastraff gardd"
    assert journey.declaration is not None and journey.declaration.get("cy").startswith("Drwy anfon hwn")


def test_texts_given_as_english_and_welsh_objects() -> None:
    s = step(1, "selection", {"en": "Which?", "cy": "Pa un?"},  # type: ignore[arg-type]
             {"only_one_option": "true", "selection_options": [{"name": {"en": "A", "cy": "Ah"}}, {"name": {"en": "B", "cy": "Bi"}}]},
             is_optional=True)  # fmt: skip
    journey = imported(
        form(s, name={"en": "Form", "cy": "Ffurflen"}, what_happens_next_markdown={"en": "Done", "cy": "Wedi"})
    )
    q = questions(journey)[0]
    assert q["label"] == {"en": "Which?", "cy": "Pa un?"} and q["options"][2]["label"]["cy"] == "Dim un o’r uchod"
    assert languages_in(parse_journey(journey)) == {"en", "cy"}


def test_a_welsh_only_form_and_a_missing_welsh_document_are_noted() -> None:
    welsh = convert(form(step(1, "text", "Beth?"), language="cy", name="Ffurflen"))
    assert welsh.journey is not None and welsh.journey["title"] == {"en": "Ffurflen", "cy": "Ffurflen"}
    assert any(n.severity == "changed" and "Welsh only" in n.what for n in welsh.notes)
    english = convert(form(step(1, "text", "What?"), available_languages=["en", "cy"]))
    assert any("Welsh version that is not in this file" in n.what for n in english.notes)
    assert "cy" not in english.journey["title"]  # type: ignore[index]


# -- the form's own fields --------------------------------------------------------------------


def test_declaration_what_happens_next_payment_and_support() -> None:
    doc = form(step(1, "text", "What?"), declaration_text="I confirm it is true.", payment_url="https://pay.example/x",
               what_happens_next_markdown="We reply in **5 days**.", support_phone="0113 496 0000",
               support_url="https://council.example/help", support_url_text="Help page", form_slug="my-form")  # fmt: skip
    result = convert(doc)
    journey = result.journey
    assert (
        journey is not None and journey["id"] == "my-form" and journey["declaration"] == {"en": "I confirm it is true."}
    )
    assert journey["confirmation"]["en"].startswith("We reply in 5 days.\n\n")
    assert "Pay online at https://pay.example/x" in journey["confirmation"]["en"] and "payment" not in journey
    assert (
        journey["start"]["other_ways"]["en"]
        == "For help with this form: phone 0113 496 0000, or Help page (https://council.example/help)."
    )
    assert any(n.severity == "changed" and "payment" in n.what for n in result.notes)
    assert convert(doc, journey_id="hall-booking").journey["id"] == "hall-booking"  # type: ignore[index]


def test_the_api_wrapper_and_a_form_with_no_what_happens_next() -> None:
    doc = {"id": 1, "form_id": 1, "tag": "live", "content": {"name": "Wrapped", "steps": [step(1, "email", "Email?")]}}
    result = convert(doc)
    assert result.journey is not None and result.journey["title"] == {"en": "Wrapped"}
    assert "Keep your reference" in result.journey["confirmation"]["en"]
    assert any(n.severity == "changed" and "what_happens_next_markdown" in n.what for n in result.notes)


@pytest.mark.parametrize(
    "data",
    [None, 5, "steps", [], {}, {"pages": [{"path": "/a", "components": []}]}, {"steps": "x"}, {"steps": [5]}, [1, 2]],
)
def test_looks_like_other_things(data: Any) -> None:
    assert looks_like(data) is False


# -- malformed input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "where", "words"),
    [
        ({"steps": []}, "", "no steps"),
        ({"name": "F", "steps": [5]}, "page 1", "a step is an object"),
        (form(step(1, "colour")), 'page 1 (step 1, "Question"), answer_type colour', "not one GOV.UK Forms has"),
        (form(step(1, "text", 42)), "page 1 (step 1)", "question_text is not text"),  # type: ignore[arg-type]
        (form(step(1, "text", "Q", ["single_line"])), 'page 1 (step 1, "Q")', "answer_settings is not an object"),
        (
            form(step(1, "selection", "Q", {"selection_options": {"name": "A"}})),
            "answer_type selection",
            "selection_options is not a list",
        ),
        (
            form(step(1, "selection", "Q", {"selection_options": [{"name": 3}, {"name": "B"}]})),
            "selection_options 1",
            "name is not text",
        ),
        (
            form(step(1, "selection", "Q", {"selection_options": [{"name": "A"}]})),
            "answer_type selection",
            "at least two options",
        ),
        (
            form(step(1, "text", "Q", is_optional="maybe")),
            'page 1 (step 1, "Q")',
            "is_optional should be true or false",
        ),
        (
            form(step(1, "text", "Q", routing_conditions="x")),
            'page 1 (step 1, "Q")',
            "routing_conditions is not a list",
        ),
        (
            form(step(1, "text", "Q", routing_conditions=[[1]])),
            "routing condition 1",
            "a routing condition is an object",
        ),
        (form(step(1, "text", "Q"), step(1, "text", "R")), "page 2 (step 1)", "a second step with this id"),
        (form(dict(step(1, "text"), type="exit_page")), "page 1 (step 1", "not a question page"),
        (
            form(step(1, "address", "Q", {"input_type": {"uk_address": "false", "international_address": "false"}})),
            "answer_type address",
            "neither uk_address",
        ),
        ({"language": "fr", "steps": [step(1, "text")]}, "document 1", "neither English"),
        (form(step(1, "text", "Q"), name=["x"]), "", "name is not text"),
    ],
)
def test_malformed_input_is_an_error_naming_the_page_and_component(doc: Any, where: str, words: str) -> None:
    result = convert(doc)
    errors = [n for n in result.notes if n.severity == "error"]
    assert any(where in n.where and words in n.what for n in errors), [str(n) for n in result.notes]
    assert not result.usable and all(SAFETY_NET not in n.what for n in result.notes)


_WRONG = [None, 7, -1.5, True, "", "x", [], [[[]]], {}, {"en": 5}, {"a": {"b": {"c": []}}}]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(value, dict):
        for key, inner in value.items():
            out += _paths(inner, (*path, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            out += _paths(inner, (*path, n))
    return out


def _replaced(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


@pytest.mark.parametrize("name", ["routing", "welsh"])
def test_every_value_of_a_definition_replaced_by_a_wrong_one_never_raises(name: str) -> None:
    doc = load(name)
    for path in _paths(doc):
        for wrong in _WRONG:
            result = import_definition(_replaced(doc, path, wrong), "govuk-forms")
            assert all(SAFETY_NET not in n.what for n in result.notes), (path, wrong, [str(n) for n in result.notes])
            assert all(isinstance(n.where, str) and n.what for n in result.notes)
