"""The contract's live calls, payments and appointments, that PortalClient inherits (LiveCalls).

They go through PortalClient._request, so each is read within the size cap and the total
deadline. Every field of every answer is checked; anything else is Transient("not_contract"). The
409s a person must act on are their own Permanent errors: SlotTaken (choose another time),
HoldExpired (choose again), PaymentFinished; a 409 for a request still in progress stays Transient.
A hand-off link that is not on the portal's own scheme, host and port is refused: the kiosk never
shows a link that goes anywhere but the portal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from sync.answers import Answer, portal_time

MAX_SLOTS = 500
MAX_DAYS = 28
MAX_TEXT = 255
MAX_URL = 1000  # a hand-off link is shown as a QR code (ui/qr.py takes at most 1,000 characters)
STATUSES = ("created", "started", "submitted", "capturable", "success", "failed", "cancelled", "error")
FINISHED = ("success", "failed", "cancelled", "error")
CODES = ("P0010", "P0020", "P0030", "P0040", "P0050")


@dataclass(frozen=True)
class PaymentInfo:
    payment_id: str
    amount: int  # pence
    reference: str
    description: str
    status: str
    finished: bool
    code: str | None
    message: str | None
    provider_id: str | None  # the payment reference the citizen is given, on success
    hand_off_url: str | None  # the portal's single-use link for the phone, while it can be used
    expires_at: dt.datetime | None


@dataclass(frozen=True)
class SlotInfo:
    id: str
    starts_at: dt.datetime  # timezone-aware
    ends_at: dt.datetime
    location: str
    free: int


@dataclass(frozen=True)
class HoldInfo:
    hold_id: str
    slot_id: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class BookingInfo:
    booking_reference: str
    slot_id: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str


class LiveCalls:
    """Mixed into PortalClient: the payments and appointments calls of the v1 contract."""

    if TYPE_CHECKING:  # PortalClient's
        _http: httpx.Client

        def _request(
            self, method: str, path: str, *, cap: int = ..., headers: dict[str, str] | None = None, **kwargs: Any
        ) -> Answer: ...

        def _raise_for(self, response: Answer) -> None: ...

    # -- payments ----------------------------------------------------------------------------

    def create_payment(
        self, *, amount: int, reference: str, description: str, submission_id: str, idempotency_key: str
    ) -> PaymentInfo:
        """A payment for the citizen to make on their phone (exactly once by the key)."""
        body = {"amount": amount, "reference": reference, "description": description, "submission_id": submission_id}
        response = self._request("POST", "/payments", json=body, headers={"Idempotency-Key": idempotency_key})
        return self._payment(self._answer(response, (200, 201)))

    def payment(self, payment_id: str) -> PaymentInfo:
        """The payment as the portal has it now (a payment it has expired reads failed, P0020)."""
        return self._payment(self._answer(self._request("GET", f"/payments/{_segment(payment_id)}"), (200,)))

    def cancel_payment(self, payment_id: str) -> None:
        """Cancel a payment not yet finished; PaymentFinished if it has (read it to see how)."""
        response = self._request("POST", f"/payments/{_segment(payment_id)}/cancel")
        self._answer(response, (204,), {"/payment-finished": PaymentFinished})

    def counter_payment(
        self, *, reference: str, amount: int, staff_id: str, paid_at: dt.datetime, idempotency_key: str
    ) -> None:
        """Staff took the money at the counter for a request recorded as payment due."""
        if paid_at.utcoffset() is None:
            raise ValueError("paid_at must be timezone-aware")
        body = {"reference": reference, "amount": amount, "staff_id": staff_id, "paid_at": paid_at.isoformat()}
        response = self._request("POST", "/payments/counter", json=body, headers={"Idempotency-Key": idempotency_key})
        answer = self._answer(response, (200, 201))
        if not isinstance(answer, dict) or answer.get("status") != "recorded":
            raise Transient("not_contract", "the counter payment was not recorded")
        _time(answer, "recorded_at")

    # -- appointments ------------------------------------------------------------------------

    def slots(self, service: str, days: int = 10) -> list[SlotInfo]:
        """The free slots of a service in the next `days` days, in time order (at most 500 read)."""
        if not 1 <= days <= MAX_DAYS:
            raise ValueError(f"days must be from 1 to {MAX_DAYS}")
        response = self._request("GET", f"/appointments/{_segment(service)}/slots", params={"days": days})
        answer = self._answer(response, (200,))
        if (
            not isinstance(answer, dict)
            or answer.get("service") != service
            or not isinstance(answer.get("slots"), list)
        ):
            raise Transient("not_contract", "the slots answer is not the slots of this service")
        if len(answer["slots"]) > MAX_SLOTS:
            raise Transient("not_contract", f"the portal listed more than {MAX_SLOTS} slots")
        found = []
        for item in answer["slots"]:
            starts, ends, location = _times_and_place(item)
            free = item.get("free")
            if not isinstance(free, int) or isinstance(free, bool) or free < 1:
                raise Transient("not_contract", "a slot listed has no free place")
            found.append(SlotInfo(_text(item, "id"), starts, ends, location, free))
        return sorted(found, key=lambda s: s.starts_at)

    def hold_slot(self, *, service: str, slot_id: str, submission_id: str, idempotency_key: str) -> HoldInfo:
        """Reserve a place while the citizen finishes; SlotTaken if none is free any more."""
        body = {"service": service, "slot_id": slot_id, "submission_id": submission_id}
        response = self._request("POST", "/appointments/holds", json=body, headers={"Idempotency-Key": idempotency_key})
        answer = self._answer(response, (200, 201), {"/slot-taken": SlotTaken})
        starts, ends, location = _times_and_place(answer, slot_id)
        return HoldInfo(_text(answer, "hold_id"), slot_id, starts, ends, location, _time(answer, "expires_at"))

    def release_hold(self, hold_id: str) -> None:
        """Give the place back (another slot was chosen, or the citizen left)."""
        response = self._request("DELETE", f"/appointments/holds/{_segment(hold_id)}")
        self._answer(response, (204,), {"/hold-booked": HoldBooked})

    def book(
        self, *, hold_id: str, slot_id: str, reference: str, submission_id: str, idempotency_key: str
    ) -> BookingInfo:
        """Confirm a held slot; HoldExpired (choose again) or SlotTaken (choose another)."""
        body = {"hold_id": hold_id, "slot_id": slot_id, "reference": reference, "submission_id": submission_id}
        response = self._request("POST", "/appointments", json=body, headers={"Idempotency-Key": idempotency_key})
        answer = self._answer(response, (200, 201), {"/slot-taken": SlotTaken, "/hold-expired": HoldExpired})
        starts, ends, location = _times_and_place(answer, slot_id)
        return BookingInfo(_text(answer, "booking_reference"), slot_id, starts, ends, location)

    # -- reading the answers -----------------------------------------------------------------

    def _answer(self, response: Answer, ok: tuple[int, ...], conflicts: dict[str, type[Conflict]] | None = None) -> Any:
        """The JSON of a contract answer with one of the `ok` statuses (None for 204), or the error."""
        if response.status_code == 409 and conflicts:
            try:
                problem = _json(response)
            except Transient:
                problem = None
            kind = str(problem.get("type") or "") if isinstance(problem, dict) else ""
            for suffix, error in conflicts.items():
                if isinstance(problem, dict) and kind.endswith(suffix):
                    detail = "".join(
                        c for c in str(problem.get("detail") or problem.get("title"))[:300] if c.isprintable()
                    )
                    raise error(error.name, detail, 409, [])
        self._raise_for(response)
        if response.status_code not in ok:
            raise Transient("not_contract", f"HTTP {response.status_code} is not an answer of this call")
        return None if response.status_code == 204 else _json(response)

    def _payment(self, body: Any) -> PaymentInfo:
        if not isinstance(body, dict) or not isinstance(body.get("state"), dict):
            raise Transient("not_contract", "the payment is not an object with a state")
        state = body["state"]
        status, finished = state.get("status"), state.get("finished")
        if status not in STATUSES or finished is not (status in FINISHED):
            raise Transient("not_contract", "the payment's state is not one of GOV.UK Pay's")
        code, message = state.get("code"), state.get("message")
        if (code is not None and code not in CODES) or (message is not None and not isinstance(message, str)):
            raise Transient("not_contract", "the payment's state has a code or message that is not the contract's")
        amount = body.get("amount")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            raise Transient("not_contract", "the payment's amount is not a whole number of pence")
        provider_id = _optional_text(body, "provider_id")
        if status == "success" and provider_id is None:
            raise Transient("not_contract", "a payment that succeeded has no provider_id")
        link = body.get("hand_off_url")
        if link is not None and (finished or not self._on_portal(link)):
            raise Transient("not_contract", "the payment's hand-off link does not go to the portal")
        _time(body, "created_date")
        return PaymentInfo(
            payment_id=_text(body, "payment_id"),
            amount=amount,
            reference=_text(body, "reference"),
            description=_text(body, "description"),
            status=status,
            finished=finished,
            code=code,
            message=message[:MAX_TEXT] if message else None,
            provider_id=provider_id,
            hand_off_url=link,
            expires_at=None if body.get("expires_at") is None else _time(body, "expires_at"),
        )

    def _on_portal(self, link: Any) -> bool:
        """Whether a link is http(s) on the portal's own scheme, host and port (and nothing odd in it)."""
        if not isinstance(link, str) or len(link) > MAX_URL or not link.isascii() or not link.isprintable():
            return False
        if any(c.isspace() or c == "\\" for c in link):
            return False
        try:
            url = httpx.URL(link)
        except (httpx.InvalidURL, ValueError):
            return False
        base = self._http.base_url
        return (
            url.scheme in ("http", "https")
            and (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port)
            and not url.userinfo
            and bool(url.host)
        )


