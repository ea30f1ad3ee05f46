"""The reference portal's own SQLite database: device tokens and received submissions."""

from __future__ import annotations

import hashlib
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
"""


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=10.0, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.executescript(SCHEMA)
    return conn


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
