"""The banner grows with the text at every size (not only up to 150%) and cuts nothing off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from ui.theme import MIN_TARGET_PX, TEXT_SCALES
from ui.window import KioskWindow


def laid_out(qtbot: QtBot, window: KioskWindow, index: int) -> None:
    window.set_text_scale(index)
    QApplication.processEvents()
    qtbot.wait(1)


def test_the_banner_words_grow_at_every_text_size(qtbot: QtBot, window: KioskWindow) -> None:
    sizes = []
    for index in range(len(TEXT_SCALES)):
        laid_out(qtbot, window, index)
        sizes.append(
            (window.banner.connection.fontInfo().pixelSize(), window.banner.text_size_button.fontInfo().pixelSize())
        )
    assert sizes == sorted(set(sizes)), f"the banner's words at 100, 150 and 200%: {sizes}"


@pytest.mark.parametrize("high_contrast", [False, True], ids=["default", "high-contrast"])
@pytest.mark.parametrize("index", range(len(TEXT_SCALES)), ids=lambda i: f"{round(TEXT_SCALES[i] * 100)}%")
def test_nothing_in_the_banner_is_cut_off(qtbot: QtBot, window: KioskWindow, index: int, high_contrast: bool) -> None:
    window.resize(1280, 1024)
    window.set_high_contrast(high_contrast)
    laid_out(qtbot, window, index)
    banner = window.banner
    inside = QRect(0, 0, banner.width(), banner.height())
    found = []
    for w in banner.findChildren(QLabel):
        if w.isVisible() and w.text() and w.wordWrap() and w.heightForWidth(w.width()) > w.height():
            found.append(f"{w.objectName()}: {w.height()} px high, its words need {w.heightForWidth(w.width())}")
    for b in banner.findChildren(QPushButton):
        if not b.isVisible():
            continue
        hint = b.minimumSizeHint()
        if b.width() < hint.width() or b.height() < hint.height():
            found.append(f"{b.objectName()}: {b.width()}x{b.height()} < {hint.width()}x{hint.height()}")
        if b.height() < MIN_TARGET_PX:
            found.append(f"{b.objectName()}: {b.height()} px high")
        if not inside.contains(QRect(b.mapTo(banner, b.rect().topLeft()), b.size())):
            found.append(f"{b.objectName()}: outside the banner")
    assert found == []


def test_the_window_never_needs_more_height_than_the_kiosk_screen_at_any_text_size(
    qtbot: QtBot, window: KioskWindow
) -> None:
    """Qt's minimum for a banner of wrapping rows is its height squeezed narrowest (a button a line): at 200%
    that made a 1280x1024 window grow to 1067 and put the bottom of every page off the screen."""
    for high_contrast in (False, True):
        window.set_high_contrast(high_contrast)
        for index in range(3):
            laid_out(qtbot, window, index)
            assert window.minimumSizeHint().height() <= 1000, (high_contrast, index)
            assert window.height() == 1000
