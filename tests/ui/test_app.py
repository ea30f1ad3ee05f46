"""Starting the kiosk: a database it cannot open gives a notice, a bug gives the problem screen."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.config import load_config
from tests.helpers import make_kiosk
from ui.app import install_crash_screen, out_of_service, run_kiosk
from ui.window import KioskWindow


def test_a_database_it_cannot_open_shows_an_out_of_service_notice(qtbot: QtBot, tmp_path: Path) -> None:
    make_kiosk(tmp_path, training=True).close()  # a training database...
    shown: list[str] = []

    def spy() -> None:
        for w in QApplication.topLevelWidgets():
            if w.isVisible() and w.objectName() == "out-of-service":
                shown.extend(label.text() for label in w.findChildren(QLabel))

    from PySide6.QtCore import QTimer

    QTimer.singleShot(50, spy)
    code = run_kiosk(load_config(data_dir=tmp_path, training=False), windowed=True, exit_after=0.3)  # ...opened live
    assert code == 1
    assert "Sorry, this kiosk is not working at the moment" in shown
    assert any("holds training data" in text for text in shown)


def test_out_of_service_notice_has_no_controls_to_misuse(qtbot: QtBot) -> None:
    notice = out_of_service("the database is damaged")
    qtbot.addWidget(notice)
    assert notice.findChildren(QPushButton) == [] and notice.findChildren(QLineEdit) == []


def test_a_bug_shows_the_problem_screen_and_logs_no_personal_data(
    qtbot: QtBot, kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    window.open_journey("missed-bin", 1)
    previous = sys.excepthook
    install_crash_screen(window)
    try:
        try:
            raise ValueError("Ada Lovelace, 12 Park Row")  # a message that holds what was typed
        except ValueError as exc:
            with caplog.at_level(logging.ERROR, logger="ui"):
                sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
    assert window.current is not None and window.current.objectName() == "problem"
    assert "Anything you had not sent has been cleared" in window.current.reading_text()
    assert window.session.progress is None
    assert "ValueError" in caplog.text and "Ada" not in caplog.text
