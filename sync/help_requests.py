"""Help requests to the portal: each once, by its id as the Idempotency-Key. Qt-free.

The sync engine calls `deliver_help_requests` early in every pass that reached the portal, before
the outbox drains (a citizen is waiting). Each request is one POST, bounded by the client's
deadline; a failure moves that request's next try later (backoff) and ends this step, so an
offline kiosk keeps its requests and sends them once it is back. A replayed key is answered as
the first time by the portal, so a retry after a lost answer still makes one request there.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any

from local_store import HelpRequest, Store
from sync.client import Permanent, Transient
from sync.report import Portal

__all__ = ["deliver_help_requests", "help_body"]

log = logging.getLogger("sync")

RETRY_BASE = 2.0
RETRY_CAP = 60.0  # a citizen is waiting: try again at least every minute


def help_body(request: HelpRequest, kiosk_id: str, site_id: str) -> dict[str, Any]:
    """The contract's HelpRequest: nothing personal."""
    return {
        "help_request_id": request.id,
        "kiosk_id": kiosk_id,
        "site_id": site_id,
        "asked_at": dt.datetime.fromtimestamp(request.asked_at, dt.UTC).isoformat(),
        "journey_id": request.journey_id,
    }


def deliver_help_requests(
    store: Store, portal: Portal, kiosk_id: str, now: float, rng: random.Random | None = None
) -> list[str]:
    """Send the due help requests, oldest first; the ids the portal accepted. AuthFailed is raised."""
    enrolment = store.state.read().enrolment
    due = store.help.due(now)
    if enrolment is None or not due:
        return []
    delivered: list[str] = []
    for request in due:
        try:
            portal.help_request(kiosk_id, help_body(request, kiosk_id, enrolment.site_id), request.id)
        except Permanent as exc:  # never sent again, and the ones after it still go
            store.help.mark_refused(request.id, now)
            log.warning("help request %s refused by the portal: %s (HTTP %s)", request.id, exc.error_class, exc.status)
            store.alerts.raise_alert(
                "help_refused",
                f"The portal refused a citizen's request for help ({exc.error_class}, HTTP {exc.status}). Staff at "
                "this kiosk still see it on the console; staff elsewhere in the building were not told.",
                now,
            )
            continue
        except Transient as exc:
            ceiling = min(RETRY_CAP, RETRY_BASE * 2 ** min(request.attempts, 10))
            wait = max((rng or random).uniform(0, ceiling), getattr(exc, "retry_after", None) or 0.0)
            store.help.mark_retry(request.id, now + wait)
            log.info("help request %s not delivered: %s, next try in %.1f s", request.id, exc.error_class, wait)
            break  # the portal is unwell: the rest wait for the next pass
        store.help.mark_delivered(request.id)
        delivered.append(request.id)
    if delivered:
        log.info("delivered %d help request(s)", len(delivered))
    return delivered
