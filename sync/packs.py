"""The address pack: fetched when the catalogue names a version this kiosk has not got.

Downloaded into the shelf's folder within the catalogue's stated size and a total deadline, then
handed to the shelf, which checks the hash and that it opens as a pack before switching to it
(local_store/gazetteer/shelf.py). Anything wrong leaves the pack in use as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeys.models import JourneyFormatError, parse_catalogue
from local_store import Store
from local_store.gazetteer.pack import PackError
from local_store.gazetteer.shelf import Installed, PackShelf
from sync.client import Permanent

if TYPE_CHECKING:
    from sync.engine import Portal

__all__ = ["refresh_gazetteer"]


def refresh_gazetteer(store: Store, portal: Portal, shelf: PackShelf) -> Installed | None:
    """The pack newly switched to, or None when the cached catalogue names none or the one in use.

    Raises Transient (try again later) or Permanent("bad_pack", why) for a download that is not the
    catalogue's pack; the pack in use stays either way."""
    cached = store.cache.catalogue()
    if cached is None:
        return None
    try:
        packs = parse_catalogue(cached[0]).packs
    except JourneyFormatError:  # the cache only ever holds a catalogue that parsed
        return None
    entry = packs.gazetteer if packs else None
    current = shelf.current()
    if entry is None or (current is not None and current.version == entry.version):
        return None
    part = shelf.part_file()
    try:
        with part.open("wb") as f:
            portal.gazetteer_pack(f, entry.size)
        size = part.stat().st_size
        if size != entry.size:
            raise Permanent(
                "bad_pack", f"the address pack is {size} bytes, not {entry.size} as the catalogue says", 200, []
            )
        return shelf.install(part, entry.version, entry.sha256)
    except PackError as exc:
        raise Permanent("bad_pack", f"the address pack {entry.version} cannot be used: {exc}", 200, []) from None
    finally:
        part.unlink(missing_ok=True)
