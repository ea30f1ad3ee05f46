"""The use cases the screens and the command line call. Qt-free; the UI renders what it returns."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from app.config import KioskConfig
from app.gazetteer import Addresses, packs_folder
from app.staff_auth import SignIn, StaffAuth
from app.status import KioskStatus, kiosk_status
from app.steps import Steps, appointment_answers, with_steps
from journeys.flow import FieldError, Flow
from journeys.models import CatalogueEntry, Journey, JourneyFormatError, parse_catalogue, parse_journey
from local_store import (
    KEYRING_SERVICE,
    STATES,
    Alert,
    Enrolment,
    InvalidTransition,
    OutboxItem,
    PaymentRecord,
    Saved,
    SaveFailed,
    Store,
    StoreError,
    VaultError,
)
from local_store.gazetteer.shelf import PackShelf

if TYPE_CHECKING:  # httpx and keyring are imported where used, off the start-up path
    from app.sync_runner import SyncRunner
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
    payment: dict[str, Any] | None = None  # {"method", "amount", "status": "success" | "due", ...}
    appointments: tuple[dict[str, Any], ...] = ()  # each booked or requested (never a hold)
    receipt_email: bool = False  # the portal is asked to email a receipt when this reaches it


@dataclass(frozen=True)
class CaseStatus:
    """What "check progress" shows. `kind`: found, not_found, waiting_here (still in this kiosk's
    outbox), unavailable (offline, not enrolled, or the portal would not say)."""

    kind: str
    reference: str
    status: str | None = None
    received_at: str | None = None


@dataclass(frozen=True)
class HelpReach:
    delivered: bool  # the portal accepted it: staff elsewhere in the building can see it
    tried: bool  # a delivery was tried and has not worked yet
    open: bool = True  # staff have not yet marked it dealt with
    refused: bool = False  # the portal refused it: only staff at this kiosk will know


@dataclass(frozen=True)
class HelpRow:
    """One open help request as the staff console shows it (nothing personal)."""

    id: str
    asked_at: float
    journey_title: str | None  # what the citizen was doing, if they were on a journey
    delivered: bool


MAX_CASE_NUMBER = 64  # longer is not a case number a person could read out: ask by the kiosk's reference


def normalise_reference(text: str) -> str:
    return "".join((text or "").split()).upper()


def fetch_case_status(client: PortalClient | None, reference: str, council_reference: str | None = None) -> CaseStatus:
    """Ask the portal (blocking: call it off the UI thread). Never raises for the network.

    `council_reference`: the case number the council's portal gave this submission, when it numbers
    its own cases; the portal is asked for that, and the answer is shown under the citizen's reference."""
    if client is None:
        return CaseStatus("unavailable", reference)
    from sync.client import AuthFailed, Permanent, Transient

    try:
        body = client.submission_status(council_reference or reference)
    except Permanent as exc:
        return CaseStatus("not_found" if exc.status == 404 else "unavailable", reference)
    except (Transient, AuthFailed):
        return CaseStatus("unavailable", reference)
    finally:
        client.close()
    return CaseStatus("found", reference, str(body.get("status")), str(body.get("received_at") or "") or None)


def token_name(store: Store) -> str:
    return f"device-token:{store.install_id}"


def read_token(name: str) -> str | None:
    """The device token from the keyring; None if it holds none. TokenUnavailable if the keyring
    cannot be used (no backend, locked, its service gone)."""
    import keyring

    from sync.client import TokenUnavailable

    try:
        return keyring.get_password(KEYRING_SERVICE, name)
    except Exception as exc:  # any backend failure: no backend, locked, D-Bus gone
        raise TokenUnavailable(f"the keyring cannot be read ({type(exc).__name__})") from None


def build_sync_engine(config: KioskConfig, store: Store) -> SyncEngine:
    """A SyncEngine with its own HTTP client, on the given store (each thread opens its own)."""
    enrolment = store.state.read().enrolment
    if enrolment is None:
        raise NotEnrolled("this kiosk is not enrolled: run `dcp-kiosk enrol`")
    from app.open311 import build_target
    from sync.client import PortalClient
    from sync.engine import SyncEngine

    name = token_name(store)
    # Read when the first request goes out, and again each pass until it works: a keyring that is
    # locked or gone is a passing condition (TokenUnavailable), not a token the portal refused.
    client = PortalClient(enrolment.portal_url, lambda: read_token(name), ca_bundle=config.ca_bundle)
    return SyncEngine(
        store,
        client,
        kiosk_id=enrolment.kiosk_id,
        training=config.training,
        heartbeat_interval=float(config.heartbeat_interval_s),
        packs=PackShelf(packs_folder(config.data_dir)),
        open311=build_target(config, store),
    )


