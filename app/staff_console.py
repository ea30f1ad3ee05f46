"""The staff console's use cases: the outbox, one submission, retry, discard and correction. Qt-free.

Each call takes the staff id of the person signed in, for the audit log. What comes out is plain
dataclasses for a screen to render. Answers are decrypted only here, and every view of them is
audited once (`staff_viewed_answers`). A correction is checked by the journey's own answer types,
exactly as the citizen's screen checks an answer, and stored in the journey's own form.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from app.errors import InvalidTransition, JourneyUnavailable, StoreError, VaultError
from app.kiosk import Kiosk
from app.portal_messages import Explanation, explain, short_words
from app.status import KioskStatus
from journeys import AnswerError, Message, parse_answer, to_raw
from journeys.flow import FieldError, Flow
from journeys.models import Journey, Question
from local_store import STATES, OutboxCounts, OutboxItem
from local_store.staff import correct_answers

__all__ = [
    "STATES",
    "AnswerRow",
    "CorrectionForm",
    "CorrectionResult",
    "CorrectionRow",
    "Explanation",
    "FieldError",
    "InvalidTransition",
    "ItemView",
    "JourneyUnavailable",
    "OutboxCounts",
    "OutboxItem",
    "StaffConsole",
    "StoreError",
    "VaultError",
    "short_words",
]

log = logging.getLogger("kiosk")

NOT_A_QUESTION = Message("staff.not_a_question", "This is not a question of this service")
UNKNOWN_JOURNEY = "{id} (a service this kiosk does not know)"


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    label: str
    answer: str  # as the citizen's check-answers page shows it


@dataclass(frozen=True)
class ItemView:
    """One submission for staff. `answers` is None when the answers are no longer kept or, with
    `unreadable`, cannot be decrypted on this kiosk (the keyring)."""

    item: OutboxItem
    answers: list[AnswerRow] | None
    unreadable: bool = False
    journey: Message | None = None  # the service's title (or its id, saying it is not known here)
    explanation: Explanation | None = None  # what the portal said, in plain words


@dataclass(frozen=True)
class CorrectionRow:
    question: Question  # the screen builds the same input the citizen's page uses
    question_id: str
    label: str
    raw: object  # the stored answer in the form a question page holds it (a date's day, month, year)
    refused: bool  # the portal's message names this question


@dataclass(frozen=True)
class CorrectionForm:
    item: OutboxItem
    rows: list[CorrectionRow]
    journey: Message | None = None
    explanation: Explanation | None = None


@dataclass(frozen=True)
class CorrectionResult:
    """`ok`: stored and queued again, `changed` naming the question ids that changed. Otherwise
    nothing was stored, and `errors` say why, one per question, in the citizen's words."""

    ok: bool
    changed: list[str] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)


