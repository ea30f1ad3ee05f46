"""The kiosk in every language it has: every word through the catalogues, every glyph drawn, Urdu mirrored,
mixed-direction values in order, and the next citizen back in English."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app import languages
from app.kiosk import Kiosk
from journeys.flow import Flow
from journeys.localised import languages_in
from journeys.models import Journey
from tests.helpers import seed_catalogue, training_journeys
from tests.ui import test_accessibility
from tests.ui.languages import (
    PSEUDO,
    letters,
    missing_glyphs,
    pseudo_journey,
    script_letters,
    shown_texts,
    uncovered,
    unmarked,
    write_pseudo_catalogue,
)
from tests.ui.test_accessibility import SCREENS
from tests.ui.test_every_journey import input_widgets, operate_by_keyboard, press, tab_to
from tests.ui.windows import open_window
from ui import i18n
from ui.screens import CheckAnswersScreen, ConfirmationScreen, HomeScreen, QuestionScreen, StartScreen
from ui.window import KioskWindow

TRANSLATED = [j for j in training_journeys() if {"ur", "gu"} <= languages_in(j)]


def show(window: KioskWindow, language: str, screen: str) -> None:
    window.online = True
    window.set_language(language)
    SCREENS[screen](window)


def texts_of(window: KioskWindow) -> list[tuple[QWidget, str]]:
    QApplication.processEvents()
    return list(shown_texts(window))


# -- one translation function: nothing on a screen bypasses it -------------------------------------


@pytest.fixture
def pseudo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kiosk: Kiosk) -> Iterator[str]:
    """The kiosk with a pseudo-language: every catalogue entry ⟦English⟧, every journey text ⟪English⟫."""
    locales = tmp_path / "locales"
    locales.mkdir()
    shutil.copy(languages.catalogue_path("en"), locales / "en.po")
    write_pseudo_catalogue(locales)
    monkeypatch.setattr(languages, "LOCALES", locales)
    languages.forget()
    journeys = [Journey.model_validate(pseudo_journey(j.model_dump(mode="json"))) for j in training_journeys()]
    seed_catalogue(kiosk, journeys)
    monkeypatch.setattr(test_accessibility, "training_journeys", lambda: journeys)  # the screens' journeys
    yield PSEUDO
    languages.forget()


def allowed(window: KioskWindow) -> set[str]:
    """What may show untranslated: the citizen's own answers, the reference, the languages' own names,
    dates, numbers and amounts that CLDR formats (English month names in the pseudo-language), and the
    word "Language" that the banner adds in every other language so that helpers find the way back."""
    found = {languages.info(code).name for code in window.languages()} | {"Language"}
    for journey in training_journeys():
        flow = Flow(journey)
        raw = flow.example()
        parsed, _ = flow.check_all(raw)
        for value in [*raw.values(), *parsed.values()]:
            for piece in value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]:
                found.update(str(piece).split())
        for row in flow.summary(parsed, PSEUDO):
            found.update(unmarked(row.answer).split())
    for answer in getattr(window.current, "inputs", {}).values():  # the gazetteer's addresses: the council's data
        for shown in getattr(answer, "shown", []):
            found.update(" ".join(shown.values()).split())
    if window.receipt is not None:
        found.add(window.receipt.reference)
        payment = window.receipt.payment or {}
        found.add(str(payment.get("provider_id")))  # the payment provider's reference, as the portal gave it
    return found | MONTHS | WEEKDAYS | PORTAL_WORDS


# CLDR's month names where the pseudo-language has no locale of its own (its dates are British English)
MONTHS = set(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)


# CLDR's weekday names, as the months; and what the portal says of a slot (its place) is the portal's own data
WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
PORTAL_WORDS = set(["Housing", "Options,", "Merrion", "House,", "Leeds"])


def untranslated(window: KioskWindow) -> list[str]:
    """Every shown text, and every phrase speech would read on this screen, with words left unmarked."""
    ok = allowed(window)
    found = []
    spoken = [(window.current, s.text) for s in window.current.reading()] if window.current is not None else []
    for widget, text in [*texts_of(window), *spoken]:
        rest = [w for w in unmarked(text).split() if letters(w)]
        rest = [w for w in rest if w not in ok and w.strip(".,:;()") not in ok]
        if rest:
            found.append(f"{type(widget).__name__} {widget.objectName()!r}: {text!r} leaves {rest}")
    return found


# "problem" is left out: the walker's own screen shows the test's English words (the window's callers pass tr()).
@pytest.mark.parametrize("screen", [s for s in SCREENS if s != "problem"])
def test_every_word_on_every_screen_comes_through_a_translation(
    qtbot: QtBot, window: KioskWindow, pseudo: str, screen: str
) -> None:
    show(window, pseudo, screen)
    assert untranslated(window) == []


def test_the_cards_and_the_language_screen_come_through_a_translation(
    qtbot: QtBot, window: KioskWindow, pseudo: str
) -> None:
    window.set_language(pseudo)
    window.open_journey("missed-bin", 1)
    press(qtbot, window.current.start_button, keyboard=False)
    window.current.findChild(QPushButton, "continue").click()
    window.cards.ask_start_again()
    assert window.start_again_dialog.isVisible()
    assert untranslated(window) == []
    window.start_again_dialog.no.click()
    window.help.ask(False)
    assert window.help.card.isVisible()
    assert untranslated(window) == []
    window.help.close()
    window.show_languages()
    assert untranslated(window) == []


def test_the_pseudo_language_catches_a_word_that_bypasses_it(qtbot: QtBot, window: KioskWindow, pseudo: str) -> None:
    """The walker above can fail: an English literal put straight on a screen is found."""
    window.set_language(pseudo)
    window.show_home()
    window.current.column.addWidget(QLabel("Written without the translation function"))
    assert any("without" in line for line in untranslated(window))


# -- every catalogue complete, compiled, and marked as a draft --------------------------------------


def test_every_kiosk_message_is_in_every_catalogue() -> None:
    from tools import catalogues

    template = catalogues.template()
    found = [
        p
        for code in languages.codes()
        for p in catalogues.problems(catalogues.read(languages.catalogue_path(code)), template)
    ]
    assert found == [], "\n".join(found)
    assert set(languages.codes()) >= {"en", "ur", "gu", "pa", "pl"}


def test_the_check_finds_an_entry_left_in_english_or_with_a_placeholder_lost(tmp_path: Path) -> None:
    from tools import catalogues

    catalog = catalogues.read(languages.catalogue_path("ur"))
    catalog.get("Continue").string = "Continue"
    catalog.get("Enter {name}", "answer.enter").string = "لکھیں"
    found = catalogues.problems(catalog, catalogues.template())
    assert any("'Continue' is still the English" in p for p in found)
    assert any("answer.enter" in p and "placeholders" in p for p in found)


@pytest.mark.parametrize("code", ["ur", "gu", "pa", "pl"])
def test_every_translation_is_a_draft_until_a_native_speaker_reviews_it(code: str) -> None:
    drafts, entries = languages.drafts(code)
    assert entries > 200 and drafts == entries


@pytest.mark.parametrize("code", ["en", "ur", "gu", "pa", "pl"])
def test_the_compiled_catalogue_is_the_po_file_compiled(code: str) -> None:
    """`make catalogues` has run since the .po last changed: the kiosk reads what the translators wrote."""
    mo = languages.catalogue_path(code).with_suffix(".mo")
    assert mo.exists(), f"{mo.name} is missing: run `make catalogues`"
    assert mo.read_bytes() == languages.compile_po(languages.catalogue_path(code))


def test_plural_forms_follow_each_language() -> None:
    """Polish has three forms for a count ("sekundę", "sekundy", "sekund"), Urdu two."""
    try:
        i18n.set_language("pl")
        forms = {n: i18n.trn("{n} character typed", "{n} characters typed", n) for n in (1, 2, 5)}
        assert len(set(forms.values())) == 3
        i18n.set_language("ur")
        assert i18n.trn("{n} character typed", "{n} characters typed", 1) != i18n.trn(
            "{n} character typed", "{n} characters typed", 2
        )
    finally:
        i18n.set_language("en")


def test_the_cores_messages_are_in_the_same_catalogues() -> None:
    from journeys.localised import Localised
    from journeys.messages import msg

    name = Localised.model_validate({"en": "your full name", "ur": "آپ کا پورا نام"})
    message = msg("answer.enter", name=name)
    assert str(message) == "Enter your full name"
    said = i18n.text(message, "ur")
    assert "آپ کا پورا نام" in said and "Enter" not in said
    assert letters(said) and all("ARABIC" in unicodedata.name(ch) for ch in letters(said))


# -- fonts: every character of every screen in every language is drawn ------------------------------


def test_the_glyph_check_finds_a_character_no_font_has() -> None:
    font = QApplication.font()
    assert missing_glyphs("abc \U000f0000", font) == ["\U000f0000"]
    assert missing_glyphs("اردو ગુજરાતી ਪੰਜਾਬੀ Polski", font) == []


@pytest.mark.parametrize("language", ["en", "ur", "gu", "pa", "pl"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_character_is_drawn_with_a_real_glyph(
    qtbot: QtBot, window: KioskWindow, screen: str, language: str
) -> None:
    show(window, language, screen)
    found = []
    for widget, text in texts_of(window):
        missing = missing_glyphs(text, widget.font())
        if missing:
            found.append(f"{widget.objectName() or type(widget).__name__}: {text!r} misses {missing}")
    assert found == []


@pytest.mark.parametrize("language", ["ur", "gu", "pa", "pl"])
def test_every_character_of_the_cards_is_drawn(qtbot: QtBot, window: KioskWindow, language: str) -> None:
    """The cards over a screen too: Start again?, Get help, and the time-out warning with its countdown."""
    window.current.findChild(QPushButton, f"home-language-{language}").click()
    window.open_journey("missed-bin", 1)
    found = []
    for open_card in (window.cards.ask_start_again, lambda: window.help.ask(False), window.idle.warn_now):
        open_card()
        for widget, text in texts_of(window):
            missing = missing_glyphs(text, widget.font())
            if missing:
                found.append(f"{widget.objectName() or type(widget).__name__}: {text!r} misses {missing}")
        if window.idle_warning.isVisible():  # the countdown is written when the card shows: in the language
            assert letters(window.idle_warning.countdown.text())
        for card in (window.start_again_dialog, window.help.card, window.idle_warning):
            card.close_card()
    assert found == []


@pytest.mark.parametrize(
    ("language", "script", "family"),
    [
        ("ur", "ARABIC", "Noto Naskh Arabic"),
        ("gu", "GUJARATI", "Noto Sans Gujarati"),
        ("pa", "GURMUKHI", "Noto Sans Gurmukhi"),
    ],
)
def test_each_script_is_drawn_in_its_own_font(
    qtbot: QtBot, window: KioskWindow, language: str, script: str, family: str
) -> None:
    """Urdu in Noto Naskh Arabic (not the Arabic of a Latin font), Gujarati and Gurmukhi in their Noto fonts."""
    window.set_language(language)
    check_answers = SCREENS["check-answers"]
    check_answers(window)
    found = []
    for widget, text in texts_of(window):
        shown = script_letters(text, script)
        if not shown:
            continue
        first = next((f for f in widget.font().families() if uncovered(shown, f) != shown), None)
        if first != family or uncovered(shown, family):
            found.append(f"{widget.objectName()}: {text[:30]!r} in {widget.font().families()}")
    assert found == []


# -- Urdu: the whole path, mirrored, by keyboard ----------------------------------------------------

EXCEPTIONS = {"DCP", "LS1", "4AP"}  # a reference's and postcode's letters are not words to translate


def not_urdu(window: KioskWindow, typed: set[str]) -> list[str]:
    """Visible words with a letter that is not Urdu's, apart from the deliberate exceptions: what the
    citizen typed, the reference, the postcode, the other languages' names, and "Language" beside زبان."""
    names = {languages.info(code).name for code in window.languages()}
    english_only = {f"tile-{j.id}" for j in training_journeys() if "ur" not in languages_in(j)}
    reference = window.receipt.reference if window.receipt else ""
    found = []
    for widget, text in texts_of(window):
        tile = widget if widget.objectName().startswith("tile-") else widget.parentWidget()
        if tile is not None and tile.objectName() in english_only:
            continue  # a service only in English is shown in English, and says so (tested below)
        for word in text.replace(i18n.LRI, " ").replace(i18n.FSI, " ").replace(i18n.PDI, " ").split():
            latin = [ch for ch in letters(word) if "ARABIC" not in unicodedata.name(ch, "")]
            if not latin:
                continue
            bare = word.strip(".,:;()،۔")
            if (
                bare in names
                or bare in typed
                or bare == "Language"
                or bare in EXCEPTIONS
                or (reference and bare in reference)
            ):
                continue
            found.append(f"{widget.objectName() or type(widget).__name__}: {word!r} in {text!r}")
    return found