class Kiosk:
    def __init__(self, config: KioskConfig, store: Store | None = None) -> None:
        self.config = config
        self.store = store or Store(config.db_path, training=config.training, retention_days=config.retention_days)
        self.addresses = Addresses(PackShelf(packs_folder(config.data_dir)))  # the address lookup, offline

    # -- catalogue ------------------------------------------------------------------------

    def catalogue(self) -> list[CatalogueEntry]:
        """The cached catalogue's journeys that have a cached definition (usable offline)."""
        cached = self.store.cache.catalogue()
        if cached is None:
            return []
        try:
            catalogue = parse_catalogue(cached[0])
        except JourneyFormatError as exc:
            log.error("cached catalogue unusable: %s", exc)
            self.store.cache.drop_catalogue(str(exc))  # fetched in full again at the next sync
            return []
        return [e for e in catalogue.journeys if self.journey(e.id, e.version) is not None]

    def journey(self, journey_id: str, version: int) -> Journey | None:
        definition = self.store.cache.journey(journey_id, version)
        if definition is None:
            return None
        try:
            return parse_journey(definition)
        except JourneyFormatError as exc:
            log.error("cached journey unusable: %s", exc)
            return None

    # -- submissions ----------------------------------------------------------------------

    def submit(
        self,
        journey: Journey,
        answers: dict[str, Any],
        *,
        assisted_by: str | None = None,
        ids: Saved | None = None,
        payment: dict[str, Any] | None = None,
    ) -> Receipt:
        """Save the submission; ``ids`` when a payment or a hold already carries them, ``payment`` what the
        payment step ended with (app/payments.py: paid, or due). A held appointment is never saved: it is
        confirmed first (app/appointments.py) and the booking is the answer."""
        if any(a.get("kind") == "held" for a in appointment_answers(journey, answers).values()):
            raise ValueError("a held appointment must be booked before it is saved")
        reference = ids.reference if ids else ""
        try:
            if ids is None:
                ids = self.store.outbox.reserve()
                reference = ids.reference
            kept = with_steps(journey, answers, reference, payment)
            saved = self.store.outbox.submit(journey.id, journey.version, kept, assisted_by=assisted_by, ids=ids)
        except (SaveFailed, VaultError, StoreError) as exc:
            log.error("submission not saved: %s", type(exc).__name__)
            raise SubmitFailed("We could not save this. Please ask a member of staff.") from exc
        log.info("submission saved for journey %s", journey.id)
        self.steps.saved(journey, answers, ids, payment)
        return Receipt(
            saved.reference,
            saved.submission_id,
            journey.title.en,
            journey.confirmation.en,
            payment=payment,
            appointments=tuple(appointment_answers(journey, answers).values()),
            receipt_email="_receipt_email" in kept,
        )

    @property
    def steps(self) -> Steps:
        """Payments and bookings this kiosk started, for staff (app/steps.py)."""
        found: Steps | None = getattr(self, "_steps", None)
        if found is None:
            found = self._steps = Steps(self.store)
        return found

    def submit_raw(self, journey: Journey, raw: dict[str, Any]) -> Receipt | list[FieldError]:
        """A scripted submission: the raw answers are checked exactly as the screens check them."""
        parsed, errors = Flow(journey).check_all(raw)
        return errors if errors else self.submit(journey, parsed)

    def is_delivered(self, submission_id: str) -> bool:
        return self.store.outbox.item(submission_id).state == "delivered"

    # -- enrolment and sync ---------------------------------------------------------------

    def enrol(self, portal_url: str, kiosk_id: str, site_id: str, token: str) -> None:
        """Keep the token in the keyring and the enrolment in the database; a stop on the old
        token is cleared, so syncing may start again."""
        import keyring

        keyring.set_password(KEYRING_SERVICE, token_name(self.store), token)
        self.store.state.enrol(portal_url, kiosk_id, site_id)
        log.info("enrolled as kiosk %s at site %s", kiosk_id, site_id)

    def enrolment(self) -> Enrolment | None:
        return self.store.state.read().enrolment

    def sync_engine(self) -> SyncEngine:
        return build_sync_engine(self.config, self.store)

    def sync_runner(self) -> SyncRunner:
        """What the UI's sync thread runs (it opens its own Store there). NotEnrolled until enrolled."""
        if self.enrolment() is None:
            raise NotEnrolled("this kiosk is not enrolled")
        from app.sync_runner import SyncRunner

        return SyncRunner(self.config)

    def status(self) -> KioskStatus:
        """The one status snapshot (CLI `status`, staff console). No personal data."""
        pack = self.addresses.info()
        status = kiosk_status(
            training=self.config.training,
            state=self.store.state.read(),
            counts=self.store.outbox.counts(),
            alerts=self.store.alerts.list(),
            catalogue_journeys=len(self.catalogue()),
        )
        open311 = self.store.state.open311()
        if open311 is not None:
            status = dataclasses.replace(status, open311_url=open311["url"])
        if pack is None:
            return status
        return dataclasses.replace(status, address_pack=pack.installed.version, address_count=pack.meta.addresses)

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

    def keyring_usable(self) -> bool:
        import keyring.errors

        try:
            self.store.vault()
        except (VaultError, StoreError, keyring.errors.KeyringError):
            return False
        return True

    def council_reference(self, reference: str) -> str | None:
        """The council's own case number for a reference delivered from this kiosk, if it gave one."""
        item = self.store.outbox.by_reference(normalise_reference(reference))
        if item is None or not item.server_reference or item.server_reference == item.reference:
            return None
        number = item.server_reference
        if len(number) > MAX_CASE_NUMBER or not number.isprintable():
            return None  # not something a portal gives as a case number: ask by the kiosk's reference
        return number

    def case_check(self, reference: str) -> Callable[[], CaseStatus]:
        """What check progress runs on a worker thread for a reference: it asks the server the submission went
        to (the portal, or the Open311 server for a journey delivered there, by the number it gave)."""
        reference = normalise_reference(reference)
        item = self.store.outbox.by_reference(reference)
        if (
            item is not None
            and item.server_reference
            and self._delivered_to_open311(item.journey_id, item.journey_version)
        ):
            from app.open311 import case_status, client_for

            return partial(case_status, client_for(self.config, self.store), reference, item.server_reference)
        return partial(fetch_case_status, self.case_client(), reference, self.council_reference(reference))

    def _delivered_to_open311(self, journey_id: str, version: int) -> bool:
        definition = self.store.cache.journey(journey_id, version)
        if not isinstance(definition, dict):
            return False
        delivery = definition.get("delivery")
        return isinstance(delivery, dict) and isinstance(delivery.get("open311"), dict)

    def local_case(self, reference: str) -> CaseStatus | None:
        """A reference still waiting in this kiosk's outbox (the portal does not know it yet)."""
        reference = normalise_reference(reference)
        item = self.store.outbox.by_reference(reference)
        if item is None or item.state not in ("pending", "sending", "needs_attention"):
            return None
        return CaseStatus("waiting_here", reference, item.state)

    def case_client(self) -> PortalClient | None:
        """A portal client for check progress, a payment or free times, made here and used on a worker
        thread; None if not enrolled."""
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

    # -- help: a citizen asked for a member of staff --------------------------------------

    def ask_for_help(self, journey_id: str | None) -> str | None:
        """Record a help request (on disk when this returns); its id, or None if it could not be
        recorded (then the citizen must not be told that anyone was asked)."""
        try:
            return self.store.help.ask(journey_id).id
        except StoreError as exc:
            log.error("help request not recorded: %s", type(exc).__name__)
            return None

    def help_reach(self, request_id: str) -> HelpReach:
        """How far a help request has gone: the portal accepted it, or tried and not yet, or not tried."""
        try:
            request = self.store.help.get(request_id)
        except (KeyError, StoreError):
            return HelpReach(delivered=False, tried=False, open=False)
        return HelpReach(
            request.delivered_at is not None,
            request.attempts > 0,
            request.dealt_with_at is None,
            refused=request.refused_at is not None,
        )

    def help_requests(self) -> list[HelpRow]:
        """Help requests staff have not yet marked dealt with, oldest first (the staff console)."""
        titles = {e.id: e.title.en for e in self.catalogue()}
        return [
            HelpRow(r.id, r.asked_at, titles.get(r.journey_id or "", r.journey_id), r.delivered_at is not None)
            for r in self.store.help.open()
        ]

    def help_dealt_with(self, request_id: str, staff_id: str) -> None:
        """KeyError if there is no such open request."""
        self.store.help.deal_with(request_id, staff_id)

    def raise_alert(self, kind: str, message: str) -> None:
        """An alert for staff and IT, raised by the screens (audio mode has no voice for a language)."""
        self.store.alerts.raise_alert(kind, message)

    def alerts(self) -> list[Alert]:
        """Open staff/IT alerts (damaged database moved aside, keyring unusable, disk full)."""
        return self.store.alerts.list()

    def close(self) -> None:
        self.addresses.close()
        self.store.close()


# What the screens need of the store's types, so that ui imports app only.
__all__ = [
    "STATES",
    "Alert",
    "CaseStatus",
    "Enrolment",
    "HelpReach",
    "HelpRow",
    "InvalidTransition",
    "Kiosk",
    "KioskStatus",
    "NotEnrolled",
    "OutboxItem",
    "PaymentRecord",
    "Receipt",
    "Saved",
    "StoreError",
    "SubmitFailed",
    "build_sync_engine",
    "fetch_case_status",
    "normalise_reference",
    "token_name",
]
