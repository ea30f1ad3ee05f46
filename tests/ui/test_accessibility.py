"""Every widget of every screen, at 100, 150 and 200% text and in both themes: an accessible name
and role, at least 44x44 px, no overlap with its neighbours, no clipped words; and the contrast of
every colour pair the theme draws with."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journeys.localised import languages_in
from journeys.models import Journey
from tests.helpers import training_journeys
from tests.ui.text_fit import clipped_words, horizontal_scrollbars
from ui.screens import Screen
from ui.theme import DEFAULT, HIGH_CONTRAST, MIN_TARGET_PX, TEXT_SCALES, contrast, non_text_pairs, text_pairs
from ui.window import KioskWindow

INTERACTIVE = (QAbstractButton, QLineEdit, QPlainTextEdit)


def show_question_type(window: KioskWindow, question_type: str) -> None:
    for journey in training_journeys():
        for page in journey.pages:
            if any(q.type == question_type for q in page.questions):
                window.session.start(journey)
                assert window.session.progress is not None
                window.session.progress.page_id = page.id
                window._show_page(page)
                return
    raise AssertionError(f"no training journey asks a {question_type} question")


def with_errors(window: KioskWindow) -> None:
    show_question_type(window, "address")
    assert isinstance(window.current, Screen)
    window.current.findChild(QPushButton, "continue").click()  # nothing filled in: errors


def check_answers(window: KioskWindow) -> None:
    journey = next(j for j in training_journeys() if j.id == "missed-bin")
    from journeys.flow import Flow

    window.session.start(journey)
    progress = window.session.progress
    assert progress is not None
    progress.answers, _ = Flow(journey).check_all(Flow(journey).example())
    window.show_check_answers()


def confirmation(window: KioskWindow) -> None:
    check_answers(window)
    window.submit()


def payment_step(window: KioskWindow, *, online: bool = False) -> None:
    """The parking fine's payment step (offline: pay later or at the counter; online also pay now, after a
    payment that did not go through)."""
    from journeys.flow import Flow
    from ui.screens.payment import outcome_words

    journey = next(j for j in training_journeys() if j.id == "pay-parking-fine")
    window.session.start(journey)
    progress = window.session.progress
    assert progress is not None
    progress.answers, _ = Flow(journey).check_all(Flow(journey).example())
    window.online = online
    window.steps.show_payment(outcome_words("failed") if online else None)


def payment_qr(window: KioskWindow) -> None:
    from ui.screens import PaymentWaitingScreen
    from ui.steps import status_words

    window._show(PaymentWaitingScreen("£35.00", "http://127.0.0.1:8080/pay/" + "Zq3" * 15, training=True))
    assert isinstance(window.current, PaymentWaitingScreen)
    window.current.set_status(status_words("started"))  # as a poll finds it: the page is open on the phone


def appointment_slots(window: KioskWindow) -> None:
    import datetime as dt

    from app.appointments import Slot, SlotDay

    journey = next(j for j in training_journeys() if j.id == "housing-appointment")
    page = next(p for p in journey.pages if p.id == "when")
    window.session.start(journey)
    assert window.session.progress is not None
    window.session.progress.page_id = page.id

    def slots(day: dt.date, hours: tuple[int, ...]) -> SlotDay:
        return SlotDay(day, tuple(
            Slot(f"housing-officer.{day:%Y%m%d}T{h:02d}{m:02d}", f"{day}T{h:02d}:{m:02d}+00:00",
                 f"{day}T{h + (m + 30) // 60:02d}:{(m + 30) % 60:02d}+00:00", "Housing Options, Merrion House, Leeds")
            for h in hours for m in (0, 30)
        ))  # fmt: skip

    window._show_page(
        page, context={"slots": [slots(dt.date(2026, 12, 8), (9, 10, 14)), slots(dt.date(2026, 12, 9), (10,))]}
    )


_PACK: list[Path] = []  # the fixture gazetteer's pack, built once for the whole run


def address_pack() -> Path:
    """A pack built from the generator's small fixture gazetteer (reference_portal/gazetteer_data.py)."""
    if not _PACK:
        from local_store.gazetteer import build_pack
        from reference_portal.gazetteer_data import FIXTURE_ADDRESSES, write_dtf

        folder = Path(tempfile.mkdtemp(prefix="dcp-address-pack-"))
        atexit.register(shutil.rmtree, folder, True)
        write_dtf(folder / "borough.csv", addresses=FIXTURE_ADDRESSES)
        build_pack(folder / "borough.csv", folder / "borough.sqlite", version="fixture-1")
        _PACK.append(folder / "borough.sqlite")
    return _PACK[0]


