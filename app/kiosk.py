"""The use cases the screens and the command line call. Qt-free; the UI renders what it returns."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.config import KioskConfig
from app.staff_auth import SignIn, StaffAuth
from journeys.flow import FieldError, Flow
from journeys.models import CatalogueEntry, Journey, JourneyFormatError, parse_catalogue, parse_journey
from local_store.staff import correct_answers
from local_store.store import Alert, OutboxItem, SaveFailed, Store, StoreError
from local_store.vault import KEYRING_SERVICE, VaultError

if TYPE_CHECKING:  # httpx and keyring are imported where used, off the start-up path
    from sync.client import PortalClient
    from sync.engine import SyncEngine

log = logging.getLogger("kiosk")


class SubmitFailed(RuntimeError):
    """The submission could not be saved. str() is what the citizen is told; nothing was kept."""


class NotEnrolled(RuntimeError):
    pass


@dataclass(frozen=True)
class Receipt:
    reference: str
    submission_id: str
    journey_title: str
    what_happens_next: str


@dataclass(frozen=True)
class Enrolment:
    portal_url: str
    kiosk_id: str
    site_id: str


@dataclass(frozen=True)
class KioskStatus:
    training: bool
    enrolled: bool
    kiosk_id: str | None
    portal_url: str | None
    by_state: dict[str, int]
    waiting: int
    oldest_pending_age_s: float | None
    last_sync_at: float | None
    last_error_class: str | None
    catalogue_journeys: int
    alerts: list[dict[str, Any]] = field(default_factory=list)
    catalogue_version: str | None = None  # the portal's ETag of the cached catalogue
    clock_skew_s: float | None = None  # portal clock minus ours, at the last health check
    last_heartbeat_at: float | None = None
    sync_stopped: str | None = None  # why syncing stopped (the portal refused the token), if it did

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class CaseStatus:
    """What "check progress" shows. `kind`: found, not_found, waiting_here (still in this kiosk's
    outbox), unavailable (offline, not enrolled, or the portal would not say)."""

    kind: str
    reference: str
    status: str | None = None
    received_at: str | None = None


@dataclass(frozen=True)
class ConsoleInfo:
    """The staff console's kiosk health panel. No personal data."""

    training: bool
    kiosk_id: str | None
    site_id: str | None
    portal_url: str | None
    last_sync_at: float | None
    last_error_class: str | None
    catalogue_version: str | None
    catalogue_journeys: int
    by_state: dict[str, int]
    oldest_pending_age_s: float | None
    alerts: list[Alert]


def normalise_reference(text: str) -> str:
    return "".join((text or "").split()).upper()


def fetch_case_status(client: PortalClient | None, reference: str) -> CaseStatus:
    """Ask the portal (blocking: call it off the UI thread). Never raises for the network."""
    if client is None:
        return CaseStatus("unavailable", reference)
    from sync.client import AuthFailed, Permanent, Transient

    try:
        body = client.submission_status(reference)
    except Permanent as exc:
        return CaseStatus("not_found" if exc.status == 404 else "unavailable", reference)
    except (Transient, AuthFailed):
        return CaseStatus("unavailable", reference)
    finally:
        client.close()
    return CaseStatus("found", reference, str(body.get("status")), str(body.get("received_at") or "") or None)


def token_name(store: Store) -> str:
    return f"device-token:{store.install_id}"


def enrolment_of(store: Store) -> Enrolment | None:
    url, kid, site = (store.get_meta(k) for k in ("portal_url", "kiosk_id", "site_id"))
    if not (url and kid and site):
        return None
    return Enrolment(url, kid, site)


def build_sync_engine(config: KioskConfig, store: Store) -> SyncEngine:
    """A SyncEngine with its own HTTP client, on the given store (each thread opens its own)."""
    enrolment = enrolment_of(store)
    if enrolment is None:
        raise NotEnrolled("this kiosk is not enrolled: run `dcp-kiosk enrol`")
    import keyring
    import keyring.errors

    from sync.client import PortalClient
    from sync.engine import SyncEngine

    try:
        token = keyring.get_password(KEYRING_SERVICE, token_name(store))
    except keyring.errors.KeyringError:
        token = None
    client = PortalClient(enrolment.portal_url, token, ca_bundle=config.ca_bundle)
    return SyncEngine(
        store,
        client,
        kiosk_id=enrolment.kiosk_id,
        training=config.training,
        heartbeat_interval=float(config.heartbeat_interval_s),
    )


