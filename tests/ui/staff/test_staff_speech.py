"""The staff console's speech switch: where audio mode speaks now, switched for the citizen staff
are helping (ui/speech/listening.py's toggle), audited, undone by the wipe, and accessible."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from tests.ui.speech.test_listening import FakePactl, checked
from tests.ui.staff.test_staff import PIN, audit, click, sign_in
from tests.ui.test_accessibility import problems
from ui.speech.listening import Listening
from ui.staff import ConsoleScreen, StaffController
from ui.theme import TEXT_SCALES
from ui.window import KioskWindow

SPEAKER = "Speech: open speaker, answers hidden"
HEADPHONES = "Speech: headphones"


@pytest.fixture
def staffed(window: KioskWindow) -> KioskWindow:
    window.kiosk.staff.add("amy", "Amy Khan", PIN)
    return window


@pytest.fixture
def listening() -> Iterator[Listening]:
    made = Listening("speaker")
    yield made
    made.stop()


def switch(window: KioskWindow) -> QPushButton:
    assert isinstance(window.current, ConsoleScreen)
    found = window.current.findChild(QPushButton, "speech-output")
    assert found is not None and found.isVisible()
    return found


def test_staff_see_where_speech_goes_and_switch_it(qtbot: QtBot, staffed: KioskWindow, listening: Listening) -> None:
    window = staffed
    window.staff.listening = listening
    sign_in(qtbot, window)
    button = switch(window)
    assert button.text() == SPEAKER and button.accessibleName() == SPEAKER
    assert "Switch to headphones" in button.accessibleDescription()
    source = window.current.findChild(type(window.current.speech_source), "speech-output-source")
    assert source is not None and "open speaker (configured)" in source.text()

    click(qtbot, window, "speech-output")
    assert listening.private is True and button.text() == HEADPHONES
    assert "switched for this citizen" in source.text()
    assert [e["staff_id"] for e in audit(window, "staff_speech_headphones")] == ["amy"]

    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(button, Qt.Key.Key_Space)  # the keyboard works it too
    assert listening.private is False and button.text() == SPEAKER
    assert len(audit(window, "staff_speech_speaker")) == 1


def test_the_switch_is_keyboard_reachable(qtbot: QtBot, staffed: KioskWindow, listening: Listening) -> None:
    window = staffed
    window.staff.listening = listening
    sign_in(qtbot, window)
    button = switch(window)
    for _ in range(30):
        if button.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert button.hasFocus()
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert listening.private is True


def test_the_citizens_switch_does_not_outlive_them(qtbot: QtBot, staffed: KioskWindow, listening: Listening) -> None:
    window = staffed
    window.staff.listening = listening
    sign_in(qtbot, window)
    click(qtbot, window, "speech-output")
    assert listening.private is True
    click(qtbot, window, "console-sign-out")  # the wipe
    assert listening.private is False and listening.source() == "open speaker (configured)"


def test_the_console_follows_the_headphone_jack(qtbot: QtBot, staffed: KioskWindow, tmp_path: Path) -> None:
    pactl = FakePactl(tmp_path / "bin")
    detect = Listening("detect", pactl=str(pactl.path), poll_ms=50)
    try:
        window = staffed
        window.staff.listening = detect
        detect.start()
        checked(qtbot, detect)  # unplugged
        sign_in(qtbot, window)
        button = switch(window)
        with qtbot.waitSignal(detect.plugged_in, timeout=5000):
            pactl.plug()
        assert button.text() == HEADPHONES
        assert "headphones (detected)" in window.current.speech_source.text()
    finally:
        detect.stop()


def test_no_audio_mode_no_switch(qtbot: QtBot, staffed: KioskWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StaffController, "listening", property(lambda self: None))  # a kiosk with no audio mode
    window = staffed
    sign_in(qtbot, window)
    assert isinstance(window.current, ConsoleScreen)
    assert window.current.findChild(QPushButton, "speech-output") is None
    window.staff.switch_speech()  # nothing to switch: no error


def test_the_window_speech_controllers_listening_is_the_default(qtbot: QtBot, staffed: KioskWindow) -> None:
    window = staffed
    speech = getattr(window, "speech", None)
    if speech is None or not isinstance(getattr(speech, "listening", None), Listening):
        pytest.skip("the window has no SpeechController yet")
    sign_in(qtbot, window)
    assert window.staff.listening is speech.listening
    click(qtbot, window, "speech-output")
    assert speech.listening.private is False  # tests configure a private earpiece; staff switched it
    assert switch(window).text() == SPEAKER


@pytest.mark.parametrize("theme", ["default", "high-contrast"])
@pytest.mark.parametrize("scale", [0, len(TEXT_SCALES) - 1], ids=["100%", "200%"])
@pytest.mark.parametrize("private", [False, True], ids=["speaker", "headphones"])
def test_the_switch_is_named_large_and_unclipped(
    qtbot: QtBot, staffed: KioskWindow, listening: Listening, theme: str, scale: int, private: bool
) -> None:
    window = staffed
    window.staff.listening = listening
    if private:
        listening.toggle()
    sign_in(qtbot, window)
    window.set_high_contrast(theme == "high-contrast")
    window.set_text_scale(scale)
    window.staff.show_console()
    QApplication.processEvents()
    qtbot.wait(1)
    button = switch(window)
    assert button.width() >= 44 and button.height() >= 44
    assert problems(window) == []
