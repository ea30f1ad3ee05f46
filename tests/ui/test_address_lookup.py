"""The address lookup, on a kiosk with a real pack built from the generator's fixture gazetteer: typing
finds addresses as the citizen types, keys alone or a tap choose one, a finger drags the page, the status
line says what was found and speech announces it, "I can't find my address" gives the four boxes, Back
and Change bring the chosen address back, no pack is the four boxes, and Urdu mirrors the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from local_store.gazetteer import Pack
from reference_portal.gazetteer_data import KNOWN
from tests.ui.test_accessibility import address_lookup, address_pack, install_address_pack
from tests.ui.test_every_journey import tab_to
from tests.ui.test_touch import drag_with_mouse, scroll_area
from ui import i18n
from ui.screens import QuestionScreen
from ui.screens.address import AddressInput
from ui.window import KioskWindow

KINGS_ROAD_14 = "14 King's Road, Little Harwood, Harwood, BB2 1LB"
FLAT_2 = "Flat 2, Rose Court, 3 Mill Lane, Queen's Park, Harwood, BB10 4RC"


def lookup(window: KioskWindow) -> AddressInput:
    screen = window.current
    assert isinstance(screen, QuestionScreen)
    found = next(iter(screen.inputs.values()))
    assert isinstance(found, AddressInput)
    return found


def rows(window: KioskWindow) -> list[str]:
    """The addresses the list shows, top to bottom."""
    return [r.accessibleName() for r in lookup(window).radios if r.isVisible()]


def type_in(qtbot: QtBot, window: KioskWindow, text: str) -> None:
    """Clear the search box and type, key by key, as a citizen does; wait for the list."""
    search = lookup(window).search
    search.setFocus()
    search.clear()
    qtbot.keyClicks(search, text)
    qtbot.waitUntil(lambda: not lookup(window).timer.isActive())


def expected(text: str) -> list[str]:
    """What the pack itself finds for `text`, in its order: what the list must show."""
    pack = Pack.open(address_pack())
    try:
        return [a.one_line() for a in pack.search(text).addresses]
    finally:
        pack.close()


@pytest.fixture
def garden(qtbot: QtBot, window: KioskWindow) -> KioskWindow:
    """The garden waste permit's first page, its address question, on a kiosk with the pack installed."""
    install_address_pack(window)
    window.current.findChild(QPushButton, "tile-garden-waste-permit").click()
    window.current.findChild(QPushButton, "start-now").click()
    assert window.current.objectName() == "page-address"
    return window


def test_a_postcode_with_or_without_its_space_lists_its_addresses_as_they_are_typed(
    qtbot: QtBot, garden: KioskWindow
) -> None:
    assert rows(garden) == [] and not lookup(garden).status.isVisible()  # nothing typed, nothing listed
    type_in(qtbot, garden, "B")
    assert rows(garden) == [] and not lookup(garden).status.isVisible()  # one character: nothing yet
    type_in(qtbot, garden, "BB2 1LB")
    with_space = rows(garden)
    assert KINGS_ROAD_14 in with_space and with_space == expected("BB2 1LB")
    assert all(line.endswith("BB2 1LB") for line in with_space)
    type_in(qtbot, garden, "bb21lb")
    assert rows(garden) == with_space
    n = len(with_space)
    assert lookup(garden).status.text() == f"{n} addresses found"


def test_the_status_line_says_what_was_found_and_speech_announces_it(qtbot: QtBot, garden: KioskWindow) -> None:
    said: list[str] = []
    garden.current.announced.connect(lambda phrases: said.extend(p.text for p in phrases))
    type_in(qtbot, garden, "ZZ9 9ZZ")
    none = "No address matches. Check the postcode, or choose I can't find my address"
    assert rows(garden) == [] and lookup(garden).status.text() == none
    assert said[-1] == none
    type_in(qtbot, garden, "Harwood")
    assert len(rows(garden)) == 8
    assert lookup(garden).status.text() == "Showing the first 8: add the house number to narrow it"
    assert said[-1] == lookup(garden).status.text()
    type_in(qtbot, garden, "Flat 2 Rose Court")
    assert rows(garden)[0] == FLAT_2
    count = len(rows(garden))
    assert said[-1] == ("1 address found" if count == 1 else f"{count} addresses found")


