"""Reading the portal's answers with limits: size (while streaming), time, JSON depth, and a sane clock.

Everything the portal sends is outside input. A body is read in chunks and refused past a cap
(an endless or huge answer never fills memory), and before JSON parsing its nesting depth is
measured (a body nested 100,000 levels would end the parser with a RecursionError).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from dataclasses import dataclass
from typing import Any, BinaryIO

import httpx

MAX_RESPONSE_BYTES = 1_000_000  # health, submissions, status, heartbeat
MAX_CATALOGUE_BYTES = 8_000_000  # the catalogue and a journey definition
MAX_JSON_DEPTH = 200  # a journey is about 10 levels deep
EARLIEST_SERVER_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST_SERVER_TIME = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")


class Refused(Exception):
    """The answer breaks a limit; `error_class` and `message` are for the client's Transient."""

    def __init__(self, error_class: str, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class
        self.message = message


@dataclass(frozen=True)
class Answer:
    """A response read whole, within the limits."""

    status_code: int
    headers: httpx.Headers
    content: bytes

    def json(self) -> Any:
        return parse_json(self.content)


def read_body(response: httpx.Response, cap: int, deadline: float) -> bytes:
    """The (decoded) body, refused past `cap` bytes or past the monotonic `deadline`."""
    body = io.BytesIO()
    stream_to(response, body, cap, deadline)
    return body.getvalue()


def stream_to(response: httpx.Response, into: BinaryIO, cap: int, deadline: float) -> int:
    """Write the (decoded) body to `into` as it arrives, within `cap` bytes and the `deadline`; the bytes written."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise Refused("too_large", f"the portal's answer is larger than the limit of {cap // 1000} kB")
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > cap:
            raise Refused("too_large", f"the portal's answer is larger than the limit of {cap // 1000} kB")
        if time.monotonic() > deadline:
            raise Refused("timeout", "the portal's answer did not arrive within the time limit")
        into.write(chunk)
    return total


def json_depth(body: bytes, limit: int) -> int:
    """How deeply `body` nests (brackets outside strings), counting at most to limit + 1."""
    brackets = _STRING.sub(b'""', body).translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for c in brackets:
        depth += 1 if c in b"[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


def parse_json(body: bytes) -> Any:
    """json.loads with a depth limit; ValueError (with a clear message) for anything refused."""
    if json_depth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise ValueError(f"nested too deep (more than {MAX_JSON_DEPTH} levels)")
    try:
        return json.loads(body)
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise ValueError("nested too deep") from None


def portal_time(value: Any) -> dt.datetime:
    """The portal's clock from an ISO 8601 string with an offset, within sane years; ValueError if not."""
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError("server_time is not a date and time")
    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("server_time has no UTC offset")
    if not EARLIEST_SERVER_TIME <= when <= LATEST_SERVER_TIME:
        raise ValueError(f"server_time {value[:40]!r} is not a plausible time")
    return when


__all__ = [
    "MAX_CATALOGUE_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_RESPONSE_BYTES",
    "Answer",
    "Refused",
    "json_depth",
    "parse_json",
    "portal_time",
    "read_body",
]
