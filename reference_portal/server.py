"""The reference portal: the v1 portal API contract, served for training, demos and tests.

It stands in for the council's real portal, so it imports nothing of the kiosk except the
journey schema: it validates what it receives as a real server would. Faults can be switched
on and off while it runs, through /admin/faults, and journeys published to its catalogue through
/admin/journeys (both guarded by a separate admin secret).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from journeys import training
from journeys.models import Journey, parse_journey
from reference_portal import db
from reference_portal.appointments import add_appointment_routes
from reference_portal.clock import Clock, ClockError, iso
from reference_portal.faults import FaultError, FaultMiddleware, FaultPlan, Faults, quiet_dropped_connections
from reference_portal.help import add_help_routes
from reference_portal.keyed import keyed_json
from reference_portal.open311 import add_open311_routes
from reference_portal.packs import add_pack_routes, load_pack
from reference_portal.payments import add_payment_routes, record_receipt, submission_errors
from reference_portal.published import ServedCatalogue, add_journey_admin_routes
from reference_portal.validation import validate_answers

PROBLEM = "application/problem+json"
API_VERSION = "1"

HEARTBEAT_FIELDS: dict[str, tuple[type, ...]] = {
    "app_version": (str,),
    "outbox_depth": (int,),
    "oldest_pending_age_s": (int, float, type(None)),
    "needs_attention": (int,),
    "last_sync_at": (str, type(None)),
    "clock_skew_s": (int, float, type(None)),
    "free_disk_bytes": (int, type(None)),
    "sent_at": (str,),
}


def problem(
    status: int, title: str, detail: str = "", errors: list[dict[str, str]] | None = None, type_: str = "about:blank"
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def key_reused() -> JSONResponse:
    detail = "this Idempotency-Key was used with a different request body"
    return problem(422, "Idempotency key reused", detail, type_="/problems/idempotency-key-reused")


def load_journeys(folder: Path | None = None) -> dict[tuple[str, int], Journey]:
    """The journeys this portal serves: a folder of definitions, or the training catalogue."""
    if folder is None:
        definitions = training.definitions()
    else:
        definitions = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    journeys = {}
    for definition in definitions:
        journey = parse_journey(definition)
        journeys[(journey.id, journey.version)] = journey
    return journeys


def body_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def create_app(
    db_path: Path,
    journeys_dir: Path | None = None,
    admin_secret: str | None = None,
    *,
    case_numbers: bool = False,
    payment_expiry_s: float = 5400,
    hold_s: float = 300,
    gazetteer: Path | None = None,
    open311_api_key: str | None = None,
) -> FastAPI:
    """The portal app. With no admin_secret the /admin endpoints answer 404 (faults off for good).

    By default a case keeps the kiosk's reference (the reference portal echoes it back); with
    `case_numbers` the portal numbers its own cases, CASE-000001, CASE-000002, ..., as a council's
    case system would, and the kiosk must not assume the two are the same. A payment not finished
    `payment_expiry_s` after it was made fails (P0020); a hold on a slot lapses after `hold_s`; the
    admin clock (PUT /admin/clock) moves both forward. `gazetteer` is an address pack file to serve
    (GET /packs/gazetteer), named in the catalogue; ValueError if it cannot be read. The reference Open311
    server (/open311/v2/) takes `open311_api_key`, or makes one and keeps it in the admin file."""
    api = FastAPI(title="DCP reference portal", version=API_VERSION, openapi_url=None, docs_url=None, redoc_url=None)
    conn = db.connect(db_path)
    lock = threading.Lock()
    inflight: set[str] = set()
    faults = Faults()
    clock = Clock()
    api.state.faults = faults
    api.state.clock = clock
    api.add_middleware(FaultMiddleware, faults=faults)
    quiet_dropped_connections()
    pack = load_pack(gazetteer) if gazetteer is not None else None
    served = ServedCatalogue(load_journeys(journeys_dir), pack.entry() if pack else None, body_hash)
    served.restore(conn)  # the journeys published to it (PUT /admin/journeys) before a restart
    journeys = served.journeys

    @api.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(400, "Bad request", "the request does not follow the contract")

    def kiosk_for(authorization: str | None) -> str | JSONResponse:
        if not authorization or not authorization.startswith("Bearer "):
            return problem(401, "Unauthorized", "a device token is required")
        with lock:
            row = conn.execute(
                "SELECT kiosk_id, revoked_at FROM tokens WHERE token_hash=?",
                (db.hash_token(authorization.removeprefix("Bearer ").strip()),),
            ).fetchone()
        if row is None:
            return problem(401, "Unauthorized", "unknown device token")
        if row["revoked_at"] is not None:
            return problem(403, "Forbidden", "this device token has been revoked")
        return str(row["kiosk_id"])

    def now_iso() -> str:
        return dt.datetime.now(dt.UTC).isoformat()

    # -- the contract ------------------------------------------------------------------------

    @api.get("/api/v1/health")
    def health() -> JSONResponse:
        return JSONResponse({"status": "ok", "server_time": now_iso(), "api_version": API_VERSION})

    @api.get("/api/v1/catalogue")
    def get_catalogue(
        authorization: str | None = Header(default=None), if_none_match: str | None = Header(default=None)
    ) -> Response:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        catalogue, catalogue_etag = served.current
        if if_none_match is not None and catalogue_etag in [t.strip() for t in if_none_match.split(",")]:
            return Response(status_code=304, headers={"ETag": catalogue_etag})
        return JSONResponse(catalogue, headers={"ETag": catalogue_etag, "Cache-Control": "no-cache"})

    @api.get("/api/v1/journeys/{journey_id}/{version}")
    def get_journey(journey_id: str, version: int, authorization: str | None = Header(default=None)) -> JSONResponse:
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
    ) -> JSONResponse:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        body = await keyed_json(request, idempotency_key, problem)
        if isinstance(body, JSONResponse) or idempotency_key is None:  # (keyed_json refused a missing key)
            return body
        if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
            return problem(400, "Bad request", "the body must be an object with answers")
        digest = body_hash(body)
        with lock:
            if idempotency_key in inflight:
                return problem(
                    409,
                    "Request in progress",
                    "a request with this Idempotency-Key is still being handled; try again later",
                    type_="/problems/idempotency-in-progress",
                )
            prior = conn.execute("SELECT * FROM submissions WHERE submission_id=?", (idempotency_key,)).fetchone()
            if prior is not None:
                if prior["body_hash"] != digest or prior["kiosk_id"] != who:
                    return key_reused()
                return JSONResponse(
                    {"reference": prior["reference"], "status": "received"},
                    status_code=201,
                    headers={"Idempotent-Replayed": "true"},
                )
            inflight.add(idempotency_key)
        try:
            journey = journeys.get((str(body.get("journey_id")), _int(body.get("journey_version"))))
            if journey is None:
                return problem(
                    404, "Not found", "this journey or version is not offered", type_="/problems/journey-not-offered"
                )
            errors = validate_answers(journey, body["answers"])
            with lock:
                extra = submission_errors(conn, who, body)  # its payment and receipt_email
            if errors or extra:
                title = "Answers do not match the journey" if errors else "The payment or receipt cannot be accepted"
                return problem(422, title, errors=errors + extra, type_="/problems/invalid-answers")
            hold = faults.plan.hold_ms
            if hold:
                await asyncio.sleep(hold / 1000)
            kiosk_reference = str(body.get("reference") or "") or "CASE-" + secrets.token_hex(4).upper()
            with lock, db.transaction(conn):
                reference = db.next_case_number(conn) if case_numbers else kiosk_reference
                try:
                    conn.execute(
                        "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            idempotency_key,
                            digest,
                            reference,
                            journey.id,
                            journey.version,
                            who,
                            body.get("assisted_by"),
                            1 if body.get("training") else 0,
                            now_iso(),
                            "received",
                            json.dumps(body["answers"]),
                        ),
                    )
                except sqlite3.IntegrityError:
                    return problem(
                        422,
                        "Reference in use",
                        "this reference belongs to another submission",
                        type_="/problems/reference-in-use",
                    )
                if isinstance(body.get("payment"), dict):  # how the case is paid, or that payment is due
                    conn.execute(
                        "INSERT INTO submission_payments VALUES (?, ?)", (idempotency_key, json.dumps(body["payment"]))
                    )
                record_receipt(conn, who, body, reference, now_iso())  # once per its reference, never twice
        finally:
            with lock:
                inflight.discard(idempotency_key)
        return JSONResponse({"reference": reference, "status": "received"}, status_code=201)

    @api.get("/api/v1/submissions/{reference}")
    def get_submission(reference: str, authorization: str | None = Header(default=None)) -> JSONResponse:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        with lock:
            row = conn.execute(
                "SELECT reference, status, received_at FROM submissions WHERE reference=?", (reference,)
            ).fetchone()
        if row is None:
            return problem(404, "Not found", "no case with this reference")
        return JSONResponse(dict(row))

    @api.post("/api/v1/kiosks/{kiosk_id}/heartbeat")
    async def post_heartbeat(
        kiosk_id: str, request: Request, authorization: str | None = Header(default=None)
    ) -> JSONResponse:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        if who != kiosk_id:
            return problem(403, "Forbidden", "this token belongs to another kiosk")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return problem(400, "Bad request", "the body is not JSON")
        if not isinstance(body, dict):
            return problem(400, "Bad request", "the heartbeat is not an object")
        errors = [
            {"field": name, "message": f"{name} is missing or has the wrong type"}
            for name, kinds in HEARTBEAT_FIELDS.items()
            if name not in body or isinstance(body[name], bool) or not isinstance(body[name], kinds)
        ]
        if errors:
            return problem(422, "Heartbeat does not follow the contract", errors=errors)
        received = now_iso()
        with lock:
            conn.execute(
                "INSERT INTO heartbeats (kiosk_id, received_at, body) VALUES (?, ?, ?)",
                (kiosk_id, received, json.dumps(body)),
            )
        return JSONResponse({"status": "ok", "server_time": received})

    add_pack_routes(api, pack, kiosk_for, problem)
    add_help_routes(api, conn, lock, kiosk_for, problem, body_hash)  # a citizen asked for a member of staff

    def admin_ok(secret: str | None) -> JSONResponse | None:
        if admin_secret is None:
            return problem(404, "Not found")
        if secret is None or not hmac.compare_digest(secret.encode(), admin_secret.encode()):
            return problem(401, "Unauthorized", "the admin secret is missing or wrong")
        return None

    async def keyed_post(
        request: Request,
        authorization: str | None,
        idempotency_key: str | None,
        scope: str,
        check: Callable[[dict[str, Any]], list[dict[str, str]]],
        create: Callable[..., dict[str, Any] | JSONResponse],
        replay: Callable[..., dict[str, Any]] | None = None,
    ) -> JSONResponse:
        """A keyed POST of payments and appointments: the body checked (field errors, 422), then under
        the lock in one transaction the first answer again for the same key and body (`replay` may
        bring it up to date), 422 for the key with another body, or `create(who, body, now, base)`'s
        answer (201), kept for replays unless it is a problem. Atomic: never in progress (409)."""
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        body = await keyed_json(request, idempotency_key, problem)
        if isinstance(body, JSONResponse) or idempotency_key is None:  # (keyed_json refused a missing key)
            return body
        if not isinstance(body, dict):
            return problem(400, "Bad request", "the body is not an object")
        if errors := check(body):
            return problem(422, "The request does not follow the contract", errors=errors)
        digest, base = body_hash(body), str(request.base_url).rstrip("/")
        with lock, db.transaction(conn):
            kind, prior = db.keyed_prior(conn, scope, idempotency_key, who, digest)
            if kind == "reused":
                return key_reused()
            if prior is not None:
                answer = replay(who, prior, base) if replay else prior
                return JSONResponse(answer, status_code=201, headers={"Idempotent-Replayed": "true"})
            now = clock.now()
            made = create(who, body, now, base)
            if isinstance(made, JSONResponse):
                return made
            db.keep_response(conn, scope, idempotency_key, who, digest, made, iso(now))
        return JSONResponse(made, status_code=201)

    shared = (api, conn, lock, kiosk_for, problem, keyed_post, clock, admin_ok)
    add_payment_routes(*shared, payment_expiry_s=payment_expiry_s)  # and the phone's pages, /admin/payments
    add_appointment_routes(*shared, hold_s=hold_s)
    add_journey_admin_routes(api, served, conn, lock, admin_ok, problem)  # publish a journey while it runs
    add_open311_routes(api, conn, lock, open311_api_key or db.open311_api_key(db_path), admin_ok)  # /open311/v2/

    # -- administration (not part of the contract) -------------------------------------------

    @api.put("/admin/clock")
    async def put_clock(request: Request, x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        """Move the payments' and appointments' now: {"offset_s": seconds ahead of the real time}."""
        if refused := admin_ok(x_admin_secret):
            return refused
        try:
            data = json.loads(await request.body() or b"{}")
            clock.set_offset(data.get("offset_s") if isinstance(data, dict) else None)
        except ValueError as exc:
            return problem(400, "Bad clock", str(exc) if isinstance(exc, ClockError) else "the body is not JSON")
        return JSONResponse(clock.snapshot())

    @api.get("/admin/faults")
    def get_faults(x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        return admin_ok(x_admin_secret) or JSONResponse(faults.snapshot())

    @api.put("/admin/faults")
    async def put_faults(request: Request, x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        if refused := admin_ok(x_admin_secret):
            return refused
        try:
            plan = FaultPlan.from_dict(json.loads(await request.body() or b"{}"))
        except ValueError as exc:
            return problem(400, "Bad fault plan", str(exc) if isinstance(exc, FaultError) else "the body is not JSON")
        faults.set(plan)
        return JSONResponse(faults.snapshot())

    @api.delete("/admin/faults")
    def delete_faults(x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        if refused := admin_ok(x_admin_secret):
            return refused
        faults.set(FaultPlan())
        return JSONResponse(faults.snapshot())

    @api.get("/admin/requests")
    def get_requests(since: int = 0, x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        return admin_ok(x_admin_secret) or JSONResponse({"requests": faults.requests(since)})

    return api


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
