"""Fixtures for the screen tests: a kiosk whose cache holds the whole training catalogue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.journeys.schema import Journey, parse_journey
from app.kiosk import Kiosk
from tests.helpers import make_kiosk
from ui.window import KioskWindow

TRAINING = Path(__file__).resolve().parents[2] / "app" / "training"


def training_journeys() -> list[Journey]:
    return [parse_journey(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(TRAINING.glob("*.json"))]


def seed_catalogue(kiosk: Kiosk) -> None:
    """Fill the cache as a sync with the reference portal would."""
    entries = []
    for journey in training_journeys():
        kiosk.store.cache_put(f"journey:{journey.id}:{journey.version}", journey.model_dump(mode="json"))
        entries.append(
            {
                "id": journey.id,
                "version": journey.version,
                "title": journey.title.model_dump(),
                "summary": journey.summary.model_dump(),
                "category": journey.category,
                "requires_online": journey.requires_online,
            }
        )
    kiosk.store.cache_put("catalogue", {"schema_version": 1, "journeys": entries}, '"training"')


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = make_kiosk(tmp_path / "kiosk")
    seed_catalogue(k)
    yield k
    k.close()


@pytest.fixture
def window(qtbot: QtBot, kiosk: Kiosk) -> KioskWindow:
    w = KioskWindow(kiosk)
    qtbot.addWidget(w)
    w.resize(1280, 1000)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w