def mirrored(window: KioskWindow, screen: QWidget) -> None:
    """Back sits at the right, and the page's first control (Continue, Accept and send, Finish) starts at the right."""
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    back = screen.findChild(QPushButton, "back")
    if back is not None and back.isVisible():
        assert back.mapTo(window, back.rect().center()).x() > window.width() // 2
    for name in ("continue", "send", "finish", "start-now"):
        b = screen.findChild(QPushButton, name)
        if b is not None and b.isVisible():
            assert b.mapTo(window, b.rect().center()).x() > window.width() // 2, name


def test_missed_bin_in_urdu_by_keyboard_with_an_error_on_the_way(qtbot: QtBot, window: KioskWindow) -> None:
    journey = next(j for j in training_journeys() if j.id == "missed-bin")
    home = window.current
    assert isinstance(home, HomeScreen)
    urdu = home.findChild(QPushButton, "home-language-ur")
    assert urdu.text() == "اردو"
    tab_to(qtbot, urdu)
    qtbot.keyClick(urdu, Qt.Key.Key_Return)
    assert window.session.language == "ur" and i18n.current() == "ur"
    typed: set[str] = set()
    assert not_urdu(window, typed) == []
    press(qtbot, window.current.findChild(QPushButton, "tile-missed-bin"), keyboard=True)
    assert isinstance(window.current, StartScreen)
    mirrored(window, window.current)
    assert not_urdu(window, typed) == []
    press(qtbot, window.current.start_button, keyboard=True)
    raw = Flow(journey).example()
    shown_error = False
    for _ in range(len(journey.pages) + 1):
        screen = window.current
        if not isinstance(screen, QuestionScreen):
            break
        mirrored(window, screen)
        assert not_urdu(window, typed) == [], screen.objectName()
        if not shown_error:  # Continue with nothing chosen: the error, in Urdu, and focus on its summary
            press(qtbot, screen.continue_button, keyboard=True)
            screen = window.current
            assert isinstance(screen, QuestionScreen) and screen.error_summary is not None
            assert QApplication.focusWidget() is screen.error_summary
            assert "منتخب" in screen.reading_text() or "چنیں" in screen.reading_text()
            assert not_urdu(window, typed) == []
            mirrored(window, screen)
            shown_error = True
        for q in screen.page.questions:
            if raw.get(q.id) is not None:
                for widget, value in input_widgets(screen, q, raw[q.id]):
                    operate_by_keyboard(qtbot, widget, value)
                    if value is not True:
                        typed.update(str(value).split())
        press(qtbot, screen.continue_button, keyboard=True)
    assert isinstance(window.current, CheckAnswersScreen)
    mirrored(window, window.current)
    assert not_urdu(window, typed) == []
    press(qtbot, window.current.send_button, keyboard=True)
    assert isinstance(window.current, ConfirmationScreen)
    mirrored(window, window.current)
    assert not_urdu(window, typed) == []
    saved = window.kiosk.store.outbox.items()
    assert len(saved) == 1 and saved[0].journey_id == "missed-bin"


