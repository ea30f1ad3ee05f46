"""Audio mode's promises, through the real window and Qt's mock speech engine (its states, no sound).

Stop, repeat and interrupt by any action; speech ends at the wipe and the volume goes back to the
default; personal data only through headphones; a PIN never; the time-out warning is spoken and the
keypad extends it; a language with no voice is said once, in English, and staff see an alert.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.kiosk import Kiosk
from tests.helpers import MISSED_BIN_RAW, make_kiosk, seed_catalogue
from tests.ui.speech.test_keypad_journey import PAD, pad, said
from tests.ui.windows import open_window
from ui.screens import CheckAnswersScreen, ConfirmationScreen
from ui.speech.controller import hidden_phrase, spelt
from ui.speech.engine import State
from ui.window import KioskWindow


@pytest.fixture
def mute_kiosk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Kiosk:
    """A kiosk configured with a speech engine that does not exist (as if speech-dispatcher were missing)."""
    monkeypatch.setenv("DCP_KIOSK_SPEECH_ENGINE", "no-such-engine")
    k = make_kiosk(tmp_path / "mute")
    seed_catalogue(k)
    return k


@pytest.fixture
def speaker_window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KioskWindow:
    """A kiosk whose audio comes out of an open speaker."""
    monkeypatch.setenv("DCP_KIOSK_SPEECH_OUTPUT", "speaker")
    k = make_kiosk(tmp_path / "speaker")
    seed_catalogue(k)
    return open_window(qtbot, k)


def to_check_answers(window: KioskWindow) -> CheckAnswersScreen:
    """The missed-bin answers given (by code: the keypad path has its own test), at check answers."""
    window.open_journey("missed-bin", 1)
    journey = window.session.progress
    if journey is None:  # a start page first
        window._begin(window.kiosk.journey("missed-bin", 1))  # type: ignore[arg-type]
    while not isinstance(window.current, CheckAnswersScreen):
        screen = window.current
        page = window.session.progress.page  # type: ignore[union-attr]
        window.answer({q.id: MISSED_BIN_RAW[q.id] for q in page.questions})
        assert window.current is not screen
    return window.current


def test_stop_repeat_and_any_action_interrupt(qtbot: QtBot, window: KioskWindow) -> None:
    window.speech.start()
    engine = window.speech.engine
    assert engine is not None
    qtbot.waitUntil(lambda: engine.state() == State.Speaking)
    pad(qtbot, window, ".")  # stop
    qtbot.waitUntil(lambda: engine.state() == State.Ready, timeout=1000)

    first = pad(qtbot, window, "2")
    assert first[0] == "button"
    assert pad(qtbot, window, "6") == first  # repeat: the same words again
    qtbot.waitUntil(lambda: engine.state() == State.Speaking)
    # A tap anywhere, or a key that is not the keypad's, interrupts at once.
    qtbot.mouseClick(window.banner.title, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine.state() == State.Ready, timeout=1000)
    pad(qtbot, window, "7")
    qtbot.waitUntil(lambda: engine.state() == State.Speaking)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Shift)
    qtbot.waitUntil(lambda: engine.state() == State.Ready, timeout=1000)


def test_speech_ends_at_the_wipe_and_the_volume_goes_back(qtbot: QtBot, window: KioskWindow) -> None:
    window.speech.start()
    engine = window.speech.engine
    assert engine is not None and engine.tts is not None
    default = engine.volume_step
    assert pad(qtbot, window, "+") == [f"Volume {default + 1} of 10"]
    assert pad(qtbot, window, "+") == [f"Volume {default + 2} of 10"]
    assert engine.tts.volume() == pytest.approx((default + 2) / 10)
    assert pad(qtbot, window, "-") == [f"Volume {default + 1} of 10"]
    for _ in range(12):
        pad(qtbot, window, "-")
    assert engine.volume_step == 1  # never silent: a citizen who cannot see could not find it again
    pad(qtbot, window, "7")
    qtbot.waitUntil(lambda: engine.state() == State.Speaking)

    window.start_again()  # the wipe (also what the time-out does)
    qtbot.waitUntil(lambda: engine.state() == State.Ready, timeout=1000)
    assert not window.speech.on
    assert engine.volume_step == default and engine.tts.volume() == pytest.approx(default / 10)
    assert list(engine.said) == []  # nothing of the last citizen is kept
    assert window.banner.listen_button.text() == "Listen to this screen"


def test_answers_and_the_reference_are_spoken_only_through_headphones(
    qtbot: QtBot, speaker_window: KioskWindow
) -> None:
    window = speaker_window
    assert not window.speech.listening.private
    screen = to_check_answers(window)
    window.speech.start()
    heard = said(window)
    assert "Ada Lovelace" not in " ".join(heard) and "LS1 4AP" not in " ".join(heard)
    at = heard.index("What is your full name?")
    assert heard[at : at + 3] == ["What is your full name?", hidden_phrase(), "Change"]
    # The citizen switches to headphones with the * key: now the answers are read.
    assert pad(qtbot, window, "*") == ["Headphones: your answers will be read out."]
    heard = pad(qtbot, window, "7")
    at = heard.index("What is your full name?")
    assert heard[at : at + 3] == ["What is your full name?", "Ada Lovelace", "Change"]
    assert pad(qtbot, window, "*") == ["Speaker: your answers will not be read out."]

    screen.send_button.click()
    assert isinstance(window.current, ConfirmationScreen)
    heard = said(window)
    reference = window.current.reference
    assert not any(reference in p or spelt(reference) in p for p in heard), heard
    assert hidden_phrase() in heard
    # Typed words are private too: on the open speaker a box's contents and each key typed are hidden.
    window.start_again()
    assert not window.speech.listening.private  # the toggle does not outlive the citizen
    window.open_journey("missed-bin", 1)
    window._begin(window.kiosk.journey("missed-bin", 1))  # type: ignore[arg-type]
    window.answer({"bin-type": "general"})
    window.answer(MISSED_BIN_RAW)  # the date page
    window.speech.start()
    edit = QApplication.focusWidget()
    assert isinstance(edit, QLineEdit)
    window.speech.engine.said.clear()  # type: ignore[union-attr]
    qtbot.keyClicks(edit, "LS1")
    assert said(window) == [hidden_phrase()] * 3
    assert pad(qtbot, window, "5") == ["edit text", "What is the postcode of the property?", hidden_phrase()]


def test_a_pin_is_never_spoken(qtbot: QtBot, window: KioskWindow) -> None:
    window.staff.open_sign_in()
    window.speech.start()
    pin = window.findChild(QLineEdit, "staff-pin")
    assert pin is not None and pin.echoMode() != QLineEdit.EchoMode.Normal
    pin.setFocus()
    qtbot.waitUntil(lambda: said(window)[-3:] == ["edit text", "PIN", "blank"], timeout=1000)  # focus moved
    assert said(window)[-3:] == ["edit text", "PIN", "blank"]
    window.speech.engine.said.clear()  # type: ignore[union-attr]
    qtbot.keyClicks(pin, "9713")
    typing = said(window)
    assert typing == ["star"] * 4  # each key is heard, never its digit
    heard = pad(qtbot, window, "5")
    assert heard == ["edit text", "PIN", "4 characters typed"]
    everything = " ".join(typing + heard)
    assert not any(d in everything for d in "9713"), everything


def test_the_time_out_warning_is_spoken_and_a_keypad_key_gives_more_time(qtbot: QtBot, window: KioskWindow) -> None:
    window.open_journey("missed-bin", 1)
    window.speech.start()
    window.idle.warn_now(20)
    heard = said(window)
    assert any("seconds" in p for p in heard), heard  # the card's words, as shown
    assert heard[heard.index("You are on:") + 1 : heard.index("You are on:") + 3][0] == "button"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, PAD)
    assert not window.idle_warning.isVisible()
    assert not window.idle.counting


def test_a_language_with_no_voice_is_said_once_in_english_and_staff_see_an_alert(
    qtbot: QtBot, window: KioskWindow
) -> None:
    window.speech.start()
    window.set_language("ur")  # Qt's mock engine has no Urdu voice
    window.show_home()
    heard = said(window)
    notice = "Speech in Urdu is not available on this kiosk. The kiosk will speak in English."
    assert heard.count(notice) == 1
    assert window.speech.engine.language == "en"  # type: ignore[union-attr]
    pad(qtbot, window, "7")
    window.show_home()
    assert notice not in said(window)[1:]  # once
    kinds = [a.kind for a in window.kiosk.alerts()]
    assert "speech_voice_missing" in kinds
    alert = next(a for a in window.kiosk.alerts() if a.kind == "speech_voice_missing")
    assert "Urdu" in alert.message


def test_the_listen_button_starts_and_stops_audio_mode(qtbot: QtBot, window: KioskWindow) -> None:
    button = window.banner.listen_button
    assert button.accessibleName() or button.text() == "Listen to this screen"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.speech.on and button.text() == "Stop listening"
    assert "What would you like to do?" in said(window)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not window.speech.on and button.text() == "Listen to this screen"


def test_a_kiosk_that_cannot_speak_says_so_on_the_button(qtbot: QtBot, mute_kiosk: Kiosk) -> None:
    window = open_window(qtbot, mute_kiosk)
    qtbot.mouseClick(window.banner.listen_button, Qt.MouseButton.LeftButton)
    assert not window.speech.on
    assert window.banner.listen_button.text() == "Speech not working"  # and staff see why (an alert)


def test_warming_up_an_engine_that_cannot_speak_tells_staff(qtbot: QtBot, mute_kiosk: Kiosk) -> None:
    window = open_window(qtbot, mute_kiosk)
    window.speech.warm_up()
    assert [a.kind for a in mute_kiosk.alerts()] == ["speech_unavailable"]
    assert "no-such-engine" in mute_kiosk.alerts()[0].message


def test_warming_up_the_mock_engine_raises_nothing(qtbot: QtBot, window: KioskWindow) -> None:
    window.speech.warm_up()
    assert window.speech.engine is not None and window.speech.engine.available
    assert window.kiosk.alerts() == []


def test_a_refused_sign_in_is_said_and_then_the_pin_box(qtbot: QtBot, window: KioskWindow) -> None:
    window.staff.open_sign_in()
    window.speech.start()
    staff_id = window.findChild(QLineEdit, "staff-id")
    pin = window.findChild(QLineEdit, "staff-pin")
    assert staff_id is not None and pin is not None
    staff_id.setText("nobody")
    pin.setText("1234")
    window.speech.engine.said.clear()  # type: ignore[union-attr]
    pin.returnPressed.emit()
    qtbot.waitUntil(lambda: not window.speech._focus_pending.isActive(), timeout=1000)
    heard = said(window)
    assert "1234" not in " ".join(heard)
    # One utterance: the focus moving to the PIN box does not cut the error off.
    assert window.speech.engine.last_said == ["The staff id or PIN is not right.", "edit text", "PIN", "blank"]  # type: ignore[union-attr]


def test_a_language_button_is_said_in_its_own_voice_and_the_page_in_the_display_language(
    qtbot: QtBot, window: KioskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Home read in English names the languages in English ("Urdu"); on the Urdu button the kiosk switches to the
    Urdu voice and says "اردو" and "show the kiosk in this language" in Urdu; the next item is English again.
    Qt's mock engine has no Urdu voice, so the engine's choice of voice is recorded instead (the real voices are
    tested in tests/integration/test_speech_engine.py)."""
    from app import languages

    window.speech.start()
    engine = window.speech.engine
    assert engine is not None
    chosen: list[str] = []

    def set_language(lang: str) -> bool:
        chosen.append(lang)
        engine.language = lang
        return True

    monkeypatch.setattr(engine, "set_language", set_language)
    window.show_home()
    assert {"English", "Urdu", "Gujarati", "Punjabi", "Polish"} <= set(said(window))
    assert "اردو" not in said(window)
    urdu = window.current.findChild(QPushButton, "home-language-ur")
    urdu.setFocus()
    own = languages.translations("ur").gettext("Show the kiosk in this language")
    qtbot.waitUntil(lambda: engine.last_said == ["اردو", own])
    assert chosen[-1] == "ur" and own != "Show the kiosk in this language"
    window.current.tiles[0].setFocus()
    qtbot.waitUntil(lambda: bool(engine.last_said) and engine.last_said[0] != "اردو")
    assert chosen[-1] == "en" and any("blue badge" in p for p in engine.last_said)


def test_a_language_with_no_voice_is_described_as_any_button(qtbot: QtBot, window: KioskWindow) -> None:
    window.speech.start()
    window.show_home()
    window.current.findChild(QPushButton, "home-language-ur").setFocus()
    engine = window.speech.engine
    qtbot.waitUntil(lambda: any("اردو" in p for p in engine.last_said))  # the mock engine has no Urdu voice
    assert engine.language == "en" and any("button" in p.lower() for p in engine.last_said)
