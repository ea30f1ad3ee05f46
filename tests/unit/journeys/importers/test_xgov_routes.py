"""The XGovFormBuilder importer: conditions (every operator, and/or, references, groups, strings), routes, fees, broken input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from journeys.flow import Flow
from journeys.importers import import_definition
from journeys.importers.xgov import convert, looks_like
from journeys.models import parse_journey
from tests.unit.journeys.importers.test_xgov import COLOURS, CORE18, field, form, notes, page

TODAY = dt.date(2026, 11, 25)
TYPES = {"colour": "RadiosField", "colours": "CheckboxesField", "n": "NumberField", "d": "DateField", "t": "TimeField",
         "words": "TextField", "ok": "YesNoField", "cost": "NumberField"}  # fmt: skip


def asking(condition: Any, *, names: tuple[str, ...] = tuple(TYPES)) -> dict[str, Any]:
    """A definition that asks the named fields on /a, then goes to /yes when the condition holds, else /no."""
    comps = []
    for name in names:
        extra: dict[str, Any] = {"list": "colours"} if TYPES[name] in ("RadiosField", "CheckboxesField") else {}
        if name == "cost":
            extra["options"] = {"prefix": "£"}
        comps.append({**field(TYPES[name], name), **extra, "options": {"required": False, **extra.get("options", {})}})
    return form(
        page("/a", *comps, section="s", next=[{"path": "/yes", "condition": "c"}, {"path": "/no"}]),
        page("/yes", field("TextField", "y")),
        page("/no", field("TextField", "z")),
        sections=[{"name": "s", "title": "S"}],
        lists=[COLOURS],
        conditions=[{"name": "c", "displayName": "c", "value": condition}],
    )


def when(imported: Any) -> Any:
    return imported.journey["pages"][0]["routes"][0]["when"]


def structured(name: str, operator: str, value: Any, coordinator: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"field": {"name": f"s.{name}", "type": TYPES[name], "display": name}, "operator": operator}
    item["value"] = value if isinstance(value, dict) else {"type": "Value", "value": value, "display": value}
    if coordinator:
        item["coordinator"] = coordinator
    return item


def goes_to(imported: Any, raw: dict[str, Any]) -> str:
    flow = Flow(parse_journey(imported.journey))
    parsed, errors = flow.check_page(flow.first_page(), raw, today=TODAY)
    assert errors == []
    nxt = flow.next_page("a", parsed)
    return nxt.id if nxt else "check-answers"


# operator, field, value; the kiosk condition; an answer that holds; one that does not
OPERATORS = [
    ("is", "colour", "green", {"question": "colour", "equals": "green"}, {"colour": "green"}, {"colour": "red"}),
    ("is not", "colour", "green", {"question": "colour", "not_equals": "green"}, {"colour": "red"}, {"colour": "green"}),
    ("is", "ok", "true", {"question": "ok", "equals": True}, {"ok": "yes"}, {"ok": "no"}),
    ("is not", "ok", "true", {"question": "ok", "not_equals": True}, {"ok": "no"}, {"ok": "yes"}),
    ("contains", "colours", "blue", {"question": "colours", "contains": "blue"}, {"colours": ["red", "blue"]}, {"colours": ["red"]}),
    ("does not contain", "colours", "blue", {"not": {"question": "colours", "contains": "blue"}}, {"colours": ["red"]}, {"colours": ["blue"]}),
    ("is at least", "n", "5", {"question": "n", "greater_than": 4}, {"n": "5"}, {"n": "4"}),
    ("is at most", "n", "5", {"question": "n", "less_than": 6}, {"n": "5"}, {"n": "6"}),
    ("is less than", "n", "5", {"question": "n", "less_than": 5}, {"n": "4"}, {"n": "5"}),
    ("is more than", "n", "5", {"question": "n", "greater_than": 5}, {"n": "6"}, {"n": "5"}),
    ("is more than", "n", "2.5", {"question": "n", "greater_than": 2}, {"n": "3"}, {"n": "2"}),
    ("is at least", "cost", "10.50", {"question": "cost", "greater_than": 1049}, {"cost": "10.50"}, {"cost": "10.49"}),
    ("is", "n", "3", {"question": "n", "equals": 3}, {"n": "3"}, {"n": "4"}),
    ("is before", "d", "2026-01-01", {"question": "d", "less_than": "2026-01-01"},
     {"d": {"day": "31", "month": "12", "year": "2025"}}, {"d": {"day": "1", "month": "1", "year": "2026"}}),
    ("is after", "d", "2026-01-01", {"question": "d", "greater_than": "2026-01-01"},
     {"d": {"day": "2", "month": "1", "year": "2026"}}, {"d": {"day": "1", "month": "1", "year": "2026"}}),
    ("is", "d", "2026-01-01", {"question": "d", "equals": "2026-01-01"},
     {"d": {"day": "1", "month": "1", "year": "2026"}}, {"d": {"day": "2", "month": "1", "year": "2026"}}),
    ("is before", "t", "12:00", {"question": "t", "less_than": "12:00"}, {"t": "11:59"}, {"t": "12:00"}),
    ("is after", "t", "12:00", {"question": "t", "greater_than": "12:00"}, {"t": "12:01"}, {"t": "12:00"}),
    ("is", "words", "Yes please", {"question": "words", "equals": "Yes please"}, {"words": "Yes please"}, {"words": "No"}),
    ("is not", "words", "No", {"question": "words", "not_equals": "No"}, {"words": "Yes"}, {"words": "No"}),
]  # fmt: skip
CORE18_OPERATORS = [
    ("is longer than", "words", "3", {"question": "words", "longer_than": 3}, {"words": "abcd"}, {"words": "abc"}),
    ("is shorter than", "words", "3", {"question": "words", "shorter_than": 3}, {"words": "ab"}, {"words": "abc"}),
    ("has length", "words", "3", {"question": "words", "length_equals": 3}, {"words": "abc"}, {"words": "ab"}),
]


@pytest.mark.parametrize(("operator", "name", "value", "expected", "holds", "fails"), OPERATORS + CORE18_OPERATORS)
def test_each_structured_operator_becomes_a_kiosk_condition_and_routes_both_ways(
    operator: str, name: str, value: str, expected: Any, holds: Any, fails: Any
) -> None:
    imported = convert(asking({"name": "c", "conditions": [structured(name, operator, value)]}))
    assert not notes(imported, "error")
    route = imported.journey["pages"][0]["routes"]  # type: ignore[index]
    # the condition goes to /yes, the page after /a: its opposite routes to /no
    assert route == [{"when": _negated(expected), "goto": "no"}]
    if not CORE18 and any(op in str(expected) for op in ("longer_than", "shorter_than", "length_equals")):
        pytest.skip("the length operators are the core's (h-core18)")
    assert goes_to(imported, holds) == "yes"
    assert goes_to(imported, fails) == "no"


def _negated(c: dict[str, Any]) -> dict[str, Any]:
    if set(c) == {"not"}:
        return c["not"]  # type: ignore[no-any-return]
    if set(c) == {"question", "equals"}:
        return {"question": c["question"], "not_equals": c["equals"]}
    if set(c) == {"question", "not_equals"}:
        return {"question": c["question"], "equals": c["not_equals"]}
    return {"not": c}


@pytest.mark.parametrize(
    ("operator", "period", "direction", "expected"),
    [
        ("is at least", "7", "in the past", {"less_than": {"days_from_today": -6}}),
        ("is at most", "7", "in the past", {"greater_than": {"days_from_today": -8}}),
        ("is less than", "7", "in the past", {"greater_than": {"days_from_today": -7}}),
        ("is more than", "7", "in the past", {"less_than": {"days_from_today": -7}}),
        ("is at least", "2", "in the future", {"greater_than": {"days_from_today": 1}}),
        ("is more than", "1", "in the future", {"greater_than": {"days_from_today": 1}}),
        ("is less than", "1", "years", None),
    ],
)
def test_relative_dates_become_days_from_today(operator: str, period: str, direction: str, expected: Any) -> None:
    value = {
        "type": "RelativeTime",
        "timePeriod": period,
        "timeUnit": "days",
        "direction": direction,
        "timeOnly": False,
    }
    if expected is None:  # a year in the future, counted as 365 days, with a note
        value = {**value, "timeUnit": "years", "direction": "in the future"}
        expected = {"less_than": {"days_from_today": 365}}
    imported = convert(asking({"name": "c", "conditions": [structured("d", operator, value)]}))
    assert _negated(when(imported)) == {"question": "d", **expected}
    if value["timeUnit"] == "years":
        assert any("365 days" in n for n in notes(imported, "changed"))


def test_and_binds_tighter_than_or_and_references_and_groups_are_kept() -> None:
    cond = {"name": "c", "conditions": [
        structured("colour", "is", "red"),
        structured("n", "is more than", "5", "and"),
        {"coordinator": "or", "conditionName": "other", "conditionDisplayName": "other"},
        {"coordinator": "and", "conditions": [structured("ok", "is", "true"), structured("colours", "contains", "blue", "or")]},
    ]}  # fmt: skip
    data = asking(cond)
    data["conditions"].append({"name": "other", "displayName": "o", "value": "s.words == 'x'"})
    imported = import_definition(data)
    assert imported.usable, notes(imported)
    assert _negated(when(imported)) == {"any": [
        {"all": [{"question": "colour", "equals": "red"}, {"question": "n", "greater_than": 5}]},
        {"all": [{"question": "words", "equals": "x"},
                 {"any": [{"question": "ok", "equals": True}, {"question": "colours", "contains": "blue"}]}]},
    ]}  # fmt: skip
    assert goes_to(imported, {"colour": "red", "n": "6"}) == "yes"
    assert goes_to(imported, {"words": "x", "colours": ["blue"]}) == "yes"
    assert goes_to(imported, {"words": "x"}) == "no"
    assert goes_to(imported, {"colour": "red", "n": "5", "ok": "yes"}) == "no"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("s.colour == 'green'", {"question": "colour", "equals": "green"}),
        ("'green' == colour", {"question": "colour", "equals": "green"}),
        (
            "colour != 'green' and ok == true",
            {"all": [{"question": "colour", "not_equals": "green"}, {"question": "ok", "equals": True}]},
        ),
        (
            "not (colour == 'red' or n < 3)",
            {"not": {"any": [{"question": "colour", "equals": "red"}, {"question": "n", "less_than": 3}]}},
        ),
        ("'red' in colours", {"question": "colours", "contains": "red"}),
        ("n >= 5 and n <= 10", {"all": [{"question": "n", "greater_than": 4}, {"question": "n", "less_than": 11}]}),
        ("3 < n", {"question": "n", "greater_than": 3}),
        ("d <= '2026-02-28'", {"question": "d", "less_than": "2026-03-01"}),
        ("t >= '09:30'", {"question": "t", "greater_than": "09:29"}),
        ("ok", {"question": "ok", "equals": True}),
        ("words", {"question": "words", "answered": True}),
        ("length(words) > 3", {"question": "words", "longer_than": 3}),
        ("d < dateForComparison(-7, 'days')", {"question": "d", "less_than": {"days_from_today": -7}}),
    ],
)
def test_expression_strings_are_read(expression: str, expected: Any) -> None:
    imported = convert(asking(expression))
    assert not notes(imported, "error"), notes(imported)
    assert _negated(when(imported)) == expected


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("colour == ", "ends where a value"),
        ("colour === 'x'", "cannot be read"),
        ("nosuch == 'x'", "no input field 'nosuch'"),
        ("colour == 'purple'", "'purple' is not an item"),
        ("t > timeForComparison(1, 'hours')", "time relative to now"),
        ("(" * 40 + "ok" + ")" * 40, "nested more than"),
        ("true", "always true"),
        ("colour > 3", "cannot be compared"),
        ({"name": "c", "conditions": [{"conditionName": "c", "conditionDisplayName": "c"}]}, "refers to itself"),
        (
            {"name": "c", "conditions": [structured("n", "is more than", "1"), structured("n", "is less than", "9")]},
            "coordinator",
        ),
        ({"name": "c", "conditions": [structured("n", "is roughly", "1")]}, "'is roughly' is not one"),
        ({"name": "c", "conditions": []}, "empty"),
        (42, "neither an expression"),
    ],
)
def test_a_condition_that_cannot_be_kept_is_an_error_naming_the_page_and_link(condition: Any, words: str) -> None:
    imported = import_definition(asking(condition))
    errors = notes(imported, "error")
    assert any("page /a, next link 1" in e and words in e for e in errors), errors
    assert not imported.usable
    parse_journey(imported.journey)  # the rest of the journey is still whole


# -- pages and routes ------------------------------------------------------------------------------


def test_pages_go_in_an_order_where_every_link_goes_forward() -> None:
    # /a -> /c (if big) or /b; /b -> /d; /c -> /d: the default is kept straight after, the other routed
    data = form(
        page("/a", field("NumberField", "n"), next=[{"path": "/c", "condition": "big"}, {"path": "/b"}]),
        page("/b", field("TextField", "b"), next=[{"path": "/d"}]),
        page("/c", field("TextField", "c"), next=[{"path": "/d"}]),
        page("/d", field("TextField", "d")),
        conditions=[{"name": "big", "value": "n > 10"}],
    )
    imported = import_definition(data)
    assert imported.usable, notes(imported)
    flow = Flow(parse_journey(imported.journey))
    assert [p.id for p in flow.route({"n": 11, "c": "x", "d": "y"})] == ["a", "c", "d"]
    assert [p.id for p in flow.route({"n": 1, "b": "x", "d": "y"})] == ["a", "b", "d"]


def test_a_link_back_a_redirect_an_unknown_page_and_an_unreachable_one_are_noted() -> None:
    data = form(
        page("/a", field("TextField", "a"), next=[{"path": "/b"}]),
        page("/b", field("YesNoField", "more"), next=[
            {"path": "/a", "condition": "again"}, {"redirect": "https://example.org"}, {"path": "/nowhere"}, {"path": "/summary"},
        ]),
        page("/lost", field("TextField", "lost"), next=[]),
        conditions=[{"name": "again", "value": "more == true"}],
    )  # fmt: skip
    imported = import_definition(data)
    assert [p["id"] for p in imported.journey["pages"]] == ["a", "b"]  # type: ignore[index]
    text = notes(imported)
    assert any("page /b, next link 1" in n and "way back" in n for n in text)
    assert any("page /b, next link 2" in n and "out of the form" in n for n in text)
    assert any("page /b, next link 3" in n and "'/nowhere'" in n for n in text)
    assert any("page /lost" in n and "no link from the start page" in n for n in text)


def test_a_condition_on_a_later_answer_cannot_route() -> None:
    data = form(
        page("/a", field("TextField", "a"), next=[{"path": "/c", "condition": "late"}, {"path": "/b"}]),
        page("/b", field("TextField", "b")),
        page("/c", field("TextField", "c")),
        conditions=[{"name": "late", "value": "c == 'x'"}],
    )
    errors = notes(import_definition(data), "error")
    assert any("page /a, next link 1" in e and "not asked before this point" in e for e in errors)


# -- fees ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fees", "expected"),
    [
        ([{"description": "Permit", "amount": 3000}], {"amount_pence": 3000}),
        ([{"description": "A", "amount": 1000}, {"description": "B", "amount": 500}], {"amount_pence": 1500, "label": {"en": "A and B"}}),
        ([{"description": "Each", "amount": 250, "multiplier": "n"}], {"amount_pence": 0, "each_extra": {"question": "n", "included": 0, "amount_pence": 250}}),
        ([{"description": "Big", "amount": 900, "condition": "c"}], {"amount_pence": 900, "when": {"question": "n", "greater_than": 5}}),
    ],
)  # fmt: skip
def test_fees_become_the_cost_billed_later(fees: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    data = asking("n > 5", names=("n",))
    data["fees"] = fees
    imported = import_definition(data)
    assert imported.usable, notes(imported)
    fee = imported.journey["fee"]  # type: ignore[index]
    assert {k: fee[k] for k in expected} == expected
    assert "Nothing is paid at this kiosk" in fee["note"]["en"]


def test_fees_the_kiosk_cannot_add_up_are_left_out_with_a_note() -> None:
    data = asking("n > 5", names=("n",))
    data["fees"] = [
        {"description": "A", "amount": 100, "condition": "c"},
        {"description": "B", "amount": 200, "condition": "c"},
    ]
    imported = import_definition(data)
    assert imported.journey["fee"]["amount_pence"] == 100  # type: ignore[index]
    assert any("fee 2" in n and "'B'" in n for n in notes(imported, "left_out"))


# -- broken input ----------------------------------------------------------------------------------


def test_looks_like_never_raises_and_tells_xgov_from_the_others() -> None:
    assert looks_like(form(page("/a", field("TextField", "a"))))
    for other in (None, [], "x", 3, {"startPage": 3}, {"startPage": "/a", "pages": {}}, {"engine": "V2", "startPage": "/a", "pages": []},
                  {"startPage": "/a", "pages": [{"id": "1", "path": "/a"}]}, {"steps": []}):  # fmt: skip
        assert looks_like(other) is False


HOSTILE: list[Any] = [
    {"startPage": "/a", "pages": "nope"},
    {"startPage": "/a", "pages": [[1, 2]]},
    {"startPage": "/a", "pages": [{"path": "/a", "components": {"type": "TextField"}}]},
    {"startPage": "/a", "pages": [{"path": "/a", "title": 7, "components": [{"type": "TextField", "name": 5, "title": ["x"]}]}]},
    {"startPage": "/a", "pages": [{"path": "/a", "components": [{"type": "RadiosField", "name": "r", "title": "R", "list": "none"}]}]},
    {"startPage": "/a", "pages": [{"path": "/a", "components": [{"type": "NumberField", "name": "n", "title": "N", "schema": {"min": "x", "max": float("inf")}}]}]},
    {"startPage": "/a", "pages": [{"path": "/a", "components": [{"type": "Marquee", "name": "m"}], "next": "x"}]},
    {"startPage": "/a", "pages": [{"path": "/a", "components": [{"type": "TextField", "name": "t", "title": "T"}], "next": [{"path": "/a"}, 4]}],
     "conditions": [{"name": 3}, "x"], "lists": [{"name": "l", "items": [None, {"text": {"cy": "Ie"}, "value": {"a": 1}}]}], "fees": {"a": 1}},
    {"startPage": "/missing", "pages": [{"path": "/a", "components": [{"type": "Para", "content": None}]}], "sections": [{"name": []}]},
    {"startPage": "/a", "pages": [{"path": "/a", "components": [{"type": "TextField", "name": "t", "title": {"a": {"b": {"c": [[[[1]]]]}}}}]}]},
]  # fmt: skip


@pytest.mark.parametrize("data", HOSTILE)
def test_broken_definitions_get_notes_never_a_traceback(data: Any) -> None:
    imported = import_definition(data, "xgov")
    assert imported.notes
    for note in imported.notes:
        assert "Traceback" not in note.what
    if imported.journey is not None:
        assert any(n.severity == "error" for n in imported.notes) or parse_journey(imported.journey)


def test_a_broken_component_is_named_by_its_page_and_component() -> None:
    data = form(
        page(
            "/about-you",
            {"type": "TextField", "name": "fullName", "title": 12},
            {"type": "Marquee", "name": "m"},
            "text",
        )
    )
    text = notes(import_definition(data), "error")
    assert any(n.startswith("error: page /about-you, component fullName (TextField): ") for n in text)
    assert any("page /about-you, component m (Marquee)" in n and "not a component type" in n for n in text)
    assert any("page /about-you, component #3" in n for n in text)


def test_welsh_only_words_stand_in_for_english_with_a_note() -> None:
    data = form(page("/a", {**field("TextField", "a"), "title": {"cy": "Eich enw"}}))
    imported = import_definition(data)
    assert imported.journey["pages"][0]["questions"][0]["label"] == {"en": "Eich enw", "cy": "Eich enw"}  # type: ignore[index]
    assert any("no English" in n for n in notes(imported, "changed"))
