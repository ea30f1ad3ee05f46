"""The reference portal: the v1 portal API contract, served for training, demos and tests.

It stands in for the council's real portal, so it imports nothing of the kiosk except the
journey schema: it validates what it receives as a real server would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.journeys.schema import Journey, parse_journey
from reference_portal import db

PROBLEM = "application/problem+json"
DEFAULT_JOURNEYS = Path(__file__).resolve().parent.parent / "app" / "training"


def problem(status: int, title: str, detail: str = "", errors: list[dict[str, str]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def load_journeys(folder: Path) -> dict[tuple[str, int], Journey]:
    journeys = {}
    for path in sorted(folder.glob("*.json")):
        journey = parse_journey(json.loads(path.read_text(encoding="utf-8")))
        journeys[(journey.id, journey.version)] = journey
    return journeys


def create_app(db_path: Path, journeys_dir: Path = DEFAULT_JOURNEYS) -> FastAPI:
    api = FastAPI(title="DCP reference portal", version="1")
    conn = db.connect(db_path)
    lock = threading.Lock()
    journeys = load_journeys(journeys_dir)
    catalogue = {
        "schema_version": 1,
        "journeys": [
            {
                "id": j.id,
                "version": j.version,
                "title": j.title.model_dump(),
                "summary": j.summary.model_dump(),
                "category": j.category,
                "requires_online": j.requires_online,
            }
            for j in journeys.values()
        ],
    }
    catalogue_etag = '"' + hashlib.sha256(json.dumps(catalogue, sort_keys=True).encode()).hexdigest()[:16] + '"'

    @api.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(400, "Bad request", "the request does not follow the contract")

    def kiosk_for(authorization: str | None) -> str | JSONResponse:
        if not authorization or not authorization.startswith("Bearer "):
            return problem(401, "Unauthorized", "a device token is required")
        row = conn.execute(
            "SELECT kiosk_id, revoked_at FROM tokens WHERE token_hash=?",
            (db.hash_token(authorization.removeprefix("Bearer ").strip()),),
        ).fetchone()
        if row is None:
            return problem(401, "Unauthorized", "unknown device token")
        if row["revoked_at"] is not None:
            return problem(403, "Forbidden", "this device token has been revoked")
        return str(row["kiosk_id"])

    @api.get("/api/v1/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "server_time": dt.datetime.now(dt.UTC).isoformat()}

    @api.get("/api/v1/catalogue")
    def get_catalogue(
        authorization: str | None = Header(default=None), if_none_match: str | None = Header(default=None)
    ) -> Any:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        if if_none_match == catalogue_etag:
            return Response(status_code=304, headers={"ETag": catalogue_etag})
        return JSONResponse(catalogue, headers={"ETag": catalogue_etag})

    @api.get("/api/v1/journeys/{journey_id}/{version}")
    def get_journey(journey_id: str, version: int, authorization: str | None = Header(default=None)) -> Any:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        journey = journeys.get((journey_id, version))
        if journey is None:
            return problem(404, "Not found", f"no journey {journey_id} version {version}")
        return JSONResponse(journey.model_dump(mode="json", exclude_none=True))

    @api.post("/api/v1/submissions")
    async def post_submission(
        request: Request,
        authorization: str | None = Header(default=None),
        idempotency_key: str | None = Header(default=None),
    ) -> Any:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        if not idempotency_key:
            return problem(400, "Bad request", "an Idempotency-Key header is required")
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            return problem(400, "Bad request", "the body is not JSON")
        if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
            return problem(400, "Bad request", "the body must be an object with answers")
        body_hash = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        with lock:
            prior = conn.execute("SELECT * FROM submissions WHERE submission_id=?", (idempotency_key,)).fetchone()
            if prior is not None:
                if prior["body_hash"] != body_hash:
                    return problem(422, "Idempotency key reused", "this key was used with a different body")
                return JSONResponse({"reference": prior["reference"], "status": prior["status"]}, status_code=201)
            journey = journeys.get((str(body.get("journey_id")), int(body.get("journey_version") or 0)))
            if journey is None:
                return problem(404, "Not found", "this journey or version is not offered")
            missing = [
                {"field": q.id, "message": f"{q.label.en} is required"}
                for q in journey.questions()
                if q.required and body["answers"].get(q.id) in (None, "", [])
            ]
            if missing:
                return problem(422, "Answers do not match the journey", errors=missing)
            reference = str(body.get("reference") or "") or "CASE-" + secrets.token_hex(4).upper()
            try:
                conn.execute(
                    "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        idempotency_key,
                        body_hash,
                        reference,
                        journey.id,
                        journey.version,
                        who,
                        body.get("assisted_by"),
                        1 if body.get("training") else 0,
                        dt.datetime.now(dt.UTC).isoformat(),
                        "received",
                        json.dumps(body["answers"]),
                    ),
                )
            except sqlite3.IntegrityError:
                return problem(422, "Reference in use", "this reference belongs to another submission")
        return JSONResponse({"reference": reference, "status": "received"}, status_code=201)

    @api.get("/api/v1/submissions/{reference}")
    def get_submission(reference: str, authorization: str | None = Header(default=None)) -> Any:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        row = conn.execute(
            "SELECT reference, status, received_at FROM submissions WHERE reference=?", (reference,)
        ).fetchone()
        if row is None:
            return problem(404, "Not found", "no case with this reference")
        return dict(row)

    return api
