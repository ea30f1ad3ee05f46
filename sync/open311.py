"""Open311Client: the kiosk's side of an Open311 GeoReport v2 endpoint, on the same HTTP machinery as the portal.

GeoReport v2 (https://wiki.open311.org/GeoReport_v2) calls used: `services`, `services/{code}` (a service
definition), POST `requests` (form-encoded, with jurisdiction_id and api_key), GET `requests` (by service
and date range: the reconciliation), `requests/{id}` (the status) and `tokens/{token}`. The spec's format
is XML and JSON is optional, so the client speaks either (`fmt`); XML is read with defusedxml (no entity
expansion, no external entities) into the same shapes as the JSON.

Every failure is one of the sync engine's classes, named `open311_*` so that an unwell Open311 server
never stops the portal's own deliveries: Transient for unreachable, timeouts, 5xx, 429, an answer that is
not Open311 and a refused api_key (IT's to fix: the report waits, nothing goes to staff); Permanent for a
4xx with an Open311 error list (the server refused this report: staff see its description). The api_key
travels only in the POST body: never in a URL, a log line, an error message or the outbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, urlencode

import defusedxml.ElementTree as SafeET
import httpx
from defusedxml import DefusedXmlException

from sync.answers import MAX_CATALOGUE_BYTES, MAX_RESPONSE_BYTES, Answer, parse_json
from sync.errors import Permanent, TokenUnavailable, Transient
from sync.http import TIMEOUT, HttpCaller

__all__ = ["MAX_REQUESTS_LISTED", "ApiKey", "Open311Client", "Posted", "open311_url"]

ApiKey = str | Callable[[], str | None] | None
Format = Literal["json", "xml"]

MAX_REQUESTS_LISTED = 1000  # what a GET requests may list (the spec's servers return at most 1000)
MAX_XML_DEPTH = 32
MAX_ERROR_TEXT = 400
# Elements whose children are a list in the JSON form (XML repeats the child element).
_XML_LISTS = frozenset({"services", "service_requests", "errors", "attributes", "values", "keywords"})
_XML_ROOTS = frozenset({"services", "service_requests", "errors", "service_definition"})
FORM = "application/x-www-form-urlencoded; charset=utf-8"  # POST requests, as the spec has it
_PRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def open311_url(url: str) -> str:
    """The endpoint's base address as IT gives it, without a trailing slash or a format suffix."""
    return url.strip().rstrip("/")


@dataclass(frozen=True)
class Posted:
    """What a POST requests gave back: the service_request_id, or a token to ask for it later."""

    service_request_id: str | None
    token: str | None
    notice: str | None


def _clean(value: Any, limit: int = MAX_ERROR_TEXT) -> str:
    """A server's words, safe to store and show: printable, bounded (they may be personal: never logged)."""
    return _PRINTABLE.sub(" ", str(value))[:limit].strip()


def _element(el: Any, depth: int = 0) -> Any:
    if depth > MAX_XML_DEPTH:
        raise ValueError("nested too deep")
    children = list(el)
    if el.tag in _XML_LISTS:  # <values/>, <attributes/>, <keywords/>: an empty list, as in the JSON
        return [_element(child, depth + 1) for child in children]
    if not children:
        return (el.text or "").strip()
    return {child.tag: _element(child, depth + 1) for child in children}


