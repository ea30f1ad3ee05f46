"""An address reports every wrong box at once, each error naming its box; a good address is stored as before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from journeys.flow import FieldError, Flow
from journeys.models import Journey, Page
from journeys.types import answer_type
from tests.helpers import training_journeys

TODAY = dt.date(2026, 11, 25)


def address_page() -> tuple[Journey, Page, str]:
    for journey in training_journeys():
        for page in journey.pages:
            for q in page.questions:
                if q.type == "address" and q.required and len(page.questions) == 1:
                    return journey, page, q.id
    raise AssertionError("no training journey asks for an address on a page of its own")


def errors_for(raw: dict[str, Any]) -> list[tuple[str | None, str]]:
    journey, page, qid = address_page()
    _, errors = Flow(journey).check_page(page, {qid: raw}, today=TODAY)
    assert all(isinstance(e, FieldError) and e.question_id == qid for e in errors)
    return [(e.part, str(e.message)) for e in errors]


def test_a_missing_first_line_and_a_bad_postcode_are_both_reported_each_with_its_box() -> None:
    assert errors_for({"line1": "", "line2": "", "town": "Leeds", "postcode": "XYZ"}) == [
        ("line1", "Enter address line 1, typically the building and street"),
        ("postcode", "Enter a full UK postcode, like LS1 4AP"),
    ]


def test_every_missing_or_too_long_box_is_reported_in_the_order_of_the_boxes() -> None:
    found = errors_for({"line1": "12 Park Row", "line2": "x" * 101, "town": "", "postcode": ""})
    assert found == [
        ("line2", "Address line 2 must be 100 characters or fewer"),
        ("town", "Enter town or city"),
        ("postcode", "Enter a postcode"),
    ]


def test_an_address_left_empty_is_one_error_for_the_whole_answer() -> None:
    found = errors_for({"line1": "", "line2": "", "town": "", "postcode": ""})
    assert len(found) == 1 and found[0][0] is None


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (
            {"line1": " 12  Park Row ", "line2": "", "town": "Leeds", "postcode": "ls14ap"},
            {"line1": "12 Park Row", "line2": "", "town": "Leeds", "postcode": "LS1 4AP"},
        ),
        (
            {"line1": "Flat 2", "line2": "3 High St", "town": "Otley", "postcode": "LS21 1AA"},
            {"line1": "Flat 2", "line2": "3 High St", "town": "Otley", "postcode": "LS21 1AA"},
        ),
    ],
)
def test_a_good_address_is_stored_exactly_as_before(raw: dict[str, str], stored: dict[str, str]) -> None:
    journey, page, qid = address_page()
    parsed, errors = Flow(journey).check_page(page, {qid: raw}, today=TODAY)
    assert errors == [] and parsed == {qid: stored}


def parsed_for(raw: dict[str, Any]) -> Any:
    journey, page, qid = address_page()
    parsed, errors = Flow(journey).check_page(page, {qid: raw}, today=TODAY)
    assert errors == []
    return parsed[qid]


FOUND = {"line1": "Flat 2, Rose Court", "line2": "3 Mill Lane, Queen's Park", "town": "Harwood", "postcode": "bb10 4rc"}


def test_an_address_found_in_the_gazetteer_keeps_its_uprn() -> None:
    assert parsed_for({**FOUND, "uprn": "100017000012"}) == {**FOUND, "postcode": "BB10 4RC", "uprn": "100017000012"}


@pytest.mark.parametrize("uprn", ["", "12a", "1234567890123", "-1", " "])
def test_a_typed_address_or_one_with_no_real_uprn_has_none(uprn: str) -> None:
    assert "uprn" not in parsed_for({**FOUND, "uprn": uprn})


def test_a_found_address_may_have_longer_lines_than_a_typed_one() -> None:
    long_line = "Flat 12, " + "Harwood Vale Community Enterprise Centre " * 2 + "West Wing Annexe"
    assert 100 < len(long_line) <= 200
    assert errors_for({**FOUND, "line1": long_line}) == [("line1", "Address line 1 must be 100 characters or fewer")]
    assert parsed_for({**FOUND, "line1": long_line, "uprn": "100017000012"})["line1"] == long_line


def test_the_portal_takes_an_address_with_a_uprn_and_refuses_a_bad_one() -> None:
    _, page, qid = address_page()
    question = next(q for q in page.questions if q.id == qid)

    address = answer_type("address")
    good = {**FOUND, "postcode": "BB10 4RC", "uprn": "100017000012"}
    assert address.check_shape(good, question)
    assert not address.check_shape({**good, "uprn": "12-34"}, question)
    assert not address.check_shape({**good, "uprn": 100017000012}, question)
    assert not address.check_shape({**good, "flat": "2"}, question)