class StaffConsole:
    """The outbox as staff see and put it right, on one kiosk."""

    def __init__(self, kiosk: Kiosk) -> None:
        self.kiosk = kiosk
        self._names: dict[tuple[str, int], Message] = {}

    def journey_name(self, journey_id: str, version: int) -> Message:
        """The service's title in the kiosk's cache (this version's, else the catalogue's for the same
        service); its id, saying that it is not known here, when the kiosk has neither."""
        key = (journey_id, version)
        if key not in self._names:
            journey = self.kiosk.journey(journey_id, version)
            title = journey.title if journey is not None else None
            if title is None:
                title = next((e.title for e in self.kiosk.catalogue() if e.id == journey_id), None)
            self._names[key] = (
                Message("staff.journey_title", "{title}", {"title": title})
                if title is not None
                else Message("staff.journey_unknown", UNKNOWN_JOURNEY, {"id": journey_id})
            )
        return self._names[key]

    def explain(self, item: OutboxItem) -> Explanation | None:
        """What the portal (or the sync engine) said about this submission, in plain words."""
        if item.state in ("delivered", "discarded"):
            return None  # settled: what the portal once said needs nothing done
        journey = self.kiosk.journey(item.journey_id, item.journey_version)
        retrying = item.state in ("pending", "sending")
        return explain(item.last_error_class, item.last_error_message, journey, retrying=retrying)

    def reference_journey(self, reference: str) -> Message | None:
        """The service of a submission made on this kiosk, by its reference (None if not made here)."""
        item = self.kiosk.store.outbox.by_reference(reference)
        return self.journey_name(item.journey_id, item.journey_version) if item is not None else None

    def status(self) -> KioskStatus:
        """The kiosk health panel: the one status snapshot (the CLI's `status` shows the same)."""
        return self.kiosk.status()

    def outbox(self, state: str | None = None) -> list[OutboxItem]:
        return self.kiosk.store.outbox.items(state)

    def counts(self) -> OutboxCounts:
        return self.kiosk.store.outbox.counts()

    def get(self, submission_id: str) -> OutboxItem:
        """One submission's outbox row (no answers: nothing to audit). KeyError if there is none."""
        return self.kiosk.store.outbox.item(submission_id)

    def audit(self, action: str, staff_id: str) -> None:
        """A staff action with no submission of its own (sync now, close the kiosk)."""
        self.kiosk.staff.audit(action, staff_id)

    def acknowledge_alert(self, alert_id: int, staff_id: str) -> None:
        """Mark an alert dealt with (audited). KeyError if it is not open."""
        self.kiosk.store.alerts.acknowledge(alert_id, staff_id=staff_id)

    def _journey(self, item: OutboxItem) -> Journey:
        journey = self.kiosk.journey(item.journey_id, item.journey_version)
        if journey is None:
            raise JourneyUnavailable(
                f"the service {item.journey_id} version {item.journey_version} is not on this kiosk"
            )
        return journey

    def _viewed_answers(self, submission_id: str, staff_id: str) -> dict[str, Any] | None:
        """The decrypted answers, audited once as a staff view (never logged)."""
        self.kiosk.staff.audit("staff_viewed_answers", staff_id, subject=submission_id)
        return self.kiosk.store.outbox.answers(submission_id)

    def item(self, submission_id: str, staff_id: str) -> ItemView:
        item = self.kiosk.store.outbox.item(submission_id)
        name, explanation = self.journey_name(item.journey_id, item.journey_version), self.explain(item)
        try:
            answers = self._viewed_answers(submission_id, staff_id)
        except (StoreError, VaultError) as exc:
            log.error("answers unreadable: %s", type(exc).__name__)
            return ItemView(item, None, True, name, explanation)
        if answers is None:
            return ItemView(item, None, False, name, explanation)
        journey = self.kiosk.journey(item.journey_id, item.journey_version)
        if journey is None:
            return ItemView(item, [AnswerRow(k, k, str(v)) for k, v in answers.items()], False, name, explanation)
        rows = [AnswerRow(r.question_id, r.label, r.answer) for r in Flow(journey).summary(answers)]
        return ItemView(item, rows, False, name, explanation)

    def retry(self, submission_id: str, staff_id: str) -> None:
        """Send a needs-attention submission again (audited). InvalidTransition otherwise."""
        self.kiosk.store.outbox.staff_retry(submission_id, staff_id=staff_id)

    def discard(self, submission_id: str, staff_id: str, reason: str) -> None:
        """Never send it; its answers are destroyed (audited with the reason). ValueError for a
        missing or too long reason, InvalidTransition for a submission past discarding."""
        self.kiosk.store.outbox.discard(submission_id, staff_id=staff_id, reason=reason)

    def correction(self, submission_id: str, staff_id: str, typed: dict[str, object] | None = None) -> CorrectionForm:
        """The form to put a refused submission right: one row per question on its route, each
        holding the stored answer. Audited as a view of the answers. `typed`: what staff entered
        (refused), whose answers decide the route, so that a question they bring onto it is asked."""
        item = self.kiosk.store.outbox.item(submission_id)
        journey = self._journey(item)
        answers = self._viewed_answers(submission_id, staff_id)
        if item.state != "needs_attention" or answers is None:
            raise InvalidTransition(f"a submission that is {item.state} cannot be corrected")
        explanation = self.explain(item)
        refused = set(explanation.question_ids) if explanation is not None else set()
        route = check_correction(journey, answers, typed, today=_sent_day(item))[0] if typed else answers
        rows = []
        for page in Flow(journey).route(route):
            for q in page.questions:
                raw = to_raw(q, answers.get(q.id)) if q.id in answers else None
                rows.append(CorrectionRow(q, q.id, q.label.en, "" if raw is None else raw, q.id in refused))
        journey_name = self.journey_name(item.journey_id, item.journey_version)
        return CorrectionForm(item, rows, journey_name, explanation)

    def correct(self, submission_id: str, staff_id: str, raw: dict[str, object]) -> CorrectionResult:
        """Check each changed answer with the journey's own answer type, then store them all sealed,
        queue the submission again and audit which questions changed (once, never the values)."""
        item = self.kiosk.store.outbox.item(submission_id)
        journey = self._journey(item)
        stored = self.kiosk.store.outbox.answers(submission_id)  # read for the check; the store audits the correction
        if item.state != "needs_attention" or stored is None:
            raise InvalidTransition(f"a submission that is {item.state} cannot be corrected")
        answers, errors = check_correction(journey, stored, raw, today=_sent_day(item))
        if errors:
            return CorrectionResult(False, errors=errors)
        changed = correct_answers(self.kiosk.store, submission_id, answers, staff_id=staff_id)
        log.info("staff corrected a submission (%d answers changed)", len(changed))
        return CorrectionResult(True, changed=changed)


def _sent_day(item: OutboxItem) -> dt.date:
    """The day the citizen sent it: a correction is checked as of then ("in the last 14 days" of that day)."""
    return dt.date.fromtimestamp(item.created_at)


def check_correction(
    journey: Journey, stored: dict[str, Any], raw: dict[str, object], *, today: dt.date | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """The stored answers with the changed ones parsed in, as the citizen's pages parse them, and
    the errors in question order. A question the new answers bring onto the route must be answered.
    `today` is the day the answers are checked as of (date rules): the day the submission was made."""
    flow = Flow(journey)
    questions = {q.id: q for q in journey.questions()}
    answers = dict(stored)
    errors: list[FieldError] = []
    checked: set[str] = set()
    for qid, value in raw.items():
        q = questions.get(qid)
        if q is None:
            errors.append(FieldError(qid, NOT_A_QUESTION))
            continue
        if qid in stored and value == (to_raw(q, stored[qid]) if stored[qid] is not None else ""):
            continue  # unchanged: kept as stored, not checked again against today's date
        checked.add(qid)
        try:
            answers[qid] = parse_answer(q, value, today)
        except AnswerError as exc:
            errors.append(FieldError(qid, exc.message))
    for page in flow.route(answers):
        for q in page.questions:
            if q.id not in answers and q.id not in checked:
                try:
                    answers[q.id] = parse_answer(q, None, today)
                except AnswerError as exc:
                    errors.append(FieldError(q.id, exc.message))
    order = {qid: i for i, qid in enumerate(questions)}
    errors.sort(key=lambda e: order.get(e.question_id, len(order)))
    steps = {k: v for k, v in stored.items() if k.startswith("_")}  # the payment, a receipt email: not answers
    return {**flow.answers_on_route(answers), **steps}, errors
