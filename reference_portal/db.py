"""The reference portal's own SQLite database: device tokens, received submissions, and the keyed
requests (payments, holds, bookings, counter payments) answered once and replayed after."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    revoked_at REAL
);
CREATE TABLE IF NOT EXISTS submissions (
    submission_id TEXT PRIMARY KEY,
    body_hash TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    journey_id TEXT NOT NULL,
    journey_version INTEGER NOT NULL,
    kiosk_id TEXT NOT NULL,
    assisted_by TEXT,
    training INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    answers TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submission_payments (
    submission_id TEXT PRIMARY KEY,
    payment TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS keyed (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
-- payments (reference_portal/payments.py)
CREATE TABLE IF NOT EXISTS payments (
    payment_id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    reference TEXT NOT NULL,
    description TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    status TEXT NOT NULL,
    code TEXT,
    provider_id TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    link_token TEXT NOT NULL UNIQUE,
    link_used_at TEXT,
    form_secret TEXT
);
CREATE TABLE IF NOT EXISTS counter_payments (
    idempotency_key TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    amount INTEGER NOT NULL,
    staff_id TEXT NOT NULL,
    paid_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notifications (
    reference TEXT PRIMARY KEY,
    template_id TEXT NOT NULL,
    email_address TEXT NOT NULL,
    personalisation TEXT NOT NULL,
    submission_reference TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- appointments (reference_portal/appointments.py)
CREATE TABLE IF NOT EXISTS holds (
    hold_id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    service TEXT NOT NULL,
    slot_id TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS holds_by_slot ON holds (service, slot_id);
CREATE TABLE IF NOT EXISTS bookings (
    booking_reference TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    service TEXT NOT NULL,
    slot_id TEXT NOT NULL,
    hold_id TEXT NOT NULL UNIQUE,
    reference TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    booked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS bookings_by_slot ON bookings (service, slot_id);
CREATE TABLE IF NOT EXISTS heartbeats (
    id INTEGER PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS published_journeys (
    journey_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (journey_id, version)
);
-- the reference Open311 GeoReport v2 server (reference_portal/open311.py); a token answer's
-- service_request_id stays NULL until the next GET of tokens/ or requests gives it one
CREATE TABLE IF NOT EXISTS open311_requests (
    seq INTEGER PRIMARY KEY,
    service_request_id TEXT UNIQUE,
    token TEXT UNIQUE,
    service_code TEXT NOT NULL,
    status TEXT NOT NULL,
    status_notes TEXT,
    description TEXT NOT NULL,
    lat REAL,
    long REAL,
    address_string TEXT,
    address_id TEXT,
    contact TEXT NOT NULL,
    media_url TEXT,
    attributes TEXT NOT NULL,
    requested_datetime TEXT NOT NULL,
    updated_datetime TEXT NOT NULL
);
"""


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=10.0, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.executescript(SCHEMA)
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (BEGIN IMMEDIATE): all of it is committed, or none (on any exception)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def keyed_prior(
    conn: sqlite3.Connection, scope: str, key: str, kiosk_id: str, digest: str
) -> tuple[str, dict[str, Any] | None]:
    """What an Idempotency-Key already stands for in `scope` (payment, hold, booking, counter):
    ("new", None), ("replay", the first response's body), or ("reused", None) when the key came with
    another body or from another kiosk."""
    row = conn.execute(
        "SELECT kiosk_id, body_hash, response FROM keyed WHERE scope=? AND key=?", (scope, key)
    ).fetchone()
    if row is None:
        return "new", None
    if row["kiosk_id"] != kiosk_id or row["body_hash"] != digest:
        return "reused", None
    response: dict[str, Any] = json.loads(row["response"])
    return "replay", response


def keep_response(
    conn: sqlite3.Connection, scope: str, key: str, kiosk_id: str, digest: str, response: dict[str, Any], at: str
) -> None:
    """Remember a successful keyed request's answer, for its replays (only successes are kept)."""
    conn.execute(
        "INSERT INTO keyed VALUES (?, ?, ?, ?, ?, ?)", (scope, key, kiosk_id, digest, json.dumps(response), at)
    )


