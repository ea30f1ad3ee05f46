"""The DEFRA forms engine (v2) importer: every component, operator and combination, lists, sections, payment,
Welsh, what is left out and its note, and malformed input (a note naming the page and component, never a traceback)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest

from journeys.flow import Flow
from journeys.importers import detect, import_definition
from journeys.importers.defra import convert, looks_like
from journeys.models import parse_journey
from journeys.routing import OPERATORS

ROOT = Path(__file__).resolve().parents[4]
DATA = ROOT / "tests/data/importers/defra"
DEFINITIONS = sorted(p.stem for p in DATA.glob("*.json") if not p.name.endswith(".walks.json"))
CORE18 = "longer_than" in OPERATORS  # the length operators and relative dates (helper core18)
NEEDS_CORE18 = {"fly-tipping-dates"}


def load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", DEFINITIONS)
def test_each_test_definition_imports_validates_and_completes_its_walks(name: str) -> None:
    if name in NEEDS_CORE18 and not CORE18:
        pytest.skip("needs core18's length operators and relative dates")
    imported = import_definition(load(name))
    assert imported.format == "defra"
    assert imported.usable, [str(n) for n in imported.notes if n.severity == "error"]
    flow = Flow(parse_journey(imported.journey))
    walks = json.loads((DATA / f"{name}.walks.json").read_text(encoding="utf-8"))
    assert len(walks) >= 2
    for walk in walks:
        parsed: dict[str, Any] = {}
        visited = []
        page = flow.first_page()
        while page is not None:
            visited.append(page.id)
            answers, errors = flow.check_page(page, walk["answers"], today=dt.date(2026, 11, 25))
            assert not errors, (name, page.id, [(e.question_id, str(e.message)) for e in errors])
            parsed.update(answers)
            page = flow.next_page(page.id, parsed)
        assert visited == walk["pages"], name


def test_every_conditional_page_is_both_shown_and_skipped_by_the_walks() -> None:
    for name in DEFINITIONS:
        journey = convert(load(name)).journey
        assert journey is not None
        walks = json.loads((DATA / f"{name}.walks.json").read_text(encoding="utf-8"))
        for page in journey["pages"]:
            if "show_when" in page:
                shown = [page["id"] in w["pages"] for w in walks]
                assert any(shown) and not all(shown), (name, page["id"])


# -- detection ---------------------------------------------------------------------------------


def test_looks_like_a_v2_definition_or_the_registrys_wrapper_and_nothing_else() -> None:
    assert looks_like(load("waste-carrier"))
    assert looks_like({"metadata": {"title": "x"}, "definition": load("waste-carrier")})
    assert detect(load("rod-licence")) == "defra"
    xgov = {"version": 2, "startPage": "/a", "pages": [], "conditions": [{"name": "c", "value": "a == 1"}]}
    for other in (xgov, {"steps": []}, [], None, "pages", 3, {"pages": "x", "schema": 2}, {"schema": 2}):
        assert not looks_like(other)


# -- a definition of one page, or two (the second reading the first) ----------------------------


def form(*components: dict[str, Any], lists: list[Any] | None = None, then: dict[str, Any] | None = None,
         conditions: list[Any] | None = None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    pages = [{"id": "p1", "path": "/first", "title": "", "components": list(components), "next": []}]
    if then is not None:
        pages.append({"id": "p2", "path": "/second", "title": "Second", "next": [], **then})
    return {"schema": 2, "name": "A form", "pages": pages, "lists": lists or [], "conditions": conditions or [],
            "sections": [], **extra}  # fmt: skip


def field(type_: str, name: str = "answer", **kw: Any) -> dict[str, Any]:
    return {"id": f"c-{name}", "type": type_, "name": name, "title": "The question", "options": {}, **kw}


def kinds(n: int = 3, type_: str = "string") -> dict[str, Any]:
    values: list[Any] = [f"value{i}" for i in range(1, n + 1)] if type_ == "string" else list(range(1, n + 1))
    return {"id": "l1", "name": "kinds", "title": "Kinds", "type": type_,
            "items": [{"id": f"i{i}", "text": f"Kind {i}", "value": v} for i, v in enumerate(values, 1)]}  # fmt: skip


def questions(definition: dict[str, Any]) -> list[dict[str, Any]]:
    imported = import_definition(definition)
    assert imported.usable, [str(n) for n in imported.notes]
    assert imported.journey is not None
    return [q for p in imported.journey["pages"] for q in p.get("questions", [])]


@pytest.mark.parametrize(
    ("component", "expected"),
    [
        (field("TextField", schema={"max": 40}), {"type": "text", "max_length": 40}),
        (field("MultilineTextField", schema={"max": 900}), {"type": "long_text", "max_length": 900}),
        (field("EmailAddressField"), {"type": "email"}),
        (field("TelephoneNumberField"), {"type": "phone"}),
        (field("YesNoField"), {"type": "yes_no"}),
        (field("UkAddressField"), {"type": "address"}),
        (field("DatePartsField", options={"maxDaysInFuture": 0}), {"type": "date", "date_range": "today_or_past"}),
        (field("DatePartsField", options={"maxDaysInPast": 0}), {"type": "date", "date_range": "today_or_future"}),
        (
            field("DatePartsField", options={"maxDaysInPast": 30, "maxDaysInFuture": 0}),
            {"type": "date", "date_rules": {"within_days": 30}},
        ),
        (field("MonthYearField"), {"type": "date"}),
        (field("TimeField"), {"type": "time"}),
        (field("NumberField", schema={"min": 1.5, "max": 9.5}), {"type": "number", "min": 2, "max": 9}),
        (
            field("NumberField", options={"prefix": "£"}, schema={"min": 0.5, "max": 20}),
            {"type": "money", "min": 50, "max": 2000},
        ),
        (field("RadiosField", list="l1"), {"type": "radios"}),
        (field("SelectField", list="kinds"), {"type": "select"}),
        (field("AutocompleteField", list="l1"), {"type": "select"}),
        (field("CheckboxesField", list="l1"), {"type": "checkboxes"}),
        (field("OsGridRefField"), {"type": "text", "max_length": 30}),
        (field("NationalGridFieldNumberField"), {"type": "text"}),
        (field("GeospatialField"), {"type": "long_text"}),
        (field("WebsiteField"), {"type": "text"}),
    ],
)
def test_each_question_component_becomes_its_kiosk_question(
    component: dict[str, Any], expected: dict[str, Any]
) -> None:
    component = {**component, "hint": "Some help", "shortDescription": "Your answer"}
    (q,) = questions(form(component, lists=[kinds()]))
    assert {k: q[k] for k in expected} == expected
    assert q["label"] == {"en": "The question"} and q["hint"] == {"en": "Some help"}
    assert q["error_name"] == {"en": "your answer"} and q["id"] == "answer"


def test_two_part_components_become_two_questions() -> None:
    qs = questions(
        form(field("DateTimePartsField", "visit"), field("EastingNorthingField", "at"), field("LatLongField", "ll"))
    )
    assert [(q["id"], q["type"]) for q in qs] == [
        ("visit", "date"), ("visit-time", "time"), ("at-easting", "number"), ("at-northing", "number"),
        ("ll-latitude", "text"), ("ll-longitude", "text"),
    ]  # fmt: skip


def test_options_keep_values_hints_and_none_of_these_and_number_lists_get_identifiers() -> None:
    lst = kinds(2)
    lst["items"][0]["hint"] = {"text": "First"}
    lst["items"].append({"id": "i9", "text": "None", "value": "None Of These", "extensions": [{"type": "exclusive"}]})
    (q,) = questions(form(field("CheckboxesField", list="l1"), lists=[lst]))
    assert q["options"] == [
        {"value": "value1", "label": {"en": "Kind 1"}, "hint": {"en": "First"}},
        {"value": "value2", "label": {"en": "Kind 2"}},
        {"value": "none-of-these", "label": {"en": "None"}, "exclusive": True},
    ]
    (n,) = questions(form(field("RadiosField", list="l1"), lists=[kinds(2, "number")]))
    assert [o["value"] for o in n["options"]] == ["option-1", "option-2"]


def test_an_optional_question_stays_optional_and_names_are_unique_identifiers() -> None:
    qs = questions(form(field("TextField", "fullName", options={"required": False}), field("TextField", "full_name")))
    assert [(q["id"], q.get("required", True)) for q in qs] == [("full-name", False), ("full-name-2", True)]


def test_welsh_is_kept_as_cy_and_other_languages_are_noted() -> None:
    comp = field("TextField", title={"en": "Your name", "cy": "Eich enw", "fr": "Votre nom"})
    imported = convert(form(comp, name={"en": "Apply", "cy": "Gwneud cais"}))
    assert imported.journey is not None
    assert imported.journey["title"] == {"en": "Apply", "cy": "Gwneud cais"}
    assert imported.journey["pages"][0]["questions"][0]["label"] == {"en": "Your name", "cy": "Eich enw"}
    assert any("fr" in n.what for n in imported.notes)


# -- content, and what the kiosk cannot take --------------------------------------------------


def test_markdown_and_html_become_plain_paragraphs_and_say_what_formatting_was_lost() -> None:
    md = {
        "type": "Markdown",
        "content": "# Heading\n\nRead [the rules](https://x.test).\n\n- one\n- two\n\n![map](m.png)",
    }
    html = {"type": "Html", "content": "<p>Hello <b>you</b></p><script>alert(1)</script><form><input></form>"}
    imported = convert(form(md, html, {"type": "Details", "title": "More", "content": "Hidden words"},
                            {"type": "InsetText", "content": "Inset words"}))  # fmt: skip
    assert imported.journey is not None
    content = imported.journey["pages"][0]["content"]
    assert [b["text"]["en"] for b in content] == [
        "Heading", "Read the rules (https://x.test).", "• one\n• two", "Hello you", "Hidden words", "Inset words",
    ]  # fmt: skip
    assert [b["type"] for b in content][-2:] == ["details", "inset"] and content[-2]["summary"] == {"en": "More"}
    said = {(n.severity, n.what) for n in imported.notes}
    assert any(s == "changed" and "images" in w and "links" in w for s, w in said)
    assert any(s == "left_out" and "script" in w and "form" in w for s, w in said)
    assert "alert" not in json.dumps(imported.journey)


def test_a_file_upload_says_bring_it_to_the_counter_and_a_hidden_field_is_not_asked() -> None:
    imported = convert(form(field("FileUploadField", "proof", title="Proof of address"), field("HiddenField", "ref")))
    assert imported.journey is not None
    (page,) = imported.journey["pages"]
    assert "questions" not in page
    assert "Bring proof of address to the counter" in page["content"][0]["text"]["en"]
    left_out = [n.where for n in imported.notes if n.severity == "left_out"]
    assert left_out == ["page /first, component proof (FileUploadField)", "page /first, component ref (HiddenField)"]


def test_payment_declaration_and_start_list_go_to_the_journey() -> None:
    definition = form(
        {"type": "List", "list": "l1"}, {"type": "Markdown", "content": "Before you start."},
        field("TextField"),
        then={"components": [field("PaymentField", "pay", options={"amount": 12.5, "description": "Permit"}),
                             field("DeclarationField", "dec", content="I confirm this is true.")]},
        lists=[kinds(2)], metadata={"submissionGuidance": "We reply within 10 working days."},
    )  # fmt: skip
    definition["pages"][0]["controller"] = "StartPageController"
    imported = import_definition(definition)
    assert imported.usable and imported.journey is not None
    journey = imported.journey
    assert journey["payment"]["amount_pence"] == 1250 and journey["payment"]["description"] == {"en": "Permit"}
    assert journey["payment"]["pay_at_counter"] is True
    assert journey["declaration"] == {"en": "I confirm this is true."}
    assert journey["start"] == {"you_need": [{"en": "Kind 1"}, {"en": "Kind 2"}]}
    assert journey["confirmation"] == {"en": "We reply within 10 working days."}
    assert [p["id"] for p in journey["pages"]] == ["first"]  # the payment's page asks nothing at the kiosk


def test_a_conditional_reveal_is_asked_on_the_next_page_when_its_option_is_chosen() -> None:
    lst = kinds(2)
    lst["items"][1]["conditional"] = {"components": [field("TextField", "other")]}
    imported = convert(form(field("RadiosField", "kind", list="l1"), lists=[lst]))
    assert imported.journey is not None
    follow = imported.journey["pages"][1]
    assert follow["show_when"] == {"question": "kind", "equals": "value2"} and follow["questions"][0]["id"] == "other"


# -- conditions ---------------------------------------------------------------------------------

RELATIVE_PAST = {"period": 7, "unit": "days", "direction": "in the past"}
RELATIVE_FUTURE = {"period": 2, "unit": "weeks", "direction": "future"}


@pytest.mark.parametrize(
    ("component", "operator", "vtype", "value", "expected"),
    [
        (field("RadiosField", list="l1"), "is", "ListItemRef", {"listId": "l1", "itemId": "i2"}, {"equals": "value2"}),
        (field("RadiosField", list="l1"), "is not", "StringValue", "value1", {"not_equals": "value1"}),
        (field("SelectField", list="l1"), "is", "StringValue", "VALUE3", {"equals": "value3"}),
        (
            field("CheckboxesField", list="l1"),
            "contains",
            "ListItemRef",
            {"listId": "l1", "itemId": "i1"},
            {"contains": "value1"},
        ),
        (
            field("CheckboxesField", list="l1"),
            "does not contain",
            "StringValue",
            "value2",
            {"not": {"contains": "value2"}},
        ),
        (field("YesNoField"), "is", "BooleanValue", True, {"equals": True}),
        (field("YesNoField"), "is not", "BooleanValue", False, {"not_equals": False}),
        (field("TextField"), "is", "StringValue", "Leeds", {"equals": "Leeds"}),
        (field("TextField"), "contains", "StringValue", "urgent", {"contains": "urgent"}),
        (field("MultilineTextField"), "does not contain", "StringValue", "x", {"not": {"contains": "x"}}),
        (field("NumberField"), "is", "NumberValue", 3, {"equals": 3}),
        (field("NumberField"), "is at least", "NumberValue", 3, {"greater_than": 2}),
        (field("NumberField"), "is at most", "NumberValue", 3, {"less_than": 4}),
        (field("NumberField"), "is more than", "NumberValue", 3.5, {"greater_than": 3}),
        (field("NumberField"), "is less than", "NumberValue", 3.5, {"less_than": 4}),
        (field("NumberField", options={"prefix": "£"}), "is at least", "NumberValue", 25, {"greater_than": 2499}),
        (field("DatePartsField"), "is before", "DateValue", "2026-04-01", {"less_than": "2026-04-01"}),
        (field("DatePartsField"), "is after", "DateValue", "2026-04-01", {"greater_than": "2026-04-01"}),
        (field("DatePartsField"), "is at least", "DateValue", "2026-04-01", {"greater_than": "2026-03-31"}),
        (field("DatePartsField"), "is at most", "DateValue", "2026-04-01", {"less_than": "2026-04-02"}),
        (field("DatePartsField"), "is", "DateValue", "2026-04-01", {"equals": "2026-04-01"}),
        (field("TimeField"), "is after", "StringValue", "17:00", {"greater_than": "17:00"}),
        (field("DatePartsField"), "is at least", "RelativeDate", RELATIVE_PAST, {"less_than": {"days_from_today": -6}}),
        (
            field("DatePartsField"),
            "is at most",
            "RelativeDate",
            RELATIVE_PAST,
            {"greater_than": {"days_from_today": -8}},
        ),
        (
            field("DatePartsField"),
            "is less than",
            "RelativeDate",
            RELATIVE_PAST,
            {"greater_than": {"days_from_today": -7}},
        ),
        (
            field("DatePartsField"),
            "is more than",
            "RelativeDate",
            RELATIVE_PAST,
            {"less_than": {"days_from_today": -7}},
        ),
        (
            field("DatePartsField"),
            "is at least",
            "RelativeDate",
            RELATIVE_FUTURE,
            {"greater_than": {"days_from_today": 13}},
        ),
        (
            field("DatePartsField"),
            "is at most",
            "RelativeDate",
            RELATIVE_FUTURE,
            {"less_than": {"days_from_today": 15}},
        ),
        (
            field("DatePartsField"),
            "is less than",
            "RelativeDate",
            RELATIVE_FUTURE,
            {"less_than": {"days_from_today": 14}},
        ),
        (
            field("DatePartsField"),
            "is more than",
            "RelativeDate",
            RELATIVE_FUTURE,
            {"greater_than": {"days_from_today": 14}},
        ),
        (field("TextField"), "is longer than", "NumberValue", 5, {"longer_than": 5}),
        (field("TextField"), "is shorter than", "NumberValue", 5, {"shorter_than": 5}),
        (field("EmailAddressField"), "has length", "NumberValue", 12, {"length_equals": 12}),
        (field("TextField"), "isNotEmpty", "StringValue", "", {"answered": True}),
    ],
)
def test_each_operator_becomes_the_kiosk_comparison_with_the_same_meaning(
    component: dict[str, Any], operator: str, vtype: str, value: Any, expected: dict[str, Any]
) -> None:
    item = {"id": "x", "componentId": "c-answer", "operator": operator, "type": vtype, "value": value}
    definition = form(component, lists=[kinds()], conditions=[{"id": "k", "displayName": "K", "items": [item]}],
                      then={"condition": "k", "components": [field("TextField", "next")]})  # fmt: skip
    imported = convert(definition)
    assert not [n for n in imported.notes if n.severity == "error"], imported.notes
    assert imported.journey is not None
    cond = imported.journey["pages"][1]["show_when"]
    key = next(iter(expected))
    assert cond == (
        {"not": {"question": "answer", **expected[key]}} if key == "not" else {"question": "answer", **expected}
    )


def test_coordinators_and_references_nest_and_a_loop_is_refused_by_name() -> None:
    def cmp(i: str, value: Any) -> dict[str, Any]:
        return {"id": i, "componentId": "c-answer", "operator": "is more than", "type": "NumberValue", "value": value}

    conds = [
        {"id": "a", "displayName": "A", "coordinator": "and", "items": [cmp("1", 1), cmp("2", 2)]},
        {"id": "b", "displayName": "B", "coordinator": "or", "items": [{"id": "3", "conditionId": "a"}, cmp("4", 9)]},
        {"id": "loop", "displayName": "Loop", "items": [{"id": "5", "conditionId": "loop"}]},
    ]
    imported = convert(
        form(field("NumberField"), conditions=conds, then={"condition": "b", "components": [field("TextField", "x")]})
    )
    assert imported.journey is not None
    assert imported.journey["pages"][1]["show_when"] == {"any": [
        {"all": [{"question": "answer", "greater_than": 1}, {"question": "answer", "greater_than": 2}]},
        {"question": "answer", "greater_than": 9},
    ]}  # fmt: skip
    looped = convert(
        form(
            field("NumberField"), conditions=conds, then={"condition": "loop", "components": [field("TextField", "x")]}
        )
    )
    assert any(n.severity == "error" and "Loop" in n.where and "itself" in n.what for n in looped.notes)


def test_links_become_forward_routes_and_a_link_back_or_away_is_noted() -> None:
    definition = form(field("YesNoField", "done"), conditions=[{"id": "k", "displayName": "Done", "items": [
        {"id": "1", "componentId": "c-done", "operator": "is", "type": "BooleanValue", "value": True}]}],
        then={"components": [field("TextField", "x")], "next": [{"path": "/first"}]})  # fmt: skip
    definition["pages"][0]["next"] = [
        {"path": "/summary", "condition": "k"},
        {"path": "/x", "redirect": "https://x.test"},
    ]
    definition["pages"].append({"id": "s", "path": "/summary", "title": "Check", "controller": "SummaryPageController"})
    imported = convert(definition)
    assert imported.journey is not None
    assert imported.journey["pages"][0]["routes"] == [
        {"when": {"question": "done", "equals": True}, "goto": "check-answers"}
    ]
    said = [(n.where, n.severity) for n in imported.notes]
    assert ("page /first, link 2", "left_out") in said and ("page /second, link 1", "left_out") in said


# -- malformed input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("definition", "where", "words"),
    [
        (form(field("TextField", title=7)), "page /first, component answer (TextField)", "title should be words"),
        (form(field("Spinner")), "page /first, component answer (Spinner)", "unknown component type"),
        (form(field("RadiosField", list="missing")), "page /first, component answer (RadiosField)", "'missing'"),
        (form(field("TextField", schema={"max": "lots"})), "page /first, component answer (TextField)", "schema.max"),
        (form(field("TextField", options=[1])), "page /first, component answer (TextField)", "should be objects"),
        (
            form(field("PaymentField", options={"amount": "ten"})),
            "page /first, component answer (PaymentField)",
            "amount",
        ),
        (
            form(field("TextField"), then={"condition": "nope", "components": [field("TextField", "b")]}),
            "page /second",
            "'nope'",
        ),
        (form(field("TextField"), then={"components": "x"}), "page /second", "components should be a list"),
        ({"schema": 2, "pages": [{"path": 3}]}, "page 1", "path"),
        ({"schema": 2, "pages": [[]]}, "page 1", "should be an object"),
        ({"schema": 2, "pages": "x"}, "pages", "should be a list"),
    ],
)
def test_malformed_input_is_named_by_page_and_component(definition: Any, where: str, words: str) -> None:
    imported = convert(definition)
    errors = [n for n in imported.notes if n.severity == "error"]
    assert any(n.where == where and words in n.what for n in errors), [str(n) for n in imported.notes]


def test_a_condition_on_an_answer_the_kiosk_does_not_ask_or_asks_later_is_refused_by_name() -> None:
    item = {"id": "1", "componentId": "c-hidden", "operator": "is", "type": "StringValue", "value": "x"}
    conds = [{"id": "k", "displayName": "K", "items": [item]}]
    imported = convert(
        form(
            field("HiddenField", "hidden"),
            conditions=conds,
            then={"condition": "k", "components": [field("TextField", "b")]},
        )
    )
    assert any(
        n.severity == "error" and "HiddenField" in n.what and "component hidden" in n.where for n in imported.notes
    )
    late = form(field("TextField"), conditions=[{"id": "k", "displayName": "K", "items": [{**item, "componentId": "c-b"}]}],
                then={"condition": "k", "components": [field("TextField", "b")]})  # fmt: skip
    assert any("later" in n.what for n in convert(late).notes if n.severity == "error")


def _vandalise(node: Any, rng: random.Random, depth: int = 0) -> Any:
    """The definition with a few values swapped for the wrong kind of thing (or deep nesting)."""
    if rng.random() < 0.04:
        return rng.choice([None, 7, "words", [], {}, [[[[[[]]]]]], {"a": {"b": {"c": {}}}}, True, -1.5])
    if isinstance(node, dict):
        return {k: _vandalise(v, rng, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [_vandalise(v, rng, depth + 1) for v in node]
    return node


@pytest.mark.parametrize("name", DEFINITIONS)
def test_fuzzed_definitions_never_raise(name: str) -> None:
    original = load(name)
    for seed in range(150):
        broken = _vandalise(copy.deepcopy(original), random.Random(seed))
        imported = convert(broken)
        assert all(isinstance(n.what, str) and n.what for n in imported.notes)
        try:
            import_definition(broken, "defra")
        except ValueError as exc:  # ImportFailed (beyond the limits) is a message, not a traceback
            assert str(exc)
