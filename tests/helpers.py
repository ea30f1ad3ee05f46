"""Small helpers shared by tests: an enrolled kiosk against a running reference portal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from app.config import load_config
from app.kiosk import Kiosk
from journeys.models import Journey, parse_journey
from reference_portal.published import entry as catalogue_entry

TRAINING = Path(__file__).resolve().parent.parent / "journeys" / "training"


def recent_weekday(today: dt.date | None = None) -> dt.date:
    """The last weekday before today: a missed collection the journey's date rules accept (weekday, last 14 days)."""
    day = (today or dt.date.today()) - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


MISSED_BIN_DAY = recent_weekday()
MISSED_BIN_DAY_TEXT = f"{MISSED_BIN_DAY.day} {MISSED_BIN_DAY:%B %Y}"  # as check answers shows it: "3 November 2026"
MISSED_BIN_RAW: dict[str, Any] = {
    "bin-type": "recycling",
    "collection-date": {
        "day": str(MISSED_BIN_DAY.day),
        "month": str(MISSED_BIN_DAY.month),
        "year": str(MISSED_BIN_DAY.year),
    },
    "postcode": "ls1 4ap",
    "address-line": "12 Park Row",
    "full-name": "Ada Lovelace",
    "email": "",
}


def make_kiosk(data_dir: Path, training: bool = True) -> Kiosk:
    return Kiosk(load_config(data_dir=data_dir, training=training))


def enrolled_kiosk(data_dir: Path, portal: Any, kiosk_id: str = "kiosk-1") -> Kiosk:
    kiosk = make_kiosk(data_dir)
    kiosk.enrol(portal.url, kiosk_id, "site-1", portal.token(kiosk_id))
    return kiosk


def synced_kiosk(data_dir: Path, portal: Any, journey_id: str = "missed-bin") -> tuple[Kiosk, Journey]:
    """An enrolled kiosk that has fetched the portal's catalogue, and one of its journeys."""
    kiosk = enrolled_kiosk(data_dir, portal)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    entry = next(e for e in kiosk.catalogue() if e.id == journey_id)
    journey = kiosk.journey(entry.id, entry.version)
    assert journey is not None
    return kiosk, journey


def training_journeys() -> list[Journey]:
    return [parse_journey(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(TRAINING.glob("*.json"))]


def seed_catalogue(kiosk: Kiosk, journeys: list[Journey] | None = None) -> None:
    """Fill the cache as a sync with the reference portal would (the training journeys, or these)."""
    entries = []
    for journey in training_journeys() if journeys is None else journeys:
        kiosk.store.cache.put_journey(journey.id, journey.version, journey.model_dump(mode="json"))
        entries.append(catalogue_entry(journey))
    kiosk.store.cache.put_catalogue({"schema_version": 1, "journeys": entries}, '"training"')
