"""One status snapshot of the kiosk, for the CLI `status`, the staff console and (through the same
figures, below sync) the heartbeat. No personal data.

Built in one function from the typed kiosk state, the outbox counts, the open alerts and the
catalogue. The heartbeat (sync/heartbeat.py) is built from the same KioskState and OutboxCounts:
sync may not import app, so what both need lives in local_store and each side only formats it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from local_store import Alert, KioskState, OutboxCounts

# The alert fields the CLI prints (`status --json`).
_ALERT_FIELDS = ("id", "kind", "message", "raised_at", "count")


@dataclass(frozen=True)
class KioskStatus:
    training: bool
    kiosk_id: str | None
    site_id: str | None
    portal_url: str | None
    last_sync_at: float | None  # the last pass that reached a well portal
    last_error_class: str | None
    catalogue_version: str | None  # the cached catalogue's version (its ETag without quotes)
    catalogue_journeys: int  # journeys usable offline (catalogue entry and definition cached)
    by_state: dict[str, int]
    oldest_pending_age_s: float | None
    alerts: list[Alert] = field(default_factory=list)
    enrolled: bool = False
    waiting: int = 0
    clock_skew_s: float | None = None  # portal clock minus ours, at the last health check
    last_heartbeat_at: float | None = None
    sync_stopped: str | None = None  # why syncing stopped (the portal refused the token), if it did
    address_pack: str | None = None  # the version of the address pack in use; None: addresses are typed
    address_count: int = 0  # addresses in it
    open311_url: str | None = None  # the Open311 endpoint reports go to; None: none set up

    def as_dict(self) -> dict[str, Any]:
        """The JSON of `dcp-kiosk status --json`."""
        result = dict(self.__dict__)
        result["alerts"] = [{k: getattr(a, k) for k in _ALERT_FIELDS} for a in self.alerts]
        return result


def kiosk_status(
    *,
    training: bool,
    state: KioskState,
    counts: OutboxCounts,
    alerts: list[Alert],
    catalogue_journeys: int,
    now: float | None = None,
) -> KioskStatus:
    now = time.time() if now is None else now
    enrolment = state.enrolment
    return KioskStatus(
        training=training,
        kiosk_id=enrolment.kiosk_id if enrolment else None,
        site_id=enrolment.site_id if enrolment else None,
        portal_url=enrolment.portal_url if enrolment else None,
        last_sync_at=state.last_sync_at,
        last_error_class=state.last_error_class,
        catalogue_version=(state.catalogue_version or "").strip('"') or None,
        catalogue_journeys=catalogue_journeys,
        by_state=dict(counts.by_state),
        oldest_pending_age_s=counts.oldest_pending_age_s(now),
        alerts=list(alerts),
        enrolled=enrolment is not None,
        waiting=counts.waiting,
        clock_skew_s=state.clock_skew_s,
        last_heartbeat_at=state.last_heartbeat_at,
        sync_stopped=state.auth_stop.reason() if state.auth_stop else None,
    )


__all__ = ["KioskStatus", "kiosk_status"]
