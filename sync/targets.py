"""Where each submission goes: the portal (the default) or the Open311 server its journey names.

The choice is the journey's data (`delivery`, journeys/delivery.py), read from the kiosk's cached
definition: a journey not cached, or not usable, goes to the portal, as every submission did before
there were delivery targets. An Open311 failure that says the Open311 server (or its set-up) is unwell
holds back the rest of that pass's Open311 reports, never the portal's own deliveries; a refused or
missing key, or a journey with no endpoint, raises one `open311` alert for IT.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from journeys.models import Journey, JourneyFormatError, parse_journey
from local_store import OutboxItem, Store
from sync.errors import Delivered, Transient
from sync.open311_delivery import Open311Target
from sync.report import Portal

log = logging.getLogger("sync")

__all__ = ["OPEN311_ALERTS", "OPEN311_ALONE", "Targets"]

# Only a report waiting for its number is that report's own: every other Open311 failure is the server's.
OPEN311_ALONE = frozenset({"open311_token_pending"})
# ...of which these are IT's to put right: an alert says so.
OPEN311_ALERTS = {
    "open311_api_key": "The Open311 server refused the kiosk's api_key, or it is not in the keyring",
    "open311_not_configured": "A journey delivers to an Open311 server and this kiosk has none set up",
    "open311_keyring": "The Open311 api_key cannot be read from the keyring",
}


class Targets:
    def __init__(self, store: Store, portal: Portal, open311: Open311Target | None) -> None:
        self.store = store
        self.portal = portal
        self.open311 = open311  # None: no Open311 endpoint set up
        self._journeys: dict[tuple[str, int], Journey | None] = {}

    def close(self) -> None:
        self.portal.close()
        if self.open311 is not None:
            self.open311.close()

    def abort(self) -> None:
        for target in (self.portal, self.open311):
            abort = getattr(target, "abort", None)
            if abort is not None:
                abort()

    def journey(self, item: OutboxItem) -> Journey | None:
        """The submission's journey as cached (parsed once), or None when it is not cached or not usable."""
        key = (item.journey_id, item.journey_version)
        if key not in self._journeys:
            definition = self.store.cache.journey(*key)
            try:
                self._journeys[key] = parse_journey(definition) if definition is not None else None
            except JourneyFormatError:
                self._journeys[key] = None
        return self._journeys[key]

    def goes_to_open311(self, item: OutboxItem) -> bool:
        journey = self.journey(item)
        return journey is not None and journey.delivery is not None and journey.delivery.open311 is not None

    def deliver(
        self, item: OutboxItem, answers: dict[str, Any], payload: Callable[[OutboxItem, dict[str, Any]], dict[str, Any]]
    ) -> Delivered:
        """Send one submission to its target; `payload` makes the portal contract's body."""
        journey = self.journey(item)
        if journey is None or journey.delivery is None or journey.delivery.open311 is None:
            return self.portal.submit(payload(item, answers), item.submission_id)
        if self.open311 is None:
            raise Transient(
                "open311_not_configured",
                "this journey's reports go to an Open311 server and none is set up: IT runs `dcp-kiosk open311 connect`",
            )
        return self.open311.deliver(item, answers, journey)

    def open311_unwell(self, exc: Transient) -> bool:
        """Whether an Open311 failure holds back the pass's other Open311 reports (and tell IT when it is theirs)."""
        what = OPEN311_ALERTS.get(exc.error_class)
        if what is not None and not any(a.kind == "open311" for a in self.store.alerts.list()):
            log.error("Open311 delivery paused: %s", exc.error_class)
            self.store.alerts.raise_alert(
                "open311",
                f"{what}. Reports for it wait on this kiosk (nothing is lost) and are sent by themselves once IT "
                "puts it right: `dcp-kiosk open311 connect`.",
            )
        return exc.error_class not in OPEN311_ALONE
