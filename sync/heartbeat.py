"""The kiosk's heartbeat: what IT needs to see that a kiosk is well, and nothing personal.

Version, outbox depth, oldest pending age, needs-attention count, last successful sync, clock
skew and free disk. No references, no answers, no journey names. Built from the same figures
as the status snapshot (app/status.py): the KioskState and the OutboxCounts of local_store.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from local_store import KioskState, OutboxCounts


def app_version() -> str:
    try:
        return metadata.version("dcp-kiosk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _iso(ts: float | None) -> str | None:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat() if ts is not None else None


def free_disk_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def heartbeat(state: KioskState, counts: OutboxCounts, data_dir: Path, *, now: float | None = None) -> dict[str, Any]:
    """The heartbeat body (contract: POST /kiosks/{id}/heartbeat)."""
    now = time.time() if now is None else now
    age = counts.oldest_pending_age_s(now)
    return {
        "app_version": app_version(),
        "outbox_depth": counts.waiting,
        "oldest_pending_age_s": round(age, 1) if age is not None else None,
        "needs_attention": counts.needs_attention,
        "last_sync_at": _iso(state.last_sync_at),
        "clock_skew_s": round(state.clock_skew_s, 3) if state.clock_skew_s is not None else None,
        "free_disk_bytes": free_disk_bytes(data_dir),
        "sent_at": _iso(now),
    }