def next_case_number(conn: sqlite3.Connection) -> str:
    """The portal's own next case number, CASE-000001 and on (the counter lives in its database)."""
    row = conn.execute(
        """INSERT INTO counters VALUES ('case', 1)
           ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value"""
    ).fetchone()
    return f"CASE-{int(row['value']):06d}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(path: Path, kiosk_id: str) -> str:
    """Issue a device token for a kiosk; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    conn = connect(path)
    try:
        conn.execute("INSERT INTO tokens VALUES (?, ?, ?, NULL)", (hash_token(token), kiosk_id, time.time()))
    finally:
        conn.close()
    return token


def revoke_tokens(path: Path, kiosk_id: str) -> int:
    conn = connect(path)
    try:
        return conn.execute(
            "UPDATE tokens SET revoked_at=? WHERE kiosk_id=? AND revoked_at IS NULL", (time.time(), kiosk_id)
        ).rowcount
    finally:
        conn.close()


def export_submissions(path: Path) -> list[dict[str, object]]:
    conn = connect(path)
    try:
        rows = conn.execute(
            "SELECT s.submission_id, reference, journey_id, journey_version, received_at, assisted_by, training,"
            " answers, p.payment FROM submissions s LEFT JOIN submission_payments p USING (submission_id)"
            " ORDER BY received_at"
        ).fetchall()
        return [
            dict(r)
            | {
                "training": bool(r["training"]),
                "answers": json.loads(r["answers"]),
                "payment": json.loads(r["payment"]) if r["payment"] else None,
            }
            for r in rows
        ]
    finally:
        conn.close()


def heartbeats(path: Path, kiosk_id: str | None = None) -> list[dict[str, object]]:
    """Heartbeats received, oldest first: kiosk_id, received_at and the body as sent."""
    conn = connect(path)
    try:
        sql = "SELECT kiosk_id, received_at, body FROM heartbeats"
        args: tuple[str, ...] = ()
        if kiosk_id is not None:
            sql += " WHERE kiosk_id=?"
            args = (kiosk_id,)
        rows = conn.execute(sql + " ORDER BY id", args).fetchall()
        return [{"kiosk_id": r["kiosk_id"], "received_at": r["received_at"], **json.loads(r["body"])} for r in rows]
    finally:
        conn.close()


def admin_file(path: Path) -> Path:
    """Where `portal serve` leaves its URL and admin secret (mode 0600), next to its database."""
    return path.with_name(path.name + ".admin.json")


def write_admin_file(path: Path, url: str, secret: str) -> None:
    """The URL and admin secret; an Open311 api_key already in the file (open311_api_key) is kept."""
    kept = {}
    try:
        previous = json.loads(admin_file(path).read_text(encoding="utf-8"))
        if isinstance(previous, dict) and isinstance(previous.get("open311_api_key"), str):
            kept = {"open311_api_key": previous["open311_api_key"]}
    except (OSError, ValueError):
        pass
    _write_admin(path, {"url": url, "admin_secret": secret, **kept})


def _write_admin(path: Path, data: dict[str, str]) -> None:
    target = admin_file(path)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)


def read_admin_file(path: Path) -> dict[str, str]:
    """url and admin_secret, and open311_api_key once the portal has made one."""
    data = json.loads(admin_file(path).read_text(encoding="utf-8"))
    found = {"url": str(data["url"]), "admin_secret": str(data["admin_secret"])}
    if isinstance(data.get("open311_api_key"), str):
        found["open311_api_key"] = data["open311_api_key"]
    return found


def open311_api_key(path: Path) -> str:
    """The portal's Open311 api_key, kept in its admin file (mode 0600): made once, like the admin secret,
    and the same after a restart (a kiosk configured with it keeps working)."""
    try:
        data = json.loads(admin_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    if isinstance(data.get("open311_api_key"), str) and data["open311_api_key"]:
        return str(data["open311_api_key"])
    key = secrets.token_urlsafe(24)
    _write_admin(path, {k: str(v) for k, v in data.items()} | {"open311_api_key": key})
    return key
