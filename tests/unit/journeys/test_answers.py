"""The answer parsers, with what people really type, and every error message they can show."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeys import (
    AnswerError,
    display_answer,
    example_raw,
    parse_answer,
    to_raw,
)
from journeys.models import QUESTION_TYPES, Question

TODAY = dt.date(2026, 11, 25)


def question(type_: str, **kw: Any) -> Question:
    data: dict[str, Any] = {"id": "q", "type": type_, "label": {"en": "A question?"}, **kw}
    if type_ in ("radios", "select", "checkboxes") and "options" not in data:
        data["options"] = [
            {"value": "red", "label": {"en": "Red"}},
            {"value": "green", "label": {"en": "Green"}},
            {"value": "none", "label": {"en": "None of these"}, "exclusive": type_ == "checkboxes"},
        ]
    if type_ == "appointment":
        data.setdefault("service", "housing-officer")
    return Question.model_validate(data)


def error_of(q: Question, raw: Any) -> str:
    with pytest.raises(AnswerError) as info:
        parse_answer(q, raw, TODAY)
    return str(info.value)


# -- postcode ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ls1 4ap", "LS1 4AP"),
        ("LS14AP", "LS1 4AP"),
        ("  ls1   4ap ", "LS1 4AP"),
        ("Ls1-4Ap", "LS1 4AP"),
        ("sw1a1aa", "SW1A 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("w1a 0ax", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("b33 8th", "B33 8TH"),
        ("cr2 6xh", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("gir 0aa", "GIR 0AA"),
        ("ls1\t4ap", "LS1 4AP"),
    ],
)
def test_postcodes_in_any_case_and_spacing(typed: str, expected: str) -> None:
    assert parse_answer(question("postcode"), typed) == expected


@pytest.mark.parametrize("typed", ["LS1", "4AP", "LS1 4A", "12345", "LS1 4APX", "L$1 4AP", "1LS 4AP", "LS1 A4P"])
def test_partial_or_foreign_postcodes_say_what_to_do(typed: str) -> None:
    assert error_of(question("postcode"), typed) == "Enter a full UK postcode, like LS1 4AP"


@given(
    area=st.sampled_from(["LS1", "SW1A", "M1", "B33", "EC1A", "DN55", "W1A"]),
    inward=st.sampled_from(["4AP", "1AA", "0AX", "8TH"]),
    spaces=st.text(alphabet=" \t", max_size=3),
    upper=st.booleans(),
)
def test_any_spacing_and_case_gives_the_same_postcode(area: str, inward: str, spaces: str, upper: bool) -> None:
    typed = area + spaces + inward
    typed = typed.upper() if upper else typed.lower()
    assert parse_answer(question("postcode"), typed) == f"{area} {inward}"


# -- phone -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0113 496 0000", "+441134960000"),
        ("01134960000", "+441134960000"),
        ("(0113) 496 0000", "+441134960000"),
        ("0113-496-0000", "+441134960000"),
        ("0113 – 496 0000", "+441134960000"),
        ("+44 113 496 0000", "+441134960000"),
        ("+44 (0)113 496 0000", "+441134960000"),
        ("0044 113 496 0000", "+441134960000"),
        ("07700 900 982", "+447700900982"),
        ("07700900982", "+447700900982"),
        ("+447700900982", "+447700900982"),
        ("07911 123456", "+447911123456"),
        ("020 7946 0000", "+442079460000"),
        ("0808 157 0192", "+448081570192"),
        ("tel: 0113 4960000", "+441134960000"),
        ("+1 202 555 0123", "+12025550123"),
        ("+33 1 42 68 53 00", "+33142685300"),
    ],
)
def test_phone_numbers_in_common_formats(typed: str, expected: str) -> None:
    assert parse_answer(question("phone"), typed) == expected


@pytest.mark.parametrize(
    "typed", ["12345", "0113 496 000", "999", "phone me", "07700 900 98x", "+44", "0113 496 0000 0000"]
)
def test_phone_numbers_that_cannot_be_dialled(typed: str) -> None:
    message = error_of(question("phone", error_name={"en": "your phone number"}), typed)
    assert message == "Enter your phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


def test_phone_numbers_read_back_in_the_national_format() -> None:
    q = question("phone")
    assert display_answer(q, "+441134960000") == "0113 496 0000"
    assert display_answer(q, "+447700900982") == "07700 900982"
    assert display_answer(q, "+12025550123") == "+1 202-555-0123"


# -- email -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ada@example.com", "ada@example.com"),
        ("  Ada.Lovelace@Example.COM ", "Ada.Lovelace@example.com"),
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
    ],
)
def test_email_addresses(typed: str, expected: str) -> None:
    assert parse_answer(question("email"), typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "ada@@example.com",
        "ada @example.com",
        "ada@example..com",
        "ada@.com",
    ],
)
def test_email_addresses_in_the_wrong_format(typed: str) -> None:
    q = question("email", error_name={"en": "your email address"})
    assert error_of(q, typed) == "Enter your email address in the correct format, like name@example.com"


def test_email_addresses_up_to_254_characters() -> None:
    q = question("email")
    ok = "a" * 64 + "@" + "b" * 185 + ".com"
    assert len(ok) == 254
    assert parse_answer(q, ok) == ok
    assert error_of(q, "a" + ok) == "Email address must be 254 characters or fewer"


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ({"day": "3", "month": "11", "year": "2026"}, "2026-11-03"),
        ({"day": "03", "month": "09", "year": "2026"}, "2026-09-03"),
        ({"day": " 3 ", "month": " 11", "year": "2026 "}, "2026-11-03"),
        ({"day": "3", "month": "Nov", "year": "2026"}, "2026-11-03"),
        ({"day": "3", "month": "november", "year": "2026"}, "2026-11-03"),
        ({"day": "3rd", "month": "Sept", "year": "2026"}, "2026-09-03"),
        ({"day": 29, "month": 2, "year": 2024}, "2024-02-29"),
        ("3/11/2026", "2026-11-03"),
        ("3 11 2026", "2026-11-03"),
        ("3 November 2026", "2026-11-03"),
        ("2026-11-03", "2026-11-03"),
    ],
)
def test_dates_as_people_type_them(typed: Any, expected: str) -> None:
    assert parse_answer(question("date"), typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"day": "", "month": "", "year": ""}, "Enter your date of birth"),
        ({"day": "3", "month": "11", "year": ""}, "Your date of birth must include a year"),
        ({"day": "", "month": "11", "year": "2026"}, "Your date of birth must include a day"),
        ({"day": "3", "month": "", "year": ""}, "Your date of birth must include a month and year"),
        ({"day": "31", "month": "2", "year": "2026"}, "Your date of birth must be a real date"),
        ({"day": "29", "month": "2", "year": "2025"}, "Your date of birth must be a real date"),
        ({"day": "3", "month": "13", "year": "2026"}, "Your date of birth must be a real date"),
        ({"day": "3", "month": "Novemberish", "year": "2026"}, "Your date of birth must be a real date"),
        ({"day": "x", "month": "11", "year": "2026"}, "Your date of birth must be a real date"),
        ({"day": "3", "month": "11", "year": "26"}, "Year must include 4 numbers"),
        ("next tuesday", "Your date of birth must include a day and month"),
    ],
)
def test_date_errors_name_the_date(typed: Any, message: str) -> None:
    q = question("date", error_name={"en": "your date of birth"})
    assert error_of(q, typed) == message


def test_a_date_with_no_name_is_called_date() -> None:
    assert error_of(question("date"), {"day": "31", "month": "2", "year": "2026"}) == "Date must be a real date"


@pytest.mark.parametrize(
    ("date_range", "day", "message"),
    [
        ("past", 25, "The date must be in the past"),
        ("past", 26, "The date must be in the past"),
        ("today_or_past", 26, "The date must be today or in the past"),
        ("future", 25, "The date must be in the future"),
        ("today_or_future", 24, "The date must be today or in the future"),
    ],
)
def test_dates_in_the_past_or_future(date_range: str, day: int, message: str) -> None:
    q = question("date", date_range=date_range, error_name={"en": "the date"})
    assert error_of(q, {"day": str(day), "month": "11", "year": "2026"}) == message


def test_dates_inside_their_range_are_accepted() -> None:
    assert parse_answer(question("date", date_range="today_or_past"), "25/11/2026", TODAY) == "2026-11-25"
    assert parse_answer(question("date", date_range="future"), "26/11/2026", TODAY) == "2026-11-26"


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_real_date_reads_back(value: dt.date) -> None:
    q = question("date")
    raw = {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    assert parse_answer(q, raw, TODAY) == value.isoformat()
    assert display_answer(q, value.isoformat()) == f"{value.day} {value.strftime('%B')} {value.year}"


# -- money and numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("£12.50", 1250),
        ("£ 12.50", 1250),
        ("1,250.00", 125000),
        ("£1,250", 125000),
        ("0.99", 99),
        (".5", 50),
        ("50p", 50),
        ("GBP 35", 3500),
        ("12.", 1200),
        ("0", 0),
        # a decimal comma (Polish, and the amounts the kiosk shows in Polish): 12,50 is never 1250
        ("12,50", 1250),
        ("12,5", 1250),
        ("1 250,50", 125050),
        ("£0,99", 99),
        ("1,250", 125000),  # three digits after the comma: thousands, as in English
    ],
)
def test_money_in_pounds_and_pence(typed: str, pence: int) -> None:
    assert parse_answer(question("money"), typed) == pence


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("twelve pounds", "The fine must be an amount of money, like 12.50 or 150"),
        ("12.345", "The fine must be in pounds and pence, like 12.50"),
        ("£12.50.1", "The fine must be an amount of money, like 12.50 or 150"),
        ("-5", "The fine must be £0 or more"),
        ("$12", "The fine must be an amount of money, like 12.50 or 150"),
    ],
)
def test_money_errors(typed: str, message: str) -> None:
    assert error_of(question("money", error_name={"en": "the fine"}), typed) == message


def test_money_limits_are_shown_in_pounds() -> None:
    q = question("money", min=2500, max=10550, error_name={"en": "the amount to pay"})
    assert error_of(q, "20") == "The amount to pay must be between £25 and £105.50"
    assert error_of(q, "200") == "The amount to pay must be between £25 and £105.50"
    assert parse_answer(q, "105.50") == 10550
    assert error_of(question("money", min=100), "0.50") == "The amount must be £1 or more"
    assert error_of(question("money", max=100), "1.01") == "The amount must be £1 or less"
    assert display_answer(q, 125050) == "£1,250.50"
    assert display_answer(q, 5) == "£0.05"


@pytest.mark.parametrize(
    ("typed", "value"), [("5", 5), (" 12 ", 12), ("1,000", 1000), ("1 000", 1000), ("7.0", 7), ("-3", -3)]
)
def test_numbers(typed: str, value: int) -> None:
    assert parse_answer(question("number"), typed) == value


def test_number_errors_and_limits() -> None:
    q = question("number", min=1, max=10, error_name={"en": "the number of items"})
    assert error_of(q, "five") == "The number of items must be a number, like 5"
    assert error_of(q, "2.5") == "The number of items must be a whole number"
    assert error_of(q, "0") == "The number of items must be between 1 and 10"
    assert error_of(q, "11") == "The number of items must be between 1 and 10"
    assert error_of(question("number", min=1), "0") == "The number must be 1 or more"
    assert error_of(question("number", max=1000), "1,001") == "The number must be 1,000 or less"
    assert error_of(q, "") == "Enter the number of items"


# -- text, time, choices, address ---------------------------------------------------------------


def test_text_is_trimmed_and_limited() -> None:
    q = question("text", max_length=10, error_name={"en": "your full name"})
    assert parse_answer(q, "  Ada   Byron ") == "Ada Byron"
    assert error_of(q, "Ada Lovelace") == "Your full name must be 10 characters or fewer"
    assert error_of(q, "   ") == "Enter your full name"
    assert error_of(question("text"), "x" * 201) == "Your answer must be 200 characters or fewer"
    assert error_of(question("long_text"), "x" * 1201) == "Your answer must be 1,200 characters or fewer"


def test_long_text_keeps_its_lines() -> None:
    assert parse_answer(question("long_text"), "line one  \r\nline two\n") == "line one\nline two"


@pytest.mark.parametrize(
    ("typed", "value", "shown"),
    [
        ("9am", "09:00", "9am"),
        ("9:30am", "09:30", "9:30am"),
        ("9.30 pm", "21:30", "9:30pm"),
        ("9:30 P.M.", "21:30", "9:30pm"),
        ("12am", "00:00", "midnight"),
        ("12pm", "12:00", "midday"),
        ("14:30", "14:30", "2:30pm"),
        ("1430", "14:30", "2:30pm"),
        ("0905", "09:05", "9:05am"),
        ("midday", "12:00", "midday"),
        ("Noon", "12:00", "midday"),
        ("midnight", "00:00", "midnight"),
    ],
)
def test_times(typed: str, value: str, shown: str) -> None:
    q = question("time")
    assert parse_answer(q, typed) == value
    assert display_answer(q, value) == shown


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("25:00", "The time that suits you must be a real time, like 9:30am or 14:30"),
        ("13pm", "The time that suits you must be a real time, like 9:30am or 14:30"),
        ("9:75", "The time that suits you must be a real time, like 9:30am or 14:30"),
        ("teatime", "The time that suits you must be a real time, like 9:30am or 14:30"),
        ("9", "The time that suits you must include am or pm, or be a 24-hour time like 14:30"),
    ],
)
def test_time_errors(typed: str, message: str) -> None:
    assert error_of(question("time", error_name={"en": "the time that suits you"}), typed) == message


def test_choices_accept_the_value_or_the_label() -> None:
    for kind in ("radios", "select"):
        q = question(kind, error_name={"en": "a colour"})
        assert parse_answer(q, "red") == "red"
        assert parse_answer(q, " GREEN ") == "green"
        assert error_of(q, "blue") == "Select a colour"
        assert error_of(q, None) == "Select a colour"
        assert display_answer(q, "green") == "Green"
    yes_no = question("yes_no", error_name={"en": "yes if you saw who dumped it"})
    assert [parse_answer(yes_no, v) for v in ("yes", "No", "y", True, False)] == ["yes", "no", "yes", "yes", "no"]
    assert error_of(yes_no, "maybe") == "Select yes if you saw who dumped it"
    assert error_of(question("yes_no"), "") == "Select yes or no"


def test_checkboxes() -> None:
    q = question("checkboxes", error_name={"en": "what has been dumped"})
    assert parse_answer(q, ["green", "red"]) == ["red", "green"]  # in the order the options are listed
    assert parse_answer(q, ["red", "red"]) == ["red"]
    assert parse_answer(q, "Green") == ["green"]
    assert error_of(q, []) == "Select what has been dumped"
    assert error_of(q, ["blue"]) == "Select what has been dumped from the list"
    assert error_of(q, ["red", "none"]) == "Select what has been dumped, or select ‘None of these’, but not both"
    assert display_answer(q, ["red", "green"]) == "Red\nGreen"
    assert parse_answer(question("checkboxes", required=False), []) is None


def test_addresses() -> None:
    q = question("address")
    typed = {"line1": " 12  Park Row ", "line2": "", "town": "leeds", "postcode": "ls14ap"}
    value = parse_answer(q, typed)
    assert value == {"line1": "12 Park Row", "line2": "", "town": "leeds", "postcode": "LS1 4AP"}
    assert display_answer(q, value) == "12 Park Row\nleeds\nLS1 4AP"
    assert parse_answer(q, "Flat 2, 12 Park Row, Leeds, LS1 4AP")["line2"] == "12 Park Row"
    assert error_of(q, {"line1": "", "town": "Leeds", "postcode": "LS1 4AP"}) == (
        "Enter address line 1, typically the building and street"
    )
    assert error_of(q, {"line1": "12 Park Row", "town": "", "postcode": "LS1 4AP"}) == "Enter town or city"
    assert error_of(q, {"line1": "12 Park Row", "town": "Leeds", "postcode": ""}) == "Enter a postcode"
    assert error_of(q, {"line1": "12 Park Row", "town": "Leeds", "postcode": "LS1"}) == (
        "Enter a full UK postcode, like LS1 4AP"
    )
    assert error_of(q, {"line1": "x" * 101, "town": "Leeds", "postcode": "LS1 4AP"}) == (
        "Address line 1 must be 100 characters or fewer"
    )
    assert error_of(question("address", error_name={"en": "your address"}), {"line1": "", "town": ""}) == (
        "Enter your address"
    )
    assert error_of(q, "Leeds") == "Enter an address: the building and street, the town or city, and the postcode"


# -- every type, every message ------------------------------------------------------------------

BANNED = re.compile(r"\b(please|sorry|valid|invalid)\b", re.IGNORECASE)

AWKWARD: list[Any] = [
    "",
    " ",
    "x",
    "!!",
    "0",
    "-1",
    "99999999999999999999",
    "31/2/2026",
    "x" * 300,
    "x" * 20000,
    ["nope"],
    {"day": "1"},
    {"line1": "x"},
    None,
    12,
    "£-",
    "25:99",
]


@pytest.mark.parametrize("kind", QUESTION_TYPES)
def test_no_message_says_please_sorry_valid_or_invalid(kind: str) -> None:
    extra: dict[str, Any] = {"date_range": "past"} if kind == "date" else {}
    if kind in ("number", "money"):
        extra = {"min": 1, "max": 10}
    for q in (question(kind, **extra), question(kind, error_name={"en": "the thing"}, **extra)):
        for raw in AWKWARD:
            try:
                parse_answer(q, raw, TODAY)
            except AnswerError as exc:
                message = str(exc)
                assert message and message[0].isupper() and not message.endswith("."), message
                assert not BANNED.search(message), message


@pytest.mark.parametrize("kind", QUESTION_TYPES)
def test_an_empty_required_answer_says_enter_or_select(kind: str) -> None:
    message = error_of(question(kind), None)
    assert message.startswith(
        "Select " if kind in ("radios", "select", "yes_no", "checkboxes", "appointment") else "Enter "
    )


@pytest.mark.parametrize("kind", QUESTION_TYPES)
def test_an_empty_optional_answer_is_none(kind: str) -> None:
    q = question(kind, required=False)
    assert parse_answer(q, "", TODAY) is None
    assert display_answer(q, None) == "Not given"


@pytest.mark.parametrize("kind", QUESTION_TYPES)
def test_examples_parse_and_read_back_through_to_raw(kind: str) -> None:
    q = question(kind)
    value = parse_answer(q, example_raw(q, TODAY), TODAY)
    assert parse_answer(q, to_raw(q, value), TODAY) == value
    assert display_answer(q, value)