def test_every_row_is_reached_and_chosen_by_the_arrow_keys_and_continue_gives_its_uprn(
    qtbot: QtBot, garden: KioskWindow
) -> None:
    type_in(qtbot, garden, "BB2 1LB")
    shown = [r for r in lookup(garden).radios if r.isVisible()]
    assert len(shown) >= 3
    qtbot.keyClick(lookup(garden).search, Qt.Key.Key_Tab)  # one Tab: into the list
    assert QApplication.focusWidget() is shown[0]
    qtbot.keyClick(shown[0], Qt.Key.Key_Space)
    for row in shown[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        assert QApplication.focusWidget() is row and row.isChecked(), row.accessibleName()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # one Tab: out of the list
    assert QApplication.focusWidget().objectName() == "address-manual"
    last = lookup(garden).shown[len(shown) - 1]
    assert garden.current.values()["address"] == last and last["uprn"]
    chosen = KNOWN["kings_road_14"]
    index = rows(garden).index(KINGS_ROAD_14)
    shown[index].setFocus()
    qtbot.keyClick(shown[index], Qt.Key.Key_Space)
    tab_to(qtbot, garden.current.continue_button)
    qtbot.keyClick(garden.current.continue_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: garden.current.objectName() == "page-bins")
    answer = garden.session.progress.answers["address"]
    assert answer["uprn"] == chosen.uprn
    assert answer["line1"] == "14 King's Road" and answer["postcode"] == "BB2 1LB"


def test_a_tap_anywhere_on_a_row_chooses_it(qtbot: QtBot, garden: KioskWindow) -> None:
    type_in(qtbot, garden, "BB10 4RC")
    row = lookup(garden).radios[1]
    assert not row.isChecked()
    area = scroll_area(garden)  # the row inside the offscreen platform's 800x600 screen, where a tap finds it
    area.verticalScrollBar().setValue(row.mapTo(area.widget(), QPoint(0, 0)).y() - 100)
    QApplication.processEvents()
    QTest.mouseClick(row, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(row.width() - 20, 10))
    qtbot.waitUntil(row.isChecked)
    assert garden.current.values()["address"]["uprn"] == lookup(garden).shown[1]["uprn"]


def test_dragging_the_list_scrolls_the_page_and_chooses_nothing(qtbot: QtBot, garden: KioskWindow) -> None:
    garden.set_text_scale(2)
    type_in(qtbot, garden, "Harwood")
    QApplication.processEvents()
    area = scroll_area(garden)
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200)
    row = lookup(garden).radios[1]
    bar.setValue(row.mapTo(area.widget(), QPoint(0, 0)).y() - 100)  # the second row near the top of the screen
    QApplication.processEvents()
    before = bar.value()
    drag_with_mouse(area.viewport(), row.mapTo(area.viewport(), QPoint(row.width() // 2, 10)), 200)
    qtbot.waitUntil(lambda: bar.value() > before + 100)
    assert not any(r.isChecked() for r in lookup(garden).radios)


def test_i_cant_find_my_address_gives_the_four_boxes_and_back_again(qtbot: QtBot, garden: KioskWindow) -> None:
    type_in(qtbot, garden, "bb21lb")
    answer = lookup(garden)
    garden.current.findChild(QPushButton, "address-manual").click()
    assert not answer.search.isVisible() and not any(r.isVisible() for r in answer.radios)
    assert all(edit.isVisible() for edit in answer.edits.values())
    assert answer.edits["postcode"].text() == "BB2 1LB"  # what was typed, as a postcode
    assert QApplication.focusWidget() is answer.edits["line1"]
    said = garden.current.reading_text()
    assert "Address line 1" in said and "I can't find my address" not in said
    garden.current.findChild(QPushButton, "address-find").click()  # and back to the lookup, as it was
    assert answer.search.isVisible() and answer.search.text() == "bb21lb" and rows(garden)
    assert QApplication.focusWidget() is answer.search
    garden.current.findChild(QPushButton, "address-manual").click()
    for part, text in (("line1", "1 Nowhere Street"), ("town", "Harwood")):
        answer.edits[part].setText(text)
    garden.current.continue_button.click()
    qtbot.waitUntil(lambda: garden.current.objectName() == "page-bins")
    assert garden.session.progress.answers["address"] == {
        "line1": "1 Nowhere Street",
        "line2": "",
        "town": "Harwood",
        "postcode": "BB2 1LB",
    }
    garden.current.back_button.click()  # a typed address comes back in the boxes
    answer = lookup(garden)
    assert answer.manual and answer.edits["line1"].isVisible() and answer.edits["line1"].text() == "1 Nowhere Street"


def test_continue_with_nothing_typed_is_the_required_error_whose_link_focuses_the_search(
    qtbot: QtBot, garden: KioskWindow
) -> None:
    garden.current.continue_button.click()
    summary = garden.current.error_summary
    assert summary is not None
    link = next(b for b in summary.findChildren(QPushButton) if b.objectName().startswith("error-link-address"))
    assert link.accessibleName() == "Enter your address"
    link.click()
    assert QApplication.focusWidget() is lookup(garden).search


def test_continue_with_an_address_typed_but_none_chosen_asks_to_choose(qtbot: QtBot, garden: KioskWindow) -> None:
    type_in(qtbot, garden, "BB2 1LB")
    garden.current.continue_button.click()
    assert garden.current.objectName() == "page-address"
    words = "Choose your address from the list, or choose I can't find my address"
    assert words in garden.current.reading_text()
    answer = lookup(garden)
    assert answer.search.text() == "BB2 1LB" and rows(garden) == expected("BB2 1LB")  # still there to choose


@pytest.mark.parametrize("how", ["back", "change"])
def test_back_or_change_brings_the_chosen_address_back_checked(qtbot: QtBot, garden: KioskWindow, how: str) -> None:
    type_in(qtbot, garden, "BB10 4RC")
    index = rows(garden).index(FLAT_2)
    lookup(garden).radios[index].click()
    garden.current.continue_button.click()
    qtbot.waitUntil(lambda: garden.current.objectName() == "page-bins")
    if how == "back":
        garden.current.back_button.click()
    else:
        garden.session.progress.answers["bins"] = 1  # straight to check answers, then Change
        garden.change_answer("address")
    answer = lookup(garden)
    assert answer.search.text() == "BB10 4RC" and not answer.manual
    checked = [r for r in answer.radios if r.isChecked()]
    assert [r.accessibleName() for r in checked] == [FLAT_2]
    assert QApplication.focusWidget() is checked[0] or garden.current.first_focus() is checked[0]
    assert garden.current.values()["address"]["uprn"] == KNOWN["rose_court_flat_2"].uprn


def test_with_no_pack_the_address_is_the_four_boxes(qtbot: QtBot, window: KioskWindow) -> None:
    assert not window.kiosk.addresses.available()
    window.current.findChild(QPushButton, "tile-garden-waste-permit").click()
    window.current.findChild(QPushButton, "start-now").click()
    answer = lookup(window)
    assert answer.manual and answer.addresses is None
    names = {e.objectName() for e in window.current.findChildren(QLineEdit)}
    assert names == {"address-line1", "address-line2", "address-town", "address-postcode"}
    assert all(e.isVisible() for e in answer.edits.values())
    assert window.current.findChild(QPushButton, "address-manual") is None
    assert window.current.findChild(QPushButton, "address-find") is None


def test_in_urdu_the_list_mirrors_and_each_address_keeps_its_order(qtbot: QtBot, window: KioskWindow) -> None:
    window.set_language("ur")
    address_lookup(window, "BB2 1LB")
    QApplication.processEvents()
    shown = [r for r in lookup(window).radios if r.isVisible()]
    assert shown
    for row in shown:
        assert row.isRightToLeft()
        assert row.words.text().startswith(i18n.RLM + i18n.LRI) and row.words.text().endswith(i18n.PDI)
        assert row.mapTo(window, row.rect().topRight()).x() > window.width() // 2


def test_the_reading_is_the_status_line_then_each_address_in_order(qtbot: QtBot, window: KioskWindow) -> None:
    address_lookup(window, "BB2 1LB")
    screen = window.current
    lines = screen.reading_text().split("\n")
    found = expected("BB2 1LB")
    status = lines.index(f"{len(found)} addresses found")
    assert lines[status + 1 : status + 1 + len(found)] == found  # postal order: number first
    assert lines[status + 1 + len(found)] == "I can't find my address"
    assert lines.index("Postcode, or house number and street") < status
    private = {s.text for s in screen.reading() if s.private}
    assert set(found) <= private  # the citizen's address: only through headphones
    address_lookup(window, "ZZ9 9ZZ")  # the list changes: the reading changes with it, in place
    lines = window.current.reading_text().split("\n")
    assert "No address matches. Check the postcode, or choose I can't find my address" in lines
    assert not set(found) & set(lines)


def test_the_pack_fixture_is_a_real_pack(tmp_path: Path) -> None:
    """The lookup tests search a real pack built from the generator, not a stand-in."""
    pack = Pack.open(address_pack())
    try:
        assert pack.meta.addresses > 200
        assert pack.by_uprn(KNOWN["kings_road_14"].uprn) is not None
    finally:
        pack.close()


def test_the_hint_gives_an_example_from_the_councils_own_pack(garden: KioskWindow) -> None:
    pack = Pack.open(address_pack())
    try:
        sample = pack.example()
    finally:
        pack.close()
    assert sample is not None and sample.number and sample.postcode
    hints = [w.text() for w in lookup(garden).lookup_widgets if hasattr(w, "text") and "For example" in w.text()]
    assert len(hints) == 1
    assert sample.postcode in hints[0] and sample.street_line in hints[0]
