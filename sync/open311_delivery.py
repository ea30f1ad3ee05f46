"""Open311Target: a submission whose journey says `delivery: {"open311": ...}` becomes one GeoReport v2 report.

Exactly once without an idempotency key (Open311 has none):
1. before the POST, the kiosk notes durably that the report may now exist (local_store/remote.py);
2. the POST carries the submission id as an attribute (SUBMISSION_ATTRIBUTE) and the kiosk's reference in
   the description;
3. any later attempt (after a timeout, a lost answer, a 5xx, a crash mid-send) first asks the server
   (GET requests of that service, from a little before the first attempt until now) for a request with
   that attribute, or that reference in its description, and takes it when found: nothing is posted again;
4. an answer with a token is kept, and its service_request_id asked for through tokens/{token} (now,
   and at later passes) instead of posting again.
The service_request_id is the case reference the kiosk shows and the progress check asks about.

What the mapping needs and cannot find (a journey changed under a waiting submission) is Permanent: staff
see it; nothing is posted. A server that cannot list its requests leaves a possibly-sent report to staff
(open311_unconfirmed): they check the council's system, then retry or discard.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from journeys.delivery import Open311Delivery
from journeys.models import Journey, Question
from journeys.types import answer_type
from local_store import OutboxItem, Store
from local_store.gazetteer.pack import Pack, PackError
from local_store.gazetteer.shelf import PackShelf
from sync.errors import Delivered, Permanent, Transient
from sync.open311 import Open311Client

log = logging.getLogger("sync")

__all__ = [
    "SUBMISSION_ATTRIBUTE",
    "UPRN_ATTRIBUTE",
    "Coordinates",
    "Open311Target",
    "pack_coordinates",
    "report_fields",
]

SUBMISSION_ATTRIBUTE = "kiosk_submission_id"  # the kiosk's submission id (UUIDv7): how a report is found again
UPRN_ATTRIBUTE = "uprn"  # a gazetteer address's UPRN (also sent as address_id)
RECONCILE_MARGIN_S = 6 * 3600.0  # the server's clock may differ from the kiosk's: look this far either side
MAX_DESCRIPTION = 4000
TARGET = "open311"

# A UPRN -> (latitude, longitude) in WGS84, or None when the pack has none.
Coordinates = Callable[[str], tuple[float, float] | None]


def pack_coordinates(shelf: PackShelf | None) -> Coordinates:
    """Look a UPRN up in the address pack in use (opened for each report: deliveries are few)."""

    def lookup(uprn: str) -> tuple[float, float] | None:
        installed = shelf.current() if shelf is not None else None
        if installed is None:
            return None
        try:
            pack = Pack.open(installed.path)
        except PackError as exc:
            log.warning("address pack not usable for coordinates: %s", type(exc).__name__)
            return None
        try:
            found = pack.by_uprn(uprn)
        finally:
            pack.close()
        if found is None or found.latitude is None or found.longitude is None:
            return None
        return found.latitude, found.longitude

    return lookup


def _w3c(when: float) -> str:
    return dt.datetime.fromtimestamp(when, dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _shown(value: Any, q: Question) -> str:
    return " ".join(answer_type(q.type).display(value, q, "en").split())


def _attribute_values(code: str, o: Open311Delivery, answers: dict[str, Any], by_id: dict[str, Question]) -> list[str]:
    mapped = o.attribute(code)
    q, value = by_id.get(mapped.question), answers.get(mapped.question)
    if q is None:
        raise Permanent(
            "open311_mapping", f"the journey has no question {mapped.question!r} for attribute {code}", 0, []
        )
    if value is None or value == "" or value == []:
        return []
    if q.type == "checkboxes":
        return [mapped.values.get(v, v) for v in value]
    if q.type in ("radios", "select", "yes_no"):
        return [mapped.values.get(str(value), str(value))]
    if q.type == "date" and mapped.time is not None and answers.get(mapped.time):
        local = dt.datetime.fromisoformat(f"{value}T{answers[mapped.time]}").astimezone()  # the kiosk's own zone
        return [local.isoformat(timespec="seconds")]
    return [str(value)]


def report_fields(
    journey: Journey, o: Open311Delivery, answers: dict[str, Any], item: OutboxItem, coordinates: Coordinates
) -> list[tuple[str, str]]:
    """The POST requests fields for one submission (without jurisdiction_id and api_key)."""
    by_id = {q.id: q for q in journey.questions()}
    fields: list[tuple[str, str]] = [("service_code", o.service_code)]
    words = [_shown(answers[qid], by_id[qid]) for qid in o.description if qid in by_id and answers.get(qid)]
    tail = f"Reported at a council kiosk: kiosk reference {item.reference}."
    text = "\n\n".join(words)[: MAX_DESCRIPTION - len(tail) - 2]
    fields.append(("description", f"{text}\n\n{tail}" if text else tail))
    place = answers.get(o.location) if o.location else None
    if isinstance(place, dict):
        parts = [str(place.get(k) or "").strip() for k in ("line1", "line2", "town", "postcode")]
        fields.append(("address_string", ", ".join(p for p in parts if p)))
        uprn = str(place.get("uprn") or "")
        if uprn:
            fields += [("address_id", uprn), (f"attribute[{UPRN_ATTRIBUTE}]", uprn)]
            found = coordinates(uprn)
            if found is not None:
                fields += [("lat", f"{found[0]:.6f}"), ("long", f"{found[1]:.6f}")]
    if o.contact is not None:
        for name in ("first_name", "last_name", "email", "phone"):
            qid = getattr(o.contact, name)
            if qid is not None and answers.get(qid):
                fields.append((name, str(answers[qid])))
    for code in o.attributes:
        values = _attribute_values(code, o, answers, by_id)
        many = by_id[o.attribute(code).question].type == "checkboxes"
        fields += [(f"attribute[{code}][]" if many else f"attribute[{code}]", v) for v in values]
    fields.append((f"attribute[{SUBMISSION_ATTRIBUTE}]", item.submission_id))
    return fields


def _attributes(request: dict[str, Any]) -> dict[str, Any]:
    """A listed request's attributes as code -> value, from the JSON object or the XML list of {code, value}."""
    got = request.get("attributes")
    if isinstance(got, dict):
        return got
    if isinstance(got, list):
        return {str(a.get("code")): a.get("value", a.get("values")) for a in got if isinstance(a, dict)}
    return {}


