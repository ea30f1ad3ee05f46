"""What a kiosk keyboard, a paste or a hostile script can put in an answer box.

Digits in another script are read as the citizen means them (a borough with Urdu and Gujarati
readers); digits that are not decimal (superscripts, circled numbers) are refused with the type's
own message; control characters and text-direction overrides are refused, and invisible format
characters are removed. Whatever is typed, parse_answer returns an answer or raises AnswerError
(which the flow shows as a FieldError): never another exception.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys import AnswerError, parse_answer
from journeys.flow import Flow
from journeys.models import QUESTION_TYPES, Question, parse_journey

TODAY = dt.date(2026, 11, 25)
HIDDEN = "must only include characters you can see"


def question(type_: str, **kw: Any) -> Question:
    data: dict[str, Any] = {"id": "q", "type": type_, "label": {"en": "A question?"}, **kw}
    if type_ in ("radios", "select", "checkboxes"):
        data["options"] = [
            {"value": "red", "label": {"en": "Red"}},
            {"value": "green", "label": {"en": "Green"}},
        ]
    if type_ == "appointment":
        data.setdefault("service", "housing-officer")
    return Question.model_validate(data)


def error_of(q: Question, raw: Any) -> str:
    with pytest.raises(AnswerError) as info:
        parse_answer(q, raw, TODAY)
    return str(info.value)


# -- digits from other scripts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "expected"),
    [
        ("date", {"day": "٣", "month": "١١", "year": "٢٠٢٠"}, "2020-11-03"),  # Arabic-Indic
        ("date", {"day": "۳", "month": "۱۱", "year": "۲۰۲۰"}, "2020-11-03"),  # Extended Arabic-Indic (Urdu)
        ("date", {"day": "૩", "month": "૧૧", "year": "૨૦૨૦"}, "2020-11-03"),  # Gujarati
        ("date", "３/１１/２０２０", "2020-11-03"),  # full width
        ("date", "٣ nov ٢٠٢٠", "2020-11-03"),
        ("number", "١٢٬٣٤٥", 12345),  # Arabic thousands separator
        ("number", "૧૨", 12),
        ("money", "١٢٫٥٠", 1250),  # Arabic decimal separator
        ("money", "£１２.５０", 1250),
        ("time", "١٤:٣٠", "14:30"),
        ("time", "１４：３０", "14:30"),  # full-width colon
        ("phone", "٠١١٣ ٤٩٦ ٠٠٠٠", "+441134960000"),
        ("postcode", "ＬＳ１ ４ＡＰ", "LS1 4AP"),
        ("postcode", "ls١ ٤ap", "LS1 4AP"),
    ],
)
def test_digits_in_another_script_are_read_as_the_citizen_means(kind: str, typed: Any, expected: Any) -> None:
    assert parse_answer(question(kind), typed, TODAY) == expected


def test_an_address_keeps_its_lines_as_typed_and_reads_the_postcode() -> None:
    typed = {"line1": "١٢ Park Row", "line2": "", "town": "Leeds", "postcode": "ＬＳ１ ４ＡＰ"}
    parsed = parse_answer(question("address"), typed, TODAY)
    assert parsed == {"line1": "١٢ Park Row", "line2": "", "town": "Leeds", "postcode": "LS1 4AP"}


def test_text_keeps_digits_as_typed() -> None:
    assert parse_answer(question("text"), "flat ٣, ૧૨ road", TODAY) == "flat ٣, ૧૨ road"


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("date", {"day": "1", "month": "²", "year": "2020"}, "Date must be a real date"),
        ("date", {"day": "²", "month": "1", "year": "2020"}, "Date must be a real date"),
        ("date", {"day": "1", "month": "1", "year": "202²"}, "Date must be a real date"),
        ("date", "3 ² 2020", "Date must be a real date"),
        ("date", "① ② 2020", "Date must be a real date"),
        ("date", {"day": "1", "month": "9" * 5000, "year": "2020"}, "Date must be a real date"),
        ("date", {"day": "1", "month": "99999999999999999999", "year": "2020"}, "Date must be a real date"),
        ("date", {"day": "9" * 5000, "month": "1", "year": "2020"}, "Date must be a real date"),
        ("number", "²", "The number must be a number, like 5"),
        ("number", "1²", "The number must be a number, like 5"),
        ("money", "¹²", "The amount must be an amount of money, like 12.50 or 150"),
        ("money", "²p", "The amount must be an amount of money, like 12.50 or 150"),
        ("time", "¹⁴:³⁰", "Time must be a real time, like 9:30am or 14:30"),
        ("postcode", "LS¹ 4AP", "Enter a full UK postcode, like LS1 4AP"),
    ],
)
def test_digits_that_are_not_decimal_get_the_types_own_message(kind: str, typed: Any, message: str) -> None:
    assert error_of(question(kind), typed) == message


# -- control and format characters ------------------------------------------------------------

_REFUSED = [
    "\x00",
    "\x1b[2J",
    "\x07",
    "\x7f",
    "\x85",
    "\x9b",
    "\u202e",
    "\u202a",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2069",
]


@pytest.mark.parametrize("bad", _REFUSED, ids=[f"U+{ord(c[0]):04X}" for c in _REFUSED])
@pytest.mark.parametrize("kind", ["text", "long_text", "email", "address"])
def test_control_characters_and_direction_overrides_are_refused_in_free_text(kind: str, bad: str) -> None:
    typed: Any = f"Ada{bad} Lovelace"
    if kind == "email":
        typed = f"ada{bad}@example.com"
    if kind == "address":
        typed = {"line1": f"12 Park{bad} Row", "town": "Leeds", "postcode": "LS1 4AP"}
    assert HIDDEN in error_of(question(kind), typed)


@pytest.mark.parametrize("kind", ["number", "date", "time", "phone", "postcode", "radios", "checkboxes", "yes_no"])
def test_control_characters_are_refused_in_every_type(kind: str) -> None:
    typed: Any = {"day": "1\x00", "month": "2", "year": "2020"} if kind == "date" else "1\x1b2"
    assert HIDDEN in error_of(question(kind), typed)


def test_invisible_format_characters_are_removed() -> None:
    zero_width = "Ada\u200b Love\u00adlace\ufeff\u2060\u200e"
    assert parse_answer(question("text"), zero_width, TODAY) == "Ada Lovelace"
    assert parse_answer(question("number"), "1\u200b2", TODAY) == 12


def test_joiners_that_scripts_need_are_kept() -> None:
    # ZWNJ in Urdu/Persian and ZWJ in Gujarati conjuncts change how the word is written
    for word in ("می\u200cخواهم", "ક\u0acd\u200dષ"):
        assert parse_answer(question("text"), word, TODAY) == word


def test_line_ends_and_tabs_are_kept_where_text_has_lines() -> None:
    assert parse_answer(question("long_text"), "one\r\ntwo\rthree\u2028four\tfive", TODAY) == (
        "one\ntwo\nthree\nfour\tfive"
    )
    assert parse_answer(question("text"), "one\ntwo\tthree", TODAY) == "one two three"


def test_a_lone_surrogate_is_refused() -> None:
    assert HIDDEN in error_of(question("text"), "Ada\ud800")


def test_the_message_names_the_answer() -> None:
    q = question("text", error_name={"en": "your full name"})
    assert error_of(q, "Ada\u202e") == "Your full name must only include characters you can see: type it again"


def test_a_page_with_a_superscript_date_shows_an_error_and_does_not_crash() -> None:
    journey = parse_journey(
        {
            "id": "j",
            "version": 1,
            "title": {"en": "J"},
            "summary": {"en": "J"},
            "category": "c",
            "confirmation": {"en": "Done"},
            "pages": [{"id": "p", "questions": [{"id": "when", "type": "date", "label": {"en": "When?"}}]}],
        }
    )
    flow = Flow(journey)
    parsed, errors = flow.check_page(flow.first_page(), {"when": "3 ² 2020"}, today=TODAY)
    assert parsed == {} and [(e.question_id, str(e.message)) for e in errors] == [("when", "Date must be a real date")]


# -- whatever is typed: an answer or AnswerError ----------------------------------------------

DIGITISH = st.sampled_from("0123456789²³¹⁰①⑴⒈٣۳૩３:./-") | st.characters(codec=None, categories=["Nd", "No"])
PIECES = st.lists(st.text(DIGITISH, min_size=1, max_size=6), min_size=1, max_size=3).map(" ".join)
ANY_TEXT = (
    st.text(max_size=60)
    | st.text(alphabet=st.characters(codec=None, categories=["Nd", "No", "Cc", "Cf", "Zs", "Zl"]))
    | PIECES
)
RAW = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["day", "month", "year", "line1", "town", "postcode", "x"]) | ANY_TEXT, inner, max_size=5
        )
    ),
    max_leaves=12,
)
QUESTIONS = {kind: question(kind) for kind in QUESTION_TYPES}
# Kept small for the default run; JOURNEY_EXAMPLES=2000 for a thorough one.
EXAMPLES = int(os.environ.get("JOURNEY_EXAMPLES", "60"))


@pytest.mark.parametrize("kind", QUESTION_TYPES)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=RAW)
def test_any_raw_answer_parses_or_raises_answer_error(kind: str, raw: Any) -> None:
    with contextlib.suppress(AnswerError):
        parse_answer(QUESTIONS[kind], raw, TODAY)


@pytest.mark.parametrize("kind", ["date", "address"])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    boxes=st.dictionaries(
        st.sampled_from(["day", "month", "year", "line1", "line2", "town", "postcode"]), PIECES | ANY_TEXT
    )
)
def test_any_boxes_parse_or_raise_answer_error(kind: str, boxes: dict[str, str]) -> None:
    with contextlib.suppress(AnswerError):
        parse_answer(QUESTIONS[kind], boxes, TODAY)


@pytest.mark.parametrize("kind", QUESTION_TYPES)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=ANY_TEXT)
def test_no_accepted_answer_holds_a_control_or_override_character(kind: str, raw: str) -> None:
    try:
        value = parse_answer(QUESTIONS[kind], raw, TODAY)
    except AnswerError:
        return
    for text in _strings(value):
        for ch in text:
            assert ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"), repr(ch)
            assert not 0x202A <= ord(ch) <= 0x202E and not 0x2066 <= ord(ch) <= 0x2069, repr(ch)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
