"""One citizen's session: answering, Back, Change, dropped answers, reuse across journeys, the wipe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.visit import Session
from journeys.flow import FieldError
from journeys.models import Journey, Page, parse_journey
from tests.helpers import MISSED_BIN_DAY_TEXT, MISSED_BIN_RAW

ROOT = Path(__file__).resolve().parents[3]


def training(journey_id: str) -> Journey:
    return parse_journey(
        json.loads((ROOT / "journeys" / "training" / f"{journey_id}.json").read_text(encoding="utf-8"))
    )


def complete(session: Session, answers: dict[str, Any]) -> None:
    """Answer every page with the given raw answers (falling back to what is pre-filled)."""
    assert session.progress is not None
    page: Page | list[FieldError] | None = session.progress.page
    while page is not None:
        assert not isinstance(page, list), page
        raw = {q.id: answers.get(q.id, session.progress.raw.get(q.id)) for q in page.questions}
        page = session.answer_page(raw)


def test_a_whole_journey_then_check_answers() -> None:
    session = Session()
    first = session.start(training("missed-bin"))
    assert first.id == "which-bin"
    complete(session, MISSED_BIN_RAW)
    rows = session.summary()
    assert [r.answer for r in rows][:3] == ["Recycling (blue bin)", MISSED_BIN_DAY_TEXT, "LS1 4AP"]


def test_errors_keep_the_citizen_on_the_page_and_keep_what_they_typed() -> None:
    session = Session()
    session.start(training("missed-bin"))
    session.answer_page({"bin-type": "recycling"})
    result = session.answer_page({"collection-date": {"day": "31", "month": "2", "year": "2026"}})
    assert result == [FieldError("collection-date", "Date must be a real date")]
    assert session.progress is not None
    assert session.progress.page_id == "when"
    assert session.progress.raw["collection-date"]["day"] == "31"


def test_back_walks_the_pages_actually_visited() -> None:
    session = Session()
    session.start(training("fly-tipping"))
    session.answer_page({"location": "Behind the library"})
    session.answer_page({"location-postcode": ""})
    nxt = session.answer_page({"waste-types": ["asbestos"]})
    assert isinstance(nxt, Page) and nxt.id == "hazard"
    back = session.back()
    assert back is not None and back.id == "what"
    assert session.back() is not None
    assert session.back() is not None
    assert session.back() is None  # Back on the first page leaves the journey


def test_a_change_returns_to_check_answers() -> None:
    session = Session()
    session.start(training("missed-bin"))
    complete(session, MISSED_BIN_RAW)
    session.summary()
    page = session.change("postcode")
    assert page.id == "postcode"
    assert session.answer_page({"postcode": "sw1a1aa"}) is None
    assert "SW1A 1AA" in [r.answer for r in session.summary()]


def test_a_change_that_opens_a_new_branch_asks_it_then_returns() -> None:
    session = Session()
    session.start(training("new-bin"))
    complete(
        session, {"reason": "lost", "bins": ["general"], "address": "1 High St, Leeds, LS1 4AP", "full-name": "Ada"}
    )
    assert "damage" not in {r.question_id for r in session.summary()}
    session.change("reason")
    nxt = session.answer_page({"reason": "damaged"})
    assert isinstance(nxt, Page) and nxt.id == "damage"
    assert session.first_unanswered() == nxt
    assert session.answer_page({"damage": "The lid has snapped off"}) is None
    assert session.first_unanswered() is None
    assert "The lid has snapped off" in [r.answer for r in session.summary()]


def test_answers_that_fall_off_the_route_are_dropped_with_what_was_typed() -> None:
    session = Session()
    session.start(training("new-bin"))
    complete(
        session,
        {
            "reason": "damaged",
            "bins": ["general"],
            "damage": "Cracked",
            "address": "1 High St, Leeds, LS1 4AP",
            "full-name": "Ada",
        },
    )
    session.summary()
    session.change("reason")
    assert session.answer_page({"reason": "lost"}) is None
    assert session.progress is not None
    assert "damage" not in session.progress.answers
    assert "damage" not in session.progress.raw
    assert "Cracked" not in [r.answer for r in session.summary()]


def test_facts_are_offered_in_the_next_journey_and_can_be_changed() -> None:
    session = Session()
    session.start(training("missed-bin"))
    complete(session, {**MISSED_BIN_RAW, "email": "ADA@Example.com"})
    session.finish()
    assert session.progress is None

    session.start(training("street-light-fault"))
    assert session.progress is not None
    raw = session.progress.raw
    assert raw["full-name"] == "Ada Lovelace"
    assert raw["email"] == "ADA@example.com"
    assert raw["light-postcode"] == "LS1 4AP"
    assert session.progress.prefilled == {"full-name", "email", "light-postcode"}
    complete(
        session,
        {"fault": "out", "light-number": "", "street": "Park Row", "details": "", "full-name": "Ada King"},
    )
    assert "Ada King" in [r.answer for r in session.summary()]
    session.finish()
    session.start(training("pothole"))
    assert session.progress is not None
    assert session.progress.raw["full-name"] == "Ada King"  # the changed fact is the one offered


def test_an_address_fact_fills_postcode_and_street_and_types_must_match() -> None:
    session = Session()
    session.start(training("garden-waste-permit"))
    session.answer_page({"address": {"line1": "12 Park Row", "line2": "", "town": "Leeds", "postcode": "ls1 4ap"}})
    session.finish()
    session.start(training("missed-bin"))
    assert session.progress is not None
    assert session.progress.raw["postcode"] == "LS1 4AP"
    assert session.progress.raw["address-line"] == "12 Park Row"
    assert "email" not in session.progress.raw  # never given
    session.finish()
    session.start(training("council-tax-moving"))
    assert session.progress is not None
    assert session.progress.raw["new-address"]["line1"] == "12 Park Row"
    assert "old-address" not in session.progress.raw  # no reuse key: not offered


def test_wipe_forgets_answers_facts_and_history() -> None:
    session = Session()
    session.language = "ur"
    session.start(training("missed-bin"))
    complete(session, MISSED_BIN_RAW)
    progress = session.progress
    assert progress is not None
    session.wipe()
    assert session.progress is None
    assert session.facts == {}
    assert session.language == "en"
    assert progress.raw == {} and progress.answers == {} and progress.changing is None
    session.start(training("street-light-fault"))
    assert session.progress is not None and session.progress.raw == {}


def test_back_after_a_change_walks_the_route_without_skipping_or_repeating() -> None:
    session = Session()
    session.start(training("missed-bin"))
    complete(session, MISSED_BIN_RAW)
    session.summary()
    session.change("name")
    assert session.back() is None  # Back on the changed page: to check answers
    assert session.answer_page({"full-name": "Ada King"}) is None
    session.summary()
    walked = [session.back_from_check().id]
    while (page := session.back()) is not None:
        walked.append(page.id)
    assert walked == ["contact", "name", "address", "postcode", "when", "which-bin"]


def test_a_page_a_change_added_goes_back_to_the_changed_page() -> None:
    session = Session()
    session.start(training("new-bin"))
    complete(
        session, {"reason": "lost", "bins": ["general"], "address": "1 High St, Leeds, LS1 4AP", "full-name": "Ada"}
    )
    session.summary()
    session.change("reason")
    nxt = session.answer_page({"reason": "damaged"})
    assert isinstance(nxt, Page) and nxt.id == "damage"
    back = session.back()  # along the route: the page before it, not check answers (which would send it back here)
    assert back is not None and back.id == "which"
    assert session.focus_row() == "reason"


def test_the_cost_of_a_journey_is_a_fee_billed_later_or_the_amount_to_pay() -> None:
    session = Session()
    session.start(training("bulky-waste"))
    session.answer_page({"items": ["sofa"]})
    session.answer_page({"item-count": "5"})
    amount = session.amount()
    assert amount is not None and (str(amount.label), amount.amount) == ("Cost of the collection", "£41")
    assert amount.note is not None and "Nothing is paid at this kiosk" in amount.note
    session.finish()
    session.start(training("new-bin"))
    session.answer_page({"reason": "new-home"})
    assert session.amount() is None  # no charge for a newly built home
    session.finish()
    session.start(training("pay-parking-fine"))
    session.answer_page({"pcn-number": "LS12345678"})
    session.answer_page({"vehicle-registration": "AB12 CDE"})
    session.answer_page({"band": "higher"})
    session.answer_page({"within-14-days": "yes"})  # half the higher band, worked out from the answers
    amount = session.amount()
    assert amount is not None and (str(amount.label), amount.amount, amount.note) == ("Amount to pay", "£35.00", None)


def test_do_something_else_carries_the_address_from_a_postcode_and_street() -> None:
    session = Session()
    session.start(training("missed-bin"))
    complete(session, MISSED_BIN_RAW)
    session.finish()
    session.start(training("garden-waste-permit"))
    assert session.progress is not None
    assert session.progress.raw["address"] == {"line1": "12 Park Row", "line2": "", "town": "", "postcode": "LS1 4AP"}
    assert "address" in session.progress.prefilled
    assert session.progress.raw["full-name"] == "Ada Lovelace"


def test_a_newer_postcode_replaces_an_older_address() -> None:
    session = Session()
    session.start(training("garden-waste-permit"))
    session.answer_page({"address": {"line1": "12 Park Row", "line2": "", "town": "Leeds", "postcode": "ls1 4ap"}})
    session.finish()
    session.start(training("missed-bin"))
    complete(session, {**MISSED_BIN_RAW, "postcode": "LS2 7HY", "address-line": "1 Other Street"})
    session.finish()
    session.start(training("new-bin"))
    assert session.progress is not None
    assert session.progress.raw["address"] == {
        "line1": "1 Other Street",
        "line2": "",
        "town": "",
        "postcode": "LS2 7HY",
    }