def test_a_value_that_reads_left_to_right_keeps_its_order_inside_urdu(qtbot: QtBot, window: KioskWindow) -> None:
    """A telephone number, a postcode and a reference inside Urdu text read as they are written."""
    window.set_language("ur")
    for value in ("+44 808 157 0192", "BB2 1LB", "DCP-AB2C-D3EF", "£1,250.50", "name@example.com"):
        shown = i18n.tr("Saved. It will be sent when the connection is back. Your reference is {reference}.").format(
            reference=i18n.isolate(value)
        )
        assert order_of(value, shown, window.font()) == sorted(order_of(value, shown, window.font()))
        bare = i18n.tr("Saved. It will be sent when the connection is back. Your reference is {reference}.").format(
            reference=value
        )
        if value.startswith("+"):  # without the isolate, the groups of digits come out backwards
            assert order_of(value, bare, window.font()) != sorted(order_of(value, bare, window.font()))


def order_of(value: str, text: str, font: QFont) -> list[float]:
    """Where each character of ``value`` (inside ``text``) is drawn, left to right, in right-to-left text."""
    layout = QTextLayout(text, font)
    option = layout.textOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100000)
    layout.endLayout()
    start = text.index(value)
    # between two of the value's own characters: at its ends a cursor position is on both sides of a
    # change of direction, and so ambiguous
    return [line.cursorToX(start + i)[0] for i in range(1, len(value))]


