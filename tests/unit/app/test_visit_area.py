"""A question that takes only addresses in the council's area, checked against a real address pack: a found
address by its record, a typed one by its postcode, in the journey's own words; no pack, no refusal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.gazetteer import Addresses
from app.visit import Session
from journeys.flow import FieldError
from local_store.gazetteer import build_pack
from local_store.gazetteer.shelf import PackShelf, file_sha256
from reference_portal.gazetteer_data import KNOWN, write_dtf
from tests.unit.app.test_visit import training

OUTSIDE = "We collect only from addresses in this council's area."


@pytest.fixture(scope="module")
def pack_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    write_dtf(folder / "borough.csv", addresses=300)
    build_pack(folder / "borough.csv", folder / "borough.sqlite")
    return folder / "borough.sqlite"


@pytest.fixture
def addresses(tmp_path: Path, pack_file: Path) -> Iterator[Addresses]:
    shelf = PackShelf(tmp_path / "packs")
    part = shelf.part_file()
    part.write_bytes(pack_file.read_bytes())
    shelf.install(part, "v1", file_sha256(pack_file))
    found = Addresses(shelf)
    yield found
    found.close()


def at_address_page(session: Session, journey_id: str = "bulky-waste") -> None:
    session.start(training(journey_id))
    progress = session.progress
    assert progress is not None
    progress.page_id = next(p.id for p in progress.journey.pages if any(q.id == "address" for q in p.questions))


def answer(session: Session, raw: dict[str, Any]) -> list[FieldError] | None:
    result = session.answer_page({"address": raw})
    return result if isinstance(result, list) else None


def found(addresses: Addresses, key: str) -> dict[str, str]:
    known = KNOWN[key]
    match = next(a for a in addresses.find(f"{known.number} {known.street}").addresses if a.uprn == known.uprn)
    return match.lines()


def test_an_address_found_in_the_area_is_taken(addresses: Addresses) -> None:
    session = Session(in_area=addresses.in_area)
    at_address_page(session)
    assert answer(session, found(addresses, "kings_road_14")) is None


def test_an_address_across_the_boundary_gets_the_journeys_words(addresses: Addresses) -> None:
    session = Session(in_area=addresses.in_area)
    at_address_page(session)
    errors = answer(session, found(addresses, "cross_boundary"))
    assert errors is not None and [(e.question_id, str(e.message)[: len(OUTSIDE)]) for e in errors] == [
        ("address", OUTSIDE)
    ]


def test_a_typed_address_is_judged_by_its_postcode(addresses: Addresses) -> None:
    session = Session(in_area=addresses.in_area)
    at_address_page(session)
    elsewhere = {"line1": "12 Park Row", "line2": "", "town": "Leeds", "postcode": "LS1 4AP"}
    errors = answer(session, elsewhere)
    assert errors is not None and str(errors[0].message).startswith(OUTSIDE)
    at_address_page(session)
    here = {"line1": "99 King's Road", "line2": "", "town": "Harwood", "postcode": "bb2 1lb"}
    assert answer(session, here) is None
    at_address_page(session)
    across = {"line1": "3 Boundary Road", "line2": "", "town": "Eastfield", "postcode": "BB3 1BR"}
    errors = answer(session, across)  # the postcode only the neighbouring council's addresses have
    assert errors is not None and str(errors[0].message).startswith(OUTSIDE)


def test_the_words_are_in_the_citizens_language(addresses: Addresses) -> None:
    session = Session(in_area=addresses.in_area)
    session.language = "ur"
    at_address_page(session)
    errors = answer(session, found(addresses, "cross_boundary"))
    assert errors is not None and str(errors[0].message).startswith("ہم صرف اس کونسل کے علاقے")


def test_with_no_pack_the_kiosk_cannot_tell_and_takes_the_address(tmp_path: Path, addresses: Addresses) -> None:
    outside = found(addresses, "cross_boundary")
    empty = Addresses(PackShelf(tmp_path / "none"))
    for session in (Session(), Session(in_area=empty.in_area)):
        at_address_page(session)
        assert answer(session, outside) is None


def test_a_question_with_no_area_takes_any_address(addresses: Addresses) -> None:
    session = Session(in_area=addresses.in_area)
    at_address_page(session, "change-of-circumstances")
    assert answer(session, found(addresses, "cross_boundary")) is None
