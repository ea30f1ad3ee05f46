"""Fault injection for the reference portal, switchable while it runs.

Faults are what a kiosk meets on a real council network: a slow link, a server that fails
(500), one that asks for patience (503 or 429 with Retry-After), a connection that drops, a
response lost after the server committed (the case idempotency keys exist for), and a captive
portal that answers every request with a 200 HTML sign-in page.

A FaultPlan is plain data. The ASGI middleware below applies it to every request under
/api/v1/ and /open311/v2/ (the admin endpoints are never faulted); `count` limits how many requests the fault
hits (then it switches itself off), `rate` makes it hit only a fraction of them, and `paths`
limits it to path prefixes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

FAULTED = ("/api/v1/", "/open311/v2/")  # the portal contract and the reference Open311 server
KINDS = ("none", "http_500", "http_503", "http_429", "drop", "lost_response", "captive")

CAPTIVE_PAGE = b"""<!doctype html>
<html><head><title>Library Wi-Fi</title></head>
<body><h1>Welcome to Library Wi-Fi</h1><p>Please accept the terms to continue.</p></body></html>
"""


class FaultError(ValueError):
    """A fault plan that does not make sense; the message says which field."""


class DroppedConnection(Exception):
    """Raised after the response headers went out, so the server closes the connection mid-answer."""


@dataclass(frozen=True)
class FaultPlan:
    kind: str = "none"
    latency_ms: int = 0
    retry_after: int | None = None
    count: int | None = None  # None: until cleared
    rate: float = 1.0
    paths: tuple[str, ...] = ()
    hold_ms: int = 0  # how long a submission stays "in progress" before its commit (for 409 tests)

    @classmethod
    def from_dict(cls, data: Any) -> FaultPlan:
        if not isinstance(data, dict):
            raise FaultError("a fault plan is a JSON object")
        unknown = set(data) - {f for f in cls.__dataclass_fields__}
        if unknown:
            raise FaultError(f"unknown fault field: {', '.join(sorted(unknown))}")
        kind = data.get("kind", "none")
        if kind not in KINDS:
            raise FaultError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        try:
            plan = cls(
                kind=kind,
                latency_ms=int(data.get("latency_ms", 0)),
                retry_after=None if data.get("retry_after") is None else int(data["retry_after"]),
                count=None if data.get("count") is None else int(data["count"]),
                rate=float(data.get("rate", 1.0)),
                paths=tuple(str(p) for p in data.get("paths") or ()),
                hold_ms=int(data.get("hold_ms", 0)),
            )
        except (TypeError, ValueError) as exc:
            raise FaultError(f"a fault field has the wrong type: {exc}") from None
        if plan.latency_ms < 0 or plan.hold_ms < 0 or (plan.retry_after is not None and plan.retry_after < 0):
            raise FaultError("latency_ms, hold_ms and retry_after cannot be negative")
        if plan.count is not None and plan.count < 0:
            raise FaultError("count cannot be negative")
        if not 0.0 <= plan.rate <= 1.0:
            raise FaultError("rate must be between 0 and 1")
        return plan

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["paths"] = list(self.paths)
        return d


@dataclass
class Faults:
    """The live fault plan and a log of the API requests seen (for tests: timing of retries)."""

    plan: FaultPlan = field(default_factory=FaultPlan)
    hits: int = 0
    log: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _rng: random.Random = field(default_factory=random.Random)

    def set(self, plan: FaultPlan) -> None:
        with self._lock:
            self.plan = plan
            self.hits = 0

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"plan": self.plan.as_dict(), "hits": self.hits}

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.log[since:])

    def choose(self, path: str) -> FaultPlan:
        """The fault for this request: the plan, or an empty plan when it does not apply."""
        with self._lock:
            plan = self.plan
            if plan.paths and not any(path.startswith(p) for p in plan.paths):
                return FaultPlan()
            if plan.kind == "none" and not plan.latency_ms:
                return plan
            if plan.count is not None and self.hits >= plan.count:
                self.plan = FaultPlan()
                return self.plan
            if plan.rate < 1.0 and self._rng.random() >= plan.rate:
                return FaultPlan()
            self.hits += 1
            return plan

    def record(self, method: str, path: str, key: str | None, status: int | str) -> None:
        with self._lock:
            self.log.append({"at": time.time(), "method": method, "path": path, "key": key, "status": status})
            if len(self.log) > 100_000:
                del self.log[:50_000]


class _DropFilter(logging.Filter):
    """uvicorn logs the exception that closed a connection on purpose; a dropped connection is not a bug."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DroppedConnection)


def quiet_dropped_connections() -> None:
    logging.getLogger("uvicorn.error").addFilter(_DropFilter())


Scope = dict[str, Any]
Message = dict[str, Any]


class FaultMiddleware:
    """Pure ASGI middleware: applies the live fault plan to /api/v1/ and /open311/v2/ requests."""

    def __init__(self, app: Any, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(FAULTED):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        key = headers.get("idempotency-key")
        plan = self.faults.choose(path)
        if plan.latency_ms:
            await asyncio.sleep(plan.latency_ms / 1000)
        if plan.kind in ("http_500", "http_503", "http_429"):
            status = int(plan.kind.removeprefix("http_"))
            extra = [(b"retry-after", str(plan.retry_after).encode())] if plan.retry_after is not None else []
            body = json.dumps({"type": "about:blank", "title": "Injected fault", "status": status}).encode()
            await _send(send, status, body, b"application/problem+json", extra)
            self.faults.record(method, path, key, status)
            return
        if plan.kind == "captive":
            await _send(send, 200, CAPTIVE_PAGE, b"text/html; charset=utf-8")
            self.faults.record(method, path, key, "captive")
            return
        if plan.kind == "drop":
            self.faults.record(method, path, key, "drop")
            await _start(send, 200, 1000, b"application/json")
            raise DroppedConnection("fault: connection dropped before the request was handled")
        if plan.kind == "lost_response":
            status_box: list[int] = []

            async def swallow(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status_box.append(int(message["status"]))

            await self.app(scope, receive, swallow)  # the request is handled and committed in full
            self.faults.record(method, path, key, f"lost_{status_box[0] if status_box else 0}")
            await _start(send, 200, 1000, b"application/json")
            raise DroppedConnection("fault: the response was lost after the server committed")

        status_seen: list[int] = []

        async def spy(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_seen.append(int(message["status"]))
            await send(message)

        await self.app(scope, receive, spy)
        self.faults.record(method, path, key, status_seen[0] if status_seen else 0)


async def _start(
    send: Any, status: int, length: int, ctype: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [(b"content-type", ctype), (b"content-length", str(length).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})


async def _send(
    send: Any, status: int, body: bytes, ctype: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    await _start(send, status, len(body), ctype, extra)
    await send({"type": "http.response.body", "body": body})