def test_check_answers_in_urdu_keeps_an_email_address_and_a_postcode_in_order(
    qtbot: QtBot, window: KioskWindow
) -> None:
    window.set_language("ur")
    SCREENS["check-answers"](window)
    answers = [w.text() for w in window.current.findChildren(QLabel) if "LS1" in w.text() or "@" in w.text()]
    assert answers and all(t.startswith(i18n.RLM + i18n.LRI) and t.endswith(i18n.PDI) for t in answers)
    for answer in window.current.findChildren(QLabel):  # each answer starts at the right, as the questions do
        if "LS1" in answer.text():
            assert answer.mapTo(window, answer.rect().topRight()).x() > window.width() // 2


# -- a journey not in the chosen language; the next citizen -----------------------------------------


def test_a_journey_only_in_english_says_so_in_the_chosen_language(qtbot: QtBot, window: KioskWindow) -> None:
    window.set_language("gu")
    window.show_home()
    english_only = next(j for j in training_journeys() if languages_in(j) == {"en"} and not j.requires_online)
    tile = window.current.findChild(QPushButton, f"tile-{english_only.id}")
    assert tile is not None and i18n.tr("In English only") in tile.accessibleDescription()
    window.open_journey(english_only.id, english_only.version)
    notice = window.current.findChild(QLabel, "language-notice")
    assert notice is not None and notice.isVisible()
    assert notice.text() == i18n.tr("This service is only in English. A member of staff can help.")
    assert letters(notice.text()) and all("GUJARATI" in unicodedata.name(ch) for ch in letters(notice.text()))
    assert window.current.reading()[0].text == notice.text()  # speech says it first
    back = window.current.findChild(QPushButton, "back")
    assert back.text() == i18n.tr("Back") != "Back"  # the kiosk's own words stay Gujarati


