"""Small helpers shared by tests: an enrolled kiosk against a running reference portal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.config import load_config
from app.kiosk import Kiosk

MISSED_BIN_RAW: dict[str, Any] = {
    "bin-type": "recycling",
    "collection-date": {"day": "3", "month": "11", "year": "2026"},
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