def install_address_pack(window: KioskWindow) -> None:
    """The fixture's pack installed on the window's kiosk as the sync installs a download (app/gazetteer.py)."""
    from app.gazetteer import packs_folder
    from local_store.gazetteer.shelf import PackShelf, file_sha256

    shelf = PackShelf(packs_folder(window.kiosk.config.data_dir))
    if shelf.current() is None:
        download = shelf.part_file()
        shutil.copy(address_pack(), download)
        shelf.install(download, "fixture-1", file_sha256(download))
    assert window.kiosk.addresses.available()


def address_lookup(window: KioskWindow, typed: str = "", *, choose: bool = False, manual: bool = False) -> None:
    """The address question with the lookup: empty, with what is typed searched, a row chosen, or the boxes."""
    install_address_pack(window)
    show_question_type(window, "address")
    assert isinstance(window.current, Screen)
    search = next(e for e in window.current.findChildren(QLineEdit) if e.objectName().endswith("-search"))
    if typed:
        search.setText(typed)
        search.setCursorPosition(0)
        QApplication.processEvents()  # the search runs when the keys are in
    rows = [r for r in window.current.findChildren(QAbstractButton) if "-address-" in r.objectName()]
    if choose:
        rows[0].setChecked(True)
        rows[0].setFocus()
    if manual:
        next(b for b in window.current.findChildren(QAbstractButton) if b.objectName().endswith("-manual")).click()


def confirmation_paid(window: KioskWindow) -> None:
    from journeys.flow import Flow

    journey = next(j for j in training_journeys() if j.id == "pay-parking-fine")
    window.session.start(journey)
    progress = window.session.progress
    assert progress is not None
    progress.answers, _ = Flow(journey).check_all(Flow(journey).example())
    paid = {"method": "online", "amount": 3500, "status": "success", "payment_id": "p1", "provider_id": "PAY-7H2K9QWE"}
    window.save(paid)


SCREENS: dict[str, Callable[[KioskWindow], None]] = {
    "home": lambda w: w.show_home(),
    "start": lambda w: w.open_journey("missed-bin", 1),
    "languages": lambda w: w.show_languages(),
    "check-answers": check_answers,
    "confirmation": confirmation,
    "errors": with_errors,
    "problem": lambda w: w.show_problem("We could not save this. Please ask a member of staff."),
    "idle-warning": lambda w: (w.open_journey("missed-bin", 1), w.idle.warn_now()),
    "payment-offline": payment_step,
    "payment-online": partial(payment_step, online=True),
    "payment-qr": payment_qr,
    "appointment-slots": appointment_slots,
    "confirmation-paid": confirmation_paid,
    "address-lookup": address_lookup,
    "address-lookup-results": partial(address_lookup, typed="bb2 1lb"),
    "address-lookup-more": partial(address_lookup, typed="Harwood"),  # more than the list shows
    "address-lookup-none": partial(address_lookup, typed="ZZ9 9ZZ"),
    "address-lookup-chosen": partial(address_lookup, typed="BB10 4RC", choose=True),
    "address-lookup-manual": partial(address_lookup, typed="bb21lb", manual=True),
    **{
        f"question-{t}": partial(lambda t, w: show_question_type(w, t), t)
        for t in (
            "radios",
            "checkboxes",
            "select",
            "yes_no",
            "date",
            "time",
            "address",
            "money",
            "long_text",
            "text",
            "appointment",
        )
    },
}


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    for w in root.findChildren(QWidget):
        if w.isVisibleTo(root) and w.isVisible() and w.width() > 0:
            yield w


def global_rect(w: QWidget) -> QRect:
    return QRect(w.mapToGlobal(w.rect().topLeft()), w.size())


def shown_rect(w: QWidget) -> QRect:
    scroll = w.parentWidget()
    while scroll is not None and not isinstance(scroll, QScrollArea):
        scroll = scroll.parentWidget()
    return (
        global_rect(w).intersected(global_rect(scroll.viewport()))
        if isinstance(scroll, QScrollArea)
        else global_rect(w)
    )