def test_a_translated_journey_has_no_notice(qtbot: QtBot, window: KioskWindow) -> None:
    window.set_language("ur")
    window.open_journey("missed-bin", 1)
    assert window.current.findChild(QLabel, "language-notice") is None


@pytest.mark.parametrize("how", ["start again", "time-out"])
def test_the_next_citizen_starts_in_english(qtbot: QtBot, window: KioskWindow, how: str) -> None:
    window.current.findChild(QPushButton, "home-language-ur").click()
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.banner.start_again_button.text() != "Start again"
    window.open_journey("missed-bin", 1)
    if how == "start again":
        window.start_again()
    else:
        window.idle.expired.emit()
    assert window.session.language == "en" and i18n.current() == "en"
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.banner.start_again_button.text() == "Start again"
    assert window.idle_warning.button.text() == "I need more time"
    assert isinstance(window.current, HomeScreen)
    assert window.current.findChild(QPushButton, "home-language-en").isChecked()


def test_choosing_a_language_on_home_changes_the_whole_kiosk_at_once(qtbot: QtBot, window: KioskWindow) -> None:
    home = window.current
    names = [b.text() for b in home.language_buttons]
    assert names == [languages.info(c).name for c in window.languages()]
    assert {"English", "اردو", "ગુજરાતી", "ਪੰਜਾਬੀ", "Polski"} <= set(names)
    home.findChild(QPushButton, "home-language-pl").click()
    assert window.current is not home and isinstance(window.current, HomeScreen)
    assert QApplication.focusWidget() is window.current.findChild(QPushButton, "home-language-pl")
    assert window.banner.help_button.text() == i18n.tr("Get help") != "Get help"
    assert window.idle_warning.heading.text() == i18n.tr("Do you need more time?") != "Do you need more time?"
    assert window.start_again_dialog.yes.text() != "Yes, clear my answers"
    assert window.help.card.heading.text() != "Get help"
    assert window.windowTitle() == i18n.tr("Council services")
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_money_and_dates_on_check_answers_are_written_as_the_language_writes_them(
    qtbot: QtBot, window: KioskWindow
) -> None:
    journey = next(j for j in TRANSLATED if j.id == "missed-bin")
    window.set_language("ur")
    window.session.start(journey)
    progress = window.session.progress
    assert progress is not None
    progress.answers, _ = Flow(journey).check_all(Flow(journey).example())
    window.show_check_answers()
    from journeys import formatting

    day = progress.answers["collection-date"]
    import datetime as dt

    written = formatting.format_date(dt.date.fromisoformat(day), "ur")
    assert any(written in t for _w, t in texts_of(window))
    assert any(ch for ch in written if "ARABIC" in unicodedata.name(ch, ""))


