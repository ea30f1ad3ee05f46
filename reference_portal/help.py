"""The reference portal's help requests: a kiosk says a citizen asked for a member of staff, and
staff elsewhere in the building list them. Nothing personal: kiosk, site, when, the journey at most.

Exactly once by the Idempotency-Key (the help request's id): the same key and body is answered
as the first time, with Idempotent-Replayed; the same key with another body is 422.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
from collections.abc import Callable

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

from reference_portal.keyed import keyed_json

__all__ = ["SCHEMA", "add_help_routes"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS help_requests (
    help_request_id TEXT PRIMARY KEY,
    body_hash TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    journey_id TEXT,
    received_at TEXT NOT NULL
);
"""
FIELDS = ("help_request_id", "kiosk_id", "site_id", "asked_at", "journey_id")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9-]{0,63}$")

Problem = Callable[..., JSONResponse]


def _errors(body: dict[str, object], key: str, kiosk_id: str) -> list[dict[str, str]]:
    errors = [{"field": f, "message": f"{f} is missing"} for f in FIELDS if f not in body]
    errors += [{"field": f, "message": f"{f} is not part of a help request"} for f in body if f not in FIELDS]
    for name in ("help_request_id", "kiosk_id", "site_id", "asked_at"):
        if name in body and (not isinstance(body[name], str) or not body[name]):
            errors.append({"field": name, "message": f"{name} must be a non-empty string"})
    journey = body.get("journey_id")
    if journey is not None and not (isinstance(journey, str) and IDENTIFIER.match(journey)):
        errors.append({"field": "journey_id", "message": "journey_id must be a journey id or null"})
    if isinstance(body.get("asked_at"), str):
        try:
            dt.datetime.fromisoformat(str(body["asked_at"]))
        except ValueError:
            errors.append({"field": "asked_at", "message": "asked_at must be a date-time"})
    if not errors and (body["help_request_id"] != key or body["kiosk_id"] != kiosk_id):
        errors.append({"field": "help_request_id", "message": "must equal the Idempotency-Key, for this kiosk"})
    return errors


def add_help_routes(
    api: FastAPI,
    conn: sqlite3.Connection,
    lock: threading.Lock,
    kiosk_for: Callable[[str | None], str | JSONResponse],
    problem: Problem,
    body_hash: Callable[[object], str],
) -> None:
    conn.executescript(SCHEMA)

    @api.post("/api/v1/kiosks/{kiosk_id}/help-requests")
    async def post_help_request(
        kiosk_id: str,
        request: Request,
        authorization: str | None = Header(default=None),
        idempotency_key: str | None = Header(default=None),
    ) -> JSONResponse:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        if who != kiosk_id:
            return problem(403, "Forbidden", "this token belongs to another kiosk")
        body = await keyed_json(request, idempotency_key, problem)
        if isinstance(body, JSONResponse) or idempotency_key is None:  # (keyed_json refused a missing key)
            return body
        if not isinstance(body, dict):
            return problem(400, "Bad request", "the help request is not an object")
        errors = _errors(body, idempotency_key, kiosk_id)
        if errors:
            return problem(422, "Help request does not follow the contract", errors=errors)
        digest = body_hash(body)
        received = dt.datetime.now(dt.UTC).isoformat()
        with lock:
            prior = conn.execute(
                "SELECT body_hash, received_at FROM help_requests WHERE help_request_id=?", (idempotency_key,)
            ).fetchone()
            if prior is None:
                conn.execute(
                    "INSERT INTO help_requests VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        idempotency_key,
                        digest,
                        kiosk_id,
                        body["site_id"],
                        body["asked_at"],
                        body["journey_id"],
                        received,
                    ),
                )
        if prior is None:
            return JSONResponse({"status": "received", "received_at": received}, status_code=201)
        if prior["body_hash"] != digest:
            return problem(
                422,
                "Idempotency key reused",
                "this Idempotency-Key was used with a different request body",
                type_="/problems/idempotency-key-reused",
            )
        return JSONResponse(
            {"status": "received", "received_at": prior["received_at"]},
            status_code=201,
            headers={"Idempotent-Replayed": "true"},
        )

    @api.get("/api/v1/help-requests")
    def list_help_requests(
        site_id: str | None = None, authorization: str | None = Header(default=None)
    ) -> JSONResponse:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        with lock:
            rows = conn.execute(
                "SELECT help_request_id, kiosk_id, site_id, asked_at, journey_id, received_at FROM help_requests"
                + (" WHERE site_id=?" if site_id else "")
                + " ORDER BY received_at DESC, rowid DESC",
                (site_id,) if site_id else (),
            ).fetchall()
        return JSONResponse({"help_requests": [dict(r) for r in rows]})