def problems(window: KioskWindow) -> list[str]:
    found: list[str] = []
    interactive = [w for w in visible_widgets(window) if isinstance(w, INTERACTIVE)]
    assert interactive, "a screen with nothing to press"
    for w in interactive:
        what = f"{type(w).__name__} {w.objectName() or w.accessibleName()!r}"
        iface = QAccessible.queryAccessibleInterface(w)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            found.append(f"{what}: no accessible name")
        elif iface.role() in (QAccessible.Role.NoRole, QAccessible.Role.Client):
            found.append(f"{what}: no accessible role")
        if w.width() < MIN_TARGET_PX or w.height() < MIN_TARGET_PX:
            found.append(f"{what}: {w.width()}x{w.height()} px is smaller than {MIN_TARGET_PX}x{MIN_TARGET_PX}")
        hint = w.minimumSizeHint()
        if isinstance(w, QPushButton) and w.text() and (w.width() < hint.width() or w.height() < hint.height()):
            found.append(f"{what}: its words are clipped ({w.width()}x{w.height()} < {hint.width()}x{hint.height()})")
    for w in visible_widgets(window):  # wrapped words: every label gets the height its words need
        if isinstance(w, QLabel) and w.wordWrap() and w.text() and w.heightForWidth(w.width()) > w.height() + 1:
            found.append(f"label {w.text()[:30]!r}: clipped ({w.height()} px < {w.heightForWidth(w.width())} px)")
    # no two controls overlap, unless one holds the other (the idle warning sits over the screen)
    rects = [(w, shown_rect(w)) for w in interactive]  # what shows: a page's scroll area clips it
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if window.idle_warning.isVisible() and (
                window.idle_warning.isAncestorOf(a) or window.idle_warning.isAncestorOf(b)
            ):
                continue
            if ra.intersects(rb):
                found.append(f"{a.objectName() or a.accessibleName()} overlaps {b.objectName() or b.accessibleName()}")
    # a radio's or checkbox's words keep clear of its circle or box, on its left or (right to left) its right
    for w in interactive:
        if isinstance(w, QRadioButton | QCheckBox) and isinstance(getattr(w, "words", None), QLabel):
            option = QStyleOptionButton()
            w.initStyleOption(option)
            kind = (
                QStyle.SubElement.SE_RadioButtonIndicator
                if isinstance(w, QRadioButton)
                else QStyle.SubElement.SE_CheckBoxIndicator
            )
            mark = w.style().subElementRect(kind, option, w)
            if mark.intersects(w.words.geometry()):
                found.append(
                    f"{w.objectName() or w.accessibleName()}: its words lie over its {'circle' if isinstance(w, QRadioButton) else 'box'}"
                )
    # every word fits the width it is given, and no page scrolls sideways
    found += clipped_words(window)
    found += horizontal_scrollbars(window)
    # nothing reaches outside the page it is on, except by scrolling
    for w in interactive:
        scroll = w.parentWidget()
        while scroll is not None and not isinstance(scroll, QScrollArea):
            scroll = scroll.parentWidget()
        page = scroll.widget() if isinstance(scroll, QScrollArea) else window.centralWidget()
        if page is not None and not global_rect(page).contains(global_rect(w)):
            found.append(f"{w.objectName() or w.accessibleName()}: outside its page")
    return found


# English at every text size; Urdu (right to left) and Gujarati at the smallest and the largest.
SIZES = [
    *[("en", i) for i in range(len(TEXT_SCALES))],
    *[(lang, i) for lang in ("ur", "gu") for i in (0, len(TEXT_SCALES) - 1)],
]


@pytest.mark.parametrize("theme", ["default", "high-contrast"])
@pytest.mark.parametrize(
    ("language", "scale"), SIZES, ids=[f"{lang}-{round(TEXT_SCALES[i] * 100)}%" for lang, i in SIZES]
)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_widget_is_named_large_and_unclipped(
    qtbot: QtBot, window: KioskWindow, screen: str, language: str, scale: int, theme: str
) -> None:
    window.online = True
    window.set_language(language)
    window.set_high_contrast(theme == "high-contrast")
    window.set_text_scale(scale)
    SCREENS[screen](window)
    QApplication.processEvents()
    window.set_text_scale(scale)  # the controls a screen shows are laid out at the chosen size
    qtbot.wait(1)
    assert problems(window) == []


