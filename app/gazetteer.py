"""Finding addresses offline: the kiosk's address pack, as the screens and the journeys use it.

The sync thread fetches the council's pack when the catalogue names a new one and switches to it
atomically (sync/packs.py, local_store/gazetteer/shelf.py). `Addresses` opens the pack in use on
the thread that searches (the UI's) and notices a switch within a couple of seconds. It never
raises: a kiosk with no pack, or a damaged one, simply has no lookup, and citizens type the address.

    addresses = kiosk.addresses
    if addresses.available():
        found = addresses.find("bb2 1lb")     # Found(addresses=(Address, ...), more=False), best first
        answer = found.addresses[0].lines()   # line1, line2, town, postcode, uprn
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local_store.gazetteer import Address, Found
from local_store.gazetteer.pack import Pack, PackError, PackMeta
from local_store.gazetteer.shelf import Installed, PackShelf

__all__ = ["Address", "Addresses", "Found", "PackInfo", "packs_folder"]

log = logging.getLogger("store")

RECHECK_S = 2.0  # how often a search looks for a newly switched pack


def packs_folder(data_dir: Path) -> Path:
    return data_dir / "packs"


@dataclass(frozen=True)
class PackInfo:
    """The pack in use, for doctor, status and the staff console."""

    installed: Installed
    meta: PackMeta


class Addresses:
    def __init__(self, shelf: PackShelf) -> None:
        self.shelf = shelf
        self._pack: Pack | None = None
        self._version: str | None = None  # of the pack open, or of the one that would not open
        self._checked = float("-inf")

    def _current(self) -> Pack | None:
        now = time.monotonic()
        if now - self._checked < RECHECK_S:
            return self._pack
        self._checked = now
        installed = self.shelf.current()
        version = installed.version if installed else None
        if version == self._version:
            return self._pack
        self.close()
        self._version = version
        if installed is not None:
            try:
                self._pack = Pack.open(installed.path)
            except PackError as exc:
                log.warning("the address pack %s cannot be used: %s", installed.version, exc)
        return self._pack

    def available(self) -> bool:
        """Whether addresses can be looked up (a usable pack is in use)."""
        return self._current() is not None

    def find(self, text: str, limit: int = 8) -> Found:
        """The addresses matching what was typed, best first; none for a damaged pack."""
        pack = self._current()
        if pack is None:
            return Found(())
        try:
            return pack.search(text, limit)
        except PackError as exc:
            log.warning("address search failed: %s", exc)
            self.close()
            self._checked = time.monotonic() + 60  # not tried again for a minute; typing still works
            return Found(())

    def example(self) -> Address | None:
        """An address of the council's own, for the search box's hint ("For example, BB2 1LB or 14 King's Road")."""
        pack = self._current()
        if pack is None:
            return None
        try:
            return pack.example()
        except PackError:
            return None

    def in_area(self, answer: Any) -> bool | None:
        """Whether an address answer is in the council's own area: None when the kiosk cannot tell
        (no pack). A chosen address counts by its UPRN's record, a typed one by its postcode."""
        pack = self._current()
        if pack is None or not isinstance(answer, dict):
            return None
        try:
            uprn = str(answer.get("uprn") or "")
            found = pack.by_uprn(uprn) if uprn else None
            if found is not None:
                return found.in_area
            return pack.has_postcode(str(answer.get("postcode") or ""), in_area=True)
        except PackError:
            return None

    def info(self) -> PackInfo | None:
        pack, installed = self._current(), self.shelf.current()
        if pack is None or installed is None:
            return None
        return PackInfo(installed, pack.meta)

    def close(self) -> None:
        if self._pack is not None:
            self._pack.close()
        self._pack, self._version = None, None
