"""PortalClient: the kiosk's side of the portal API contract (v1), on httpx.

Every failure is sorted into one of three classes that the sync engine acts on:
Transient (try again later), Permanent (a person must look at it), AuthFailed (re-enrol).
Anything that is not a well-formed contract response counts as Transient: a captive portal's
200 HTML page is not a delivery. Every answer is read within limits (sync/answers.py: size while
streaming, JSON depth, a sane server clock) and every request within a total deadline
(sync/deadline.py); a TLS refusal names the certificate's problem (sync/tls.py).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any, BinaryIO
from urllib.parse import quote

import httpx

from sync.answers import MAX_CATALOGUE_BYTES, Answer, portal_time
from sync.errors import AuthFailed, Delivered, Permanent, PortalError, TokenUnavailable, Transient
from sync.http import TIMEOUT, HttpCaller

PACK_DEADLINE = 600.0  # an address pack of tens of megabytes over a slow library line

# The device token, or how to get it: a callable is asked (the keyring may be locked) until it
# gives one; it raises TokenUnavailable when the keyring cannot be used.
Token = str | Callable[[], str | None] | None


RETRY_AFTER_CAP = 3600.0  # a Retry-After beyond an hour is taken as an hour


def _retry_after(response: Answer, clock_skew: float | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), capped at an hour; None if absent or bad.

    An HTTP date is on the portal's clock: `clock_skew` (portal minus kiosk, as measured at the
    health check) turns it into a wait on ours."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return min(RETRY_AFTER_CAP, max(0.0, seconds)) if seconds == seconds else None  # NaN is nonsense
    try:
        when = dt.datetime.strptime(value.strip(), "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    portal_now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=clock_skew or 0.0)
    return min(RETRY_AFTER_CAP, max(0.0, (when - portal_now).total_seconds()))


def _json(response: Answer) -> Any:
    ctype = response.headers.get("Content-Type", "")
    if "json" not in ctype:
        raise Transient("not_contract", f"HTTP {response.status_code} with {ctype[:80] or 'no content type'}, not JSON")
    try:
        return response.json()
    except ValueError as exc:
        why = str(exc) if "deep" in str(exc) else "a body that is not JSON"
        raise Transient("not_contract", f"HTTP {response.status_code} with {why}") from None


def _raise_for(response: Answer, clock_skew: float | None = None) -> None:
    status = response.status_code
    if 300 <= status < 400:
        where = "".join(c for c in response.headers.get("Location", "?")[:200] if c.isprintable())
        raise Transient(
            "not_contract",
            f"the portal answered HTTP {status}, a redirect to {where}, which is not followed "
            "(a captive portal or a wrong portal address?)",
        )
    if status < 400:
        return
    if status in (401, 403):
        what = "does not know this kiosk's token" if status == 401 else "has revoked this kiosk's token"
        raise AuthFailed("auth", f"the portal {what} (HTTP {status}): re-enrol the kiosk", status)
    if status in (408, 409, 425, 429) or status >= 500:
        # 409: the same Idempotency-Key is still being handled (an earlier attempt is in flight).
        name = "in_progress" if status == 409 else f"http_{status}"
        raise Transient(name, f"the portal answered HTTP {status}", _retry_after(response, clock_skew))
    body = _json(response)
    if not isinstance(body, dict) or not isinstance(body.get("status", status), int):
        raise Transient("not_contract", f"HTTP {status} with a problem that is not an object")
    detail = str(body.get("detail") or body.get("title") or f"HTTP {status}")
    errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    if errors:
        detail += ": " + "; ".join(str(e.get("message", "")) for e in errors)
    kind = str(body.get("type") or "")
    if kind.endswith("/idempotency-key-reused"):
        name = "idempotency_conflict"
    elif status in (404, 410):
        name = "journey_not_offered" if kind.endswith("/journey-not-offered") or status == 410 else f"http_{status}"
    elif kind.endswith("/invalid-answers"):
        name = "invalid_answers"
    else:
        name = f"http_{status}"
    raise Permanent(name, detail, status, errors)


from sync.live import LiveCalls  # noqa: E402 - after the errors above, which sync.live builds on


class PortalClient(LiveCalls, HttpCaller):  # the payments and appointments calls are in sync/live.py
    def __init__(
        self,
        base_url: str,
        token: Token,
        *,
        transport: httpx.BaseTransport | None = None,
        ca_bundle: str | None = None,
        timeout: httpx.Timeout = TIMEOUT,
        deadline: float | None = None,
    ) -> None:
        self._token = token
        self.clock_skew: float | None = None  # portal minus kiosk, from the last health check
        super().__init__(
            base_url.rstrip("/") + "/api/v1",
            headers={"Accept": "application/json"},
            transport=transport,
            ca_bundle=ca_bundle,
            timeout=timeout,
            deadline=deadline,
        )

    def _authorization(self) -> dict[str, str]:
        token = self._token
        if callable(token):
            value = token()  # may raise TokenUnavailable
            if not value:
                raise TokenUnavailable("the device token is not in the keyring: restore the keyring or re-enrol")
            self._token = token = value  # read once it works, then kept for this client
        return {"Authorization": f"Bearer {token}"} if token else {}

    def _raise_for(self, response: Answer) -> None:
        _raise_for(response, self.clock_skew)

    def health(self) -> dt.datetime:
        """The portal's clock; raises Transient when it cannot be reached. Measures the clock skew."""
        sent = time.time()
        response = self._request("GET", "/health")
        back = time.time()
        self._raise_for(response)
        when = _server_time(_json(response), "health")
        self.clock_skew = when.timestamp() - (sent + back) / 2
        return when

    def _journey_data(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        """The catalogue or a definition: a larger cap, and past it a catalogue that is not used
        (bad_catalogue, as for one not in the journey format), not a portal that is unwell."""
        try:
            return self._request("GET", path, headers=headers, cap=MAX_CATALOGUE_BYTES)
        except Transient as exc:
            if exc.error_class == "too_large":
                raise Permanent("bad_catalogue", exc.message, 200, []) from None
            raise

    def catalogue(self, etag: str | None) -> tuple[dict[str, Any] | None, str | None]:
        """(catalogue, etag); catalogue is None when the portal says it has not changed (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._journey_data("/catalogue", headers)
        if response.status_code == 304:
            return None, etag
        self._raise_for(response)
        body = _json(response)
        if not isinstance(body, dict):
            raise Transient("not_contract", "the catalogue is not an object")
        return body, response.headers.get("ETag")

    def journey(self, journey_id: str, version: int) -> dict[str, Any]:
        response = self._journey_data(f"/journeys/{journey_id}/{version}")
        self._raise_for(response)
        body = _json(response)
        if not isinstance(body, dict):
            raise Transient("not_contract", "the journey is not an object")
        return body

    def gazetteer_pack(self, into: BinaryIO, size: int) -> str:
        """Download the address pack into `into` (at most `size` bytes, within PACK_DEADLINE); its X-Pack-Version.

        404 (the portal serves no pack) is Permanent("no_pack"); the caller checks the size and hash."""
        response = self._request("GET", "/packs/gazetteer", cap=size, into=into, seconds=PACK_DEADLINE)
        if response.status_code == 404:
            raise Permanent("no_pack", "the portal serves no address pack", 404, [])
        self._raise_for(response)
        if response.status_code != 200:
            raise Transient("not_contract", f"HTTP {response.status_code} is not an address pack")
        return response.headers.get("X-Pack-Version", "")

    def submit(self, payload: dict[str, Any], idempotency_key: str) -> Delivered:
        response = self._request("POST", "/submissions", json=payload, headers={"Idempotency-Key": idempotency_key})
        self._raise_for(response)
        if response.status_code not in (200, 201):
            raise Transient("not_contract", f"HTTP {response.status_code} is not a delivery")
        body = _json(response)
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("reference"), str)
            or not body["reference"]
            or not isinstance(body.get("status"), str)
        ):
            raise Transient("not_contract", "the portal's answer has no reference and status")
        return Delivered(body["reference"], body["status"])

    def submission_status(self, reference: str) -> dict[str, Any]:
        """The progress of a case: {reference, status, received_at}."""
        # One path segment, whatever was typed or the portal numbered its case: never another endpoint.
        response = self._request("GET", f"/submissions/{quote(reference, safe='')}")
        self._raise_for(response)
        body = _json(response)
        if not isinstance(body, dict) or not isinstance(body.get("status"), str):
            raise Transient("not_contract", "the case status is not an object with a status")
        return body

    def heartbeat(self, kiosk_id: str, beat: dict[str, Any]) -> dt.datetime:
        """Send one heartbeat; returns the portal's clock."""
        response = self._request("POST", f"/kiosks/{kiosk_id}/heartbeat", json=beat)
        self._raise_for(response)
        return _server_time(_json(response), "heartbeat")

    def help_request(self, kiosk_id: str, body: dict[str, Any], idempotency_key: str) -> None:
        """Tell the portal a citizen asked for a member of staff (see sync/help_requests.py)."""
        path = f"/kiosks/{kiosk_id}/help-requests"
        response = self._request("POST", path, json=body, headers={"Idempotency-Key": idempotency_key})
        self._raise_for(response)
        answer = _json(response)
        if response.status_code != 201 or not isinstance(answer, dict) or answer.get("status") != "received":
            raise Transient("not_contract", f"HTTP {response.status_code} is not a received help request")


def _server_time(body: Any, what: str) -> dt.datetime:
    try:
        return portal_time(body["server_time"])
    except (KeyError, TypeError, ValueError) as exc:
        why = f": {exc}" if isinstance(exc, ValueError) else ""
        raise Transient("not_contract", f"the {what} answer has no usable server_time{why}") from None


__all__ = [
    "PACK_DEADLINE",
    "AuthFailed",
    "Delivered",
    "Permanent",
    "PortalClient",
    "PortalError",
    "Token",
    "TokenUnavailable",
    "Transient",
]
