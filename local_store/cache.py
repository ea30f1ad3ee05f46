"""The catalogue cache: the portal's catalogue (with its ETag) and each journey definition, so the
kiosk works offline. The cache keys are spelt here and nowhere else.

The cache can always be fetched again, so a damaged row (its body not JSON, or JSON of the wrong
shape: a catalogue or definition is always a JSON object) is never an error for the caller: it is
dropped, logged, reported to staff once (naming the key, never the content), and read as absent.
The catalogue's ETag is forgotten at the same time, so the next sync fetches the catalogue in full
and with it every definition that is missing."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from typing import TYPE_CHECKING, Any

from local_store.db import WriteFailed, transaction

if TYPE_CHECKING:
    from local_store.alerts import Alerts

log = logging.getLogger("store")

CATALOGUE = "catalogue"
DAMAGED_ALERT = "cache_row_dropped"


def _journey_key(journey_id: str, version: int) -> str:
    return f"journey:{journey_id}:{version}"


def _decode(body: object, etag: object, key: str) -> tuple[dict[str, Any], str | None] | str:
    """(body, etag) if the row is sound, else what is wrong with it (no content quoted)."""
    if not isinstance(body, str | bytes):
        return f"its body is {type(body).__name__}, not JSON text"
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return "its body is not JSON"
    if not isinstance(value, dict):
        return f"its body is a JSON {type(value).__name__}, not an object"
    if key == CATALOGUE and not isinstance(value.get("journeys", []), list):
        return "its list of journeys is not a list"
    if etag is not None and not isinstance(etag, str):
        return "its ETag is not text"
    return value, etag


class Cache:
    """The `cache` table of one Store. Bodies are JSON as the portal sent them."""

    def __init__(self, conn: sqlite3.Connection, alerts: Alerts | None = None) -> None:
        self.conn = conn
        self.alerts = alerts

    def catalogue(self) -> tuple[Any, str | None] | None:
        """(catalogue, etag) as last fetched, or None before the first fetch (or after damage)."""
        return self._get(CATALOGUE)

    def put_catalogue(self, body: Any, etag: str | None = None, now: float | None = None) -> None:
        self._put(CATALOGUE, body, etag, now)

    def drop_catalogue(self, problem: str) -> None:
        """The cached catalogue is unusable to its reader (e.g. it does not follow the journey
        format): drop it as damaged, so the next sync fetches it again instead of hearing 304."""
        self._drop(CATALOGUE, problem)

    def journey(self, journey_id: str, version: int) -> Any | None:
        """A cached journey definition, or None."""
        cached = self._get(_journey_key(journey_id, version))
        return cached[0] if cached else None

    def put_journey(self, journey_id: str, version: int, definition: Any, now: float | None = None) -> None:
        self._put(_journey_key(journey_id, version), definition, None, now)

    def _get(self, key: str) -> tuple[Any, str | None] | None:
        row = self.conn.execute("SELECT body, etag FROM cache WHERE key=?", (key,)).fetchone()
        if row is None:
            return None
        decoded = _decode(row["body"], row["etag"], key)
        if isinstance(decoded, str):
            self._drop(key, decoded)
            return None
        return decoded

    def _drop(self, key: str, problem: str) -> None:
        """Forget a damaged row (and the catalogue's ETag, so the next sync fetches it again)."""
        log.error("cached %s was damaged (%s): dropped, to be fetched again at the next sync", key, problem)
        try:
            with transaction(self.conn) as c:
                c.execute("DELETE FROM cache WHERE key=?", (key,))
                c.execute("UPDATE cache SET etag=NULL WHERE key=?", (CATALOGUE,))
        except (sqlite3.Error, WriteFailed) as exc:
            log.error("could not drop the damaged cache row %s: %s", key, exc)
        if self.alerts is not None:
            self.alerts.raise_alert(
                DAMAGED_ALERT,
                f"The kiosk's cached copy of {key} was damaged ({problem}). It was dropped and will be "
                "fetched again from the portal at the next sync; submissions are not affected.",
            )

    def _put(self, key: str, body: Any, etag: str | None, now: float | None) -> None:
        now = time.time() if now is None else now
        with transaction(self.conn) as c:
            c.execute("INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?)", (key, etag, json.dumps(body), now))


__all__ = ["Cache"]
