"""The one place that formats dates, numbers, money and times: English exactly as before, and other
languages as CLDR writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from journeys import Question, display_answer
from journeys.formatting import format_date, format_money, format_number


def question(type_: str) -> Question:
    data: dict[str, Any] = {"id": "q", "type": type_, "label": {"en": "A question?"}}
    if type_ == "appointment":
        data.setdefault("service", "housing-officer")
    return Question.model_validate(data)


def test_english_is_as_it_always_was() -> None:
    assert format_date(dt.date(2026, 11, 3)) == "3 November 2026"
    assert format_money(125050) == "£1,250.50"
    assert format_money(1200, whole_pounds_short=True) == "£12"
    assert format_number(1000) == "1,000"
    assert display_answer(question("date"), "2026-11-03") == "3 November 2026"
    assert display_answer(question("time"), "14:30") == "2:30pm"


def test_polish_dates_and_numbers_on_check_answers() -> None:
    assert display_answer(question("date"), "2026-11-03", "pl") == "3 listopada 2026"
    assert display_answer(question("number"), 10000, "pl") == "10\xa0000"
    assert display_answer(question("money"), 125050, "pl") == "1\xa0250,50\xa0GBP"


def test_urdu_month_names_and_an_unknown_language_falls_back_to_english() -> None:
    assert "نومبر" in display_answer(question("date"), "2026-11-03", "ur")
    assert display_answer(question("date"), "2026-11-03", "xx-nowhere") == "3 November 2026"