def _segment(value: str) -> str:
    """One path segment, whatever the value holds: never another endpoint."""
    return quote(value, safe="")


def _text(body: Any, name: str) -> str:
    value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, str) or not 0 < len(value) <= MAX_TEXT or not value.isprintable():
        raise Transient("not_contract", f"the answer's {name} is not a short text")
    return value


def _optional_text(body: dict[str, Any], name: str) -> str | None:
    return None if body.get(name) is None else _text(body, name)


def _time(body: Any, name: str) -> dt.datetime:
    try:
        return portal_time(body.get(name) if isinstance(body, dict) else None)
    except ValueError:
        raise Transient("not_contract", f"the answer's {name} is not a date and time with an offset") from None


def _times_and_place(body: Any, slot_id: str | None = None) -> tuple[dt.datetime, dt.datetime, str]:
    """A slot's start, end and place (and, given, that it is the slot asked for)."""
    if slot_id is not None and _text(body, "slot_id") != slot_id:
        raise Transient("not_contract", "the answer is for another slot")
    starts, ends = _time(body, "starts_at"), _time(body, "ends_at")
    if ends <= starts:
        raise Transient("not_contract", "a slot ends before it starts")
    return starts, ends, _text(body, "location")


# sync.client imports this module midway (after its errors, before PortalClient, which inherits
# LiveCalls), so these names are defined by now whichever of the two modules is imported first.
from sync.client import Permanent, Transient, _json  # noqa: E402


class Conflict(Permanent):
    """A 409 a person acts on (not a request still in progress); `name` is its error_class."""

    name = "conflict"


class SlotTaken(Conflict):
    """No place is free at that time any more (409 /problems/slot-taken): show fresh slots."""

    name = "slot_taken"


class HoldExpired(Conflict):
    """The hold lapsed or was released (409 /problems/hold-expired): choose a time again."""

    name = "hold_expired"


class HoldBooked(Conflict):
    """The hold has become a booking, so it cannot be released (409 /problems/hold-booked)."""

    name = "hold_booked"


class PaymentFinished(Conflict):
    """The payment has already finished (409 /problems/payment-finished): read it to see how."""

    name = "payment_finished"


__all__ = [
    "BookingInfo",
    "Conflict",
    "HoldBooked",
    "HoldExpired",
    "HoldInfo",
    "LiveCalls",
    "PaymentFinished",
    "PaymentInfo",
    "SlotInfo",
    "SlotTaken",
]
