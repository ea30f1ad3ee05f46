"""The catalogue cache: the portal's catalogue (with its ETag) and each journey definition, so the
kiosk works offline. The cache keys are spelt here and nowhere else."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from local_store.db import transaction

CATALOGUE = "catalogue"


def _journey_key(journey_id: str, version: int) -> str:
    return f"journey:{journey_id}:{version}"


class Cache:
    """The `cache` table of one Store. Bodies are JSON as the portal sent them."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def catalogue(self) -> tuple[Any, str | None] | None:
        """(catalogue, etag) as last fetched, or None before the first fetch."""
        return self._get(CATALOGUE)

    def put_catalogue(self, body: Any, etag: str | None = None, now: float | None = None) -> None:
        self._put(CATALOGUE, body, etag, now)

    def journey(self, journey_id: str, version: int) -> Any | None:
        """A cached journey definition, or None."""
        cached = self._get(_journey_key(journey_id, version))
        return cached[0] if cached else None

    def put_journey(self, journey_id: str, version: int, definition: Any, now: float | None = None) -> None:
        self._put(_journey_key(journey_id, version), definition, None, now)

    def _get(self, key: str) -> tuple[Any, str | None] | None:
        row = self.conn.execute("SELECT body, etag FROM cache WHERE key=?", (key,)).fetchone()
        return (json.loads(row["body"]), row["etag"]) if row else None

    def _put(self, key: str, body: Any, etag: str | None, now: float | None) -> None:
        now = time.time() if now is None else now
        with transaction(self.conn) as c:
            c.execute("INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?)", (key, etag, json.dumps(body), now))


__all__ = ["Cache"]
