"""PortalClient: the kiosk's side of the portal API contract (v1), on httpx.

Every failure is sorted into one of three classes that the sync engine acts on:
Transient (try again later), Permanent (a person must look at it), AuthFailed (re-enrol).
Anything that is not a well-formed contract response counts as Transient: a captive portal's
200 HTML page is not a delivery.
"""

from __future__ import annotations

import datetime as dt
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import certifi
import httpx

TIMEOUT = httpx.Timeout(connect=5.0, read=15.0, write=15.0, pool=5.0)


class PortalError(Exception):
    """Base class. `error_class` is a short name safe to log and show to staff."""

    def __init__(self, error_class: str, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class
        self.message = message


class Transient(PortalError):
    def __init__(self, error_class: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(error_class, message)
        self.retry_after = retry_after


class Permanent(PortalError):
    def __init__(self, error_class: str, message: str, status: int, field_errors: list[dict[str, str]]) -> None:
        super().__init__(error_class, message)
        self.status = status
        self.field_errors = field_errors


class AuthFailed(PortalError):
    """401 (unknown token) or 403 (revoked): the kiosk must be re-enrolled; syncing stops."""

    def __init__(self, error_class: str, message: str, status: int = 401) -> None:
        super().__init__(error_class, message)
        self.status = status


@dataclass(frozen=True)
class Delivered:
    reference: str
    status: str


RETRY_AFTER_CAP = 3600.0  # a Retry-After beyond an hour is taken as an hour


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), capped at an hour; None if absent or bad."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return min(RETRY_AFTER_CAP, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        when = dt.datetime.strptime(value.strip(), "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return min(RETRY_AFTER_CAP, max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds()))


def _json(response: httpx.Response) -> Any:
    ctype = response.headers.get("Content-Type", "")
    if "json" not in ctype:
        raise Transient("not_contract", f"HTTP {response.status_code} with {ctype or 'no content type'}, not JSON")
    try:
        return response.json()
    except ValueError:
        raise Transient("not_contract", f"HTTP {response.status_code} with a body that is not JSON") from None


def _raise_for(response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    if status in (401, 403):
        what = "does not know this kiosk's token" if status == 401 else "has revoked this kiosk's token"
        raise AuthFailed("auth", f"the portal {what} (HTTP {status}): re-enrol the kiosk", status)
    if status in (408, 409, 425, 429) or status >= 500:
        # 409: the same Idempotency-Key is still being handled (an earlier attempt is in flight).
        name = "in_progress" if status == 409 else f"http_{status}"
        raise Transient(name, f"the portal answered HTTP {status}", _retry_after(response))
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


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """Verification always on: the usual CA store, plus the council's own CAs when given.

    (httpx deprecates verify=<path>; and a council bundle should add to the trust store, not
    replace it, so a kiosk behind a TLS-inspecting proxy can still reach other https hosts.)"""
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


class PortalClient:
    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        transport: httpx.BaseTransport | None = None,
        ca_bundle: str | None = None,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        headers = {"Accept": "application/json", "User-Agent": "dcp-kiosk/1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/api/v1",
            headers=headers,
            timeout=timeout,
            verify=tls_context(ca_bundle),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise Transient("timeout", f"no answer from the portal in time ({type(exc).__name__})") from None
        except httpx.RequestError as exc:  # connect errors, dropped connections, bad TLS, undecodable bodies
            raise Transient("unreachable", f"could not reach the portal ({type(exc).__name__})") from None

    def health(self) -> dt.datetime:
        """The portal's clock; raises Transient when it cannot be reached."""
        response = self._request("GET", "/health")
        _raise_for(response)
        body = _json(response)
        try:
            return dt.datetime.fromisoformat(body["server_time"])
        except (KeyError, TypeError, ValueError):
            raise Transient("not_contract", "the health answer has no server_time") from None

    def catalogue(self, etag: str | None) -> tuple[dict[str, Any] | None, str | None]:
        """(catalogue, etag); catalogue is None when the portal says it has not changed (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", "/catalogue", headers=headers)
        if response.status_code == 304:
            return None, etag
        _raise_for(response)
        body = _json(response)
        if not isinstance(body, dict):
            raise Transient("not_contract", "the catalogue is not an object")
        return body, response.headers.get("ETag")

    def journey(self, journey_id: str, version: int) -> dict[str, Any]:
        response = self._request("GET", f"/journeys/{journey_id}/{version}")
        _raise_for(response)
        body = _json(response)
        if not isinstance(body, dict):
            raise Transient("not_contract", "the journey is not an object")
        return body

    def submit(self, payload: dict[str, Any], idempotency_key: str) -> Delivered:
        response = self._request("POST", "/submissions", json=payload, headers={"Idempotency-Key": idempotency_key})
        _raise_for(response)
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
        _raise_for(response)
        body = _json(response)
        if not isinstance(body, dict) or not isinstance(body.get("status"), str):
            raise Transient("not_contract", "the case status is not an object with a status")
        return body

    def heartbeat(self, kiosk_id: str, beat: dict[str, Any]) -> dt.datetime:
        """Send one heartbeat; returns the portal's clock."""
        response = self._request("POST", f"/kiosks/{kiosk_id}/heartbeat", json=beat)
        _raise_for(response)
        body = _json(response)
        try:
            return dt.datetime.fromisoformat(body["server_time"])
        except (KeyError, TypeError, ValueError):
            raise Transient("not_contract", "the heartbeat answer has no server_time") from None