def test_a_council_offers_the_languages_it_chose_and_starts_in_its_default(qtbot: QtBot, tmp_path: Path) -> None:
    """`languages` and `default_language`: only reviewed languages on the home screen; each citizen starts in
    the default, and Start again goes back to it."""
    from app.config import load_config
    from app.kiosk import Kiosk

    config = load_config(
        data_dir=tmp_path / "kiosk",
        training=True,
        environ={"DCP_KIOSK_LANGUAGES": "ur,en", "DCP_KIOSK_DEFAULT_LANGUAGE": "ur"},
    )
    kiosk = Kiosk(config)
    seed_catalogue(kiosk)
    try:
        window = open_window(qtbot, kiosk)
        assert window.session.language == "ur" and window.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert [b.objectName() for b in window.current.language_buttons] == ["home-language-ur", "home-language-en"]
        window.current.findChild(QPushButton, "home-language-en").click()
        assert window.session.language == "en" and not window.pristine()
        window.start_again()
        assert window.session.language == "ur" and i18n.current() == "ur" and window.pristine()
        window.set_language("pl")  # not offered: the default instead
        assert window.session.language == "ur"
    finally:
        kiosk.close()


def test_the_staff_sign_in_stays_english_and_left_to_right_in_urdu(qtbot: QtBot, window: KioskWindow) -> None:
    """The deliberate fallback: staff screens in the kiosk's working language, whatever the citizen chose."""
    window.current.findChild(QPushButton, "home-language-ur").click()
    window.staff.open_sign_in()
    screen = window.current
    assert screen.objectName() == "staff-sign-in"
    assert screen.layoutDirection() == Qt.LayoutDirection.LeftToRight
    shown = [t for w, t in texts_of(window) if screen.isAncestorOf(w)]
    assert shown and not [t for t in shown if any("ARABIC" in unicodedata.name(ch, "") for ch in t)]
