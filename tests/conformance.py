"""Check real HTTP exchanges against the contract (sync/contract/openapi.yaml). For tests.

Both sides are held to the same file: the client's requests (captured with an httpx event hook
or a MockTransport) and the reference portal's responses. Uses openapi-core, a development
dependency, so import this module only from tests and benchmarks.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

SPEC_PATH = Path(__file__).resolve().parent.parent / "sync" / "contract" / "openapi.yaml"
API_PREFIX = "/api/v1"


class ContractViolation(AssertionError):
    """An exchange that does not follow openapi.yaml; the message says which rule."""


@cache
def _openapi() -> Any:
    import json

    from openapi_core import Config, OpenAPI

    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_file_path(str(SPEC_PATH), config=config)


class _Request:
    def __init__(self, request: httpx.Request) -> None:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        self._request = request
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(request.url.query.decode())),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict({}),
        )

    @property
    def host_url(self) -> str:
        return f"{self._request.url.scheme}://{self._request.url.netloc.decode()}"

    @property
    def path(self) -> str:
        return self._request.url.path

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self._request.content or None

    @property
    def content_type(self) -> str:
        return self._request.headers.get("content-type", "").lower()


class _Response:
    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def content_type(self) -> str:
        return self._response.headers.get("content-type", "").lower()

    @property
    def headers(self) -> Any:
        from werkzeug.datastructures import Headers

        return Headers(dict(self._response.headers))

    @property
    def data(self) -> bytes | None:
        return self._response.content or None


def check_request(request: httpx.Request) -> None:
    """Raise ContractViolation unless the request follows the contract (path, headers, body)."""
    try:
        _openapi().validate_request(_Request(request))
    except Exception as exc:  # openapi-core raises a family of its own errors
        raise ContractViolation(f"{request.method} {request.url.path}: {_explain(exc)}") from None


def check_response(response: httpx.Response) -> None:
    """Raise ContractViolation unless the response follows the contract for its request."""
    response.read()
    try:
        _openapi().validate_response(_Request(response.request), _Response(response))
    except Exception as exc:
        raise ContractViolation(
            f"{response.request.method} {response.request.url.path} -> {response.status_code}: {_explain(exc)}"
        ) from None


def _explain(exc: BaseException) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    cause = exc.__cause__ or exc.__context__
    while cause is not None and len(parts) < 4:
        parts.append(f"{type(cause).__name__}: {cause}")
        for sub in getattr(cause, "schema_errors", []) or []:
            parts.append(f"  {getattr(sub, 'message', sub)}")
        cause = cause.__cause__ or cause.__context__
    return "\n".join(parts)


def admin(portal: Any, method: str, path: str, **kwargs: Any) -> Any:
    """An /admin call of the reference portal (its clock, its lists of payments and appointments)."""
    import httpx

    from reference_portal import db

    secret = db.read_admin_file(portal.db)["admin_secret"]
    response = httpx.request(method, portal.url + path, headers={"X-Admin-Secret": secret}, timeout=10, **kwargs)
    response.raise_for_status()
    return response.json()


def kiosk_client(portal: Any, kiosk_id: str = "kiosk-1") -> Any:
    """The kiosk's client, every exchange held to the contract (requests and the portal's answers)."""
    from sync.client import PortalClient

    client = PortalClient(portal.url, portal.token(kiosk_id))
    client._http.event_hooks = {"request": [check_request], "response": [check_response]}
    return client
