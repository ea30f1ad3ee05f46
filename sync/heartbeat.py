"""The kiosk's heartbeat: what IT needs to see that a kiosk is well, and nothing personal.

Version, outbox depth, oldest pending age, needs-attention count, last successful sync, clock
skew and free disk. No references, no answers, no journey names.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from importlib import metadata
from typing import Any

from local_store.store import Store


def app_version() -> str:
    try:
        return metadata.version("dcp-kiosk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _iso(ts: float | None) -> str | None:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat() if ts is not None else None


def build_heartbeat(store: Store, *, clock_skew_s: float | None, now: float | None = None) -> dict[str, Any]:
    now = time.time() if now is None else now
    counts = store.counts()
    last_sync = store.get_meta("last_sync_at")
    try:
        free: int | None = shutil.disk_usage(store.path.parent).free
    except OSError:
        free = None
    return {
        "app_version": app_version(),
        "outbox_depth": counts.waiting,
        "oldest_pending_age_s": round(now - counts.oldest_pending_at, 1) if counts.oldest_pending_at else None,
        "needs_attention": counts.by_state.get("needs_attention", 0),
        "last_sync_at": _iso(float(last_sync)) if last_sync else None,
        "clock_skew_s": round(clock_skew_s, 3) if clock_skew_s is not None else None,
        "free_disk_bytes": free,
        "sent_at": _iso(now),
    }
