"""The way through the steps that need the portal while the citizen waits: free times, a hold, a payment.

The window asks this controller at four points: before it shows a page (an appointment page online
first fetches the free times), when a page is continued (a chosen slot is held at the portal before
the page counts as answered), at Send (a journey with a payment goes to the payment step; a held
time is booked, and only then is the submission saved), and at the wipe (a payment still open is
cancelled and a held time let go). The calls run on worker threads (ui/live.py); while one runs the
citizen sees a short "please wait" page, never a frozen screen. The kiosk says "paid" or "booked"
only when the portal has said so.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Slot

from app import appointments, payments
from app.kiosk import Saved
from app.live import LiveUnavailable
from journeys.fees import payment_pence
from journeys.flow import FieldError
from journeys.formatting import format_money
from journeys.models import Page, Question
from ui.i18n import tr
from ui.live import LiveCalls
from ui.screens import MessageScreen, PaymentChoiceScreen, PaymentWaitingScreen
from ui.screens.payment import outcome_words

if TYPE_CHECKING:
    from app.payments import PaymentView
    from ui.window import KioskWindow

log = logging.getLogger("ui")

__all__ = ["POLL_MS", "StepsController"]

POLL_MS = 2000  # how often the payment's state is asked for while the QR code shows
PAY_WAIT_MIN = 10  # the citizen pays on their phone, not touching the kiosk: the time-out waits this long


def status_words(status: str) -> str:
    """A payment still under way, in words (each a literal, so the catalogue extractor sees it)."""
    if status == "started":
        return tr("The payment page is open on your phone.")
    if status in ("submitted", "capturable"):
        return tr("Your payment is being checked.")
    return tr("Waiting for your payment.")


class WaitScreen(MessageScreen):
    """A short wait for the portal: what is happening, in plain words; nothing to press."""

    def __init__(self, heading: str, message: str) -> None:
        super().__init__("please-wait", heading, message, tr("Start again"))
        self.home_button.hide()  # the banner's Start again and Get help still work

    def first_focus(self) -> Any:
        return None


class StepsController(QObject):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window
        self.live = LiveCalls(window.kiosk, self)
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._poll)
        self.ids: Saved | None = None
        self.payment: PaymentView | None = None
        self.attempts = 0
        self.polling = False
        self.on_payment_step = False  # the payment step is where the citizen is (also under the language screen)

    # -- the ids the portal learns before the submission is saved ---------------------------

    def _ids(self) -> Saved:
        if self.ids is None:
            self.ids = self.window.kiosk.steps.reserve()
        return self.ids

    def _wait(self, heading: str, message: str) -> WaitScreen:
        screen = WaitScreen(heading, message)
        self.window._show(screen)
        return screen

    # -- appointment pages ------------------------------------------------------------------

    @staticmethod
    def appointment_question(page: Page) -> Question | None:
        return next((q for q in page.questions if q.type == "appointment"), None)

    def show_page(self, page: Page, errors: list[FieldError] | None) -> bool:
        """Fetch the free times for an appointment page (online); True when this shows the page later (or,
        for an address page with an address pack installed, now: with the pack to search)."""
        q = self.appointment_question(page)
        if q is None or q.service is None:
            return self._address_page(page, errors)
        if not self.window.online:
            self.window._show_page(page, errors, context={})
            return True
        waiting = self._wait(tr("Finding free times"), tr("This takes a few seconds."))
        self.live.start(
            partial(_free_slots, service=q.service),
            partial(self._slots_found, waiting, page, errors, q),
        )
        return True

    def _address_page(self, page: Page, errors: list[FieldError] | None) -> bool:
        """An address page is given the kiosk's address pack to search when one is installed (ui/screens/address.py)."""
        addresses = self.window.kiosk.addresses
        if not any(q.type == "address" for q in page.questions) or not addresses.available():
            return False
        self.window._show_page(page, errors, context={"addresses": addresses})
        return True

    def _slots_found(
        self, waiting: WaitScreen, page: Page, errors: list[FieldError] | None, q: Question, result: Any
    ) -> None:
        if self.window.current is not waiting:
            return  # the citizen moved on
        if isinstance(result, LiveUnavailable):
            context: dict[str, Any] = {"unavailable": True}
        else:
            context = {"slots": _with_held(result, self._held(q))}
        self.window._show_page(page, errors, context=context)

    def _held(self, q: Question) -> dict[str, Any] | None:
        progress = self.window.session.progress
        raw = progress.raw.get(q.id) if progress else None
        return raw if isinstance(raw, dict) and raw.get("kind") == "held" else None

    def continued(self, raw: dict[str, Any]) -> bool:
        """A slot chosen on an appointment page is held first; True when this answers the page later."""
        progress = self.window.session.progress
        if progress is None:
            return False
        q = self.appointment_question(progress.page)
        chosen = raw.get(q.id) if q else None
        if q is None or q.service is None or not isinstance(chosen, dict) or chosen.get("kind") != "slot":
            return False
        ids, previous = self._ids(), self._held(q)
        self.attempts += 1
        slot = appointments.Slot(chosen["slot_id"], chosen["starts_at"], chosen["ends_at"], chosen["location"])
        waiting = self._wait(tr("Holding this time for you"), tr("This takes a few seconds."))
        call = partial(_hold, service=q.service, slot=slot, submission_id=ids.submission_id, attempt=self.attempts)
        self.live.start(call, partial(self._held_now, waiting, q, raw, previous))
        return True

    def _held_now(
        self, waiting: WaitScreen, q: Question, raw: dict[str, Any], previous: dict[str, Any] | None, result: Any
    ) -> None:
        if self.window.current is not waiting:
            if not isinstance(result, LiveUnavailable):
                self.live.start(partial(_release, hold_id=result["hold_id"]), _ignore)  # nobody will use it
            return
        progress = self.window.session.progress
        assert progress is not None
        if isinstance(result, LiveUnavailable):
            if result.kind == "taken":
                message = tr("That time has just been taken by someone else. Choose another time.")
                self.show_page(progress.page, [FieldError(q.id, message)])
            else:
                message = tr(
                    "The kiosk could not hold that time just now. Choose a time again, or tell us which days suit you."
                )
                self.window._show_page(progress.page, [FieldError(q.id, message)], context={"unavailable": True})
            return
        if previous is not None and previous["hold_id"] != result["hold_id"]:
            self.live.start(partial(_release, hold_id=previous["hold_id"]), _ignore)
        self.window.answer({**raw, q.id: result})

    # -- send: payment, booking, then the submission ---------------------------------------------

    def send(self) -> None:
        """Send pressed on check answers."""
        progress = self.window.session.progress
        assert progress is not None
        if progress.journey.payment is not None:
            self.show_payment()
            return
        self._book_then_save(None)

    def _book_then_save(self, payment: dict[str, Any] | None) -> None:
        progress = self.window.session.progress
        assert progress is not None
        held = [
            (q, progress.answers[q.id])
            for q in progress.journey.questions()
            if q.type == "appointment"
            and isinstance(progress.answers.get(q.id), dict)
            and progress.answers[q.id].get("kind") == "held"
        ]
        if not held:
            self.window.save(payment, self.ids)
            return
        q, answer = held[0]
        ids = self._ids()
        waiting = self._wait(tr("Booking your appointment"), tr("This takes a few seconds."))
        call = partial(_confirm, held=answer, reference=ids.reference, submission_id=ids.submission_id)
        self.live.start(call, partial(self._booked, waiting, q, payment))

    def _booked(self, waiting: WaitScreen, q: Question, payment: dict[str, Any] | None, result: Any) -> None:
        if self.window.current is not waiting:
            return
        progress = self.window.session.progress
        assert progress is not None
        page = progress.flow.page(next(p.id for p in progress.journey.pages if q in p.questions))
        if isinstance(result, LiveUnavailable):
            self.window.session.change(page.id)
            if result.kind in ("taken", "expired"):
                message = tr("The time you chose was not held any longer and has gone. Choose another time.")
                self.show_page(page, [FieldError(q.id, message)])
            else:
                message = tr(
                    "The kiosk lost its connection before your time could be booked. Tell us which days suit you, or try again."
                )
                self.window._show_page(page, [FieldError(q.id, message)], context={"unavailable": True})
            return
        progress.answers[q.id] = result
        progress.raw[q.id] = result
        self._book_then_save(payment)

    # -- the payment step -------------------------------------------------------------------

    def amount(self) -> int | None:
        progress = self.window.session.progress
        payment = progress.journey.payment if progress else None
        return payment_pence(payment, progress.answers) if payment and progress else None

    def show_payment(self, notice: str | None = None) -> None:
        progress = self.window.session.progress
        assert progress is not None and progress.journey.payment is not None
        step, lang = progress.journey.payment, self.window.session.language
        pence = self.amount()
        if pence is None:  # an amount question left unanswered: check answers will say so
            self.window.show_check_answers()
            return
        screen = PaymentChoiceScreen(
            step.description.get(lang),
            format_money(pence, lang),
            step.other_ways.get(lang),
            online=self.window.online,
            pay_later=step.pay_later,
            pay_at_counter=step.pay_at_counter,
            notice=notice,
        )
        screen.pay_now.connect(self.pay_now)
        screen.pay_due.connect(self.pay_due)
        screen.back.connect(self._back_to_check)
        self.on_payment_step = True
        self.window._language_notice(screen, progress.journey)  # its words are the journey's: said if English only
        self.window._show(screen)

    @Slot()
    def _back_to_check(self) -> None:
        self.on_payment_step = False
        self.window.show_check_answers()

    def resume(self) -> bool:
        """Back from the language screen or the staff console: to the QR code of a payment still open (its
        state is asked for again), or to the payment step; False when the citizen was on a page."""
        view = self.payment
        if view is not None and not view.finished and view.hand_off_url:
            self._show_waiting(view)
            return True
        if self.on_payment_step and self.window.session.progress is not None:
            self.show_payment()
            return True
        return False

    @Slot(str)
    def pay_due(self, method: str) -> None:
        pence = self.amount()
        assert pence is not None
        self._book_then_save(payments.due(pence, method))

    @Slot()
    def pay_now(self) -> None:
        progress = self.window.session.progress
        assert progress is not None and progress.journey.payment is not None
        pence, ids = self.amount(), self._ids()
        assert pence is not None
        self.attempts += 1
        waiting = self._wait(tr("Starting your payment"), tr("This takes a few seconds."))
        call = partial(
            _create,
            submission_id=ids.submission_id,
            reference=ids.reference,
            amount=pence,
            description=progress.journey.payment.description.en[:255],
            attempt=self.attempts,
        )
        self.live.start(call, partial(self._payment_created, waiting))

    def _payment_created(self, waiting: WaitScreen, result: Any) -> None:
        if isinstance(result, LiveUnavailable):
            if self.window.current is waiting:
                self.show_payment(outcome_words("unavailable"))
            return
        self.payment = result
        assert self.ids is not None
        self.window.kiosk.steps.payment_started(result, self.ids)
        if self.window.current is not waiting or not result.hand_off_url:
            return
        self._show_waiting(result)

    def _show_waiting(self, view: PaymentView) -> None:
        assert view.hand_off_url is not None
        screen = PaymentWaitingScreen(
            format_money(view.amount, self.window.session.language),
            view.hand_off_url,
            training=self.window.kiosk.config.training,
        )
        screen.cancel.connect(self.cancel_payment)
        self.window._show(screen)
        self._hold_idle(True)
        self.poll.start()

    def _hold_idle(self, paying: bool) -> None:
        """While the QR code shows, the kiosk is quiet because the citizen is paying on their phone."""
        idle = self.window.cards.idle
        idle.hold_ms = PAY_WAIT_MIN * 60_000 if paying else 0
        idle.restart()

    @Slot()
    def _poll(self) -> None:
        view = self.payment
        if view is None or not isinstance(self.window.current, PaymentWaitingScreen):
            self.poll.stop()
            return
        if self.polling:
            return  # the last question has not come back yet
        self.polling = True
        self.live.start(partial(_status, payment_id=view.payment_id), self._payment_seen)

    def _payment_seen(self, result: Any) -> None:
        self.polling = False
        screen = self.window.current
        if isinstance(result, LiveUnavailable) or not isinstance(screen, PaymentWaitingScreen):
            return  # asked again at the next tick; the screen says what it said
        self.payment = result
        self.window.kiosk.steps.payment_seen(result)
        outcome = result.outcome
        if outcome == "waiting":
            screen.set_status(status_words(result.status))
        elif outcome == "paid":
            self.poll.stop()
            self._hold_idle(False)
            self._book_then_save(payments.paid(result))
        else:
            self.poll.stop()
            self._hold_idle(False)
            self.payment = None
            self.show_payment(outcome_words(outcome))

    @Slot()
    def cancel_payment(self) -> None:
        view = self.payment
        if view is None:
            self.show_payment()
            return
        self.poll.stop()
        self._hold_idle(False)
        waiting = self._wait(tr("Cancelling the payment"), tr("This takes a few seconds."))
        self.live.start(partial(_cancel_then_status, payment_id=view.payment_id), partial(self._cancelled, waiting))

    def _cancelled(self, waiting: WaitScreen, result: Any) -> None:
        if self.window.current is not waiting:
            return
        if isinstance(result, LiveUnavailable):  # the portal could not be told: the payment lapses on its own
            self.payment = None
            self.show_payment(
                tr(
                    "The kiosk could not reach the payment service. If you did not pay on your phone, no money was taken."
                )
            )
            return
        self.window.kiosk.steps.payment_seen(result)
        if result.outcome == "paid":  # it went through on the phone just before the cancel
            self._book_then_save(payments.paid(result))
            return
        self.payment = None
        self.show_payment(outcome_words(result.outcome if result.outcome != "waiting" else "cancelled"))

    # -- the end of a journey, or of the visit ----------------------------------------------

    def saved(self) -> None:
        """The submission is saved: the ids and payment belong to it now."""
        self.ids, self.payment, self.attempts = None, None, 0
        self.on_payment_step = False
        self.poll.stop()

    def wipe(self) -> None:
        """The citizen has gone: an open payment is cancelled and a held time let go (best effort; both
        lapse on their own at the portal), and nothing that comes back is shown."""
        self.poll.stop()
        self.window.cards.idle.hold_ms = 0
        view, self.payment = self.payment, None
        self.live.forget()
        if view is not None and not view.finished:
            self.live.start(partial(payments.cancel_payment, payment_id=view.payment_id), _ignore)
        progress = self.window.session.progress
        for answer in progress.raw.values() if progress else ():
            if isinstance(answer, dict) and answer.get("kind") == "held":
                self.live.start(partial(_release, hold_id=answer["hold_id"]), _ignore)
        self.ids, self.attempts, self.polling, self.on_payment_step = None, 0, False, False

    def close(self) -> None:
        self.poll.stop()
        self.live.forget()
        self.live.wait()


