"""The kiosk's state, typed: enrolment, what the last sync pass found, and a stop on the token.

Read with one call (`read()`); written through a few named methods, each with one caller:
`enrol` / `unenrol` by enrolment (app/enrolment.py, through Kiosk.enrol), and `record_pass`,
`record_heartbeat`, `record_auth_stop` by the sync engine alone. So "last sync" means what the
engine decided it means: a pass that reached a well portal, never a pass that only got 503s.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from local_store.cache import Cache
from local_store.db import get_meta, set_meta

ENROLMENT_KEYS = ("portal_url", "kiosk_id", "site_id")
OPEN311_KEYS = ("url", "jurisdiction_id", "format")


@dataclass(frozen=True)
class Enrolment:
    portal_url: str
    kiosk_id: str
    site_id: str


@dataclass(frozen=True)
class AuthStop:
    """The portal refused the kiosk's token: syncing stays stopped until the kiosk is re-enrolled."""

    status: int  # 401 (unknown token) or 403 (revoked)
    at: float

    def reason(self) -> str:
        return f"the portal refused this kiosk's token (HTTP {self.status}): re-enrol it"


@dataclass(frozen=True)
class KioskState:
    enrolment: Enrolment | None
    last_sync_at: float | None  # the last pass that reached a well portal
    last_error_class: str | None  # what went wrong in the last pass, if anything
    clock_skew_s: float | None  # portal clock minus ours, at the last health check
    last_heartbeat_at: float | None
    auth_stop: AuthStop | None
    catalogue_version: str | None  # the ETag of the cached catalogue, as the portal sent it


def _float(value: str | None) -> float | None:
    return float(value) if value else None


def _auth_stop(value: str | None) -> AuthStop | None:
    if not value:
        return None
    status, _, at = value.partition(" ")
    return AuthStop(int(status), float(at or 0))


class State:
    """The kiosk state of one Store (kept in `meta`)."""

    def __init__(self, conn: sqlite3.Connection, cache: Cache) -> None:
        self.conn = conn
        self.cache = cache

    def read(self) -> KioskState:
        meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        url, kiosk_id, site_id = (meta.get(k) for k in ENROLMENT_KEYS)
        cached = self.cache.catalogue()
        return KioskState(
            enrolment=Enrolment(url, kiosk_id, site_id) if url and kiosk_id and site_id else None,
            last_sync_at=_float(meta.get("last_sync_at")),
            last_error_class=meta.get("last_error_class") or None,
            clock_skew_s=_float(meta.get("clock_skew_s")),
            last_heartbeat_at=_float(meta.get("last_heartbeat_at")),
            auth_stop=_auth_stop(meta.get("auth_failed")),
            catalogue_version=cached[1] if cached else None,
        )

    def auth_stop(self) -> AuthStop | None:
        return _auth_stop(get_meta(self.conn, "auth_failed"))

    # -- enrolment: the enrolment use case is the only caller -----------------------------------

    def enrol(self, portal_url: str, kiosk_id: str, site_id: str) -> None:
        """A new enrolment (a new token): syncing may start again."""
        set_meta(self.conn, {"portal_url": portal_url, "kiosk_id": kiosk_id, "site_id": site_id, "auth_failed": ""})

    def unenrol(self) -> None:
        set_meta(self.conn, dict.fromkeys(ENROLMENT_KEYS, ""))

    # -- the Open311 endpoint: `dcp-kiosk open311 connect` is the only writer (the api_key is in the keyring) --

    def open311(self) -> dict[str, str] | None:
        """{url, jurisdiction_id, format} of the Open311 endpoint reports go to, or None when none is set up."""
        meta = {k: get_meta(self.conn, f"open311_{k}") or "" for k in OPEN311_KEYS}
        return meta if meta["url"] else None

    def set_open311(self, url: str, jurisdiction_id: str, fmt: str) -> None:
        set_meta(self.conn, {"open311_url": url, "open311_jurisdiction_id": jurisdiction_id, "open311_format": fmt})

    def clear_open311(self) -> None:
        set_meta(self.conn, {f"open311_{k}": "" for k in OPEN311_KEYS})

    # -- the sync engine is the only caller ----------------------------------------------------

    def record_pass(
        self, *, reached_portal: bool, error_class: str | None, clock_skew_s: float | None, now: float | None = None
    ) -> None:
        """The end of a sync pass. `reached_portal`: the portal answered as a well portal does, so
        the pass counts as a sync; otherwise last_sync_at stays as it was."""
        values = {"last_error_class": error_class or ""}
        if reached_portal:
            values["last_sync_at"] = str(time.time() if now is None else now)
        if clock_skew_s is not None:
            values["clock_skew_s"] = f"{clock_skew_s:.3f}"
        set_meta(self.conn, values)

    def record_heartbeat(self, now: float) -> None:
        set_meta(self.conn, {"last_heartbeat_at": str(now)})

    def record_auth_stop(self, status: int, now: float | None = None) -> None:
        set_meta(self.conn, {"auth_failed": f"{status} {time.time() if now is None else now}"})


__all__ = ["AuthStop", "Enrolment", "KioskState", "State"]
