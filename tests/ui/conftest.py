"""Fixtures for the screen tests: a kiosk whose cache holds the whole training catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import languages
from app.kiosk import Kiosk
from tests.helpers import make_kiosk, seed_catalogue
from tests.ui.windows import open_window
from ui import i18n
from ui.window import KioskWindow


@pytest.fixture(autouse=True)
def display_language() -> Iterator[None]:
    """Each test starts and ends in the kiosk's own language (the display language is the process's)."""
    i18n.set_language(languages.DEFAULT)
    yield
    i18n.set_language(languages.DEFAULT)


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = make_kiosk(tmp_path / "kiosk")
    seed_catalogue(k)
    yield k
    k.close()


@pytest.fixture
def window(qtbot: QtBot, kiosk: Kiosk) -> KioskWindow:
    return open_window(qtbot, kiosk)
