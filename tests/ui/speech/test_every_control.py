"""Every control a citizen can reach on every page of every training journey is said with its role, its
name and (for one that can be ticked, chosen or opened) its state; the banner's buttons too."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLineEdit, QPlainTextEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from journeys.models import Journey, Page
from tests.helpers import training_journeys
from ui.speech.describe import describe
from ui.window import KioskWindow

PAGES = [(j, p) for j in training_journeys() for p in j.pages]
STATES = {
    QCheckBox: ("checkbox", {"ticked", "not ticked"}),
    QRadioButton: ("radio button", {"selected", "not selected"}),
}


def check_control(widget: QWidget, where: str) -> None:
    said = [p.text for p in describe(widget)]
    label = f"{where}: {widget.objectName() or type(widget).__name__} said {said}"
    if widget.objectName() == "error-summary":
        assert said[0] == "There is a problem" and len(said) > 1, label  # and what the problems are
        return
    assert len(said) >= 2 and said[1].strip(), label  # a role, then a name
    for kind, (role, states) in STATES.items():
        if isinstance(widget, kind):
            assert said[0] == role and said[2] in states, label
            if widget.property("choices"):
                assert " of " in said[3], label  # its place among the question's options: "2 of 4"
            return
    if isinstance(widget, QAbstractButton):
        assert said[0] == "button", label
        if widget.isCheckable():
            state = said[2] if len(said) > 2 else said[1].rsplit(", ", 1)[-1]
            assert state in ({"open", "closed"} if widget.objectName() == "details" else {"on", "off"}), label
    elif isinstance(widget, QLineEdit | QPlainTextEdit):
        assert said[0].startswith("edit text"), label
        assert said[2], label  # "blank", or what is in it
    else:
        raise AssertionError(f"{label}: a control of a kind speech does not know")


@pytest.mark.parametrize(("journey", "page"), PAGES, ids=[f"{j.id}-{p.id}" for j, p in PAGES])
def test_every_control_is_said_with_its_role_name_and_state(
    qtbot: QtBot, window: KioskWindow, journey: Journey, page: Page
) -> None:
    window.session.start(journey)
    assert window.session.progress is not None
    window.session.progress.page_id = page.id
    window._show_page(page)
    chain = window.speech._chain()
    on_page = [w for w in chain if window.current is not None and window.current.isAncestorOf(w)]
    assert on_page, "no control on the page is reached by 2 and 8"
    assert chain[0].objectName() == "listen"  # the first control of every screen
    for widget in chain:
        check_control(widget, f"{journey.id}: {page.id}")


def test_a_switch_says_its_state_once(qtbot: QtBot, window: KioskWindow) -> None:
    contrast = window.contrast_button
    assert [p.text for p in describe(contrast)] == ["button", "High contrast, off"]
    contrast.click()
    assert [p.text for p in describe(contrast)] == ["button", "High contrast, on"]