class Kiosk:
    def __init__(self, config: KioskConfig, store: Store | None = None) -> None:
        self.config = config
        self.store = store or Store(config.db_path, training=config.training, retention_days=config.retention_days)

    # -- catalogue ------------------------------------------------------------------------

    def catalogue(self) -> list[CatalogueEntry]:
        """The cached catalogue's journeys that have a cached definition (usable offline)."""
        cached = self.store.cache_get("catalogue")
        if cached is None:
            return []
        try:
            catalogue = parse_catalogue(cached[0])
        except JourneyFormatError as exc:
            log.error("cached catalogue unusable: %s", exc)
            return []
        return [e for e in catalogue.journeys if self.journey(e.id, e.version) is not None]

    def journey(self, journey_id: str, version: int) -> Journey | None:
        cached = self.store.cache_get(f"journey:{journey_id}:{version}")
        if cached is None:
            return None
        try:
            return parse_journey(cached[0])
        except JourneyFormatError as exc:
            log.error("cached journey unusable: %s", exc)
            return None

    # -- submissions ----------------------------------------------------------------------

    def submit(self, journey: Journey, answers: dict[str, Any], *, assisted_by: str | None = None) -> Receipt:
        try:
            saved = self.store.submit(journey.id, journey.version, answers, assisted_by=assisted_by)
        except (SaveFailed, VaultError, StoreError) as exc:
            log.error("submission not saved: %s", type(exc).__name__)
            raise SubmitFailed("We could not save this. Please ask a member of staff.") from exc
        log.info("submission saved for journey %s", journey.id)
        return Receipt(saved.reference, saved.submission_id, journey.title.en, journey.confirmation.en)

    def submit_raw(self, journey: Journey, raw: dict[str, Any]) -> Receipt | list[FieldError]:
        """A scripted submission: the raw answers are checked exactly as the screens check them."""
        parsed, errors = Flow(journey).check_all(raw)
        return errors if errors else self.submit(journey, parsed)

    def is_delivered(self, submission_id: str) -> bool:
        return self.store.item(submission_id).state == "delivered"

    # -- enrolment and sync ---------------------------------------------------------------

    def enrol(self, portal_url: str, kiosk_id: str, site_id: str, token: str) -> None:
        import keyring

        keyring.set_password(KEYRING_SERVICE, token_name(self.store), token)
        for key, value in (("portal_url", portal_url), ("kiosk_id", kiosk_id), ("site_id", site_id)):
            self.store.set_meta(key, value)
        self.store.set_meta("auth_failed", "")  # a new token: syncing may start again
        log.info("enrolled as kiosk %s at site %s", kiosk_id, site_id)

    def enrolment(self) -> Enrolment | None:
        return enrolment_of(self.store)

    def sync_engine(self) -> SyncEngine:
        return build_sync_engine(self.config, self.store)

    def record_sync(self, error_class: str | None, ok: bool) -> None:
        if ok:
            self.store.set_meta("last_sync_at", str(time.time()))
        self.store.set_meta("last_error_class", error_class or "")

    def status(self) -> KioskStatus:
        counts = self.store.counts()
        enrolment = self.enrolment()
        last_sync = self.store.get_meta("last_sync_at")
        return KioskStatus(
            training=self.config.training,
            enrolled=enrolment is not None,
            kiosk_id=enrolment.kiosk_id if enrolment else None,
            portal_url=enrolment.portal_url if enrolment else None,
            by_state=counts.by_state,
            waiting=counts.waiting,
            oldest_pending_age_s=(time.time() - counts.oldest_pending_at) if counts.oldest_pending_at else None,
            last_sync_at=float(last_sync) if last_sync else None,
            last_error_class=self.store.get_meta("last_error_class") or None,
            catalogue_journeys=len(self.catalogue()),
            alerts=[
                {"id": a.id, "kind": a.kind, "message": a.message, "raised_at": a.raised_at, "count": a.count}
                for a in self.store.alerts()
            ],
            **self._sync_figures(),
        )

    def _sync_figures(self) -> dict[str, Any]:
        """What the sync engine recorded: catalogue version, clock skew, heartbeat, a stop."""
        cached = self.store.cache_get("catalogue")
        skew, beat, stopped = (self.store.get_meta(k) for k in ("clock_skew_s", "last_heartbeat_at", "auth_failed"))
        reason = None
        if stopped:
            code = stopped.split()[0]
            reason = f"the portal refused this kiosk's token (HTTP {code}): re-enrol it"
        return {
            "catalogue_version": cached[1] if cached else None,
            "clock_skew_s": float(skew) if skew else None,
            "last_heartbeat_at": float(beat) if beat else None,
            "sync_stopped": reason,
        }

    # -- staff ----------------------------------------------------------------------------

    @property
    def staff(self) -> StaffAuth:
        auth: StaffAuth | None = getattr(self, "_staff", None)
        if auth is None:
            auth = self._staff = StaffAuth(
                self.store,
                lockout_failures=self.config.staff_lockout_failures,
                lockout_s=self.config.staff_lockout_s,
            )
        return auth

    def staff_sign_in(self, staff_id: str, pin: str) -> SignIn:
        return self.staff.sign_in(staff_id, pin)

    def staff_sign_out(self, staff_id: str, reason: str = "signed out") -> None:
        self.staff.sign_out(staff_id, reason)

    def outbox(self, state: str | None = None) -> list[OutboxItem]:
        return self.store.items(state)

    def staff_answers(self, submission_id: str, staff_id: str) -> dict[str, Any] | None:
        """The decrypted answers, for the staff screen only (audited; never logged)."""
        self.staff.audit("staff_viewed_answers", staff_id, subject=submission_id)
        return self.store.answers(submission_id)

    def retry(self, submission_id: str, staff_id: str) -> None:
        """Staff send a needs-attention submission again (audited)."""
        self.store.staff_retry(submission_id, staff_id=staff_id)

    def correct_and_resubmit(self, submission_id: str, staff_id: str, answers: dict[str, Any]) -> list[str]:
        """Staff put right the answers the portal refused; the submission goes back in the queue.
        Returns the question ids that changed (what the audit entry records)."""
        return correct_answers(self.store, submission_id, answers, staff_id=staff_id)

    def console_info(self) -> ConsoleInfo:
        enrolment = self.enrolment()
        counts = self.store.counts()
        last_sync = self.store.get_meta("last_sync_at")
        cached = self.store.cache_get("catalogue")
        return ConsoleInfo(
            training=self.config.training,
            kiosk_id=enrolment.kiosk_id if enrolment else None,
            site_id=enrolment.site_id if enrolment else None,
            portal_url=enrolment.portal_url if enrolment else None,
            last_sync_at=float(last_sync) if last_sync else None,
            last_error_class=self.store.get_meta("last_error_class") or None,
            catalogue_version=(cached[1] or "").strip('"') or None if cached else None,
            catalogue_journeys=len(self.catalogue()),
            by_state=counts.by_state,
            oldest_pending_age_s=(time.time() - counts.oldest_pending_at) if counts.oldest_pending_at else None,
            alerts=self.store.alerts(),
        )

    def keyring_usable(self) -> bool:
        import keyring.errors

        try:
            self.store.vault()
        except (VaultError, StoreError, keyring.errors.KeyringError):
            return False
        return True

    def local_case(self, reference: str) -> CaseStatus | None:
        """A reference still waiting in this kiosk's outbox (the portal does not know it yet)."""
        reference = normalise_reference(reference)
        row = self.store.conn.execute(
            "SELECT o.state FROM submissions s JOIN outbox o ON o.submission_id = s.id WHERE s.reference=?",
            (reference,),
        ).fetchone()
        if row is None or row["state"] not in ("pending", "sending", "needs_attention"):
            return None
        return CaseStatus("waiting_here", reference, row["state"])

    def case_client(self) -> PortalClient | None:
        """A portal client for check progress, made here and used on a worker thread; None if not enrolled."""
        enrolment = self.enrolment()
        if enrolment is None:
            return None
        import keyring
        import keyring.errors

        from sync.client import PortalClient

        try:
            token = keyring.get_password(KEYRING_SERVICE, token_name(self.store))
        except keyring.errors.KeyringError:
            return None
        return PortalClient(enrolment.portal_url, token, ca_bundle=self.config.ca_bundle)

    def alerts(self) -> list[Alert]:
        """Open staff/IT alerts (damaged database moved aside, keyring unusable, disk full)."""
        return self.store.alerts()

    def acknowledge_alert(self, alert_id: int, staff_id: str) -> None:
        self.store.acknowledge_alert(alert_id, staff_id=staff_id)

    def discard(self, submission_id: str, staff_id: str, reason: str) -> None:
        """Staff discard a waiting or needs-attention submission (audited with the reason)."""
        self.store.discard(submission_id, staff_id=staff_id, reason=reason)

    def close(self) -> None:
        self.store.close()