def page_states(window: KioskWindow, journey: Journey) -> Iterator[str]:
    """Show every page of the journey as it is, with every field left empty, and with every text
    field holding a character no one can see (the longest error messages); yield what is shown."""
    for page in journey.pages:
        for state in ("as shown", "left empty", "hidden characters"):
            window.session.start(journey)
            assert window.session.progress is not None
            window.session.progress.page_id = page.id
            window._show_page(page)
            if state != "as shown":
                for edit in window.current.findChildren(QLineEdit) + window.current.findChildren(QPlainTextEdit):
                    if state == "hidden characters":
                        edit.setPlainText("a\u202e") if isinstance(edit, QPlainTextEdit) else edit.setText("a\u202e")
                window.current.findChild(QPushButton, "continue").click()
                if not (isinstance(window.current, Screen) and window.current.objectName() == f"page-{page.id}"):
                    continue  # nothing on the page is wrong: no error state to look at
            QApplication.processEvents()
            yield f"{page.id} ({state})"


JOURNEY_LANGUAGES = [
    (journey, lang) for journey in training_journeys() for lang in sorted(languages_in(journey) & {"en", "ur", "gu"})
]


@pytest.mark.parametrize("scale", [0, len(TEXT_SCALES) - 1], ids=lambda i: f"{round(TEXT_SCALES[i] * 100)}%")
@pytest.mark.parametrize(
    ("journey", "language"), JOURNEY_LANGUAGES, ids=[f"{j.id}-{lang}" for j, lang in JOURNEY_LANGUAGES]
)
def test_every_page_of_every_journey_fits_its_words(
    qtbot: QtBot, window: KioskWindow, journey: Journey, language: str, scale: int
) -> None:
    """At the kiosk's 1280x1024 screen, every page, with and without errors, in every language the journey is
    written in: no word clipped, no sideways scroll."""
    window.resize(1280, 1024)
    window.set_language(language)
    window.set_text_scale(scale)
    found = []
    for shown in page_states(window, journey):
        found += [f"{shown}: {problem}" for problem in clipped_words(window) + horizontal_scrollbars(window)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("palette", [DEFAULT, HIGH_CONTRAST], ids=lambda p: p.name)
def test_text_contrast_is_at_least_7_to_1_and_other_marks_3_to_1(palette) -> None:
    low_text = {k: round(contrast(*pair), 2) for k, pair in text_pairs(palette).items() if contrast(*pair) < 7}
    low_marks = {k: round(contrast(*pair), 2) for k, pair in non_text_pairs(palette).items() if contrast(*pair) < 3}
    assert low_text == {} and low_marks == {}


def test_the_contrast_formula_matches_wcag() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the well-known AA grey
    assert contrast("#123456", "#123456") == 1.0


def test_the_screens_are_drawn_in_the_palette(qtbot: QtBot, window: KioskWindow) -> None:
    """The colours the tests check are the colours on the screen."""
    for palette, on in ((DEFAULT, False), (HIGH_CONTRAST, True)):
        window.set_high_contrast(on)
        window.show_home()
        QApplication.processEvents()
        image = window.grab().toImage()
        banner = window.findChild(QWidget, "banner")
        corner = banner.mapTo(window, banner.rect().topLeft())
        assert image.pixelColor(corner.x() + 2, corner.y() + 2).name() == palette.banner
        page = window.current.findChild(QWidget, "body")
        spot = page.mapTo(window, page.rect().topLeft())
        assert image.pixelColor(spot.x() + 4, spot.y() + 4).name() == palette.background


@pytest.mark.parametrize("palette", [DEFAULT, HIGH_CONTRAST], ids=lambda p: p.name)
def test_a_focused_tile_draws_its_words_in_the_focus_colours(qtbot: QtBot, window: KioskWindow, palette) -> None:
    window.set_high_contrast(palette is HIGH_CONTRAST)
    window.show_home()
    tiles = window.current.tiles
    tiles[1].setFocus()
    QApplication.processEvents()
    for tile, words in ((tiles[1], palette.focus_text), (tiles[0], palette.button_text)):
        for line in tile.findChildren(QLabel):
            assert line.palette().color(line.foregroundRole()).name() == words