def is_ours(request: dict[str, Any], item: OutboxItem) -> bool:
    if _attributes(request).get(SUBMISSION_ATTRIBUTE) == item.submission_id:
        return True
    description = request.get("description")
    return isinstance(description, str) and f"kiosk reference {item.reference}." in description


class Open311Target:
    """The second delivery target; the sync engine calls `deliver` for a journey that names Open311."""

    name = TARGET

    def __init__(self, client: Open311Client, store: Store, coordinates: Coordinates) -> None:
        self.client = client
        self.store = store
        self.coordinates = coordinates

    def close(self) -> None:
        self.client.close()

    def abort(self) -> None:
        self.client.abort()

    def deliver(self, item: OutboxItem, answers: dict[str, Any], journey: Journey) -> Delivered:
        assert journey.delivery is not None and journey.delivery.open311 is not None
        o = journey.delivery.open311
        sent = self.store.remote.get(item.submission_id)
        if sent is not None and sent.token:
            return self._by_token(sent.token)
        if sent is not None:
            found = self._reconcile(item, o.service_code, sent.first_sent_at)
            if found is not None:
                log.info("submission %s was already received by the Open311 server: not sent again", item.submission_id)
                return Delivered(found, "open")
        fields = report_fields(journey, o, answers, item, self.coordinates)
        self.store.remote.about_to_send(item.submission_id, TARGET)
        posted = self.client.post(fields)
        if posted.service_request_id is not None:
            return Delivered(posted.service_request_id, "open")
        assert posted.token is not None
        self.store.remote.note_token(item.submission_id, posted.token)
        return self._by_token(posted.token)

    def _by_token(self, token: str) -> Delivered:
        rid = self.client.token(token)
        if rid is None:
            raise Transient("open311_token_pending", "the Open311 server has received it and not yet given it a number")
        return Delivered(rid, "open")

    def _reconcile(self, item: OutboxItem, service_code: str, first_sent_at: float) -> str | None:
        now = dt.datetime.now(dt.UTC).timestamp()
        start, end = _w3c(first_sent_at - RECONCILE_MARGIN_S), _w3c(now + RECONCILE_MARGIN_S)
        try:
            listed = self.client.find(service_code, start, end)
        except Permanent as exc:
            raise Permanent(
                "open311_unconfirmed",
                f"this report may have reached the Open311 server, which would not list its requests "
                f"(HTTP {exc.status}). Look for kiosk reference {item.reference} in the council's system: if it is "
                "there, discard this; if not, retry it",
                exc.status,
                [],
            ) from None
        for request in listed:
            if is_ours(request, item):
                rid = request.get("service_request_id")
                if isinstance(rid, str | int) and not isinstance(rid, bool) and str(rid).strip():
                    return str(rid).strip()
        return None
