"""SyncEngine: drains the outbox to the portal, exactly once per submission. Qt-free.

Oldest first, but one failing row never blocks the rest: a transient failure moves that row's
next attempt later (full-jitter exponential backoff, honouring Retry-After) and the drain goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from local_store.store import OutboxItem, Store
from sync.client import AuthFailed, Delivered, Permanent, Transient

log = logging.getLogger("sync")

BACKOFF_BASE = 2.0
BACKOFF_CAP = 300.0


class Portal(Protocol):
    def health(self) -> dt.datetime: ...
    def catalogue(self, etag: str | None) -> tuple[dict[str, Any] | None, str | None]: ...
    def journey(self, journey_id: str, version: int) -> dict[str, Any]: ...
    def submit(self, payload: dict[str, Any], idempotency_key: str) -> Delivered: ...
    def close(self) -> None: ...


def backoff(attempts: int, retry_after: float | None = None, rng: random.Random | None = None) -> float:
    """Seconds to wait before the next attempt: full jitter, base 2 s, cap 5 min."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1))
    delay = (rng or random).uniform(0, ceiling)
    return max(delay, retry_after or 0.0)


@dataclass(frozen=True)
class SyncReport:
    online: bool
    delivered: int = 0
    retrying: int = 0
    needs_attention: int = 0
    auth_failed: bool = False
    last_error_class: str | None = None
    clock_skew: float | None = None
    catalogue_changed: bool = False
    delivered_references: list[str] = field(default_factory=list)


class SyncEngine:
    def __init__(self, store: Store, portal: Portal, *, kiosk_id: str, training: bool) -> None:
        self.store = store
        self.portal = portal
        self.kiosk_id = kiosk_id
        self.training = training

    def close(self) -> None:
        self.portal.close()

    def __enter__(self) -> SyncEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def payload(self, item: OutboxItem, answers: dict[str, Any]) -> dict[str, Any]:
        return {
            "submission_id": item.submission_id,
            "reference": item.reference,
            "journey_id": item.journey_id,
            "journey_version": item.journey_version,
            "submitted_at": dt.datetime.fromtimestamp(item.created_at, dt.UTC).isoformat(),
            "kiosk_id": self.kiosk_id,
            "assisted_by": item.assisted_by,
            "training": self.training,
            "answers": answers,
        }

    def refresh_catalogue(self) -> bool:
        """Fetch the catalogue (ETag) and any journey definition not cached. True if it changed."""
        cached = self.store.cache_get("catalogue")
        body, etag = self.portal.catalogue(cached[1] if cached else None)
        if body is None:
            return False
        for entry in body.get("journeys", []):
            key = f"journey:{entry['id']}:{entry['version']}"
            if self.store.cache_get(key) is None:
                self.store.cache_put(key, self.portal.journey(entry["id"], int(entry["version"])))
        self.store.cache_put("catalogue", body, etag)
        return True

    def run_once(self, now: float | None = None) -> SyncReport:
        """One pass: health, catalogue, then every due row once."""
        try:
            server_time = self.portal.health()
        except Transient as exc:
            log.info("portal unreachable: %s", exc.error_class)
            return SyncReport(online=False, last_error_class=exc.error_class)
        except AuthFailed:
            return SyncReport(online=True, auth_failed=True, last_error_class="auth")
        skew = server_time.timestamp() - time.time()
        try:
            changed = self.refresh_catalogue()
        except AuthFailed:
            return SyncReport(online=True, auth_failed=True, last_error_class="auth", clock_skew=skew)
        except (Transient, Permanent) as exc:
            log.warning("catalogue refresh failed: %s", exc.error_class)
            changed = False
        report = self.drain(now)
        return SyncReport(
            online=report.online,
            delivered=report.delivered,
            retrying=report.retrying,
            needs_attention=report.needs_attention,
            auth_failed=report.auth_failed,
            last_error_class=report.last_error_class,
            clock_skew=skew,
            catalogue_changed=changed,
            delivered_references=report.delivered_references,
        )

    def drain(self, now: float | None = None) -> SyncReport:
        now = time.time() if now is None else now
        delivered: list[str] = []
        retrying = attention = 0
        last_error: str | None = None
        seen: set[str] = set()
        while (item := self.store.claim_next(now)) is not None:
            if item.submission_id in seen:  # retried within this pass: leave it for the next one
                self.store.release(item.submission_id)
                break
            seen.add(item.submission_id)
            try:
                answers = self.store.answers(item.submission_id) or {}
                result = self.portal.submit(self.payload(item, answers), item.submission_id)
            except Transient as exc:
                retrying += 1
                last_error = exc.error_class
                wait = backoff(item.attempts, exc.retry_after)
                self.store.mark_retry(item.submission_id, exc.error_class, exc.message, now + wait)
                log.info("submission %s: %s, next try in %.0f s", item.submission_id, exc.error_class, wait)
                if exc.error_class in ("unreachable", "timeout"):
                    break  # the portal has gone: stop this pass, keep the rest in order
            except Permanent as exc:
                attention += 1
                last_error = exc.error_class
                self.store.mark_needs_attention(item.submission_id, exc.error_class, exc.message)
                log.warning("submission %s needs attention: %s", item.submission_id, exc.error_class)
            except AuthFailed:
                self.store.release(item.submission_id)
                return SyncReport(online=True, delivered=len(delivered), auth_failed=True, last_error_class="auth")
            else:
                self.store.mark_delivered(item.submission_id, result.reference)
                delivered.append(result.reference)
                log.info("submission %s delivered", item.submission_id)
        return SyncReport(
            online=True,
            delivered=len(delivered),
            retrying=retrying,
            needs_attention=attention,
            last_error_class=last_error,
            delivered_references=delivered,
        )
