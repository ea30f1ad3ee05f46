"""What a sync pass works with and gives back: the portal it talks to, its report, its progress callback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol

from sync.client import Delivered

# Told during a long pass about the rows delivered since it was last told: (submission ids, portal references).
Progress = Callable[[list[str], list[str]], None]


class Portal(Protocol):
    def health(self) -> dt.datetime: ...
    def catalogue(self, etag: str | None) -> tuple[dict[str, Any] | None, str | None]: ...
    def journey(self, journey_id: str, version: int) -> dict[str, Any]: ...
    def submit(self, payload: dict[str, Any], idempotency_key: str) -> Delivered: ...
    def heartbeat(self, kiosk_id: str, beat: dict[str, Any]) -> dt.datetime: ...
    def help_request(self, kiosk_id: str, body: dict[str, Any], idempotency_key: str) -> None: ...
    def gazetteer_pack(self, into: BinaryIO, size: int) -> str: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class SyncReport:
    online: bool
    delivered: int = 0
    retrying: int = 0
    needs_attention: int = 0
    auth_failed: bool = False
    last_error_class: str | None = None
    clock_skew: float | None = None
    catalogue_changed: bool = False
    pack_version: str | None = None  # the address pack newly switched to in this pass
    delivered_references: list[str] = field(default_factory=list)  # the portal's references (case numbers)
    delivered_ids: list[str] = field(default_factory=list)  # the kiosk's submission ids, in the same order
    held_until: float | None = None  # the portal asked us to wait (Retry-After) until then
    heartbeat_sent: bool = False


__all__ = ["Portal", "Progress", "SyncReport"]