def _ignore(_result: Any) -> None:
    pass


# The calls, each run on a worker thread with its own client (ui/live.py).


def _free_slots(client: Any, *, service: str) -> Any:
    return appointments.free_slots(client, service)


def _hold(client: Any, **kw: Any) -> Any:
    return appointments.hold(client, **kw)


def _release(client: Any, *, hold_id: str) -> None:
    appointments.release(client, hold_id)


def _confirm(client: Any, **kw: Any) -> Any:
    return appointments.confirm(client, **kw)


def _create(client: Any, **kw: Any) -> Any:
    return payments.create_payment(client, **kw)


def _status(client: Any, *, payment_id: str) -> Any:
    return payments.payment_status(client, payment_id)


def _cancel_then_status(client: Any, *, payment_id: str) -> Any:
    payments.cancel_payment(client, payment_id)
    return payments.payment_status(client, payment_id)


def _with_held(days: list[appointments.SlotDay], held: dict[str, Any] | None) -> list[appointments.SlotDay]:
    """The free times, with the one this citizen holds (which the portal no longer lists as free)."""
    if held is None or any(s.id == held["slot_id"] for d in days for s in d.slots):
        return days
    import datetime as dt

    slot = appointments.Slot(held["slot_id"], held["starts_at"], held["ends_at"], held["location"])
    day = dt.datetime.fromisoformat(slot.starts_at).date()
    out = [d for d in days if d.day != day]
    same = next((d for d in days if d.day == day), None)
    slots = sorted([*(same.slots if same else ()), slot], key=lambda s: s.starts_at)
    out.append(appointments.SlotDay(day, tuple(slots)))
    return sorted(out, key=lambda d: d.day)
