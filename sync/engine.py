"""SyncEngine: drains the outbox to the portal, exactly once per submission. Qt-free.

Exactly once is the outbox and the portal together: the submission id is the Idempotency-Key,
fixed when the citizen pressed Submit, so a retry after a lost answer or a crash gets the first
answer again instead of a second case.

Oldest first, but one failing row never blocks the rest: a transient failure moves that row's
next attempt later (full-jitter exponential backoff, honouring Retry-After) and the drain goes on.
When the failure says the portal itself is unwell (unreachable, timeout, 503, 429, an answer that
is not the contract, such as a captive portal's page) the pass stops, and with a Retry-After no
request at all goes out before it has passed. 401/403 stops syncing until the kiosk is re-enrolled.

What is not the portal's doing: a vault that cannot be used at all (no keyring, a missing or
wrong key) stops the pass with one alert and leaves every row pending, untouched; a record that
alone does not open is that row's fault (needs attention). A device token the keyring cannot give
is a passing condition (alert IT, try again each pass), never a refused token. Whatever ends a
pass, even a bug, every claimed row is recorded or given back: nothing stays in 'sending'.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
import threading
import time
from collections import deque
from typing import Any

from local_store import OutboxItem, RecordUnreadable, Store, StoreError, VaultError
from local_store.gazetteer.shelf import PackShelf
from sync.catalogue import refresh_catalogue
from sync.client import AuthFailed, Permanent, PortalError, Transient
from sync.heartbeat import heartbeat
from sync.help_requests import deliver_help_requests
from sync.open311_delivery import Open311Target
from sync.packs import refresh_gazetteer
from sync.report import Portal, Progress, SyncReport
from sync.rows import give_back, keyring_alert, settle_purged, vault_alert
from sync.targets import Targets

log = logging.getLogger("sync")

BACKOFF_BASE = 2.0
BACKOFF_CAP = 300.0
HEARTBEAT_INTERVAL = 300.0
CATALOGUE_INTERVAL = 300.0
BAD_PACK_WAIT = 3600.0  # a download that was not the catalogue's pack: not fetched again for an hour
PROGRESS_INTERVAL = 0.25
CLAIM_BATCH = 32
SHRED_INTERVAL = 5.0  # within a long pass, the keys of what was delivered are destroyed this often (and at its end)
STEP_KEYS = ("_payment", "_receipt_email")  # stored with the answers, sent beside them (see payload)

# Transient failures that say the portal (or the way to it) is unwell, not this one submission.
PORTAL_WIDE = frozenset(
    {"unreachable", "timeout", "not_contract", "too_large", "tls", "stopped", "keyring_unavailable"}
    | {"http_502", "http_503", "http_504", "http_429"}
)
# ...of which these mean the portal was not reached at all.
OFFLINE = frozenset({"unreachable", "timeout", "not_contract", "too_large", "tls", "stopped", "keyring_unavailable"})


def backoff(
    attempts: int,
    retry_after: float | None = None,
    rng: random.Random | None = None,
    base: float = BACKOFF_BASE,
    cap: float = BACKOFF_CAP,
) -> float:
    """Seconds to wait before the next attempt: full jitter, base 2 s, cap 5 min, never under Retry-After."""
    ceiling = min(cap, base * 2 ** min(max(0, attempts - 1), 30))
    delay = (rng or random).uniform(0, ceiling)
    return max(delay, retry_after or 0.0)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        portal: Portal,
        *,
        kiosk_id: str,
        training: bool,
        backoff_base: float = BACKOFF_BASE,
        backoff_cap: float = BACKOFF_CAP,
        heartbeat_interval: float = HEARTBEAT_INTERVAL,
        catalogue_interval: float = CATALOGUE_INTERVAL,
        rng: random.Random | None = None,
        packs: PackShelf | None = None,
        open311: Open311Target | None = None,
    ) -> None:
        self.store = store
        self.portal = portal
        self.targets = Targets(store, portal, open311)  # the portal, or the Open311 server a journey names
        self.kiosk_id = kiosk_id
        self.training = training
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.heartbeat_interval = heartbeat_interval
        self.catalogue_interval = catalogue_interval
        self.rng = rng or random.Random()
        self.held_until: float | None = None
        self.clock_skew: float | None = None
        self._last_heartbeat: float | None = None
        self._last_catalogue: float | None = None
        self.packs = packs  # where the address pack goes; None: the kiosk does not fetch one
        self._bad_pack: tuple[str, float] | None = None  # (why, when) a download was not the pack
        self._stop = threading.Event()

    def close(self) -> None:
        self.targets.close()

    @property
    def auth_blocked(self) -> bool:
        """The portal refused the token: stopped until re-enrolment (persisted, so a new engine on
        the same database stays stopped too)."""
        return self.store.state.auth_stop() is not None

    def __enter__(self) -> SyncEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request_stop(self) -> None:
        """Ask a running pass to stop after the row it is sending (safe from any thread)."""
        self._stop.set()

    def abort(self) -> None:
        """From any thread: stop now, cutting the request on the wire (the row goes back to pending)."""
        self._stop.set()
        self.targets.abort()

    def payload(self, item: OutboxItem, answers: dict[str, Any]) -> dict[str, Any]:
        """The submission as the contract has it. The steps after check answers are kept with the answers
        under keys no question can have ("_payment", "_receipt_email") and travel as top-level fields."""
        steps = {key[1:]: answers[key] for key in STEP_KEYS if key in answers}
        answers = {k: v for k, v in answers.items() if not k.startswith("_")}
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
            **steps,
        }

    # -- catalogue ----------------------------------------------------------------------------

    def refresh_catalogue(self) -> bool:
        """Fetch the catalogue (ETag) and any journey definition not cached. True if it changed.

        A catalogue or definition that does not follow the journey format, or a definition that is
        not the one its entry names, is not cached: the last good one stays (Permanent bad_catalogue)."""
        return refresh_catalogue(self.store, self.portal)

    def refresh_pack(self, clock: float) -> str | None:
        """Fetch the address pack the cached catalogue names, if it is not the one in use: its version
        when it was switched to. A download that is not the catalogue's pack is not tried again for an
        hour, and staff and IT get an alert; the pack in use stays."""
        if self.packs is None:
            return None
        if self._bad_pack is not None and clock - self._bad_pack[1] < BAD_PACK_WAIT:
            return None
        try:
            installed = refresh_gazetteer(self.store, self.portal, self.packs)
        except Permanent as exc:
            log.warning("address pack refused: %s", exc.error_class)
            self._bad_pack = (exc.error_class, clock)
            if exc.error_class == "bad_pack":
                self.store.alerts.raise_alert(
                    "address_pack",
                    f"The portal's new address pack was not used: {exc.message}. Citizens still find addresses "
                    "with the pack in use (or type them in). IT: rebuild and publish the pack.",
                )
            raise
        if installed is None:
            return None
        self._bad_pack = None
        log.info("address pack %s in use", installed.version)
        return installed.version

    # -- one pass ------------------------------------------------------------------------------

    def run_once(self, now: float | None = None, on_progress: Progress | None = None) -> SyncReport:
        """One pass: health (connectivity and clock), catalogue, every due row once, heartbeat."""
        self._stop.clear()
        if self.auth_blocked:
            return SyncReport(online=True, auth_failed=True, last_error_class="auth")
        clock = time.time() if now is None else now
        if self.held_until is not None and clock < self.held_until:
            return SyncReport(online=True, last_error_class="held", held_until=self.held_until)
        self.held_until = None
        try:
            sent = time.time()
            server_time = self.portal.health()
            back = time.time()
        except Transient as exc:
            log.info("portal unreachable: %s", exc.error_class)
            if exc.error_class == "keyring_unavailable":
                keyring_alert(self.store, exc)
            self._hold(clock, exc.retry_after)
            return self._finish(SyncReport(online=False, last_error_class=exc.error_class, held_until=self.held_until))
        except AuthFailed as exc:
            return self._finish(self._auth_stop(exc))
        except Permanent as exc:  # a health check refused: a wrong portal address, say
            log.warning("portal health check refused: %s", exc.error_class)
            return self._finish(SyncReport(online=False, last_error_class=exc.error_class))
        self.clock_skew = server_time.timestamp() - (sent + back) / 2
        try:  # a citizen asked for a member of staff: before the catalogue and the outbox
            deliver_help_requests(self.store, self.portal, self.kiosk_id, clock, self.rng)
        except AuthFailed as exc:
            return self._finish(self._auth_stop(exc))
        changed = False
        error: str | None = None
        catalogue_due = self._last_catalogue is None or clock - self._last_catalogue >= self.catalogue_interval
        if catalogue_due:
            try:
                changed = self.refresh_catalogue()
                self._last_catalogue = clock
            except AuthFailed as exc:
                return self._finish(self._auth_stop(exc))
            except (Transient, Permanent) as exc:
                log.warning("catalogue refresh failed: %s", exc.error_class)
                error = exc.error_class
        report = self.drain(now, on_progress=on_progress)
        if report.auth_failed:
            return self._finish(report)
        pack = None
        if catalogue_due and report.online and error is None:  # after the outbox: citizens' requests first
            try:
                pack = self.refresh_pack(clock)
            except AuthFailed as exc:
                return self._finish(self._auth_stop(exc))
            except (Transient, Permanent) as exc:
                error = exc.error_class
        final = self._finish(
            SyncReport(
                online=report.online,
                delivered=report.delivered,
                retrying=report.retrying,
                needs_attention=report.needs_attention,
                last_error_class=report.last_error_class or error,
                clock_skew=self.clock_skew,
                catalogue_changed=changed,
                pack_version=pack,
                delivered_references=report.delivered_references,
                delivered_ids=report.delivered_ids,
                held_until=self.held_until,
            )
        )
        if self.held_until is not None or not final.online:
            return final
        return dataclasses.replace(final, heartbeat_sent=self.maybe_heartbeat(clock))

    def drain(
        self, now: float | None = None, on_progress: Progress | None = None, limit: int | None = None
    ) -> SyncReport:
        """Send every due row once (at most `limit`), oldest first. Stops early when the portal is unwell.

        Requests go one at a time, in order. Rows are claimed a few at a time (the batch doubles up
        to CLAIM_BATCH, starting from one, so an outage costs one claim) and deliveries are recorded
        in groups (at least every PROGRESS_INTERVAL). A crash before a group is recorded leaves its
        rows in 'sending': they are sent again at start, and the portal replays its first answer.
        """
        fixed_now = now
        delivered: list[str] = []  # the portal's references
        delivered_ids: list[str] = []
        unrecorded: list[tuple[str, str]] = []  # (submission id, server reference) not yet marked
        claimed: deque[OutboxItem] = deque()
        retrying = attention = 0
        errors: list[str] = []
        open311_unwell = False  # an Open311-wide failure in this pass: its other reports wait for the next one
        left: list[str] = []  # claimed and not tried (their target was unwell): given back untouched
        seen: set[str] = set()
        online = True
        batch = 1
        last_progress = time.monotonic()
        reported = 0  # how many of `delivered` on_progress has been told about

        last_shred = time.monotonic()

        def record() -> None:  # and destroy the keys of what was purged, every SHRED_INTERVAL
            nonlocal last_shred
            if unrecorded:
                shred = time.monotonic() - last_shred >= SHRED_INTERVAL
                self.store.outbox.mark_delivered_many(unrecorded, shred=shred)
                unrecorded.clear()
                last_shred = time.monotonic() if shred else last_shred

        current: OutboxItem | None = None  # the row being handled, until its outcome is recorded
        try:
            while not self._stop.is_set() and (limit is None or len(seen) < limit):
                clock = time.time() if fixed_now is None else fixed_now
                if not claimed:
                    record()
                    want = batch if limit is None else min(batch, limit - len(seen))
                    claimed.extend(self.store.outbox.claim_due(want, clock))
                    batch = min(CLAIM_BATCH, batch * 2)
                    if not claimed:
                        break
                current = item = claimed.popleft()
                if item.submission_id in seen:  # retried within this pass: leave it for the next one
                    break
                seen.add(item.submission_id)
                try:
                    answers = self.store.outbox.answers(item.submission_id)
                except RecordUnreadable as exc:  # this one record does not open: staff must look
                    attention += 1
                    errors.append("unreadable")
                    self.store.outbox.mark_needs_attention(item.submission_id, "unreadable", str(exc))
                    log.error("submission %s cannot be read: %s", item.submission_id, type(exc).__name__)
                    current = None
                    continue
                except (VaultError, StoreError) as exc:  # the vault as a whole (or the disk): no row's fault
                    errors.append("vault_unavailable")
                    log.error("the vault cannot be used (%s): the pass stops, every row stays pending", exc)
                    break  # `current` and the rest of the batch are given back below, untouched
                except KeyError:  # the row is gone (another kiosk process discarded it)
                    current = None
                    continue
                if answers is None:  # destroyed since it was claimed: delivered or discarded by another sync
                    settle_purged(self.store, item)
                    current = None
                    continue
                if open311_unwell and self.targets.goes_to_open311(item):
                    left.append(item.submission_id)
                    current = None
                    continue
                try:
                    result = self.targets.deliver(item, answers, self.payload)
                except Transient as exc:
                    if exc.error_class == "stopped":
                        break  # closing: `current` is given back below
                    retrying += 1
                    errors.append(exc.error_class)
                    wait = backoff(item.attempts, exc.retry_after, self.rng, self.backoff_base, self.backoff_cap)
                    self.store.outbox.mark_retry(item.submission_id, exc.error_class, exc.message, clock + wait)
                    current = None
                    log.info("submission %s: %s, next try in %.1f s", item.submission_id, exc.error_class, wait)
                    if exc.error_class.startswith("open311_"):
                        open311_unwell = self.targets.open311_unwell(exc)
                    elif exc.error_class in PORTAL_WIDE:
                        self._hold(clock, exc.retry_after)
                        online = exc.error_class not in OFFLINE
                        if exc.error_class == "keyring_unavailable":
                            keyring_alert(self.store, exc)
                        break  # the portal is unwell: stop this pass, keep the rest in order
                except Permanent as exc:
                    attention += 1
                    errors.append(exc.error_class)
                    self.store.outbox.mark_needs_attention(item.submission_id, exc.error_class, exc.message)
                    current = None
                    log.warning("submission %s needs attention: %s", item.submission_id, exc.error_class)
                except AuthFailed as exc:
                    stopped = self._auth_stop(exc)
                    return SyncReport(
                        online=True,
                        delivered=len(delivered),
                        auth_failed=True,
                        last_error_class=stopped.last_error_class,
                        delivered_references=delivered,
                        delivered_ids=delivered_ids,
                    )
                except Exception as exc:  # a bug: this row moves later (never head-of-line), then it is raised
                    wait = backoff(item.attempts, None, self.rng, self.backoff_base, self.backoff_cap)
                    self.store.outbox.mark_retry(item.submission_id, "internal_error", type(exc).__name__, clock + wait)
                    current = None
                    raise
                else:
                    unrecorded.append((item.submission_id, result.reference))
                    delivered.append(result.reference)
                    delivered_ids.append(item.submission_id)
                    current = None
                if time.monotonic() - last_progress >= PROGRESS_INTERVAL:
                    record()
                    last_progress = time.monotonic()
                    if on_progress is not None:
                        on_progress(delivered_ids[reported:], delivered[reported:])
                        reported = len(delivered)
        finally:  # whatever ends the pass, even a bug: record what was delivered, give back the rest
            try:
                record()
                if delivered:
                    self.store.outbox.shred()
            finally:
                rest = ([current] if current is not None else []) + list(claimed)
                # delivered but not recorded (the database failed): sent again later, answered the same
                give_back(self.store, [i.submission_id for i in rest] + left + [i for i, _ in unrecorded])
        if "vault_unavailable" in errors:
            vault_alert(self.store)
        if delivered:
            log.info("delivered %d submission(s)", len(delivered))
        return SyncReport(
            online=online,
            delivered=len(delivered),
            retrying=retrying,
            needs_attention=attention,
            last_error_class=errors[-1] if errors else None,
            delivered_references=delivered,
            delivered_ids=delivered_ids,
            held_until=self.held_until,
        )

    # -- heartbeat -----------------------------------------------------------------------------

    def maybe_heartbeat(self, now: float | None = None) -> bool:
        """Send a heartbeat if one is due. A failed heartbeat is logged and tried next pass."""
        now = time.time() if now is None else now
        if self._last_heartbeat is not None and now - self._last_heartbeat < self.heartbeat_interval:
            return False
        return self.send_heartbeat(now)

    def send_heartbeat(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        beat = heartbeat(self.store.state.read(), self.store.outbox.counts(), self.store.path.parent, now=now)
        try:
            self.portal.heartbeat(self.kiosk_id, beat)
        except (Transient, Permanent) as exc:
            log.info("heartbeat not sent: %s", exc.error_class)
            return False
        except AuthFailed as exc:
            self._auth_stop(exc)
            return False
        self._last_heartbeat = now
        self.store.state.record_heartbeat(now)
        return True

    # -- internals -----------------------------------------------------------------------------

    def _hold(self, now: float, retry_after: float | None) -> None:
        if retry_after:
            self.held_until = max(self.held_until or 0.0, now + retry_after)

    def _auth_stop(self, exc: PortalError) -> SyncReport:
        status = getattr(exc, "status", 401)
        log.error("the portal refused this kiosk's token (HTTP %s): sync stopped until it is re-enrolled", status)
        self.store.state.record_auth_stop(status)
        what = "does not know its token (401)" if status == 401 else "has revoked its token (403)"
        self.store.alerts.raise_alert(
            "re_enrol", f"The portal {what}. Sending has stopped: IT must re-enrol this kiosk. Nothing is lost."
        )
        return SyncReport(online=True, auth_failed=True, last_error_class="auth")

    def _finish(self, report: SyncReport) -> SyncReport:
        """Record the pass where `status` and the heartbeat can see it: the one place that decides
        what counts as a sync (the portal answered as a well portal does: not offline, not a
        refused token, not 503/429/5xx or an answer that is not the contract)."""
        ok = report.online and not report.auth_failed and report.last_error_class not in PORTAL_WIDE
        self.store.state.record_pass(
            reached_portal=ok, error_class=report.last_error_class, clock_skew_s=self.clock_skew
        )
        return report
