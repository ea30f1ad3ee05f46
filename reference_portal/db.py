"""The reference portal's own SQLite database: device tokens and received submissions."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import time
from pathlib import Path

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
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS heartbeats (
    id INTEGER PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body TEXT NOT NULL
);
"""


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=10.0, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.executescript(SCHEMA)
    return conn


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
            "SELECT submission_id, reference, journey_id, journey_version, received_at, assisted_by, training"
            " FROM submissions ORDER BY received_at"
        ).fetchall()
        return [dict(r) | {"training": bool(r["training"])} for r in rows]
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
    target = admin_file(path)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"url": url, "admin_secret": secret}, f)


def read_admin_file(path: Path) -> dict[str, str]:
    data = json.loads(admin_file(path).read_text(encoding="utf-8"))
    return {"url": str(data["url"]), "admin_secret": str(data["admin_secret"])}