def parse_xml(body: bytes) -> Any:
    """An Open311 XML answer in the JSON answer's shape: the root's items as a list (a definition: an object)."""
    try:
        root = SafeET.fromstring(body, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise ValueError(f"not well-formed XML ({type(exc).__name__})") from None
    if root.tag not in _XML_ROOTS:
        raise ValueError(f"an XML answer with the root <{_clean(root.tag, 40)}>, not an Open311 one")
    if root.tag == "service_definition":
        return _element(root)
    return [_element(child, 1) for child in root]


def _id(value: Any) -> str | None:
    """A service_request_id or token as text (some servers send numbers), or None when there is none."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | str):
        text = _clean(value, 100)
        return text or None
    return None


class Open311Client(HttpCaller):
    what = "the Open311 server"

    def __init__(
        self,
        base_url: str,
        *,
        jurisdiction_id: str | None = None,
        api_key: ApiKey = None,
        fmt: Format = "json",
        transport: httpx.BaseTransport | None = None,
        ca_bundle: str | None = None,
        timeout: httpx.Timeout = TIMEOUT,
        deadline: float | None = None,
    ) -> None:
        self.jurisdiction_id = jurisdiction_id or None
        self.fmt = fmt
        self._api_key = api_key
        accept = "application/json" if fmt == "json" else "text/xml, application/xml"
        super().__init__(
            open311_url(base_url),
            headers={"Accept": accept},
            transport=transport,
            ca_bundle=ca_bundle,
            timeout=timeout,
            deadline=deadline,
        )

    # -- the calls ------------------------------------------------------------------------------

    def services(self) -> list[dict[str, Any]]:
        body = self._call("GET", "services", cap=MAX_CATALOGUE_BYTES)
        if not isinstance(body, list) or not all(isinstance(s, dict) and _id(s.get("service_code")) for s in body):
            raise Transient("open311_not_contract", "the services list is not a list of services with codes")
        return body

    def definition(self, service_code: str) -> dict[str, Any]:
        body = self._call("GET", f"services/{quote(service_code, safe='')}", cap=MAX_CATALOGUE_BYTES)
        if isinstance(body, list) and len(body) == 1:  # some servers wrap it
            body = body[0]
        if not isinstance(body, dict) or not isinstance(body.get("attributes", []), list):
            raise Transient("open311_not_contract", "the service definition is not an object with attributes")
        return body

    def post(self, fields: list[tuple[str, str]]) -> Posted:
        """POST requests with the report's fields (jurisdiction_id and api_key are added here)."""
        data = [*fields, *self._key_fields()]
        body = self._call("POST", "requests", data=data)
        first = body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else None
        if first is None:
            raise Transient("open311_not_contract", "the answer to the report is not a list with the request in it")
        rid, token = _id(first.get("service_request_id")), _id(first.get("token"))
        if rid is None and token is None:
            raise Transient(
                "open311_not_contract", "the answer to the report has neither a service_request_id nor a token"
            )
        notice = first.get("service_notice")
        return Posted(rid, token, self._unsaid(_clean(notice)) if isinstance(notice, str) and notice.strip() else None)

    def token(self, token: str) -> str | None:
        """The service_request_id a token has been given, or None while it has none (or the server forgot it)."""
        try:
            body = self._call("GET", f"tokens/{quote(token, safe='')}")
        except Permanent as exc:
            if exc.status == 404:  # not known yet (some servers), or expired: asked again later
                return None
            raise
        first = body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else None
        if first is None:
            raise Transient("open311_not_contract", "the answer about a token is not a list with the request in it")
        return _id(first.get("service_request_id"))

    def find(self, service_code: str, start: str, end: str) -> list[dict[str, Any]]:
        """The requests of one service between two W3C times (at most the server's page of them)."""
        params = {"service_code": service_code, "start_date": start, "end_date": end}
        body = self._call("GET", "requests", params=params, cap=MAX_CATALOGUE_BYTES)
        if not isinstance(body, list):
            raise Transient("open311_not_contract", "the requests list is not a list")
        return [r for r in body if isinstance(r, dict)][:MAX_REQUESTS_LISTED]

    def request(self, service_request_id: str) -> dict[str, Any] | None:
        """One request (status, status_notes, times), or None when the server has no such request (404)."""
        try:
            body = self._call("GET", f"requests/{quote(service_request_id, safe='')}")
        except Permanent as exc:
            if exc.status == 404:
                return None
            raise
        first = body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else None
        if first is None:
            raise Transient("open311_not_contract", "the answer about a request is not a list with the request in it")
        return first

    # -- internals ------------------------------------------------------------------------------

    def _key_fields(self) -> list[tuple[str, str]]:
        key = self._api_key
        if callable(key):
            try:
                value = key()
            except TokenUnavailable as exc:
                raise Transient("open311_keyring", exc.message) from None
            if not value:
                raise Transient(
                    "open311_api_key", "the Open311 api_key is not in the keyring: IT runs `dcp-kiosk open311 connect`"
                )
            self._api_key = key = value
        fields = [("jurisdiction_id", self.jurisdiction_id)] if self.jurisdiction_id else []
        return fields + ([("api_key", key)] if key else [])

    def _unsaid(self, text: str) -> str:
        """A server's words without the api_key, should it echo the key back (they are stored and shown)."""
        key = self._api_key
        return text.replace(key, "[api_key]") if isinstance(key, str) and key else text

    def _call(
        self,
        method: str,
        name: str,
        *,
        params: dict[str, str] | None = None,
        data: list[tuple[str, str]] | None = None,
        cap: int = MAX_RESPONSE_BYTES,
    ) -> Any:
        query = {**({"jurisdiction_id": self.jurisdiction_id} if self.jurisdiction_id else {}), **(params or {})}
        if method == "POST":
            query = {}  # jurisdiction_id goes in the body with the rest
        try:
            path, params = f"/{name}.{self.fmt}", query or None
            if data is None:
                response = self._request(method, path, params=params, cap=cap)
            else:
                headers = {"Content-Type": FORM}
                response = self._request(method, path, params=params, cap=cap, headers=headers, content=urlencode(data))
        except Transient as exc:
            if exc.error_class == "stopped":
                raise
            raise Transient(f"open311_{exc.error_class}", exc.message) from None
        return self._read(response)

    def _read(self, response: Answer) -> Any:
        status = response.status_code
        if 300 <= status < 400:
            raise Transient(
                "open311_not_contract", f"the Open311 server answered HTTP {status}, a redirect (not followed)"
            )
        if status in (401, 403):
            raise Transient(
                "open311_api_key",
                f"the Open311 server refused the kiosk's api_key (HTTP {status}): IT runs `dcp-kiosk open311 connect`",
            )
        if status in (408, 409, 425, 429) or status >= 500:
            raise Transient(f"open311_http_{status}", f"the Open311 server answered HTTP {status}")
        try:
            body = self._parse(response)
        except ValueError as exc:
            raise Transient("open311_not_contract", f"HTTP {status} with {exc}") from None
        if status >= 400:
            errors = [e for e in body if isinstance(e, dict)] if isinstance(body, list) else []
            words = self._unsaid("; ".join(_clean(e.get("description", "")) for e in errors if e.get("description")))
            if not errors:
                raise Transient("open311_not_contract", f"HTTP {status} without an Open311 error list")
            raise Permanent(
                "open311_rejected",
                f"the Open311 server refused it (HTTP {status}): {words or 'no reason given'}"[:MAX_ERROR_TEXT],
                status,
                [{"message": words}],
            )
        return body

    def _parse(self, response: Answer) -> Any:
        ctype = response.headers.get("Content-Type", "").lower()
        if self.fmt == "json":
            if "json" not in ctype:
                raise ValueError(f"{_clean(ctype, 60) or 'no content type'}, not JSON")
            return parse_json(response.content)
        if "xml" not in ctype:
            raise ValueError(f"{_clean(ctype, 60) or 'no content type'}, not XML")
        return parse_xml(response.content)
