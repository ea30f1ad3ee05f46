"""The catalogue refresh: the catalogue by ETag, then each journey definition not cached yet.

Nothing is cached unless all of it follows the journey format and each definition is the one its
catalogue entry names (same id, same version): the last good catalogue stays otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeys.models import JourneyFormatError, parse_catalogue, parse_journey
from local_store import Store
from sync.client import Permanent

if TYPE_CHECKING:
    from sync.engine import Portal


def refresh_catalogue(store: Store, portal: Portal) -> bool:
    """True if the catalogue changed; Permanent("bad_catalogue", what was wrong) if it is not usable."""
    cache = store.cache
    cached = cache.catalogue()
    body, etag = portal.catalogue(cached[1] if cached else None)
    if body is None:
        return False
    try:
        catalogue = parse_catalogue(body)
        fetched: dict[tuple[str, int], dict[str, Any]] = {}
        for entry in catalogue.journeys:
            if cache.journey(entry.id, entry.version) is None:
                definition = portal.journey(entry.id, entry.version)
                journey = parse_journey(definition)
                if (journey.id, journey.version) != (entry.id, entry.version):
                    raise JourneyFormatError(
                        f"the definition fetched for {entry.id} v{entry.version} is "
                        f"id {journey.id!r} version {journey.version}: not the catalogue's entry"
                    )
                fetched[(entry.id, entry.version)] = definition
    except JourneyFormatError as exc:
        raise Permanent("bad_catalogue", str(exc), 200, []) from None
    for (journey_id, version), definition in fetched.items():
        cache.put_journey(journey_id, version, definition)
    cache.put_catalogue(body, etag)
    return True
